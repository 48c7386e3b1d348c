"""What a release says about itself: the descriptor's title, licences and sources, each table's
package schema, and the hash of its content (a night whose tables are unchanged publishes nothing)."""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.csv as pa_csv

from klimatkontrakt.core import schema as sch

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

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
    {
        "title": "Municipal websites: Wikidata P856 (CC0 1.0) as read by govdirectory/website (data of 2026-04-06), "
        "in the form observed by RedaEkengren/molnkartan (Apache-2.0), checked in a browser on 2026-10-09",
        "path": "https://www.wikidata.org/wiki/Property:P856",
    },
]


TITLE = "Klimatkontrakt 2030: who signed Sweden's climate city contracts, when and where"

DESCRIPTION = (
    "Signings of Klimatkontrakt 2030 (the climate city contracts between Swedish "
    "municipalities, national agencies and the Viable Cities programme), related EU Mission "
    "contracts and labels, the events where they were signed, the people named in the roles of "
    "signatories, municipalities' memberships and their climate targets, and the coverage of all 290 "
    "municipalities (signatory, member, mentions, searched without a mention, not reached); every fact links to "
    "the web page it was taken from and the passage that states it."
)

KEYWORDS = [
    "klimatkontrakt", "klimatkontrakt 2030", "climate city contract", "viable cities",
    "climate neutrality", "cities", "municipalities", "sweden", "open data",
]


def why_left(table: str) -> str:
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
