"""Load: build a fresh DuckDB file from the assembled tables and swap it in atomically.

The new database is written next to the old one (`<name>.tmp-<pid>`), tables created from
`schemas/` (every table of `schema.database_table_names()`), rows inserted from Arrow tables
(never row by row; a table staged as a Parquet file by the flow, `StagedTable`, is read by DuckDB
itself, so it is never held in memory as a whole), then the views and table macros of
`schemas/views.sql`. From the previous
database (opened read-only and closed at once) come the rows of earlier runs in `runs` and
`fetches`, and the version history of the facts, which `klimatkontrakt/store/history.py` brings up to
date with this run's rows (`<table>_history`). Only when everything is written and checkpointed
is the previous file kept as `<stem>.prev<suffix>` (a hard link, or a copy) and the new one moved
into place with `os.replace`; any failure before that, even SIGKILL, leaves the previous database
untouched (a killed build's temporary file is removed by the next build).

Builders take an exclusive lock on `<name>.lock` (released by the OS when the process dies), so
two builds never interleave; readers need no lock and never block a build (the swap replaces
the file; an open read-only connection keeps reading the old one).
"""

from __future__ import annotations

import ctypes
import fcntl
import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import RunFailed, first_line
from klimatkontrakt.core.leftovers import remove_path, sweep
from klimatkontrakt.core.times import utc_naive
from klimatkontrakt.store import history as hist
from klimatkontrakt.store.crawl_log import insert_sources

log = logging.getLogger(__name__)

LOCK_TIMEOUT_SECONDS = 600.0
# The build's DuckDB connection spills to its temporary folder rather than growing past its
# memory limit, and, with one thread, writes what it inserted to the file every few MB: inserting
# 10,000 page_state rows (~20 KB of links each) peaked at +95 MB instead of +149 MB.
BUILD_MEMORY_LIMIT = "64MB"
BUILD_CONFIG = {"memory_limit": BUILD_MEMORY_LIMIT, "checkpoint_threshold": "2MB", "threads": 1}
# DuckDB compresses a row group whole when it writes it: with its default of 122,880 rows, the
# claims of 10,000 pages (55,000 rows) were one group, and writing the package database peaked at
# +97 MB; in groups of 16,384 rows, +65 MB (the file 5 % larger).
BUILD_ROW_GROUP_ROWS = 16384
INSERT_BATCH_ROWS = 1000


