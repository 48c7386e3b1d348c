"""Dates in Swedish and English prose -> `datetime.date` (pure, no IO).

Handles "den 8 december", "Fredag den 8 december", "I dag, den 11 december 2020",
"8 december 2023", "onsdag 8 december 2021, kl. 13.00 - 15.00", "8 dec, 2021",
"11 December, 2020", "December 11, 2020", ISO "2021-10-01" (also with a time part) and
"8/12 2021". A missing year is inferred from a reference date (usually the page's publication
date): the candidate year that puts the date closest to the reference wins, so a December
article about "15 januari" means next January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {
    # Swedish
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    # English (april, september, november, december shared)
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
    # abbreviations (a trailing dot is allowed by the pattern)
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAYS = (
    "måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_TIME = r"(?:,?\s*(?:kl\.?|klockan|at|from)?\s*(?P<h1>[01]?\d|2[0-3])(?:[.:](?P<m1>[0-5]\d))?" \
        r"(?:\s*(?:[-–—]|till|to)\s*(?P<h2>[01]?\d|2[0-3])(?:[.:](?P<m2>[0-5]\d))?)?)"

# day month [year]: "8 december", "den 8:e december 2021", "11 December, 2020", "8 dec. 2021"
_DMY = re.compile(
    rf"(?<![\w/.-])(?:(?:{_WEEKDAYS})(?:en)?,?\s+)?(?:den\s+)?(?P<d>[0-3]?\d)(?::?e|:a|st|nd|rd|th)?\.?\s+"
    rf"(?P<mon>{_MONTH_ALT})\.?(?![\w])(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
# month day[, year]: "December 11, 2020", "Dec 8th 2021"
_MDY = re.compile(
    rf"(?<![\w])(?:(?:{_WEEKDAYS}),?\s+)?(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.]\d)"
    rf"(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])"
                  r"(?:[T ](?P<h1>[01]\d|2[0-3]):(?P<m1>[0-5]\d))?")
# "8/12 2021", "8/12-2021" (Swedish day/month)
_SLASH = re.compile(r"(?<![\d/])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:[ -]|,\s*)(?P<y>(?:19|20)\d\d)(?!\d)")
_TIME_AFTER = re.compile(r"^" + _TIME)


@dataclass(frozen=True)
class DateMatch:
    """One date found in text."""

    value: date
    start: int
    end: int
    text: str
    year_given: bool = True
    start_time: str | None = None  # "13:00"
    end_time: str | None = None  # "15:00"


def infer_year(month: int, day: int, reference: date | None) -> int | None:
    """The year that puts month/day closest to `reference` (None without a reference)."""
    if reference is None:
        return None
    best: tuple[int, int] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        distance = abs((candidate - reference).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _make(year: int | None, month: int, day: int, reference: date | None) -> tuple[date | None, bool]:
    given = year is not None
    if year is None:
        year = infer_year(month, day, reference)
        if year is None:
            return None, False
    try:
        return date(year, month, day), given
    except ValueError:
        return None, given


def _hhmm(h: str | None, m: str | None) -> str | None:
    if h is None:
        return None
    return f"{int(h):02d}:{int(m or 0):02d}"


def _time_after(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """A clock time right after a date ("kl. 13.00 - 15.00", ", 13:00–15:00", "klockan 13-15")."""
    m = _TIME_AFTER.match(text[pos : pos + 40])
    if not m:
        return None, None, pos
    raw = m.group(0)
    # a bare number is a time only with a marker ("kl", "klockan", "at") or minutes
    has_marker = re.search(r"kl|at|from", raw, re.IGNORECASE) is not None
    if m.group("m1") is None and not has_marker:
        return None, None, pos
    return _hhmm(m.group("h1"), m.group("m1")), _hhmm(m.group("h2"), m.group("m2")), pos + m.end()


def find_dates(text: str, reference: date | None = None) -> list[DateMatch]:
    """Every date in `text`, in order, without overlaps (the longest reading wins)."""
    if not text:
        return []
    found: list[DateMatch] = []
    for rx, kind in ((_ISO, "iso"), (_DMY, "dmy"), (_MDY, "mdy"), (_SLASH, "slash")):
        for m in rx.finditer(text):
            gd = m.groupdict()
            if kind in ("iso", "slash"):
                month = int(gd["m"])
                if not 1 <= month <= 12:
                    continue
            else:
                month = MONTHS[gd["mon"].lower().rstrip(".")]
                # "mar", "may", "dec" etc. as bare words are risky in Swedish prose: require
                # a year or a full month name for abbreviations of English-only words
                word = gd["mon"].lower()
                if word in ("may", "mar", "march") and not gd.get("y"):
                    continue
            value, given = _make(int(gd["y"]) if gd.get("y") else None, month, int(gd["d"]), reference)
            if value is None:
                continue
            start_time = end_time = None
            end = m.end()
            if kind == "iso" and gd.get("h1"):
                start_time = _hhmm(gd["h1"], gd["m1"])
            else:
                start_time, end_time, end = _time_after(text, m.end())
            found.append(DateMatch(value, m.start(), end, text[m.start():end], given, start_time, end_time))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    result: list[DateMatch] = []
    for d in found:
        if result and d.start < result[-1].end:
            continue
        result.append(d)
    return result


def parse_date(text: str, reference: date | None = None) -> date | None:
    """The first date in `text`, or None."""
    found = find_dates(text, reference)
    return found[0].value if found else None


def parse_datetime(text: str, reference: date | None = None) -> DateMatch | None:
    """The first date in `text` with its clock times when written next to it."""
    found = find_dates(text, reference)
    return found[0] if found else None


_ISO_START = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")


def parse_iso(value: str | None) -> date | None:
    """A date from an ISO-8601 string ("2020-12-11", "2020-12-11T09:00:00+01:00")."""
    if not value:
        return None
    m = _ISO_START.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
