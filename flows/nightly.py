"""The nightly pipeline as a Prefect flow: orchestration only, the work lives in the stages
(`klimatkontrakt/pipeline/`: collect, then assemble and stage, then load and publish).

Tasks are coarse on purpose (one per host group for crawl+extract, one per later stage): the
local Prefect API costs 10-80 ms per task run and degrades after a few thousand, so a task per
page would cost more than the work. The flow logs one line per source and per stage.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.reporting import (
    change_summary,
    notify_failure,
    publish_artifact,
    write_summary,
)
from klimatkontrakt.core.config import load_site_template, load_sources
from klimatkontrakt.core.errors import (
    ConfigError,
    KlimatkontraktError,
    ReleaseGateFailed,
    RunFailed,
)
from klimatkontrakt.core.ids import new_run_id
from klimatkontrakt.core.model import Source
from klimatkontrakt.core.settings import Settings
from klimatkontrakt.fetch.plan import FetchPlan, host_groups, join_archive
from klimatkontrakt.pipeline import discover, stages
from klimatkontrakt.pipeline.collect import (
    SourceResult,
    all_unreachable,
    collect_many,
)
from klimatkontrakt.runtime.workers import close_extraction_pool
from klimatkontrakt.store.load import StagedTable
from klimatkontrakt.store.state import PreviousState, extractor_version, read_state

log = logging.getLogger("flows.nightly")

OFFLINE_HINT = "try the offline demo: klimatkontrakt run --replay samples/klimatkontrakt-sample.warc.gz"


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


@task(name="collect", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def collect_group(groups: list[list[Source]], plan: FetchPlan,
                  previous: PreviousState | None = None) -> tuple[list[SourceResult], dict]:
    """`collect_many` of host groups (one, or many generated sites side by side), and a line in
    the log for each source."""
    results, validators = collect_many(groups, plan, previous)
    for r in results:
        (log.warning if r.failure else log.info)("source %s: %s", r.source.id, r.report())
    return results, validators


@task(name="assemble", cache_policy=NO_CACHE)
def assemble_stage(results: list[SourceResult], run_id: str, previous: PreviousState | None = None,
                   validators: dict | None = None, staging: Path | None = None) -> dict[str, StagedTable]:
    """`stages.stage_tables`: the run's tables in Parquet files in `staging`."""
    staged = stages.stage_tables(results, run_id, previous, validators, staging)
    log.info("assembled: %s", ", ".join(f"{k}={len(v)}" for k, v in staged.items()))
    return staged


@task(name="load-and-publish", cache_policy=NO_CACHE)
def load_and_publish(tables: dict, run: dict, db_path: Path, out_dir: Path, created: datetime,
                     allow_shrink: bool = False, force_release: bool = False) -> Path | None:
    """`stages.load_and_publish`: the new database, and a release when a published table changed."""
    released = stages.load_and_publish(tables, run, db_path, out_dir, created, allow_shrink, force_release)
    if released is None:
        log.info("loaded %s; no published table changed: no new release", db_path)
    else:
        log.info("loaded %s and published %s", db_path, released)
    return released


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
    staging = Path(tempfile.gettempdir()) / f"{stages.STAGING_PREFIX}{run_id}"  # the run's tables between stages
    stages.remove_stale_staging(staging.parent)
    summary: dict = {"run_id": run_id, "started_at": started.isoformat(), "status": "failed"}
    try:
        sources = load_sources(Path(sources_file))
        template = load_site_template(Path(sources_file))
        generated = discover.candidates(sources, template)
        out_dir.mkdir(parents=True, exist_ok=True)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        # Incremental state from the previous database (page_state): validators to send, what
        # unchanged pages said last time. Replay sends no validators but reuses the extraction
        # of pages whose normalised text is unchanged, like a live run.
        previous = read_state(db_path, {s.id: extractor_version(s) for s in (*sources, *generated)})
        plan = FetchPlan(run_id, settings, tuple(replay or ()), None if replay else str(out_dir / "archive"))
        try:
            crawled = discover.first_round(sources, generated, template, previous)
            results, validators = _collect_all(crawled, plan, previous)
            if found := discover.found_in(results, generated, crawled):
                log.info("found %d municipality(ies) in the initiative that no source names (%s): crawling their sites",
                         len(found), ", ".join(s.municipality_code for s in found))
                more, seen = _collect_all(found, plan, previous)
                results, validators = results + more, {**validators, **seen}
        finally:
            join_archive(plan)
            close_extraction_pool()
        failed = {r.source.id: r.failure for r in results if r.failure}
        summary["sources"] = {r.source.id: r.stats for r in results}
        summary["sources_failed"] = failed
        if not any(page.status == 200 or page.from_cache for r in results for page in r.pages):
            if not replay and all_unreachable(results):
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
            summary["changes"] = change_summary(released)
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
        write_summary(out_dir, summary)
        publish_artifact(summary)


def _collect_all(sources: list[Source], plan: FetchPlan,
                 previous: PreviousState) -> tuple[list[SourceResult], dict]:
    # `previous` goes unquoted: runners that ship inputs to other processes (Dask) do not unwrap quote()
    # CPU-bound crawls side by side would only fight over the GIL: one at a time is faster
    futures = []
    for batch in discover.batches(host_groups(sources), plan.settings.sites_per_task):
        name = f"collect-{batch[0][0].id}" + (f"-and-{len(batch) - 1}-more" if len(batch) > 1 else "")
        futures.append(collect_group.with_options(name=name).submit(batch, plan, previous))
        if plan.cpu_bound:
            futures[-1].wait()
    by_id, validators = {}, {}
    for future in futures:
        results, seen = future.result()
        by_id.update({r.source.id: r for r in results})
        validators.update(seen)
    return [by_id[s.id] for s in sources], validators
