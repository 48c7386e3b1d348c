"""Conflicting claims are surfaced, never silently resolved."""

import json
from datetime import date

from pipeline_helpers import ESK, MIRROR_ESK, MIRROR_VC, VC, page

from klimatkontrakt.assemble.conflicts import find_conflicts
from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core.model import Extraction, Membership, Signing, Source, Target


def two_pages(first: Extraction, second: Extraction):
    return [(VC, page(MIRROR_VC, VC), first), (ESK, page(MIRROR_ESK, ESK), second)]


def test_differing_contract_versions_of_one_signing_are_a_value_conflict():
    day = date(2023, 12, 8)
    first = Extraction(published_on=date(2023, 12, 8), signings=(
        Signing("klimatkontrakt-2030", "Eskilstuna signerade 2023 års version.", municipality_code="0484",
                signed_on=day, contract_version="2023 års version"),))
    second = Extraction(published_on=date(2023, 12, 9), signings=(
        Signing("klimatkontrakt-2030", "Eskilstuna signerade 2024 års version.", municipality_code="0484",
                signed_on=day, contract_version="2024 års version"),))
    tables = assemble(two_pages(first, second), "r1")
    (conflict,) = find_conflicts(tables).to_dict("records")
    assert conflict["kind"] == "value" and conflict["field"] == "contract_version"
    assert set(json.loads(conflict["claimed_values"])) == {"2023 års version", "2024 års version"}
    assert len(json.loads(conflict["document_ids"])) == 2
    assert conflict["chosen_value"] == tables["signings"]["contract_version"].iloc[0] == "2023 års version"


def test_one_signing_dated_differently_is_a_date_conflict():
    first = Extraction(signings=(Signing("klimatkontrakt-2030", "Den 11 december 2020 signerade Umeå.",
                                         municipality_code="2480", signed_on=date(2020, 12, 11)),))
    second = Extraction(signings=(Signing("klimatkontrakt-2030", "Den 8 december 2020 signerade Umeå.",
                                          municipality_code="2480", signed_on=date(2020, 12, 8)),))
    tables = assemble(two_pages(first, second), "r1")
    assert len(tables["signings"]) == 2  # both claims stay facts
    (conflict,) = find_conflicts(tables).to_dict("records")
    assert (conflict["kind"], conflict["field"]) == ("date", "signed_on")
    assert set(json.loads(conflict["claimed_values"])) == {"2020-12-11", "2020-12-08"}
    assert len(json.loads(conflict["fact_ids"])) == 2 and conflict["chosen_value"] is None


def test_joined_year_disagreement_and_agreement():
    says = lambda year: Extraction(memberships=(Membership("0123", "klimatneutrala-stader-2030",  # noqa: E731
                                                           f"Järfälla är med sedan {year}.", joined_year=year),))
    conflicts = find_conflicts(assemble(two_pages(says(2020), says(2019)), "r1"))
    assert conflicts["field"].tolist() == ["joined_year"]
    assert find_conflicts(assemble(two_pages(says(2020), says(2020)), "r1")).empty


def test_two_years_for_one_target_are_a_conflict_and_the_latest_statement_is_the_row():
    umea = Source(id="umea", extractor="municipal", start_urls=("https://www.umea.se/",), municipality_code="2480")

    def stating(url: str, published: date, year: int, status: str):
        extraction = Extraction(title="Klimatmål", published_on=published, targets=(
            Target("2480", "climate-neutral", f"Umeå ska vara klimatneutralt {year}.", target_year=year,
                   scope="geographic-area", status=status),))
        return (umea, page(url, umea), extraction)

    tables = assemble([stating("https://www.umea.se/forslag", date(2022, 10, 4), 2045, "proposed"),
                       stating("https://www.umea.se/klimatmal", date(2024, 3, 12), 2040, "adopted")], "r1")
    (target,) = tables["targets"].to_dict("records")
    assert (target["target_year"], target["status"], target["stated_on"]) == (2040, "adopted", date(2024, 3, 12))
    (conflict,) = tables["conflicts"].to_dict("records")
    assert (conflict["fact_table"], conflict["field"], conflict["chosen_value"]) == ("targets", "target_year", "2040")
    assert "latest published" in conflict["rule"]
    assert len(tables["claims"].query("fact_table == 'targets'")) == 2  # both statements kept
