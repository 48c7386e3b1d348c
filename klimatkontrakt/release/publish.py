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

import json
import logging
import os
import re
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import ReleaseGateFailed, RunFailed, one_line
from klimatkontrakt.core.leftovers import sweep
from klimatkontrakt.core.times import utc_naive
from klimatkontrakt.release import changes as chg
from klimatkontrakt.release import docs
from klimatkontrakt.release.dcat import build_dcat
from klimatkontrakt.release.descriptor import (
    DESCRIPTION,
    KEYWORDS,
    LICENSES,
    PACKAGE_PROFILE,
    REFERENCE_SOURCES,
    TITLE,
    content_sha256,
    package_schema,
    why_left,
)
from klimatkontrakt.release.dictionary import render_data_dictionary
from klimatkontrakt.release.formats import (
    CSV_DIALECT,
    DB_NAME,
    FORMATS,
    file_sha256,
    write_duckdb,
)
from klimatkontrakt.release.retention import prune_releases
from klimatkontrakt.release.scrub import scrub_frame
from klimatkontrakt.release.validate import validate_package
from klimatkontrakt.store.load import read_tables

log = logging.getLogger(__name__)

STALE_TMP_SECONDS = 3600  # temporary files of a killed publish older than this are removed


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
            raise RunFailed(f"cannot write release {version} in {packages}: {one_line(str(exc)) or type(exc).__name__}; "
                            "nothing published") from exc
        raise
    _point_latest(packages, version)
    try:
        prune_releases(packages, keep_releases)
    except OSError as exc:  # the release is out; older folders stay whole until the next release
        log.warning("release %s published, but older release folders could not be pruned: %s", version, one_line(str(exc)))
    if site:
        try:
            from klimatkontrakt.release.site import build_site

            build_site(Path(out_dir), latest=version)
        except Exception as exc:  # the release is out; a broken page must not hide that
            log.warning("release %s published, but the catalogue page could not be rebuilt: %s: %s",
                        version, type(exc).__name__, one_line(str(exc)))
    return final


def next_version(packages: Path, created: datetime) -> str:
    """"2026.11.27", or "2026.11.27.2", ".3", ... when that release exists already."""
    base = utc_naive(created).strftime("%Y.%m.%d")
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
    zip_name = zip_name or f"klimatkontrakt-{version}.zip"
    counts = {table: tables[table].num_rows for table in sch.table_names()}
    resources = [fmt.write(table, tables[table], folder, package_schema(table))
                 for fmt in FORMATS.values() for table in sch.table_names()]

    histories = [t for t in sch.table_names() if sch.history_of(t)]
    listed = [t for t in sch.table_names() if t not in histories]
    change_list = chg.diff_releases(previous, {t: tables[t] for t in listed}, {t: sch.primary_key(t) for t in listed})
    left = {t: why_left(t) for t in chg.tables_left(previous, sch.table_names())}
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
            "hash": "sha256:" + file_sha256(changes_path),
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
            "hash": "sha256:" + file_sha256(db_file),
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
        "created": utc_naive(created).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "homepage": docs.PROJECT_URL,
        "licenses": LICENSES,
        "sources": docs.descriptor_sources(coverage, REFERENCE_SOURCES),
        "contributors": docs.CONTRIBUTORS,
        "keywords": KEYWORDS,
        "resources": resources + extra,
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
                  "hash": "sha256:" + file_sha256(zip_path), "title": "The whole release as one zip file"})
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
    for path in sweep(packages, ".tmp-*", older_than=STALE_TMP_SECONDS):
        log.info("removed %s left by an interrupted publish", path)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass



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


