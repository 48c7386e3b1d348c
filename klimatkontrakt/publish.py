"""Publish: the database as a validated, versioned Frictionless Data Package.

A release is built in `out_dir/packages/.tmp-<version>/`, validated with frictionless (types,
constraints, primary and foreign keys, hashes) and only then renamed to
`out_dir/packages/<version>/`; `packages/latest` (a symlink, swapped atomically) and
`packages/LATEST` (a text file, for platforms without symlinks) then name it. Releases are never
modified afterwards: a second release on the same day becomes "<date>.2", and so on.

CSV cells of string columns that begin with = + - @ (or a tab / carriage return) are prefixed
with a single quote ' so spreadsheet programs do not run them as formulas; the Parquet files hold
the values unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from klimatkontrakt import schema as sch
from klimatkontrakt.errors import RunFailed
from klimatkontrakt.load import read_tables

log = logging.getLogger(__name__)

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ERROR_LINES = 20

LICENSES = [{
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}]
SOURCES = [
    {
        "title": "Viable Cities: Klimatkontrakt 2030 news and pages (viablecities.se), and the websites of "
        "the Swedish municipalities and agencies that signed",
        "path": "https://viablecities.se/",
    },
    {
        "title": "Municipality and county codes: Statistics Sweden (SCB), as compiled in sjbrg/swedish-geodata "
        "(data/municipality_county.csv, release v2025.01), licence CC0 1.0",
        "path": "https://github.com/sjbrg/swedish-geodata",
        "version": "v2025.01",
    },
]
KEYWORDS = [
    "klimatkontrakt", "klimatkontrakt 2030", "climate city contract", "viable cities",
    "climate neutrality", "cities", "municipalities", "sweden", "open data",
]


# ---- publishing ------------------------------------------------------------------------

def publish(db_path: Path, out_dir: Path, *, version: str | None = None, created: datetime) -> Path:
    """Write, validate and release a package of every table; returns the release folder."""
    packages = Path(out_dir) / "packages"
    packages.mkdir(parents=True, exist_ok=True)
    if version is None:
        version = next_version(packages, created)
    elif not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]*", version):
        raise RunFailed(f"bad package version {version!r}")
    elif (packages / version).exists():
        raise RunFailed(f"release {version} exists already in {packages}; releases are never modified")
    final = packages / version
    tmp = packages / f".tmp-{version}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tables = read_tables(Path(db_path))
        write_package(tables, tmp, version=version, created=created)
        valid, errors = validate_package(tmp)
        if not valid:
            first = errors[0] if errors else "unknown problem"
            raise RunFailed(f"package {version} failed validation ({len(errors)} problem(s) shown); first: {first}")
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_latest(packages, version)
    return final


def next_version(packages: Path, created: datetime) -> str:
    """"2026.11.27", or "2026.11.27.2", ".3", ... when that release exists already."""
    base = _utc(created).strftime("%Y.%m.%d")
    version, n = base, 1
    while (packages / version).exists():
        n += 1
        version = f"{base}.{n}"
    return version


def write_package(tables: dict, folder: Path, *, version: str, created: datetime) -> Path:
    """CSV + Parquet per table, datapackage.json and README.md into `folder` (no validation)."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "parquet").mkdir(parents=True, exist_ok=True)
    resources, counts = [], {}
    for table in sch.table_names():
        data = sch.to_arrow(table, tables[table])
        counts[table] = data.num_rows
        csv_path = folder / "data" / f"{table}.csv"
        write_csv(table, data, csv_path)
        pq.write_table(data, folder / "parquet" / f"{table}.parquet")
        table_schema = sch.descriptor(table)
        table_schema.pop("name", None)
        resources.append({
            "name": table,
            "type": "table",
            "path": f"data/{table}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": table_schema.get("description", ""),
            "hash": "sha256:" + _sha256(csv_path),
            "bytes": csv_path.stat().st_size,
            "schema": table_schema,
        })
    descriptor = {
        "$schema": PACKAGE_PROFILE,
        "name": "klimatkontrakt",
        "title": "Klimatkontrakt 2030: who signed Sweden's climate city contracts, when and where",
        "description": "Signings of Klimatkontrakt 2030 (the climate city contracts between Swedish "
        "municipalities, national agencies and the Viable Cities programme), related EU Mission "
        "contracts and labels, the events where they were signed, the people named in the roles of "
        "signatories, and municipalities' memberships; every fact links to the web page it was taken "
        "from and the passage that states it.",
        "version": version,
        "created": _utc(created).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": LICENSES,
        "sources": SOURCES,
        "keywords": KEYWORDS,
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "README.md").write_text(_readme(version, descriptor, counts), encoding="utf-8")
    return folder


