"""Incremental crawling: conditional requests, unchanged pages not extracted again, state kept in
DuckDB only; and a replay of a live run's own archive giving the same tables.

The flow's logic is exercised through its plain parts (`collect`, `assemble_tables`,
`build_database`) so that no Prefect server starts; the site is a local 127.0.0.1 server
serving extractor fixtures, with ETags and 304s (or without validators at all).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from fetch_helpers import make_settings
from werkzeug import Request, Response

import klimatkontrakt.pipeline.collect as collecting
import klimatkontrakt.pipeline.stages as stages
from klimatkontrakt.core.model import Source
from klimatkontrakt.fetch.client import LiveClient, ReplayClient
from klimatkontrakt.fetch.reading import normalised_text, text_sha256
from klimatkontrakt.fetch.warc import ArchiveWriter, ReplayArchive
from klimatkontrakt.store.load import build_database
from klimatkontrakt.store.state import PreviousState, extractor_version, read_state

FIXTURES = Path(__file__).resolve().parents[2] / "extractors" / "fixtures"
PAGES = {
    "/klimatkontrakt/": "vc-klimatkontrakt.html",
    "/evcd-2021/": "vc-evcd-2021.html",
    "/nyheter/2020/": "vc-news-2020.html",
    "/en/klimatkontrakt/": "vc-en-klimatkontrakt.html",
}
COMPARED = ("documents", "claims", "signings", "events", "roles", "memberships")


class Site:
    """A small site on the test server: an index linking to fixture pages; ETag/304 optional."""

    def __init__(self, server, *, etags: bool = True):
        self.server = server
        self.etags = etags
        self.pages = {path: (FIXTURES / name).read_text(encoding="utf-8") for path, name in PAGES.items()}
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in PAGES)
        self.pages["/"] = (f"<!doctype html><html lang=sv><head><title>Klimatkontrakt</title></head>"
                           f"<body><h1>Klimatkontrakt 2030</h1><ul>{links}</ul></body></html>")
        for path in self.pages:
            server.expect_request(path).respond_with_handler(lambda request, path=path: self.respond(path, request))

    def respond(self, path: str, request: Request) -> Response:
        body = self.pages[path].encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.etags and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if self.etags:
            headers["ETag"] = etag
        return Response(body, status=200, headers=headers)

    def source(self) -> Source:
        return Source(id="vc", extractor="viablecities", start_urls=(self.server.url_for("/"),),
                      allowed_prefixes=(self.server.url_for("/"),), max_pages=50, max_depth=2)

    def page_log(self) -> list[tuple[str, int, int, str | None]]:
        """(path, status, body bytes, If-None-Match) of every request for a page of the site
        (robots.txt and the fixtures' links to pages that do not exist here left out)."""
        return [(req.path, res.status_code, len(res.get_data()), req.headers.get("If-None-Match"))
                for req, res in self.server.log if req.path in self.pages]


class CountingExtractors:
    """Wraps get_extractor so a test can see which pages were extracted."""

    def __init__(self, monkeypatch):
        self.urls: list[str] = []
        real = collecting.get_extractor

        def get_extractor(name):
            extractor = real(name)

            def counted(url, html, source):
                self.urls.append(url)
                return extractor(url, html, source)
            return counted

        monkeypatch.setattr(collecting, "get_extractor", get_extractor)


def run_once(sources: list[Source], db_path: Path, archive_path: Path, run_id: str) -> dict:
    """One run as the flow makes it (read state, crawl with validators, collect, load), without Prefect."""
    versions = {s.id: extractor_version(s) for s in sources}
    previous = read_state(db_path, versions)
    with ArchiveWriter(archive_path) as archive:
        client = LiveClient(make_settings(), archive, validators=previous.validators)
        results = [collecting.collect(s, client, previous) for s in sources]
    started = datetime.now(UTC).replace(tzinfo=None)
    run = {"run_id": run_id, "started_at": started, "finished_at": started, "status": "success",
           "pages_fetched": sum(len(r.pages) for r in results), "records": 0, "sources_failed": None,
           "message": None}
    tables = stages.assemble_tables(results, run_id, previous, dict(client.seen_validators))
    build_database(tables, db_path, [run])
    return {r.source.id: r.stats for r in results}


def snapshot(db: Path, tables=COMPARED) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}


