"""The data dictionary (`docs/data-dictionary.md`), rendered from `schemas/*.json`.

Regenerate with `uv run python -m klimatkontrakt.dictionary`; a test fails when the committed
file and the schemas drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from klimatkontrakt import schema as sch
from klimatkontrakt.settings import REPO_ROOT

DOC_PATH = REPO_ROOT / "docs" / "data-dictionary.md"


def render_data_dictionary() -> str:
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated from schemas/*.json by `uv run python -m klimatkontrakt.dictionary`: do not edit. -->",
        "",
        "Every table of the DuckDB database and of the published data package, in dependency order",
        "(a table comes after the tables it refers to). Types are Frictionless Table Schema types;",
        "in DuckDB string is VARCHAR, integer BIGINT, date DATE, datetime TIMESTAMP (UTC), boolean BOOLEAN.",
        "",
    ]
    for table in sch.table_names():
        lines.append(f"- [`{table}`](#{table})")
    lines.append("")
    for table in sch.table_names():
        lines += _table(table)
    return "\n".join(lines).rstrip("\n") + "\n"


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
