"""WARC archive written by a live crawl and replayed without the network; ReplayArchive
errors; decoding."""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timezone

import pytest
from fetch_helpers import FIXTURES, html, make_settings, make_source, warc_records
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from klimatkontrakt.core.errors import ConfigError
from klimatkontrakt.core.model import Source
from klimatkontrakt.fetch import (
    NOT_ARCHIVED,
    ArchiveWriter,
    LiveClient,
    ReplayArchive,
    ReplayClient,
    decode_html,
)
from klimatkontrakt.fetch.crawl import crawl

COMPARED = ("url", "final_url", "status", "content_type", "body", "text", "fetched_at", "error",
            "from_cache", "truncated", "source_id")


def _view(page):
    return {k: getattr(page, k) for k in COMPARED}


@pytest.fixture
def site(server):
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /hemligt\n", content_type="text/plain")
    server.expect_request("/").respond_with_response(Response(html(
        '<a href="/latin">latin</a> <a href="/flyttad">moved</a> <a href="/saknas">404</a>'
        '<a href="/hemligt/x">robots</a> <a href="/bild">bild</a> <a href="/stor">stor</a>'
        '<a href="/borta">away</a>'), content_type="text/html"))
    server.expect_request("/latin").respond_with_data(
        (FIXTURES / "win1252.html").read_bytes(), content_type="text/html")
    server.expect_request("/flyttad").respond_with_data("", status=301, headers={"Location": "/ny"})
    server.expect_request("/ny").respond_with_response(Response(html("ny sida"), content_type="text/html"))
    server.expect_request("/bild").respond_with_data(b"\x89PNG....", content_type="image/png")
    server.expect_request("/stor").respond_with_data(b"<html>" + b"a" * 5000, content_type="text/html")
    away = server.url_for("/x").replace("127.0.0.1", "localhost")
    server.expect_request("/borta").respond_with_data("", status=302, headers={"Location": away})
    return server


def test_live_crawl_then_replay_gives_identical_pages(site, tmp_path, caplog):
    path = tmp_path / "archive" / "run-1.warc.gz"
    source = make_source(site, max_depth=1)
    with ArchiveWriter(path) as archive, LiveClient(make_settings(max_bytes=4000), archive) as client:
        live = crawl(source, client)
    assert not path.with_name(path.name + ".partial").exists()
    assert {p.url: p.status for p in live.pages} == {
        site.url_for("/"): 200, site.url_for("/latin"): 200, site.url_for("/flyttad"): 200,
        site.url_for("/saknas"): 404, site.url_for("/hemligt/x"): None, site.url_for("/bild"): 200,
        site.url_for("/stor"): 200, site.url_for("/borta"): 302,
    }
    assert live.stats["skipped_robots"] == 1 and live.stats["truncated"] == 1

    with caplog.at_level(logging.DEBUG):
        replay_client = ReplayClient(ReplayArchive([path.parent]))  # a folder works too
        replayed = crawl(source, replay_client)
        missing = replay_client.get(site.url_for("/never"), source)
    assert [_view(p) for p in replayed.pages] == [_view(p) for p in live.pages]
    assert replayed.stats == live.stats
    assert replayed.relevant_urls == live.relevant_urls
    assert "Växjö" in next(p.text for p in replayed.pages if p.url.endswith("/latin"))
    assert (missing.status, missing.error, missing.text) == (404, NOT_ARCHIVED, None)
    assert any("not archived" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_replay_not_archived_counts_and_redirects(tmp_path):
    path = tmp_path / "hand.warc.gz"
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    with ArchiveWriter(path) as w:
        w.record("https://viablecities.se/gammal", "GET", {}, 301, "", [("Location", "/ny")], b"", now)
        w.record("https://viablecities.se/ny", "GET", {}, 500, "", [], b"first", now)
        w.record("https://viablecities.se/ny", "GET", {}, 200, "OK",
                 [("Content-Type", "text/html; charset=utf-8")],
                 html('<a href="/saknas">x</a>').encode(), now)
    source = Source(id="vc", extractor="viablecities", start_urls=("https://viablecities.se/gammal#top",))
    result = crawl(source, ReplayClient(ReplayArchive([path])))
    first, gone = result.pages
    assert (first.status, first.final_url, first.fetched_at) == (200, "https://viablecities.se/ny", now)
    assert (gone.status, gone.error) == (404, NOT_ARCHIVED)
    assert result.stats["not_archived"] == 1 and result.stats["fetched"] == 1


def test_archive_is_partial_until_closed(tmp_path):
    path = tmp_path / "run.warc.gz"
    writer = ArchiveWriter(path)
    writer.record("http://example.org/", "GET", {"User-Agent": "t"}, 200, "OK", [], b"x",
                  datetime.now(timezone.utc))
    assert not path.exists() and path.with_name("run.warc.gz.partial").exists()
    writer.close()
    writer.close()
    assert path.exists() and not path.with_name("run.warc.gz.partial").exists()
    kinds = [kind for kind, _, _ in warc_records(path)]
    assert kinds == ["warcinfo", "request", "response"]
    (resp,) = [info for kind, _, info in warc_records(path) if kind == "response"]
    assert resp["digest"].startswith("sha1:")


def test_archive_writer_is_thread_safe(tmp_path):
    path = tmp_path / "run.warc.gz"
    now = datetime.now(timezone.utc)
    with ArchiveWriter(path) as writer:
        def work(n):
            for i in range(25):
                writer.record(f"http://example.org/{n}/{i}", "GET", {}, 200, "OK",
                              [("Content-Type", "text/plain")], b"y" * 3000, now)
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(ReplayArchive([path])) == 100


def test_replay_archive_missing_and_truncated_files(tmp_path):
    with pytest.raises(ConfigError, match=r"replay archive .*nope.warc.gz does not exist"):
        ReplayArchive([tmp_path / "nope.warc.gz"])
    good = tmp_path / "good.warc.gz"
    with ArchiveWriter(good) as w:
        for i in range(5):
            w.record(f"http://example.org/{i}", "GET", {}, 200, "OK", [], b"z" * 2000,
                     datetime.now(timezone.utc))
    data = good.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ConfigError) as info:
        ReplayArchive([cut])
    message = str(info.value)
    assert message.startswith(f"replay archive {cut} is not a readable WARC file: ") and "\n" not in message
    plain = tmp_path / "cut.warc"
    import gzip
    raw = gzip.decompress(data)
    plain.write_bytes(raw[:-100])
    with pytest.raises(ConfigError, match="not a readable WARC file"):
        ReplayArchive([plain])
    junk = tmp_path / "junk.warc"
    junk.write_text("hello\n")
    with pytest.raises(ConfigError, match="not a readable WARC file"):
        ReplayArchive([junk])
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    with pytest.raises(ConfigError, match="holds no .warc"):
        ReplayArchive([empty_dir])


