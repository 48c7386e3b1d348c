"""Coverage: one row per municipality telling "has not signed" from "was never looked at", and
the map of it on the catalogue page (checked in headless Chromium)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from browser_helpers import ARGS, CHROMIUM, browser_or_skip, keep_screenshot
from pipeline_helpers import run_row

from klimatkontrakt.assemble.coverage import coverage_rows
from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.model import DISALLOWED, NOT_ARCHIVED
from klimatkontrakt.core.reference import site_host
from klimatkontrakt.release.map import COLOURS, coverage_map_svg
from klimatkontrakt.release.publish import publish
from klimatkontrakt.store.load import build_database


def tables(**given) -> dict[str, pd.DataFrame]:
    """Empty frames of every table the coverage reads, with the rows given."""
    out = {t: sch.sorted_frame(t, given.get(t, [])) for t in ("signings", "memberships", "documents", "fetches", *sch.FACT_TABLES)}
    return out


def fetch(url: str, status: int | None = 200, error: str | None = None, from_cache: bool = False) -> dict:
    return {"run_id": "r", "url": url, "final_url": url, "source_id": "s", "status": status, "bytes": 10,
            "elapsed_ms": 1, "from_cache": from_cache, "error": error, "fetched_at": datetime(2026, 12, 1)}


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {r["municipality_code"]: r for r in rows}


def test_every_municipality_has_a_row_and_its_strongest_status():
    t = tables(
        signings=[{"signing_id": "s1", "contract": "klimatkontrakt-2030", "municipality_code": "0484",
                   "signed_on": date(2022, 12, 8), "document_id": "d", "evidence": "e"},
                  {"signing_id": "s2", "contract": "klimatkontrakt-2030", "municipality_code": "0484",
                   "signed_on": date(2023, 12, 7), "document_id": "d", "evidence": "e"}],
        memberships=[{"membership_id": "m1", "municipality_code": "0484", "initiative_id": "klimatneutrala-stader-2030",
                      "document_id": "d", "evidence": "e"},
                     {"membership_id": "m2", "municipality_code": "2580", "initiative_id": "klimatneutrala-stader-2030",
                      "document_id": "d", "evidence": "e"}],
        documents=[{"document_id": "d1", "url": "https://www.kalmar.se/klimat", "final_url": "https://kalmar.se/klimat",
                    "source_id": "s", "fetched_at": datetime(2026, 12, 1), "status": 200, "extractor": "municipal"}],
        fetches=[fetch("https://kalmar.se/klimat"), fetch("https://www.arjeplog.se/"), fetch("https://www.arjeplog.se/nyheter"),
                 fetch("https://www.boden.se/", None, DISALLOWED), fetch("https://www.kiruna.se/", 503, "HTTP 503"),
                 fetch("https://www.pajala.se/", 404, NOT_ARCHIVED), fetch("https://www.gavle.se/", 304, None, True)],
    )
    rows = by_code(coverage_rows(t))
    assert len(rows) == len(reference.municipalities()) == 290
    eskilstuna = rows["0484"]
    assert (eskilstuna["status"], eskilstuna["first_signed_year"], eskilstuna["signings"], eskilstuna["memberships"]) == (
        "signatory", 2022, 2, 1)
    assert rows["2580"]["status"] == "member"
    assert (rows["0880"]["status"], rows["0880"]["pages_mentioning"], rows["0880"]["pages_searched"]) == ("mentions", 1, 1)
    assert (rows["2506"]["status"], rows["2506"]["pages_searched"]) == ("no-mention-found", 2)
    assert rows["2180"]["status"] == "no-mention-found"  # a 304 Not Modified is a page searched
    assert [rows[c]["reason"] for c in ("2582", "2584", "2521", "0114")] == [
        "robots.txt disallows the site", "every request failed (1), e.g. HTTP 503", "not in the replayed archive",
        "not crawled in this run"]
    assert all(rows[c]["status"] == "not-reached" for c in ("2582", "2584", "2521", "0114"))
    assert eskilstuna["reason"] is None


def test_a_subdomain_is_the_municipalitys_site_and_www_does_not_matter():
    assert site_host("https://www.eskilstuna.se/") == "eskilstuna.se"
    rows = by_code(coverage_rows(tables(fetches=[fetch("https://miljobarometern.eskilstuna.se/klimat")])))
    assert rows["0484"]["status"] == "no-mention-found"


def test_the_assembled_tables_have_coverage_in_the_schemas_columns():
    frame = assemble([], "20261208T000000Z-abcd")["coverage"]
    assert list(frame.columns) == sch.field_names("coverage") and len(frame) == 290
    assert set(frame["status"]) == {"not-reached"}


def test_the_map_draws_every_municipality_with_its_status_and_year():
    rows = [{"municipality_code": "0484", "status": "signatory", "first_signed_year": 2022},
            {"municipality_code": "2580", "status": "member", "first_signed_year": None}]
    svg = coverage_map_svg(reference.boundaries(), rows, {"0484": "Eskilstuna", "2580": "<b>Luleå</b>"})
    assert svg.count("<path ") == 290
    assert 'data-code="0484" data-status="signatory"' in svg and "<title>Eskilstuna: signatory, first signed 2022</title>" in svg
    assert "&lt;b&gt;Luleå&lt;/b&gt;: member</title>" in svg and "<b>" not in svg
    assert svg.count('data-status="not-reached"') == 288 and "Boundaries: SCB (CC0)" in svg
    assert len(svg) < 120_000  # simplified to what the page shows


@pytest.fixture
def release(tmp_path):
    from pipeline_helpers import sample_pages

    db = tmp_path / "kk.duckdb"
    build_database(assemble(sample_pages(), "20261208T021500Z-abcd"), db, [run_row()])
    out = tmp_path / "out"
    publish(db, out, created=datetime(2026, 12, 8, tzinfo=UTC))
    return out


def test_the_catalogue_map_in_headless_chromium(release, tmp_path):
    signed = {r["municipality_code"] for r in pd.read_csv(release / "packages" / "2026.12.08" / "data" / "coverage.csv",
                                                            dtype=str).to_dict("records") if r["status"] == "signatory"}
    assert signed  # the sample's signatories
    sync_api = browser_or_skip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1200, "height": 900})
            tab.goto((release / "site" / "index.html").as_uri())
            chart = tab.locator("#coverage svg.coverage-map")
            assert chart.is_visible() and chart.bounding_box()["height"] > 400
            assert tab.locator("#coverage svg path[data-code]").count() == 290
            fills = tab.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#coverage path[data-code]')]
                                    .map(p => [p.dataset.code, getComputedStyle(p).fill]))""")
            green = "rgb(27, 120, 55)"
            assert COLOURS["signatory"] == "#1b7837"
            assert {c for c, fill in fills.items() if fill == green} == signed
            # the map stands beside the timeline on a wide screen
            timeline, coverage = tab.locator("#timeline").bounding_box(), tab.locator("#coverage").bounding_box()
            assert coverage["x"] > timeline["x"] + timeline["width"] - 1 and abs(coverage["y"] - timeline["y"]) < 5
            title = tab.locator(f'#coverage path[data-code="{sorted(signed)[0]}"] title').text_content()
            assert ": signatory, first signed 20" in title
            keep_screenshot(tab, tmp_path, "coverage.png", "KK_SCREENSHOT_COVERAGE")
        finally:
            browser.close()