def write_csv(table: str, data: pa.Table, path: Path) -> None:
    """UTF-8, comma-separated, CRLF line ends, quotes as needed (RFC 4180); empty cell = null."""
    kinds = [f.get("type", "string") for f in sch.fields(table)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(data.column_names)
        for batch in data.to_batches(max_chunksize=10_000):
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
        return _utc(value).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if kind == "string":
        return neutralise(str(value))
    return str(value)


def _utc(value: datetime) -> datetime:
    """Naive UTC (aware datetimes converted, naive ones taken as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _point_latest(packages: Path, version: str) -> None:
    """`latest` -> version (symlink swapped atomically) and `LATEST` (text) = version."""
    text_tmp = packages / f".LATEST.tmp-{os.getpid()}"
    text_tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(text_tmp, packages / "LATEST")
    link_tmp = packages / f".latest.tmp-{os.getpid()}"
    try:
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        os.symlink(version, link_tmp, target_is_directory=True)
        os.replace(link_tmp, packages / "latest")
    except OSError as exc:  # no symlinks on this platform, or `latest` is a real folder
        log.warning("could not point %s at %s (%s); see LATEST", packages / "latest", version, exc)
        if link_tmp.is_symlink():
            link_tmp.unlink()


def _readme(version: str, descriptor: dict, counts: dict[str, int]) -> str:
    lines = [
        f"# {descriptor['title']}",
        "",
        f"Version {version}, created {descriptor['created']}.",
        "",
        descriptor["description"],
        "",
        "## Files",
        "",
        "- `datapackage.json`: the Frictionless Data Package (v2) descriptor with a Table Schema per table",
        "  (types, constraints, primary and foreign keys) and the SHA-256 of every CSV file.",
        "- `data/<table>.csv`: one CSV per table: UTF-8, comma-separated, CRLF line ends, fields quoted",
        "  when needed (RFC 4180), empty cell = no value, dates as YYYY-MM-DD, times in UTC as",
        "  YYYY-MM-DDThh:mm:ssZ.",
        "- `parquet/<table>.parquet`: the same tables as typed Parquet files.",
        "",
        "| table | rows | description |",
        "|---|---:|---|",
    ]
    for resource in descriptor["resources"]:
        desc = re.split(r"(?<!e\.g)\.\s", resource["description"], maxsplit=1)[0].rstrip(".")
        lines.append(f"| `{resource['name']}` | {counts[resource['name']]} | {desc}. |")
    lines += [
        "",
        "## Spreadsheet safety",
        "",
        "In the CSV files, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return",
        "is prefixed with a single quote `'` so that spreadsheet programs show it as text instead of",
        "running it as a formula (CSV injection). Remove that leading `'` to get the value as found;",
        "numbers are never changed, and the Parquet files hold every value unchanged.",
        "",
        "## Licence and attribution",
        "",
        "The data is published under Creative Commons Attribution 4.0 (CC-BY-4.0).",
        "Facts were collected from public pages of viablecities.se and of Swedish municipalities and",
        "agencies; every row links to its page (`documents`) and quotes the passage (`evidence`).",
        "Municipality and county codes: Statistics Sweden (SCB), as compiled in",
        "[sjbrg/swedish-geodata](https://github.com/sjbrg/swedish-geodata) (release v2025.01), CC0 1.0.",
        "",
        "Validate with `frictionless validate datapackage.json` or `klimatkontrakt validate <folder>`.",
        "",
    ]
    return "\n".join(lines)


# ---- validation ------------------------------------------------------------------------

def validate_package(path: Path, *, limit: int = MAX_ERROR_LINES) -> tuple[bool, list[str]]:
    """Validate a package folder (or its datapackage.json) with frictionless.

    Returns (valid, lines): at most `limit` one-line problems such as
    "signings: row 3, field municipality_code: constraint-error: ... (value '484')".
    """
    from frictionless import FrictionlessException, Package

    path = Path(path)
    descriptor = path / "datapackage.json" if path.is_dir() else path
    try:
        json.loads(descriptor.read_text(encoding="utf-8"))
        package = Package(str(descriptor))
        report = package.validate()
    except FrictionlessException as exc:
        return False, [f"datapackage.json: {_one_line(exc.error.message)}"]
    except (OSError, ValueError) as exc:
        return False, [f"datapackage.json: {_one_line(str(exc))}"]
    if report.valid:
        return True, []
    lines = [f"datapackage.json: {_describe(e)}" for e in report.errors]
    for task in report.tasks:
        for error in task.errors:
            lines.append(f"{task.name}: {_describe(error)}")
    return False, lines[:limit] or ["invalid (no details)"]


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
    return _one_line((", ".join(where) + ": " if where else "") + text)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
