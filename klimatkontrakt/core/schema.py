"""Table Schemas (`schemas/<table>.json`): the single source of truth for every table.

DDL, Arrow/pandas dtypes, package descriptors, validation and `docs/data-dictionary.md` are
derived from the JSON files here, and so are the lists of tables: each schema declares its
table's part in the pipeline with the pipeline's own keys (left out of the published package):

* `x-role`, who builds the table: `reference` (the vendored reference data), `evidence` (what the
  facts rest on: the documents, their contracts and sections, every claim of a fact), `fact` (what extractors state: one row builder each in
  `klimatkontrakt/assemble/rows.py`, merged across documents with `claims`), `derived` (computed
  from the run's other tables: a table builder each, `klimatkontrakt/assemble/derived.py`),
  `summary` (built inside the new database from the crawl log), `run-log` (a row per run or
  fetch, earlier runs' rows carried over), `state` (the crawl state for the next run);
* `x-order`: the table's place in dependency order (a table comes after those its foreign keys
  point to; `TABLES`, the package's resources and the dictionary follow it);
* `x-versioned: true`: the table's rows are versioned across runs in `<table>_history`, whose
  schema `klimatkontrakt/store/history.py` generates (`x-history` names the table it follows);
* `x-published: false`: kept in the database only (the run logs, the crawl state).

The folder is looked up next to the installed package first (`klimatkontrakt/_data/schemas`,
where the wheel puts it) and then at the repository root. The views and table macros of the
database are in `schemas/views.sql` (see `views()`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from klimatkontrakt.core.reference import data_dir


def schemas_dir() -> Path:
    """The folder holding `<table>.json`."""
    return data_dir("schemas", "municipalities.json")


ROLES = ("reference", "evidence", "fact", "derived", "summary", "run-log", "state")


def _declared() -> dict[str, dict]:
    """Every schema file of the folder by table name, checked for the keys the pipeline reads."""
    folder = schemas_dir()
    out = {}
    for path in sorted(folder.glob("*.json")):
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        name = path.stem
        if descriptor.get("name", name) != name:
            raise ValueError(f"{path}: name is {descriptor['name']!r}, expected {name!r}")
        if "x-history" not in descriptor:
            if descriptor.get("x-role") not in ROLES:
                raise ValueError(f"{path}: x-role must be one of {', '.join(ROLES)}")
            if not isinstance(descriptor.get("x-order"), int):
                raise ValueError(f"{path}: x-order must be an integer (the table's place in dependency order)")
        out[name] = descriptor
    if not out:
        raise FileNotFoundError(f"no table schema in {folder}")
    return out


def _tables_of(declared: dict[str, dict], *roles: str) -> tuple[str, ...]:
    base = [n for n, d in declared.items() if d.get("x-role") in roles]
    return tuple(sorted(base, key=lambda n: (declared[n]["x-order"], n)))


_DECLARED = _declared()

# The tables of the dataset in dependency order: every role but the crawl state.
TABLES: tuple[str, ...] = _tables_of(_DECLARED, *(r for r in ROLES if r != "state"))
FACT_TABLES: tuple[str, ...] = _tables_of(_DECLARED, "fact")
REFERENCE_TABLES: tuple[str, ...] = _tables_of(_DECLARED, "reference")
DERIVED_TABLES: tuple[str, ...] = _tables_of(_DECLARED, "derived")
RUN_LOG_TABLES: tuple[str, ...] = _tables_of(_DECLARED, "run-log")  # earlier runs' rows carried over
SUMMARY_TABLES: tuple[str, ...] = _tables_of(_DECLARED, "summary")  # built in the database from the crawl log
STATE_TABLES: tuple[str, ...] = _tables_of(_DECLARED, "state")
# Tables whose rows are versioned across runs in `<table>_history`.
VERSIONED_TABLES: tuple[str, ...] = tuple(t for t in TABLES if _DECLARED[t].get("x-versioned"))
HISTORY_TABLES: tuple[str, ...] = tuple(f"{t}_history" for t in VERSIONED_TABLES)

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "time": "TIME",
    "year": "INTEGER",
    "yearmonth": "VARCHAR",
    "duration": "VARCHAR",
    "object": "VARCHAR",  # JSON text
    "array": "VARCHAR",  # JSON text
    "geopoint": "VARCHAR",
    "geojson": "VARCHAR",
    "any": "VARCHAR",
}

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "time": pa.time64("us"),
    "year": pa.int32(),
}


class _Schemas(dict):
    """The schemas by table name; a history schema not written yet is a clear error when asked
    for, not before (its generator reads the other schemas)."""

    def __missing__(self, table: str) -> dict:
        if table in HISTORY_TABLES:
            raise FileNotFoundError(f"missing history schema {table}.json in {schemas_dir()}"
                                    " (python -m klimatkontrakt.store.history writes it)")
        raise KeyError(table)


@lru_cache(maxsize=1)
def _load_all() -> _Schemas:
    # the files read for the lists above serve the first call; after a cache_clear() (the history
    # schemas were written anew) they are read again
    global _DECLARED
    declared, _DECLARED = _DECLARED or _declared(), None
    return _Schemas((name, declared[name]) for name in TABLES + HISTORY_TABLES + STATE_TABLES if name in declared)


def database_table_names() -> list[str]:
    """Every table of the DuckDB database: the published ones in dependency order, then the
    history tables, then the crawl state (e.g. `page_state`)."""
    schemas = _load_all()
    for table in HISTORY_TABLES:
        schemas[table]  # noqa: B018 - a history schema not written yet fails here, with what to run
    return list(TABLES + HISTORY_TABLES + STATE_TABLES)


def other_table_names() -> list[str]:
    """The crawl state (`x-role: state`, e.g. `page_state`): the loader takes it from the tables
    it is given, or else carries it over from the previous database."""
    return list(STATE_TABLES)


def is_published(table: str) -> bool:
    """False for database-only tables (`"x-published": false` in the schema)."""
    return bool(_load_all()[table].get("x-published", True))


def published_table_names() -> list[str]:
    """The tables of the published data package, in dependency order (referenced tables first)."""
    return [t for t in database_table_names() if is_published(t)]


def table_names() -> list[str]:
    """The published tables, in dependency order: `published_table_names()` (kept for callers
    that predate the database-only history tables)."""
    return published_table_names()


def history_table(table: str) -> str:
    """`signings` -> `signings_history`."""
    if table not in VERSIONED_TABLES:
        raise KeyError(f"{table!r} is not versioned")
    return f"{table}_history"


def history_of(table: str) -> str | None:
    """`signings_history` -> `signings`; None for tables that are not a history."""
    return (_load_all()[table].get("x-history") or {}).get("of")


def history_ignored(table: str) -> list[str]:
    """Columns of versioned `table` whose changes alone do not make a new version
    (e.g. `documents.fetched_at`, new on every run)."""
    return list((_load_all()[history_table(table)].get("x-history") or {}).get("ignore", []))


def run_specific_columns(table: str) -> list[str]:
    """Columns that change with every run without any fact changing (`"x-run-specific": true`):
    left out of the content hash that decides on a new release, and of the facts' versions."""
    return [f["name"] for f in _load_all()[table]["fields"] if f.get("x-run-specific")]


