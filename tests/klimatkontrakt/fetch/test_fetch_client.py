"""LiveClient against a local server: retries, timeouts, size cap, redirects, robots.txt,
private addresses, conditional GET; every attempt archived."""

from __future__ import annotations

import email.utils
import logging
import threading
import time

from fetch_helpers import FIXTURES, html, make_settings, make_source, warc_records
from werkzeug import Request, Response

from klimatkontrakt.fetch import (
    DISALLOWED,
    ArchiveWriter,
    LiveClient,
    parse_retry_after,
)
from klimatkontrakt.fetch.crawl import crawl


class Script:
    """A handler that answers from a list of responses in turn (last one repeats) and logs
    the monotonic arrival time of every request."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.times: list[float] = []
        self.requests: list[dict] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.times.append(time.monotonic())
            self.requests.append(dict(request.headers))
            item = self.responses[min(len(self.times) - 1, len(self.responses) - 1)]
        return item if isinstance(item, Response) else item()


def ok(body="<p>hej</p>", **kw):
    return Response(html(body), content_type="text/html; charset=utf-8", **kw)


def test_500_then_200_is_retried_and_both_attempts_archived(server, settings, tmp_path):
    script = Script(Response("boom", status=500), ok("<p>efter fel</p>"))
    server.expect_request("/page").respond_with_handler(script)
    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as archive, LiveClient(settings, archive) as client:
        page = client.get(server.url_for("/page"), make_source(server))
    assert page.status == 200 and page.error is None
    assert "efter fel" in page.text
    assert len(script.times) == 2
    responses = [(uri, info["status"]) for kind, uri, info in warc_records(path) if kind == "response"]
    assert responses == [
        (server.url_for("/robots.txt"), 404),
        (server.url_for("/page"), 500),
        (server.url_for("/page"), 200),
    ]
    requests = [uri for kind, uri, _ in warc_records(path) if kind == "request"]
    assert len(requests) == 3


def test_persistent_503_gives_up_with_status_and_one_line_error(server, tmp_path):
    script = Script(Response("down", status=503))
    server.expect_request("/down").respond_with_handler(script)
    with LiveClient(make_settings(max_retries=2), None) as client:
        page = client.get(server.url_for("/down"), make_source(server))
    assert page.status == 503 and page.error == "HTTP 503 SERVICE UNAVAILABLE"
    assert page.text is None
    assert len(script.times) == 3  # first try + max_retries


def test_a_host_whose_pages_keep_failing_is_not_asked_again_in_the_run(server, caplog):
    links = "".join(f'<a href="/p{i}">{i}</a>' for i in range(1, 11))
    server.expect_request("/").respond_with_data(html(links), content_type="text/html")
    server.expect_request("/p2").respond_with_data(html("hej"), content_type="text/html")
    server.expect_request("/p3").respond_with_data("", status=404)  # an answer: the count starts again
    for i in (1, 4, 5, 6, 7, 8, 9, 10):
        server.expect_request(f"/p{i}").respond_with_data("busy", status=503)
    with caplog.at_level(logging.INFO), LiveClient(make_settings(max_retries=1, host_failures=3), None) as client:
        result = crawl(make_source(server), client)
    asked = [r.path for r, _ in server.log if r.path != "/robots.txt"]
    assert asked == ["/", "/p1", "/p1", "/p2", "/p3", "/p4", "/p4", "/p5", "/p5", "/p6", "/p6"]
    refused = [p for p in result.pages if p.url.endswith(("/p7", "/p8", "/p9", "/p10"))]
    assert len(refused) == 4 and all(p.status is None for p in refused)
    assert all(p.error.startswith(f"host {server.host} not asked again in this run: 3 pages in a row")
               for p in refused)
    assert sum("not asked again" in r.getMessage() for r in caplog.records) == 1  # said once, not per page
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_429_retry_after_seconds_is_honoured(server, tmp_path):
    script = Script(Response("slow down", status=429, headers={"Retry-After": "1"}), ok())
    server.expect_request("/limited").respond_with_handler(script)
    with LiveClient(make_settings(retry_after_cap=5), None) as client:
        page = client.get(server.url_for("/limited"), make_source(server))
    assert page.status == 200
    gap = script.times[1] - script.times[0]
    assert 0.95 <= gap < 3


def test_429_retry_after_http_date_is_honoured_and_capped(server):
    when = email.utils.formatdate(time.time() + 60, usegmt=True)
    script = Script(Response("slow down", status=429, headers={"Retry-After": when}), ok())
    server.expect_request("/limited").respond_with_handler(script)
    with LiveClient(make_settings(retry_after_cap=0.6), None) as client:
        page = client.get(server.url_for("/limited"), make_source(server))
    assert page.status == 200
    gap = script.times[1] - script.times[0]
    assert 0.55 <= gap < 3  # the date said 60 s, the cap says 0.6 s; backoff alone is 0.01 s


def test_parse_retry_after():
    now = 1_700_000_000.0
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == 30.0
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_read_that_stalls_times_out_and_is_archived(server, tmp_path):
    def stall(_request):
        time.sleep(1.5)
        return ok()

    def stall_mid_body(_request):
        def body():
            yield b"<html><body>start"
            time.sleep(1.5)
            yield b"end</body></html>"
        return Response(body(), content_type="text/html")

    server.expect_request("/stall").respond_with_handler(stall)
    server.expect_request("/stall-body").respond_with_handler(stall_mid_body)
    path = tmp_path / "run.warc.gz"
    settings = make_settings(read_timeout=0.2, max_retries=1)
    started = time.monotonic()
    with ArchiveWriter(path) as archive, LiveClient(settings, archive) as client:
        page = client.get(server.url_for("/stall"), make_source(server))
        page2 = client.get(server.url_for("/stall-body"), make_source(server))
    assert time.monotonic() - started < 2.5
    for p in (page, page2):
        assert p.status is None and p.text is None
        assert p.error.startswith("timeout") and "\n" not in p.error
    failures = [uri for kind, uri, info in warc_records(path)
                if kind == "metadata" and "fetch-error: timeout" in info["fields"]]
    assert failures == [server.url_for("/stall")] * 2 + [server.url_for("/stall-body")] * 2


def test_20_mb_body_is_cut_at_the_cap(server, tmp_path):
    sent = []

    def big(_request):
        def body():
            for _ in range(20):
                sent.append(1)
                yield b"x" * (1024 * 1024)
        return Response(body(), content_type="application/octet-stream",
                        headers={"Content-Length": str(20 * 1024 * 1024)})

    server.expect_request("/big").respond_with_handler(big)
    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as archive, LiveClient(make_settings(max_bytes=1_000_000), archive) as client:
        page = client.get(server.url_for("/big"), make_source(server))
    assert page.status == 200 and page.truncated and page.text is None
    assert len(page.body) == 1_000_000
    (response,) = [info for kind, uri, info in warc_records(path) if kind == "response" and uri.endswith("/big")]
    assert response["truncated"] == "length"


def test_redirects_followed_loops_and_foreign_hosts_refused(server, settings, tmp_path):
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new#frag"})
    server.expect_request("/new").respond_with_data(html("ny"), content_type="text/html")
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    elsewhere = server.url_for("/x").replace("127.0.0.1", "localhost")
    server.expect_request("/away").respond_with_data("", status=302, headers={"Location": elsewhere})
    for i in range(12):
        server.expect_request(f"/hop{i}").respond_with_data("", status=307, headers={"Location": f"/hop{i + 1}"})
    path = tmp_path / "run.warc.gz"
    source = make_source(server)
    with ArchiveWriter(path) as archive, LiveClient(settings, archive) as client:
        moved = client.get(server.url_for("/old"), source)
        loop = client.get(server.url_for("/a"), source)
        away = client.get(server.url_for("/away"), source)
        chain = client.get(server.url_for("/hop0"), source)
    assert (moved.status, moved.final_url, moved.error) == (200, server.url_for("/new"), None)
    assert moved.url == server.url_for("/old") and "ny" in moved.text
    assert loop.status == 302 and loop.error == f"redirect loop at {server.url_for('/a')}"
    assert away.status == 302 and away.error == "redirect to disallowed host localhost"
    assert chain.error == "too many redirects (more than 10)"
    paths = [r.path for r, _ in server.log]
    assert "/x" not in paths
    assert paths.count("/a") == 1 and paths.count("/b") == 1
    archived = {uri for kind, uri, _ in warc_records(path) if kind == "response"}
    assert {server.url_for("/old"), server.url_for("/new"), server.url_for("/away")} <= archived


def test_robots_disallow_and_crawl_delay_in_a_crawl(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\n", content_type="text/plain")
    script = Script(ok('<a href="/one">1</a> <a href="/private/secret">x</a> <a href="/two">2</a>'))
    server.expect_request("/").respond_with_handler(script)
    server.expect_request("/one").respond_with_handler(script)
    server.expect_request("/two").respond_with_handler(script)
    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as archive, LiveClient(make_settings(), archive) as client:
        result = crawl(make_source(server, max_depth=1), client)
    assert [p.url for p in result.pages] == [server.url_for(p) for p in ("/", "/one", "/private/secret", "/two")]
    assert result.stats["skipped_robots"] == 1 and result.stats["fetched"] == 3
    refused = result.pages[2]
    assert refused.status is None and refused.error == DISALLOWED
    assert "/private/secret" not in [r.path for r, _ in server.log]
    gaps = [b - a for a, b in zip(script.times, script.times[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.29
    metadata = [(uri, info["fields"]) for kind, uri, info in warc_records(path) if kind == "metadata"]
    assert metadata == [(server.url_for("/private/secret"),
                         "fetch-error: disallowed by robots.txt\r\nrequest-sent: no\r\n")]


def test_robots_5xx_means_stay_away_without_crashing(server, caplog):
    server.expect_request("/robots.txt").respond_with_data("oops", status=503)
    server.expect_request("/").respond_with_data(html("hej"), content_type="text/html")
    with caplog.at_level(logging.INFO), LiveClient(make_settings(max_retries=1), None) as client:
        result = crawl(make_source(server), client)
    (page,) = result.pages
    assert page.status is None and page.error.startswith(DISALLOWED)
    assert "robots.txt unreachable: HTTP 503" in page.error
    assert result.stats["skipped_robots"] == 1
    assert "/" not in [r.path for r, _ in server.log]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_host_kept_away_by_its_robots_txt_is_said_once_not_per_page(server, caplog):
    server.expect_request("/robots.txt").respond_with_data("oops", status=503)
    paths = ("/", "/a", "/b", "/c")
    with caplog.at_level(logging.INFO), LiveClient(make_settings(max_retries=0), None) as client:
        result = crawl(make_source(server, *paths), client)
    assert [p.error.startswith(DISALLOWED) for p in result.pages] == [True] * len(paths)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "not crawling this host in this run" in warnings[0]


def test_robots_fetched_once_per_host(server, settings):
    robots = Script(Response("User-agent: *\nAllow: /\n", content_type="text/plain"))
    server.expect_request("/robots.txt").respond_with_handler(robots)
    server.expect_request("/p").respond_with_data(html("p"), content_type="text/html")
    with LiveClient(settings, None) as client:
        for _ in range(3):
            assert client.get(server.url_for("/p"), make_source(server)).status == 200
    assert len(robots.times) == 1


def test_windows_1252_page_decoded_with_swedish_letters(server, settings):
    raw = (FIXTURES / "win1252.html").read_bytes()
    server.expect_request("/latin1").respond_with_data(raw, content_type="text/html; charset=ISO-8859-1")
    server.expect_request("/nocharset").respond_with_data(raw, content_type="text/html")
    server.expect_request("/meta").respond_with_data((FIXTURES / "win1252-meta.html").read_bytes(),
                                                      content_type="text/html")
    with LiveClient(settings, None) as client:
        pages = [client.get(server.url_for(p), make_source(server)) for p in ("/latin1", "/nocharset", "/meta")]
    for page in pages:
        assert "Klimatkontrakt för Växjö" in page.text
        assert "Örebro, Umeå och Malmö" in page.text
        assert "årsdagen" in page.text and "\ufffd" not in page.text


def test_etag_and_304_on_second_fetch(server, settings, tmp_path):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(html("första"), content_type="text/html",
                        headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    server.expect_request("/").respond_with_handler(handler)
    source = make_source(server)
    with LiveClient(settings, None) as first:
        page = first.get(server.url_for("/"), source)
    assert page.status == 200 and not page.from_cache
    validators = first.seen_validators
    assert validators == {server.url_for("/"): ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")}
    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as archive, LiveClient(settings, archive, validators=validators) as second:
        result = crawl(source, second)
    (again,) = result.pages
    assert (again.status, again.from_cache, again.text, again.error) == (304, True, None, None)
    assert result.stats["unchanged"] == 1 and result.stats["fetched"] == 0
    request_headers = server.log[-1][0].headers
    assert request_headers["If-None-Match"] == '"v1"'
    assert request_headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert [info["status"] for kind, uri, info in warc_records(path) if uri == server.url_for("/") and kind == "response"] == [304]


def test_loopback_refused_unless_allow_private(server, tmp_path):
    server.expect_request("/").respond_with_data(html("hej"), content_type="text/html")
    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as archive, LiveClient(make_settings(allow_private=False), archive) as client:
        result = crawl(make_source(server), client)
    (page,) = result.pages
    assert page.status is None and page.error.startswith("refused: host 127.0.0.1 resolves to non-public")
    assert "\n" not in page.error and result.stats["failed"] == 1
    assert server.log == []
    assert [kind for kind, _, _ in warc_records(path)] == ["warcinfo", "metadata"]
    with LiveClient(make_settings(allow_private=True), None) as client:
        assert client.get(server.url_for("/"), make_source(server)).status == 200


def test_user_agent_and_non_html(server, settings):
    server.expect_request("/doc.pdf").respond_with_data(b"%PDF-1.4 ...", content_type="application/pdf")
    untyped = Response(b"  <html><body>utan typ</body></html>")
    del untyped.headers["Content-Type"]
    server.expect_request("/sniff").respond_with_response(untyped)
    with LiveClient(settings, None) as client:
        pdf = client.get(server.url_for("/doc.pdf"), make_source(server))
        sniffed = client.get(server.url_for("/sniff"), make_source(server))
        bad = client.get("ftp://127.0.0.1/x", make_source(server))
    assert pdf.status == 200 and pdf.text is None and pdf.body.startswith(b"%PDF")
    assert pdf.content_type == "application/pdf"
    assert sniffed.content_type is None and "utan typ" in sniffed.text
    assert bad.status is None and bad.error.startswith("unsupported URL scheme")
    ua = server.log[-1][0].headers["User-Agent"]
    assert ua == settings.effective_user_agent and ua.startswith("klimatkontrakt/")


def test_connection_refused_is_retried_and_archived(tmp_path, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    from klimatkontrakt.core.model import Source

    source = Source(id="t", extractor="generic", start_urls=(url,))
    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as archive, LiveClient(make_settings(max_retries=1), archive) as client:
        page = client.get(url, source)
    assert page.status is None and page.error == "connection error: [Errno 111] Connection refused"
    kinds = [(kind, uri) for kind, uri, _ in warc_records(path)]
    # robots.txt is tried first (1 + max_retries attempts, each archived); with the host down
    # the page is not tried again, but its failure is archived too
    assert kinds.count(("request", f"http://127.0.0.1:{port}/robots.txt")) == 2
    assert kinds.count(("metadata", f"http://127.0.0.1:{port}/robots.txt")) == 2
    assert kinds.count(("metadata", url)) == 1


def test_host_limiter_paces_each_host_but_not_across_hosts():
    from klimatkontrakt.fetch.politeness import HostLimiter

    limiter = HostLimiter()
    times: dict[str, list[float]] = {"a": [], "b": []}

    def work(host):
        for _ in range(3):
            limiter.wait(host, 0.2)
            times[host].append(time.monotonic())

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(h,)) for h in ("a", "b", "a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    a = sorted(times["a"])
    assert min(y - x for x, y in zip(a, a[1:], strict=False)) >= 0.19  # two threads on one host still spaced
    assert time.monotonic() - started < 1.4  # host b did not wait for host a (6 x 0.2 s)
    assert times["b"][-1] - started < 0.6


def test_get_never_raises(server, tmp_path):
    server.expect_request("/").respond_with_data(html("x"), content_type="text/html")
    archive = ArchiveWriter(tmp_path / "run.warc.gz")
    archive.close()  # writing now fails inside get()
    with LiveClient(make_settings(), archive) as client:
        page = client.get(server.url_for("/"), make_source(server))
    assert page.status is None and page.error.startswith("internal error: ValueError")
