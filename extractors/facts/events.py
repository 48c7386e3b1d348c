"""Events: European Viable Cities Day, one per year a page dates.

A mention of the day is dated by a date next to it ("på European Viable Cities Day den 8
december"), by the sentence before when this one says what happened then ("Det skedde ..."), by
the labelled lines of an event page ("Tid: fredag 6 december kl. 09.30", "Plats: ..."), or by the
day of the signing occasion the sentence belongs to (a page that dates its signing "i fredags"
and says elsewhere "Ceremonin hölls under European Viable Cities Day"). Its place is where the
page says it was held ("i Stockholm", "från Europahuset i Stockholm", "digitalt"); its time the
clock time written with it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extractors.document import Document, Sent
from extractors.vocabulary import (
    EVCD,
    RX_CLOCK,
    RX_EVCD,
    RX_HELD,
    RX_NOT_A_FACT,
    RX_ONLINE,
    RX_PLACE,
    RX_SIGNING_ONLINE,
    RX_SINCE,
    RX_THEN,
)
from klimatkontrakt.core.model import Event
from klimatkontrakt.normalise.dates import find_dates
from klimatkontrakt.normalise.municipalities import find_municipalities
from klimatkontrakt.normalise.patterns import literal_trie

# the cheap test before RX_HELD and RX_ONLINE on every sentence of a page: each of their matches holds one
_VENUE_WORDS = literal_trie(("höll", "håll", "ägde", "äger rum", "arrang", "samla", "träffa", "held", "took place",
                             "takes place", "gather", "host", "ceremoni", "signeringen", "viable", "online", "digital",
                             "webb", "webinar", "live", "youtube", "zoom", "teams", "skedde", "sker"))


def find_events(doc: Document, occasion_days: dict[int, date] | None = None) -> list[Event]:
    """European Viable Cities Day events of the page; `occasion_days` maps a signing occasion
    (`Document.occasion`) to its day, as the signings read it."""
    occasion_days = occasion_days or {}
    by_year: dict[int, Event] = {}
    labels = doc.labels()
    on_event_page = bool(RX_EVCD.search(doc.page.title or "") or RX_EVCD.search(labels.get("heading", "")))
    for s in doc.sents:
        m = RX_EVCD.search(s.text) if "evcd" in s.triggers else None
        if not m or RX_NOT_A_FACT.search(s.text) or s.text.rstrip().endswith("?"):
            continue
        year = int(m.group("year")) if m.group("year") else None
        day, start_time, evidence = _day(doc, s, m.start(), year, occasion_days, labels if on_event_page else {})
        if day is None:
            continue
        _merge(by_year, Event(f"European Viable Cities Day {day.year}", evidence, EVCD, day, None,
                              start_time or _clock(doc, s), _location(doc, [s, *_around(doc, s)],
                                                                     labels if on_event_page else {})))
    if len(by_year) == 1:  # the page's one event: where it was held may be said anywhere on it
        year, event = next(iter(by_year.items()))
        if event.location is None:
            for x in doc.sents:
                # a broadcast away from the mention is no online event: "Mötet sändes digitalt" (from Stockholm)
                if not _VENUE_WORDS.search(x.text.lower()) or _RX_BROADCAST.search(x.text):
                    continue
                where = _location(doc, [x], {})
                if where:
                    evidence = event.evidence if x.text in event.evidence else f"{event.evidence} {x.text}"
                    by_year[year] = replace(event, location=where, evidence=evidence)
                    break
    return list(by_year.values())


_RX_BROADCAST = re.compile(r"\b(?:sändes|sänds|sänt|livesän\w*|webbsän\w*|streamed|streaming|broadcast\w*)\b", re.IGNORECASE)


def _around(doc: Document, s: Sent) -> list[Sent]:
    return [x for x in (doc.following(s), doc.previous(s)) if x is not None and x.block is s.block]


def _day(doc: Document, s: Sent, at: int, year: int | None, occasion_days: dict[int, date],
         labels: dict[str, str]) -> tuple[date | None, str | None, str]:
    """(day, clock time, evidence) of one mention of the event."""
    found = [d for d in doc.dates(s) if (year is None or d.value.year == year)
             and not RX_SINCE.search(s.text[max(0, d.start - 14):d.start])]
    if year and not found:
        found = [d for d in find_dates(s.text, date(year, 11, 1)) if d.value.year == year]
    if found:
        d = min(found, key=lambda d: abs(d.start - at))
        if abs(d.start - at) <= 160 or len(found) == 1:
            return d.value, d.start_time, s.text
    prev = doc.previous(s)
    if prev is not None and prev.block is s.block and RX_THEN.match(s.text):
        found = [d for d in doc.dates(prev) if year is None or d.value.year == year]
        if found:
            return found[-1].value, found[-1].start_time, f"{prev.text} {s.text}"
    when = labels.get("time")
    if when:
        found = [d for d in find_dates(when, date(year, 11, 1) if year else doc.page.published_on)
                 if year is None or d.value.year == year]
        if found:
            return found[0].value, found[0].start_time, labels.get("time-line", when)
    day = occasion_days.get(doc.occasion(s))
    if day is not None and (year is None or day.year == year):
        return day, None, s.text
    return None, None, s.text


def _clock(doc: Document, s: Sent) -> str | None:
    for x in (s, doc.following(s)):
        if x is not None and x.block is s.block:
            m = RX_CLOCK.search(x.text)
            if m:
                return f"{int(m.group('h')):02d}:{m.group('m')}"
    return None


def _location(doc: Document, nearby: list[Sent], labels: dict[str, str]) -> str | None:
    """"online", or the place the event was held, from the given sentences (the mention and
    those around it) or an event page's "Plats:" line; a place must name a municipality (not a
    venue alone)."""
    where = labels.get("place")
    if where:
        return "online" if RX_ONLINE.search(where) else where.rstrip(".")
    for x in nearby:
        online = RX_ONLINE.search(x.text)
        # "Signeringen gjordes digitalt": the signing was, not necessarily the day
        if online and not RX_SIGNING_ONLINE.search(x.text[max(0, online.start() - 40):online.start()]):
            return "online"
    for x in nearby:
        for held in RX_HELD.finditer(x.text):
            m = RX_PLACE.match(x.text, held.end()) or RX_PLACE.search(x.text[held.end():held.end() + 40])
            place = m.group("place") if m else None
            if place and find_municipalities(place) and not re.search(r"(?:ordförande|råd|chair\w*|director\w*)\s*$",
                                                                     x.text[:held.start()], re.I):
                return place
    return None


def _merge(by_year: dict[int, Event], ev: Event) -> None:
    old = by_year.get(ev.starts_on.year)
    if old is None:
        by_year[ev.starts_on.year] = ev
        return
    by_year[ev.starts_on.year] = replace(old, start_time=old.start_time or ev.start_time,
                                         location=old.location or ev.location)
