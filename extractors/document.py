"""The document the fact rules read: a parsed `Page` as sentences with their context.

Each sentence knows its block, its heading, the year section ("2023 – <tema>") and the "<Stad>
kommun" quote heading it sits under; the `Document` adds the page's own municipality and whether the
page is about Klimatkontrakt 2030 or about a look-alike contract.

Most sentences of a page state no fact, so rules skip them cheaply: TRIGGERS names, per rule, the
lower-case substrings without which the rule's patterns cannot match a sentence. `sentences()`
tests them once per sentence (one combined pattern; a sentence without any is settled at once)
and stores the names of the rules that may fire in `Sent.triggers`; a rule skips a sentence whose
triggers lack its name. A new rule adds its entry to TRIGGERS and tests `NAME in s.triggers`.
Stems must be a superset: a sentence the rule would match must contain one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extractors.common import Block, Page, normalise_ws, split_sentences
from extractors.facts.vocabulary import (
    RX_EVCD,
    RX_K2030_CONTEXT,
    RX_LOOKALIKE,
    RX_SIGN,
    RX_SINCE,
    RX_YEAR_HEADING,
)
from klimatkontrakt.normalise.dates import DateMatch, find_dates
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    resolve_municipality,
)

# ---- triggers: the cheap test before a rule's patterns (see the module docstring) ---------

TRIGGERS: dict[str, tuple[str, ...]] = {
    # _classify: RX_EU_LABEL, then RX_SIGN
    "eu-label": ("label", "märk"),
    "signing": ("sign", "skr", "under", "teckn", "förny", "året", "put"),
    # find_events: RX_EVCD; find_launches: RX_LAUNCH
    "evcd": ("viable",),
    "launch": ("lanser", "kick", "startskott", "uppstart", "launch"),
    # find_roles: saying verbs and "enligt" (find_attributions), titles (find_titled_people,
    # find_agency_people, the directors-general list), a party in parentheses (find_party_people)
    "role": ("säger", "sa ", "sade", "menar", "berättar", "konstaterar", "tillägger", "avslutar", "framhåller",
             "betonar", "understryker", "förklarar", "says", "said", "adds", "added", "explains", "concludes",
             "enligt", "kommunstyrelse", "kommunalråd", "oppositionsråd", "generaldirektör", "överdirektör",
             "programchef", "programdirektör", "director", "gd", "chair", "commissioner", "("),
    # find_memberships: an initiative's name (RX_INITIATIVE_K / _EU), or a twin city
    "membership": ("klimatneutrala", "climate", "viable", "satsningen", "initiativet", "mission", "netzero",
                   "tvilling", "twin"),
}


def literal_trie(words) -> re.Pattern:
    """A regex matching any of `words` (the longest one at a position), written as a trie:
    "sa|sade|says" -> "sa(?:de|ys)?". Python's re tries every alternative of a flat alternation at
    each position; the trie tries one branch per character (2.2x faster over our sentences)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return re.compile(pattern(trie))


_STEMS = sorted({stem for stems in TRIGGERS.values() for stem in stems})
_ANY_STEM = literal_trie(_STEMS)
# a stem found means every stem inside it is there too ("klimatneutrala" holds "klimat")
_RULES_OF_STEM = {found: frozenset(name for name, stems in TRIGGERS.items() if any(stem in found for stem in stems))
                  for found in _STEMS}
NO_TRIGGERS: frozenset[str] = frozenset()


def triggers_of(text: str) -> frozenset[str]:
    """Names of the TRIGGERS rules whose stems occur in `text` (case-insensitive): one scan, each
    match searched on from the next character, so overlapping stems are all seen."""
    low = text.lower()
    match = _ANY_STEM.search(low)
    if match is None:
        return NO_TRIGGERS
    rules = set()
    while match is not None:
        rules |= _RULES_OF_STEM[match.group()]
        match = _ANY_STEM.search(low, match.start() + 1)
    return frozenset(rules)


@dataclass(frozen=True)
class Sent:
    text: str
    block: Block
    pos: int  # sentence number within the page
    heading: str | None
    section_year: int | None
    section_id: int  # increments at every year heading
    city_code: str | None  # "<Stad> kommun" heading the sentence sits under
    triggers: frozenset[str] = NO_TRIGGERS  # TRIGGERS rules that may fire on it


def city_heading_code(text: str) -> str | None:
    """A short heading/line naming one municipality ("Umeå kommun", "Göteborgs Stad", "City of Borås")."""
    t = normalise_ws(text).strip(" :")
    if len(t) > 45 or not re.search(r"kommun|[Ss]tad\b|municipality|City\s+of|Region\s+Gotland", t):
        return None
    return resolve_municipality(t)


