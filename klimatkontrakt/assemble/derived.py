"""One table builder per table made from the reference data or from the run's other tables.

A schema with `"x-role": "reference"` or `"derived"` names a table that `assemble` builds with
the function registered here with `@builds_table("<table>")`: `fn(tables) -> rows` (or a
DataFrame), given the tables assembled before it in dependency order (`x-order`). The rows are
sorted by key (`schema.sorted_frame`). `tests/klimatkontrakt/test_schema.py` keeps the schemas
and this registry equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from klimatkontrakt.assemble.conflicts import find_conflicts
from klimatkontrakt.assemble.coverage import coverage_rows
from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch

PROGRAMMES = frozenset({"viable-cities"})

Tables = Mapping[str, pd.DataFrame]
TableBuilder = Callable[[Tables], "list[dict] | pd.DataFrame"]
TABLE_BUILDERS: dict[str, TableBuilder] = {}


def builds_table(table: str) -> Callable[[TableBuilder], TableBuilder]:
    def register(fn: TableBuilder) -> TableBuilder:
        TABLE_BUILDERS[table] = fn
        return fn
    return register


def build_table(table: str, tables: Tables) -> pd.DataFrame:
    """The table as its builder makes it from `tables`, in the schema's columns, sorted by key."""
    made = TABLE_BUILDERS[table](tables)
    return made if isinstance(made, pd.DataFrame) else sch.sorted_frame(table, made)


@builds_table("municipalities")
def municipality_rows(tables: Tables) -> list[dict]:
    return [
        {"municipality_code": m.code, "name": m.name, "county_code": m.county_code, "county_name": m.county_name,
         "website": m.website, "wikidata_id": m.wikidata_id}
        for m in reference.municipalities()
    ]


@builds_table("organisations")
def organisation_rows(tables: Tables) -> list[dict]:
    return [
        {
            "organisation_id": a.organisation_id,
            "name": a.name_sv,
            "name_en": a.name_en or None,
            "kind": "programme" if a.organisation_id in PROGRAMMES else "agency",
            "aliases": "|".join(a.aliases) or None,
        }
        for a in reference.agencies()
    ]


builds_table("conflicts")(find_conflicts)
builds_table("coverage")(coverage_rows)
