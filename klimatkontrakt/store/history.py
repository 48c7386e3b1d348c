"""Version history of the facts across runs: `<table>_history` (in the database and the package).

Each table of `schema.VERSIONED_TABLES` (`"x-versioned": true` in its schema) has a
history table with all of its columns plus

    valid_from   TIMESTAMP  start of the run that first saw this version (UTC)
    valid_to     TIMESTAMP  start of the run that no longer saw it; NULL while current
    run_id_from  VARCHAR    that first run
    run_id_to    VARCHAR    the run that closed it; NULL while current
    change       VARCHAR    how the version began: added | changed
    closed_by    VARCHAR    how it ended: changed | removed; NULL while current

A version is valid for `valid_from <= t < valid_to`, so the state as of a timestamp is plain SQL:

    SELECT * FROM signings_history
    WHERE valid_from <= TIMESTAMP '2026-11-27 03:00' AND (valid_to IS NULL OR valid_to > TIMESTAMP '2026-11-27 03:00')

On each build, `next_history()` compares the run's rows with the open versions by primary key:
a row with the same content (every column but the key and the ignored ones, e.g.
`documents.fetched_at`) keeps its open version; a row whose content differs closes the open
version (closed_by "changed") and opens a new one (change "changed"); a row no longer present
is closed (closed_by "removed"); a new row opens a version (change "added"). The ignored
columns of an open version are refreshed from the run, so open versions equal the table. Rebuilding the run
that built the previous database first undoes that run's own changes, so a rebuild replaces
them. The open versions always equal the table itself (the `current_<table>` views).

The schemas `schemas/<table>_history.json` are generated from the tables' schemas with
`uv run python -m klimatkontrakt.store.history` (a test fails when they drift apart).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from klimatkontrakt.core import schema as sch

VERSION_FIELDS: list[dict] = [
    {
        "name": "valid_from",
        "type": "datetime",
        "description": "Start (UTC) of the run that first saw this version of the row: the version is valid "
                       "from then on (valid_from <= t < valid_to).",
        "constraints": {"required": True},
    },
    {
        "name": "valid_to",
        "type": "datetime",
        "description": "Start (UTC) of the run that no longer saw this version (the row changed or vanished); "
                       "empty while the version is current.",
    },
    {
        "name": "run_id_from",
        "type": "string",
        "description": "The run that first saw this version (see `runs` in the database, and `sources.last_run_id`).",
        "constraints": {"required": True},
    },
    {
        "name": "run_id_to",
        "type": "string",
        "description": "The run that closed this version (see `runs` in the database); empty while the version is current.",
    },
    {
        "name": "change",
        "type": "string",
        "description": "How this version began: \"added\" when no version of the row was current before (a new "
                       "row, or one that reappeared), \"changed\" when it replaced a version with different "
                       "content.",
        "constraints": {"required": True, "enum": ["added", "changed"]},
    },
    {
        "name": "closed_by",
        "type": "string",
        "description": "How this version ended: \"changed\" (a newer version of the row replaced it) or "
                       "\"removed\" (run `run_id_to` no longer found the row); empty while the version is current.",
        "constraints": {"enum": ["changed", "removed"]},
    },
]
VERSION_COLUMNS = [f["name"] for f in VERSION_FIELDS]


# ---- the schemas -----------------------------------------------------------------------

def history_descriptor(table: str) -> dict:
    """The Table Schema of `<table>_history`, derived from the schema of `table`."""
    # read the file itself: the history schemas may not exist yet
    base = json.loads((sch.schemas_dir() / f"{table}.json").read_text(encoding="utf-8"))
    pk = base.get("primaryKey", [])
    key = [pk] if isinstance(pk, str) else list(pk)
    name = sch.history_table(table)
    # a change in a run-specific column alone (e.g. `documents.fetched_at`) is no new version
    ignored = sch.run_specific_columns(table)
    as_of = "TIMESTAMP '2026-01-01 00:00'"
    description = (
        f"Every version of the rows of `{table}` across runs, so the dataset's state on any day can be read back. "
        f"A version is valid from `valid_from` (inclusive) to `valid_to` (exclusive, empty while current); the "
        f"current versions equal `{table}` (view `current_{table}`). The state as of a time is "
        f"`SELECT * FROM {name} WHERE valid_from <= {as_of} AND (valid_to IS NULL OR valid_to > {as_of})`. "
        f"A new version is opened when any column but {', '.join(f'`{c}`' for c in key + ignored)} changes."
    )
    fields = []
    for field in base["fields"]:
        field = dict(field)
        if field["name"] in key:
            field["description"] = f"{field['description']} Several versions share it."
        fields.append(field)
    fields += [json.loads(json.dumps(f)) for f in VERSION_FIELDS]
    out = {
        "name": name,
        "title": f"History of {table}",
        "description": description,
        "x-history": {"of": table, "ignore": ignored},
        "fields": fields,
        "primaryKey": key + ["run_id_from"],
        "foreignKeys": [
            {"fields": ["run_id_from"], "reference": {"resource": "runs", "fields": ["run_id"]}},
            {"fields": ["run_id_to"], "reference": {"resource": "runs", "fields": ["run_id"]}},
        ],
    }
    return out


def render_history_schema(table: str) -> str:
    return json.dumps(history_descriptor(table), ensure_ascii=False, indent=2) + "\n"


def write_history_schemas(folder: Path | None = None) -> list[Path]:
    folder = folder or sch.schemas_dir()
    out = []
    for table in sch.VERSIONED_TABLES:
        path = folder / f"{sch.history_table(table)}.json"
        path.write_text(render_history_schema(table), encoding="utf-8")
        out.append(path)
    sch._load_all.cache_clear()
    return out


# ---- the versions ----------------------------------------------------------------------

def seed_history(table: str, rows: pa.Table, run_id: str, started_at: datetime) -> pa.Table:
    """History for a database built before history existed: its rows as versions opened by its last run."""
    return next_history(table, _empty(table), rows, run_id, started_at)


def next_history(table: str, previous: pa.Table | None, current, run_id: str,
                 started_at: datetime) -> pa.Table:
    """The history of `table` after the run `run_id` (started `started_at`, UTC naive) found the
    rows `current`. `previous` is the history before the run (None or empty for the first run).
    Deterministic: sorted by key and run; the same inputs always give the same table."""
    name = sch.history_table(table)
    schema = sch.arrow_schema(name)
    key = sch.primary_key(table)
    ignored = set(sch.history_ignored(table))
    content = [c for c in sch.field_names(table) if c not in key and c not in ignored]
    versions = [] if previous is None else sch.conform(previous, schema).to_pylist()

    # Rebuilding the run that built the previous database: undo its own changes first.
    versions = [v for v in versions if v["run_id_from"] != run_id]
    for v in versions:
        if v["run_id_to"] == run_id:
            v.update(valid_to=None, run_id_to=None, closed_by=None)

    open_by_key = {}
    for v in versions:
        if v["valid_to"] is None and v["run_id_to"] is None:
            k = tuple(v[c] for c in key)
            if k in open_by_key:
                raise ValueError(f"{name}: two open versions of {k}")
            open_by_key[k] = v

    if not isinstance(current, pa.Table):
        current = sch.to_arrow(table, current)  # a DataFrame
    rows = current.select(sch.field_names(table)).cast(sch.arrow_schema(table)).to_pylist()
    seen = set()
    for row in rows:
        k = tuple(row[c] for c in key)
        seen.add(k)
        old = open_by_key.get(k)
        if old is not None and all(old[c] == row[c] for c in content):
            old.update({c: row[c] for c in ignored})  # unchanged: the open version stays, ignored columns refreshed
            continue
        change = "added"
        if old is not None:
            old.update(valid_to=started_at, run_id_to=run_id, closed_by="changed")
            change = "changed"
        versions.append({**row, "valid_from": started_at, "valid_to": None, "run_id_from": run_id,
                         "run_id_to": None, "change": change, "closed_by": None})
    for k, old in open_by_key.items():
        if k not in seen:
            old.update(valid_to=started_at, run_id_to=run_id, closed_by="removed")

    versions.sort(key=lambda v: (*(("" if v[c] is None else str(v[c])) for c in key),
                                 v["valid_from"], v["run_id_from"]))
    return pa.Table.from_pylist([{n: v.get(n) for n in schema.names} for v in versions], schema=schema)


def _empty(table: str) -> pa.Table:
    return sch.arrow_schema(sch.history_table(table)).empty_table()



if __name__ == "__main__":  # pragma: no cover
    for path in write_history_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(path)