@dataclass(frozen=True)
class StagedTable:
    """A table of the run written to a Parquet file (in the schema's columns and types) instead of
    being held in memory until it is loaded; len() is its row count."""

    path: Path
    rows: int

    def __len__(self) -> int:
        return self.rows

    def read(self, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(self.path, columns=columns)


def stage_table(table: str, parts: Iterable[pd.DataFrame | pa.Table], path: Path) -> StagedTable:
    """Write `parts` (frames or Arrow tables of `table`, in order) to one Parquet file, one part
    at a time, so only one part is in memory at once."""
    schema = sch.arrow_schema(table)
    rows = 0
    with pq.ParquetWriter(path, schema) as writer:
        for part in parts:
            data = sch.conform(part, schema) if isinstance(part, pa.Table) else sch.to_arrow(table, part)
            writer.write_table(data)
            rows += data.num_rows
    return StagedTable(Path(path), rows)


def connect_for_build(path: Path, *, block_size: int | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the database file `path`, set up for writing it in bulk (see
    BUILD_CONFIG and BUILD_ROW_GROUP_ROWS); its catalog is named as `duckdb.connect(path)` would.
    `block_size` (bytes) for a new file; DuckDB's default when None."""
    path = Path(path)
    con = duckdb.connect(config={**BUILD_CONFIG, "temp_directory": f"{path}.tmp"})
    try:
        catalog = _quoted(path.name.split(".", 1)[0] or "build")
        blocks = f", BLOCK_SIZE {int(block_size)}" if block_size else ""
        con.execute(f"ATTACH '{_escaped(path)}' AS {catalog} (ROW_GROUP_SIZE {BUILD_ROW_GROUP_ROWS}{blocks})")
        con.execute(f"USE {catalog}")
    except BaseException:
        con.close()
        raise
    return con


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _escaped(path: Path) -> str:
    return str(path).replace("'", "''")


def return_freed_memory() -> None:
    """Hand the heap memory freed by the stage just ended back to the OS (glibc's malloc_trim):
    glibc keeps freed chunks between live ones for reuse, but the next stage allocates mostly in
    DuckDB's own allocator, which cannot reuse them. Does nothing where there is no glibc."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def previous_path(db_path: Path) -> Path:
    """Where the database replaced by the last build is kept: `kk.duckdb` -> `kk.prev.duckdb`."""
    return db_path.with_name(f"{db_path.stem}.prev{db_path.suffix}")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.lock")


def build_database(
    tables: dict[str, pd.DataFrame | pa.Table | StagedTable],
    db_path: Path,
    runs: list[dict],
    *,
    before_swap: Callable[[Path], None] | None = None,
    fetches_since: datetime | None = None,
) -> Path:
    """Build `db_path` anew from `tables` (every table of `schema.TABLES` but `runs` and
    `sources`; DataFrames, Arrow tables or `StagedTable`s) plus the `runs` rows given; `sources`
    is summarised from the crawl log (`crawl_log.insert_sources`).

    Further database-only tables (`schema.other_table_names()`, e.g. `page_state`) are taken from
    `tables` when there, else carried over from the previous database, else left empty.
    The last of `runs` is the run being loaded: its `run_id` and `started_at` stamp the new
    versions in the history tables. Returns `db_path`. Raises RunFailed when the previous
    database cannot be read (e.g. it is open read-write in another process) or another build
    holds the lock too long; any exception leaves the previous database as it was.

    `before_swap(staged_path)` runs on the finished, closed new file before it replaces the old
    one: the flow publishes from it there, so a release gate that fails keeps the old database.
    `fetches_since` (naive UTC): earlier runs' `fetches` rows fetched before it are not carried
    over (the crawl log's retention; `runs` are always kept).
    """
    if not runs:
        raise ValueError("build_database: `runs` must hold at least the run being loaded")
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(db_path):
        _remove_stale_temporaries(db_path)
        tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
        _remove(tmp)
        try:
            new_data = _new_data(tables, runs)
            run_id, started_at = _current_run(runs)
            new_run_ids = set(_arrow(new_data["runs"], ["run_id"]).column("run_id").to_pylist()) | set(
                _arrow(new_data["fetches"], ["run_id"]).column("run_id").to_pylist()
            )
            previous = _read_previous(db_path, new_run_ids, fetches_since) if db_path.exists() else {}
            for table in sch.VERSIONED_TABLES:
                name = sch.history_table(table)
                new_data[name] = hist.next_history(table, previous.get(name), _arrow(new_data[table]), run_id,
                                                   started_at)
            con = connect_for_build(tmp)
            try:
                for table in sch.database_table_names():
                    con.execute(sch.ddl(table))
                for table in sch.database_table_names():
                    if table in sch.SUMMARY_TABLES:
                        continue
                    parts = [previous[table]] if table in sch.RUN_LOG_TABLES and table in previous else []
                    if table in new_data:
                        parts.append(new_data.pop(table))
                    elif table in previous:  # e.g. page_state when the caller did not give it
                        parts.append(previous[table])
                    for part in parts:
                        _insert(con, table, part)
                insert_sources(con, previous.get("sources"))
                sch.create_views(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            return_freed_memory()
            if before_swap is not None:
                before_swap(tmp)
            _keep_previous(db_path)
            os.replace(tmp, db_path)
        except (OSError, duckdb.Error) as exc:
            _remove(tmp)
            if not _is_io_error(exc):
                raise  # e.g. a constraint violation: a bug, not the environment
            # a full disk, an unwritable folder, an I/O error: one line, the old database kept
            raise RunFailed(f"cannot build database {db_path}: {first_line(exc)}; nothing published") from exc
        except BaseException:
            _remove(tmp)
            raise
    return db_path


def _is_io_error(exc: BaseException) -> bool:
    """OSError, DuckDB's IOException, or a DuckDB commit that failed to write (a full disk)."""
    if isinstance(exc, (OSError, duckdb.IOException)):
        return True
    text = str(exc)
    return "No space left on device" in text or "Could not write file" in text


def read_tables(db_path: Path, tables: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The published tables of the database (or the `tables` named, e.g. `schema.database_table_names()`
    for the history tables too) as DataFrames (schema columns, Arrow dtypes, sorted by key)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise RunFailed(f"database not found: {db_path}")
    con = _connect_read_only(db_path)
    try:
        out = {}
        for table in tables or sch.published_table_names():
            order = sch.primary_key(table) or sch.field_names(table)
            columns = ", ".join(f'"{c}"' for c in sch.field_names(table))
            sql = f'SELECT {columns} FROM "{table}" ORDER BY ' + ", ".join(f'"{c}" NULLS LAST' for c in order)
            out[table] = sch.to_frame(table, con.sql(sql).to_arrow_table())
        return out
    finally:
        con.close()


# ---- helpers ---------------------------------------------------------------------------

def _new_data(tables: dict[str, pd.DataFrame | pa.Table | StagedTable],
              runs: list[dict]) -> dict[str, pa.Table | StagedTable]:
    out = {}
    for table in sch.TABLES:
        if table in sch.SUMMARY_TABLES:
            continue
        if table == "runs":
            rows = [{k: utc_naive(v) for k, v in run.items()} for run in runs]
            out[table] = pa.Table.from_pylist(
                [{n: r.get(n) for n in sch.field_names("runs")} for r in rows], schema=sch.arrow_schema("runs")
            )
        elif table in tables:
            out[table] = _in_schema(table, tables[table])
        elif table == "fetches":
            out[table] = sch.arrow_schema(table).empty_table()
        else:
            raise ValueError(f"build_database: table {table!r} missing from the assembled tables")
    for table in sch.other_table_names():
        if table in tables:
            out[table] = _in_schema(table, tables[table])
    return out


def _in_schema(table: str, data: pd.DataFrame | pa.Table | StagedTable) -> pa.Table | StagedTable:
    if isinstance(data, StagedTable):
        return data
    if isinstance(data, pa.Table):
        return sch.conform(data, sch.arrow_schema(table))
    return sch.to_arrow(table, data)


def _arrow(data: pa.Table | StagedTable, columns: list[str] | None = None) -> pa.Table:
    if isinstance(data, StagedTable):
        return data.read(columns)
    return data.select(columns) if columns else data


def _connect_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.IOException as exc:
        raise RunFailed(f"cannot open database {db_path} (in use by another process?): {first_line(exc)}") from exc
    except duckdb.Error as exc:
        raise RunFailed(f"cannot open database {db_path}: {first_line(exc)}") from exc


def _current_run(runs: list[dict]) -> tuple[str, datetime]:
    run = runs[-1]
    started = run.get("started_at")
    if isinstance(started, str):
        started = datetime.fromisoformat(started)
    if not isinstance(started, datetime):
        raise ValueError(f"build_database: run {run.get('run_id')!r} has no started_at")
    return run["run_id"], utc_naive(started)


def _read_previous(db_path: Path, skip_run_ids: set[str], fetches_since: datetime | None = None) -> dict[str, pa.Table]:
    """From the previous database, in today's schema: the `runs` and `fetches` rows of earlier
    runs (fetches only from `fetches_since` on), and the history tables (seeded from its fact
    tables when it predates them)."""
    con = _connect_read_only(db_path)
    try:
        existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        out = {}
        for table in sch.RUN_LOG_TABLES:
            if table not in existing:
                log.warning("previous database %s has no %s table; its history starts now", db_path, table)
                continue
            data = sch.conform(con.sql(f'SELECT * FROM "{table}"').to_arrow_table(), sch.arrow_schema(table))
            keep = [rid not in skip_run_ids for rid in data.column("run_id").to_pylist()]
            if table == "fetches" and fetches_since is not None:
                keep = [k and (at is None or at >= fetches_since)
                        for k, at in zip(keep, data.column("fetched_at").to_pylist(), strict=True)]
            out[table] = data.filter(pa.array(keep, type=pa.bool_()))
        for table in (*sch.SUMMARY_TABLES, *sch.other_table_names()):
            if table in existing:
                out[table] = sch.conform(con.sql(f'SELECT * FROM "{table}"').to_arrow_table(), sch.arrow_schema(table))
        last_run = None
        if "runs" in out and len(out["runs"]):
            last = max(out["runs"].to_pylist(), key=lambda r: (r["started_at"] or datetime.min, r["run_id"]))
            last_run = (last["run_id"], last["started_at"])
        for table in sch.VERSIONED_TABLES:
            name = sch.history_table(table)
            if name in existing:
                out[name] = sch.conform(con.sql(f'SELECT * FROM "{name}"').to_arrow_table(), sch.arrow_schema(name))
            elif table in existing and last_run is not None and last_run[1] is not None:
                log.info("previous database %s has no %s: seeding it from %s", db_path, name, table)
                rows = sch.conform(con.sql(f'SELECT * FROM "{table}"').to_arrow_table(), sch.arrow_schema(table))
                out[name] = hist.seed_history(table, rows, *last_run)
        return out
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table | StagedTable) -> None:
    """Insert `data`: a staged table is read by DuckDB itself, straight from its Parquet file
    (the rows never pass through Python; registered Arrow batches cost page_state's links twice:
    +245 MB against +97 MB at 10,000 pages); an Arrow table a batch at a time."""
    columns = ", ".join(f'"{c}"' for c in sch.field_names(table))
    if isinstance(data, StagedTable):
        con.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM read_parquet(\'{_escaped(data.path)}\')')
        return
    name = f"_src_{table}"
    for batch in data.to_batches(max_chunksize=INSERT_BATCH_ROWS):
        con.register(name, pa.Table.from_batches([batch]))
        try:
            con.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{name}"')
        finally:
            con.unregister(name)


def _keep_previous(db_path: Path) -> None:
    """Keep the current database as `<stem>.prev<suffix>` without ever leaving db_path missing."""
    if not db_path.exists():
        return
    prev = previous_path(db_path)
    if prev.exists() and os.path.samefile(db_path, prev):
        return  # already kept (a build killed before its swap); rename() would do nothing between links
    staging = prev.with_name(f"{prev.name}.tmp-{os.getpid()}")
    _remove(staging)
    try:
        os.link(db_path, staging)
    except OSError:
        shutil.copy2(db_path, staging)
    os.replace(staging, prev)


@contextmanager
def _build_lock(db_path: Path):
    """Exclusive lock of builders of `db_path`; the OS releases it when the process dies."""
    handle = open(lock_path(db_path), "a+b")  # noqa: SIM115
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RunFailed(f"another build of {db_path} is running (lock {lock_path(db_path)})") from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()  # releases the lock


def _remove_stale_temporaries(db_path: Path) -> None:
    """Remove what a killed build left behind (we hold the lock: no build is running)."""
    prev = previous_path(db_path)
    for pattern, folder in ((f"{db_path.name}.tmp-*", db_path.parent), (f"{prev.name}.tmp-*", prev.parent)):
        for path in sweep(folder, pattern):
            log.warning("removed %s, left by an interrupted build", path)


def _remove(path: Path) -> None:
    """A database file with its write-ahead log and the folder DuckDB spills to."""
    for p in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".tmp")):
        remove_path(p)
