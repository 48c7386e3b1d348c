"""Fact rules shared by the extractors: signings, events, roles and memberships from a parsed `Page`.

Every rule works on sentences with their context (nearest heading, the year section
"2023 – <tema>", a "<Stad> kommun" quote heading, the page's own municipality) and keeps the
sentence as evidence. Nothing here knows which cities signed when: a fact is emitted only when
the page says it.

Most sentences of a page state no fact, so rules skip them cheaply: TRIGGERS names, per rule, the
lower-case substrings without which the rule's patterns cannot match a sentence. `sentences()`
tests them once per sentence (one combined pattern; a sentence without any is settled at once)
and stores the names of the rules that may fire in `Sent.triggers`; a rule skips a sentence whose
triggers lack its name. A new rule adds its entry to TRIGGERS and tests `NAME in s.triggers`.
Stems must be a superset: a sentence the rule would match must contain one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from extractors.common import Block, Page, normalise_ws, split_sentences
from klimatkontrakt.model import Event, Extraction, Membership, Role, Signing
from klimatkontrakt.normalise.agencies import find_agencies, resolve_agency
from klimatkontrakt.normalise.dates import DateMatch, find_dates
from klimatkontrakt.normalise.municipalities import find_municipalities, resolve_municipality
from klimatkontrakt.normalise.people import (NAME, find_attributions, find_party_people, find_titled_people, normalise_role,
                                             parse_person)

K2030 = "klimatkontrakt-2030"
LOI = "letter-of-intent"
EU_CCC = "eu-climate-city-contract"
EU_LABEL = "eu-mission-label"
EVCD = "european-viable-cities-day"
K2030_INITIATIVE = "klimatneutrala-stader-2030"

# ---- vocabulary -------------------------------------------------------------------------

RX_K2030_EXPLICIT = re.compile(
    r"Klimatkontrakt(?:et|en)?\s*2030|Klimatkontrakt-?2030|Climate\s+City\s+Contract\s*2030|"
    r"Climate\s+Contract\s*2030|City\s+Climate\s+Contract\s*2030",
    re.IGNORECASE,
)
RX_K2030_CONTEXT = re.compile(
    r"Viable\s+Cities|Klimatneutrala\s+städer\s*2030|Climate[-\s]Neutral\s+Cities\s*2030|"
    r"Klimatkontrakt\s*2030|Climate\s+City\s+Contract\s*2030",
    re.IGNORECASE,
)
RX_CONTRACT_WORD = re.compile(
    r"klimatkontrakt\w*|\bkontrakt(?:et|en)?\b|Climate\s+City\s+Contracts?|\bcontract\b|\bavtalet\b",
    re.IGNORECASE,
)
RX_LOOKALIKE = re.compile(
    r"lokal(?:a|t)?\s+klimatkontrakt|klimatkontrakt\w*\s+(?:med|för)\s+(?:\w+\s+)?(?:företag|näringsliv|organisation)|"
    r"Klimatkontrakt\s+(?!20\d\d)[A-ZÅÄÖ][a-zåäö]+|klimatavtal|borgmästaravtal|Covenant\s+of\s+Mayors|"
    r"klimatpakt|klimatprotokoll|klimatallians|klimatlöfte|local\s+climate\s+contract|"
    r"(?:företag(?:en)?|organisationer(?:na)?|företagare)\s+(?:\w+\s+){0,3}(?:har\s+)?"
    r"(?:skrivit|skriver|skrev|signerat|signerar|signerade|undertecknat|undertecknade)",
    re.IGNORECASE,
)
RX_EU_CCC = re.compile(
    r"Climate\s+City\s+Contracts?(?!\s*2030)|klimatstadskontrakt\w*|EU:s\s+klimat(?:stads)?kontrakt|"
    r"europeisk\w*\s+(?:versionen?\s+av\s+)?(?:Climate\s+City\s+Contract|klimatkontrakt)|"
    r"EU[-\s]?kontrakt\w*|CCC\b",
    re.IGNORECASE,
)
RX_EU_CONTEXT = re.compile(r"\bEU\b|EU:s|EU-|europeisk|European|Mission|missionen|Europeiska\s+kommissionen", re.IGNORECASE)
RX_EU_LABEL = re.compile(r"Mission\s+Label|EU\s+Mission\s+label|missionsmärk\w*|Mission[-\s]?märk\w*|EU-märk\w*|"
                         r"\blabel\b|\bmärkning\w*", re.IGNORECASE)
RX_AWARD = re.compile(r"tilldela\w*|\bfick\b|\bfått\b|\bfår\b|erhåll\w*|award\w*|receiv\w*|beviljad\w*|granted|"
                      r"delades\s+ut|got\b", re.IGNORECASE)
RX_LOI = re.compile(r"avsiktsförklaring\w*|letters?\s+of\s+intent|declarations?\s+of\s+intent|intent\s+declaration",
                    re.IGNORECASE)
RX_SIGN = re.compile(
    r"\bsigner(?:a|ar|ade|at|ades|as|ats|ingen|ing|ande)\b|\bsign(?:s|ed|ing|ature)?\b|"
    r"\bskr(?:iver|ev|ivit|iva|ivs|evs)\s+(?:[\w,]+\s+){0,8}?(?:under|på)\b(?!\s+(?:att|med|sig|om))\b|\bunder(?:teckn\w+|skrift\w*)|"
    r"\btecknar\b|\btecknade\b|\btecknat\b|\bförny(?:ar|ade|at|a)\b|för\s+(?:andra|tredje|fjärde|femte|sjätte)\s+året\s+i\s+rad|"
    r"\bputs?\s+(?:their|its)\s+signature",
    re.IGNORECASE,
)
RX_FUTURE_OR_NEG = re.compile(
    r"\bkommer\s+(?:\w+\s+){0,6}?att\s+(?:\w+\s+){0,2}?(?:signera|skriva|underteckna|teckna)|\bska\s+(?:\w+\s+){0,3}?(?:signera|skriva|underteckna|teckna)|"
    r"\bwill\s+(?:\w+\s+){0,2}?sign|\bplanerar\s+att|\binför\s+(?:signering|undertecknande)|\binte\s+(?:\w+\s+)?(?:signera|skriv|underteck)|"
    r"\binte\s+har\s+(?:signerat|skrivit)|\bnot\s+(?:yet\s+)?signed|\bsignera\s+nästa|\bskrivas\s+med\b|\bkan\s+(?:\w+\s+){0,3}(?:skriva|signera)|"
    r"\bvill\s+(?:\w+\s+){0,3}(?:skriva|signera)|\bgenom\s+att\s+(?:skriva|signera)|\bhow\s+to\s+sign|"
    r"\bvarje\s+år\b|\bårligen\b|\bevery\s+(?:year|December)\b|\bannually\b|\bbrukar\b|"
    r"\b(?:räknar\s+med|siktar\s+på|avser|hoppas|förväntas|expects?|plans?|intends?|hopes?|is\s+expected)\s+"
    r"(?:att\s+|to\s+)?(?:\w+\s+){0,3}?(?:skriva|signera|underteckna|teckna|sign)",
    re.IGNORECASE,
)
RX_SELF = re.compile(
    r"\b(?:[Kk]ommunen|[Kk]ommunens|[Ss]taden|[Ss]tadens|[Vv]i|[Vv]år|[Vv]årt|[Vv]åra|[Oo]ss|[Tt]he\s+municipality|"
    r"[Tt]he\s+city|[Ww]e|[Oo]ur)\b"
)
RX_PLURAL_CITIES = re.compile(
    r"\b(?:\d+|nio|tio|fjorton|tjugotre|tjugo|alla|samtliga|de|flera|övriga|andra|svenska|nya|nine|fourteen|"
    r"twenty-three|all|the)\s+(?:\w+\s+)?(?:städer(?:na)?|kommuner(?:na)?|cities|municipalities)\b|"
    r"\b(?:städerna|kommunerna|medlemsstäderna|kommunledningarna)\b",
    re.IGNORECASE,
)
RX_TODAY = re.compile(r"\b(?:i\s*dag|idag|today|i\s+förmiddags|i\s+eftermiddags|i\s+morse)\b", re.IGNORECASE)
RX_VERSION = re.compile(
    r"\b(?:(?P<a>(?:19|20)\d\d)\s+års\s+version|version(?:en)?\s+(?:för\s+)?(?P<b>(?:19|20)\d\d)|"
    r"\(?(?P<c>(?:19|20)\d\d)[\s-]+(?:version|versionen)\)?|(?P<d>(?:19|20)\d\d)-versionen)\b",
    re.IGNORECASE,
)
RX_EVCD = re.compile(r"European\s+Viable\s+Cities\s+Day(?:\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE)
RX_ONLINE = re.compile(
    r"\b(?:online|digitalt|digital(?:t)?\s+(?:event|evenemang|sändning)|webbsän\w*|livesän\w*|sänds\s+(?:live|digitalt)|"
    r"via\s+(?:YouTube|Zoom|Teams)|webinar|webbinar\w*|YouTube|livestream\w*|Teams)\b",
    re.IGNORECASE,
)
RX_LOCATION_LABEL = re.compile(r"^(?:Plats|Var|Where|Location|Venue|Lokal)\s*:?\s*(?P<v>.+)$", re.IGNORECASE)
RX_TIME_LABEL = re.compile(r"^(?:Tid|När|Datum|When|Date|Time|Tidpunkt)\s*:?\s*(?P<v>.+)$", re.IGNORECASE)
RX_YEAR_HEADING = re.compile(r"^\s*(?P<year>(?:19|20)\d\d)\s*(?:[–—\-:]|$)")
RX_PARTIES_LABEL = re.compile(
    r"^(?:Signerande\s+parter|Undertecknande\s+parter|Parter\s+som\s+(?:signerat|signerade|undertecknat|undertecknade)|"
    r"Signing\s+parties|Signatories|Parties\s+signing|Undertecknare)\s*:?\s*",
    re.IGNORECASE,
)
RX_INITIATIVE_K = re.compile(
    r"Klimatneutrala\s+städer\s*2030|Climate[-\s]Neutral\s+Cities\s*2030|Viable\s+Cities(?:’|'|s)?\s+(?:satsning|initiativ|program)|"
    r"\bsatsningen\b|\binitiativet\b|Viable\s+Cities",
    re.IGNORECASE,
)
RX_INITIATIVE_EU = re.compile(
    r"EU[-:]?s?\s*(?:städer)?mission\w*|Cities\s+Mission|EU\s+Mission|100\s+klimatneutrala\s+(?:och\s+smarta\s+)?städer|"
    r"100\s+climate[-\s]neutral\s+(?:and\s+smart\s+)?cities|Mission\s+Cities|NetZeroCities|missionen\s+för\s+klimatneutrala",
    re.IGNORECASE,
)
RX_MEMBER = re.compile(
    r"\bingår\b|\bingick\b|\bingått\b|är\s+med\s+i|\bvar\s+med\b|varit\s+med|\banslö(?:t|ts)\b|\bansluter\b|\banslutit\b|\banslut(?:en|na)\b|"
    r"\bgick\s+(?:\w+\s+){0,3}?med\s+i\b|\bgick\s+med\b|\bgår\s+med\b|\bblev\s+(?:\w+\s+){0,2}del\s+av|\b(?:är|blev|var|har\s+varit|has\s+been|became|is)\s+(?:[\w,]+\s+){0,4}?(?:en|one)\s+(?:av|of)\b|\bvaldes\s+(?:[\w,]+\s+){0,4}?ut\b|\bvalts\s+(?:[\w,]+\s+){0,3}?ut\b|"
    r"\butsetts\b|\butsågs\b|\butvald\w*|\bselected\b|\bjoined\b|\bhas\s+been\s+part\b|\bis\s+(?:\w+\s+)?part\s+of\b|\bmedlem\w*|"
    r"\bdeltar\b|\bantogs\b|\btillkom\w*|\bupptag\w*|\bdel\s+av\b|\btvillingstad\w*",
    re.IGNORECASE,
)
RX_PIONEER = re.compile(
    r"från\s+(?:första\s+)?(?:början|start(?:en)?)|sedan\s+start(?:en)?|pionjär\w*|\bpilot\w*|första\s+(?:vågen|omgången)|"
    r"\bwave\s+1\b|de\s+nio\s+(?:första|ursprungliga)|en\s+av\s+de\s+nio|\bnine\s+pioneer|first\s+nine|from\s+the\s+(?:start|beginning)",
    re.IGNORECASE,
)
RX_JOIN_YEAR = re.compile(
    r"(?:sedan|från|år|i|under|in|since|hösten|våren|sommaren|vintern|starten|januari|februari|mars|april|maj|juni|juli|"
    r"augusti|september|oktober|november|december)\s+(?:starten\s+|hösten\s+|våren\s+|år\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
RX_QUOTE_START = re.compile(r"^\s*[–—\-\"“”»]")
RX_SINCE = re.compile(r"(?:sedan|från|since|from|fram\s+till|until|till|före|before)\s+(?:den\s+)?$", re.IGNORECASE)


# ---- context ------------------------------------------------------------------------------

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
class Ctx:
    page: Page
    own_code: str | None
    sents: list[Sent]
    page_k2030: bool
    page_lookalike: bool
    is_viablecities: bool
    memo: dict = field(default_factory=dict)


def make_ctx(page: Page, own_code: str | None, is_viablecities: bool = False) -> Ctx:
    sents = sentences(page)
    full = page.text + " " + (page.title or "")
    lookalike_hits = _count(RX_LOOKALIKE, full, _LOOKALIKE_STARTS)
    k_hits = _count(RX_K2030_CONTEXT, full, _K2030_CONTEXT_STARTS, stop=1 if lookalike_hits == 0 else None)
    k = k_hits > 0 or is_viablecities
    return Ctx(page, own_code, sents, k, lookalike_hits > 0 and lookalike_hits >= k_hits, is_viablecities)


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


def _neighbours(ctx: Ctx, s: Sent, before: int = 2, after: int = 1) -> str:
    lo, hi = max(0, s.pos - before), min(len(ctx.sents), s.pos + after + 1)
    return " ".join(x.text for x in ctx.sents[lo:hi]) + " " + (s.heading or "")


def _dates_near(text: str, anchor: int, ref: date | None) -> list[DateMatch]:
    found = [d for d in find_dates(text, ref) if not RX_SINCE.search(text[max(0, d.start - 14) : d.start])]
    return sorted(found, key=lambda d: abs(d.start - anchor))


def _ref(ctx: Ctx, s: Sent) -> date | None:
    if s.section_year and (ctx.page.published_on is None or ctx.page.published_on.year != s.section_year):
        return date(s.section_year, 11, 1)
    return ctx.page.published_on


def _section_date(ctx: Ctx, s: Sent) -> date | None:
    """A signing/EVCD date written somewhere in the sentence's year section."""
    if not s.section_year:
        return None
    key = ("section-date", s.section_id)
    if key not in ctx.memo:
        ctx.memo[key] = _section_date_uncached(ctx, s)
    return ctx.memo[key]


