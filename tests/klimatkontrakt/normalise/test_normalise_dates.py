from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimatkontrakt.normalise.dates import (
    find_dates,
    infer_year,
    parse_date,
    parse_datetime,
)

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


FRIDAY = date(2024, 12, 6)


@pytest.mark.parametrize("text,expected", [
    ("I dag skrev kommunen under", date(2024, 12, 6)),
    ("Idag signerades kontraktet", date(2024, 12, 6)),
    ("Igår signerade städerna", date(2024, 12, 5)),
    ("i förrgår", date(2024, 12, 4)),
    ("i tisdags skrev vi under", date(2024, 12, 3)),
    ("i fredags", date(2024, 11, 29)),  # the one before, not today
    ("skriver under på torsdag", date(2024, 12, 12)),
    ("nu på fredag", date(2024, 12, 13)),
    ("på onsdagen signerade", date(2024, 12, 4)),
    ("under måndagen", date(2024, 12, 9)),  # nearest: three days ahead against four back
    ("Yesterday the cities signed", date(2024, 12, 5)),
    ("last Tuesday", date(2024, 12, 3)),
    ("next Friday", date(2024, 12, 13)),
    ("On the 6th of December 2024", date(2024, 12, 6)),
    ("on December 6th", date(2024, 12, 6)),
])
def test_dates_relative_to_the_page(text, expected):
    found = find_dates(text, FRIDAY, relative=True)
    assert [d.value for d in found] == [expected]


def test_relative_dates_only_when_asked_and_never_over_a_written_date():
    assert find_dates("I dag skrev kommunen under", FRIDAY) == []
    assert find_dates("I dag skrev kommunen under", None, relative=True) == []
    assert [d.text for d in find_dates("på torsdag den 12 december", FRIDAY, relative=True)] == ["torsdag den 12 december"]
    assert [d.text for d in find_dates("tisdagen den 10 december", FRIDAY, relative=True)] == ["tisdagen den 10 december"]
    assert find_dates("i dagens läge och i morgondagens samhälle", FRIDAY, relative=True) == []


def test_weekday_picks_the_year_it_fits():
    assert parse_date("Fredag den 8 december", date(2024, 12, 6)) == date(2023, 12, 8)  # a Sunday in 2024
    assert parse_date("den 8 december", date(2024, 12, 6)) == date(2024, 12, 8)
    assert parse_date("Torsdag den 8 december", date(2023, 11, 20)) == date(2022, 12, 8)
    assert parse_date("Måndag den 8 december", date(2023, 11, 20)) == date(2023, 12, 8)  # fits no year: closest
