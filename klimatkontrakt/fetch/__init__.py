"""The fetch stage: crawl sources over HTTP (archiving every attempt to WARC) or replay a
run from WARC files, producing `FetchedPage` records for the extract stage.

    with ArchiveWriter(path) as archive, LiveClient(settings, archive) as client:
        result = crawl(source, client)

    client = ReplayClient(ReplayArchive([path]))   # same output, no network
"""

from importlib import import_module

# name -> module: imported on first use, so a worker process that only reads pages
# (klimatkontrakt.fetch.reading) does not load the HTTP client, robots and WARC code
_EXPORTS = {
    "ArchiveWriter": "warc", "RecordedResponse": "warc", "ReplayArchive": "warc",
    "Client": "client", "LiveClient": "client", "ReplayClient": "client", "NOT_ARCHIVED": "client",
    "parse_retry_after": "politeness",
    "CrawlResult": "crawl",  # crawl() itself: from klimatkontrakt.fetch.crawl (the module shadows the name here)
    "decode_html": "decode",
    "DISALLOWED": "robots",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
