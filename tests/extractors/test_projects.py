"""Project pages: the labelled field block, in Swedish and machine-translated English."""

from datetime import date
from pathlib import Path

from extractors import get_extractor
from extractors.facts.projects import is_project_page
from klimatkontrakt.core.model import Source

FIXTURES = Path(__file__).parent / "fixtures"
VC = Source(id="viablecities", extractor="viablecities", start_urls=("https://viablecities.se/",))


def extract(name: str, url: str):
    return get_extractor("viablecities")(url, (FIXTURES / name).read_text(encoding="utf-8"), VC)


def test_swedish_project_page_fields():
    (project,) = extract("vc-satsning-kalmar.html", "https://viablecities.se/satsningar/klimatneutrala-kalmar-2030/").projects
    assert project.name == "Klimatneutrala Kalmar 2030"
    assert project.municipality_code == "0880"
    assert project.project_manager == "Maria Ek"
    assert (project.total_budget_sek, project.grant_sek) == (7_412_000, 3_706_000)
    assert (project.starts_on, project.ends_on) == (date(2022, 1, 15), date(2024, 12, 31))
    assert project.partners == ("Kalmar kommun", "Linnéuniversitetet", "Kalmar Energi", "Kalmarhem AB")
    assert "Projektledare: Maria Ek" in project.evidence


def test_english_twin_with_currency_first_and_br_lines():
    (project,) = extract("vc-en-satsning-gavle.html",
                         "https://viablecities.se/en/satsningar/klimatneutrala-gavle-2030/").projects
    assert project.municipality_code == "2180"
    assert project.project_manager == "Olof Strand"
    assert (project.total_budget_sek, project.grant_sek) == (12_050_300, 6_025_150)
    assert project.starts_on == date(2021, 10, 1)
    assert project.partners == ("Gävle municipality", "University of Gävle", "Gävle Energi AB")


def test_pages_without_a_field_block_have_no_project():
    assert extract("vc-klimatkontrakt.html", "https://viablecities.se/klimatneutrala-stader-2030/klimatkontrakt/").projects == ()


def test_project_urls():
    assert is_project_page("https://viablecities.se/satsningar/klimatneutrala-boras-2030/")
    assert is_project_page("https://viablecities.se/projekt/klimatneutrala-boras")
    assert not is_project_page("https://viablecities.se/klimatneutrala-stader-2030/klimatkontrakt/")