def _section_date_uncached(ctx: Ctx, s: Sent) -> date | None:
    for x in ctx.sents:
        if x.section_id != s.section_id:
            continue
        if RX_SIGN.search(x.text) or RX_EVCD.search(x.text):
            for d in find_dates(x.text, _ref(ctx, x)):
                if d.value.year == s.section_year:
                    return d.value
    return None


# ---- signings -----------------------------------------------------------------------------

def _classify(ctx: Ctx, s: Sent) -> str | None:
    t = s.text
    if "eu-label" in s.triggers and RX_EU_LABEL.search(t) and RX_AWARD.search(t) \
            and RX_EU_CONTEXT.search(t + " " + (s.heading or "")) and not RX_K2030_EXPLICIT.search(t):
        return EU_LABEL
    if "signing" not in s.triggers or not RX_SIGN.search(t) or RX_FUTURE_OR_NEG.search(t):
        return None
    explicit = RX_K2030_EXPLICIT.search(t)
    if RX_LOOKALIKE.search(t) and not explicit and not re.search(r"Viable\s+Cities|Klimatneutrala\s+städer", t, re.I):
        return None
    if RX_LOI.search(t):
        near = _neighbours(ctx, s, 3, 1)
        if RX_K2030_CONTEXT.search(near) or (ctx.page_k2030 and not ctx.page_lookalike):
            return LOI
        return None
    if RX_EU_CCC.search(t) and not explicit:
        if RX_EU_CONTEXT.search(_neighbours(ctx, s, 2, 1)):
            return EU_CCC
        return None
    if explicit:
        return K2030
    anaphora = re.search(r"\bversion(?:en)?\b|första\s+gången|\bdet\b|\bden\b", t, re.I) and \
        RX_K2030_CONTEXT.search(_neighbours(ctx, s, 2, 0))
    if RX_CONTRACT_WORD.search(t) or anaphora:
        near = _neighbours(ctx, s, 3, 1)
        if RX_LOOKALIKE.search(near) and not RX_K2030_CONTEXT.search(t):
            return None
        if RX_EU_CCC.search(near) and not RX_K2030_CONTEXT.search(near):
            return None
        if RX_K2030_CONTEXT.search(near) or (ctx.page_k2030 and not ctx.page_lookalike):
            return K2030
    return None


