"""crawl(): BFS order, link rules, keywords, sitemaps (index + gzip, unsafe XML refused)."""

from __future__ import annotations

import gzip

import pytest
from fetch_helpers import FIXTURES, html, make_settings, make_source
from werkzeug import Response

from klimatkontrakt.fetch import LiveClient
from klimatkontrakt.fetch.crawl import crawl
from klimatkontrakt.fetch.sitemaps import SitemapError, parse_sitemap


def page(body):
    return Response(html(body), content_type="text/html; charset=utf-8")


@pytest.fixture
def site(server):
    """A small municipal site: / -> /a, /b, a PDF, an external link; /a -> /a/deep; /b has no keyword."""
    server.expect_request("/").respond_with_response(page(
        '<a href="/a#top">A</a> <a href="b">B</a> <a href="/a">A again</a>'
        '<a href="/files/avtal.pdf">PDF</a> <a href="https://example.org/">ext</a>'
        '<a href="mailto:x@example.org">mail</a> <a href="/skip/me">skip</a>'))
    server.expect_request("/a").respond_with_response(page('Klimatkontrakt <a href="/a/deep">deep</a>'))
    server.expect_request("/b").respond_with_response(page('Inget här <a href="/b/child">child</a>'))
    server.expect_request("/a/deep").respond_with_response(page('KLIMATKONTRAKT <a href="/a/deeper">x</a>'))
    server.expect_request("/skip/me").respond_with_response(page("klimatkontrakt"))
    return server


def test_bfs_order_links_and_documents(site, settings):
    seen = []
    with LiveClient(settings, None) as client:
        result = crawl(make_source(site, max_depth=2, pdfs=False), client, on_page=seen.append)
    urls = [p.url for p in result.pages]
    assert urls == [site.url_for(p) for p in ("/", "/a", "/b", "/skip/me", "/a/deep", "/b/child")]
    assert seen == result.pages
    assert result.documents == [site.url_for("/files/avtal.pdf")]
    assert result.stats["fetched"] == 5 and result.stats["failed"] == 1  # /b/child is a 404
    assert result.stats["documents"] == 1 and result.stats["pages"] == 6
    assert result.depths[site.url_for("/a/deep")] == 2
    assert "/a/deeper" not in [r.path for r, _ in site.log]  # beyond max_depth
    assert "/files/avtal.pdf" not in [r.path for r, _ in site.log]


def test_keywords_mark_pages_and_stop_following(site, settings):
    with LiveClient(settings, None) as client:
        result = crawl(make_source(site, keywords=("klimatkontrakt",)), client)
    assert site.url_for("/b") not in result.relevant_urls
    assert site.url_for("/") in result.relevant_urls  # start URLs are always relevant
    assert {site.url_for("/a"), site.url_for("/a/deep")} <= result.relevant_urls
    assert "/b/child" not in [r.path for r, _ in site.log]
    assert result.stats["irrelevant"] == 1
    assert [p.url for p in result.relevant_pages()] == [site.url_for(p) for p in ("/", "/a", "/skip/me", "/a/deep")]


def test_url_patterns_and_max_pages(site, settings):
    with LiveClient(settings, None) as client:
        result = crawl(make_source(site, url_patterns=(r"/a(/|$)",)), client)
        capped = crawl(make_source(site, max_pages=2), client)
    assert [p.url for p in result.pages] == [site.url_for(p) for p in ("/", "/a", "/a/deep")]
    assert [p.url for p in capped.pages] == [site.url_for(p) for p in ("/", "/a")]


def test_allowed_prefixes_limit_the_crawl(site, settings):
    with LiveClient(settings, None) as client:
        result = crawl(make_source(site, allowed_prefixes=(site.url_for("/a"),)), client)
    assert [p.url for p in result.pages] == [site.url_for(p) for p in ("/", "/a", "/a/deep")]


def test_sitemap_index_with_gzipped_child(server, settings):
    prefix = server.url_for("").rstrip("/")
    index = (FIXTURES / "sitemap-index.xml").read_text().replace("PREFIX", prefix)
    child = gzip.compress((FIXTURES / "sitemap-news.xml").read_text().replace("PREFIX", prefix).encode())
    server.expect_request("/sitemap-index.xml").respond_with_data(index, content_type="application/xml")
    server.expect_request("/sitemap-news.xml.gz").respond_with_data(child, content_type="application/gzip")
    server.expect_request("/").respond_with_response(page("start"))
    for name in ("old", "new", "undated"):
        server.expect_request(f"/news/{name}").respond_with_response(page(name))
    source = make_source(server, sitemaps=(server.url_for("/sitemap-index.xml"),), max_depth=0)
    with LiveClient(settings, None) as client:
        result = crawl(source, client)
    # start URL first, then sitemap URLs newest first; other hosts and documents left out
    assert [p.url for p in result.pages] == [server.url_for(p) for p in ("/", "/news/new", "/news/old", "/news/undated")]
    assert all(p.status == 200 for p in result.pages)
    assert result.stats["sitemap_urls"] == 3 and result.stats["sitemap_errors"] == 0
    assert result.sitemap_lastmod[server.url_for("/news/old")] == "2021-03-01"