def page_state(db: Path) -> dict[str, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute("SELECT * FROM page_state")
        names = [d[0] for d in cursor.description]
        return {row[names.index("url")]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


# ---- normalised text -------------------------------------------------------------------

def test_markup_noise_does_not_change_the_text_hash():
    page = ('<html lang="sv"><head><title>T</title><meta name="csrf-token" content="{n}">'
            '<script>var nonce="{n}"; var t={t};</script><style>.a{{color:red}}</style></head>'
            '<body class="{n}"><!-- built {t} --><h1 data-x="{n}">Eskilstuna  signerar</h1>\n'
            '<p>Klimatkontrakt   2030.</p><noscript>{n}</noscript></body></html>')
    a = page.format(n="abc123", t=1700000000)
    b = page.format(n="zz9", t=1800000000).replace("<p>", '<p  id="new">\n  ')
    assert text_sha256(a) == text_sha256(b)
    assert normalised_text(a) == "lang=sv T Eskilstuna signerar Klimatkontrakt 2030."
    assert text_sha256(a) != text_sha256(a.replace("Eskilstuna", "Västerås"))


def test_metadata_the_extractors_read_counts_as_text():
    page = ('<html><head><meta property="article:published_time" content="{d}"></head>'
            '<body><p>Samma text</p><time datetime="{d}">igår</time></body></html>')
    assert text_sha256(page.format(d="2023-12-08")) != text_sha256(page.format(d="2024-12-06"))


def test_read_state_tolerates_a_missing_database_and_a_missing_table(tmp_path):
    assert read_state(tmp_path / "none.duckdb").validators == {}
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE documents (document_id VARCHAR)")
    state = read_state(db)
    assert state.validators == {} and state.known("vc") == {} and state.extractions == {}


# ---- incremental runs against a local site ---------------------------------------------

def test_second_run_of_an_unchanged_site_downloads_nothing_and_keeps_the_tables(server, tmp_path, monkeypatch):
    site = Site(server)
    extracted = CountingExtractors(monkeypatch)
    db = tmp_path / "day1" / "kk.duckdb"
    stats1 = run_once([site.source()], db, tmp_path / "day1.warc.gz", "run-1")
    assert len(extracted.urls) == len(site.pages)
    assert all(status == 200 and size > 0 and inm is None for _, status, size, inm in site.page_log())
    first = snapshot(db)
    assert first["signings"] and first["claims"]
    state1 = page_state(db)
    assert set(state1) == {server.url_for(p) for p in site.pages}
    assert all(row["etag"] and row["text_sha256"] for row in state1.values())

    # A fresh runner: a new output folder that has nothing but yesterday's database.
    day2 = tmp_path / "day2" / "kk.duckdb"
    day2.parent.mkdir()
    shutil.copy(db, day2)
    server.clear_log()
    extracted.urls.clear()
    stats2 = run_once([site.source()], day2, tmp_path / "day2.warc.gz", "run-2")

    log = site.page_log()
    assert len(log) == len(site.pages)
    assert all(status == 304 and size == 0 and inm for _, status, size, inm in log), log
    assert extracted.urls == []
    assert stats2["vc"]["unchanged"] == len(site.pages) and stats2["vc"]["fetched"] == 0
    assert stats2["vc"]["reused"] == stats1["vc"]["documents"] == len(site.pages)
    assert snapshot(day2) == first
    state2 = page_state(day2)
    for url, row in state2.items():
        assert row["last_status"] == 304
        assert row["links"] == state1[url]["links"]
        assert row["last_changed_at"] == state1[url]["last_changed_at"]
        assert row["first_seen_at"] == state1[url]["first_seen_at"]
        assert row["etag"] == state1[url]["etag"]


def test_changed_markup_with_the_same_text_is_unchanged(server, tmp_path, monkeypatch):
    site = Site(server)  # ETags change with every byte, so the second run gets full bodies
    extracted = CountingExtractors(monkeypatch)
    db = tmp_path / "kk.duckdb"
    run_once([site.source()], db, tmp_path / "1.warc.gz", "run-1")
    first = snapshot(db)
    for path, html in list(site.pages.items()):
        site.pages[path] = html.replace("<head>", '<head><script>window.nonce="f00d%s";</script>' % len(path), 1) \
            .replace("<body", '<body data-build="20261127"', 1).replace("</body>", "<!-- 2026-11-27T03:15 --></body>")
    server.clear_log()
    extracted.urls.clear()
    stats = run_once([site.source()], db, tmp_path / "2.warc.gz", "run-2")
    assert all(status == 200 and size > 0 for _, status, size, _ in site.page_log())
    assert extracted.urls == []
    assert stats["vc"]["same_text"] == len(site.pages) and stats["vc"]["reused"] == len(site.pages)
    assert snapshot(db) == first  # documents keep the sha256 of the body their facts came from


def test_a_page_whose_text_changes_is_extracted_again(server, tmp_path, monkeypatch):
    site = Site(server, etags=False)  # no validators at all: the text hash decides
    extracted = CountingExtractors(monkeypatch)
    db = tmp_path / "kk.duckdb"
    run_once([site.source()], db, tmp_path / "1.warc.gz", "run-1")
    before = page_state(db)
    changed = server.url_for("/nyheter/2020/")
    site.pages["/nyheter/2020/"] = site.pages["/nyheter/2020/"].replace("</p>", " Ny mening om Klimatkontrakt 2030.</p>", 1)
    extracted.urls.clear()
    stats = run_once([site.source()], db, tmp_path / "2.warc.gz", "run-2")
    assert extracted.urls == [changed]
    assert stats["vc"]["reused"] == len(site.pages) - 1
    after = page_state(db)
    assert after[changed]["text_sha256"] != before[changed]["text_sha256"]
    assert after[changed]["last_changed_at"] >= before[changed]["last_changed_at"]
    assert after[changed]["last_changed_at"] == after[changed]["last_fetched_at"]


def first_night(server, tmp_path, monkeypatch, failing: str | None = None):
    """Run 1 over the whole site; after it, the page at `failing` answers answer["status"] (503 to
    begin with). Returns the site, the database, run 1's stats, the tables after run 1 and answer."""
    site = Site(server, etags=False)
    db = tmp_path / "kk.duckdb"
    monkeypatch.setattr(stages, "Settings", lambda: make_settings())
    stats = run_once([site.source()], db, tmp_path / "1.warc.gz", "run-1")["vc"]
    answer = {"status": 503}
    site.respond = lambda path, request, ok=site.respond: (
        Response("", status=answer["status"]) if path == failing else ok(path, request))
    return site, db, stats, snapshot(db), answer


def test_a_page_that_fails_for_now_keeps_its_facts(server, tmp_path, monkeypatch):
    site, db, _, before, answer = first_night(server, tmp_path, monkeypatch, failing="/nyheter/2020/")
    run_once([site.source()], db, tmp_path / "2.warc.gz", "run-2")
    assert snapshot(db) == before  # the 503 page's document and facts are still there

    answer["status"] = 404  # gone for good: its facts go too
    run_once([site.source()], db, tmp_path / "3.warc.gz", "run-3")
    assert len(snapshot(db)["documents"]) == len(before["documents"]) - 1


def test_an_index_page_that_fails_for_now_still_leads_to_its_pages(server, tmp_path, monkeypatch):
    site, db, first, before, answer = first_night(server, tmp_path, monkeypatch, failing="/")
    state_before = page_state(db)
    server.clear_log()
    stats = run_once([site.source()], db, tmp_path / "2.warc.gz", "run-2")["vc"]
    fetched = {path for path, status, _, _ in site.page_log() if status == 200}
    assert fetched == set(PAGES)  # followed from the links the index had last time, and fetched anew
    assert stats["failed"] == first["failed"] + 1  # the index, and the links to nowhere as before
    assert stats["same_text"] == len(PAGES)  # each page read anew and found as it was
    assert snapshot(db) == before
    assert page_state(db)[server.url_for("/")]["links"] == state_before[server.url_for("/")]["links"]

    answer["status"] = 404  # the index is gone for good: what it led to is not looked for
    server.clear_log()
    run_once([site.source()], db, tmp_path / "3.warc.gz", "run-3")
    assert {path for path, _, _, _ in site.page_log()} == {"/"}


def test_a_site_down_for_the_night_keeps_all_its_facts(server, tmp_path, monkeypatch):
    site, db, _, before, _ = first_night(server, tmp_path, monkeypatch)
    server.clear_all_handlers()
    server.expect_request("/robots.txt").respond_with_data("", status=503)  # RFC 9309: do not crawl now
    server.clear_log()
    stats = run_once([site.source()], db, tmp_path / "2.warc.gz", "run-2")["vc"]
    assert [request.path for request, _ in server.log] == ["/robots.txt"] * 3  # asked, retried; no page
    assert stats["reused"] == len(PAGES) + 1  # the index, and the pages it led to last time
    assert snapshot(db) == before


def test_a_new_extractor_version_fetches_and_extracts_everything_again(server, tmp_path, monkeypatch):
    site = Site(server)
    extracted = CountingExtractors(monkeypatch)
    db = tmp_path / "kk.duckdb"
    run_once([site.source()], db, tmp_path / "1.warc.gz", "run-1")
    monkeypatch.setattr(stages, "extractor_version", lambda source: "0123456789abcdef")
    monkeypatch.setattr("klimatkontrakt.store.state.extractor_version", lambda source: "0123456789abcdef")
    server.clear_log()
    extracted.urls.clear()

    def run_with_new_version():
        previous = read_state(db, {"vc": "0123456789abcdef"})
        assert previous.validators == {} and previous.known("vc") == {}
        with ArchiveWriter(tmp_path / "2.warc.gz") as archive:
            client = LiveClient(make_settings(), archive, validators=previous.validators)
            return collecting.collect(site.source(), client, previous)

    result = run_with_new_version()
    assert result.reused == set() and len(extracted.urls) == len(site.pages)
    assert all(status == 200 and inm is None for _, status, _, inm in site.page_log())


# ---- replay ----------------------------------------------------------------------------

def test_a_run_replayed_from_its_own_archive_gives_the_same_tables(server, tmp_path):
    site = Site(server)
    source = site.source()
    archive_path = tmp_path / "live.warc.gz"
    with ArchiveWriter(archive_path) as archive:
        live_client = LiveClient(make_settings(), archive)
        live = [collecting.collect(source, live_client)]
    live_tables = stages.assemble_tables(live, "live", PreviousState(), dict(live_client.seen_validators))

    server.clear()  # nothing answers any more: the replay must not touch the network
    replay_client = ReplayClient(ReplayArchive([archive_path]))
    replayed = [collecting.collect(source, replay_client)]
    replay_tables = stages.assemble_tables(replayed, "replay", PreviousState(),
                                            dict(replay_client.seen_validators))

    assert set(live_tables) == set(replay_tables)
    run_specific = {"fetches": ["run_id", "elapsed_ms"]}
    for name, frame in live_tables.items():
        drop = run_specific.get(name, [])
        assert frame.drop(columns=drop).equals(replay_tables[name].drop(columns=drop)), name
    assert len(live_tables["documents"]) == len(site.pages)
    assert len(live_tables["signings"]) > 0
    assert live_tables["page_state"]["etag"].notna().all()


@pytest.mark.parametrize("with_state", [False, True])
def test_replay_sends_no_validators_and_reuses_unchanged_text(server, tmp_path, monkeypatch, with_state):
    site = Site(server)
    db = tmp_path / "kk.duckdb"
    run_once([site.source()], db, tmp_path / "1.warc.gz", "run-1")
    extracted = CountingExtractors(monkeypatch)
    previous = read_state(db, {"vc": extractor_version(site.source())}) if with_state else None
    result = collecting.collect(site.source(), ReplayClient(ReplayArchive([tmp_path / "1.warc.gz"])), previous)
    ours = [p for p in result.pages if urlsplit(p.url).path in site.pages]
    assert len(ours) == len(site.pages) and all(p.status == 200 for p in ours)
    assert len(extracted.urls) == (0 if with_state else len(site.pages))


def test_page_state_is_in_the_database_but_not_in_the_package():
    from klimatkontrakt.core import schema as sch

    assert "page_state" in sch.database_table_names()
    assert not sch.is_published("page_state") and "page_state" not in sch.published_table_names()
    assert all(f.get("description") for f in sch.fields("page_state"))


def test_page_state_forgets_pages_not_answered_for_the_retention_period():
    from klimatkontrakt.core import schema as sch
    from klimatkontrakt.store.state import page_state_frame

    def row(url: str, fetched: datetime) -> dict:
        return {**{name: None for name in sch.field_names("page_state")}, "source_id": "s", "url": url,
                "final_url": url, "relevant": True, "extractor_version": "v", "last_status": 200,
                "first_seen_at": fetched, "last_fetched_at": fetched, "last_changed_at": fetched}

    previous = PreviousState(rows={("s", u): row(u, d) for u, d in (
        ("https://a.se/old", datetime(2026, 1, 2)), ("https://a.se/recent", datetime(2026, 11, 1)))})
    kept = page_state_frame([], previous, {}, {}, forget_before=datetime(2026, 6, 1))
    assert kept["url"].tolist() == ["https://a.se/recent"]
    assert page_state_frame([], previous, {}, {})["url"].tolist() == ["https://a.se/old", "https://a.se/recent"]