# where something happened, not who signed: "på European Viable Cities Day i Stockholm", "held in Umeå"
RX_VENUE_BEFORE = re.compile(
    r"(?:Day|dagen|stadshus\w*|konferens\w*|mötet|ett\s+möte|evenemang\w*|ceremoni\w*|samlades|samlas|hölls|hålls|"
    r"skedde|sker|ägde\s+rum|äger\s+rum|took\s+place|takes\s+place|held|event|arrangerades|arrangeras|träffen)"
    r"\s+(?:i|in|på|at)\s+$",
    re.IGNORECASE,
)


def _parties(ctx: Ctx, s: Sent, text: str | None = None) -> tuple[list[str], list[str]]:
    t = text if text is not None else s.text
    own = s.city_code or ctx.own_code
    munis = []
    for m in find_municipalities(t, own):
        if m.code not in munis and not RX_VENUE_BEFORE.search(t, max(0, m.start - 80), m.start):
            munis.append(m.code)
    orgs = []
    for a in find_agencies(t):
        if a.organisation_id not in orgs:
            orgs.append(a.organisation_id)
    if "viable-cities" in orgs and not re.search(
            r"(?:\boch|\band|\bsamt|\bmed|\bwith|,)\s+(?:programmet\s+|the\s+)?Viable\s+Cities\b"
            r"(?!\s*(?:s\b|’|'|satsning|program|initiativ|Day))", t):
        orgs = [o for o in orgs if o != "viable-cities"]
    if not munis and own and text is None:
        if RX_SELF.search(t) or (not RX_PLURAL_CITIES.search(t) and not orgs):
            munis = [own]
        elif s.city_code and not RX_PLURAL_CITIES.search(t):
            munis = [own]
    return munis, orgs


