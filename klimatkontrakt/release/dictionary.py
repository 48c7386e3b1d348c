"""The data dictionary (`docs/data-dictionary.md`), rendered from `schemas/*.json` and `schemas/views.sql`.

Regenerate with `uv run python -m klimatkontrakt.release.dictionary`; a test fails when the committed
file and the schemas drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.settings import REPO_ROOT

DOC_PATH = REPO_ROOT / "docs" / "data-dictionary.md"


def render_data_dictionary() -> str:
    published = sch.published_table_names()
    database_only = [t for t in sch.database_table_names() if not sch.is_published(t)]
    views = sch.views()
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated from schemas/*.json and schemas/views.sql by `uv run python -m klimatkontrakt.release.dictionary`:"
        " do not edit. -->",
        "",
        "Every table of the DuckDB database and of the published data package, in dependency order",
        "(a table comes after the tables it refers to), then the database-only tables (history, crawl state), views and",
        "table macros. Types are Frictionless Table Schema types;",
        "in DuckDB string is VARCHAR, integer BIGINT, date DATE, datetime TIMESTAMP (UTC), boolean BOOLEAN.",
        "Example queries: `docs/queries.md`.",
        "",
        "Published tables (DuckDB and data package):",
        "",
    ]
    lines += [f"- [`{t}`](#{t})" for t in published]
    lines += ["", "Database only (not in the published package): the version history of the facts, and more:", ""]
    lines += [f"- [`{t}`](#{t})" for t in database_only]
    lines += ["", "Views and table macros (database only, defined in `schemas/views.sql`):", ""]
    lines += [f"- [`{v.signature}`](#{v.name})" for v in views]
    lines.append("")
    for table in published:
        lines += _table(table)
    lines += [
        "# Database-only tables",
        "",
        "Each run compares its rows of the versioned tables with the open versions in `<table>_history`",
        "(by primary key): an unchanged row keeps its open version, a changed one closes it (`closed_by`",
        "\"changed\") and opens a new one (`change` \"changed\"), a vanished one is closed (`closed_by`",
        "\"removed\"), a new one opens a version (`change` \"added\"). `valid_from` and `valid_to` are run",
        "start times (UTC); a version is valid for `valid_from <= t < valid_to`. A run that changes",
        "nothing adds no history rows; the open versions equal the table (views `current_<table>`).",
        "",
    ]
    for table in database_only:
        lines += _table(table)
    lines += ["# Views and table macros", "", "Defined in `schemas/views.sql`, created after the tables.", ""]
    columns = _view_columns()
    for view in views:
        lines += _view(view, columns.get(view.name, []))
    return "\n".join(lines).rstrip("\n") + "\n"


def _view_columns() -> dict[str, list[tuple[str, str]]]:
    """Column names and DuckDB types of every view, from an empty in-memory database."""
    import duckdb

    con = duckdb.connect()
    try:
        for table in sch.database_table_names():
            con.execute(sch.ddl(table))
        sch.create_views(con)
        return {name: [(r[0], r[1]) for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
                for name in sch.view_names()}
    finally:
        con.close()


def _view(view, columns: list[tuple[str, str]]) -> list[str]:
    lines = [f"## {view.name}", "", f"{view.kind.capitalize()} `{view.signature}`: {view.description}", ""]
    if view.kind == "macro":
        example = view.signature.replace("(ts)", "(TIMESTAMP '2026-11-27 03:00')")
        lines += [f"Use: `SELECT * FROM {example}`.", ""]
        return lines
    base = view.name.removeprefix("current_")
    inherited = {f["name"]: f.get("description", "") for f in sch.fields(base)} if base in sch.VERSIONED_TABLES else {}
    lines += ["| column | DuckDB type | description |", "|---|---|---|"]
    for name, dtype in columns:
        lines.append(f"| `{name}` | {dtype} | {_cell(view.columns.get(name) or inherited.get(name, ''))} |")
    lines.append("")
    return lines


def _table(table: str) -> list[str]:
    d = sch.descriptor(table)
    pk = sch.primary_key(table)
    fks = sch.foreign_keys(table)
    fk_by_field = {}
    for fk in fks:
        for local, remote in zip(fk["fields"], fk["reference"]["fields"], strict=True):
            fk_by_field[local] = f"→ `{fk['reference']['resource']}.{remote}`"
    lines = [f"## {table}", "", d.get("description", ""), ""]
    lines.append(f"Primary key: {', '.join(f'`{c}`' for c in pk) if pk else 'none'}.")
    if fks:
        refs = "; ".join(
            f"{', '.join(f'`{c}`' for c in fk['fields'])} → `{fk['reference']['resource']}`" for fk in fks
        )
        lines.append(f"Foreign keys: {refs}.")
    lines += ["", "| field | type | required | keys | constraints | description |", "|---|---|---|---|---|---|"]
    for field in d["fields"]:
        name = field["name"]
        keys = " ".join(k for k in ("PK" if name in pk else "", fk_by_field.get(name, "")) if k)
        required = "yes" if sch.is_required(field) or name in pk else ""
        lines.append(
            f"| `{name}` | {field.get('type', 'string')} | {required} | {keys} | "
            f"{_constraints(field)} | {_cell(field.get('description', ''))} |"
        )
    lines.append("")
    return lines


def _constraints(field: dict) -> str:
    parts = []
    for key, value in field.get("constraints", {}).items():
        if key == "required":
            continue
        if key == "enum":
            parts.append("one of " + ", ".join(f"`{v}`" for v in value))
        elif key == "pattern":
            parts.append(f"pattern `{value}`")
        else:
            parts.append(f"{key} {value}")
    return _cell("; ".join(parts))


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def write_data_dictionary(path: Path = DOC_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_data_dictionary(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    print(write_data_dictionary(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC_PATH))
