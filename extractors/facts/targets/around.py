"""What the words around a clause say of its target: the year of a heading that orders targets by
year ("Delmål 2025"), of a heading or title naming it as a programme would, a period named before
("under budgetperioden"), whose commitments a section heading lists, the status of a target
told in the past, and the years said on the lines around it ("Målåret är 2035.", "Det året ska ...")."""

from __future__ import annotations

import re

from extractors.document import Document, Sent
from extractors.facts.targets.figures import find_mentions, find_years, relative_year
from extractors.facts.targets.qualities import scope_of
from klimatkontrakt.core.model import Target
from klimatkontrakt.normalise.vocabulary import patterns, target_kinds

_P = patterns()
_RX_YEAR_LABEL = re.compile(r"(?:19|20)\d\d\s*:\s")  # a line headed by its year: "2030: −60 %"

# "Mål för 2030", "Delmål 2025", "Mål för Säffle som geografiskt område till 2030"
_RX_TARGETS_OF_YEAR = re.compile(r"\b(?:mål|delmål|etappmål|targets?|goals?)\w*\s+(?:(?:för|till|år|by|for)\s+)?(?:[^\d.:;]{0,50}?\s(?:till|by)\s+)?(?:år\s+)?(20\d\d)\b",
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


_RX_EXPLAINED = re.compile(r"\b(?:means|innebär|betyder)\s*[:?]?\s*$|^\s*(?:what|vad|så\s+blir)\b", re.IGNORECASE)


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


def year_of_name_above(doc: Document, s: Sent, kind: str, found: list[Target] = ()) -> int | None:
    """The year in a heading or title that names the target as a programme would ("Klimatneutralt
    Huddinge 2040" over "Kommunens långsiktiga mål är att bli klimatneutral"), or of the target read
    before that a heading explains ("What climate-neutral Luleå means" over the ways there)."""
    if s.headings and _RX_EXPLAINED.search(s.headings[0]):
        named = {k for k, rx in target_kinds() if rx.search(s.headings[0])}
        year = next((t.target_year for t in reversed(found) if t.kind in named and t.target_year), None)
        if year is not None:
            return year
    for text in (*s.headings, doc.page.title or ""):
        name = _P["target_name"].search(text)
        if name and not re.search(r"\b(?:städer|cities)\b", name.group(0), re.I) \
                and any(k == kind and rx.search(name.group(0)) for k, rx in target_kinds()):  # not "Klimatneutrala städer 2030"
            return int(name.group(0)[-4:])
    return None


def list_intro(doc: Document, s: Sent) -> str:
    """The intro ending in a colon over a list item or line ("Förslag till mål:"), else ""."""
    if s.block.tag not in ("li", "p"):
        return ""
    block = s.block
    while _RX_YEAR_LABEL.match(block.text) and block.index > 0 and _RX_YEAR_LABEL.match(doc.page.blocks[block.index - 1].text):
        block = doc.page.blocks[block.index - 1]  # "2030: −60 %" under "2025: −35 %" under "Milstolpar ...:"
    intro = doc.intro(block)
    return intro if intro.rstrip().endswith(":") else ""


def year_from_around(doc: Document, s: Sent, clause: str) -> int | None:
    """A target year said on a line of its own after the sentence ("Målåret är 2035."), the one
    for the same scope when several are ("Målen för kommunorganisationen har målår 2026")."""
    scope = scope_of(clause)
    lines = []
    for x in doc.sents[s.pos + 1:s.pos + 6]:
        if x.block.is_heading:
            break
        m = _P["target_year_line"].search(x.text)
        if m:
            lines.append((scope_of(x.text), int(m.group(m.lastindex))))
        elif re.search(r"\b(?:målår\w*|(?:target|goal)\s+year)", x.text, re.I) and (relative := relative_year(x.text, [])):
            lines.append((scope_of(x.text), relative))  # "Målåret är satt tio år före det nationella målet"
        elif x.pos == s.pos + 1 and _P["target_definition"].search(x.text) \
                and all(m.value is None for m in find_mentions(x.text)) \
                and len(defined := [y for y in find_years(x.text) if y.role == "target"]) == 1:
            lines.append((scope_of(x.text), defined[0].year))  # "Det innebär att ... – senast år 2035."
    same = [y for sc, y in lines if sc == scope]
    return same[0] if same else lines[0][1] if len(lines) == 1 else None


def intro_year(doc: Document, s: Sent) -> int | None:
    """The year of an intro that defines a target ("Klimatneutralt Uppsala 2030 innebär att:",
    "Climate neutral Uppsala 2030 means that:") for the items under it."""
    m = re.search(r"\b(20\d\d)\s+(?:innebär|betyder|means)\b", list_intro(doc, s))
    if m:
        return int(m.group(1))
    # "Kommunfullmäktige antog fyra mål. Samtliga ska vara uppnådda år 2030." over a list
    line = _P["target_year_line"].search(doc.intro(s.block)) if s.block.tag == "li" else None
    return int(line.group(line.lastindex)) if line else None


def year_said_before(doc: Document, s: Sent, found: list[Target]) -> int | None:
    """"Det året", "till dess": the year of the target just read, or, when the sentence before set
    none, the last target year it names ("För kommunorganisationen gäller 2023 som målår. Det året ska ...",
    "Målåret är 2030. Fram till dess ska ...")."""
    previous = doc.previous(s)
    if previous is not None and not any(previous.text in t.evidence for t in found):
        years = [y.year for y in find_years(previous.text) if y.role == "target"]
        if years:
            return years[-1]
    return found[-1].target_year if found else None