def _version(text: str) -> str | None:
    m = RX_VERSION.search(text)
    return normalise_ws(m.group(0).strip("()")) if m else None


RX_WHEN_IT_HAPPENED = re.compile(
    r"^(?:Det|Detta|Signeringen|Undertecknandet|Ceremonin|It|This|The\s+signing)\s+(?:\w+\s+)?"
    r"(?:skedde|sker|hände|ägde\s+rum|äger\s+rum|gjordes|görs|took\s+place|happened)\b",
    re.IGNORECASE,
)


def _signed_on(ctx: Ctx, s: Sent, contract: str) -> date | None:
    ref = _ref(ctx, s)
    verb = RX_SIGN.search(s.text) or RX_AWARD.search(s.text)
    anchor = verb.start() if verb else 0
    near = _dates_near(s.text, anchor, ref)
    if near:
        return near[0].value
    if RX_TODAY.search(s.text) and ctx.page.published_on:
        return ctx.page.published_on
    # the previous sentence of the same block ("I dag, den 8 december ... Då signerade ...")
    if s.pos > 0:
        prev = ctx.sents[s.pos - 1]
        if prev.block is s.block:
            d = _dates_near(prev.text, len(prev.text), ref)
            if d:
                return d[0].value
    if re.match(r"^(?:Kontraktet|Avtalet|Det|The\s+contract|It)\b", s.text):
        for x in reversed(ctx.sents[max(0, s.pos - 3) : s.pos]):
            if RX_SIGN.search(x.text):
                d = _dates_near(x.text, 0, ref)
                if d:
                    return d[0].value
                if RX_TODAY.search(x.text) and ctx.page.published_on:
                    return ctx.page.published_on
    if contract in (K2030, LOI):
        d = _section_date(ctx, s)
        if d:
            return d
        if RX_EVCD.search(s.text) or RX_EVCD.search(ctx.page.title or ""):
            return _evcd_date(ctx, s)
    return None


def _evcd_date(ctx: Ctx, s: Sent) -> date | None:
    m = RX_EVCD.search(s.text) or RX_EVCD.search(ctx.page.title or "")
    year = int(m.group("year")) if m and m.group("year") else (s.section_year or (ctx.page.published_on.year if ctx.page.published_on else None))
    on_event_page = bool(RX_EVCD.search(ctx.page.title or ""))
    for x in ctx.sents:
        if RX_EVCD.search(x.text) or (on_event_page and RX_TIME_LABEL.match(x.text)):
            for d in find_dates(x.text, date(year, 11, 1) if year else None):
                if year and d.value.year == year:
                    return d.value
    return None


def _when_it_happened(ctx: Ctx, s: Sent) -> tuple[Sent, date] | None:
    """The next sentence of the block and its date when it says when "it" happened
    ("Det skedde på European Viable Cities Day den 8 december.")."""
    if s.pos + 1 >= len(ctx.sents):
        return None
    nxt = ctx.sents[s.pos + 1]
    if nxt.block is not s.block or not RX_WHEN_IT_HAPPENED.match(nxt.text):
        return None
    found = _dates_near(nxt.text, 0, _ref(ctx, nxt))
    return (nxt, found[0].value) if found else None


def _event_name(s: Sent, signed_on: date | None) -> str | None:
    m = RX_EVCD.search(s.text)
    if not m:
        return None
    year = m.group("year") or (signed_on.year if signed_on else None)
    return f"European Viable Cities Day {year}" if year else "European Viable Cities Day"


def find_signings(ctx: Ctx) -> list[Signing]:
    out: list[Signing] = []
    # body sentences first: a headline repeats the body without its date
    ordered = [x for x in ctx.sents if not x.block.is_heading] + [x for x in ctx.sents if x.block.is_heading]
    for s in ordered:
        if s.block.caption:
            continue  # a photo caption may show another year's signing
        contract = _classify(ctx, s)
        if contract is None:
            continue
        munis, orgs = _parties(ctx, s)
        evidence = s.text
        if not munis and RX_PLURAL_CITIES.search(s.text):
            follow = _following_city_list(ctx, s)
            if follow is not None:
                munis = [c for c in municipality_list(follow.text) if c not in munis]
                evidence = f"{s.text} {follow.text}"
        if not munis and not orgs:
            continue
        signed_on = _signed_on(ctx, s, contract)
        event = _event_name(s, signed_on)
        when = _when_it_happened(ctx, s) if signed_on is None else None
        if when is not None:  # "... tecknar klimatkontrakt. Signeringen skedde den 5 december."
            signed_on = when[1]
            event = event or _event_name(when[0], signed_on)
            evidence = f"{evidence} {when[0].text}"
        version = _version(s.text) if contract in (K2030, EU_CCC) else None
        if version is None and contract == K2030 and s.pos + 1 < len(ctx.sents):
            nxt = ctx.sents[s.pos + 1]
            if nxt.block is s.block and re.match(r"^(?:Det|Detta|Den|Kontraktet|It|This)\b", nxt.text):
                version = _version(nxt.text)
        for code in munis:
            out.append(Signing(contract, evidence, municipality_code=code, signed_on=signed_on,
                               contract_version=version, event_name=event))
        for org in orgs:
            out.append(Signing(contract, evidence, organisation_id=org, signed_on=signed_on,
                               contract_version=version, event_name=event))
    out.extend(_party_lists(ctx))
    out = _dedupe(out, lambda x: (x.contract, x.municipality_code, x.organisation_id, x.signed_on, x.contract_version))
    dated = {(x.contract, x.municipality_code, x.organisation_id) for x in out if x.signed_on or x.contract_version}
    seen: set = set()
    kept = []
    for x in out:
        key = (x.contract, x.municipality_code, x.organisation_id)
        if x.signed_on is None and x.contract_version is None and (key in dated or key in seen):
            continue  # a vaguer repetition of a signing already dated on this page
        seen.add(key)
        kept.append(x)
    # one signing date on a page without year sections: the undated mentions are that signing
    for contract in {x.contract for x in kept}:
        dates = {x.signed_on for x in kept if x.contract == contract and x.signed_on}
        if len(dates) == 1 and not any(x.section_year for x in ctx.sents):
            only = dates.pop()
            kept = [replace(x, signed_on=only) if x.contract == contract and x.signed_on is None else x for x in kept]
    return kept