def descriptor(table: str) -> dict:
    """The Table Schema of `table` as a fresh dict (safe to modify)."""
    return copy.deepcopy(_load_all()[table])


def fields(table: str) -> list[dict]:
    return descriptor(table)["fields"]


def field_names(table: str) -> list[str]:
    return [f["name"] for f in _load_all()[table]["fields"]]


def primary_key(table: str) -> list[str]:
    pk = _load_all()[table].get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def foreign_keys(table: str) -> list[dict]:
    """Foreign keys with `fields` always as lists."""
    out = []
    for fk in _load_all()[table].get("foreignKeys", []):
        ref = fk["reference"]
        as_list = lambda v: [v] if isinstance(v, str) else list(v)  # noqa: E731
        out.append({
            "fields": as_list(fk["fields"]),
            "reference": {"resource": ref["resource"], "fields": as_list(ref["fields"])},
        })
    return out


def is_required(field: dict) -> bool:
    return bool(field.get("constraints", {}).get("required"))


def duckdb_type(field: dict) -> str:
    return DUCKDB_TYPES[field.get("type", "string")]


def ddl(table: str) -> str:
    """CREATE TABLE statement for DuckDB (primary key, NOT NULL for required fields).

    Foreign keys are not declared in DuckDB (its FK constraints get in the way of rebuilding);
    they are checked when the package is validated.
    """
    schema = _load_all()[table]
    pk = primary_key(table)
    lines = []
    for field in schema["fields"]:
        not_null = " NOT NULL" if is_required(field) or field["name"] in pk else ""
        lines.append(f'    "{field["name"]}" {duckdb_type(field)}{not_null}')
    if pk:
        quoted = ", ".join(f'"{c}"' for c in pk)
        lines.append(f"    PRIMARY KEY ({quoted})")
    return f'CREATE TABLE "{table}" (\n' + ",\n".join(lines) + "\n)"