def sentences(page: Page) -> list[Sent]:
    out: list[Sent] = []
    heading: str | None = None
    year: int | None = None
    section = 0
    city: str | None = None
    for b in page.blocks:
        if b.is_heading or (b.tag in ("p", "div", "strong", "dt") and city_heading_code(b.text)):
            code = city_heading_code(b.text)
            m = RX_YEAR_HEADING.match(b.text)
            if b.is_heading:
                heading = b.text
                if m:
                    year = int(m.group("year"))
                    section += 1
                    city = None
                elif b.level <= 2 and not code:
                    city = None
            if code:
                city = code
            elif b.is_heading and not m:
                city = None if b.level <= 3 else city
        for s in split_sentences(b.text):
            out.append(Sent(s, b, len(out), heading, year, section, city, triggers_of(s)))
    return out


@dataclass
class Document:
    page: Page
    own_code: str | None
    sents: list[Sent]
    about_k2030: bool
    about_lookalike: bool
    is_viablecities: bool
    memo: dict = field(default_factory=dict)


def read_document(page: Page, own_code: str | None, is_viablecities: bool = False) -> Document:
    sents = sentences(page)
    full = page.text + " " + (page.title or "")
    lookalike_hits = _count(RX_LOOKALIKE, full, _LOOKALIKE_STARTS)
    k_hits = _count(RX_K2030_CONTEXT, full, _K2030_CONTEXT_STARTS, stop=1 if lookalike_hits == 0 else None)
    k = k_hits > 0 or is_viablecities
    return Document(page, own_code, sents, k, lookalike_hits > 0 and lookalike_hits >= k_hits, is_viablecities)


# How every match of these patterns begins (lower case): the page text is searched for these
# words (str.find) and the pattern is tried only there, instead of at every position.
_LOOKALIKE_STARTS = ("lokal", "klimat", "borgmästaravtal", "covenant", "local", "företag", "organisationer")
_K2030_CONTEXT_STARTS = ("viable", "klimatneutrala", "climate", "klimatkontrakt")
# characters that IGNORECASE matches to a different letter than str.lower() gives (ı ~ i, ſ ~ s)
_CASE_TRAPS = ("ı", "ſ")


def _count(rx: re.Pattern[str], text: str, starts: tuple[str, ...], stop: int | None = None) -> int:
    """len(rx.findall(text)) (or min(that, stop)), for a pattern whose every match begins with one
    of `starts` (case-insensitive)."""
    low = text.lower()
    if len(low) != len(text) or any(trap in text for trap in _CASE_TRAPS):
        found = rx.findall(text)
        return len(found) if stop is None else min(len(found), stop)
    positions: set[int] = set()
    for start in starts:
        at = low.find(start)
        while at >= 0:
            positions.add(at)
            at = low.find(start, at + 1)
    count, free = 0, 0
    for at in sorted(positions):
        if at < free:
            continue
        m = rx.match(text, at)
        if m:
            count += 1
            if count == stop:
                break
            free = m.end()
    return count


def neighbours(doc: Document, s: Sent, before: int = 2, after: int = 1) -> str:
    lo, hi = max(0, s.pos - before), min(len(doc.sents), s.pos + after + 1)
    return " ".join(x.text for x in doc.sents[lo:hi]) + " " + (s.heading or "")


def dates_near(text: str, anchor: int, ref: date | None) -> list[DateMatch]:
    found = [d for d in find_dates(text, ref) if not RX_SINCE.search(text[max(0, d.start - 14) : d.start])]
    return sorted(found, key=lambda d: abs(d.start - anchor))


def ref_date(doc: Document, s: Sent) -> date | None:
    if s.section_year and (doc.page.published_on is None or doc.page.published_on.year != s.section_year):
        return date(s.section_year, 11, 1)
    return doc.page.published_on


def section_date(doc: Document, s: Sent) -> date | None:
    """A signing/EVCD date written somewhere in the sentence's year section."""
    if not s.section_year:
        return None
    key = ("section-date", s.section_id)
    if key not in doc.memo:
        doc.memo[key] = _section_date_uncached(doc, s)
    return doc.memo[key]


def _section_date_uncached(doc: Document, s: Sent) -> date | None:
    for x in doc.sents:
        if x.section_id != s.section_id:
            continue
        if RX_SIGN.search(x.text) or RX_EVCD.search(x.text):
            for d in find_dates(x.text, ref_date(doc, x)):
                if d.value.year == s.section_year:
                    return d.value
    return None


def dedupe(items, key):
    """`items` without repeats of `key(item)`, first kept, order kept."""
    seen = set()
    out = []
    for x in items:
        k = key(x)
        if k in seen:
            continue
        seen.add(k)
        out.append(x)
    return out


def municipality_list(text: str) -> list[str]:
    """Distinct municipality codes named in `text`, in order."""
    out: list[str] = []
    for m in find_municipalities(text):
        if m.code not in out:
            out.append(m.code)
    return out