RX_LIST_INTRO = re.compile(
    r"^(?:De\s+(?:\w+\s+)?(?:städerna|kommunerna)\s+(?:är|var)|(?:Städerna|Kommunerna)\s+(?:är|var)|"
    r"The\s+(?:\w+\s+)?(?:cities|municipalities)\s+(?:are|were))\b",
    re.IGNORECASE,
)


def _following_city_list(ctx: Ctx, s: Sent) -> Sent | None:
    """"... nio städer skrev under ... . De nio städerna är A, B och C." -> the list sentence."""
    for x in ctx.sents[s.pos + 1 : s.pos + 3]:
        if RX_LIST_INTRO.match(x.text) and len(find_municipalities(x.text, strict=False)) >= 2:
            return x
    return None


def municipality_list(text: str) -> list[str]:
    out: list[str] = []
    for m in find_municipalities(text):
        if m.code not in out:
            out.append(m.code)
    return out


def _party_lists(ctx: Ctx) -> list[Signing]:
    """"Signerande parter" followed by a list (same block after the colon, or the next list blocks)."""
    out: list[Signing] = []
    blocks = ctx.page.blocks
    if not ctx.page_k2030:
        return out
    sent_by_block: dict[int, Sent] = {}
    for s in ctx.sents:
        sent_by_block.setdefault(s.block.index, s)
    for i, b in enumerate(blocks):
        m = RX_PARTIES_LABEL.match(b.text)
        if not m:
            continue
        anchor = sent_by_block.get(b.index)
        if anchor is None:
            continue
        items: list[str] = []
        rest = b.text[m.end():].strip()
        if rest:
            items.extend(x for x in re.split(r"\n|;|,\s*(?=[A-ZÅÄÖ])|\s+och\s+|\s+and\s+", rest) if x.strip())
        j = i + 1
        while j < len(blocks) and not rest:
            nb = blocks[j]
            if nb.is_heading or len(nb.text) > 160 or RX_QUOTE_START.match(nb.text):
                break
            parts = [x for x in re.split(r"\n|;|,\s*(?=[A-ZÅÄÖ])|\s+och\s+|\s+and\s+", nb.text) if x.strip()]
            resolved = [p for p in parts if _resolve_party(p)[0] or _resolve_party(p)[1]]
            if not resolved:
                break
            items.extend(parts)
            j += 1
        if not items:
            continue
        parties = [_resolve_party(x) for x in items]
        evidence = normalise_ws(f"{b.text.split(':')[0].strip()}: " + ", ".join(normalise_ws(x) for x in items))
        signed_on = _section_date(ctx, anchor)
        version = None
        for x in ctx.sents:
            if x.section_id == anchor.section_id and anchor.section_year and RX_VERSION.search(x.text) and RX_K2030_CONTEXT.search(x.text):
                version = _version(x.text)
                break
        event = f"European Viable Cities Day {signed_on.year}" if signed_on and any(
            RX_EVCD.search(x.text) for x in ctx.sents if x.section_id == anchor.section_id) else None
        for code, org in parties:
            if code or org:
                out.append(Signing(K2030, evidence, municipality_code=code, organisation_id=org,
                                   signed_on=signed_on, contract_version=version, event_name=event))
    return out


def _resolve_party(text: str) -> tuple[str | None, str | None]:
    t = normalise_ws(text).strip(" .:•-–")
    if not t or len(t) > 90:
        return None, None
    org = resolve_agency(t)
    if org:
        return None, org
    found = find_agencies(t)
    if len(found) == 1:
        return None, found[0].organisation_id
    code = resolve_municipality(t)
    if code:
        return code, None
    munis = find_municipalities(t, strict=False)
    if len(munis) == 1 and re.search(r"kommun|[Ss]tad|municipality|City|Region", t):
        return munis[0].code, None
    return None, None


# ---- events -------------------------------------------------------------------------------

def find_events(ctx: Ctx) -> list[Event]:
    by_year: dict[int, Event] = {}
    title = ctx.page.title or ""
    page_is_event = bool(RX_EVCD.search(title))
    for s in ctx.sents:
        m = RX_EVCD.search(s.text) if "evcd" in s.triggers else None
        if not m:
            continue
        year = int(m.group("year")) if m.group("year") else None
        ref = date(year, 11, 1) if year else _ref(ctx, s)
        dates = _dates_near(s.text, m.start(), ref)
        dates = [d for d in dates if year is None or d.value.year == year]
        if not dates and s.pos > 0 and ctx.sents[s.pos - 1].block is s.block and \
                re.match(r"^(?:Det|Detta|Där|Då|It|This)\b", s.text):
            prev = ctx.sents[s.pos - 1].text
            dates = [d for d in _dates_near(prev, len(prev), ref) if year is None or d.value.year == year]
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
                and ctx.page.published_on is None:
            continue
        loc = "online" if RX_ONLINE.search(s.text) else None
        _merge_event(by_year, Event(f"European Viable Cities Day {d.value.year}", s.text, EVCD, d.value,
                                    None, d.start_time, loc))
    if page_is_event:
        _event_page_details(ctx, by_year)
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


