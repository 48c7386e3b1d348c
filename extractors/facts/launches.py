"""Launches of the initiative or the contract: "Klimatneutrala städer 2030 lanserades den ..."."""

from __future__ import annotations

import re

from extractors.common import normalise_ws
from extractors.document import Document, dates_near, dedupe
from extractors.vocabulary import (
    RX_K2030_EXPLICIT,
    RX_LAUNCH,
    RX_LAUNCHED,
    RX_LOOKALIKE,
    RX_ONLINE,
)
from klimatkontrakt.core.model import Event


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
