"""Extraction in worker processes gives what extraction in the crawl's thread gives, and a pool
whose worker died is replaced."""

from pathlib import Path

import pytest

from flows import nightly
from klimatkontrakt import workers
from klimatkontrakt.config import load_sources
from klimatkontrakt.fetch.client import ReplayClient
from klimatkontrakt.fetch.warc import ReplayArchive
from klimatkontrakt.model import Source

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "klimatkontrakt-sample.warc.gz"


@pytest.fixture
def pool():
    yield workers.extraction_pool(2)
    workers.close_extraction_pool()


def collect_sample(pool):
    client = ReplayClient(ReplayArchive([SAMPLE]))
    return [nightly.collect(source, client, None, pool) for source in load_sources(REPO / "sources.toml")]


def test_workers_extract_what_the_crawl_thread_extracts(pool):
    in_thread, in_workers = collect_sample(None), collect_sample(pool)
    assert sum(e is not None for r in in_workers for e in r.extractions) == 20
    for alone, pooled in zip(in_thread, in_workers, strict=True):
        assert pooled.extractions == alone.extractions, alone.source.id
        assert pooled.stats == alone.stats
        assert [p.url for p in pooled.pages] == [p.url for p in alone.pages]


def test_no_pool_without_processes():
    assert workers.extraction_pool(0) is None


SOURCE = Source(id="x", extractor="municipal", start_urls=("https://www.umea.se/",))
PAGE = "<html><body><h1>Klimatkontrakt</h1><p>Umeå kommun skrev under.</p></body></html>"


def test_what_an_extractor_raises_is_raised_by_result(pool):
    ticket = pool.submit("no-such-extractor", "https://www.umea.se/a", PAGE, SOURCE)
    with pytest.raises(KeyError, match="unknown extractor"):
        pool.result(ticket)
    assert pool.result(pool.submit("municipal", "https://www.umea.se/a", PAGE, SOURCE)).title == "Klimatkontrakt"


def test_a_pool_whose_worker_died_fails_in_one_line_and_is_replaced(pool):
    assert pool.result(pool.submit("municipal", "https://www.umea.se/a", PAGE, SOURCE)).title == "Klimatkontrakt"
    for worker in pool._workers:
        worker.process.kill()
    with pytest.raises(workers.WorkerDied, match="ended without answering"):
        pool.result(pool.submit("municipal", "https://www.umea.se/a", PAGE, SOURCE))
    replacement = workers.extraction_pool(2)
    assert replacement is not pool
    assert replacement.result(replacement.submit("municipal", "https://www.umea.se/a", PAGE, SOURCE)).title == "Klimatkontrakt"
