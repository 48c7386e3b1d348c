"""Table Schemas (`schemas/<table>.json`): the single source of truth for every table.

DDL, Arrow/pandas dtypes, package descriptors, validation and `docs/data-dictionary.md`
are all derived from the hand-written JSON files here. The folder is looked up next to the
installed package first (`klimatkontrakt/_data/schemas`, where the wheel puts it) and then
at the repository root.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

import klimatkontrakt

# Dependency order: a table comes after every table its foreign keys point to.
TABLES: tuple[str, ...] = (
    "municipalities",
    "organisations",
    "documents",
    "events",
    "signings",
    "roles",
    "memberships",
    "claims",
    "runs",
    "fetches",
)

FACT_TABLES: tuple[str, ...] = ("signings", "events", "roles", "memberships")

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


def schemas_dir() -> Path:
    """The folder holding `<table>.json`."""
    package_dir = Path(klimatkontrakt.__file__).resolve().parent
    for candidate in (package_dir / "_data" / "schemas", package_dir.parent / "schemas"):
        if (candidate / "municipalities.json").is_file():
            return candidate
    raise FileNotFoundError(f"table schemas not found next to {package_dir}")


@lru_cache(maxsize=1)
def _load_all() -> dict[str, dict]:
    folder = schemas_dir()
    found = {p.stem for p in folder.glob("*.json")}
    missing = set(TABLES) - found
    if missing:
        raise FileNotFoundError(f"missing table schema(s) in {folder}: {', '.join(sorted(missing))}")
    out = {}
    for name in TABLES:
        descriptor = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        if descriptor.get("name", name) != name:
            raise ValueError(f"{folder / name}.json: name is {descriptor['name']!r}, expected {name!r}")
        out[name] = descriptor
    return out


def table_names() -> list[str]:
    """Every table, in dependency order (referenced tables first)."""
    return list(TABLES)


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


def to_frame(table: str, data: pa.Table | list[dict]) -> pd.DataFrame:
    """A DataFrame with the schema's columns in order and Arrow-backed dtypes
    (string, int64, bool, date32, timestamp[us]: nullable throughout)."""
    schema = arrow_schema(table)
    if isinstance(data, list):
        data = pa.Table.from_pylist([{n: row.get(n) for n in schema.names} for row in data], schema=schema)
    else:
        data = data.select(schema.names).cast(schema)
    return data.to_pandas(types_mapper=pd.ArrowDtype)


def empty_frame(table: str) -> pd.DataFrame:
    return to_frame(table, [])


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
