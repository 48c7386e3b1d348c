"""A release researchers can trust: shrink gate, atomic publication, scrubbed contact data,
CHANGES across releases, CITATION.cff, dcat.jsonld and the zip."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from pipeline_helpers import ESK, VC, page, run_row, sample_pages

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import ReleaseGateFailed, RunFailed
from klimatkontrakt.core.model import Extraction, Signing
from klimatkontrakt.release import publish as pub
from klimatkontrakt.release.publish import publish
from klimatkontrakt.release.scrub import (
    EMAIL_PLACEHOLDER,
    EMAIL_RE,
    PHONE_PLACEHOLDER,
    PHONE_RE,
    scrub_text,
)
from klimatkontrakt.release.validate import validate_package
from klimatkontrakt.store.load import build_database

DAY1 = datetime(2026, 11, 27, 2, 15, tzinfo=UTC)
DAY2 = datetime(2026, 11, 28, 2, 15, tzinfo=UTC)


def make_db(path: Path, pages=None, run_id="20261127T021500Z-abcd", edit=None, after: Path | None = None) -> Path:
    """A database of one run; `after` is the previous run's database, whose history it continues."""
    tables = assemble(pages if pages is not None else sample_pages(), run_id)
    if edit:
        edit(tables)
    if path.exists():
        path.unlink()
    if after is not None:
        shutil.copyfile(after, path)
    build_database(tables, path, [run_row(run_id)])
    return path


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree_state(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def first(tmp_path):
    out = tmp_path / "out"
    release = publish(make_db(tmp_path / "a.duckdb"), out, created=DAY1)
    return out, release


# ---- the shrink gate ------------------------------------------------------------------------

def test_shrink_gate_stops_a_vanished_source_and_the_override_publishes(first, tmp_path):
    out, release = first
    packages = out / "packages"
    before = tree_state(release)
    without_esk = [p for p in sample_pages() if p[0] is not ESK]
    db = make_db(tmp_path / "b.duckdb", without_esk, run_id="20261128T021500Z-beef")
    with pytest.raises(ReleaseGateFailed) as info:
        publish(db, out, created=DAY2)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("shrink gate: source eskilstuna had 1 document(s) in release 2026.11.27")
    assert "--allow-shrink" in message
    assert os.readlink(packages / "latest") == "2026.11.27"
    assert sorted(p.name for p in packages.iterdir()) == ["2026.11.27", "LATEST", "klimatkontrakt-2026.11.27.zip", "latest"]
    assert tree_state(release) == before

    second = publish(db, out, created=DAY2, allow_shrink=True)
    assert os.readlink(packages / "latest") == second.name == "2026.11.28"
    assert "shrink gate was overridden" in (second / "CHANGES.md").read_text(encoding="utf-8")
    assert tree_state(release) == before


def test_shrink_gate_trips_on_a_table_shrinking_beyond_the_threshold(first, tmp_path):
    out, _ = first

    def halve_claims(tables):
        tables["claims"] = tables["claims"].iloc[:2]

    db = make_db(tmp_path / "b.duckdb", edit=halve_claims, run_id="20261128T021500Z-beef")
    with pytest.raises(ReleaseGateFailed, match=r"table claims shrank from 9 to 2 rows \(78% > 50% allowed\)"):
        publish(db, out, created=DAY2)
    # a looser threshold lets it through
    assert publish(db, out, created=DAY2, shrink_threshold=0.8).name == "2026.11.28"


# ---- atomic publication -------------------------------------------------------------------

def test_a_failed_publish_leaves_the_previous_release_and_latest(first, tmp_path, monkeypatch):
    out, release = first
    packages = out / "packages"
    before, site_before = tree_state(release), (out / "site" / "index.html").read_bytes()

    def broken_zip(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pub, "write_zip", broken_zip)
    with pytest.raises(RunFailed, match="disk full; nothing published"):  # one line, not a crash
        publish(make_db(tmp_path / "b.duckdb"), out, created=DAY2)
    assert sorted(p.name for p in packages.iterdir()) == ["2026.11.27", "LATEST", "klimatkontrakt-2026.11.27.zip", "latest"]
    assert os.readlink(packages / "latest") == "2026.11.27"
    assert tree_state(release) == before
    assert (out / "site" / "index.html").read_bytes() == site_before


KILLER = """
import os, signal, sys
from datetime import UTC, datetime
from pathlib import Path
import klimatkontrakt.release.publish as pub
original = pub.write_dcat
def write_then_die(*args, **kwargs):
    original(*args, **kwargs)  # the zip is written, the release not yet renamed
    os.kill(os.getpid(), signal.SIGKILL)
pub.write_dcat = write_then_die
pub.publish(Path(sys.argv[1]), Path(sys.argv[2]), created=datetime(2026, 11, 28, tzinfo=UTC))
"""


def test_a_killed_publish_leaves_the_previous_release_and_latest(first, tmp_path):
    out, release = first
    packages = out / "packages"
    before = tree_state(release)
    db = make_db(tmp_path / "b.duckdb")
    proc = subprocess.run([sys.executable, "-c", KILLER, str(db), str(out)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    assert os.readlink(packages / "latest") == "2026.11.27"
    assert (packages / "LATEST").read_text().strip() == "2026.11.27"
    assert tree_state(release) == before
    assert not (packages / "2026.11.28").exists() and not (packages / "klimatkontrakt-2026.11.28.zip").exists()
    leftovers = [p for p in packages.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers  # what the killed process left behind ...
    old = time.time() - 2 * pub.STALE_TMP_SECONDS
    for p in leftovers:
        os.utime(p, (old, old))
    second = publish(db, out, created=DAY2)  # ... is cleaned up by the next publish
    assert second.name == "2026.11.28" and os.readlink(packages / "latest") == "2026.11.28"
    assert not [p for p in packages.iterdir() if p.name.startswith(".")]


# ---- personal data ------------------------------------------------------------------------

CONTACT = ("Kontakta Anna Andersson, anna.andersson@eskilstuna.se, tel. 016-710 10 00 "
           "eller 070-123 45 67, växel +46 (0)8 508 290 00; pressen: press[at]viablecities.se")


def test_email_addresses_and_phone_numbers_are_scrubbed_everywhere(tmp_path):
    extraction = Extraction(
        title="Kontakt: info@viablecities.se, 08-790 60 00",
        signings=(Signing("klimatkontrakt-2030", CONTACT, municipality_code="0484", signed_on=date(2024, 5, 30)),),
    )
    pages = [*sample_pages(), (VC, page("https://viablecities.se/kontakt"), extraction)]
    release = publish(make_db(tmp_path / "kk.duckdb", pages), tmp_path / "out", created=DAY1)
    secrets = ["anna.andersson@", "info@viablecities", "press[at]", "016-710", "070-123", "508 290", "790 60 00"]
    for path in [*release.rglob("*.csv"), release / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path
    evidence = read_csv(release / "data" / "signings.csv")
    scrubbed = next(r["evidence"] for r in evidence if "Anna Andersson" in r["evidence"])
    assert scrubbed == ("Kontakta Anna Andersson, [e-post borttagen], tel. [telefon borttagen] eller "
                        "[telefon borttagen], växel [telefon borttagen]; pressen: [e-post borttagen]")
    titles = pq.read_table(release / "parquet" / "documents.parquet").column("title").to_pylist()
    assert f"Kontakt: {EMAIL_PLACEHOLDER}, {PHONE_PLACEHOLDER}" in titles
    con = duckdb.connect(str(release / "klimatkontrakt.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT count(*) FROM signings WHERE evidence LIKE '%@%' OR evidence LIKE '%016-710%'").fetchone()
    finally:
        con.close()
    assert rows == (0,)
    assert "[e-post borttagen]" in (release / "README.md").read_text(encoding="utf-8")
    assert validate_package(release) == (True, [])


@pytest.mark.parametrize("text", [
    "Avtalet undertecknades 2023-05-31 av 23 kommuner", "kommunkod 0484 och 1480", "document 0123456789abcdef",
    "run 20261127T021500Z-abcd", "Läs mer på https://viablecities.se/nyheter/2023", "Over 100 000 invånare",
    "Klockan 09.30-12.00 den 31 maj", "sha 8f14e45fceea167a5a36dedd4bea2543",
])
def test_scrub_leaves_ordinary_text_alone(text):
    assert scrub_text(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("ring 08-123 456 78", "ring [telefon borttagen]"),
    ("mobil 0701234567.", "mobil [telefon borttagen]."),
    ("tel +46 16 710 10 00", "tel [telefon borttagen]"),
    ("tel 0046 8 123 45 67", "tel [telefon borttagen]"),
    ("mejla Jimmy.Jansson@Eskilstuna.SE!", "mejla [e-post borttagen]!"),
    ("mailto:kansli@kommun.se", "[e-post borttagen]"),
    ("kontakt: registrator (at) lund.se", "kontakt: [e-post borttagen]"),
    ("mejla anna.ek ( at ) umea.se", "mejla [e-post borttagen]"),
    ("mejla anna.ek [ at ] umea.se", "mejla [e-post borttagen]"),
    ("mejla anna.ek [ snabel-a ]umea.se", "mejla [e-post borttagen]"),
])
def test_scrub_replaces_contacts(text, expected):
    assert scrub_text(text) == expected


def test_scrub_gates_skip_nothing_the_full_patterns_would_replace():
    ats = ["@", "(at)", "( at )", "[at]", "[ at ]", " (snabel-a) ", "[Snabel-A]", "(AT)", " ( at ) "]
    phones = ["08-123 456 78", "070\u00a0123 45 67", "+46 (0)8 508 290 00", "0046-8-1234567", "016/710 10 00"]
    texts = [f"skriv till {name}{at}{domain} eller ring {phone}" for name in ("anna.ek", "kansli")
             for at in ats for domain in ("umea.se", "kommun.example.org") for phone in phones]
    for text in texts:
        assert scrub_text(text) == PHONE_RE.sub(PHONE_PLACEHOLDER, EMAIL_RE.sub(EMAIL_PLACEHOLDER, text)), text
        assert EMAIL_PLACEHOLDER in scrub_text(text) and PHONE_PLACEHOLDER in scrub_text(text), text


# ---- changes between releases -------------------------------------------------------------

def test_changes_across_two_releases(first, tmp_path):
    out, release1 = first
    added = read_csv(release1 / "CHANGES.csv")
    assert {r["change"] for r in added} == {"added"}
    resources = json.loads((release1 / "datapackage.json").read_text())["resources"]
    listed = {t for t in sch.table_names() if not sch.history_of(t)}  # the history is not listed again
    assert len(added) == sum(r["rows"] for r in resources if r["name"] in listed)
    old_signings = read_csv(release1 / "data" / "signings.csv")
    old_event = read_csv(release1 / "data" / "events.csv")[0]

    def edit(tables):
        events = tables["events"].copy()
        events["location"] = "Malmö"
        events["start_time"] = "10:00"
        tables["events"] = events
        signings = tables["signings"]
        gone = signings[signings["organisation_id"] == "formas"]["signing_id"].iloc[0]
        tables["signings"] = signings[signings["signing_id"] != gone]
        tables["claims"] = tables["claims"][tables["claims"]["fact_id"] != gone]
        extra = signings[signings["municipality_code"] == "0484"].copy()
        extra["signing_id"] = "f" * 16
        extra["contract"] = "letter-of-intent"
        tables["signings"] = pd.concat([tables["signings"], extra], ignore_index=True)

    db = make_db(tmp_path / "b.duckdb", edit=edit, run_id="20261128T021500Z-beef")
    release2 = publish(db, out, created=DAY2)
    rows = read_csv(release2 / "CHANGES.csv")
    by = {(r["table"], r["key"]): r for r in rows}
    assert by[("events", old_event["event_id"])]["change"] == "changed"
    assert by[("events", old_event["event_id"])]["fields"] == "start_time;location"
    formas = next(r["signing_id"] for r in old_signings if r["organisation_id"] == "formas")
    assert by[("signings", formas)] == {"table": "signings", "key": formas, "change": "removed", "fields": ""}
    assert by[("signings", "f" * 16)]["change"] == "added"
    assert ("municipalities", "0114") not in by  # unchanged records are not listed
    md = (release2 / "CHANGES.md").read_text(encoding="utf-8")
    assert "Compared with the previous release, 2026.11.27" in md
    assert "| `signings` | 2 | 2 | 1 | 0 | 1 |" in md
    assert validate_package(release2) == (True, [])


# ---- citation, catalogue metadata, zip -----------------------------------------------------

def test_citation_dcat_and_zip(first):
    out, release = first
    cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert {"message", "title", "authors", "version", "date-released", "license"} <= set(cff)
    assert cff["version"] == "2026.11.27" and cff["date-released"] == "2026-11-27" and cff["license"] == "CC-BY-4.0"
    assert all("name" in a or "family-names" in a for a in cff["authors"])

    dcat = json.loads((release / "dcat.jsonld").read_text(encoding="utf-8"))
    graph = {node["@id"]: node for node in dcat["@graph"]}
    dataset = next(n for n in dcat["@graph"] if n["@type"] == "dcat:Dataset")
    assert {t["@language"] for t in dataset["dct:title"]} == {"sv", "en"}
    assert {t["@language"] for t in dataset["dct:description"]} == {"sv", "en"}
    assert dataset["dct:license"]["@id"] == "http://creativecommons.org/licenses/by/4.0/"
    assert dataset["dct:publisher"]["foaf:name"] and dataset["dcat:keyword"]
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2020-10-01"
    assert dataset["dct:modified"]["@value"] == dataset["dct:issued"]["@value"] == "2026-11-27T02:15:00Z"
    distributions = [graph[d["@id"]] for d in dataset["dcat:distribution"]]
    by_path = {d["dcat:downloadURL"]["@id"]: d for d in distributions}
    for path in ["data/signings.csv", "parquet/signings.parquet", "klimatkontrakt.duckdb"]:
        assert int(by_path[path]["dcat:byteSize"]["@value"]) == (release / path).stat().st_size
        assert by_path[path]["dcat:mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")
    zip_path = out / "packages" / "klimatkontrakt-2026.11.27.zip"
    assert int(by_path["../klimatkontrakt-2026.11.27.zip"]["dcat:byteSize"]["@value"]) == zip_path.stat().st_size

    with zipfile.ZipFile(zip_path) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        for path in release.rglob("*"):
            if path.is_file() and path.name != "dcat.jsonld":
                rel = path.relative_to(release).as_posix()
                assert zf.read(f"klimatkontrakt-2026.11.27/{rel}") == path.read_bytes()
                names.discard(f"klimatkontrakt-2026.11.27/{rel}")
        assert names == set()


def test_readme_covers_what_researchers_need(first):
    _, release = first
    readme = (release / "README.md").read_text(encoding="utf-8")
    for heading in ["## Coverage", "## How the facts are extracted", "## Caveats and known conflicts",
                    "## Personal data", "## How to cite", "## Licence", "CC-BY-4.0", "## Data dictionary",
                    "### signings"]:
        assert heading in readme, heading
    assert "| `viablecities` | https://viablecities.se/ | 2 |" in readme
    assert "- `signings`: 2023" in readme
    assert "table `conflicts`" in readme or "tracked in the `conflicts` table" in readme


def test_a_release_only_when_a_published_table_changed(first, tmp_path):
    """The nightly run's way (only_if_changed): a new run of the same facts publishes nothing, though
    its `runs` and `fetches` differ; one changed signing publishes, and CHANGES names that record."""
    out, release = first
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert len(descriptor["x-content-sha256"]) == 64
    # the next night: other run, other fetches rows, the same facts
    same = make_db(tmp_path / "b.duckdb", run_id="20261128T021500Z-bcde", after=tmp_path / "a.duckdb")
    assert publish(same, out, created=DAY2, only_if_changed=True) is None
    assert os.readlink(out / "packages" / "latest") == release.name

    def later_version(tables):
        tables["signings"].loc[0, "contract_version"] = "2024 års version"

    changed = make_db(tmp_path / "c.duckdb", run_id="20261128T021500Z-bcde", edit=later_version,
                      after=tmp_path / "a.duckdb")
    second = publish(changed, out, created=DAY2, only_if_changed=True)
    assert second is not None and os.readlink(out / "packages" / "latest") == second.name
    signing_id = pd.read_csv(second / "data" / "signings.csv")["signing_id"][0]
    rows = read_csv(second / "CHANGES.csv")
    assert [r["change"] for r in rows if r["table"] == "signings" and r["key"] == signing_id] == ["changed"]
    # and a forced release of unchanged facts is still possible (only_if_changed=False)
    assert publish(changed, out, created=DAY2).name == f"{second.name}.2"


def test_the_content_hash_sees_values_not_the_bytes_under_a_null():
    """Arrow may leave any bytes in a null slot (a DuckDB read did, now and then): equal tables hash alike."""
    import pyarrow as pa

    validity = pa.py_buffer(bytes([0b01]))
    clean = pa.Array.from_buffers(pa.int64(), 2, [validity, pa.py_buffer((7).to_bytes(8, "little") + bytes(8))])
    dirty = pa.Array.from_buffers(pa.int64(), 2, [validity, pa.py_buffer((7).to_bytes(8, "little") + b"\xff" * 8)])
    assert clean.to_pylist() == dirty.to_pylist() == [7, None]
    assert pub.content_sha256({"targets": pa.table({"value": clean})}) == pub.content_sha256({"targets": pa.table({"value": dirty})})
    assert pub.content_sha256({"targets": pa.table({"value": [7, 8]})}) != pub.content_sha256({"targets": pa.table({"value": [7, None]})})


# ---- operational logs out, history in; old releases -----------------------------------------

def test_the_first_release_without_the_run_logs_says_they_moved(first, tmp_path):
    """A release of the old layout (with `runs` and `fetches`, no `sources`, no history) is followed
    by one whose CHANGES.md and README name the tables that left and the new ones."""
    out, release1 = first
    descriptor = json.loads((release1 / "datapackage.json").read_text())
    old_layout = [r for r in descriptor["resources"] if r["name"].split("-")[0] != "sources"
                  and not r["name"].split("-")[0].endswith("_history")]
    for name in ("runs", "fetches"):
        (release1 / "data" / f"{name}.csv").write_text("run_id\r\nx\r\n", encoding="utf-8")
        old_layout.append({"name": name, "path": f"data/{name}.csv", "format": "csv"})
    descriptor["resources"] = old_layout
    descriptor["x-content-sha256"] = "0" * 64  # hashed over other tables
    (release1 / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for name in ["sources", *(f"{t}_history" for t in sch.VERSIONED_TABLES)]:
        (release1 / "data" / f"{name}.csv").unlink()
        (release1 / "parquet" / f"{name}.parquet").unlink()

    release2 = publish(make_db(tmp_path / "b.duckdb", run_id="20261128T021500Z-beef", after=tmp_path / "a.duckdb"),
                       out, created=DAY2, only_if_changed=True)
    assert release2 is not None  # the published tables differ: `sources` and the history are new
    md = (release2 / "CHANGES.md").read_text(encoding="utf-8")
    assert "**Tables no longer in the package:**" in md
    for name in ("runs", "fetches"):
        assert f"- `{name}`: Moved out of the package in this release" in md
        assert f"`{name}`, in the previous release, is no longer in the package" in (release2 / "README.md").read_text()
    assert "New tables in the package: `sources`" in md
    assert {r["table"] for r in read_csv(release2 / "CHANGES.csv")} == {"sources"}  # history rows are not listed
    names = {r["name"] for r in json.loads((release2 / "datapackage.json").read_text())["resources"]}
    assert {"sources", "signings_history"} <= names and not {"runs", "fetches"} & names
    assert validate_package(release2) == (True, [])


def test_older_release_folders_are_pruned_to_their_zips(first, tmp_path):
    out, release1 = first
    packages = out / "packages"
    db = tmp_path / "a.duckdb"
    later = [publish(db, out, created=datetime(2026, 11, 27 + i, 2, 15, tzinfo=UTC), keep_releases=0) for i in (1, 2)]
    assert all((p / "data").is_dir() for p in [release1, *later])  # 0: every folder kept whole
    zips = {p.name: p.read_bytes() for p in packages.glob("*.zip")}

    newest = publish(db, out, created=datetime(2026, 11, 30, 2, 15, tzinfo=UTC), keep_releases=2)
    pruned, whole = [release1, later[0]], [later[1], newest]
    for folder in pruned:
        assert sorted(p.name for p in folder.iterdir()) == [
            "CHANGES.csv", "CHANGES.md", "CITATION.cff", "PRUNED.md", "README.md", "datapackage.json", "dcat.jsonld"]
        assert f"../klimatkontrakt-{folder.name}.zip" in (folder / "PRUNED.md").read_text()
    for folder in whole:
        assert (folder / "data" / "signings.csv").is_file() and (folder / "klimatkontrakt.duckdb").is_file()
    assert os.readlink(packages / "latest") == newest.name
    assert {n: b for n, b in zips.items()} == {n: (packages / n).read_bytes() for n in zips}  # zips untouched
    with zipfile.ZipFile(packages / f"klimatkontrakt-{release1.name}.zip") as zf:  # the release is in its zip
        zf.extractall(tmp_path / "unzipped")
    assert validate_package(tmp_path / "unzipped" / f"klimatkontrakt-{release1.name}") == (True, [])
    page = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert all(f"klimatkontrakt-{p.name}.zip" in page for p in [*pruned, *whole])  # still listed, by zip

    # a release after that compares with `latest`, which is whole, and prunes one more
    fifth = publish(db, out, created=datetime(2026, 12, 1, 2, 15, tzinfo=UTC), keep_releases=2)
    assert "Compared with the previous release, " + newest.name in (fifth / "CHANGES.md").read_text()
    assert (later[1] / "PRUNED.md").is_file() and not (newest / "PRUNED.md").exists()
