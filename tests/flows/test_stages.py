"""The assemble stage without Prefect: staged tables are the tables assembled in memory; staging
folders left by killed runs are removed once stale."""

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.config import load_sources
from klimatkontrakt.fetch.client import ReplayClient
from klimatkontrakt.fetch.warc import ReplayArchive
from klimatkontrakt.pipeline import stages
from klimatkontrakt.pipeline.collect import collect as collect_source
from klimatkontrakt.store.load import build_database
from klimatkontrakt.store.state import (
    extractor_version,
    page_state_frame,
    page_state_parts,
    read_state,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "klimatkontrakt-sample.warc.gz"
RUN1, RUN2 = "20261126T021500Z-aaaa", "20261127T021500Z-bbbb"


def collect(previous=None):
    sources = load_sources(REPO / "sources.toml")
    client = ReplayClient(ReplayArchive([SAMPLE]))
    return [collect_source(s, client, previous) for s in sources], dict(client.seen_validators)


def run_row(run_id):
    now = datetime.now(UTC).replace(tzinfo=None)
    return {"run_id": run_id, "started_at": now, "finished_at": now, "status": "success", "pages_fetched": 0,
            "records": 0, "sources_failed": None, "message": None}


def second_night(tmp_path):
    """The sample collected again with the state a first run left: (results, validators, previous, versions)."""
    results, validators = collect()
    db = tmp_path / "kk.duckdb"
    build_database(stages.assemble_tables(results, RUN1, None, validators), db, [run_row(RUN1)])
    versions = {r.source.id: extractor_version(r.source) for r in results}
    previous = read_state(db, versions)
    return *collect(previous), previous, versions


def test_staged_tables_are_the_assembled_tables_and_page_state_is_made_per_source(tmp_path):
    results, validators, previous, versions = second_night(tmp_path)
    assert any(r.reused for r in results)

    frames = stages.assemble_tables(results, RUN2, previous, validators)
    whole = page_state_frame([(r.source, r.crawl, r.extractions) for r in results if r.crawl is not None],
                             previous, validators, versions)
    pd.testing.assert_frame_equal(frames["page_state"], whole)

    staged = stages.stage_tables(results, RUN2, previous, validators, tmp_path / "staging")
    assert list(staged) == list(frames)
    for name, frame in frames.items():
        assert staged[name].path.parent == tmp_path / "staging" and len(staged[name]) == len(frame)
        pd.testing.assert_frame_equal(sch.to_frame(name, staged[name].read()), frame, obj=name)


def test_page_state_comes_in_parts_of_bounded_size_in_key_order(tmp_path):
    results, validators, previous, versions = second_night(tmp_path)
    crawls = [(r.source, r.crawl, r.extractions) for r in results if r.crawl is not None]
    whole = page_state_frame(crawls, previous, validators, versions)
    parts = list(page_state_parts(crawls, previous, validators, versions, rows_per_part=3))
    assert len(whole) > 6 and [len(p) for p in parts[:-1]] == [3] * (len(parts) - 1) and 1 <= len(parts[-1]) <= 3
    pd.testing.assert_frame_equal(sch.to_frame("page_state", pa.concat_tables(parts)), whole)
    assert whole["links"].dropna().map(lambda text: isinstance(json.loads(text), list)).all()


def test_staging_folders_of_killed_runs_are_removed_once_stale(tmp_path):
    old = tmp_path / f"{stages.STAGING_PREFIX}20261126T021500Z-aaaa"
    recent = tmp_path / f"{stages.STAGING_PREFIX}20261127T021500Z-bbbb"
    unrelated = tmp_path / "someone-else"
    for folder in (old, recent, unrelated):
        folder.mkdir()
        (folder / "claims.parquet").write_bytes(b"x")
    an_hour_and_more = time.time() - stages.STALE_STAGING_SECONDS - 60
    os.utime(old, (an_hour_and_more, an_hour_and_more))
    os.utime(unrelated, (an_hour_and_more, an_hour_and_more))
    stages.remove_stale_staging(tmp_path)
    assert not old.exists() and recent.exists() and unrelated.exists()
