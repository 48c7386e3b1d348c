"""build_database(): schema DDL, history carried over, atomic swap that survives failures."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from klimatkontrakt import load
from klimatkontrakt import schema as sch
from klimatkontrakt.assemble import assemble
from klimatkontrakt.errors import RunFailed
from klimatkontrakt.load import build_database, previous_path, read_tables
from pipeline_helpers import run_row, sample_pages

RUN1, RUN2 = "20261126T021500Z-aaaa", "20261127T021500Z-bbbb"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kk.duckdb"
    build_database(assemble(sample_pages(), RUN1), path, [run_row(RUN1)])
    return path


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or p.name.endswith(".wal"))


def test_tables_round_trip(db):
    assembled = assemble(sample_pages(), RUN1)
    tables = read_tables(db)
    assert list(tables) == sch.table_names()
    for name, frame in assembled.items():
        pd.testing.assert_frame_equal(tables[name], frame, obj=name)
    runs = tables["runs"]
    assert runs["run_id"].tolist() == [RUN1] and runs["status"].tolist() == ["success"]
    assert leftovers(db.parent) == []
    assert not previous_path(db).exists()


def test_codes_stay_text_in_duckdb(db):
    with duckdb.connect(str(db), read_only=True) as con:
        code, = con.execute("SELECT municipality_code FROM municipalities ORDER BY 1 LIMIT 1").fetchone()
        assert code == "0114"
        assert con.execute("SELECT count(*) FROM municipalities").fetchone()[0] == 290


def test_history_of_runs_and_fetches_is_carried_over(db):
    build_database(assemble(sample_pages()[:2], RUN2), db, [run_row(RUN2, pages_fetched=2)])
    tables = read_tables(db)
    assert tables["runs"]["run_id"].tolist() == [RUN1, RUN2]
    assert tables["fetches"].groupby("run_id").size().to_dict() == {RUN1: 5, RUN2: 2}
    assert len(tables["documents"]) == 2  # facts are today's only
    assert previous_path(db).name == "kk.prev.duckdb"
    previous = read_tables(previous_path(db))
    assert previous["runs"]["run_id"].tolist() == [RUN1] and len(previous["documents"]) == 3
    assert leftovers(db.parent) == []


def test_rebuilding_the_same_run_replaces_its_history(db):
    build_database(assemble(sample_pages(), RUN1), db, [run_row(RUN1, status="failed")])
    tables = read_tables(db)
    assert tables["runs"]["status"].tolist() == ["failed"]
    assert len(tables["fetches"]) == 5


def test_failure_mid_load_leaves_previous_database_intact(db, monkeypatch):
    before = read_tables(db)
    before_bytes = db.read_bytes()
    real_insert = load._insert

    def failing_insert(con, table, data):
        if table == "roles":
            raise RuntimeError("disk on fire")
        real_insert(con, table, data)

    monkeypatch.setattr(load, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_database(assemble(sample_pages()[:1], RUN2), db, [run_row(RUN2)])
    assert db.read_bytes() == before_bytes
    after = read_tables(db)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert leftovers(db.parent) == [] and not previous_path(db).exists()


def test_constraint_violation_fails_and_keeps_database(db):
    tables = assemble(sample_pages(), RUN2)
    tables["signings"] = pd.concat([tables["signings"], tables["signings"]])  # duplicate primary keys
    with pytest.raises(duckdb.ConstraintException):
        build_database(tables, db, [run_row(RUN2)])
    assert read_tables(db)["runs"]["run_id"].tolist() == [RUN1]
    assert leftovers(db.parent) == []


def test_database_in_use_is_a_one_line_run_failure(db):
    con = duckdb.connect(str(db))  # read-write, as another writer would hold it
    try:
        with pytest.raises(RunFailed, match="cannot open database") as info:
            build_database(assemble([], RUN2), db, [run_row(RUN2)])
        assert "\n" not in str(info.value)
    finally:
        con.close()
    assert read_tables(db)["runs"]["run_id"].tolist() == [RUN1]


def test_views(db):
    with duckdb.connect(str(db), read_only=True) as con:
        per_year = con.execute("SELECT contract, year, signings FROM signings_per_year").fetchall()
        assert per_year == [("klimatkontrakt-2030", 2023, 2)]
        timeline = con.execute(
            "SELECT municipality_code, what FROM municipality_timeline ORDER BY ALL").fetchall()
        assert ("0484", "signing") in timeline and ("0180", "membership") in timeline


def test_a_reader_in_another_process_survives_the_swap(db):
    """A developer holds the database open read-only while the nightly run swaps in a new one."""
    import subprocess
    import sys
    import textwrap

    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(db)!r}, read_only=True)
            print(con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
            sys.stdin.readline()  # hold the connection until the writer is done
            print(con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert reader.stdout.readline().strip() == "1"
    build_database(assemble(sample_pages(), RUN2), db, [run_row(RUN2)])
    out, err = reader.communicate("go\n", timeout=60)
    assert reader.returncode == 0, err
    assert out.strip() == "1"  # the reader kept its consistent snapshot of the old file
    assert read_tables(db)["runs"]["run_id"].tolist() == [RUN1, RUN2]