def find_launches(ctx: Ctx) -> list[Event]:
    """Launches of the initiative or the contract: a launch word ("lanserades", "kick-off",
    "startskottet", "launched") and the initiative named in one sentence, with a day-level date
    close to the launch word. A city's own look-alike ("Klimatkontrakt Lund lanseras") is not one."""
    out: list[Event] = []
    for s in ctx.sents:
        if "launch" not in s.triggers or not RX_LAUNCH.search(s.text) \
                or (RX_LOOKALIKE.search(s.text) and not RX_K2030_EXPLICIT.search(s.text)):
            continue
        pair = _launched(s.text)
        if pair is None:
            continue
        launch, named = pair
        dates = [d for d in _dates_near(s.text, launch.start(), ctx.page.published_on)
                 if d.year_given or ctx.page.published_on]
        if not dates or abs(dates[0].start - launch.start()) > 120:
            continue
        d = dates[0]
        english = ctx.page.language == "en" or not re.search(r"[åäö]|\b(?:och|av|den)\b", s.text)
        title = normalise_ws(named.group(0))
        name = f"Launch of {title}" if english else f"Lansering av {title}"
        out.append(Event(name, s.text, "launch", d.value, None, d.start_time, "online" if RX_ONLINE.search(s.text) else None))
    return _dedupe(out, lambda e: e.starts_on)


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


def _event_page_details(ctx: Ctx, by_year: dict[int, Event]) -> None:
    """On an event page: labelled time/place lines ("Tid: ...", "Plats: ...") and online hints."""
    m = RX_EVCD.search(ctx.page.title or "")
    year = int(m.group("year")) if m and m.group("year") else None
    when: DateMatch | None = None
    when_text = None
    where: str | None = None
    for s in ctx.sents[:80]:
        t = s.text
        lm = RX_LOCATION_LABEL.match(t)
        if lm and where is None:
            v = lm.group("v").strip()
            where = "online" if RX_ONLINE.search(v) else v.rstrip(".")
            continue
        tm = RX_TIME_LABEL.match(t)
        cand = tm.group("v") if tm else (t if len(t) < 90 else None)
        if cand and when is None:
            ds = find_dates(cand, date(year, 11, 1) if year else ctx.page.published_on)
            ds = [d for d in ds if year is None or d.value.year == year]
            if ds and (tm or ds[0].start_time):
                when, when_text = ds[0], t
        if s.block.tag == "li" and where is None and when_text and s.pos == ctx.sents.index(s) and t != when_text \
                and len(t) < 60 and re.search(r"Sverige|Sweden|\d{3}\s?\d{2}", t):
            where = t
    if where is None and any(RX_ONLINE.search(s.text) for s in ctx.sents[:60] if RX_EVCD.search(s.text) or len(s.text) < 80):
        where = "online"
    if when is not None:
        _merge_event(by_year, Event(f"European Viable Cities Day {when.value.year}", when_text, EVCD, when.value,
                                    None, when.start_time, where))
    if where and by_year:
        key = (when.value.year if when else None) or (year if year in by_year else next(iter(by_year)))
        if key in by_year and by_year[key].location is None:
            by_year[key] = replace(by_year[key], location=where)


# ---- roles --------------------------------------------------------------------------------

_MUNI_ROLES = {"ks-ordforande", "ks-vice-ordforande", "kommunalrad", "oppositionsrad"}
_RX_GD_LIST = re.compile(rf"(?P<name>{NAME})\s*,\s*(?P<org>[A-ZÅÄÖ][\wåäö]+(?:\s+[A-Za-zåäö]+){{0,3}})")


def _role_record(ctx: Ctx, s: Sent, p, as_of: date | None) -> Role | None:
    if not p.role and not p.party:
        return None
    role_text = p.role or ""
    codes = [m.code for m in find_municipalities(role_text, s.city_code or ctx.own_code, strict=False)]
    orgs = [a.organisation_id for a in find_agencies(role_text)]
    code = codes[0] if codes else None
    org = orgs[0] if orgs else None
    municipal = p.role_normalised in _MUNI_ROLES or bool(re.search(r"kommun|stad|municipal|city", role_text, re.I)) or (p.party and not org)
    if code is None and org is None and municipal:
        code = s.city_code or ctx.own_code
        if code is None:
            code = _nearby_municipality(ctx, s)
    if org is None and p.role_normalised == "programchef" and ctx.is_viablecities:
        org = "viable-cities"
    return Role(p.name, s.text, p.role, p.role_normalised, p.party, code, org, as_of)


def _nearby_municipality(ctx: Ctx, s: Sent, back: int = 2) -> str | None:
    """The one municipality named in the attribution's sentence or, failing that, in the nearest of
    the `back` sentences before it in the same block or quote (a quote often names its city one
    sentence before "säger ..."). None when a sentence names several: no guessing."""
    for sent in [s, *reversed(ctx.sents[max(0, s.pos - back):s.pos])]:
        named = {m.code for m in find_municipalities(sent.text)}
        if len(named) == 1:
            return named.pop()
        if named:
            return None
    return None


RX_AGENCY_TITLE = re.compile(
    r"\b(?:(?:biträdande|ställföreträdande|tillförordnad|t\.f\.)\s+)?(?:generaldirektör(?:en)?|överdirektör(?:en)?|"
    r"programchef(?:en)?|programdirektör(?:en)?|GD)\b|"
    r"\b(?:(?:deputy|acting)\s+)?(?:director[\s-]+general|programme\s+director|program\s+director)\b",
    re.IGNORECASE,
)
_RX_NAME_AFTER = re.compile(rf"\s*,?\s*(?P<name>{NAME})(?:\s*\(|[\s,.;:!?–—]|$)")
_RX_NAME_BEFORE = re.compile(rf"(?P<name>{NAME})\s*,\s*$")
_RX_ORG_LINK = re.compile(r"\s+(?:för|på|vid|hos|of|at)\s+(?:the\s+)?", re.IGNORECASE)


def find_agency_people(text: str) -> list[tuple[str, str, str]]:
    """(name, role as written, organisation_id) for agency and programme staff named beside their
    title and organisation outside quotes: "Energimyndighetens generaldirektör Robert Berg",
    "Robert Berg, generaldirektör för Energimyndigheten", "generaldirektören på Vinnova, Anna Ek",
    "Anna Ek, Director General of Formas". A plural title ("generaldirektörerna") names nobody."""
    if not RX_AGENCY_TITLE.search(text):
        return []
    agencies = find_agencies(text)
    out: list[tuple[str, str, str]] = []
    for t in RX_AGENCY_TITLE.finditer(text):
        if t.group(0).lower() == "gd" and t.group(0) != "GD":
            continue
        org = role_start = role_end = None
        for a in agencies:  # the organisation right before the title: "Vinnovas generaldirektör"
            if 0 <= t.start() - a.end <= 1:
                org, role_start, role_end = a.organisation_id, a.start, t.end()
        if org is None:  # or linked after it: "generaldirektör för Formas"
            link = _RX_ORG_LINK.match(text, t.end())
            if link:
                after = next((a for a in agencies if a.start == link.end()), None)
                if after:
                    org, role_start, role_end = after.organisation_id, t.start(), after.end
        if org is None:
            continue
        name = None
        m = _RX_NAME_AFTER.match(text, role_end)
        if m:
            name = m.group("name")
        else:
            m = _RX_NAME_BEFORE.search(text, 0, role_start)
            name = m.group("name") if m else None
        if not name or resolve_agency(name) or any(name.startswith(n) for n in ("Viable Cities", "European Viable")):
            continue
        out.append((normalise_ws(name), normalise_ws(text[role_start:role_end]), org))
    return out


