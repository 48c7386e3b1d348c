"""PDFs in the crawl: followed like pages, read in a bounded child process, archived; a hostile
PDF (encrypted, malformed, image-only, a decompression bomb, nested objects, 100 MB) is one
recorded error and the crawl goes on, within seconds and bounded memory."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fetch_helpers import html, make_settings, make_source, warc_records
from werkzeug import Response

from extractors.pdf import PdfUnreadable
from klimatkontrakt.fetch import LiveClient
from klimatkontrakt.fetch.crawl import crawl
from klimatkontrakt.fetch.pdfs import read_pdf
from klimatkontrakt.fetch.warc import ArchiveWriter

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "samples"))
from make_contract_pdfs import ESKILSTUNA_2023, contract_pdf, hostile_pdfs  # noqa: E402

HOSTILE = hostile_pdfs()
EXPECTED_ERRORS = {
    "encrypted": "encrypted PDF",
    "malformed": "malformed PDF",
    "image-only": "no text layer",
    "bomb": "no text layer",  # pypdf stops decompressing at its limit; nothing readable is left
    "nested": "no text layer",
}


def _peak_of_reading_mb(names: list[str]) -> float:
    """The largest resident size (MB) of the children that read these PDFs, measured in a fresh
    process (this one's children include every server and browser the suite started)."""
    code = ("import resource, sys; sys.path.insert(0, 'samples'); from make_contract_pdfs import hostile_pdfs; "
            "from klimatkontrakt.fetch.pdfs import read_pdf, PdfUnreadable\n"
            f"for name in {names!r}:\n"
            "    try: read_pdf(hostile_pdfs()[name])\n"
            "    except PdfUnreadable: pass\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    return float(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_pdf_is_one_error_line_within_seconds(name):
    started = time.monotonic()
    with pytest.raises(PdfUnreadable, match=EXPECTED_ERRORS[name]) as caught:
        read_pdf(HOSTILE[name])
    assert "\n" not in str(caught.value)
    assert time.monotonic() - started < 15  # the child's CPU limit is 10 s; these take well under 1 s


def test_the_child_is_held_to_its_memory_limit():
    with pytest.raises(PdfUnreadable, match="memory limit|reader failed"):
        read_pdf(contract_pdf(ESKILSTUNA_2023), memory_mb=40)  # too little even to start Python with pypdf
    # the bomb decompresses to 200 MB: its reader stays far under the 384 MB it may use
    assert _peak_of_reading_mb(sorted(HOSTILE)) < 384


def _hundred_megabytes():
    yield b"%PDF-1.7\n"
    chunk = b"0" * (1 << 20)
    for _ in range(100):
        yield chunk


@pytest.fixture
def pdf_site(server):
    links = "".join(f'<a href="/files/{name}.pdf">{name}</a>' for name in [*HOSTILE, "huge", "kontrakt"])
    server.expect_request("/").respond_with_response(Response(html(f"Klimatkontrakt 2030 {links} <a href='/a'>a</a>"),
                                                              content_type="text/html; charset=utf-8"))
    server.expect_request("/a").respond_with_response(Response(html("klimatkontrakt"), content_type="text/html"))
    for name, body in HOSTILE.items():
        server.expect_request(f"/files/{name}.pdf").respond_with_data(body, content_type="application/pdf")
    server.expect_request("/files/huge.pdf").respond_with_response(
        Response(_hundred_megabytes(), content_type="application/pdf", direct_passthrough=True))
    # a contract served as octet-stream, as some municipal download servlets do
    server.expect_request("/files/kontrakt.pdf").respond_with_data(contract_pdf(ESKILSTUNA_2023),
                                                                   content_type="application/octet-stream")
    return server


def test_the_crawl_reads_pdfs_it_may_follow_and_records_the_hostile_ones(pdf_site, tmp_path):
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.monotonic()
    with ArchiveWriter(tmp_path / "a.warc.gz") as archive, LiveClient(make_settings(), archive) as client:
        result = crawl(make_source(pdf_site, keywords=("klimatkontrakt",)), client)
    took = time.monotonic() - started
    pages = {p.url.rsplit("/", 1)[-1]: p for p in result.pages}
    contract = pages["kontrakt.pdf"]
    assert contract.is_pdf and contract.error is None and "3.1. Kommunens klimatmål" in contract.text
    assert contract.url in result.relevant_urls and result.links[contract.url] == []
    for name, expected in EXPECTED_ERRORS.items():
        page = pages[f"{name}.pdf"]
        assert page.is_pdf and page.text is None and expected in page.error, name
        assert page.url not in result.relevant_urls
    huge = pages["huge.pdf"]
    assert huge.truncated and "larger than the size cap" in huge.error and huge.size == 20 * 1024 * 1024
    assert pages["a"].error is None  # the crawl went on past them
    assert result.stats["documents"] == 0  # every PDF link was fetched, none only listed
    archived = {uri for kind, uri, _ in warc_records(tmp_path / "a.warc.gz") if kind == "response"}
    assert {p.url for p in result.pages} <= archived  # the PDFs are archived as pages are
    assert took < 60
    # memory: the crawl holds one capped body (the 100 MB one cut at 20 MB); each PDF is read in a
    # child held to 384 MB (test_the_child_is_held_to_its_memory_limit)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before_rss < 200


def test_pdfs_false_lists_pdf_links_without_fetching_them(pdf_site):
    with LiveClient(make_settings(), None) as client:
        result = crawl(make_source(pdf_site, pdfs=False), client)
    assert not any(p.url.endswith(".pdf") for p in result.pages)
    assert len(result.documents) == len(HOSTILE) + 2


def test_a_contract_pdf_is_asked_for_conditionally_and_its_contract_survives_a_304(server, tmp_path):
    """Night one reads the PDF (ETag kept in page_state); night two asks with If-None-Match, gets
    304 and keeps the contract, its sections and targets from the first reading."""
    import duckdb
    from test_incremental import run_once

    body = contract_pdf(ESKILSTUNA_2023)
    asked = []

    def answer(request):
        asked.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"k1"':
            return Response(status=304, headers={"ETag": '"k1"'})
        return Response(body, content_type="application/pdf", headers={"ETag": '"k1"'})

    server.expect_request("/").respond_with_response(Response(
        html('Klimatkontrakt 2030 <a href="/files/kontrakt.pdf">Eskilstunas Klimatkontrakt 2030</a>'),
        content_type="text/html; charset=utf-8"))
    server.expect_request("/files/kontrakt.pdf").respond_with_handler(answer)
    source = make_source(server, extractor="municipal", municipality_code="0484", keywords=("klimatkontrakt",))
    db = tmp_path / "kk.duckdb"

    def tables():
        with duckdb.connect(str(db), read_only=True) as con:
            return [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("contracts", "commitments", "targets")]

    run_once([source], db, tmp_path / "1.warc.gz", "20261207T021500Z-aaaa")
    first = tables()
    assert len(first[0]) == 1 and len(first[1]) == 12 and len(first[2]) == 3
    stats = run_once([source], db, tmp_path / "2.warc.gz", "20261208T021500Z-bbbb")
    assert asked == [None, '"k1"'] and stats[source.id]["unchanged"] == 1
    assert tables() == first
