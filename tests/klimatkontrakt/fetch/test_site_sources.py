"""A municipality's website watched by its generated source, against local servers that misbehave:
a 50,000-URL sitemap, a sitemap bomb, robots.txt forbidding everything, a site that is gone, a home
page that moved to another domain. Each is recorded and bounded; the crawl goes on."""

from __future__ import annotations

import gzip
import socket

from fetch_helpers import html, make_settings
from werkzeug import Response

from klimatkontrakt.core.config import SiteTemplate
from klimatkontrakt.core.model import DISALLOWED
from klimatkontrakt.core.reference import Municipality
from klimatkontrakt.fetch.client import LiveClient
from klimatkontrakt.fetch.crawl import crawl
from klimatkontrakt.pipeline.discover import site_source

ARTICLE = html("<h1>Kommunen skriver under Klimatkontrakt 2030</h1><p>Kommunen skrev under klimatkontraktet.</p>")


def watched(url: str, **template):
    return site_source(Municipality("1489", "Alingsås", "14", "Västra Götalands län", url), SiteTemplate(**template))


def sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2024-0{1 + i % 9}-01</lastmod></url>" for i, u in enumerate(urls))
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()


def test_a_sitemap_of_50000_urls_costs_the_budget_and_no_more(server):
    base = server.url_for("/")
    urls = [f"{base}sida/{i}" for i in range(49_800)] + [f"{base}klimat/artikel-{i}" for i in range(200)]
    server.expect_request("/robots.txt").respond_with_data(f"User-agent: *\nSitemap: {base}sitemap.xml\n")
    server.expect_request("/sitemap.xml").respond_with_data(sitemap(urls), content_type="application/xml")
    server.expect_request("/").respond_with_data(html("<a href='/nyheter/'>Nyheter</a>"), content_type="text/html")
    for i in range(200):
        server.expect_request(f"/klimat/artikel-{i}").respond_with_data(ARTICLE, content_type="text/html")
    source = watched(base, max_pages=12)
    with LiveClient(make_settings(), None) as client:
        result = crawl(source, client)
    assert len(result.pages) == 12 and all("/sida/" not in p.url for p in result.pages)
    assert result.stats["sitemap_urls"] <= 1000  # the sitemap is read up to ten budgets' worth of URLs
    assert len(result.relevant_pages()) == 11  # the topic pages; the home page mentions nothing and only leads on


def test_a_sitemap_bomb_is_refused_and_the_home_page_still_read(server):
    base = server.url_for("/")
    bomb = gzip.compress(b"<" * (80 * 1024 * 1024), compresslevel=9)  # 80 MB of nothing in a few hundred kB
    server.expect_request("/robots.txt").respond_with_data(f"User-agent: *\nSitemap: {base}sitemap.xml.gz\n")
    server.expect_request("/sitemap.xml.gz").respond_with_data(bomb, content_type="application/gzip")
    server.expect_request("/").respond_with_data(html("<p>Klimatkontrakt 2030</p><a href='/nyheter/'>Nyheter</a>"),
                                                 content_type="text/html")
    server.expect_request("/nyheter/").respond_with_data(html("<p>Inga nyheter</p>"), content_type="text/html")
    with LiveClient(make_settings(), None) as client:
        result = crawl(watched(base), client)
    assert result.stats["sitemap_errors"] == 1 and result.stats["sitemap_urls"] == 0
    assert [p.status for p in result.pages] == [200, 200]  # the home page, then its news listing


def test_robots_forbidding_the_site_is_recorded_for_each_page(server):
    base = server.url_for("/")
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
    with LiveClient(make_settings(), None) as client:
        result = crawl(watched(base), client)
    assert [(p.status, p.error.startswith(DISALLOWED)) for p in result.pages] == [(None, True)]
    assert result.stats["skipped_robots"] == 1


def test_a_site_that_is_gone_is_recorded_not_fatal():
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with LiveClient(make_settings(max_retries=0, connect_timeout=0.5), None) as client:
        result = crawl(watched(f"http://127.0.0.1:{port}/"), client)
    assert len(result.pages) == 1 and result.pages[0].status is None and result.pages[0].error
    assert result.stats["failed"] == 1


def test_a_home_page_that_moved_to_another_domain_is_followed_no_further(server):
    server.expect_request("/").respond_with_response(Response(status=301, headers={"Location": "http://127.0.0.2:9/"}))
    with LiveClient(make_settings(max_retries=0, connect_timeout=0.5), None) as client:
        result = crawl(watched(server.url_for("/")), client)
    assert len(result.pages) == 1 and not result.relevant_pages()
    page = result.pages[0]
    assert page.error or page.final_url.startswith("http://127.0.0.2")


def test_many_sites_are_crawled_side_by_side_each_with_its_own_client_and_archive_part(server, tmp_path):
    import threading
    import time

    from klimatkontrakt.fetch.plan import FetchPlan, join_archive
    from klimatkontrakt.pipeline.collect import collect_many

    lock, in_flight, most = threading.Lock(), [0], [0]

    def slow(request):  # each answer waits a little, so crawls side by side overlap on the server
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.3)
        with lock:
            in_flight[0] -= 1
        return Response(ARTICLE, content_type="text/html")

    for site in ("a", "b", "c"):
        server.expect_request(f"/{site}/klimat/").respond_with_handler(slow)
    groups = [[site_source(Municipality(code, name, "14", "", server.url_for(f"/{site}/klimat/")), SiteTemplate())]
              for code, name, site in (("1489", "Alingsås", "a"), ("1440", "Ale", "b"), ("1490", "Borås", "c"))]
    plan = FetchPlan("r", make_settings(), archive_dir=str(tmp_path))
    results, _ = collect_many(groups, plan)
    assert [r.source.id for r in results] == ["site-1489", "site-1440", "site-1490"]
    assert all(r.stats["fetched"] == 1 and r.stats["documents"] == 1 for r in results)
    assert most[0] >= 2  # the sites were asked at the same time, not one after the other
    assert len(list(plan.parts_dir.glob("*.warc.gz"))) == 3 and join_archive(plan).is_file()
