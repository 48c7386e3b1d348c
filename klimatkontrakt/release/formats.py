"""The files of a release, one writer per format in a registry (`FORMATS`, after Scrapy's feed
exporters): each writes a table's file and returns the resource that describes it in
datapackage.json; a new format is one class and one entry. The DuckDB file holds every table at
once (`write_duckdb`). CSV cells that a spreadsheet would run as formulas are neutralised; Parquet
and DuckDB hold the values unchanged."""

from __future__ import annotations

import csv
import hashlib
import logging
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.times import utc_naive
from klimatkontrakt.store.load import connect_for_build

log = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DB_NAME = "klimatkontrakt.duckdb"

PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


# How write_csv and CHANGES.csv write (RFC 4180), declared in every CSV resource (Table Dialect):
# frictionless then reads the files exactly so instead of guessing the dialect from a sample.
CSV_DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
               "doubleQuote": True, "skipInitialSpace": False}

CSV_BATCH_ROWS = 1000  # rows turned into Python values at once by write_csv


# A release's database is small and has many tables, each taking at least a block: with DuckDB's
# default 256 KB blocks the sample's 0.4 MB of data took 10.7 MB, with 16 KB blocks 0.8 MB
# (such a file needs DuckDB 1.2 or later to read).
PACKAGE_DB_BLOCK_SIZE = 16 * 1024


def write_duckdb(tables: dict[str, pa.Table], path: Path) -> Path:
    """The published tables (scrubbed, unquoted) in one DuckDB file, with the views that need
    nothing else (views over database-only tables are left out)."""
    if path.exists():
        path.unlink()
    con = connect_for_build(path, block_size=PACKAGE_DB_BLOCK_SIZE)
    try:
        for table, data in tables.items():
            con.execute(sch.ddl(table))
            con.register("_src", data)
            try:
                columns = ", ".join(f'"{c}"' for c in data.column_names)
                con.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM _src')
            finally:
                con.unregister("_src")
        for view in getattr(sch, "views", lambda: ())():
            if view.kind != "view":
                continue
            try:
                con.execute(view.sql)
            except duckdb.Error:
                log.debug("view %s left out of the package database (needs unpublished tables)", view.name)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def write_csv(table: str, data: pa.Table, path: Path) -> None:
    """UTF-8, comma-separated, CRLF line ends, quotes as needed (RFC 4180); empty cell = null."""
    kinds = [f.get("type", "string") for f in sch.fields(table)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(data.column_names)
        for batch in data.to_batches(max_chunksize=CSV_BATCH_ROWS):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for row in zip(*columns, strict=True):
                writer.writerow([_cell(v, k) for v, k in zip(row, kinds, strict=True)])


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would read as a formula with a single quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "datetime" and isinstance(value, datetime):
        return utc_naive(value).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if kind == "string":
        return neutralise(str(value))
    return str(value)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class CsvFormat:
    """data/<table>.csv: the table resource frictionless validates (types, constraints, keys)."""

    def write(self, table: str, data: pa.Table, folder: Path, table_schema: dict) -> dict:
        path = folder / "data" / f"{table}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(table, data, path)
        return {
            "name": table,
            "type": "table",
            "path": f"data/{table}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": CSV_DIALECT,
            "description": table_schema.get("description", ""),
            "hash": "sha256:" + file_sha256(path),
            "bytes": path.stat().st_size,
            "rows": data.num_rows,
            "schema": table_schema,
        }


class ParquetFormat:
    """parquet/<table>.parquet: the same rows typed, for pandas, R, DuckDB and Spark."""

    def write(self, table: str, data: pa.Table, folder: Path, table_schema: dict) -> dict:
        path = folder / "parquet" / f"{table}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(data, path)
        # "file", not "table": frictionless 5 reads nullable Parquet integers as floats and would
        # report them as type errors; validate_package checks the Parquet schema and rows itself.
        return {
            "name": f"{table}-parquet",
            "type": "file",
            "path": f"parquet/{table}.parquet",
            "format": "parquet",
            "mediatype": PARQUET_MEDIATYPE,
            "description": f"The table {table} as Parquet (same rows and columns as data/{table}.csv, "
            "values without spreadsheet quoting).",
            "hash": "sha256:" + file_sha256(path),
            "bytes": path.stat().st_size,
            "x-rows": data.num_rows,  # "rows" would make frictionless try to count them itself
            "schema": {k: v for k, v in table_schema.items() if k != "foreignKeys"},
        }


# format name -> writer, in the order their resources are listed in datapackage.json
FORMATS = {"csv": CsvFormat(), "parquet": ParquetFormat()}
