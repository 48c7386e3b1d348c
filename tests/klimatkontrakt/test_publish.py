"""publish(): a validated, versioned, never-modified package; validate_package() explains failures."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
from pipeline_helpers import VC, page, run_row, sample_pages

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import ReleaseGateFailed, RunFailed
from klimatkontrakt.core.model import Extraction, Signing
from klimatkontrakt.release.formats import _cell, neutralise
from klimatkontrakt.release.publish import publish
from klimatkontrakt.release.validate import validate_package
from klimatkontrakt.store.load import build_database

RUN = "20261127T021500Z-abcd"
CREATED = datetime(2026, 11, 27, 2, 15, tzinfo=UTC)
# (a phone number such as "+46 16 710 10 00" would be scrubbed before quoting: see test_publish_more.py)
FORMULAS = ["=HYPERLINK(\"http://evil\")", "+2 kommuner till", "-5 kommuner", "@SUM(A1)"]


def tricky_pages():
    """The sample crawl plus a page whose evidence looks like spreadsheet formulas."""
    signings = tuple(
        Signing("letter-of-intent", text, municipality_code=code) for text, code in zip(FORMULAS, ["0180", "1480", "1280", "0380"], strict=True)
    )
    extraction = Extraction(title="=cmd|' /C calc'!A0", signings=signings)
    return [*sample_pages(), (VC, page("https://viablecities.se/formulas"), extraction)]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kk.duckdb"
    build_database(assemble(tricky_pages(), RUN), path, [run_row(RUN)])
    return path


@pytest.fixture
def release(db, tmp_path):
    return publish(db, tmp_path / "out", created=CREATED)


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_release_is_complete_and_valid(release, tmp_path):
    assert release == tmp_path / "out" / "packages" / "2026.11.27"
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert (descriptor["name"], descriptor["version"], descriptor["created"]) == (
        "klimatkontrakt", "2026.11.27", "2026-11-27T02:15:00Z")
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert any("sjbrg/swedish-geodata" in s["path"] and "CC0" in s["title"] for s in descriptor["sources"])
    names = [r["name"] for r in descriptor["resources"]]
    assert names == sch.table_names() + [f"{t}-parquet" for t in sch.table_names()] + ["changes", "database"]
    for resource in descriptor["resources"]:
        path = release / resource["path"]
        assert resource["hash"] == "sha256:" + sha256(path)
        assert resource["bytes"] == path.stat().st_size
    for resource in descriptor["resources"][:len(sch.table_names())]:
        assert (resource["format"], resource["mediatype"], resource["encoding"]) == ("csv", "text/csv", "utf-8")
        assert [f["name"] for f in resource["schema"]["fields"]] == sch.field_names(resource["name"])
        assert resource["rows"] == len(read_csv(release / resource["path"]))
        parquet = next(r for r in descriptor["resources"] if r["name"] == resource["name"] + "-parquet")
        assert parquet["path"] == f"parquet/{resource['name']}.parquet" and parquet["format"] == "parquet"
        assert parquet["x-rows"] == resource["rows"] == pq.ParquetFile(release / parquet["path"]).metadata.num_rows
        assert [f["name"] for f in parquet["schema"]["fields"]] == sch.field_names(resource["name"])
    assert {"contributors", "keywords", "sources", "title"} <= set(descriptor)
    crawled = {s["x-source-id"]: s for s in descriptor["sources"] if "x-source-id" in s}
    assert crawled["viablecities"]["path"] == "https://viablecities.se/"
    assert crawled["eskilstuna"]["x-fetched"] == {"first": "2026-11-27T02:15:00Z", "last": "2026-11-27T02:15:00Z"}
    assert (release / "klimatkontrakt.duckdb").is_file()
    assert "formula" in (release / "README.md").read_text(encoding="utf-8")
    assert validate_package(release) == (True, [])
    assert read_csv(release / "data" / "municipalities.csv")[0]["municipality_code"] == "0114"
    # CRLF rows; a row per crawled source; the run logs stay in the database, the history is published
    assert (release / "data" / "sources.csv").read_bytes().count(b"\r\n") == 1 + len(crawled)
    assert not (release / "data" / "runs.csv").exists() and not (release / "data" / "fetches.csv").exists()
    assert {f"{t}_history.csv" for t in sch.VERSIONED_TABLES} <= {p.name for p in (release / "data").iterdir()}


def test_formula_cells_are_neutralised_in_csv_only(release):
    rows = read_csv(release / "data" / "signings.csv")
    evidence = {r["evidence"] for r in rows}
    for text in FORMULAS:
        assert "'" + text in evidence and text not in evidence
    titles = {r["title"] for r in read_csv(release / "data" / "documents.csv")}
    assert "'=cmd|' /C calc'!A0" in titles
    parquet = pq.read_table(release / "parquet" / "signings.parquet").column("evidence").to_pylist()
    assert set(FORMULAS) <= set(parquet)
    # numbers are never touched; only text cells are
    assert _cell(-5, "integer") == "-5" and _cell(-1.5, "number") == "-1.5"
    assert neutralise("-5") == "'-5" and neutralise("Eskilstuna") == "Eskilstuna"


def test_same_day_gets_a_new_version_and_latest_moves(release, db, tmp_path):
    packages = tmp_path / "out" / "packages"
    first_hashes = {p: sha256(p) for p in release.rglob("*") if p.is_file()}
    assert os.readlink(packages / "latest") == "2026.11.27"
    second = publish(db, tmp_path / "out", created=CREATED)
    assert second.name == "2026.11.27.2"
    assert os.readlink(packages / "latest") == "2026.11.27.2"
    assert (packages / "LATEST").read_text().strip() == "2026.11.27.2"
    assert (packages / "latest" / "datapackage.json").is_file()
    assert {p: sha256(p) for p in release.rglob("*") if p.is_file()} == first_hashes
    assert sorted(p.name for p in packages.iterdir()) == [
        "2026.11.27", "2026.11.27.2", "LATEST", "klimatkontrakt-2026.11.27.2.zip", "klimatkontrakt-2026.11.27.zip",
        "latest"]
    with pytest.raises(RunFailed, match="never modified"):
        publish(db, tmp_path / "out", version="2026.11.27", created=CREATED)


def test_invalid_data_is_not_published(tmp_path):
    tables = assemble(sample_pages(), RUN)
    signings = tables["signings"].copy()
    signings.loc[signings["municipality_code"] == "0484", "municipality_code"] = "484"
    tables["signings"] = signings
    db = tmp_path / "kk.duckdb"
    build_database(tables, db, [run_row(RUN)])
    with pytest.raises(ReleaseGateFailed) as info:
        publish(db, tmp_path / "out", created=CREATED)
    message = str(info.value)
    assert "\n" not in message
    assert "failed validation" in message and "signings" in message and "484" in message
    packages = tmp_path / "out" / "packages"
    assert list(packages.iterdir()) == []  # no release, no temp folder, no latest


def rewrite(release, table, change):
    """Edit one CSV of a release and fix its hash and size so only the content is wrong."""
    path = release / "data" / f"{table}.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    descriptor_path = release / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == table:
            resource["hash"], resource["bytes"] = "sha256:" + sha256(path), path.stat().st_size
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")


def test_bad_municipality_code_is_reported_readably(release):
    rewrite(release, "signings", lambda text: text.replace(",0484,", ",484,"))
    valid, errors = validate_package(release)
    assert not valid
    pattern = [e for e in errors if "constraint" in e]
    assert pattern and pattern[0].startswith("signings: row ")
    assert "field municipality_code" in pattern[0] and "'484'" in pattern[0]
    assert any("foreign-key" in e and "484" in e for e in errors)


def test_bad_foreign_key_is_reported(release):
    event_document = read_csv(release / "data" / "events.csv")[0]["document_id"]
    rewrite(release, "events", lambda text: text.replace(event_document, "0" * 16))
    valid, errors = validate_package(release)
    assert not valid
    assert errors[0].startswith("events: row 2: foreign-key") and "0000000000000000" in errors[0]


def test_tampered_file_and_broken_descriptor_are_reported(release):
    with (release / "data" / "claims.csv").open("a", encoding="utf-8") as fh:
        fh.write("extra\r\n")
    valid, errors = validate_package(release)
    assert not valid and any(e.startswith("claims: hash-count") for e in errors)
    (release / "datapackage.json").write_text("{not json", encoding="utf-8")
    valid, errors = validate_package(release)
    assert not valid and errors[0].startswith("datapackage.json: ")


def test_csv_resources_declare_their_dialect_and_are_read_by_it_without_sniffing(release, monkeypatch):
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    csv_resources = [r for r in descriptor["resources"] if r["format"] == "csv"]
    assert csv_resources and all(r["dialect"]["lineTerminator"] == "\r\n" and r["dialect"]["delimiter"] == ","
                                 for r in csv_resources)

    def no_sniffing(*args, **kwargs):
        raise AssertionError("the declared dialect must be used, not a guess")

    monkeypatch.setattr(csv.Sniffer, "sniff", no_sniffing)
    assert validate_package(release) == (True, [])


def test_a_file_that_breaks_its_declared_dialect_is_invalid(release):
    rewrite(release, "signings", lambda text: text.replace(",", ";"))
    valid, errors = validate_package(release)
    assert not valid and any(e.startswith("signings: ") for e in errors)
