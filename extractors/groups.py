"""Group references: "de nio pionjärstäderna", "the 23 cities", "de nya kommunerna" point to a
list the page gives elsewhere (a table of municipalities, a list, a paragraph naming them); a
rule reads the reference and takes the codes of the list it resolves to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.document import Document, Sent
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    resolve_municipality,
)
from klimatkontrakt.normalise.patterns import _CASE_TRAPS, literal_trie


@dataclass(frozen=True)
class Group:
    """Municipalities a page names together: a sentence or block naming three or more, or a
    list (or table column) whose items each name one."""

    codes: tuple[str, ...]
    pos: int  # the first sentence of it
    text: str  # the words that name them (evidence)
    context: str  # lower-case: the text, its intro and its headings (for "de nya", "pionjärerna")
    union: bool = False  # two lists side by side taken together (only for a count: "the 23 cities")
    items: bool = False  # list items or table cells, not names in a sentence


@dataclass(frozen=True)
class GroupReference:
    """"de nio städerna", "the 23 cities", "städerna i den första vågen", "de nya kommunerna"."""

    count: int | None
    qualifier: str | None  # "pioneer" | "new" | "old" (already members: "de städer som redan är med")
    start: int
    end: int

NUMBER_WORDS = {
    "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
    "tretton": 13, "fjorton": 14, "femton": 15, "tjugo": 20, "tjugotre": 23, "tjugofyra": 24, "tjugofem": 25,
    "fyrtioåtta": 48, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "twenty-three": 23,
    "twenty-four": 24, "twenty-five": 25, "forty-eight": 48,
}

_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


# a group reference is a noun ("städerna", "cities") with the words before it that count or qualify
# it; the noun is found first (a literal scan), the words before it by a pattern anchored at the noun
_RX_GROUP_NOUN = re.compile(
    r"(?<![\w-])(?P<noun>pionjärstäderna|pionjärkommunerna|pionjärerna|pionjärstäder|städernas|kommunernas|städerna|"
    r"kommunerna|pioneer\s+cities|pioneers|cities'|cities|municipalities|städer|kommuner)(?!\w)"
    r"(?:\s+(?:i|in|of)\s+(?:den\s+|the\s+)?(?P<wave>första|andra|first|second)\s+(?:vågen|omgången|wave|round))?",
    re.IGNORECASE,
)

_RX_GROUP_WORDS = re.compile(
    rf"(?:\b(?P<det>de|dessa|alla|samtliga|the|all|these|those)\s+)?(?:(?<![\w-])(?P<n>\d{{1,2}}|{_NUMBER})\s+)?"
    rf"(?:(?<![\w-])(?P<q>nya|första|ursprungliga|new|first|original|pioneering)\s+)?"
    rf"(?:(?<![\w-])(?:svenska|swedish|deltagande|participating|utvalda|selected|medverkande)\s+)?$",
    re.IGNORECASE,
)

GROUP_NOUNS = literal_trie(("städer", "kommuner", "cities", "municipalities", "pionjär", "pioneer"))

_PIONEER_WORDS = re.compile(r"pionjär|\bnio\b|\b9\b|första|ursprungliga|sedan\s+start|pioneer|\bfirst\b|\bnine\b|"
                            r"from\s+the\s+start|original")

_NEW_WORDS = re.compile(r"\bnya\b|\bnew\b|anslö?t|anslutit|joined|kom\s+in|kommer\s+in|tillkom|andra\s+omgången|"
                        r"second\s+round|växte")

_RX_ALREADY = re.compile(r"\s+(?:som|that|which|who)\s+(?:\w+\s+)?(?:redan|already|sedan\s+tidigare)\b", re.IGNORECASE)


def group_reference(text: str) -> GroupReference | None:
    """The first reference to a group of municipalities that needs a list to resolve: a
    definite or counted plural ("de nya städerna", "nio kommuner", "the 23 cities"); not "andra
    städer" nor a bare "kommuner"."""
    if not GROUP_NOUNS.search(text.lower()) and not any(trap in text for trap in _CASE_TRAPS):
        return None  # every reference holds one of the nouns (cheap: most sentences hold none)
    for m in _RX_GROUP_NOUN.finditer(text):
        words = _RX_GROUP_WORDS.search(text, max(0, m.start() - 80), m.start())
        noun = m.group("noun").lower()
        det, n, q = words.group("det"), words.group("n"), (words.group("q") or "").lower()
        definite = noun.endswith(("na", "erna", "nas", "'")) or det or noun.startswith("pionjär") or "pioneer" in noun
        if not (definite or n):
            continue
        if re.match(r"\s+(?:och|and)\s+(?:regioner|företag)", text[m.end():]):
            continue
        count = (int(n) if n.isdigit() else NUMBER_WORDS[n.lower()]) if n else None
        wave = (m.group("wave") or "").lower()
        qualifier = "pioneer" if q in ("första", "ursprungliga", "first", "original", "pioneering") or \
            noun.startswith("pionjär") or "pioneer" in noun or wave in ("första", "first") else \
            "new" if q in ("nya", "new") or wave in ("andra", "second") else \
            "old" if _RX_ALREADY.match(text[m.end():]) else None
        return GroupReference(count, qualifier, words.start(), m.end())
    return None


