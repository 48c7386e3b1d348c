"""Version history of the facts across runs (`<table>_history`), the current_* views and AS OF."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from pipeline_helpers import (
    MIRROR_VC,
    VC,
    mirrored_extraction,
    page,
    run_row,
    sample_pages,
)

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.store import history as hist
from klimatkontrakt.store.load import build_database, read_tables

RUN1, RUN2, RUN3 = "20261127T021500Z-aaaa", "20261128T021500Z-bbbb", "20261129T021500Z-cccc"
T1, T2, T3 = datetime(2026, 11, 27, 2, 15), datetime(2026, 11, 28, 2, 15), datetime(2026, 11, 29, 2, 15)
RUNS = {RUN1: T1, RUN2: T2, RUN3: T3}
ALL = sch.database_table_names()


def changed_pages():
    """The next night: the party of Jimmy Jansson changed on one page, the event page is gone."""
    pages = sample_pages()
    pages[0] = (VC, page(MIRROR_VC), mirrored_extraction(date(2023, 6, 2), "Eskilstuna skrev under kontraktet", "M"))
    return pages[:2] + pages[3:]


def build(path, pages, run_id):
    build_database(assemble(pages, run_id), path, [run_row(run_id, started_at=RUNS[run_id])])
    return read_tables(path, ALL)


def sql(path, query, *params):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def assert_current_views_equal_tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        for table in sch.VERSIONED_TABLES:
            for a, b in ((table, f"current_{table}"), (f"current_{table}", table)):
                diff = con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchone()[0]
                assert diff == 0, (a, b)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "kk.duckdb"


def test_first_build_opens_one_version_per_row(db):
    tables = build(db, sample_pages(), RUN1)
    for table in sch.VERSIONED_TABLES:
        h = tables[sch.history_table(table)]
        assert len(h) == len(tables[table]) > 0, table
        assert set(h["change"]) == {"added"} and h["valid_to"].isna().all() and h["closed_by"].isna().all()
        assert set(h["run_id_from"]) == {RUN1} and set(h["valid_from"]) == {pd.Timestamp(T1)}
        facts = h[sch.field_names(table)].reset_index(drop=True)
        pd.testing.assert_frame_equal(facts, tables[table].reset_index(drop=True), obj=table)
    assert_current_views_equal_tables(db)


def test_two_builds_from_the_same_input_are_identical(tmp_path):
    a, b = tmp_path / "a" / "kk.duckdb", tmp_path / "b" / "kk.duckdb"
    first, second = build(a, sample_pages(), RUN1), build(b, sample_pages(), RUN1)
    for name in ALL:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)
    for view in sch.view_names():
        assert sql(a, f"FROM {view} ORDER BY ALL") == sql(b, f"FROM {view} ORDER BY ALL"), view


def test_a_run_that_changes_nothing_adds_no_history(db):
    before = build(db, sample_pages(), RUN1)
    after = build(db, sample_pages(), RUN2)
    for table in sch.VERSIONED_TABLES:
        name = sch.history_table(table)
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
        pd.testing.assert_frame_equal(after[table], before[table], obj=table)
    assert after["runs"]["run_id"].tolist() == [RUN1, RUN2]
    assert after["fetches"].groupby("run_id").size().to_dict() == {RUN1: 5, RUN2: 5}
    assert sql(db, "SELECT count(*) FROM changes WHERE run_id = ?", RUN2) == [(0,)]


def test_changed_and_vanished_rows_close_their_versions(db):
    build(db, sample_pages(), RUN1)
    tables = build(db, changed_pages(), RUN2)

    roles = tables["roles_history"]
    assert len(tables["roles"]) == 1 and len(roles) == 2
    old, new = roles.sort_values("valid_from").to_dict("records")
    assert (old["party"], old["closed_by"], old["run_id_to"], old["valid_to"]) == ("S", "changed", RUN2, pd.Timestamp(T2))
    assert (new["party"], new["change"], new["run_id_from"], new["valid_from"]) == ("M", "changed", RUN2, pd.Timestamp(T2))
    assert pd.isna(new["valid_to"]) and old["role_id"] == new["role_id"]

    events = tables["events_history"]
    assert tables["events"].empty and events["closed_by"].tolist() == ["removed"]
    assert events["run_id_to"].tolist() == [RUN2]
    memberships = tables["memberships_history"]
    assert tables["memberships"].empty and memberships["closed_by"].tolist() == ["removed"]

    signings = tables["signings_history"]  # 0484 lost its event link (changed), formas vanished (removed)
    assert sorted(signings["closed_by"].dropna()) == ["changed", "removed"]
    assert signings["valid_to"].isna().sum() == len(tables["signings"]) == 1

    changes = sql(db, "SELECT fact_table, change, count(*) FROM changes WHERE run_id = ? GROUP BY ALL ORDER BY ALL", RUN2)
    # the coverage row of the municipality that lost facts changed with them
    assert changes == [("coverage", "changed", 1), ("documents", "removed", 1), ("events", "removed", 1),
                       ("memberships", "removed", 1), ("roles", "changed", 1), ("signings", "changed", 1),
                       ("signings", "removed", 1)]
    assert_current_views_equal_tables(db)


def test_as_of_queries_answer_with_plain_sql(db):
    run1 = build(db, sample_pages(), RUN1)
    run2 = build(db, changed_pages(), RUN2)
    as_of = """
        SELECT signing_id FROM signings_history
        WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY signing_id"""
    ids = lambda frame: [(i,) for i in sorted(frame["signing_id"])]  # noqa: E731
    assert sql(db, as_of, T1, T1) == ids(run1["signings"])
    assert sql(db, as_of, datetime(2026, 11, 27, 23, 0), datetime(2026, 11, 27, 23, 0)) == ids(run1["signings"])
    assert sql(db, as_of, T2, T2) == ids(run2["signings"])
    assert sql(db, as_of, datetime(2020, 1, 1), datetime(2020, 1, 1)) == []
    macro = "SELECT signing_id FROM signings_as_of(?) ORDER BY signing_id"
    assert sql(db, macro, T1) == ids(run1["signings"]) and sql(db, macro, T3) == ids(run2["signings"])
    with duckdb.connect(str(db), read_only=True) as con:
        for table in sch.VERSIONED_TABLES:  # every macro returns the table's columns
            columns = [c[0] for c in con.execute(f"FROM {table}_as_of(?) LIMIT 0", [T1]).description]
            assert columns == sch.field_names(table)


def test_a_row_that_reappears_is_added_again(db):
    build(db, sample_pages(), RUN1)
    build(db, changed_pages(), RUN2)
    tables = build(db, sample_pages(), RUN3)
    events = tables["events_history"].sort_values("valid_from")
    assert events["change"].tolist() == ["added", "added"]
    assert events["closed_by"].tolist()[0] == "removed" and pd.isna(events["closed_by"].tolist()[1])
    roles = tables["roles_history"].sort_values("valid_from")
    assert roles["party"].tolist() == ["S", "M", "S"] and roles["change"].tolist() == ["added", "changed", "changed"]
    assert_current_views_equal_tables(db)


def test_rebuilding_a_run_replaces_its_changes(db):
    once = build(db, sample_pages(), RUN1)
    build(db, changed_pages(), RUN2)
    again = build(db, sample_pages(), RUN2)  # RUN2 rebuilt: as if it had found what RUN1 found
    for table in sch.VERSIONED_TABLES:
        name = sch.history_table(table)
        pd.testing.assert_frame_equal(again[name], once[name], obj=name)


def test_history_is_seeded_from_a_database_that_predates_it(db):
    build(db, sample_pages(), RUN1)
    with duckdb.connect(str(db)) as con:  # make it look like a database from before history existed
        for view in reversed(sch.views()):
            con.execute(f"DROP {'MACRO TABLE' if view.kind == 'macro' else 'VIEW'} {view.name}")
        for table in sch.HISTORY_TABLES:
            con.execute(f"DROP TABLE {table}")
    tables = build(db, changed_pages(), RUN2)
    roles = tables["roles_history"].sort_values("valid_from")
    assert roles["run_id_from"].tolist() == [RUN1, RUN2] and roles["closed_by"].tolist()[0] == "changed"
    assert tables["events_history"]["closed_by"].tolist() == ["removed"]
    assert_current_views_equal_tables(db)


def test_ignored_columns_refresh_the_open_version():
    docs = assemble(sample_pages(), RUN1)["documents"]
    first = hist.next_history("documents", None, docs, RUN1, T1)
    later = docs.copy()
    later["fetched_at"] = pd.Series([datetime(2026, 11, 28, 2, 16)] * len(later), dtype=docs["fetched_at"].dtype)
    second = hist.next_history("documents", first, later, RUN2, T2)
    assert len(second) == len(first)
    assert set(second["fetched_at"].to_pylist()) == {datetime(2026, 11, 28, 2, 16)}
    assert set(second["run_id_from"].to_pylist()) == {RUN1}
    later["title"] = "New title"
    third = hist.next_history("documents", second, later, RUN3, T3)
    assert len(third) == 2 * len(first)
    assert third.filter(pa.compute.is_null(third["valid_to"]))["title"].to_pylist() == ["New title"] * len(first)


def test_researcher_views(db):
    build(db, sample_pages(), RUN1)
    build(db, changed_pages(), RUN2)
    per_year = sql(db, "SELECT contract, year, signings, municipalities, new_municipalities FROM signings_per_year")
    assert per_year == [("klimatkontrakt-2030", 2023, 1, 1, 1)]
    timeline = sql(db, """
        SELECT what, on_date, detail, first_seen, versions, url FROM municipality_timeline
        WHERE municipality_code = '0484' ORDER BY on_date, what""")
    assert [(w, d, n) for w, d, _, _, n, _ in timeline] == [("role", date(2023, 5, 31), 2), ("signing", date(2023, 5, 31), 2)]
    role = timeline[0]
    assert role[2] == "Jimmy Jansson: ks-ordforande (M)" and role[3] == T1
    assert timeline[1][2] == "klimatkontrakt-2030 (2023 års version)"
    assert timeline[1][5] == "https://www.eskilstuna.se/nyheter/klimatkontrakt"
