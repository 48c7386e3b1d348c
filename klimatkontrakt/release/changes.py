"""What changed since the previous release, and the shrink gate that guards against silent loss.

Researchers who cite one release and update to the next need to know which records were added,
changed (and in which fields) or removed: `diff_releases` compares the new tables with the
previous release's Parquet files (CSV when Parquet is missing), row by row on each table's
primary key (a table without one is keyed by a hash of the whole row, so a change there shows as
removed + added). The result is written as `CHANGES.csv` and summarised in `CHANGES.md`.

A crawl that silently lost a source or most of a table must not replace a good release:
`shrink_problems` names every source that had documents last release and none now, and every
table that shrank by more than the configured share.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

CHANGES_FIELDS = ["table", "key", "change", "fields"]
CHANGES_SCHEMA = {
    "description": "Records added, changed or removed since the previous release, one row per record.",
    "fields": [
        {"name": "table", "type": "string", "description": "The table of the record.",
         "constraints": {"required": True}},
        {"name": "key", "type": "string", "description": "The record's primary key (values joined by ' | '); "
         "for a table without a primary key, 'row:' and the first 16 hex digits of the SHA-256 of the row.",
         "constraints": {"required": True}},
        {"name": "change", "type": "string", "description": "added, changed or removed.",
         "constraints": {"required": True, "enum": ["added", "changed", "removed"]}},
        {"name": "fields", "type": "string", "description": "For a changed record: the fields whose "
         "values differ, separated by ';'. Empty otherwise."},
    ],
}


@dataclass
class Previous:
    """The release a new one is compared with."""

    version: str
    path: Path


@dataclass
class TableChanges:
    table: str
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows_before: int = 0
    rows_after: int = 0


def find_previous(packages: Path) -> Previous | None:
    """The release `packages/latest` (or the `LATEST` file) names, if it is a complete release."""
    version = None
    link = packages / "latest"
    if link.is_symlink():
        version = Path(str(link.readlink())).name
    elif (packages / "LATEST").is_file():
        version = (packages / "LATEST").read_text(encoding="utf-8").strip()
    if not version:
        return None
    folder = packages / version
    if not (folder / "datapackage.json").is_file():
        return None
    return Previous(version, folder)


def read_release_table(release: Path, table: str) -> pa.Table | None:
    """A table of an earlier release (Parquet, else CSV as strings); None if it had no such table."""
    parquet = release / "parquet" / f"{table}.parquet"
    if parquet.is_file():
        return pq.read_table(parquet)
    path = release / "data" / f"{table}.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not rows:
            header = path.read_text(encoding="utf-8").splitlines()[:1]
            names = next(csv.reader(header)) if header else []
            return pa.table({n: pa.array([], pa.string()) for n in names})
        return pa.Table.from_pylist([{k: (v if v != "" else None) for k, v in r.items()} for r in rows])
    return None


def release_row_count(release: Path, table: str) -> int | None:
    parquet = release / "parquet" / f"{table}.parquet"
    if parquet.is_file():
        return pq.ParquetFile(parquet).metadata.num_rows
    data = read_release_table(release, table)
    return None if data is None else data.num_rows


def diff_table(table: str, old: pa.Table | None, new: pa.Table, primary_key: list[str]) -> TableChanges:
    """Records of `new` added, changed or removed compared with `old`, keyed by `primary_key`.

    Column by column, so a table is never held as one dict per row (a first release, which has
    no `old`, needs only the key columns)."""
    result = TableChanges(table, rows_before=0 if old is None else old.num_rows, rows_after=new.num_rows)
    new_keys = _row_keys(new, primary_key)
    old_keys = _row_keys(old, primary_key) if old is not None else {}
    pairs = [(i, old_keys[key], key) for key, i in new_keys.items() if key in old_keys]
    result.added = [key for key in new_keys if key not in old_keys]
    result.removed = [key for key in old_keys if key not in new_keys]
    if pairs:
        changed_names: list[list[str]] = [[] for _ in pairs]
        for name in _ordered_union(new.column_names, old.column_names):
            after, before = _canonical_column(new, name), _canonical_column(old, name)
            for names, (i, j, _) in zip(changed_names, pairs, strict=True):
                if (after[i] if after is not None else "") != (before[j] if before is not None else ""):
                    names.append(name)
        result.changed = [(key, names) for names, (_, _, key) in zip(changed_names, pairs, strict=True) if names]
    return result


def diff_releases(previous: Previous | None, tables: dict[str, pa.Table], keys: dict[str, list[str]]) -> list[TableChanges]:
    """`diff_table` for every table; with no previous release every record is added."""
    out = []
    for table, data in tables.items():
        old = read_release_table(previous.path, table) if previous else None
        out.append(diff_table(table, old, data, keys.get(table, [])))
    return out


def tables_left(previous: Previous | None, tables: list[str]) -> list[str]:
    """Tables of the previous release that the new one no longer has (e.g. `fetches`, moved out)."""
    if previous is None:
        return []
    try:
        descriptor = json.loads((previous.path / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    names = [r.get("name") for r in descriptor.get("resources", []) if r.get("format") == "csv" and r.get("name") != "changes"]
    return [n for n in names if n and n not in tables]


def write_changes_csv(changes: list[TableChanges], path: Path) -> int:
    """CHANGES.csv (RFC 4180, CRLF); returns the number of records listed."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CHANGES_FIELDS)
        for tc in changes:
            for key in tc.added:
                writer.writerow([tc.table, _safe(key), "added", ""]); n += 1  # noqa: E702
            for key, names in tc.changed:
                writer.writerow([tc.table, _safe(key), "changed", ";".join(names)]); n += 1  # noqa: E702
            for key in tc.removed:
                writer.writerow([tc.table, _safe(key), "removed", ""]); n += 1  # noqa: E702
    return n


