from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimatkontrakt.normalise.dates import find_dates, infer_year, parse_date, parse_datetime

SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
      "november", "december"]
EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December"]
REF = date(2021, 12, 1)


@pytest.mark.parametrize("text,expected", [
    ("den 8 december", date(2021, 12, 8)),
    ("Fredag den 8 december", date(2021, 12, 8)),
    ("I dag, den 11 december 2020", date(2020, 12, 11)),
    ("8 december 2023", date(2023, 12, 8)),
    ("11 December, 2020", date(2020, 12, 11)),
    ("December 11, 2020", date(2020, 12, 11)),
    ("2021-10-01", date(2021, 10, 1)),
    ("8/12 2021", date(2021, 12, 8)),
    ("European Viable Cities Day 8 dec, 2021", date(2021, 12, 8)),
    ("den 15 januari", date(2022, 1, 15)),  # a December article about January: next year
    ("16 mars 2026 09:00", date(2026, 3, 16)),
])
def test_parse_date(text, expected):
    assert parse_date(text, REF) == expected


def test_time_range():
    m = parse_datetime("onsdag 8 december 2021, kl. 13.00 - 15.00 (CET)")
    assert (m.value, m.start_time, m.end_time) == (date(2021, 12, 8), "13:00", "15:00")
    m = parse_datetime("8 december klockan 13-15", REF)
    assert (m.start_time, m.end_time) == ("13:00", "15:00")


def test_no_false_dates():
    for text in ("hålla uppvärmningen under 1,5 grader", "23 kommuner och 6 myndigheter", "May we sign?", "2030"):
        assert find_dates(text, REF) == []


def test_missing_year_without_reference_gives_nothing():
    assert parse_date("den 8 december") is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_swedish_and_english_roundtrip(d):
    assert parse_date(f"den {d.day} {SV[d.month - 1]} {d.year}") == d
    assert parse_date(f"{EN[d.month - 1]} {d.day}, {d.year}") == d
    assert parse_date(f"{d.day} {EN[d.month - 1]}, {d.year}") == d
    assert parse_date(d.isoformat()) == d


@given(st.dates(min_value=date(1991, 1, 1), max_value=date(2098, 12, 31)),
       st.integers(min_value=-170, max_value=170))
def test_inferred_year_is_closest_to_reference(ref, offset):
    target = ref + timedelta(days=offset)
    if (target.month, target.day) == (2, 29):
        return
    got = parse_date(f"den {target.day} {SV[target.month - 1]}", ref)
    assert got == target
    assert infer_year(target.month, target.day, ref) == target.year


@given(st.text(max_size=200))
def test_never_crashes(text):
    for m in find_dates(text, REF):
        assert isinstance(m.value, date)
        assert 0 <= m.start < m.end <= len(text)
