"""schemas/*.json: complete, consistent, and the DDL and data dictionary follow them."""

from __future__ import annotations

import duckdb
import pytest
from frictionless import Schema

from klimatkontrakt import schema as sch
from klimatkontrakt.dictionary import DOC_PATH, render_data_dictionary

# The public contract: these columns, in this order, at the start of each table.
CONTRACT = {
    "municipalities": ["municipality_code", "name", "county_code", "county_name"],
    "organisations": ["organisation_id", "name", "name_en", "kind", "aliases"],
    "documents": ["document_id", "url", "final_url", "source_id", "fetched_at", "status", "sha256", "title",
                  "published_on", "extractor", "content_type"],
    "signings": ["signing_id", "contract", "contract_version", "municipality_code", "organisation_id",
                 "signed_on", "event_id", "document_id", "evidence"],
    "events": ["event_id", "name", "kind", "starts_on", "ends_on", "start_time", "location", "document_id",
               "evidence"],
    "roles": ["role_id", "person_id", "person_name", "party", "role", "role_normalised", "municipality_code",
              "organisation_id", "as_of", "document_id", "evidence"],
    "memberships": ["membership_id", "municipality_code", "initiative_id", "joined_on", "joined_year", "cohort",
                    "document_id", "evidence"],
    "claims": ["claim_id", "fact_table", "fact_id", "document_id", "evidence", "value"],
    "runs": ["run_id", "started_at", "finished_at", "status", "pages_fetched", "records", "sources_failed",
             "message"],
    "fetches": ["run_id", "url", "final_url", "source_id", "status", "bytes", "elapsed_ms", "from_cache", "error",
                "fetched_at"],
}


def test_schema_files_are_exactly_the_tables():
    files = {p.stem for p in sch.schemas_dir().glob("*.json")}
    assert files == set(sch.table_names()) == set(CONTRACT)


@pytest.mark.parametrize("table", list(CONTRACT))
def test_public_columns_and_descriptions(table):
    names = sch.field_names(table)
    assert names[: len(CONTRACT[table])] == CONTRACT[table]
    assert len(set(names)) == len(names)
    d = sch.descriptor(table)
    assert len(d["description"]) > 30
    for field in d["fields"]:
        assert field.get("description"), f"{table}.{field['name']} has no description"
        assert field["type"] in sch.DUCKDB_TYPES


@pytest.mark.parametrize("table", list(CONTRACT))
def test_frictionless_accepts_the_schema(table):
    report = Schema.validate_descriptor(sch.descriptor(table))
    assert report.valid, report.flatten(["type", "note"])
    assert sch.frictionless_schema(table).primary_key == sch.primary_key(table)


def test_keys_point_at_primary_keys_of_earlier_tables():
    order = sch.table_names()
    for table in order:
        names = sch.field_names(table)
        assert all(c in names for c in sch.primary_key(table))
        for fk in sch.foreign_keys(table):
            target = fk["reference"]["resource"]
            assert order.index(target) < order.index(table), (table, target)
            assert fk["reference"]["fields"] == sch.primary_key(target)
            assert all(c in names for c in fk["fields"])


def test_codes_are_constrained_text():
    for table in sch.table_names():
        for field in sch.fields(table):
            if field["name"] == "municipality_code":
                assert field["type"] == "string"
                assert field["constraints"]["pattern"] == r"^\d{4}$"
    contract = next(f for f in sch.fields("signings") if f["name"] == "contract")
    assert contract["constraints"]["enum"] == [
        "klimatkontrakt-2030", "letter-of-intent", "eu-climate-city-contract", "eu-mission-label"]
    kind = next(f for f in sch.fields("organisations") if f["name"] == "kind")
    assert kind["constraints"]["enum"] == ["agency", "programme"]


def test_ddl_columns_equal_schema_fields():
    con = duckdb.connect()
    try:
        for table in sch.table_names():
            con.execute(sch.ddl(table))
            described = con.execute(f'DESCRIBE "{table}"').fetchall()
            assert [r[0] for r in described] == sch.field_names(table)
            for (name, dtype, null, key, *_), field in zip(described, sch.fields(table), strict=True):
                assert dtype == sch.DUCKDB_TYPES[field["type"]], (table, name)
                assert (null == "NO") == (sch.is_required(field) or name in sch.primary_key(table)), (table, name)
                assert (key == "PRI") == (name in sch.primary_key(table)), (table, name)
    finally:
        con.close()


def test_ddl_types():
    ddl = sch.ddl("memberships")
    assert '"joined_year" BIGINT' in ddl and '"joined_on" DATE' in ddl
    assert '"membership_id" VARCHAR NOT NULL' in ddl and 'PRIMARY KEY ("membership_id")' in ddl
    assert '"fetched_at" TIMESTAMP NOT NULL' in sch.ddl("fetches")
    assert '"from_cache" BOOLEAN' in sch.ddl("fetches")


def test_data_dictionary_is_up_to_date():
    rendered = render_data_dictionary()
    assert DOC_PATH.read_text(encoding="utf-8") == rendered, (
        "docs/data-dictionary.md is stale: run `uv run python -m klimatkontrakt.dictionary`")
    for table in sch.table_names():
        assert f"## {table}\n" in rendered
        for name in sch.field_names(table):
            assert f"| `{name}` |" in rendered
