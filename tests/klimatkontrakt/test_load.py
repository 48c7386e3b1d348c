"""build_database(): schema DDL, history carried over, atomic swap that survives failures and SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pipeline_helpers import run_row, sample_pages

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import RunFailed
from klimatkontrakt.store import load
from klimatkontrakt.store.load import build_database, previous_path, read_tables

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
    tables = read_tables(db, sch.database_table_names())
    assert list(read_tables(db)) == sch.published_table_names()
    assert "fetches" not in read_tables(db) and "runs" not in read_tables(db)
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
    tables = read_tables(db, sch.database_table_names())
    assert tables["runs"]["run_id"].tolist() == [RUN1, RUN2]
    assert tables["fetches"].groupby("run_id").size().to_dict() == {RUN1: 5, RUN2: 2}
    assert len(tables["documents"]) == 2  # facts are today's only
    assert previous_path(db).name == "kk.prev.duckdb"
    previous = read_tables(previous_path(db), sch.database_table_names())
    assert previous["runs"]["run_id"].tolist() == [RUN1] and len(previous["documents"]) == 3
    assert leftovers(db.parent) == []


def test_earlier_fetches_past_the_retention_are_dropped_and_runs_kept(db):
    """The crawl log's retention: fetch rows of earlier runs fetched before `fetches_since` go, the
    rows of runs since and of the run being loaded stay, and every run stays in `runs`."""
    pages = sample_pages()  # fetched 2026-11-27 02:15 (pipeline_helpers.page)
    build_database(assemble(pages[:2], RUN2), db, [run_row(RUN2)], fetches_since=datetime(2026, 11, 27, 3, 0))
    tables = read_tables(db, sch.database_table_names())
    assert tables["runs"]["run_id"].tolist() == [RUN1, RUN2]
    assert tables["fetches"]["run_id"].tolist() == [RUN2, RUN2]  # RUN1's five rows were older
    run3 = "20261128T021500Z-cccc"
    build_database(assemble(pages[:1], run3), db, [run_row(run3)], fetches_since=datetime(2026, 11, 1))
    assert sorted(read_tables(db, sch.database_table_names())["fetches"]["run_id"].tolist()) == [RUN2, RUN2, run3]


def test_rebuilding_the_same_run_replaces_its_history(db):
    build_database(assemble(sample_pages(), RUN1), db, [run_row(RUN1, status="failed")])
    tables = read_tables(db, sch.database_table_names())
    assert tables["runs"]["status"].tolist() == ["failed"]
    assert len(tables["fetches"]) == 5


def test_failure_mid_load_leaves_previous_database_intact(db, monkeypatch):
    before = read_tables(db, sch.database_table_names())
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
    after = read_tables(db, sch.database_table_names())
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert leftovers(db.parent) == [] and not previous_path(db).exists()


def test_constraint_violation_fails_and_keeps_database(db):
    tables = assemble(sample_pages(), RUN2)
    tables["signings"] = pd.concat([tables["signings"], tables["signings"]])  # duplicate primary keys
    with pytest.raises(duckdb.ConstraintException):
        build_database(tables, db, [run_row(RUN2)])
    assert read_tables(db, sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1]
    assert leftovers(db.parent) == []


def test_database_in_use_is_a_one_line_run_failure(db):
    con = duckdb.connect(str(db))  # read-write, as another writer would hold it
    try:
        with pytest.raises(RunFailed, match="cannot open database") as info:
            build_database(assemble([], RUN2), db, [run_row(RUN2)])
        assert "\n" not in str(info.value)
    finally:
        con.close()
    assert read_tables(db, sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1]


def test_database_has_every_table_view_and_macro(db):
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        macros = {r[0] for r in con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE function_type = 'table_macro' AND NOT internal"
        ).fetchall()}
    assert tables == set(sch.database_table_names())
    assert views == set(sch.view_names())
    assert macros == {v.name for v in sch.views() if v.kind == "macro"}


def test_views(db):
    with duckdb.connect(str(db), read_only=True) as con:
        per_year = con.execute("SELECT contract, year, signings FROM signings_per_year").fetchall()
        assert per_year == [("klimatkontrakt-2030", 2023, 2)]
        timeline = con.execute(
            "SELECT municipality_code, what FROM municipality_timeline ORDER BY ALL").fetchall()
        assert ("0484", "signing") in timeline and ("0180", "membership") in timeline
        assert ("0484", "role") in timeline


def test_build_needs_the_run_being_loaded(db):
    with pytest.raises(ValueError, match="run being loaded"):
        build_database(assemble(sample_pages(), RUN2), db, [])


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
    assert read_tables(db, sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1, RUN2]


# ---- SIGKILL at any point leaves the previous database intact --------------------------

KILLED_BUILD = textwrap.dedent("""
    import os, sys, time
    from datetime import datetime
    from pathlib import Path
    sys.path.insert(0, {helpers!r})
    from klimatkontrakt.store import load
    from klimatkontrakt.assemble.tables import assemble
    from pipeline_helpers import run_row, sample_pages

    db, point = sys.argv[1], sys.argv[2]

    def pause():
        print(point, flush=True)
        time.sleep(120)

    if point.startswith("insert:"):
        real_insert = load._insert
        def slow_insert(con, table, data):
            if table == point.split(":", 1)[1]:
                pause()
            real_insert(con, table, data)
        load._insert = slow_insert
    elif point == "keep-previous":
        real_keep = load._keep_previous
        load._keep_previous = lambda path: (pause(), real_keep(path))
    elif point == "swap":
        real_replace = os.replace
        def slow_replace(src, dst):
            if str(dst) == db:
                pause()
            real_replace(src, dst)
        load.os.replace = slow_replace
    load.build_database(assemble(sample_pages()[:2], {run!r}), Path(db),
                        [run_row({run!r}, started_at=datetime(2026, 11, 28, 2, 15))])
    print("finished", flush=True)
