"""Events: European Viable Cities Day per year and launches of the initiative or the contract."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extractors.common import normalise_ws
from extractors.document import Document, dates_near, dedupe, ref_date
from extractors.facts.vocabulary import (
    EVCD,
    RX_EVCD,
    RX_K2030_EXPLICIT,
    RX_LOCATION_LABEL,
    RX_LOI,
    RX_LOOKALIKE,
    RX_ONLINE,
    RX_SIGN,
    RX_TIME_LABEL,
)
from klimatkontrakt.model import Event
from klimatkontrakt.normalise.dates import DateMatch, find_dates


def find_events(doc: Document) -> list[Event]:
    by_year: dict[int, Event] = {}
    title = doc.page.title or ""
    page_is_event = bool(RX_EVCD.search(title))
    for s in doc.sents:
        m = RX_EVCD.search(s.text) if "evcd" in s.triggers else None
        if not m:
            continue
        year = int(m.group("year")) if m.group("year") else None
        ref = date(year, 11, 1) if year else ref_date(doc, s)
        dates = dates_near(s.text, m.start(), ref)
        dates = [d for d in dates if year is None or d.value.year == year]
        if not dates and s.pos > 0 and doc.sents[s.pos - 1].block is s.block and \
                re.match(r"^(?:Det|Detta|Där|Då|It|This)\b", s.text):
            prev = doc.sents[s.pos - 1].text
            dates = [d for d in dates_near(prev, len(prev), ref) if year is None or d.value.year == year]
            if dates:
                d = dates[0]
                loc = "online" if RX_ONLINE.search(s.text) else None
                _merge_event(by_year, Event(f"European Viable Cities Day {d.value.year}", f"{prev} {s.text}", EVCD,
                                            d.value, None, d.start_time, loc))
            continue
        if not dates:
            continue
        d = dates[0]
        # the date must be tied to the day: close to the name, or the sentence's only date
        if abs(d.start - m.start()) > 160 and len(dates) > 1:
            continue
        if RX_SIGN.search(s.text) is None and RX_LOI.search(s.text) is None and year is None and not d.year_given \
                and doc.page.published_on is None:
            continue
        loc = "online" if RX_ONLINE.search(s.text) else None
        _merge_event(by_year, Event(f"European Viable Cities Day {d.value.year}", s.text, EVCD, d.value,
                                    None, d.start_time, loc))
    if page_is_event:
        _event_page_details(doc, by_year)
    return list(by_year.values())


RX_LAUNCH = re.compile(
    r"\blanser(?:a|ar|ade|ades|as|ats|ing|ingen|ingsevent\w*|ingsträff\w*)\b|\bkick[\s-]?off\w*|\bstartskott\w*|"
    r"\buppstart(?:en|smöte\w*|sträff\w*|skonferens\w*)?\b|\blaunch(?:ed|es|ing)?\b",
    re.IGNORECASE,
)
RX_LAUNCHED = re.compile(
    r"Klimatneutrala\s+städer\s*2030|Klimatkontrakt\s*2030|Climate[-\s]Neutral\s+Cities\s*2030|"
    r"Climate\s+City\s+Contract\s*2030|Viable\s+Cities",
    re.IGNORECASE,
)


def find_launches(doc: Document) -> list[Event]:
    """Launches of the initiative or the contract: a launch word ("lanserades", "kick-off",
    "startskottet", "launched") and the initiative named in one sentence, with a day-level date
    close to the launch word. A city's own look-alike ("Klimatkontrakt Lund lanseras") is not one."""
    out: list[Event] = []
    for s in doc.sents:
        if "launch" not in s.triggers or not RX_LAUNCH.search(s.text) \
                or (RX_LOOKALIKE.search(s.text) and not RX_K2030_EXPLICIT.search(s.text)):
            continue
        pair = _launched(s.text)
        if pair is None:
            continue
        launch, named = pair
        dates = [d for d in dates_near(s.text, launch.start(), doc.page.published_on)
                 if d.year_given or doc.page.published_on]
        if not dates or abs(dates[0].start - launch.start()) > 120:
            continue
        d = dates[0]
        english = doc.page.language == "en" or not re.search(r"[åäö]|\b(?:och|av|den)\b", s.text)
        title = normalise_ws(named.group(0))
        name = f"Launch of {title}" if english else f"Lansering av {title}"
        out.append(Event(name, s.text, "launch", d.value, None, d.start_time, "online" if RX_ONLINE.search(s.text) else None))
    return dedupe(out, lambda e: e.starts_on)


