"""Publish: the database as a validated, versioned, citable Frictionless Data Package.

A release is everything a researcher needs to download, trust and cite the data:
`datapackage.json` (Data Package v2), a CSV and a Parquet file per table, the same tables in one
DuckDB file, README.md (coverage, extraction and reliability, caveats, personal data, how to cite,
data dictionary), CITATION.cff, CHANGES.csv / CHANGES.md (against the previous release) and
dcat.jsonld (DCAT-AP-SE, for dataportal.se); plus `packages/klimatkontrakt-<version>.zip` of the
whole folder beside it, and the catalogue page `site/index.html` rebuilt from every release.

Gates, in order, before anything becomes visible: the shrink gate (a source that had documents
in the previous release and has none now, or a table that shrank by more than
`Settings().shrink_threshold`, stops publication unless `allow_shrink=True`), then frictionless
validation of the whole package (types, constraints, primary and foreign keys, hashes, sizes),
plus a check that each Parquet file has the schema's columns and the CSV's row count.

Publication is atomic: the release is built in `packages/.tmp-<version>/`, validated, zipped,
and only then renamed to `packages/<version>/`; `packages/latest` (a symlink, swapped atomically)
and `packages/LATEST` (a text file, for platforms without symlinks) then name it. Any failure,
even SIGKILL, leaves earlier releases and `latest` as they were (a killed build's temporary files
are removed by a later publish). Releases are never modified: a second release on the same day
becomes "<date>.2", and so on.

Free-text cells are scrubbed of e-mail addresses and phone numbers (`klimatkontrakt/release/scrub.py`)
in every published file. CSV cells of string columns that begin with = + - @ (or a tab / carriage
return) are prefixed with a single quote ' so spreadsheet programs do not run them as formulas;
the Parquet and DuckDB files hold the values unchanged.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import ReleaseGateFailed, RunFailed
from klimatkontrakt.release import changes as chg
from klimatkontrakt.release import docs
from klimatkontrakt.release.dcat import build_dcat
from klimatkontrakt.release.dictionary import render_data_dictionary
from klimatkontrakt.release.retention import prune_releases
from klimatkontrakt.release.scrub import scrub_frame
from klimatkontrakt.store.load import connect_for_build, read_tables

log = logging.getLogger(__name__)

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ERROR_LINES = 20
DB_NAME = "klimatkontrakt.duckdb"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
# How write_csv and CHANGES.csv write (RFC 4180), declared in every CSV resource (Table Dialect):
# frictionless then reads the files exactly so instead of guessing the dialect from a sample.
CSV_DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
               "doubleQuote": True, "skipInitialSpace": False}
CSV_BATCH_ROWS = 1000  # rows turned into Python values at once by write_csv
STALE_TMP_SECONDS = 3600  # temporary files of a killed publish older than this are removed

LICENSES = [{
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}]
REFERENCE_SOURCES = [
    {
        "title": "Municipality and county codes: Statistics Sweden (SCB), as compiled in sjbrg/swedish-geodata "
        "(data/municipality_county.csv, release v2025.01), licence CC0 1.0",
        "path": "https://github.com/sjbrg/swedish-geodata",
        "version": "v2025.01",
    },
]
SOURCES = REFERENCE_SOURCES  # kept for importers of the old name
TITLE = "Klimatkontrakt 2030: who signed Sweden's climate city contracts, when and where"
DESCRIPTION = (
    "Signings of Klimatkontrakt 2030 (the climate city contracts between Swedish "
    "municipalities, national agencies and the Viable Cities programme), related EU Mission "
    "contracts and labels, the events where they were signed, the people named in the roles of "
    "signatories, municipalities' memberships and their climate targets; every fact links to the web page it was taken "
    "from and the passage that states it."
)
KEYWORDS = [
    "klimatkontrakt", "klimatkontrakt 2030", "climate city contract", "viable cities",
    "climate neutrality", "cities", "municipalities", "sweden", "open data",
]


# ---- publishing ------------------------------------------------------------------------

def publish(
    db_path: Path,
    out_dir: Path,
    *,
    version: str | None = None,
    created: datetime,
    allow_shrink: bool = False,
    shrink_threshold: float | None = None,
    base_url: str | None = None,
    site: bool = True,
    only_if_changed: bool = False,
    keep_releases: int | None = None,
) -> Path | None:
    """Gate, write, validate and release a package of every published table; returns its folder.

    `only_if_changed` (the nightly run): no release, and None, when the published content equals
    the latest release's (`content_sha256`: every published table but the run logs, so the
    schema and the reference data count too): a version then means that the facts changed.

    `allow_shrink` publishes even when the shrink gate trips (the reasons are logged and written
    into CHANGES.md). `shrink_threshold` defaults to `Settings().shrink_threshold`. `base_url`, the
    public URL of the release folder, makes the DCAT download URLs absolute. `site=False` skips
    rebuilding `out_dir/site/index.html`. `keep_releases` (default `Settings().keep_releases`):
    after publishing, older release folders but that many are pruned to their zips
    (`klimatkontrakt/release/retention.py`). Raises RunFailed (one line) when nothing was published.
    """
    packages = Path(out_dir) / "packages"
    packages.mkdir(parents=True, exist_ok=True)
    _remove_stale(packages)
    if version is None:
        version = next_version(packages, created)
    elif not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]*", version):
        raise RunFailed(f"bad package version {version!r}")
    elif (packages / version).exists():
        raise RunFailed(f"release {version} exists already in {packages}; releases are never modified")
    if shrink_threshold is None or keep_releases is None:
        from klimatkontrakt.core.settings import Settings

        settings = Settings()
        shrink_threshold = settings.shrink_threshold if shrink_threshold is None else shrink_threshold
        keep_releases = settings.keep_releases if keep_releases is None else keep_releases

    previous = chg.find_previous(packages)
    tables, scrubbed = _published_tables(Path(db_path))
    content = content_sha256(tables)
    if only_if_changed and previous is not None and _content_of(previous.path) == content:
        log.info("no published table changed since release %s: nothing published", previous.version)
        return None
    problems = chg.shrink_problems(previous, tables, shrink_threshold)
    if problems and not allow_shrink:
        raise ReleaseGateFailed("shrink gate: " + "; ".join(problems)
                        + "; nothing published (override knowingly with --allow-shrink)")
    for problem in problems:
        log.warning("shrink gate overridden (allow_shrink): %s", problem)
    conflicts = _conflicts(Path(db_path))

    final = packages / version
    tmp = packages / f".tmp-{version}"
    zip_name = f"klimatkontrakt-{version}.zip"
    zip_tmp = packages / f".tmp-{zip_name}"
    shutil.rmtree(tmp, ignore_errors=True)
    moved_zip = False
    try:
        write_package(tables, tmp, version=version, created=created, previous=previous,
                      overridden=problems, conflicts=conflicts, scrubbed_cells=scrubbed, zip_name=zip_name,
                      content=content)
        # the zip is compressed (zlib, outside the GIL) while frictionless reads the same files
        with ThreadPoolExecutor(max_workers=1) as pool:
            zipping = pool.submit(write_zip, tmp, zip_tmp, top=f"klimatkontrakt-{version}")
            valid, errors = validate_package(tmp)
            zipping.result()
        if not valid:
            first = errors[0] if errors else "unknown problem"
            raise ReleaseGateFailed(f"package {version} failed validation ({len(errors)} problem(s) shown); first: {first}")
        write_dcat(tmp, packages, zip_tmp, zip_name=zip_name, tables=tables, base_url=base_url)
        os.replace(zip_tmp, packages / zip_name)
        moved_zip = True
        os.rename(tmp, final)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        _unlink(zip_tmp)
        if moved_zip and not final.exists():
            _unlink(packages / zip_name)
        if isinstance(exc, (OSError, duckdb.Error)):
            # a full disk or an I/O error: one line, the earlier releases and latest as they were
            raise RunFailed(f"cannot write release {version} in {packages}: {_one_line(str(exc)) or type(exc).__name__}; "
                            "nothing published") from exc
        raise
    _point_latest(packages, version)
    try:
        prune_releases(packages, keep_releases)
    except OSError as exc:  # the release is out; older folders stay whole until the next release
        log.warning("release %s published, but older release folders could not be pruned: %s", version, _one_line(str(exc)))
    if site:
        try:
            from klimatkontrakt.release.site import build_site

            build_site(Path(out_dir), latest=version)
        except Exception as exc:  # the release is out; a broken page must not hide that
            log.warning("release %s published, but the catalogue page could not be rebuilt: %s: %s",
                        version, type(exc).__name__, _one_line(str(exc)))
    return final


def next_version(packages: Path, created: datetime) -> str:
    """"2026.11.27", or "2026.11.27.2", ".3", ... when that release exists already."""
    base = _utc(created).strftime("%Y.%m.%d")
    version, n = base, 1
    while (packages / version).exists():
        n += 1
        version = f"{base}.{n}"
    return version


def write_package(tables: dict[str, pa.Table], folder: Path, *, version: str, created: datetime,
                  previous: chg.Previous | None = None, overridden: list[str] | None = None,
                  conflicts: pa.Table | None = None, scrubbed_cells: int = 0,
                  zip_name: str | None = None, content: str | None = None) -> Path:
    """Every file of a release except dcat.jsonld into `folder` (no validation).

    `tables`: published table -> Arrow table in the schema's types (already scrubbed).
    """
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "parquet").mkdir(parents=True, exist_ok=True)
    zip_name = zip_name or f"klimatkontrakt-{version}.zip"
    csv_resources, parquet_resources, counts = [], [], {}
    for table in sch.table_names():
        data = tables[table]
        counts[table] = data.num_rows
        csv_path = folder / "data" / f"{table}.csv"
        write_csv(table, data, csv_path)
        parquet_path = folder / "parquet" / f"{table}.parquet"
        pq.write_table(data, parquet_path)
        table_schema = package_schema(table)
        description = table_schema.get("description", "")
        csv_resources.append({
            "name": table,
            "type": "table",
            "path": f"data/{table}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": CSV_DIALECT,
            "description": description,
            "hash": "sha256:" + _sha256(csv_path),
            "bytes": csv_path.stat().st_size,
            "rows": data.num_rows,
            "schema": table_schema,
        })
        # "file", not "table": frictionless 5 reads nullable Parquet integers as floats and would
        # report them as type errors; validate_package checks the Parquet schema and rows itself.
        parquet_resources.append({
            "name": f"{table}-parquet",
            "type": "file",
            "path": f"parquet/{table}.parquet",
            "format": "parquet",
            "mediatype": PARQUET_MEDIATYPE,
            "description": f"The table {table} as Parquet (same rows and columns as data/{table}.csv, "
            "values without spreadsheet quoting).",
            "hash": "sha256:" + _sha256(parquet_path),
            "bytes": parquet_path.stat().st_size,
            "x-rows": data.num_rows,  # "rows" would make frictionless try to count them itself
            "schema": {k: v for k, v in table_schema.items() if k != "foreignKeys"},
        })

    histories = [t for t in sch.table_names() if sch.history_of(t)]
    listed = [t for t in sch.table_names() if t not in histories]
    change_list = chg.diff_releases(previous, {t: tables[t] for t in listed}, {t: sch.primary_key(t) for t in listed})
    left = {t: _why_left(t) for t in chg.tables_left(previous, sch.table_names())}
    changes_path = folder / "CHANGES.csv"
    change_rows = chg.write_changes_csv(change_list, changes_path)
    (folder / "CHANGES.md").write_text(
        chg.render_changes_md(change_list, version=version, previous=previous, overridden=overridden,
                              left=left, unlisted=histories),
        encoding="utf-8")

    db_file = folder / DB_NAME
    write_duckdb({t: tables[t] for t in sch.table_names()}, db_file)
    extra = [
        {
            "name": "changes",
            "type": "table",
            "path": "CHANGES.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": CSV_DIALECT,
            "description": "Records added, changed or removed since the previous release"
            + (f" ({previous.version})." if previous else " (the first release: everything is added)."),
            "hash": "sha256:" + _sha256(changes_path),
            "bytes": changes_path.stat().st_size,
            "rows": change_rows,
            "schema": chg.CHANGES_SCHEMA,
        },
        {
            "name": "database",
            "type": "file",
            "path": DB_NAME,
            "format": "duckdb",
            "mediatype": "application/vnd.duckdb",
            "description": "Every table above in one DuckDB database (open with duckdb, read-only).",
            "hash": "sha256:" + _sha256(db_file),
            "bytes": db_file.stat().st_size,
        },
    ]
    coverage = docs.source_coverage(tables)
    descriptor = {
        "$schema": PACKAGE_PROFILE,
        "name": "klimatkontrakt",
        "id": f"klimatkontrakt-{version}",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": _utc(created).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "homepage": docs.PROJECT_URL,
        "licenses": LICENSES,
        "sources": docs.descriptor_sources(coverage, REFERENCE_SOURCES),
        "contributors": docs.CONTRIBUTORS,
        "keywords": KEYWORDS,
        "resources": csv_resources + parquet_resources + extra,
    }
    if previous is not None:
        descriptor["x-previous-version"] = previous.version
    descriptor["x-content-sha256"] = content or content_sha256(tables)
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    readme = docs.render_readme(
        descriptor=descriptor, counts=counts, coverage=coverage, years=docs.fact_years(tables),
        conflicts=conflicts, change_summary=chg.summary(change_list),
        previous_version=previous.version if previous else None, scrubbed_cells=scrubbed_cells, left=left,
        dictionary_md=render_data_dictionary(), zip_name=zip_name, db_name=DB_NAME,
    )
    (folder / "README.md").write_text(readme, encoding="utf-8")
    (folder / "CITATION.cff").write_text(docs.render_citation_cff(descriptor), encoding="utf-8")
    return folder


def _why_left(table: str) -> str:
    """Why a table of earlier releases is no longer published (`x-left-package` in its schema)."""
    try:
        return sch.descriptor(table).get("x-left-package") or "no longer published."
    except KeyError:
        return "no longer published."


def package_schema(table: str) -> dict:
    """The table's schema as the package states it: without the pipeline's own `x-` keys, and
    without foreign keys into database-only tables (the history's runs)."""
    table_schema = sch.descriptor(table)
    table_schema.pop("name", None)
    for key in [k for k in table_schema if k.startswith("x-")]:
        table_schema.pop(key)
    for field in table_schema["fields"]:
        for key in [k for k in field if k.startswith("x-")]:
            field.pop(key)
    published = set(sch.published_table_names())
    keys = [fk for fk in table_schema.get("foreignKeys", []) if fk["reference"].get("resource", "") in published | {""}]
    if keys:
        table_schema["foreignKeys"] = keys
    else:
        table_schema.pop("foreignKeys", None)
    return table_schema


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


def write_zip(folder: Path, path: Path, *, top: str) -> Path:
    """Every file of `folder` under `top/` in one zip (deflated; Parquet and DuckDB stored as is)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = file.relative_to(folder).as_posix()
            kind = zipfile.ZIP_STORED if file.suffix == ".parquet" else zipfile.ZIP_DEFLATED
            zf.write(file, f"{top}/{rel}", compress_type=kind)
    return path


def write_dcat(folder: Path, packages: Path, zip_path: Path, *, zip_name: str, tables: dict[str, pa.Table],
               base_url: str | None) -> Path:
    """dcat.jsonld (not in the zip, since it describes the zip)."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    files = []
    for r in descriptor["resources"]:
        if r["format"] in ("csv", "parquet", "duckdb"):
            files.append({"path": r["path"], "format": r["format"], "bytes": r["bytes"], "hash": r.get("hash"),
                          "title": f"{r['name']} ({r['format']})"})
    files.append({"path": f"../{zip_name}", "format": "zip", "bytes": zip_path.stat().st_size,
                  "hash": "sha256:" + _sha256(zip_path), "title": "The whole release as one zip file"})
    issued = descriptor["created"]
    for release in sorted(p for p in packages.iterdir() if not p.name.startswith(".") and not p.is_symlink()):
        try:
            created = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["created"]
        except (OSError, ValueError, KeyError):
            continue
        issued = min(issued, created)
    document = build_dcat(descriptor, files=files, period=docs.fact_period(tables), issued=issued,
                          base_url=base_url)
    path = folder / "dcat.jsonld"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _published_tables(db_path: Path) -> tuple[dict[str, pa.Table], int]:
    """The published tables as Arrow, free text scrubbed; and how many cells were scrubbed."""
    out, scrubbed = {}, 0
    for table in sch.table_names():  # one table's frame at a time, not every table's twice
        frame, n = scrub_frame(read_tables(db_path, [table])[table], sch.descriptor(table))
        scrubbed += n
        out[table] = sch.to_arrow(table, frame)
    if scrubbed:
        log.info("scrubbed e-mail addresses / phone numbers from %d cell(s)", scrubbed)
    return out, scrubbed


def content_sha256(tables: dict[str, pa.Table]) -> str:
    """SHA-256 of the published content: each table's name, columns and types, and rows (as CSV
    text: Arrow's own buffers may hold any bytes under a null, so equal tables can differ in IPC),
    without the columns that change with every run (`"x-run-specific"` in the schema: when a
    source was last fetched is no reason for a new version)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        table = tables[name].replace_schema_metadata(None)
        table = table.drop_columns([c for c in sch.run_specific_columns(name) if c in table.column_names])
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(table, sink)
        digest.update(name.encode() + b"\0" + str(table.schema).encode() + b"\0" + sink.getvalue().to_pybytes())
    return digest.hexdigest()


def _content_of(release: Path) -> str | None:
    try:
        return json.loads((release / "datapackage.json").read_text(encoding="utf-8")).get("x-content-sha256")
    except (OSError, ValueError):
        return None


def _conflicts(db_path: Path) -> pa.Table | None:
    """The database's `conflicts` table if it has one (None: conflicts are not tracked)."""
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "conflicts" not in names:
            return None
        return con.sql('SELECT * FROM "conflicts"').to_arrow_table()
    finally:
        con.close()


def _remove_stale(packages: Path) -> None:
    """Remove temporary files a killed publish left behind (older than STALE_TMP_SECONDS)."""
    now = time.time()
    for p in packages.glob(".tmp-*"):
        try:
            if now - p.lstat().st_mtime < STALE_TMP_SECONDS:
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()
            log.info("removed %s left by an interrupted publish", p)
        except OSError:
            pass


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


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


# ---- validation ------------------------------------------------------------------------

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
        return False, [f"datapackage.json: {_one_line(exc.error.message)}"]
    except (OSError, ValueError) as exc:
        return False, [f"datapackage.json: {_one_line(str(exc))}"]
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
            problems.append(f"{r['name']}: unreadable Parquet file: {_one_line(str(exc))}")
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
    return _one_line((", ".join(where) + ": " if where else "") + text)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