""")


def start_killable_build(db: Path, point: str) -> subprocess.Popen:
    script = KILLED_BUILD.format(helpers=str(Path(__file__).parent), run=RUN2)
    proc = subprocess.Popen([sys.executable, "-c", script, str(db), point],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if line != point:
        proc.kill()
        raise AssertionError(f"build did not reach {point}: {line!r} {proc.stderr.read()}")
    return proc


@pytest.mark.parametrize("point", ["insert:documents", "insert:memberships_history", "keep-previous", "swap"])
def test_a_killed_build_leaves_the_previous_database_usable(db, point):
    everything = sch.database_table_names()
    before = read_tables(db, everything)
    before_bytes = db.read_bytes()
    proc = start_killable_build(db, point)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert db.read_bytes() == before_bytes
    after = read_tables(db, everything)  # opens, every table readable, nothing changed
    for name in everything:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM municipality_timeline").fetchone()[0] > 0

    # the next build cleans up after the killed one and completes
    build_database(assemble(sample_pages()[:2], RUN2), db, [run_row(RUN2)])
    assert read_tables(db, sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1, RUN2]
    assert leftovers(db.parent) == []
    assert read_tables(previous_path(db), sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1]


def test_a_second_builder_waits_for_the_first(db, monkeypatch):
    proc = start_killable_build(db, "insert:signings")
    try:
        monkeypatch.setattr(load, "LOCK_TIMEOUT_SECONDS", 0.5)
        with pytest.raises(RunFailed, match="another build"):
            build_database(assemble(sample_pages(), RUN2), db, [run_row(RUN2)])
        assert read_tables(db, sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    build_database(assemble(sample_pages(), RUN2), db, [run_row(RUN2)])  # the lock died with its holder
    assert read_tables(db, sch.database_table_names())["runs"]["run_id"].tolist() == [RUN1, RUN2]
    assert leftovers(db.parent) == []


@pytest.mark.parametrize("table", sch.other_table_names())
def test_other_database_only_tables_are_written_or_carried_over(db, table):
    """E.g. page_state (crawl state): written when given, else kept from the previous database."""
    from datetime import date, datetime

    sample = {"string": "x", "integer": 1, "number": 1.0, "boolean": True, "date": date(2026, 1, 1),
              "datetime": datetime(2026, 1, 1), "year": 2026}
    row = {f["name"]: sample.get(f.get("type", "string"), "x") for f in sch.fields(table)}
    tables = assemble(sample_pages(), RUN2)
    tables[table] = sch.to_frame(table, [row])
    build_database(tables, db, [run_row(RUN2)])
    assert len(read_tables(db, [table])[table]) == 1
    build_database(assemble(sample_pages(), RUN2), db, [run_row(RUN2)])  # not given: carried over
    pd.testing.assert_frame_equal(read_tables(db, [table])[table], sch.to_frame(table, [row]))


def test_a_failing_step_before_the_swap_keeps_the_previous_database(db):
    """The flow publishes from the staged file; a tripped release gate must not swap it in."""
    before = db.read_bytes()
    seen = []

    def gate(staged):
        seen.append(read_tables(staged, sch.database_table_names())["runs"]["run_id"].tolist())
        raise RunFailed("shrink gate tripped")

    with pytest.raises(RunFailed):
        build_database(assemble(sample_pages()[:1], RUN2), db, [run_row(RUN2)], before_swap=gate)
    assert seen == [[RUN1, RUN2]]
    assert db.read_bytes() == before
    assert leftovers(db.parent) == []


def test_staged_tables_load_like_frames(db, tmp_path):
    assembled = assemble(sample_pages(), RUN1)
    staged = {name: load.stage_table(name, [frame.iloc[:1], frame.iloc[1:]], tmp_path / f"{name}.parquet")
              for name, frame in assembled.items()}
    assert {name: len(t) for name, t in staged.items()} == {name: len(f) for name, f in assembled.items()}
    from_files = tmp_path / "staged" / "kk.duckdb"
    build_database(staged, from_files, [run_row(RUN1)])
    with duckdb.connect(str(db), read_only=True) as a, duckdb.connect(str(from_files), read_only=True) as b:
        for table in sch.database_table_names():
            assert a.execute(f'SELECT * FROM "{table}"').fetchall() == b.execute(f'SELECT * FROM "{table}"').fetchall(), table


def test_tables_bigger_than_one_insert_batch_are_loaded_whole(db, tmp_path, monkeypatch):
    monkeypatch.setattr(load, "INSERT_BATCH_ROWS", 2)
    again = tmp_path / "small-batches" / "kk.duckdb"
    build_database(assemble(sample_pages(), RUN1), again, [run_row(RUN1)])
    with duckdb.connect(str(db), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        for table in ("documents", "claims", "fetches"):
            rows = a.execute(f'SELECT * FROM "{table}"').fetchall()
            assert len(rows) > 2 and b.execute(f'SELECT * FROM "{table}"').fetchall() == rows, table


def test_a_spill_folder_left_by_a_killed_build_is_removed(db):
    spill = db.with_name(f"{db.name}.tmp-999999.tmp")
    spill.mkdir()
    (spill / "duckdb_temp_block-1.block").write_bytes(b"x")
    build_database(assemble(sample_pages(), RUN2), db, [run_row(RUN1), run_row(RUN2)])
    assert leftovers(db.parent) == []


@pytest.mark.parametrize("first", ["klimatkontrakt", "flows"])
def test_arrow_allocates_with_the_system_allocator(first):
    # Arrow's C++ code (the Parquet writer) uses the default pool whatever pa.set_memory_pool says;
    # the package sets it to the system allocator before pyarrow loads (mimalloc kept freed memory)
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    code = f"import {first}, pandas, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "system"


def test_sources_sum_up_the_crawl_and_outlive_the_fetch_retention(db):
    """`sources` (published) is built from the crawl log of every run kept and the previous
    database's `sources`: when the log's rows are gone, a source keeps its first fetch and last run."""
    def summary(path):
        rows = read_tables(path, ["sources"])["sources"].to_dict("records")
        return {r["source_id"]: r for r in rows}

    first = summary(db)
    assert set(first) == {"viablecities", "eskilstuna"}
    vc, esk = first["viablecities"], first["eskilstuna"]
    assert vc["site"] == "https://viablecities.se/" and esk["site"] == "https://www.eskilstuna.se/"
    assert (vc["documents"], vc["documents_with_facts"]) == (2, 2)  # the listing page is no document
    assert (vc["last_run_requests"], vc["last_run_failed"], vc["last_status"]) == (4, 1, "partial")
    assert (esk["last_run_requests"], esk["last_run_failed"], esk["last_status"]) == (1, 0, "ok")
    assert vc["first_fetched_at"] == vc["last_fetched_at"] == datetime(2026, 11, 27, 2, 15)

    # a day later only Eskilstuna is fetched, and the retention drops every row of the first run
    later = datetime(2026, 11, 28, 2, 15, tzinfo=UTC)
    pages = [(s, replace(p, fetched_at=later), x) for s, p, x in sample_pages() if s.id == "eskilstuna"]
    pages.append((pages[0][0], replace(pages[0][1], url="https://www.eskilstuna.se/borta", final_url="https://www.eskilstuna.se/borta",
                                       status=503, body=b"", text=None, error=None), None))
    build_database(assemble(pages, RUN2), db, [run_row(RUN2)], fetches_since=datetime(2026, 11, 28))
    assert read_tables(db, ["fetches"])["fetches"]["run_id"].unique().tolist() == [RUN2]
    second = summary(db)
    vc, esk = second["viablecities"], second["eskilstuna"]
    assert vc["first_fetched_at"] == datetime(2026, 11, 27, 2, 15) == esk["first_fetched_at"]
    assert (vc["last_run_id"], vc["last_status"], vc["documents"]) == (RUN1, "partial", 0)  # not fetched: as it was
    assert (esk["last_run_id"], esk["last_fetched_at"]) == (RUN2, datetime(2026, 11, 28, 2, 15))
    assert (esk["last_run_requests"], esk["last_run_failed"], esk["last_status"]) == (2, 1, "partial")
