"""Helpers shared by the fetch-stage tests (a unique module name, importable from the tests)."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer
from warcio.archiveiterator import ArchiveIterator

from klimatkontrakt.core.model import Source
from klimatkontrakt.core.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def make_settings(**overrides) -> Settings:
    values = dict(delay_seconds=0, backoff_seconds=0.01, connect_timeout=2.0, read_timeout=2.0,
                  max_retries=2, retry_after_cap=2.0, allow_private=True, max_bytes=5_000_000)
    values.update(overrides)
    return Settings(_env_file=None, **values)


def make_source(server: HTTPServer, *paths: str, **overrides) -> Source:
    values = dict(id="test", extractor="generic",
                  start_urls=tuple(server.url_for(p) for p in (paths or ("/",))),
                  allowed_prefixes=(server.url_for("/"),), max_pages=50, max_depth=2)
    values.update(overrides)
    return Source(**values)


def html(body: str, title: str = "t") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


def warc_records(path: Path) -> list[tuple[str, str | None, dict]]:
    """(WARC-Type, target URI, info) for every record; info has status/error/truncated."""
    out = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            info = {}
            if rec.rec_type == "response":
                info["status"] = int(rec.http_headers.get_statuscode())
                info["truncated"] = rec.rec_headers.get_header("WARC-Truncated")
                info["digest"] = rec.rec_headers.get_header("WARC-Payload-Digest")
                info["date"] = rec.rec_headers.get_header("WARC-Date")
            elif rec.rec_type == "metadata":
                info["fields"] = rec.content_stream().read().decode()
            out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), info))
    return out
