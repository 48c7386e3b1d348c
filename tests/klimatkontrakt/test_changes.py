"""The release diff behind CHANGES.csv: records added, changed (with their fields) and removed."""

import hashlib
import json
from datetime import date

import pyarrow as pa

from klimatkontrakt.release.changes import diff_table


def test_first_release_adds_every_record_in_row_order():
    new = pa.table({"id": ["b", "a"], "n": [1, 2]})
    changes = diff_table("t", None, new, ["id"])
    assert (changes.added, changes.changed, changes.removed) == (["b", "a"], [], [])
    assert (changes.rows_before, changes.rows_after) == (0, 2)


def test_added_changed_removed_with_the_fields_that_differ():
    old = pa.table({"id": ["a", "b", "c"], "n": [1, 2, 3], "s": ["x", "y", None]})
    new = pa.table({"id": ["c", "a", "d"], "n": [3, 5, 4], "s": ["z", "x", "w"]})
    changes = diff_table("t", old, new, ["id"])
    assert changes.added == ["d"]
    assert changes.changed == [("c", ["s"]), ("a", ["n"])]  # new row order; fields in column order
    assert changes.removed == ["b"]


def test_values_compare_by_their_text_across_types():
    # an older release read from CSV has strings where Parquet has dates, integers and booleans
    old = pa.table({"id": ["a"], "day": ["2023-05-31"], "n": ["3"], "ok": ["true"]})
    new = pa.table({"id": ["a"], "day": [date(2023, 5, 31)], "n": [3.0], "ok": [True]})
    assert diff_table("t", old, new, ["id"]).changed == []
    newer = pa.table({"id": ["a"], "day": [date(2023, 6, 1)], "n": [3.0], "ok": [False]})
    assert diff_table("t", old, newer, ["id"]).changed == [("a", ["day", "ok"])]


def test_a_column_new_or_gone_counts_as_a_change_only_where_it_has_a_value():
    old = pa.table({"id": ["a", "b"], "gone": ["x", None]})
    new = pa.table({"id": ["a", "b"], "added": [None, "y"]})
    assert diff_table("t", old, new, ["id"]).changed == [("a", ["gone"]), ("b", ["added"])]


def test_compound_keys_are_joined_and_a_repeated_key_with_other_values_is_kept_twice():
    new = pa.table({"k1": ["a", "a", "a"], "k2": [1, 1, 1], "v": ["x", "y", "x"]})
    changes = diff_table("t", None, new, ["k1", "k2"])
    assert changes.added == ["a | 1", "a | 1'"]  # the third row repeats the first whole: once


def test_a_table_without_primary_key_is_keyed_by_a_hash_of_the_row():
    new = pa.table({"url": ["https://x.se/"], "status": [200]})
    digest = hashlib.sha256(json.dumps({"url": "https://x.se/", "status": "200"}, sort_keys=True,
                                       ensure_ascii=False).encode()).hexdigest()
    assert diff_table("t", None, new, []).added == ["row:" + digest[:16]]
    # so a changed row shows as one removed and one added
    changed = diff_table("t", new, pa.table({"url": ["https://x.se/"], "status": [404]}), [])
    assert (len(changed.added), changed.changed, len(changed.removed)) == (1, [], 1)