def frictionless_schema(table: str):
    """The schema as a `frictionless.Schema`."""
    from frictionless import Schema

    return Schema.from_descriptor(descriptor(table))


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema(
        [pa.field(f["name"], ARROW_TYPES.get(f.get("type", "string"), pa.string())) for f in _load_all()[table]["fields"]]
    )


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """`frame` as an Arrow table with exactly the schema's columns and types."""
    schema = arrow_schema(table)
    missing = [n for n in schema.names if n not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing column(s) {', '.join(missing)}")
    arrays = []
    for field in schema:
        column = frame[field.name]
        try:
            arrays.append(pa.array(column, type=field.type, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            values = [None if _isna(v) else v for v in column.tolist()]
            arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def conform(data: pa.Table, schema: pa.Schema) -> pa.Table:
    """`data` in `schema`: columns it lacks (an older database) as nulls, extra ones dropped."""
    columns = []
    for field in schema:
        if field.name in data.column_names:
            columns.append(data.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(len(data), field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def to_frame(table: str, data: pa.Table | list[dict]) -> pd.DataFrame:
    """A DataFrame with the schema's columns in order and Arrow-backed dtypes
    (string, int64, bool, date32, timestamp[us]: nullable throughout)."""
    schema = arrow_schema(table)
    if isinstance(data, list):
        data = pa.Table.from_pylist([{n: row.get(n) for n in schema.names} for row in data], schema=schema)
    else:
        data = data.select(schema.names).cast(schema)
    return data.to_pandas(types_mapper=pd.ArrowDtype)


def sorted_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """`to_frame` of the rows sorted by primary key (empty values last): the same rows in any
    order give identical frames."""
    key = primary_key(table) or field_names(table)
    ordered = sorted(rows, key=lambda row: tuple((row.get(c) is None, 0 if row.get(c) is None else row.get(c)) for c in key))
    return to_frame(table, rows_table(table, ordered))


def rows_table(table: str, rows: list[dict]) -> pa.Table:
    """The rows as Arrow in the schema's columns, built column by column (no second dict per row)."""
    schema = arrow_schema(table)
    return pa.Table.from_pydict({n: [row.get(n) for row in rows] for n in schema.names}, schema=schema)


def empty_frame(table: str) -> pd.DataFrame:
    return to_frame(table, [])


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# ---- views and table macros (schemas/views.sql) ------------------------------------------

@dataclass(frozen=True)
class View:
    """A view or table macro of the database, as declared in `schemas/views.sql`."""

    name: str
    kind: str  # "view" | "macro"
    signature: str  # "signings_as_of(ts)" for macros, the name for views
    description: str
    columns: dict[str, str]  # documented columns: name -> description
    sql: str  # the CREATE statement, without the final ";"


_HEADER = re.compile(r"^-- @(view|macro) (\w+)(\([^)]*\))?\s*$")
_COLUMN = re.compile(r"^- `(\w+)`: (.*)$")


@lru_cache(maxsize=1)
def views() -> tuple[View, ...]:
    """Every view and table macro, in creation order (a view comes after what it reads)."""
    text = (schemas_dir() / "views.sql").read_text(encoding="utf-8")
    out: list[View] = []
    current: dict | None = None

    def finish() -> None:
        if current is None:
            return
        sql = "\n".join(current["sql"]).strip()
        if not sql.endswith(";") or sql[:-1].count(";"):
            raise ValueError(f"views.sql: {current['name']} must be exactly one statement ending in ';'")
        out.append(View(current["name"], current["kind"], current["signature"], " ".join(current["doc"]),
                        current["columns"], sql[:-1].rstrip()))

    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            finish()
            kind, name, args = header.groups()
            current = {"name": name, "kind": kind, "signature": name + (args or ""), "doc": [], "columns": {},
                       "sql": []}
        elif current is None:
            continue  # the file's preamble
        elif not current["sql"] and line.startswith("--"):
            comment = line[2:].strip()
            column = _COLUMN.match(comment)
            if column:
                current["columns"][column.group(1)] = column.group(2)
            elif comment:
                current["doc"].append(comment)
        elif current["sql"] or line.strip():
            current["sql"].append(line)
    finish()
    out = [*_versioned_views(), *out, _changes_view()]
    names = [v.name for v in out]
    if len(set(names)) != len(names):
        raise ValueError("views.sql: duplicate names")
    return tuple(out)


_VERSION_COLUMNS = "valid_from, valid_to, run_id_from, run_id_to, change, closed_by"


def _versioned_views() -> list[View]:
    """`current_<table>` and `<table>_as_of(ts)` of every versioned table, from its history."""
    current, as_of = [], []
    for t in VERSIONED_TABLES:
        h = history_table(t)
        current.append(View(f"current_{t}", "view", f"current_{t}",
                            f"The {t} as of the latest run: the open versions of `{h}`; the same rows as `{t}`.", {},
                            f"CREATE VIEW current_{t} AS\nSELECT * EXCLUDE ({_VERSION_COLUMNS})\nFROM {h}\nWHERE valid_to IS NULL"))
        as_of.append(View(f"{t}_as_of", "macro", f"{t}_as_of(ts)",
                          f"The {t} as the pipeline knew them at timestamp `ts` (UTC). Columns as in `{t}`.", {},
                          f"CREATE MACRO {t}_as_of(ts) AS TABLE\nSELECT * EXCLUDE ({_VERSION_COLUMNS})\nFROM {h}\n"
                          "WHERE valid_from <= ts AND (valid_to IS NULL OR valid_to > ts)"))
    return current + as_of


def _changes_view() -> View:
    """`changes`: every version of every versioned table, as a change seen by a run."""
    parts = []
    for t in VERSIONED_TABLES:
        municipality = "municipality_code" if "municipality_code" in field_names(t) else "NULL::VARCHAR"
        parts.append(f"    SELECT '{t}' AS fact_table, {primary_key(t)[0]} AS fact_id, {municipality} AS municipality_code,\n"
                     f"           valid_from, run_id_from, valid_to, run_id_to, change, closed_by FROM {history_table(t)}")
    tables = ", ".join(f'"{t}"' for t in VERSIONED_TABLES)
    sql = ("CREATE VIEW changes AS\nWITH all_versions AS (\n" + "\n    UNION ALL\n".join(parts) + "\n)\n"
           "SELECT valid_from AS seen_at, run_id_from AS run_id, fact_table, fact_id, change, municipality_code FROM all_versions\n"
           "UNION ALL\nSELECT valid_to, run_id_to, fact_table, fact_id, 'removed', municipality_code FROM all_versions\n"
           "WHERE closed_by = 'removed'\nORDER BY seen_at, run_id, fact_table, fact_id, change")
    columns = {"seen_at": "Start of the run that saw the change (UTC).", "run_id": "That run (see `runs`).",
               "fact_table": f"The versioned table: {tables}.", "fact_id": "The row's id in that table.",
               "change": '"added", "changed" or "removed".',
               "municipality_code": "The municipality the row is about, when it names one."}
    return View("changes", "view", "changes",
                "Every change the runs saw in the versioned tables, newest last: a row added, changed or removed.",
                columns, sql)


def view_names() -> list[str]:
    return [v.name for v in views() if v.kind == "view"]


def create_views(con) -> None:
    """Create every view and table macro of `schemas/views.sql` on a DuckDB connection."""
    for view in views():
        con.execute(view.sql)
