"""Hand-built pages and extractions for the assemble / load / publish tests (no network, no HTML)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from klimatkontrakt.core.model import (
    Event,
    Extraction,
    FetchedPage,
    Membership,
    Role,
    Signing,
    Source,
    Target,
)

VC = Source(id="viablecities", extractor="viablecities", start_urls=("https://viablecities.se/nyheter/",))
ESK = Source(id="eskilstuna", extractor="municipal", start_urls=("https://www.eskilstuna.se/",), municipality_code="0484")

MIRROR_VC = "https://viablecities.se/nyheter/eskilstuna-klimatkontrakt"
MIRROR_ESK = "https://www.eskilstuna.se/nyheter/klimatkontrakt"
EVCD = date(2023, 5, 31)


def page(url: str, source: Source = VC, *, final_url: str | None = None, status: int | None = 200,
         body: bytes = b"<html>...</html>", error: str | None = None) -> FetchedPage:
    return FetchedPage(
        url=url, final_url=final_url or url, status=status,
        content_type="text/html; charset=utf-8" if status == 200 else None,
        body=body, text=body.decode() if status == 200 else None,
        fetched_at=datetime(2026, 11, 27, 2, 15, tzinfo=UTC), elapsed_ms=120, error=error,
        source_id=source.id,
    )


def signing_0484(evidence: str) -> Signing:
    return Signing("klimatkontrakt-2030", evidence, municipality_code="0484", signed_on=EVCD,
                   contract_version="2023 års version")


def mirrored_extraction(published_on: date, evidence: str, party: str | None) -> Extraction:
    return Extraction(
        title="Eskilstuna skriver under Klimatkontrakt 2030",
        published_on=published_on,
        language="sv",
        signings=(signing_0484(evidence),),
        roles=(Role("Jimmy Jansson", f"{evidence} säger Jimmy Jansson", role="kommunstyrelsens ordförande",
                    role_normalised="ks-ordforande", party=party, municipality_code="0484", as_of=EVCD),),
        targets=(Target("0484", "climate-positive", "Eskilstuna ska vara klimatpositivt 2045.", target_year=2045,
                        scope="geographic-area", status="adopted"),),
    )


def sample_pages() -> list[tuple[Source, FetchedPage, Extraction | None]]:
    """A small crawl: an article mirrored on two sites, an event page, a failed fetch, bad facts."""
    event_page = Extraction(
        title="European Viable Cities Day 2023",
        published_on=date(2023, 5, 2),
        language="en",
        events=(Event("European Viable Cities Day", "Welcome to European Viable Cities Day on 31 May",
                      kind="european-viable-cities-day", starts_on=EVCD, start_time="9.30",
                      location="Stockholm"),),
        signings=(
            Signing("klimatkontrakt-2030", "Formas signs the contracts", organisation_id="formas", signed_on=EVCD),
            Signing("klimatkontrakt-2030", "Gävle signs", municipality_code="484", signed_on=EVCD),  # bad code
            Signing("klimatkontrakt-2030", "Some agency", organisation_id="nasa", signed_on=EVCD),  # unknown
        ),
        memberships=(Membership("0180", "klimatneutrala-stader-2030", "Stockholm is one of the cities",
                                joined_on=date(2020, 10, 1), cohort="pilot-2020"),),
    )
    return [
        # the same article on viablecities.se (published later) and on eskilstuna.se (earlier)
        (VC, page(MIRROR_VC), mirrored_extraction(date(2023, 6, 2), "Eskilstuna skrev under kontraktet", "S")),
        (ESK, page(MIRROR_ESK, ESK), mirrored_extraction(date(2023, 6, 1), "Kommunen skrev under", None)),
        (VC, page("https://viablecities.se/evcd", final_url="https://viablecities.se/en/evcd-2023"), event_page),
        (VC, page("https://viablecities.se/nyheter/"), None),  # listing page, not extracted
        (VC, page("https://viablecities.se/gone", status=None, body=b"", error="connection refused"), None),
    ]


def run_row(run_id: str = "20261127T021500Z-abcd", **changes) -> dict:
    row = {
        "run_id": run_id,
        "started_at": datetime(2026, 11, 27, 2, 15),
        "finished_at": datetime(2026, 11, 27, 2, 20),
        "status": "success",
        "pages_fetched": 5,
        "records": 4,
        "sources_failed": None,
        "message": None,
    }
    row.update(changes)
    return row