def resolve_group(doc: Document, s: Sent, ref: GroupReference) -> Group | None:
    """The page's list that a group reference points to: of its size when it counts them (one
    off when no list has that size exactly), of its kind ("nya", "pionjärerna"), else the only
    list of the page; the nearest, before the reference when several fit."""
    groups = [g for g in page_groups(doc) if g.pos != s.pos or len(g.codes) > 2]
    if ref.count:
        fitting = [g for g in groups if len(g.codes) == ref.count]
        if not fitting:
            fitting = [g for g in groups if abs(len(g.codes) - ref.count) == 1]
            fitting = fitting if len(fitting) == 1 else []
    elif ref.qualifier in ("pioneer", "new"):
        fitting = groups
    else:  # "städerna": the one list of the sentence's section
        here = [g for g in groups if doc.sents[g.pos].section_id == s.section_id]
        fitting = here if len({g.codes for g in here}) == 1 else []
    if ref.qualifier == "old":
        fitting = [g for g in fitting if not _NEW_WORDS.search(g.context)]
    elif ref.qualifier:
        words = _PIONEER_WORDS if ref.qualifier == "pioneer" else _NEW_WORDS
        other = _NEW_WORDS if ref.qualifier == "pioneer" else _PIONEER_WORDS
        kind = [g for g in fitting if words.search(g.context)]
        fitting = [g for g in kind if not other.search(g.context)] or kind or \
            ([g for g in fitting if not other.search(g.context)] if ref.count else [])
    if not fitting:
        return None
    return min(fitting, key=lambda g: (abs(g.pos - s.pos) + (0 if g.pos <= s.pos else 0.5)))

_RX_QUOTE = re.compile(r"^\s*[–—\-\"“”»]")  # a quote's cities are no list the page gives

_RX_CITY_OF = re.compile(r"^\s*(?:the\s+)?(?:City|Municipality|Town)\s+of\s+|^\s*(?:Staden|Kommunen)\s+(?=[A-ZÅÄÖ])")


@lru_cache(maxsize=8192)
def cell_municipality(text: str) -> str | None:
    """The municipality a list item or table cell names first ("Håbo", "Alvesta (tvillingstad
    till Växjö)"): ambiguous short names count here, the cell being a name."""
    text = _RX_CITY_OF.sub("", text, count=1)
    code = resolve_municipality(text)
    if code:
        return code
    found = find_municipalities(text[:60], strict=False)
    return found[0].code if found and found[0].start <= 2 else None

_RX_LISTY = re.compile(r",|\s(?:och|and|samt)\s|\n")


def page_groups(doc: Document) -> list[Group]:
    """The page's lists of municipalities, read once per document."""
    if "groups" not in doc.memo:
        doc.memo["groups"] = _groups(doc)
    return doc.memo["groups"]


def _groups(doc: Document) -> list[Group]:
    out: list[Group] = []
    blocks = doc.page.blocks
    i = 0
    for column in doc.table_columns():  # a table column naming one municipality a cell
        codes, texts = [], []
        for b in column:
            code = cell_municipality(b.text)
            if code and code not in codes:
                codes.append(code)
                texts.append(b.text)
        first = doc.first_sentence(column[0])
        if len(codes) >= 3 and first is not None:
            context = " ".join((doc.intro(column[0]), *first.headings[:1], *texts)).lower()
            out.append(Group(tuple(codes), first.pos, " ".join(texts), context, items=True))
    while i < len(blocks):
        b = blocks[i]
        if b.cell is not None:
            i += 1
            continue
        if b.tag in ("li", "td", "dd") and not b.is_heading:
            # a run of items (a list, a table column) each naming one municipality
            j, codes, texts = i, [], []
            while j < len(blocks) and blocks[j].tag in ("li", "td", "dd", "tr", "th") and \
                    (blocks[j].list_no == b.list_no or b.list_no is None):
                code = cell_municipality(blocks[j].text) if blocks[j].tag != "th" else None
                if code and code not in codes:
                    codes.append(code)
                    texts.append(blocks[j].text)
                j += 1
            if len(codes) >= 3:
                first = doc.first_sentence(b)
                if first is not None:
                    context = " ".join((doc.intro(b), *first.headings[:1], *texts)).lower()
                    out.append(Group(tuple(codes), first.pos, " ".join(texts), context, items=True))
                i = j
                continue
        if not b.is_heading and len(_RX_LISTY.findall(b.text)) >= 2 and not _RX_QUOTE.match(b.text):
            for s in doc.sentences_of(b):
                if len(_RX_LISTY.findall(s.text)) < 2:
                    continue
                codes = list(dict.fromkeys(m.code for m in find_municipalities(s.text)))
                if len(codes) >= 3:
                    context = " ".join((s.text, *s.headings[:1])).lower()
                    out.append(Group(tuple(codes), s.pos, s.text, context))
        i += 1
    # two lists side by side ("Wave 1: ...", "Wave 2: ...") are also one group: "the 23 cities"
    for a, b in zip(out, out[1:]):
        if b.pos - a.pos <= 3 and not set(a.codes) & set(b.codes):
            out.append(Group(a.codes + b.codes, a.pos, f"{a.text} {b.text}", f"{a.context} {b.context}", union=True))
    return out
