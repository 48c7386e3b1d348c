"""schemas/*.json: complete, consistent, and the DDL and data dictionary follow them."""

from __future__ import annotations

import duckdb
import pytest
from frictionless import Schema

from klimatkontrakt.core import schema as sch
from klimatkontrakt.release.dictionary import DOC_PATH, render_data_dictionary
from klimatkontrakt.store import history as hist

# The public contract: these columns, in this order, at the start of each table (in dependency order).
CONTRACT = {
    "municipalities": ["municipality_code", "name", "county_code", "county_name", "website", "wikidata_id"],
    "organisations": ["organisation_id", "name", "name_en", "kind", "aliases"],
    "documents": ["document_id", "url", "final_url", "source_id", "fetched_at", "status", "sha256", "title",
                  "published_on", "extractor", "content_type"],
    "sources": ["source_id", "site", "documents", "documents_with_facts", "first_fetched_at", "last_fetched_at",
                "last_run_id", "last_run_requests", "last_run_failed", "last_status"],
    "contracts": ["contract_id", "contract", "municipality_code", "version_year", "title", "parties", "pages",
                  "language", "document_id"],
    "commitments": ["commitment_id", "contract_id", "party", "section_path", "section_title", "text", "page"],
    "signings": ["signing_id", "contract", "contract_version", "municipality_code", "organisation_id",
                 "signed_on", "event_id", "document_id", "evidence"],
    "events": ["event_id", "name", "kind", "starts_on", "ends_on", "start_time", "location", "document_id",
               "evidence"],
    "roles": ["role_id", "person_id", "person_name", "party", "role", "role_normalised", "municipality_code",
              "organisation_id", "as_of", "document_id", "evidence"],
    "memberships": ["membership_id", "municipality_code", "initiative_id", "joined_on", "joined_year", "cohort",
                    "document_id", "evidence"],
    "projects": ["project_id", "name", "municipality_code", "project_manager", "total_budget_sek", "grant_sek",
                 "starts_on", "ends_on", "partners", "document_id", "evidence"],
    "targets": ["target_id", "municipality_code", "kind", "value", "value_max", "unit", "baseline_year", "target_year",
                "period_start", "scope", "basis", "sector", "status", "stated_on", "document_id", "evidence"],
    "claims": ["claim_id", "fact_table", "fact_id", "document_id", "evidence", "value"],
    "conflicts": ["conflict_id", "kind", "fact_table", "subject", "field", "claimed_values", "fact_ids",
                  "document_ids", "chosen_value", "rule"],
    "coverage": ["municipality_code", "status", "first_signed_year", "signings", "memberships", "facts", "website",
                 "pages_searched", "pages_mentioning", "reason"],
    "runs": ["run_id", "started_at", "finished_at", "status", "pages_fetched", "records", "sources_failed",
             "message"],
    "fetches": ["run_id", "url", "final_url", "source_id", "status", "bytes", "elapsed_ms", "from_cache", "error",
                "fetched_at"],
}


HISTORY = [f"{t}_history" for t in ("documents", "events", "signings", "roles", "memberships", "targets", "coverage")]
ALL = sch.database_table_names()  # CONTRACT, HISTORY, then further database-only tables (e.g. page_state)


def test_schema_files_are_exactly_the_tables():
    files = {p.stem for p in sch.schemas_dir().glob("*.json")}
    assert files == set(ALL)
    assert ALL[: len(CONTRACT) + len(HISTORY)] == list(sch.TABLES) + HISTORY and set(sch.TABLES) == set(CONTRACT)
    logs = ["runs", "fetches"]  # operational logs: database only
    assert sch.published_table_names() == sch.table_names() == [t for t in sch.TABLES if t not in logs] + HISTORY
    assert [t for t in ALL if not sch.is_published(t)] == logs + sch.other_table_names()


def test_each_role_has_its_builders():
    """A schema's x-role says who builds its table: the registries and the schemas agree."""
    from klimatkontrakt.assemble.derived import TABLE_BUILDERS
    from klimatkontrakt.assemble.rows import ROW_BUILDERS
    from klimatkontrakt.core.model import Extraction

    assert set(ROW_BUILDERS) == set(sch.FACT_TABLES) == set(Extraction().facts())
    assert set(TABLE_BUILDERS) == set(sch.REFERENCE_TABLES + sch.DERIVED_TABLES)
    assert sch.VERSIONED_TABLES == tuple(t.removesuffix("_history") for t in HISTORY)
    assert (sch.RUN_LOG_TABLES, sch.SUMMARY_TABLES, sch.STATE_TABLES) == (("runs", "fetches"), ("sources",), ("page_state",))


def test_dependency_order_puts_referenced_tables_first():
    order = {t: i for i, t in enumerate(sch.TABLES)}
    for table in sch.TABLES:
        for fk in sch.foreign_keys(table):
            target = fk["reference"]["resource"]
            if target and target != table:
                assert order[target] < order[table], f"{table} comes before {target}, which it references"


