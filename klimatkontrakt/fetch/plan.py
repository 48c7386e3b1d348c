"""How the flow's tasks reach the web, in a form any task runner can ship to a worker.

A `FetchPlan` is plain data (picklable), so each collect task opens its own client: threads in one
process today, Dask workers on other machines tomorrow. Politeness is per host, so sources that
share a host (viablecities and viablecities-en) are grouped into one task with one client. Each
task writes its own part of the run's WARC archive; the parts are joined into one
`<run_id>.warc.gz` afterwards (gzip members concatenate into a valid file).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from klimatkontrakt.core.model import Source
from klimatkontrakt.core.reference import site_host
from klimatkontrakt.core.settings import Settings
from klimatkontrakt.fetch.client import LiveClient, ReplayClient
from klimatkontrakt.fetch.warc import ArchiveWriter, ReplayArchive


@dataclass(frozen=True)
class FetchPlan:
    run_id: str
    settings: Settings
    replay: tuple[str, ...] = ()
    archive_dir: str | None = None  # live runs: output/archive

    @property
    def cpu_bound(self) -> bool:
        """A replay in this process's threads: nothing to wait for, so its sources are crawled one
        at a time and worker processes read and extract its pages (Dask spreads sources itself)."""
        return bool(self.replay) and self.settings.task_runner == "threads"

    @property
    def parts_dir(self) -> Path:
        return Path(self.archive_dir or ".") / f"{self.run_id}.parts"

    @property
    def archive_path(self) -> Path:
        return Path(self.archive_dir or ".") / f"{self.run_id}.warc.gz"


_replay_lock = threading.Lock()


def _replay_archive(paths: tuple[str, ...]) -> ReplayArchive:
    """One index per process for all tasks replaying the same archives (the tasks start together in
    threads: without the lock each would index the archive itself)."""
    with _replay_lock:
        return _indexed(paths)


@lru_cache(maxsize=4)
def _indexed(paths: tuple[str, ...]) -> ReplayArchive:
    return ReplayArchive([Path(p) for p in paths])


@contextlib.contextmanager
def open_client(plan: FetchPlan, part: str, validators: dict | None = None) -> Iterator[LiveClient | ReplayClient]:
    """The client for one task: replayed from the plan's archives, or live and archived to a part file."""
    if plan.replay:
        yield ReplayClient(_replay_archive(plan.replay))
        return
    plan.parts_dir.mkdir(parents=True, exist_ok=True)
    with ArchiveWriter(plan.parts_dir / f"{part}.warc.gz") as archive, \
            LiveClient(plan.settings, archive, validators=validators) as client:
        yield client


def join_archive(plan: FetchPlan) -> Path | None:
    """Join the tasks' archive parts into the run's one WARC file; None when nothing was archived."""
    parts = sorted(plan.parts_dir.glob("*.warc.gz")) if plan.parts_dir.is_dir() else []
    if not parts:
        return None
    tmp = plan.archive_path.with_name(plan.archive_path.name + ".partial")
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as data:
                shutil.copyfileobj(data, out)
    os.replace(tmp, plan.archive_path)
    shutil.rmtree(plan.parts_dir)
    return plan.archive_path


def host_groups(sources: list[Source]) -> list[list[Source]]:
    """Sources grouped so that no host is crawled by two groups (connected by shared hosts)."""
    groups: list[tuple[set[str], list[Source]]] = []
    for source in sources:
        hosts = {site_host(u) for u in (*source.start_urls, *source.allowed_prefixes)}
        joined = [g for g in groups if g[0] & hosts]
        merged_hosts, merged = set(hosts), []
        for g in joined:
            merged_hosts |= g[0]
            merged += g[1]
            groups.remove(g)
        groups.append((merged_hosts, [*merged, source]))
    order = {s.id: i for i, s in enumerate(sources)}
    return [sorted(g[1], key=lambda s: order[s.id]) for g in groups]