def test_an_archive_cut_anywhere_inside_a_record_is_refused(tmp_path):
    """Only the last records are checked for completeness; a cut must still be found wherever it
    falls: in a header, in a body, in the gzip trailer, a few bytes into the next record."""
    good = tmp_path / "good.warc.gz"
    with ArchiveWriter(good) as w:
        for i in range(4):
            w.record(f"http://example.org/{i}", "GET", {}, 200, "OK", [], os.urandom(3000),
                     datetime.now(timezone.utc))
    data = good.read_bytes()
    with open(good, "rb") as fh:
        it = ArchiveIterator(fh)
        starts = []
        for record in it:
            record.content_stream().read()
            starts.append(it.get_record_offset())
    ends = starts[1:] + [len(data)]
    cuts = sorted({c for start, end in zip(starts, ends) for c in (start + 5, (start + end) // 2, end - 4, end - 1)}
                  - set(ends))
    assert len(cuts) >= 12
    for n in cuts:
        cut = tmp_path / f"cut{n}.warc.gz"
        cut.write_bytes(data[:n])
        with pytest.raises(ConfigError, match="not a readable WARC file"):
            ReplayArchive([cut])
    assert len(ReplayArchive([good])) == 4
    whole_records = tmp_path / "three.warc.gz"  # a cut between records leaves a shorter, sound archive
    whole_records.write_bytes(data[: starts[-1]])  # up to the last response
    assert len(ReplayArchive([whole_records])) == 3


def test_last_record_wins_and_fragments_ignored(tmp_path):
    path = tmp_path / "run.warc"
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with ArchiveWriter(path) as w:
        w.record("http://example.org/p?q=1", "GET", {}, 200, "OK", [], b"first", now)
        w.record("http://example.org/p?q=1", "GET", {}, 200, "OK", [], b"second", now)
        w.record("http://example.org/p?q=2", "GET", {}, 200, "OK", [], b"other", now)
    archive = ReplayArchive([path])
    assert archive.lookup("http://EXAMPLE.org/p?q=1#frag").body == b"second"
    assert archive.lookup("http://example.org/p?q=2").body == b"other"
    assert archive.lookup("http://example.org/p") is None


@pytest.mark.parametrize("content_type, body", [
    ("text/html; charset=windows-1252", "win1252.html"),
    ("text/html; charset=iso-8859-1", "win1252.html"),
    ("text/html", "win1252-meta.html"),
    (None, "win1252.html"),
    ("text/html; charset=utf-8", "win1252.html"),  # a wrong label must not produce mojibake
])
def test_decode_html_swedish(content_type, body):
    text = decode_html((FIXTURES / body).read_bytes(), content_type)
    assert "Växjö" in text and "Örebro, Umeå" in text and "\ufffd" not in text


def test_decode_html_utf8_and_bom():
    assert decode_html("<p>Ärende</p>".encode(), "text/html; charset=utf-8") == "<p>Ärende</p>"
    assert decode_html(b"\xef\xbb\xbf<p>\xc3\xa5</p>", "text/html; charset=windows-1252") == "<p>å</p>"
    assert decode_html('<meta charset="utf-8"><p>ö</p>'.encode(), None) == '<meta charset="utf-8"><p>ö</p>'


def test_tasks_starting_together_share_one_replay_index(tmp_path, caplog):
    from klimatkontrakt.fetch.plan import FetchPlan, open_client

    path = tmp_path / "run.warc.gz"
    with ArchiveWriter(path) as writer:
        writer.record("http://example.org/", "GET", {}, 200, "OK", [], b"x", datetime.now(timezone.utc))
    plan = FetchPlan(run_id="r", settings=make_settings(), replay=(str(path),))
    clients, start = [], threading.Barrier(4)

    def task():
        start.wait()
        with open_client(plan, "part") as client:
            clients.append(client.archive)

    caplog.set_level(logging.INFO, logger="klimatkontrakt.fetch.warc")
    threads = [threading.Thread(target=task) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(clients) == 4 and all(c is clients[0] for c in clients)
    assert sum("replay archive:" in r.getMessage() for r in caplog.records) == 1
