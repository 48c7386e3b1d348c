"""discover_sitemaps: robots.txt `Sitemap:` lines first, else /sitemap.xml on the start host."""

from fetch_helpers import html, make_settings, make_source

from klimatkontrakt.fetch.client import LiveClient
from klimatkontrakt.fetch.crawl import crawl

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{}</loc><lastmod>2025-12-05</lastmod></url>
</urlset>"""


def serve_site(httpserver, robots: str) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    httpserver.expect_request("/").respond_with_data(html("<p>start, no links</p>"), content_type="text/html")
    httpserver.expect_request("/nyheter/klimatkontrakt").respond_with_data(html("<p>news</p>"), content_type="text/html")


def crawled(httpserver, **source) -> list[str]:
    with LiveClient(make_settings(), None) as client:
        result = crawl(make_source(httpserver, "/", **source), client)
    return [p.url for p in result.pages if p.status == 200]


def test_default_sitemap_location_when_robots_names_none(httpserver):
    serve_site(httpserver, "User-agent: *\nAllow: /\n")
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        SITEMAP.format(httpserver.url_for("/nyheter/klimatkontrakt")), content_type="application/xml")
    assert crawled(httpserver, discover_sitemaps=True) == [httpserver.url_for("/"), httpserver.url_for("/nyheter/klimatkontrakt")]


def test_robots_sitemap_line_wins(httpserver):
    serve_site(httpserver, f"User-agent: *\nAllow: /\nSitemap: {httpserver.url_for('/karta.xml')}\n")
    httpserver.expect_request("/karta.xml").respond_with_data(
        SITEMAP.format(httpserver.url_for("/nyheter/klimatkontrakt")), content_type="application/xml")
    assert httpserver.url_for("/nyheter/klimatkontrakt") in crawled(httpserver, discover_sitemaps=True)
    assert not any(req.path == "/sitemap.xml" for req, _ in httpserver.log)


def test_off_by_default(httpserver):
    serve_site(httpserver, "User-agent: *\nAllow: /\n")
    assert crawled(httpserver) == [httpserver.url_for("/")]
