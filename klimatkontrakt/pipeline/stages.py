"""Assemble, stage, load and publish: what a run does with its sources' results.

The run's tables go to Parquet files in a staging folder as soon as each is made (and
page_state one source at a time), so the run never holds all its tables, nor every page's
links, in memory; the database is built from them and a release published from the new file
before it is swapped in.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.leftovers import sweep
from klimatkontrakt.core.settings import Settings
from klimatkontrakt.pipeline.collect import SourceResult
from klimatkontrakt.release.publish import publish
from klimatkontrakt.store.crawl_log import write_run_fetches
from klimatkontrakt.store.load import (
    StagedTable,
    build_database,
    return_freed_memory,
    stage_table,
)
from klimatkontrakt.store.state import (
    PreviousState,
    extractor_version,
    kept_documents,
    page_state_frame_of,
    page_state_parts,
)

log = logging.getLogger(__name__)

STAGING_PREFIX = "klimatkontrakt-staging-"
STALE_STAGING_SECONDS = 3600  # staging folders of killed runs older than this are removed


def assemble_tables(results: list[SourceResult], run_id: str, previous: PreviousState | None = None,
                    validators: dict | None = None) -> dict[str, pd.DataFrame]:
    """The tables of this run as DataFrames: `assemble` over every page, plus `page_state`
    (incremental state for the next run). Pure apart from logging."""
    previous = previous or PreviousState()
    tables = _fact_tables(results, run_id, previous)
    tables["page_state"] = page_state_frame_of(_page_state_parts(results, previous, validators or {}))
    return tables


def stage_tables(results: list[SourceResult], run_id: str, previous: PreviousState | None = None,
                 validators: dict | None = None, staging: Path | None = None) -> dict[str, StagedTable]:
    """`assemble_tables`, each table written to a Parquet file in `staging` (a new temporary
    folder when None; `load_and_publish` removes it) as soon as it is made."""
    previous = previous or PreviousState()
    staging = Path(staging or tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{run_id}-"))
    staging.mkdir(parents=True, exist_ok=True)
    staged = {name: stage_table(name, [frame], staging / f"{name}.parquet")
              for name, frame in _fact_tables(results, run_id, previous).items()}
    staged["page_state"] = stage_table("page_state", _page_state_parts(results, previous, validators or {}),
                                       staging / "page_state.parquet")
    return staged


def load_and_publish(tables: dict, run: dict, db_path: Path, out_dir: Path, created: datetime,
                     allow_shrink: bool = False, force_release: bool = False) -> Path | None:
    """Build the new database, publish a release from it, and only then swap it in: a release
    gate that fails (validation, shrink) leaves the previous database and releases untouched.
    No release (None) when no published table changed since the latest, unless `force_release`;
    the database is swapped in all the same.
    `tables`: DataFrames or `StagedTable`s (whose staging folder is removed once loaded)."""
    run["records"] = sum(len(tables[t]) for t in sch.FACT_TABLES)
    return_freed_memory()  # what assembling needed, and the pages and extractions, are freed by now
    released: list[Path] = []

    def publish_from(staged: Path) -> None:
        released.append(publish(staged, out_dir, created=created, allow_shrink=allow_shrink,
                                only_if_changed=not force_release))

    try:
        write_run_fetches(tables["fetches"], out_dir / "runs" / f"{run['run_id']}.fetches.csv.gz")
    except OSError as exc:
        log.warning("could not write the run's fetch log: %s", exc)
    try:
        since = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=Settings().fetch_log_days)
        build_database(tables, db_path, [run], before_swap=publish_from, fetches_since=since)
    finally:
        for folder in {t.path.parent for t in tables.values() if isinstance(t, StagedTable)}:
            shutil.rmtree(folder, ignore_errors=True)
    return released[0]


def remove_stale_staging(folder: Path) -> None:
    """Remove the staging folders that killed runs left in `folder`; a folder younger than
    STALE_STAGING_SECONDS may belong to a run still going."""
    for path in sweep(folder, f"{STAGING_PREFIX}*", older_than=STALE_STAGING_SECONDS):
        log.info("removed %s, staged by an interrupted run", path)


def _fact_tables(results: list[SourceResult], run_id: str, previous: PreviousState) -> dict[str, pd.DataFrame]:
    rows = [
        (r.source, page, extraction)
        for r in results
        for page, extraction in zip(r.pages, r.extractions, strict=True)
    ]
    kept = kept_documents(previous, [(r.source.id, url) for r in results for url in sorted(r.reused)])
    return assemble(rows, run_id, kept_documents=kept)


def _page_state_parts(results: list[SourceResult], previous: PreviousState, validators: dict):
    """page_state in (source_id, url) order, one source at a time and a few hundred rows a part:
    the rows of this run's crawl of the source and its previous rows not answered this run; then
    those of sources no longer crawled."""
    crawled = {r.source.id: r for r in results if r.crawl is not None}
    previous_ids = {source_id for source_id, _ in previous.rows}
    versions = {r.source.id: extractor_version(r.source) for r in results}
    forget_before = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=Settings().page_state_days)
    for source_id in sorted(set(crawled) | previous_ids) or [None]:
        own = PreviousState(
            rows={key: row for key, row in previous.rows.items() if key[0] == source_id},
            usable={key for key in previous.usable if key[0] == source_id},
        )
        r = crawled.get(source_id)
        crawls = [(r.source, r.crawl, r.extractions)] if r is not None else []
        yield from page_state_parts(crawls, own, validators, versions, forget_before)
