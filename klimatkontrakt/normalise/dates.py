"""Dates in Swedish and English prose -> `datetime.date` (pure, no IO).

Handles "den 8 december", "Fredag den 8 december", "I dag, den 11 december 2020",
"8 december 2023", "onsdag 8 december 2021, kl. 13.00 - 15.00", "8 dec, 2021",
"11 December, 2020", "December 11, 2020", ISO "2021-10-01" (also with a time part) and
"8/12 2021", "the 6th of December 2024". A missing year is inferred from a reference date (usually
the page's publication date): the candidate year that puts the date closest to the reference wins,
so a December article about "15 januari" means next January; a weekday written with the date
("Fredag den 8 december") picks, of the reference's year and the years before and after, the
closest where that day is that weekday.

With `relative=True`, dates written relative to the reference count too: "i dag", "igår", "i
förrgår", "i morgon", "i tisdags" (the last Tuesday before), "på fredag" (the next Friday),
"på onsdagen" (the nearest Wednesday, the past one on a tie), English "today", "yesterday",
"last Tuesday", "next Friday", "on Monday". dateparser was tried for these and is no drop-in
for Swedish page dates ("den 11 december" gave 2011-12-08; "i tisdags" gave nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

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
_WEEKDAY_NUMBER = {
    "måndag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lördag": 5, "söndag": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_WEEKDAYS = "|".join(_WEEKDAY_NUMBER)
_SV_DAYS = "|".join(list(_WEEKDAY_NUMBER)[:7])
_EN_DAYS = "|".join(list(_WEEKDAY_NUMBER)[7:])
_TIME = r"(?:,?\s*(?:kl\.?|klockan|at|from)?\s*(?P<h1>[01]?\d|2[0-3])(?:[.:](?P<m1>[0-5]\d))?" \
        r"(?:\s*(?:[-–—]|till|to)\s*(?P<h2>[01]?\d|2[0-3])(?:[.:](?P<m2>[0-5]\d))?)?)"

# day month [year]: "8 december", "den 8:e december 2021", "11 December, 2020", "8 dec. 2021"
_DMY = re.compile(
    rf"(?<![\w/.-])(?:(?P<wd>{_WEEKDAYS})(?:en)?,?\s+)?(?:den\s+|the\s+)?(?P<d>[0-3]?\d)(?::?e|:a|st|nd|rd|th)?\.?\s+"
    rf"(?:of\s+)?(?P<mon>{_MONTH_ALT})\.?(?![\w])(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
# month day[, year]: "December 11, 2020", "Dec 8th 2021"
_MDY = re.compile(
    rf"(?<![\w])(?:(?P<wd>{_WEEKDAYS}),?\s+)?(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.]\d)"
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
    relative: bool = False  # "i dag", "i tisdags": resolved against the reference


def infer_year(month: int, day: int, reference: date | None, weekday: int | None = None) -> int | None:
    """The year that puts month/day closest to `reference` (None without a reference); with a
    `weekday` (0 = Monday), the closest of those years where the day is that weekday, if one is
    ("Fredag den 8 december" on a page of 6 December 2024 is 2023: in 2024 it is a Sunday)."""
    if reference is None:
        return None
    candidates: list[tuple[int, int]] = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        candidates.append((abs((candidate - reference).days), year))
    if not candidates:
        return None
    candidates.sort()
    if weekday is not None:
        fitting = [year for days, year in candidates if date(year, month, day).weekday() == weekday]
        if fitting:
            return fitting[0]
    return candidates[0][1]


def _make(year: int | None, month: int, day: int, reference: date | None,
          weekday: int | None = None) -> tuple[date | None, bool]:
    given = year is not None
    if year is None:
        year = infer_year(month, day, reference, weekday)
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


# dates relative to the reference: one named group per way of counting from it
_RELATIVE = re.compile(
    rf"(?<![\w-])(?:(?P<today>i\s*dag|today|i\s+morse|i\s+förmiddags|i\s+eftermiddags|i\s*kväll|tonight|"
    rf"this\s+(?:morning|afternoon|evening))(?!s)"
    rf"|(?P<yesterday>i\s*går|yesterday)|(?P<daybefore>i\s*förrgår)|(?P<tomorrow>i\s*morgon|tomorrow)(?!s)"
    rf"|i\s+(?P<past>(?:{_SV_DAYS})s)|(?:last|this\s+past)\s+(?P<past_en>{_EN_DAYS})"
    rf"|(?:nu\s+|nästa\s+|kommande\s+)?på\s+(?P<next>{_SV_DAYS})(?!en)|nästa\s+(?P<next2>{_SV_DAYS})(?!en)"
    rf"|(?:next|this\s+coming|coming)\s+(?P<next_en>{_EN_DAYS})"
    rf"|(?:(?:på|under)\s+)?(?P<near>(?:{_SV_DAYS})en)|on\s+(?P<near_en>{_EN_DAYS}))"
    rf"(?![\w-])(?!,?\s+(?:den\s+|the\s+)?\d|,?\s+(?:{_MONTH_ALT})\b)",
    re.IGNORECASE,
)
_STEP = {"today": 0, "yesterday": -1, "daybefore": -2, "tomorrow": 1}


def _relative_dates(text: str, reference: date) -> list[DateMatch]:
    out: list[DateMatch] = []
    for m in _RELATIVE.finditer(text):
        kind = m.lastgroup
        word = m.group(kind).lower()
        if kind in _STEP:
            value = reference + timedelta(days=_STEP[kind])
        else:
            weekday = _WEEKDAY_NUMBER[word.removesuffix("en").removesuffix("s") if kind in ("past", "near") else word]
            back = (reference.weekday() - weekday) % 7 or 7  # days back to the last such weekday
            ahead = (weekday - reference.weekday()) % 7 or 7
            if kind.startswith("past"):
                value = reference - timedelta(days=back)
            elif kind.startswith("next"):
                value = reference + timedelta(days=ahead)
            elif reference.weekday() == weekday:
                value = reference
            else:
                value = reference - timedelta(days=back) if back <= ahead else reference + timedelta(days=ahead)
        out.append(DateMatch(value, m.start(), m.end(), m.group(0), False, relative=True))
    return out


def find_dates(text: str, reference: date | None = None, relative: bool = False) -> list[DateMatch]:
    """Every date in `text`, in order, without overlaps (the longest reading wins); with
    `relative` and a reference, dates relative to it too (see the module docstring)."""
    if not text:
        return []
    found: list[DateMatch] = _relative_dates(text, reference) if relative and reference else []
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
            weekday = _WEEKDAY_NUMBER.get((gd.get("wd") or "").lower())
            value, given = _make(int(gd["y"]) if gd.get("y") else None, month, int(gd["d"]), reference, weekday)
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