def render_changes_md(changes: list[TableChanges], *, version: str, previous: Previous | None,
                      overridden: list[str] | None = None, left: dict[str, str] | None = None,
                      unlisted: list[str] | None = None) -> str:
    """CHANGES.md: a per-table summary for people, with the most often changed fields.
    `left`: tables of the previous release no longer in this one, with why; `unlisted`: tables
    in the package whose records CHANGES does not list (the history tables)."""
    lines = [f"# Changes in release {version}", ""]
    if previous is None:
        lines += ["This is the first release: every record is new.", ""]
    else:
        lines += [f"Compared with the previous release, {previous.version}. Records are matched on each",
                  "table's primary key; `CHANGES.csv` lists every added, changed and removed record.", ""]
    if left:
        lines += ["**Tables no longer in the package:**", ""]
        lines += [f"- `{table}`: {why}" for table, why in left.items()] + [""]
    new = [tc.table for tc in changes if previous is not None and tc.rows_before == 0 and tc.added
           and read_release_table(previous.path, tc.table) is None]
    if new:
        lines += ["New tables in the package: " + ", ".join(f"`{t}`" for t in new) + ".", ""]
    if unlisted:
        lines += ["The version history (" + ", ".join(f"`{t}`" for t in unlisted) + ") records every change itself;",
                  "its rows are not listed again here.", ""]
    if overridden:
        lines += ["**The shrink gate was overridden knowingly for this release:**", ""]
        lines += [f"- {p}" for p in overridden] + [""]
    lines += ["| table | rows before | rows now | added | changed | removed | fields changed most |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for tc in changes:
        counts: dict[str, int] = {}
        for _, names in tc.changed:
            for n in names:
                counts[n] = counts.get(n, 0) + 1
        top = ", ".join(f"`{n}` ({c})" for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
        lines.append(f"| `{tc.table}` | {tc.rows_before} | {tc.rows_after} | {len(tc.added)} | "
                     f"{len(tc.changed)} | {len(tc.removed)} | {top} |")
    total = {k: sum(len(getattr(tc, k)) for tc in changes) for k in ("added", "changed", "removed")}
    lines += ["", f"In all: {total['added']} added, {total['changed']} changed, {total['removed']} removed.", ""]
    return "\n".join(lines)


def summary(changes: list[TableChanges]) -> dict[str, dict[str, int]]:
    return {tc.table: {"added": len(tc.added), "changed": len(tc.changed), "removed": len(tc.removed),
                       "rows": tc.rows_after} for tc in changes}


# ---- the shrink gate -----------------------------------------------------------------------

def shrink_problems(previous: Previous | None, tables: dict[str, pa.Table], threshold: float) -> list[str]:
    """Reasons not to publish: sources that vanished, tables that shrank by more than `threshold`."""
    if previous is None:
        return []
    problems = []
    old_docs = read_release_table(previous.path, "documents")
    if old_docs is not None and "source_id" in old_docs.column_names and "documents" in tables:
        before = _count_by(old_docs.column("source_id").to_pylist())
        now = _count_by(tables["documents"].column("source_id").to_pylist())
        for source in sorted(s for s in before if s and before[s] and not now.get(s)):
            problems.append(f"source {source} had {before[source]} document(s) in release "
                            f"{previous.version} and has none now")
    for table, data in tables.items():
        old = release_row_count(previous.path, table)
        if not old:
            continue
        shrink = (old - data.num_rows) / old
        if shrink > threshold:
            problems.append(f"table {table} shrank from {old} to {data.num_rows} rows "
                            f"({shrink:.0%} > {threshold:.0%} allowed)")
    return problems


# ---- helpers -------------------------------------------------------------------------------

def canonical(value) -> str:
    """One text form per value, so a Parquet date and a CSV "2023-05-31" compare equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _canonical_column(data: pa.Table, name: str) -> list[str] | None:
    """The column's values in `canonical` form; None when the table has no such column."""
    if name not in data.column_names:
        return None
    column = data.column(name)
    values = column.to_pylist()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return ["" if v is None else v for v in values]
    return [canonical(v) for v in values]


def _row_keys(data: pa.Table, primary_key: list[str]) -> dict[str, int]:
    """Each record's key -> its row, in row order. A key that repeats with other values gets a
    "'" appended (kept twice); a row repeated whole is kept once."""
    names = data.column_names
    if primary_key and all(k in names for k in primary_key):
        parts = [_canonical_column(data, k) for k in primary_key]
        keys = [" | ".join(values) for values in zip(*parts, strict=True)]
    else:
        keys = ["row:" + _row_digest(row)[:16] for row in _canonical_rows(data)]
    out: dict[str, int] = {}
    rows: list[dict] | None = None  # whole rows, read only when a key repeats

    def same_record(i: int, j: int) -> bool:
        nonlocal rows
        rows = rows if rows is not None else list(_canonical_rows(data))
        return rows[i] == rows[j]

    for i, key in enumerate(keys):
        while key in out and not same_record(out[key], i):
            key += "'"
        out.setdefault(key, i)
    return out


def _canonical_rows(data: pa.Table):
    columns = [_canonical_column(data, n) for n in data.column_names]
    for values in zip(*columns, strict=True):
        yield dict(zip(data.column_names, values, strict=True))


def _row_digest(row: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _ordered_union(a: list[str], b: list[str]) -> list[str]:
    return list(a) + [n for n in b if n not in a]


def _count_by(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _safe(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
