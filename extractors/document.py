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
from functools import lru_cache

from extractors.common import Block, Page, normalise_ws, split_sentences
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
from klimatkontrakt.normalise.patterns import _CASE_TRAPS, literal_trie

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
             "programchef", "programdirektör", "director", "gd", "chair", "commissioner", "(",
             # officials titled before or after the name (find_titled_people)
             "direktör", "chef", "strateg", "ledare", "samordnare", "manager", "leader"),
    # find_memberships: an initiative's name (RX_INITIATIVE_K / _EU), or a twin city
    "membership": ("klimatneutrala", "climate", "viable", "satsningen", "initiativ", "mission", "netzero",
                   "tvilling", "twin", "2030-städer", "pionjär", "pioneer", "vågen", "wave", "omgång"),
    # find_targets: a kind of target, a quantity, a restated or judged target (vocabulary [target_*])
    "target": ("neutral", "klimatpositiv", "climate positive", "climate-positive", "fossil", "nettonoll", "netto-noll", "netto noll", "net zero", "net-zero",
               "nettoutsläpp", "net emissions", "zero", "förnybar", "hälften", "renewable", "självförsörjande", "negativ", "negative", "procent", "per cent", "percent", "%", "halv",
               "tredjedel", "fjärdedel", "femtedel", "third", "quarter", "fifth", "ton", " kt", "gwh", "twh", "samma",
               "same", "både", "biogas", "hvo", "vätgas", "med el", "på el", "till el", "biodrivmedel", " kg ", "kilo ", "noll", "uppfyll", "klaras", "nå dit", "år tidigare", "år senare", "years earlier", "years later", " kw", " mw", "kilowatt", "megawatt", "fördubbl", " av fyra", " av tre", " av tio", " av fem", "half",
               "ersatt", "upphäv", "togs bort", "slopa", "gäller inte längre", "replaced", "superseded", "withdrawn", "dropped", "nås", "nått", "nåtts", "nåddes", "uppnå", "achieved", "was met", "been met", "reached"),
}


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

    def groups(self) -> list[Group]:
        if "groups" not in self.memo:
            self.memo["groups"] = _groups(self)
        return self.memo["groups"]


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
    groups = [g for g in doc.groups() if g.pos != s.pos or len(g.codes) > 2]
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
