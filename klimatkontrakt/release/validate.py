"""Validation of a release folder before it becomes visible: frictionless over the descriptor
(types, constraints, keys, hashes, sizes, with each CSV read in the dialect it declares) and a
check that each Parquet file has the schema's columns and the CSV's row count."""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from klimatkontrakt.core.errors import one_line

MAX_ERROR_LINES = 20


def validate_package(path: Path, *, limit: int = MAX_ERROR_LINES) -> tuple[bool, list[str]]:
    """Validate a package folder (or its datapackage.json) with frictionless.

    Returns (valid, lines): at most `limit` one-line problems such as
    "signings: row 3, field municipality_code: constraint-error: ... (value '484')".
    """
    from frictionless import FrictionlessException, Package

    _use_declared_csv_dialects()
    path = Path(path)
    descriptor = path / "datapackage.json" if path.is_dir() else path
    try:
        json.loads(descriptor.read_text(encoding="utf-8"))
        package = Package(str(descriptor))
        report = package.validate()
    except FrictionlessException as exc:
        return False, [f"datapackage.json: {one_line(exc.error.message)}"]
    except (OSError, ValueError) as exc:
        return False, [f"datapackage.json: {one_line(str(exc))}"]
    lines = [f"datapackage.json: {_describe(e)}" for e in report.errors]
    for task in report.tasks:
        for error in task.errors:
            lines.append(f"{task.name}: {_describe(error)}")
    lines += _check_parquet(descriptor.parent, json.loads(descriptor.read_text(encoding="utf-8")))
    if report.valid and not lines:
        return True, []
    return False, lines[:limit] or ["invalid (no details)"]


@functools.cache  # once per process: the plugin stays registered
def _use_declared_csv_dialects() -> None:
    """Let frictionless read a CSV resource whose dialect declares everything it would otherwise
    sniff (delimiter, quote, line terminator, initial spaces) without sniffing.

    frictionless runs `csv.Sniffer` over the first 100 lines of every CSV it opens, and only then
    overrides the guess with the declared values; the sniffer is quadratic in the line length, so
    the long JSON cells of `conflicts` made it cost over a minute at 10,000 pages, for a guess
    that is thrown away. Cells, types, constraints and keys are checked exactly as before.
    """
    from frictionless import Plugin, system
    from frictionless.formats.csv.control import CsvControl
    from frictionless.formats.csv.parser import CsvParser

    sniffed = ("delimiter", "line_terminator", "quote_char", "skip_initial_space")

    class DeclaredDialectCsvParser(CsvParser):
        def read_cell_stream_create(self):
            control = CsvControl.from_dialect(self.resource.dialect)
            if not all(control.has_defined(name) for name in sniffed):
                yield from super().read_cell_stream_create()
                return
            yield from csv.reader(self.loader.text_stream, dialect=control.to_python())

    class DeclaredDialectPlugin(Plugin):
        def create_parser(self, resource):
            if resource.format == "csv":
                return DeclaredDialectCsvParser(resource)
            return None

    system.register("klimatkontrakt-csv", DeclaredDialectPlugin())


def _check_parquet(folder: Path, descriptor: dict) -> list[str]:
    """What frictionless does not check in Parquet resources: columns, types and row count."""
    from klimatkontrakt.core.schema import ARROW_TYPES

    problems = []
    for r in descriptor.get("resources", []):
        if r.get("format") != "parquet" or not isinstance(r.get("schema"), dict):
            continue
        try:
            meta = pq.ParquetFile(folder / r["path"])
        except (OSError, pa.ArrowException) as exc:
            problems.append(f"{r['name']}: unreadable Parquet file: {one_line(str(exc))}")
            continue
        arrow = meta.schema_arrow
        want = [(f["name"], ARROW_TYPES.get(f.get("type", "string"), pa.string())) for f in r["schema"]["fields"]]
        have = [(f.name, f.type) for f in arrow]
        if have != want:
            problems.append(f"{r['name']}: parquet-schema-error: columns {[f'{n}:{t}' for n, t in have]} "
                            f"do not match the schema {[f'{n}:{t}' for n, t in want]}")
        expected = r.get("x-rows", r.get("rows"))
        if expected is not None and meta.metadata.num_rows != expected:
            problems.append(f"{r['name']}: row-count-error: {meta.metadata.num_rows} rows, expected {expected}")
    return problems


def _describe(error) -> str:
    where = []
    row = getattr(error, "row_number", None)
    if row is not None:
        where.append(f"row {row}")
    field = getattr(error, "field_name", None)
    if field:
        where.append(f"field {field}")
    text = f"{error.type}: {error.note or error.message}"
    cell = getattr(error, "cell", None)
    if cell not in (None, ""):
        text += f" (value {str(cell)[:60]!r})"
    return one_line((", ".join(where) + ": " if where else "") + text)


