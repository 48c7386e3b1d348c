"""The fetch stage: crawl sources over HTTP (archiving every attempt to WARC) or replay a
run from WARC files, producing `FetchedPage` records for the extract stage.

    with ArchiveWriter(path) as archive, LiveClient(settings, archive) as client:
        result = crawl(source, client)

    client = ReplayClient(ReplayArchive([path]))   # same output, no network
"""

from klimatkontrakt.fetch.client import Client, LiveClient, ReplayClient, NOT_ARCHIVED, parse_retry_after
from klimatkontrakt.fetch.crawl import CrawlResult, crawl
from klimatkontrakt.fetch.decode import decode_html
from klimatkontrakt.fetch.robots import DISALLOWED
from klimatkontrakt.fetch.warc import ArchiveWriter, RecordedResponse, ReplayArchive

__all__ = [
    "ArchiveWriter",
    "Client",
    "CrawlResult",
    "DISALLOWED",
    "LiveClient",
    "NOT_ARCHIVED",
    "RecordedResponse",
    "ReplayArchive",
    "ReplayClient",
    "crawl",
    "decode_html",
    "parse_retry_after",
]