def test_billion_laughs_sitemap_is_refused_and_the_crawl_goes_on(server, settings):
    server.expect_request("/sitemap.xml").respond_with_data(
        (FIXTURES / "billion-laughs.xml").read_bytes(), content_type="application/xml")
    server.expect_request("/").respond_with_response(page("start"))
    source = make_source(server, sitemaps=(server.url_for("/sitemap.xml"),))
    with LiveClient(settings, None) as client:
        result = crawl(source, client)
    assert [p.url for p in result.pages] == [server.url_for("/")]
    assert result.stats["sitemap_errors"] == 1 and result.stats["fetched"] == 1
    with pytest.raises(SitemapError, match="unsafe XML refused"):
        parse_sitemap((FIXTURES / "billion-laughs.xml").read_bytes())


def test_parse_sitemap_rejects_junk_and_gzip_bombs():
    with pytest.raises(SitemapError, match="not well-formed"):
        parse_sitemap(b"<urlset><url>")
    with pytest.raises(SitemapError, match="not a sitemap"):
        parse_sitemap(b"<html></html>")
    bomb = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    with pytest.raises(SitemapError, match="larger than"):
        parse_sitemap(bomb, limit=1_000_000)


def test_robots_sitemap_lines_are_opt_in(server, settings):
    prefix = server.url_for("").rstrip("/")
    server.expect_request("/robots.txt").respond_with_data(
        f"User-agent: *\nAllow: /\nSitemap: {prefix}/sm.xml\n", content_type="text/plain")
    server.expect_request("/sm.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{prefix}/x</loc></url></urlset>',
        content_type="application/xml")
    server.expect_request("/").respond_with_response(page("start"))
    server.expect_request("/x").respond_with_response(page("x"))
    with LiveClient(settings, None) as client:
        plain = crawl(make_source(server), client)
        with_robots = crawl(make_source(server), client, use_robots_sitemaps=True)
    assert [p.url for p in plain.pages] == [server.url_for("/")]
    assert [p.url for p in with_robots.pages] == [server.url_for("/"), server.url_for("/x")]


def test_meta_robots_nofollow_is_honoured(server):
    server.expect_request("/").respond_with_response(page(
        '<meta name="robots" content="noindex, nofollow"><a href="/x">x</a>'))
    with LiveClient(make_settings(), None) as client:
        result = crawl(make_source(server), client)
    assert [p.url for p in result.pages] == [server.url_for("/")]


def read_later(page, request, previous):
    """A reader like the worker pool's: the page is read only when the crawl asks for its reading."""
    return request.read


def test_reading_ahead_crawls_what_reading_each_page_at_once_crawls(server, settings):
    # /x links to /new, the final URL of /old fetched after it: reading /x's links only after /old
    # was fetched must still enqueue /new, as when each page is read before the next is fetched
    server.expect_request("/").respond_with_response(page('klimat <a href="/x">x</a> <a href="/old">old</a>'))
    server.expect_request("/x").respond_with_response(page('klimat <a href="/new">new</a> <a href="/y">y</a>'))
    server.expect_request("/old").respond_with_response(Response(status=302, headers={"Location": "/new"}))
    server.expect_request("/new").respond_with_response(page('klimat <a href="/y">y</a>'))
    server.expect_request("/y").respond_with_response(page("inget"))
    source = make_source(server, max_depth=3, keywords=("klimat",))
    with LiveClient(settings, None) as client:
        at_once = crawl(source, client)
    with LiveClient(settings, None) as client:
        ahead = crawl(source, client, reader=read_later, window=5)
    assert [p.url for p in ahead.pages] == [p.url for p in at_once.pages]
    assert server.url_for("/new") in [p.url for p in ahead.pages]  # fetched twice: as /old and as /new
    for field in ("relevant_urls", "links", "text_hashes", "depths", "stats"):
        assert getattr(ahead, field) == getattr(at_once, field), field


def test_the_crawler_drill_page_gives_its_signing(server, settings):
    """The page of the issue "Read real Swedish prose": a municipal news page of 6 December 2024,
    crawled from a local server and read by the municipal extractor, gives its signing (it gave
    none before the document-level rules: the signer is not the subject, the year is the page's)."""
    from datetime import date

    from extractors import get_extractor

    server.expect_request("/nyheter/klimatkontrakt.5.1a2b3c.html").respond_with_response(Response(
        '<!doctype html><html lang="sv"><head><title>Vi förnyar klimatkontraktet</title>'
        '<meta property="article:published_time" content="2024-12-06T10:00:00+01:00"></head><body>'
        '<main><h1>Vi förnyar klimatkontraktet</h1><div class="sv-text-portlet-content"><p>Fredag den 6 december '
        'skrev kommunstyrelsens ordförande Nils Nilsson (S) under Klimatkontrakt 2030 under European Viable '
        'Cities Day.</p></div></main></body></html>', content_type="text/html; charset=utf-8"))
    source = make_source(server, "/nyheter/klimatkontrakt.5.1a2b3c.html", extractor="municipal",
                         municipality_code="1286")
    with LiveClient(settings, None) as client:
        [fetched] = crawl(source, client).pages
    extraction = get_extractor("municipal")(fetched.final_url, fetched.text, source)
    assert [(s.contract, s.municipality_code, s.signed_on, s.stated_as) for s in extraction.signings] == [
        ("klimatkontrakt-2030", "1286", date(2024, 12, 6), "reported")]
