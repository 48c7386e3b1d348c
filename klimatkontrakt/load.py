"""Load: build a fresh DuckDB file from the assembled tables and swap it in atomically.

The new database is written next to the old one (`<name>.tmp-<pid>`), tables created from
`schemas/`, rows inserted from Arrow tables (never row by row). The history of `runs` and
`fetches` is carried over from the previous database (opened read-only and closed at once).
Only when everything is written and checkpointed is the previous file kept as
`<stem>.prev<suffix>` (a hard link, or a copy) and the new one moved into place with
`os.replace`; any failure before that removes the temporary file and leaves the previous
database untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from klimatkontrakt import schema as sch
from klimatkontrakt.errors import RunFailed

log = logging.getLogger(__name__)

HISTORY_TABLES = ("runs", "fetches")

VIEWS = {
    "signings_per_year": """
        CREATE VIEW signings_per_year AS
        SELECT contract,
               CAST(year(signed_on) AS INTEGER) AS year,
               count(*) AS signings,
               count(DISTINCT municipality_code) AS municipalities,
               count(DISTINCT organisation_id) AS organisations
        FROM signings
        WHERE signed_on IS NOT NULL
        GROUP BY contract, year(signed_on)
        ORDER BY year, contract
    """,
    "municipality_timeline": """
        CREATE VIEW municipality_timeline AS
        SELECT municipality_code, m.name AS municipality, s.signed_on AS on_date,
               'signing' AS what, s.contract AS detail, s.document_id
        FROM signings s JOIN municipalities m USING (municipality_code)
        UNION ALL
        SELECT municipality_code, m.name, coalesce(ms.joined_on, make_date(ms.joined_year, 1, 1)),
               'membership', ms.initiative_id || coalesce(' (' || ms.cohort || ')', ''), ms.document_id
        FROM memberships ms JOIN municipalities m USING (municipality_code)
        UNION ALL
        SELECT municipality_code, m.name, r.as_of,
               'role', r.person_name || ': ' || coalesce(r.role_normalised, r.role, '?')
                   || coalesce(' (' || r.party || ')', ''), r.document_id
        FROM roles r JOIN municipalities m USING (municipality_code)
    """,
}


def previous_path(db_path: Path) -> Path:
    """Where the database replaced by the last build is kept: `kk.duckdb` -> `kk.prev.duckdb`."""
    return db_path.with_name(f"{db_path.stem}.prev{db_path.suffix}")


def build_database(tables: dict[str, pd.DataFrame], db_path: Path, runs: list[dict]) -> Path:
    """Build `db_path` anew from `tables` (every table but `runs`) plus the `runs` rows given.

    Returns `db_path`. Raises RunFailed when the previous database cannot be read (e.g. it is
    open in another process); any exception leaves the previous database as it was.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    _remove(tmp)
    try:
        new_data = _new_data(tables, runs)
        new_run_ids = set(new_data["runs"].column("run_id").to_pylist()) | set(
            new_data["fetches"].column("run_id").to_pylist()
        )
        history = _read_history(db_path, new_run_ids) if db_path.exists() else {}
        con = duckdb.connect(str(tmp))
        try:
            for table in sch.table_names():
                con.execute(sch.ddl(table))
            for table in sch.table_names():
                parts = [history[table]] if table in history else []
                parts.append(new_data[table])
                _insert(con, table, pa.concat_tables(parts))
            for view in VIEWS.values():
                con.execute(view)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _keep_previous(db_path)
        os.replace(tmp, db_path)
    except BaseException:
        _remove(tmp)
        raise
    return db_path


def read_tables(db_path: Path) -> dict[str, pd.DataFrame]:
    """Every table of the database as a DataFrame (schema columns, Arrow dtypes, sorted by key)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise RunFailed(f"database not found: {db_path}")
    con = _connect_read_only(db_path)
    try:
        out = {}
        for table in sch.table_names():
            order = sch.primary_key(table) or sch.field_names(table)
            columns = ", ".join(f'"{c}"' for c in sch.field_names(table))
            sql = f'SELECT {columns} FROM "{table}" ORDER BY ' + ", ".join(f'"{c}" NULLS LAST' for c in order)
            out[table] = sch.to_frame(table, con.sql(sql).to_arrow_table())
        return out
    finally:
        con.close()


# ---- helpers ---------------------------------------------------------------------------

def _new_data(tables: dict[str, pd.DataFrame], runs: list[dict]) -> dict[str, pa.Table]:
    out = {}
    for table in sch.table_names():
        if table == "runs":
            rows = [{k: _utc_naive(v) for k, v in run.items()} for run in runs]
            out[table] = pa.Table.from_pylist(
                [{n: r.get(n) for n in sch.field_names("runs")} for r in rows], schema=sch.arrow_schema("runs")
            )
        elif table in tables:
            out[table] = sch.to_arrow(table, tables[table])
        elif table == "fetches":
            out[table] = sch.arrow_schema(table).empty_table()
        else:
            raise ValueError(f"build_database: table {table!r} missing from the assembled tables")
    return out


def _utc_naive(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _connect_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.IOException as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RunFailed(f"cannot open database {db_path} (in use by another process?): {first}") from exc
    except duckdb.Error as exc:
        raise RunFailed(f"cannot open database {db_path}: {str(exc).splitlines()[0]}") from exc


def _read_history(db_path: Path, skip_run_ids: set[str]) -> dict[str, pa.Table]:
    """`runs` and `fetches` rows of earlier runs from the previous database, in today's schema."""
    con = _connect_read_only(db_path)
    try:
        existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        out = {}
        for table in HISTORY_TABLES:
            if table not in existing:
                log.warning("previous database %s has no %s table; its history starts now", db_path, table)
                continue
            old = con.sql(f'SELECT * FROM "{table}"').to_arrow_table()
            schema = sch.arrow_schema(table)
            columns = []
            for field in schema:
                if field.name in old.column_names:
                    columns.append(old.column(field.name).cast(field.type))
                else:
                    columns.append(pa.nulls(len(old), field.type))
            data = pa.Table.from_arrays(columns, schema=schema)
            keep = [rid not in skip_run_ids for rid in data.column("run_id").to_pylist()]
            out[table] = data.filter(pa.array(keep, type=pa.bool_()))
        return out
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    name = f"_src_{table}"
    con.register(name, data)
    try:
        columns = ", ".join(f'"{c}"' for c in data.column_names)
        con.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{name}"')
    finally:
        con.unregister(name)


def _keep_previous(db_path: Path) -> None:
    """Keep the current database as `<stem>.prev<suffix>` without ever leaving db_path missing."""
    if not db_path.exists():
        return
    prev = previous_path(db_path)
    staging = prev.with_name(f"{prev.name}.tmp-{os.getpid()}")
    _remove(staging)
    try:
        os.link(db_path, staging)
    except OSError:
        shutil.copy2(db_path, staging)
    os.replace(staging, prev)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
