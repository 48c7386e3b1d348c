"""What the words around a clause say of its target: the year of a heading that orders targets by
year ("Delmål 2025"), of a heading or title naming it as a programme would, a period named before
("under budgetperioden"), whose commitments a section heading lists, and the status of a target
told in the past."""

from __future__ import annotations

import re

from extractors.document import Document, Sent
from klimatkontrakt.normalise.vocabulary import patterns, target_kinds

_P = patterns()

_RX_TARGETS_OF_YEAR = re.compile(r"\b(?:mål|delmål|etappmål|targets?|goals?)\w*\s+(?:(?:för|till|år|by|for)\s+)?(?:år\s+)?(20\d\d)\b",
                                 re.IGNORECASE)


def period_referred(doc: Document, s: Sent, clause: str) -> tuple[int, int] | None:
    """(start, end) of the period a clause refers to ("under budgetperioden", "under
    avtalsperioden"): the nearest stated before it, in its section or the page's title."""
    if not _P["target_period_ref"].search(clause):
        return None
    before = [x.text for x in reversed(doc.sents[max(0, s.pos - 8):s.pos])]
    for text in (*before, *s.headings, doc.page.title or ""):
        periods = list(_P["target_period"].finditer(text))
        if periods:
            return int(periods[-1].group("a")), int(periods[-1].group("b"))
    return None


def past_status(doc: Document, s: Sent, clause: str, label: str) -> str | None:
    """The status of a target told in the past ("Målet i klimatstrategin var en minskning med 40
    procent till 2025"): achieved when the page's title, headings or the sentence before say the
    municipality has reached it, else unknown; None for a target in the present."""
    if not _P["target_past_goal"].search(clause):
        return None
    previous = doc.previous(s)
    around = " ".join((doc.page.title or "", *s.headings, previous.text if previous else "", label))
    return "achieved" if _P["target_reached_context"].search(around) else "unknown"


def committing_heading(s: Sent) -> str:
    """A heading that says whose commitments follow ("2.2 Anslutna företag åtar sig att", "5.
    Myndigheternas åtaganden"): the owner of the items under it that name none."""
    return s.headings[0] if s.headings and re.search(r"\båta(?:r\s+sig|ganden)\b|\bcommit", s.headings[0], re.I) else ""


def year_of_heading(s: Sent) -> tuple[int | None, int | None]:
    """(year, baseline) of a heading that orders targets by year ("Mål för 2030", "Delmål till
    2030 (jämfört med 2019)"): the items under it are that year's targets, in any tense."""
    m = _RX_TARGETS_OF_YEAR.search(s.headings[0]) if s.headings else None
    if m is None:
        return None, None
    base = re.search(r"\b(?:jämfört\s+med|compared\s+(?:with|to))\s+(?:år\s+)?((?:19|20)\d\d)", s.headings[0], re.I)
    return int(m.group(1)), int(base.group(1)) if base else None


def year_of_name_above(doc: Document, s: Sent, kind: str) -> int | None:
    """The year in a heading or title that names the target as a programme would ("Klimatneutralt
    Huddinge 2040" over "Kommunens långsiktiga mål är att bli klimatneutral")."""
    for text in (*s.headings, doc.page.title or ""):
        name = _P["target_name"].search(text)
        if name and any(k == kind and rx.search(name.group(0)) for k, rx in target_kinds()):
            return int(name.group(0)[-4:])
    return None
