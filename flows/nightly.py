"""The nightly pipeline as a Prefect flow: orchestration only, the work lives in the stages.

Tasks are coarse on purpose (one per source for crawl+extract, one per later stage): the local
Prefect API costs 10-80 ms per task run and degrades after a few thousand, so a task per page
would cost more than the work.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from extractors import extractor_name, get_extractor
from flows.reporting import notify_failure, summary_markdown
from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.config import load_sources
from klimatkontrakt.core.errors import (
    ConfigError,
    KlimatkontraktError,
    ReleaseGateFailed,
    RunFailed,
)
from klimatkontrakt.core.model import Extraction, FetchedPage, Source
from klimatkontrakt.core.settings import Settings
from klimatkontrakt.fetch.client import NOT_ARCHIVED
from klimatkontrakt.fetch.crawl import CrawlResult, KnownPage, crawl, failed_for_now
from klimatkontrakt.fetch.plan import FetchPlan, host_groups, join_archive, open_client
from klimatkontrakt.fetch.reading import PageReading, ReadRequest
from klimatkontrakt.release.publish import publish
from klimatkontrakt.runtime.workers import (
    ExtractionPool,
    close_extraction_pool,
    extraction_pool,
)
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
    read_state,
)

log = logging.getLogger("flows.nightly")

STAGING_PREFIX = "klimatkontrakt-staging-"
STALE_STAGING_SECONDS = 3600  # staging folders of killed runs older than this are removed

OFFLINE_HINT = "try the offline demo: klimatkontrakt run --replay samples/klimatkontrakt-sample.warc.gz"


@dataclass
class SourceResult:
    source: Source
    pages: list[FetchedPage]
    extractions: list[Extraction | None]
    stats: dict = field(default_factory=dict)
    failure: str | None = None  # one line when the source yielded nothing usable
    crawl: CrawlResult | None = None  # links, text hashes, unchanged pages: for page_state
    reused: set[str] = field(default_factory=set)  # page.url of pages whose previous extraction was reused


def task_runner():
    """The task runner named by KLIMATKONTRAKT_TASK_RUNNER: threads (default; crawling is IO-bound)
    or dask (a local cluster of processes, or the scheduler at KLIMATKONTRAKT_DASK_ADDRESS).
    Switching is configuration only: tasks get plain data (a FetchPlan) and open their own client."""
    settings = Settings.checked()
    if settings.task_runner == "threads":
        return ThreadPoolTaskRunner(max_workers=settings.max_workers)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise ConfigError("KLIMATKONTRAKT_TASK_RUNNER=dask needs prefect-dask: uv sync --extra dask") from None
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.max_workers, "threads_per_worker": 1,
                                          "dashboard_address": None})


def new_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(2)


@task(name="collect", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def collect_group(sources: list[Source], plan: FetchPlan,
                  previous: PreviousState | None = None) -> tuple[list[SourceResult], dict]:
    """Sources that share a host, crawled one after the other with one client of their own."""
    previous = previous or PreviousState()
    # a live crawl waits on politeness delays, not on CPU: it extracts in this thread
    pool = extraction_pool(plan.settings.extract_processes) if plan.cpu_bound else None
    with open_client(plan, sources[0].id, previous.validators) as client:
        results = [collect(source, client, previous, pool) for source in sources]
        return results, dict(client.seen_validators)


def collect(source: Source, client, previous: PreviousState | None = None,
            pool: ExtractionPool | None = None) -> SourceResult:
    """Crawl one source and run its extractor over every relevant HTML page (in `pool`'s worker
    processes while the crawl goes on, or else in this thread).

    With `previous` (incremental runs), a relevant page the crawler found unchanged (304, or the
    same normalised text) is not extracted again: its previous extraction is reused; so is that of
    a page that failed for now (no answer, 429, 5xx), so one bad night does not erase its facts.
    """
    get_extractor(source.extractor)  # an unknown extractor fails before the crawl
    previous = previous or PreviousState()
    extractions: list[Extraction | None] = []
    reused: set[str] = set()

    examined: dict[str, Extraction] = {}  # page.url -> what a worker extracted

    def read_in_worker(page: FetchedPage, request: ReadRequest, known: KnownPage | None):
        # a page found unchanged whose previous extraction is there to reuse is not extracted again
        reusable = known is not None and previous.extraction_for(source.id, page.url) is not None
        ticket = pool.submit(request, extractor_name(page.kind, source) if page.status == 200 else None, source,
                             known.unchanged_sha256(page.final_url) if reusable else None)

        def reading() -> PageReading:
            page_reading, extraction = pool.result(ticket)
            if extraction is not None:
                examined[page.url] = extraction
            return page_reading
        return reading

    def extract_then_slim(page: FetchedPage, relevant: bool, unchanged: bool) -> FetchedPage:
        # unchanged, or unavailable for now (a timeout, a 5xx): what the page said last time holds
        kept = previous.extraction_for(source.id, page.url) if (relevant and unchanged) or failed_for_now(page) else None
        if kept is not None:
            reused.add(page.url)
            extractions.append(kept)
        elif page.text is not None and page.status == 200 and relevant:
            extractions.append(examined.pop(page.url) if pool is not None
                               else get_extractor(extractor_name(page.kind, source))(page.final_url, page.text, source))
        else:
            extractions.append(None)
        return page.slim()  # extracted: the body is no longer needed

    result = crawl(source, client, known=previous.known(source.id), on_done=extract_then_slim,
                   **({"reader": read_in_worker, "window": pool.window} if pool is not None else {}))
    used = sum(e is not None for e in extractions)
    facts = sum(sum(len(v) for v in e.facts().values()) for e in extractions if e is not None)
    stats = dict(result.stats, documents=used, facts=facts, reused=len(reused))
    failure = None
    if any(p.status == 200 or p.from_cache for p in result.pages):
        log.info("source %s: %s", source.id, _describe(stats))
    elif all(p.error == NOT_ARCHIVED for p in result.pages):
        # Replaying an archive that does not cover this source is not a failure of the source.
        log.info("source %s: not in the replay archive, skipped", source.id)
    else:
        errors = [p.error for p in result.pages if p.error]
        failure = errors[0] if errors else "no page could be fetched"
        log.warning("source %s: nothing fetched (%s)", source.id, failure)
    return SourceResult(source, result.pages, extractions, stats, failure, crawl=result, reused=reused)


def assemble_tables(results: list[SourceResult], run_id: str, previous: PreviousState | None = None,
                    validators: dict | None = None) -> dict[str, pd.DataFrame]:
    """The tables of this run as DataFrames: `assemble` over every page, plus `page_state`
    (incremental state for the next run). Pure apart from logging."""
    previous = previous or PreviousState()
    tables = _fact_tables(results, run_id, previous)
    tables["page_state"] = page_state_frame_of(_page_state_parts(results, previous, validators or {}))
    return tables


@task(name="assemble", cache_policy=NO_CACHE)
def assemble_stage(results: list[SourceResult], run_id: str, previous: PreviousState | None = None,
                   validators: dict | None = None, staging: Path | None = None) -> dict[str, StagedTable]:
    """`assemble_tables`, each table written to a Parquet file in `staging` (a new temporary
    folder when None; `load_and_publish` removes it) as soon as it is made, and page_state one
    source at a time: the run never holds all its tables, nor every page's links, in memory."""
    previous = previous or PreviousState()
    staging = Path(staging or tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{run_id}-"))
    staging.mkdir(parents=True, exist_ok=True)
    staged = {name: stage_table(name, [frame], staging / f"{name}.parquet")
              for name, frame in _fact_tables(results, run_id, previous).items()}
    staged["page_state"] = stage_table("page_state", _page_state_parts(results, previous, validators or {}),
                                       staging / "page_state.parquet")
    log.info("assembled: %s", ", ".join(f"{k}={len(v)}" for k, v in staged.items()))
    return staged


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


@task(name="load-and-publish", cache_policy=NO_CACHE)
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
    if released[0] is None:
        log.info("loaded %s; no published table changed: no new release", db_path)
    else:
        log.info("loaded %s and published %s", db_path, released[0])
    return released[0]


# the runner is read from the settings when the flow is defined, so runs started by `serve` or a
# worker (which import this module) honour KLIMATKONTRAKT_TASK_RUNNER / _MAX_WORKERS too
@flow(name="klimatkontrakt-nightly", task_runner=task_runner(),
      on_failure=[notify_failure], on_crashed=[notify_failure])
def nightly(
    sources_file: str,
    replay: list[str] | None = None,
    db: str = "output/klimatkontrakt.duckdb",
    out: str = "output",
    allow_private: bool = False,
    allow_shrink: bool = False,
    force_release: bool = False,
) -> dict:
    """Crawl every source, extract facts, load DuckDB and publish a validated package (when a
    published table changed since the latest release, or with `force_release`)."""
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    settings = Settings()
    if allow_private:
        settings.allow_private = True
    out_dir, db_path = Path(out), Path(db)
    staging = Path(tempfile.gettempdir()) / f"{STAGING_PREFIX}{run_id}"  # the run's tables between stages
    remove_stale_staging(staging.parent)
    summary: dict = {"run_id": run_id, "started_at": started.isoformat(), "status": "failed"}
    try:
        sources = load_sources(Path(sources_file))
        out_dir.mkdir(parents=True, exist_ok=True)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        # Incremental state from the previous database (page_state): validators to send, what
        # unchanged pages said last time. Replay sends no validators but reuses the extraction
        # of pages whose normalised text is unchanged, like a live run.
        previous = read_state(db_path, {s.id: extractor_version(s) for s in sources})
        plan = FetchPlan(run_id, settings, tuple(replay or ()), None if replay else str(out_dir / "archive"))
        try:
            results, validators = _collect_all(sources, plan, previous)
        finally:
            join_archive(plan)
            close_extraction_pool()
        failed = {r.source.id: r.failure for r in results if r.failure}
        summary["sources"] = {r.source.id: r.stats for r in results}
        summary["sources_failed"] = failed
        if not any(page.status == 200 or page.from_cache for r in results for page in r.pages):
            if not replay and _all_unreachable(results):
                raise RunFailed(f"network unreachable: no source could be fetched; {OFFLINE_HINT}")
            raise RunFailed(f"no source yielded any page ({', '.join(sorted(failed))}); nothing published")
        run = {
            "run_id": run_id,
            "started_at": started.replace(tzinfo=None),
            "finished_at": None,
            "status": "success",
            "pages_fetched": sum(len(r.pages) for r in results),
            "records": 0,
            "sources_failed": ",".join(sorted(failed)) or None,
            "message": None,
        }
        # quote(): Prefect would otherwise walk every page and table handed to a task
        tables = assemble_stage(quote(results), run_id, quote(previous), validators, staging)
        del results, previous  # staged on disk now: the pages and extractions need not stay in memory
        summary["tables"] = {name: len(frame) for name, frame in tables.items()}
        run["finished_at"] = datetime.now(UTC).replace(tzinfo=None)
        released = load_and_publish(quote(tables), run, db_path, out_dir, started, allow_shrink, force_release)
        summary["status"] = "success"
        summary["published"] = released is not None
        if released is None:
            latest = (out_dir / "packages" / "LATEST").read_text(encoding="utf-8").strip()
            summary["package"] = None
            summary["message"] = f"no published table changed since release {latest}: no new release (--force-release publishes anyway)"
            summary["gates"] = "not run: nothing new to publish"
        else:
            summary["package"] = str(released)
            summary["gates"] = "frictionless validation and shrink gate passed" + (" (shrink allowed)" if allow_shrink else "")
            summary["changes"] = _change_summary(released)
        if failed:  # the run's final state names the sources that failed
            what = "published" if released is not None else "nothing new to publish"
            return Completed(message=f"{what}; sources failed: {', '.join(sorted(failed))}", data=summary)
        return summary
    except KlimatkontraktError as exc:
        # An expected failure ends the run in a Failed state with one line, not a traceback.
        summary["message"] = str(exc)
        if isinstance(exc, ReleaseGateFailed):
            summary["gates"] = f"tripped: {exc}"
        summary["exit_code"] = exc.exit_code
        log.warning("run %s failed: %s", run_id, exc)
        return Failed(message=str(exc), data=exc)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        summary["finished_at"] = datetime.now(UTC).isoformat()
        summary["report"] = str((out_dir / "runs" / f"{run_id}.json").resolve())
        _write_summary(out_dir, summary)
        _publish_artifact(summary)


def remove_stale_staging(folder: Path) -> None:
    """Remove the staging folders that killed runs left in `folder` (SIGKILL skips a run's own
    clean-up); a folder younger than STALE_STAGING_SECONDS may belong to a run still going."""
    now = time.time()
    for path in folder.glob(f"{STAGING_PREFIX}*"):
        try:
            if path.is_dir() and now - path.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
                log.info("removed %s, staged by an interrupted run", path)
        except OSError:
            pass


def _describe(stats: dict) -> str:
    """One readable line per source, e.g. 'fetched 3 pages, 2 documents, 44 facts, 23 URL(s) not archived'."""
    parts = [f"fetched {stats.get('fetched', 0)} page(s)", f"{stats.get('documents', 0)} document(s)",
             f"{stats.get('facts', 0)} fact(s)"]
    for key, words in (("unchanged", "not modified (304)"), ("same_text", "with unchanged text"),
                       ("reused", "reused from the previous run"), ("failed", "failed"), ("skipped_robots", "skipped by robots.txt"),
                       ("truncated", "truncated"), ("not_archived", "URL(s) not archived")):
        if stats.get(key):
            parts.append(f"{stats[key]} {words}")
    return ", ".join(parts)


def _collect_all(sources: list[Source], plan: FetchPlan,
                 previous: PreviousState) -> tuple[list[SourceResult], dict]:
    # `previous` goes unquoted: runners that ship inputs to other processes (Dask) do not unwrap quote()
    # CPU-bound crawls side by side would only fight over the GIL: one at a time is faster
    futures = []
    for group in host_groups(sources):
        futures.append(collect_group.with_options(name=f"collect-{group[0].id}").submit(group, plan, previous))
        if plan.cpu_bound:
            futures[-1].wait()
    by_id, validators = {}, {}
    for future in futures:
        results, seen = future.result()
        by_id.update({r.source.id: r for r in results})
        validators.update(seen)
    return [by_id[s.id] for s in sources], validators


def _all_unreachable(results: list[SourceResult]) -> bool:
    """True when every failure looks like a network that is not there (DNS, refused, timeout)."""
    markers = ("resolve", "connection", "timed out", "unreachable", "name or service")
    errors = [p.error.lower() for r in results for p in r.pages if p.error]
    return bool(errors) and all(any(m in e for m in markers) for e in errors)


def _change_summary(release: Path) -> str | None:
    """The table of CHANGES.md (rows added, changed, removed per table) for the run summary."""
    try:
        lines = (release / "CHANGES.md").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return "\n".join(line for line in lines if line.startswith("|")) or None


def _publish_artifact(summary: dict) -> None:
    """The run summary as a Prefect markdown artifact (shown in the UI under the flow run)."""
    try:
        create_markdown_artifact(summary_markdown(summary), key="klimatkontrakt-run",
                                 description=f"klimatkontrakt run {summary['run_id']}")
    except Exception as exc:  # noqa: BLE001 - reporting must never fail a run
        log.warning("could not publish the run summary artifact: %s", exc)


def _write_summary(out_dir: Path, summary: dict) -> None:
    runs_dir = out_dir / "runs"
    try:
        runs_dir.mkdir(parents=True, exist_ok=True)
        tmp = runs_dir / f".{summary['run_id']}.json.tmp"
        tmp.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, runs_dir / f"{summary['run_id']}.json")
        (runs_dir / f"{summary['run_id']}.md").write_text(summary_markdown(summary), encoding="utf-8")
    except OSError as exc:
        log.warning("could not write the run summary: %s", exc)