def find_roles(ctx: Ctx) -> list[Role]:
    out: list[Role] = []
    for s in ctx.sents:
        if s.block.caption or re.match(r"^(?:Foto|Bild|Photo)\b", s.text):
            continue
        as_of = _section_date(ctx, s) or ctx.page.published_on
        found = [*find_attributions(s.text), *find_titled_people(s.text), *find_party_people(s.text)] \
            if "role" in s.triggers else []
        for p, _ in found:
            r = _role_record(ctx, s, p, as_of)
            if r:
                out.append(r)
        # an attribution on its own line after a quote: "Namn Namnsson (S), kommunstyrelsens ordförande"
        if len(s.text) <= 160 and s.block.text.startswith(s.text[:20]) and s.pos > 0:
            prev = ctx.sents[s.pos - 1]
            if prev.block is not s.block and RX_QUOTE_START.match(prev.block.text):
                p = parse_person(s.text)
                if p and (p.role or p.party):
                    r = _role_record(ctx, s, p, as_of)
                    if r:
                        out.append(r)
        if "role" not in s.triggers:
            continue
        for name, role, org in find_agency_people(s.text):
            out.append(Role(name, s.text, role, normalise_role(role), None, None, org, as_of))
        # "generaldirektörerna ...: Namn Namnsson, Energimyndigheten; ..."
        if re.search(r"generaldirektör\w*|directors?[\s-]general", s.text, re.I):
            for m in _RX_GD_LIST.finditer(s.text):
                org = resolve_agency(m.group("org")) or (find_agencies(m.group("org")) or [None])[0]
                org = org if isinstance(org, str) or org is None else org.organisation_id
                if org and org != "viable-cities":
                    out.append(Role(m.group("name"), s.text, "generaldirektör", "generaldirektor", None, None, org, as_of))
    # "Namn (S)" again without the title, or read with a place before it ("i Umeå Stina Ek (C)")
    titled = {r.person_name for r in out if r.role}
    out = [r for r in out if r.role or not any(r.person_name == t or r.person_name.endswith(f" {t}") for t in titled)]
    return _dedupe(out, lambda r: (r.person_name, r.role_normalised or r.role, r.municipality_code, r.organisation_id))


# ---- memberships --------------------------------------------------------------------------

RX_BOTH = re.compile(r"^(?:Båda|De\s+två|Both|The\s+two)\s+(?:kommunerna|städerna|municipalities|cities)\b", re.IGNORECASE)


def find_memberships(ctx: Ctx) -> list[Membership]:
    out: list[Membership] = []
    twins = {s.pos: pair for s in ctx.sents if "membership" in s.triggers and RX_TWIN.search(s.text)
             and (pair := twin_pair(s.text, s.city_code or ctx.own_code)) is not None}
    for s in ctx.sents:
        t = s.text
        if "membership" not in s.triggers:
            continue
        in_k, in_eu = RX_INITIATIVE_K.search(t), RX_INITIATIVE_EU.search(t)
        if not (in_k or in_eu):
            continue  # names no initiative (checked first: far cheaper than RX_MEMBER on long pages)
        mm = RX_MEMBER.search(t)
        if not mm or RX_FUTURE_OR_NEG.search(t) or RX_LOOKALIKE.search(t):
            continue
        initiatives = []
        if in_k and (re.search(r"Klimatneutrala\s+städer|Climate[-\s]Neutral\s+Cities\s*2030|Viable\s+Cities", t, re.I)
                                          or (ctx.page_k2030 and not RX_INITIATIVE_EU.search(t))):
            initiatives.append(K2030_INITIATIVE)
        if in_eu:
            initiatives.append("eu-mission-cities")
        if not initiatives:
            continue
        own = s.city_code or ctx.own_code
        codes = []
        for m in find_municipalities(t, own):
            if m.code not in codes:
                codes.append(m.code)
        if not codes and RX_BOTH.match(t) and s.pos > 0:  # "Båda kommunerna har ingått i ..."
            named = municipality_list(ctx.sents[s.pos - 1].text)
            codes = named if len(named) == 2 else []
        if not codes and own and (RX_SELF.search(t) or not RX_PLURAL_CITIES.search(t)):
            codes = [own]
        if not codes and RX_PLURAL_CITIES.search(t) and s.pos + 1 < len(ctx.sents):
            nxt = ctx.sents[s.pos + 1]
            if nxt.block is s.block and re.search(r"\b(?:bland\s+(?:dem|andra|annat)|däribland|among\s+them|including)\b", nxt.text, re.I) \
                    and re.search(r"\b(?:nya|new)\b", t + " " + nxt.text, re.I):
                codes = municipality_list(nxt.text)
        if s.pos in twins:  # the twin joined earlier: this sentence dates only the other
            codes = [c for c in codes if c != twins[s.pos][1]]
        if not codes:
            continue
        ref = ctx.page.published_on
        ds = [d for d in find_dates(t, ref) if d.year_given or ref]
        if RX_SIGN.search(t) or RX_EVCD.search(t):
            # a signing sentence that also says "part of the initiative": its date is the signing's
            ds = [d for d in ds if RX_SINCE.search(t[max(0, d.start - 14) : d.start])]
        joined_on = sorted(ds, key=lambda d: abs(d.start - mm.start()))[0].value if ds else None
        joined_year = joined_on.year if joined_on else None
        ago = re.search(r"\bför\s+(ett|två|tre|fyra|fem|\d+)\s+år\s+sedan\b|\b(a|one|two|three|\d+)\s+years?\s+ago\b", t, re.I)
        if joined_year is None and ago and ref:
            n = ago.group(1) or ago.group(2)
            words = {"ett": 1, "a": 1, "one": 1, "två": 2, "two": 2, "tre": 3, "three": 3, "fyra": 4, "fem": 5}
            joined_year = ref.year - (int(n) if n.isdigit() else words.get(n.lower(), 1))
        if joined_year is None and not (RX_SIGN.search(t) or RX_EVCD.search(t)):
            ys = RX_JOIN_YEAR.findall(t)
            ys = [int(y) for y in ys if not re.search(rf"(?:till|by|mål\w*\s+\w+)\s+{y}", t) and y != "2030"]
            if ys:
                joined_year = ys[0]
        cohort = "pilot-2020" if RX_PIONEER.search(t) else (str(joined_year) if joined_year and joined_year >= 2021 else None)
        for code in codes:
            for ini in initiatives:
                out.append(Membership(code, ini, t, joined_on, joined_year, cohort if ini != "eu-mission-cities" else None))
    out = _dedupe(out, lambda m: (m.municipality_code, m.initiative_id, m.joined_on, m.joined_year, m.cohort))
    informed = {(m.municipality_code, m.initiative_id) for m in out if m.joined_on or m.joined_year or m.cohort}
    kept, seen = [], set()
    for m in out:
        key = (m.municipality_code, m.initiative_id)
        if not (m.joined_on or m.joined_year or m.cohort) and (key in informed or key in seen):
            continue
        seen.add(key)
        kept.append(m)
    return _with_twins(ctx, kept, twins)


