"""The document the fact rules read: a parsed `Page` as sentences with their context.

Each sentence knows its block, its heading, the year section ("2023 – <tema>") and the "<Stad>
kommun" quote heading it sits under; the `Document` adds the page's own municipality and whether the
page is about Klimatkontrakt 2030 or about a look-alike contract.

Each sentence carries the names of the rules that may fire on it (`Sent.triggers`,
extractors/triggers.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extractors.common import Block, Page, normalise_ws, split_sentences
from extractors.triggers import NO_TRIGGERS, triggers_of
from extractors.vocabulary import (
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
from klimatkontrakt.normalise.patterns import _CASE_TRAPS


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
    headings: tuple[str, ...] = ()  # the headings it sits under, innermost first


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
    path: list[tuple[int, str]] = []  # (level, text) of the open headings, outermost first
    headings: tuple[str, ...] = ()
    for b in page.blocks:
        if b.is_heading or (b.tag in ("p", "div", "strong", "dt") and city_heading_code(b.text)):
            code = city_heading_code(b.text)
            m = RX_YEAR_HEADING.match(b.text)
            if b.is_heading:
                heading = b.text
                path = [(level, text) for level, text in path if level < b.level] + [(b.level, b.text)]
                headings = tuple(text for _, text in reversed(path))
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
            out.append(Sent(s, b, len(out), heading, year, section, city, triggers_of(s),
                            headings[1:] if b.is_heading else headings))
    return out


@dataclass
class Document:
    """A page as the fact rules read it: its sentences in context, and what they mention.

    Mentions (dates, lists of municipalities) are found when a rule first asks for them and kept:
    most sentences of a page are never asked about."""

    page: Page
    own_code: str | None  # the page's own municipality (a municipal source's)
    sents: list[Sent]
    about_k2030: bool  # the page names Klimatkontrakt 2030 or its initiative
    about_lookalike: bool  # ... or rather one of its look-alikes
    is_viablecities: bool
    memo: dict = field(default_factory=dict)

    def previous(self, s: Sent) -> Sent | None:
        return self.sents[s.pos - 1] if s.pos > 0 else None

    def following(self, s: Sent) -> Sent | None:
        return self.sents[s.pos + 1] if s.pos + 1 < len(self.sents) else None

    def dates(self, s: Sent) -> list[DateMatch]:
        """Dates the sentence writes, relative ones ("i tisdags", "idag") resolved against the page's date."""
        key = ("dates", s.pos)
        if key not in self.memo:
            self.memo[key] = find_dates(s.text, ref_date(self, s), relative=True)
        return self.memo[key]

    def heading_dates(self, s: Sent) -> list[date]:
        """Days written in the headings the sentence sits under, innermost first ("Ceremoni i
        Stockholm den 8 december"); a year heading ("2023 – tema") names no day."""
        ref = ref_date(self, s)
        return [d.value for h in s.headings for d in find_dates(h, ref) if d.year_given or ref]

    def occasion(self, s: Sent) -> int:
        """Which signing occasion a sentence is about: its year section (one per page without)."""
        return s.section_id

    def triggers(self, text: str) -> frozenset[str]:
        """`triggers_of` a text the page repeats (a heading over many sentences), computed once."""
        key = ("triggers", text)
        if key not in self.memo:
            self.memo[key] = triggers_of(text)
        return self.memo[key]

    def sentences_of(self, block: Block) -> list[Sent]:
        index = self.memo.get("by-block")
        if index is None:
            index = self.memo["by-block"] = {}
            for x in self.sents:
                index.setdefault(x.block.index, []).append(x)
        return index.get(block.index, [])

    def first_sentence(self, block: Block) -> Sent | None:
        found = self.sentences_of(block)
        return found[0] if found else None

    def lists(self) -> list[list[Block]]:
        """The page's lists: the items of each <ul>/<ol>, in order."""
        if "lists" not in self.memo:
            by_list: dict[int, list[Block]] = {}
            for b in self.page.blocks:
                if b.list_no is not None:
                    by_list.setdefault(b.list_no, []).append(b)
            self.memo["lists"] = list(by_list.values())
        return self.memo["lists"]

    def tables(self) -> dict[int, dict[int, dict[int, Block]]]:
        """The page's tables: table number -> row -> column -> cell block."""
        if "tables" not in self.memo:
            found: dict[int, dict[int, dict[int, Block]]] = {}
            for b in self.page.blocks:
                if b.cell is not None:
                    table, row, col = b.cell
                    found.setdefault(table, {}).setdefault(row, {})[col] = b
            self.memo["tables"] = found
        return self.memo["tables"]

    def table_columns(self) -> list[list[Block]]:
        """The data cells (no <th>) of each table column, top to bottom."""
        out = []
        for rows in self.tables().values():
            columns: dict[int, list[Block]] = {}
            for row in rows.values():
                for col, b in row.items():
                    if b.tag == "td":
                        columns.setdefault(col, []).append(b)
            out += [cells for _, cells in sorted(columns.items())]
        return out

    def intro(self, block: Block) -> str:
        """The paragraph right before a block, when it is no heading (the words introducing a list)."""
        i = block.index - 1
        blocks = self.page.blocks
        table = block.cell[0] if block.cell else None
        while i >= 0 and ((blocks[i].list_no is not None and blocks[i].list_no == block.list_no)
                          or (table is not None and blocks[i].cell is not None and blocks[i].cell[0] == table)):
            i -= 1
        return blocks[i].text if i >= 0 and not blocks[i].is_heading else ""

    def labels(self) -> dict[str, str]:
        """The first "Tid: ..." and "Plats: ..." lines of the page (an event page's practical
        details), as {"time": ..., "place": ..., "heading": the heading they stand under}."""
        if "labels" not in self.memo:
            found: dict[str, str] = {}
            blocks = self.page.blocks[:200]
            for i, b in enumerate(blocks):
                lines = b.text.split("\n")
                if len(lines) == 1 and i + 1 < len(blocks) and _RX_LABEL.match(f"{b.text.strip()} {blocks[i + 1].text}") \
                        and b.text.strip().endswith(":"):
                    lines = [f"{b.text.strip()} {blocks[i + 1].text}"]  # <dt>Tid:</dt><dd>...</dd>
                for line in lines:
                    m = _RX_LABEL.match(line.strip())
                    if m:
                        kind = "time" if m.group("time") else "place"
                        found.setdefault(kind, m.group("value").strip())
                        found.setdefault(f"{kind}-line", " ".join(line.split()))
                        first = self.first_sentence(b)
                        found.setdefault("heading", first.headings[0] if first and first.headings else "")
            self.memo["labels"] = found
        return self.memo["labels"]



_RX_LABEL = re.compile(
    r"^(?:(?P<time>Tid|När|Datum|When|Date|Time|Tidpunkt)|(?P<place>Plats|Var|Where|Location|Venue|Lokal))\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)


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
    """The sentence with the ones around it and its heading, each ending in a full stop (a
    heading has none: "... klimatkontrakt" and "Den 8 december ..." are two sentences)."""
    lo, hi = max(0, s.pos - before), min(len(doc.sents), s.pos + after + 1)
    return " ".join(_stop(x.text) for x in doc.sents[lo:hi]) + " " + _stop(s.heading or "")


def _stop(text: str) -> str:
    return text if not text or text[-1] in ".!?:;" else f"{text}."


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


# ---- lists of municipalities and the group references that point to them ----------------