def test_a_schema_without_its_role_is_refused(tmp_path, monkeypatch):
    (tmp_path / "municipalities.json").write_text('{"name": "municipalities", "x-order": 1, "fields": []}')
    monkeypatch.setattr(sch, "schemas_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match="x-role must be one of"):
        sch._declared()


@pytest.mark.parametrize("table", ALL)
def test_public_columns_and_descriptions(table):
    names = sch.field_names(table)
    if table in HISTORY:
        contract = sch.field_names(table.removesuffix("_history")) + hist.VERSION_COLUMNS
    else:
        contract = CONTRACT.get(table, [])
    assert names[: len(contract)] == contract
    assert len(set(names)) == len(names)
    d = sch.descriptor(table)
    assert len(d["description"]) > 30
    for field in d["fields"]:
        assert field.get("description"), f"{table}.{field['name']} has no description"
        assert field["type"] in sch.DUCKDB_TYPES


@pytest.mark.parametrize("table", ALL)
def test_frictionless_accepts_the_schema(table):
    report = Schema.validate_descriptor(sch.descriptor(table))
    assert report.valid, report.flatten(["type", "note"])
    assert sch.frictionless_schema(table).primary_key == sch.primary_key(table)


def test_keys_point_at_primary_keys_of_earlier_tables():
    order = sch.database_table_names()
    for table in order:
        names = sch.field_names(table)
        assert all(c in names for c in sch.primary_key(table))
        for fk in sch.foreign_keys(table):
            target = fk["reference"]["resource"]
            assert order.index(target) < order.index(table), (table, target)
            assert fk["reference"]["fields"] == sch.primary_key(target)
            assert all(c in names for c in fk["fields"])


def test_codes_are_constrained_text():
    for table in sch.database_table_names():
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
        for table in sch.database_table_names():
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
        "docs/data-dictionary.md is stale: run `uv run python -m klimatkontrakt.release.dictionary`")
    for table in sch.database_table_names():
        assert f"## {table}\n" in rendered
        for name in sch.field_names(table):
            assert f"| `{name}` |" in rendered
    for view in sch.views():
        assert f"## {view.name}\n" in rendered


# ---- history tables and views ----------------------------------------------------------

@pytest.mark.parametrize("table", sch.VERSIONED_TABLES)
def test_history_schemas_follow_their_tables(table):
    """schemas/<table>_history.json = the table's fields + the version fields; regenerate with
    `uv run python -m klimatkontrakt.store.history` after changing schemas/<table>.json."""
    name = sch.history_table(table)
    on_disk = (sch.schemas_dir() / f"{name}.json").read_text(encoding="utf-8")
    assert on_disk == hist.render_history_schema(table), f"{name}.json is stale: run python -m klimatkontrakt.store.history"
    assert sch.field_names(name) == sch.field_names(table) + hist.VERSION_COLUMNS
    assert sch.primary_key(name) == sch.primary_key(table) + ["run_id_from"]
    assert sch.history_of(name) == table and sch.is_published(name) and sch.is_published(table)
    assert sch.history_ignored(table) == sch.run_specific_columns(table)
    for field, base in zip(sch.fields(name), sch.fields(table)):
        assert (field["type"], field.get("constraints")) == (base["type"], base.get("constraints"))


def test_views_file_parses_and_creates():
    views = sch.views()
    names = [v.name for v in views]
    for table in ("signings", "events", "roles", "memberships", "documents"):
        assert f"current_{table}" in names and f"{table}_as_of" in names
    assert {"signings_per_year", "municipality_timeline", "changes"} <= set(names)
    con = duckdb.connect()
    try:
        for table in sch.database_table_names():
            con.execute(sch.ddl(table))
        sch.create_views(con)
        for view in views:
            assert view.description, view.name
            if view.kind == "view":
                columns = [r[0] for r in con.execute(f'DESCRIBE "{view.name}"').fetchall()]
                assert set(view.columns) <= set(columns), view.name  # no documented column that is not there
                if view.name.startswith("current_"):
                    assert columns == sch.field_names(view.name.removeprefix("current_"))
                else:
                    assert set(columns) == set(view.columns), f"{view.name}: undocumented columns"
    finally:
        con.close()


def test_a_history_schema_not_yet_written_is_generated_and_named_when_missing(monkeypatch):
    """A new versioned table: its history schema is generated from the other schemas before it
    exists; asking for the database's tables without it names the command that writes it."""
    without = sch._Schemas((n, d) for n, d in sch._load_all().items() if n != "targets_history")
    monkeypatch.setattr(sch, "_load_all", lambda: without)
    assert hist.history_descriptor("targets")["name"] == "targets_history"
    with pytest.raises(FileNotFoundError, match="klimatkontrakt.store.history"):
        sch.database_table_names()