RX_TWIN = re.compile(r"tvillingst(?:ad|äder)\w*|twin[\s-]+cit(?:y|ies)", re.IGNORECASE)
_RX_TWIN_BEFORE = re.compile(
    r"\s+(?:som|är|blir|blev|har\s+blivit|is|becomes|became|as)\s+(?:(?:vår|er|deras|dess|sin|ny|en|the|its|our|their|a|new)\s+)*$",
    re.IGNORECASE)
_RX_TWIN_OF = re.compile(r"\s+(?:till|åt|för|med|of|to|for|with)\s+$", re.IGNORECASE)
_RX_TWIN_POSSESSIVE = re.compile(r"(?:vår|er|deras|dess|sin|our|its|their)\s+$", re.IGNORECASE)


def twin_pair(text: str, own_code: str | None) -> tuple[str, str] | None:
    """(member, its twin city) from a sentence pairing two municipalities as "tvillingstäder". The
    twin is the complement: "Luleå är tvillingstad till Skellefteå", "Ale har fått Kungälv som
    tvillingstad", "vår tvillingstad Umeå", "Umeå blir vår tvillingstad"; the member is the other
    municipality named, else the page's own. None when the sentence names no direction ("A och B
    är tvillingstäder")."""
    t = RX_TWIN.search(text)
    if not t or re.match(r"tvillingstäder|twin[\s-]+cities", t.group(0), re.IGNORECASE):
        return None  # plural: a pair of equals
    # bare ambiguous names count here ("tvillingstad till Sala"): the wording places them
    munis = find_municipalities(text, own_code, strict=False)
    after = [m for m in munis if m.start >= t.end()]
    of = next((m for m in after if _RX_TWIN_OF.fullmatch(text[t.end():m.start] + " ")), None)
    twin = of.code if of else None
    if twin is None:  # "Kungälv som tvillingstad", "Umeå blir vår tvillingstad"
        before = [m for m in munis if m.end <= t.start() and _RX_TWIN_BEFORE.fullmatch(text[m.end:t.start()])]
        if before and (re.match(r"\s+(?:som|as)\s", text[before[-1].end:]) or _RX_TWIN_POSSESSIVE.search(text[:t.start()])):
            twin = before[-1].code
    if twin is None and after and re.fullmatch(r"\s*,?\s*", text[t.end():after[0].start]) \
            and (_RX_TWIN_POSSESSIVE.search(text[:t.start()]) or t.group(0).lower().endswith("en")):
        twin = after[0].code  # "vår tvillingstad Umeå", "tvillingstaden Umeå"
    if twin is None:
        return None
    others = list(dict.fromkeys(m.code for m in munis if m.code != twin))
    member = others[0] if len(others) == 1 else (own_code if not others else None)
    return (member, twin) if member and member != twin else None


def _with_twins(ctx: Ctx, memberships: list[Membership], twins: dict[int, tuple[str, str]]) -> list[Membership]:
    """Memberships of the Klimatneutrala städer 2030 initiative from twin-city sentences (`twins`:
    sentence number -> twin_pair): the newer member gets its twin, both are members (only on pages
    about the initiative)."""
    if not ctx.page_k2030 or ctx.page_lookalike:
        return memberships
    out = list(memberships)
    for pos, pair in twins.items():
        s = ctx.sents[pos]
        if RX_FUTURE_OR_NEG.search(s.text):
            continue
        for code, twin in (pair, (pair[1], None)):
            i = next((i for i, m in enumerate(out) if m.municipality_code == code and m.initiative_id == K2030_INITIATIVE), None)
            if i is None:
                out.append(Membership(code, K2030_INITIATIVE, s.text, twin_municipality_code=twin))
            elif twin and out[i].twin_municipality_code is None:  # evidence: both sentences
                evidence = out[i].evidence if s.text in out[i].evidence else f"{out[i].evidence} | {s.text}"
                out[i] = replace(out[i], twin_municipality_code=twin, evidence=evidence)
    return out


# ---- all ----------------------------------------------------------------------------------

def _dedupe(items, key):
    seen = set()
    out = []
    for x in items:
        k = key(x)
        if k in seen:
            continue
        seen.add(k)
        out.append(x)
    return out


def extract_facts(page: Page, own_code: str | None, is_viablecities: bool = False) -> Extraction:
    ctx = make_ctx(page, own_code, is_viablecities)
    return Extraction(
        title=page.title,
        published_on=page.published_on,
        language=page.language,
        signings=tuple(find_signings(ctx)),
        events=tuple(find_events(ctx) + find_launches(ctx)),
        roles=tuple(find_roles(ctx)),
        memberships=tuple(find_memberships(ctx)),
    )
