"""A municipality that no sources entry names joins the initiative: its city page appears on
viablecities.se and its own news page announces the signing. One replayed run gives it a
membership, a crawled site and a signing, and its coverage says so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest
from test_nightly import run_cli

from klimatkontrakt.fetch.warc import ArchiveWriter

RECORDED = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
SITE = "https://www.alingsas.se"  # Alingsås (1489): reference/municipalities.csv has its website; no entry names it

PAGES = {
    "https://viablecities.se/satsningsstatus/pagaende/": """<html lang="sv"><head><title>Pågående satsningar - Viable Cities</title></head>
<body><main><h1>Pågående satsningar</h1><ul>
<li><a href="/projekt/klimatneutrala-alingsas-2030">Klimatneutrala Alingsås 2030</a></li></ul></main></body></html>""",
    "https://viablecities.se/projekt/klimatneutrala-alingsas-2030": """<html lang="sv"><head><title>Klimatneutrala Alingsås 2030 - Viable Cities</title>
<meta property="article:published_time" content="2024-05-02"></head><body><main><article>
<h1>Klimatneutrala Alingsås 2030</h1>
<p>Alingsås kommun gick med i Klimatneutrala städer 2030 den 2 april 2024 och arbetar med en ny klimatfärdplan.</p>
</article></main></body></html>""",
    f"{SITE}/robots.txt": "User-agent: *\nAllow: /\nSitemap: https://www.alingsas.se/sitemap.xml\n",
    f"{SITE}/sitemap.xml": """<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://www.alingsas.se/kultur/bibliotek/</loc><lastmod>2024-12-01</lastmod></url>
<url><loc>https://www.alingsas.se/bo-och-miljo/klimat/</loc><lastmod>2024-11-02</lastmod></url>
</urlset>""",
    f"{SITE}/": """<html lang="sv"><head><title>Alingsås kommun</title></head><body>
<nav><a href="/nyheter/">Nyheter</a> <a href="/kultur/bibliotek/">Bibliotek</a> <a href="/skola/">Skola</a></nav>
<main><h1>Välkommen till Alingsås kommun</h1></main></body></html>""",
    f"{SITE}/nyheter/": """<html lang="sv"><head><title>Nyheter - Alingsås kommun</title></head><body><main><h1>Nyheter</h1><ul>
<li><a href="/nyheter/alingsas-skriver-under-klimatkontrakt-2030/">Alingsås skriver under Klimatkontrakt 2030</a></li>
<li><a href="/nyheter/ny-lekplats-i-centrum/">Ny lekplats i centrum</a></li></ul></main></body></html>""",
    f"{SITE}/nyheter/alingsas-skriver-under-klimatkontrakt-2030/": """<html lang="sv"><head>
<title>Alingsås skriver under Klimatkontrakt 2030 - Alingsås kommun</title><meta name="date" content="2024-12-10"></head>
<body><main><article><h1>Alingsås skriver under Klimatkontrakt 2030</h1>
<p>Alingsås kommun skrev i dag, den 10 december 2024, under Klimatkontrakt 2030 tillsammans med Viable Cities och sex myndigheter.</p>
<p>Kontraktet beskriver hur kommunen ska arbeta mot klimatneutralitet till 2030.</p>
</article></main></body></html>""",
    f"{SITE}/bo-och-miljo/klimat/": """<html lang="sv"><head><title>Klimat - Alingsås kommun</title></head><body><main>
<h1>Klimat</h1><p>Alingsås är med i Klimatneutrala städer 2030. Läs mer om kommunens klimatarbete här.</p></main></body></html>""",
    f"{SITE}/nyheter/ny-lekplats-i-centrum/": "<html><body><p>En ny lekplats byggs.</p></body></html>",
    f"{SITE}/kultur/bibliotek/": "<html><body><p>Biblioteket har öppet.</p></body></html>",
}

SOURCES = """[[source]]
id = "viablecities"
extractor = "viablecities"
start_urls = ["https://viablecities.se/satsningsstatus/pagaende/"]
max_depth = 1
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("discovery")
    archive = work / "joined.warc.gz"
    with ArchiveWriter(archive) as writer:
        for url, body in PAGES.items():
            kind = "text/plain" if url.endswith(".txt") else "application/xml" if url.endswith(".xml") else "text/html; charset=utf-8"
            data = body.encode("utf-8")
            writer.record(url=url, method="GET", request_headers={"User-Agent": "test"}, status=200, reason="OK",
                          response_headers=[("Content-Type", kind), ("Content-Length", str(len(data)))], body=data,
                          fetched_at=RECORDED)
    (work / "sources.toml").write_text(SOURCES, encoding="utf-8")
    result = run_cli("run", "--replay", str(archive), "--sources", "sources.toml", "--db", "out/kk.duckdb", "--out", "out",
                     cwd=work)
    assert result.returncode == 0, result.stderr[-2000:]
    return work, result


def rows(work, sql: str) -> list[tuple]:
    with duckdb.connect(str(work / "out" / "kk.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_new_member_gets_a_membership_a_crawled_site_and_a_signing_in_one_run(run):
    work, result = run
    assert "found 1 municipality(ies) in the initiative that no source names (1489)" in result.stderr + result.stdout
    assert rows(work, "SELECT municipality_code, joined_on FROM memberships") == [("1489", date(2024, 4, 2))]
    crawled = {u for (u,) in rows(work, "SELECT url FROM fetches WHERE source_id = 'site-1489' AND status = 200")}
    assert f"{SITE}/nyheter/alingsas-skriver-under-klimatkontrakt-2030/" in crawled and f"{SITE}/bo-och-miljo/klimat/" in crawled
    # only pages on the topic: the library (in the sitemap) and the playground news item are never fetched
    assert not {f"{SITE}/kultur/bibliotek/", f"{SITE}/nyheter/ny-lekplats-i-centrum/"} & crawled
    signings = rows(work, "SELECT s.municipality_code, s.signed_on, d.final_url FROM signings s "
                          "JOIN documents d USING (document_id) WHERE s.municipality_code = '1489'")
    assert signings and signings[0][1].isoformat() == "2024-12-10" and signings[0][2].startswith(SITE)
    status, searched, mentioning = rows(work, "SELECT status, pages_searched, pages_mentioning FROM coverage "
                                              "WHERE municipality_code = '1489'")[0]
    assert status == "signatory" and searched >= 4 and mentioning >= 2


def test_the_home_page_leads_on_but_is_no_document(run):
    work, _ = run
    documents = {u for (u,) in rows(work, "SELECT final_url FROM documents WHERE source_id = 'site-1489'")}
    assert f"{SITE}/" not in documents  # mentions no keyword: it leads to the news listing, it is not read
    assert f"{SITE}/nyheter/alingsas-skriver-under-klimatkontrakt-2030/" in documents