_RX_PASSIVE_LAUNCH = re.compile(r"lanserades|lanseras|lanserats|launched", re.IGNORECASE)
_RX_LAUNCH_OBJECT_GAP = re.compile(
    r"\s*(?:(?:av|för|för\s+att\s+\w+|of|for|the|initiativet|satsningen|programmet|arbetet\s+med|med|gick)\s+)*", re.IGNORECASE)


def _launched(text: str) -> tuple[re.Match, re.Match] | None:
    """(launch word, initiative) when the initiative is what is launched: the subject of a passive
    ("Klimatneutrala städer 2030 lanserades") or the object ("startskottet för Klimatkontrakt 2030",
    "lanserade initiativet Klimatneutrala städer 2030"); not "Viable Cities lanserade en app"."""
    for launch in RX_LAUNCH.finditer(text):
        for named in RX_LAUNCHED.finditer(text):
            gap = text[named.end():launch.start()]
            if named.end() <= launch.start() and len(gap) <= 40 and _RX_PASSIVE_LAUNCH.fullmatch(launch.group(0)) \
                    and not re.search(r"[.;:]", gap):
                return launch, named
            gap = text[launch.end():named.start()]
            if launch.end() <= named.start() and _RX_LAUNCH_OBJECT_GAP.fullmatch(gap):
                return launch, named
    return None


def _merge_event(by_year: dict[int, Event], ev: Event) -> None:
    year = ev.starts_on.year if ev.starts_on else 0
    old = by_year.get(year)
    if old is None:
        by_year[year] = ev
        return
    by_year[year] = replace(
        old,
        starts_on=old.starts_on or ev.starts_on,
        start_time=old.start_time or ev.start_time,
        location=old.location or ev.location,
    )


def _event_page_details(doc: Document, by_year: dict[int, Event]) -> None:
    """On an event page: labelled time/place lines ("Tid: ...", "Plats: ...") and online hints."""
    m = RX_EVCD.search(doc.page.title or "")
    year = int(m.group("year")) if m and m.group("year") else None
    when: DateMatch | None = None
    when_text = None
    where: str | None = None
    for s in doc.sents[:80]:
        t = s.text
        lm = RX_LOCATION_LABEL.match(t)
        if lm and where is None:
            v = lm.group("v").strip()
            where = "online" if RX_ONLINE.search(v) else v.rstrip(".")
            continue
        tm = RX_TIME_LABEL.match(t)
        cand = tm.group("v") if tm else (t if len(t) < 90 else None)
        if cand and when is None:
            ds = find_dates(cand, date(year, 11, 1) if year else doc.page.published_on)
            ds = [d for d in ds if year is None or d.value.year == year]
            if ds and (tm or ds[0].start_time):
                when, when_text = ds[0], t
        if s.block.tag == "li" and where is None and when_text and s.pos == doc.sents.index(s) and t != when_text \
                and len(t) < 60 and re.search(r"Sverige|Sweden|\d{3}\s?\d{2}", t):
            where = t
    if where is None and any(RX_ONLINE.search(s.text) for s in doc.sents[:60] if RX_EVCD.search(s.text) or len(s.text) < 80):
        where = "online"
    if when is not None:
        _merge_event(by_year, Event(f"European Viable Cities Day {when.value.year}", when_text, EVCD, when.value,
                                    None, when.start_time, where))
    if where and by_year:
        key = (when.value.year if when else None) or (year if year in by_year else next(iter(by_year)))
        if key in by_year and by_year[key].location is None:
            by_year[key] = replace(by_year[key], location=where)
