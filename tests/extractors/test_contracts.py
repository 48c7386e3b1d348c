"""Contract documents: a PDF's text as blocks (running lines, contents, footnote marks, pages),
the contract's record, its sections as commitments and whose they are, and the facts in it.

The sample PDF is the one `samples/make_contract_pdfs.py` writes; the plain texts below are
contract pages in other words and layouts, as other PDF producers give them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractors.facts.contracts import party_of, read_contract, sections
from extractors.pdf import PdfUnreadable, pdf_text
from extractors.sites.pdf import extract
from extractors.text import page_from_text
from klimatkontrakt.core.model import Source

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "samples"))
from make_contract_pdfs import ESKILSTUNA_2023, contract_pdf  # noqa: E402

VC = Source(id="viablecities", extractor="viablecities", start_urls=("https://viablecities.se/",))
LUND = Source(id="lund", extractor="municipal", start_urls=("https://lund.se/",), municipality_code="1281")
URL = "https://viablecities.se/wp-content/uploads/2023/12/eskilstuna-klimatkontrakt-2023.pdf"


@pytest.fixture(scope="module")
def sample_text() -> str:
    return pdf_text(contract_pdf(ESKILSTUNA_2023))


def test_the_sample_pdf_reads_as_pages_of_lines(sample_text):
    pages = sample_text.split("\f")
    assert len(pages) == 4
    # the cover's two columns come out one after the other, not interleaved line by line
    assert "För kommunen\nEskilstuna kommun\nKommunstyrelsens ordförande\nFör myndigheterna" in pages[0]
    assert pages[2].startswith("Klimatkontrakt 2030 - Eskilstuna kommun")  # the running header


def test_blocks_drop_running_lines_contents_and_page_numbers(sample_text):
    page = page_from_text(URL, sample_text)
    texts = [b.text for b in page.blocks]
    assert not any(t.startswith("Klimatkontrakt 2030 - Eskilstuna") for t in texts)
    assert not any(t.rstrip().endswith((" 3", " 4")) and t[:1].isdigit() for t in texts)  # contents entries
    assert texts.count("3.1. Kommunens klimatmål") == 1
    assert "innovationsprogrammet Viable Cities." in " ".join(texts)  # "innovations-" + "programmet" joined
    goal = next(b for b in page.blocks if b.text.startswith("Eskilstuna kommun ska vara klimatneutral"))
    assert goal.page_no == 3 and "1990 års nivå. Kommunkoncernens" in goal.text  # the mark after the stop goes
    assert [b.tag for b in page.blocks if b.text.startswith("1 Enligt")] == ["footnote"]


def test_the_sample_contract_whole(sample_text):
    e = extract(URL, sample_text, VC)
    c = e.contract
    assert (c.contract, c.municipality_code, c.version_year, c.pages) == ("klimatkontrakt-2030", "0484", 2023, 4)
    assert c.parties == ("energimyndigheten", "formas", "naturvardsverket", "tillvaxtverket", "trafikverket",
                         "vinnova", "viable-cities")
    by_path = {s.section_path: s for s in e.commitments}
    assert list(by_path) == ["1", "2", "3", "3.1", "3.2", "3.3", "4", "4.1", "5", "5.1", "5.2", "6"]
    assert by_path["3.1"].party == "municipality" and by_path["3.1"].page == 3
    assert by_path["3.1"].text.startswith("Eskilstuna kommun ska vara klimatneutral senast 2030.")
    assert "Enligt den nationella" not in by_path["3.1"].text  # a footnote is no section text
    assert by_path["4.1"].party == "viable-cities" and by_path["5.2"].party == "agencies"
    assert by_path["5"].page == 4 and by_path["6"].party == "all"
    targets = {(t.kind, t.value, t.baseline_year, t.target_year) for t in e.targets}
    assert targets == {("climate-neutral", None, None, 2030), ("emissions-reduction", 70, 1990, 2025),
                       ("fossil-free", None, None, 2025)}
    assert all(t.municipality_code == "0484" for t in e.targets)  # the contract's municipality, on Viable Cities' site


# A contract as another producer lays it out: the version under the title in words, contents with
# dot leaders, a footer "Sida n av m", sections numbered without a final dot, an agency's own section.
OTHER_LAYOUT = "\f".join([
    "Klimatkontrakt 2030\n2024 års version\nMellan Lunds kommun och myndigheterna Energimyndigheten,\n"
    "Formas, Vinnova och Trafikverket samt Viable Cities.",
    "Innehållsförteckning\n1 Inledning ........ 2\n2 Lunds åtaganden ........ 2\n"
    "3 Trafikverkets åtaganden ........ 3\nSida 2 av 3",
    "Lunds kommun | Klimatkontrakt 2030\n1 Inledning\nKontraktet gäller för år 2025.\n"
    "2 Stadens åtaganden\nLund ska vara klimatneutralt 2030 och utsläppen ska minska med\n"
    "80 procent till 2030 jämfört med 1990.\nSida 3 av 3",
    "Lunds kommun | Klimatkontrakt 2030\n3 Trafikverkets åtaganden\nTrafikverket medverkar i kommunens\n"
    "planering av kollektivtrafik.\nSida 4 av 3",
])


def test_another_layout_reads_the_same_way():
    e = extract("https://lund.se/download/18.5a/1702/klimatkontrakt-2024.pdf", OTHER_LAYOUT, LUND)
    assert e.contract.municipality_code == "1281" and e.contract.version_year == 2024
    assert e.contract.parties == ("energimyndigheten", "formas", "vinnova", "trafikverket", "viable-cities")
    assert [(s.section_path, s.section_title, s.party, s.page) for s in e.commitments] == [
        ("1", "Inledning", "all", 3), ("2", "Stadens åtaganden", "municipality", 3),
        ("3", "Trafikverkets åtaganden", "trafikverket", 4)]
    assert "Lunds kommun | Klimatkontrakt 2030" not in " ".join(s.text for s in e.commitments)
    assert {(t.kind, t.value, t.target_year) for t in e.targets} == {("climate-neutral", None, 2030),
                                                                     ("emissions-reduction", 80, 2030)}


@pytest.mark.parametrize("cover", [
    "Klimatkontrakt Malmö\nEtt avtal mellan Malmö stad och företag i Malmö",  # a local contract with businesses
    "Årsredovisning 2023\nLunds kommun",
    "Klimatkontrakt 2030\nSå arbetar kommunen med kontraktet",  # about the contract, no parties
])
def test_a_document_that_is_no_contract_has_no_contract_record(cover):
    assert read_contract(cover, 1) is None


def test_an_eu_climate_city_contract_is_told_apart():
    c = read_contract("Climate City Contract\nKlimatkontrakt 2030 for the EU Mission\nBetween the City of "
                      "Gothenburg and the agencies of the Mission platform.", 30)
    assert c is not None and c.contract == "eu-climate-city-contract" and c.municipality_code == "1480"


@pytest.mark.parametrize("title, party", [
    ("Kommunens åtaganden", "municipality"),
    ("Myndigheternas åtaganden", "agencies"),
    ("Myndigheternas stöd till kommunen", "agencies"),  # the first party named is the title's
    ("Viable Cities åtaganden", "viable-cities"),
    ("Trafikverkets åtaganden", "trafikverket"),
    ("Gemensamt arbete kring uppföljning", "all"),
    ("The municipality's commitments", "municipality"),
])
def test_whose_a_section_is(title, party):
    assert party_of(title) == party


def test_a_section_without_text_is_no_commitment():
    page = page_from_text("u", "1. Bakgrund\n\n2. Mål\nKommunen ska vara fossilfri 2030.")
    assert [s.section_path for s in sections(page)] == ["2"]


def test_text_without_a_pdf_header_is_unreadable():
    with pytest.raises(PdfUnreadable, match="not a PDF"):
        pdf_text(b"<html>a page served as application/pdf</html>")
