"""Reading and extraction in worker processes give what the crawl's own thread gives, and a pool
whose worker died is replaced."""

from pathlib import Path

import pytest
from pipeline_helpers import run_row

from klimatkontrakt.core.config import load_sources
from klimatkontrakt.core.model import Source
from klimatkontrakt.fetch.client import ReplayClient
from klimatkontrakt.fetch.reading import LinkRule, ReadRequest
from klimatkontrakt.fetch.warc import ReplayArchive
from klimatkontrakt.pipeline.collect import collect
from klimatkontrakt.pipeline.stages import assemble_tables
from klimatkontrakt.runtime import workers
from klimatkontrakt.store.load import build_database
from klimatkontrakt.store.state import extractor_version, read_state

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "klimatkontrakt-sample.warc.gz"


@pytest.fixture
def pool():
    yield workers.extraction_pool(2)
    workers.close_extraction_pool()


def collect_sample(pool, previous=None):
    client = ReplayClient(ReplayArchive([SAMPLE]))
    return [collect(source, client, previous, pool) for source in load_sources(REPO / "sources.toml")]


def assert_same_crawls(in_thread, in_workers):
    for alone, pooled in zip(in_thread, in_workers, strict=True):
        assert pooled.extractions == alone.extractions, alone.source.id
        assert (pooled.stats, pooled.reused) == (alone.stats, alone.reused)
        assert [p.url for p in pooled.pages] == [p.url for p in alone.pages]
        for field in ("relevant_urls", "unchanged_urls", "text_hashes", "links", "depths", "documents"):
            assert getattr(pooled.crawl, field) == getattr(alone.crawl, field), field


def test_workers_read_and_extract_what_the_crawl_thread_does(pool, tmp_path):
    in_thread, in_workers = collect_sample(None), collect_sample(pool)
    assert sum(e is not None for r in in_workers for e in r.extractions) == 23  # 22 pages and a PDF
    assert_same_crawls(in_thread, in_workers)
    # the next night: unchanged pages reuse their previous extraction, in workers as in the thread
    db = tmp_path / "kk.duckdb"
    build_database(assemble_tables(in_thread, "20261126T021500Z-aaaa", None, {}), db, [run_row("20261126T021500Z-aaaa")])
    previous = read_state(db, {r.source.id: extractor_version(r.source) for r in in_thread})
    in_thread, in_workers = collect_sample(None, previous), collect_sample(pool, previous)
    assert sum(len(r.reused) for r in in_workers) == 23
    assert_same_crawls(in_thread, in_workers)


def test_no_pool_without_processes():
    assert workers.extraction_pool(0) is None


SOURCE = Source(id="x", extractor="municipal", start_urls=("https://www.umea.se/",))
PAGE = ("<html><body><h1>Klimatkontrakt</h1><p>Umeå kommun skrev under.</p>"
        "<a href='/b'>b</a><a href='https://elsewhere.se/'>c</a></body></html>")


def examine(pool, extractor="municipal", unless_sha256=None, keywords=("klimat",)):
    request = ReadRequest(PAGE, "https://www.umea.se/a", False, keywords, LinkRule.of(SOURCE))
    return pool.result(pool.submit(request, extractor, SOURCE, unless_sha256))


def test_a_worker_reads_and_extracts_a_relevant_page_unless_it_is_unchanged(pool):
    reading, extraction = examine(pool)
    assert reading.relevant and reading.links == ("https://www.umea.se/b",)
    assert extraction.title == "Klimatkontrakt"
    assert examine(pool, unless_sha256=reading.text_sha256) == (reading, None)
    assert examine(pool, keywords=("cykel",))[1] is None
    assert examine(pool, extractor=None) == (reading, None)


def test_what_an_extractor_raises_is_raised_by_result(pool):
    with pytest.raises(KeyError, match="unknown extractor"):
        examine(pool, extractor="no-such-extractor")
    assert examine(pool)[1].title == "Klimatkontrakt"


def test_a_pool_whose_worker_died_fails_in_one_line_and_is_replaced(pool):
    assert examine(pool)[1].title == "Klimatkontrakt"
    for worker in pool._workers:
        worker.process.kill()
    with pytest.raises(workers.WorkerDied, match="ended without answering"):
        examine(pool)
    replacement = workers.extraction_pool(2)
    assert replacement is not pool
    assert examine(replacement)[1].title == "Klimatkontrakt"
