"""Memberships: a municipality in Klimatneutrala städer 2030 or the EU Mission, its intake and twin city.

Read from sentences that say a municipality is part of, joins or was selected for an initiative
("Eskilstuna ingår sedan 2021 i satsningen", "14 new cities are part of the initiative: A, B, ...",
"De nya städerna var A, B och C" after a sentence naming the initiative), with its members named,
pointed to by a group reference ("de nio pionjärstäderna"), or the page's own municipality; and
from lists of members under a heading that names the initiative ("The 23 cities in Climate
Neutral Cities 2030": "Wave 1 (since the start): ..."), tables of cities included. A
municipality has one membership per initiative on a page: what several sentences say of it is
merged. The intake (cohort) is "pilot-2020" for the first cities ("sedan starten",
"pionjärstäderna") and the joining year for the others; a twin city ("tvillingstad") goes on the
newer member's row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extractors.document import Document, Sent, municipality_list
from extractors.groups import (
    GROUP_NOUNS,
    cell_municipality,
    group_reference,
    page_groups,
    resolve_group,
)
from extractors.vocabulary import (
    K2030_INITIATIVE,
    RX_AGO,
    RX_AMONG,
    RX_ANNOUNCE,
    RX_BOTH,
    RX_CLAUSE_END,
    RX_EU_MEMBER,
    RX_INITIATIVE_EU,
    RX_INITIATIVE_K,
    RX_INTAKE_YEAR,
    RX_JOIN_YEAR,
    RX_LOOKALIKE,
    RX_MEMBER,
    RX_MEMBERS_HEADING,
    RX_MONTH,
    RX_NEW,
    RX_NOT_A_FACT,
    RX_ONE_OF,
    RX_PIONEER,
    RX_PLURAL_CITIES,
    RX_PROGRAMME_MEMBER,
    RX_RELATIVE_MEMBER,
    RX_RELATIVE_YEAR,
    RX_SELF,
    RX_SIGN,
    RX_SINCE,
    RX_TWIN,
)
from klimatkontrakt.core.model import Membership
from klimatkontrakt.normalise.dates import MONTHS, find_dates
from klimatkontrakt.normalise.municipalities import find_municipalities
from klimatkontrakt.normalise.patterns import literal_trie

EU_INITIATIVE = "eu-mission-cities"
_AMONG_WORDS = literal_trie(("bland", "däribland", "among", "including"))  # every RX_AMONG match holds one
_AGO_WORDS = {"ett": 1, "a": 1, "one": 1, "två": 2, "two": 2, "tre": 3, "three": 3, "fyra": 4, "fem": 5}


@dataclass
class _Member:
    """What a page says of one municipality's membership of one initiative, merged."""

    code: str
    initiative: str
    evidence: list[str] = field(default_factory=list)
    joined_on: date | None = None
    joined_year: int | None = None
    cohort: str | None = None
    twin: str | None = None

    def add(self, evidence: str, joined_on: date | None, joined_year: int | None, cohort: str | None) -> None:
        if not any(evidence in e for e in self.evidence):
            self.evidence = [e for e in self.evidence if e not in evidence] + [evidence]
        # the earliest date and year stated; the first intake when any sentence says so
        self.joined_on = min(filter(None, (self.joined_on, joined_on)), default=None)
        years = [y for y in (self.joined_year, joined_year, joined_on.year if joined_on else None) if y]
        self.joined_year = min(years, default=None)
        self.cohort = "pilot-2020" if "pilot-2020" in (self.cohort, cohort) else self.cohort or cohort


def find_memberships(doc: Document) -> list[Membership]:
    members: dict[tuple[str, str], _Member] = {}

    def add(code: str, initiative: str, evidence: str, joined_on=None, joined_year=None, cohort=None) -> _Member:
        m = members.setdefault((code, initiative), _Member(code, initiative))
        m.add(evidence, joined_on, joined_year, cohort if initiative == K2030_INITIATIVE else None)
        return m

    for s in doc.sents:
        reading = _read(doc, s)
        if reading is None:
            continue
        initiatives, codes, evidence = reading
        joined_on, joined_year, cohort = _when(doc, s)
        prev = doc.previous(s)
        if joined_on is None and joined_year is None and cohort is None and prev is not None and prev.text in evidence:
            joined_on, joined_year, prev_cohort = _when(doc, prev)  # "Den 2 oktober gick elva med. Bland dem finns A."
            cohort = cohort or prev_cohort
        whens = _clause_whens(doc, s)
        for code in codes:
            for initiative in initiatives:
                add(code, initiative, evidence, *whens.get(code, (joined_on, joined_year, cohort)))
    for code, twin, evidence in _twin_lists(doc):
        add(twin, K2030_INITIATIVE, evidence)
        member = add(code, K2030_INITIATIVE, evidence)
        member.twin = member.twin or twin
    for codes, initiative, evidence, joined_on, joined_year, cohort in _member_lists(doc):
        for code in codes:
            add(code, initiative, evidence, joined_on, joined_year, cohort)
    for code, evidence, year, cohort, twin in _member_tables(doc):
        member = add(code, K2030_INITIATIVE, evidence, None, year, cohort)
        member.twin = member.twin or twin
    for s in doc.sents:  # "Uppsala, som har varit med i satsningen sedan starten"
        if "membership" in s.triggers:
            for m in RX_RELATIVE_MEMBER.finditer(s.text):
                code = next((x.code for x in find_municipalities(m.group("city"), s.city_code or doc.own_code)), None)
                prev = doc.previous(s)
                initiatives = _initiatives(doc, s, m.group(0)) or _initiatives(doc, s, s.text) or \
                    (_initiatives(doc, prev, prev.text) if prev is not None and prev.block is s.block else [])
                if code and initiatives:  # "..., som har varit med sedan starten": the initiative named just before
                    joined_on, joined_year, cohort = _when(doc, s, m.group(0))
                    add(code, initiatives[0], s.text, joined_on, joined_year, cohort)
    if doc.about_k2030 and not doc.about_lookalike:
        for s in doc.sents:
            if "membership" not in s.triggers or not RX_TWIN.search(s.text) or RX_NOT_A_FACT.search(s.text) \
                    or (re.search(r"NetZeroCities|EU:s\s+mission|EU\s+Mission", s.text, re.I)
                        and not re.search(r"Klimatneutrala\s+städer\s*2030|Climate[-\s]Neutral\s+Cities\s*2030", s.text, re.I)):
                continue  # a twinning in another programme
            pair = _twin_of(s.text, s.city_code or doc.own_code)
            if pair is None:
                continue
            newer, twin = pair
            joined_on, joined_year, cohort = _when(doc, s)
            add(twin, K2030_INITIATIVE, s.text)
            member = add(newer, K2030_INITIATIVE, s.text, joined_on, joined_year, cohort if cohort != "pilot-2020" else None)
            member.twin = member.twin or twin
    _orient_twins(members)
    return [Membership(m.code, m.initiative, " | ".join(m.evidence), m.joined_on, m.joined_year, m.cohort, m.twin)
            for m in members.values()]


def _orient_twins(members: dict[tuple[str, str], _Member]) -> None:
    """The twin goes on the newer member's row: when the page says the member joined before its
    twin ("sedan starten", an earlier year), the wording had them the other way round."""
    for m in list(members.values()):
        other = members.get((m.twin, m.initiative)) if m.twin else None
        if other is None or other.twin:
            continue
        if _joined_before(m, other):
            other.twin, m.twin = m.code, None


def _joined_before(a: _Member, b: _Member) -> bool:
    if a.cohort == "pilot-2020" and b.cohort != "pilot-2020":
        return True
    return bool(a.joined_year and b.joined_year and a.joined_year < b.joined_year)




def _initiatives(doc: Document, s: Sent, text: str) -> list[str]:
    """The initiatives a text names as something to be a member of: Klimatneutrala städer 2030
    ("satsningen", "the initiative"), the EU Mission when selection or membership is said of it
    (not a programme run within it, such as a NetZeroCities twinning)."""
    found = []
    if RX_INITIATIVE_K.search(text) and not RX_PROGRAMME_MEMBER.search(text) and \
            re.search(r"Klimatneutrala\s+städer|Climate[-\s]Neutral\s+Cities|satsning|the\s+initiative|initiativ|2030-städer",
                      text, re.I):
        found.append(K2030_INITIATIVE)
    if RX_INITIATIVE_EU.search(text) and RX_EU_MEMBER.search(text):
        found.append(EU_INITIATIVE)
    return found




def _read(doc: Document, s: Sent) -> tuple[list[str], list[str], str] | None:
    """(initiatives, members, evidence) of a sentence stating memberships, else None."""
    t = s.text
    named = "membership" in s.triggers and (RX_INITIATIVE_K.search(t) or RX_INITIATIVE_EU.search(t))
    if not named:  # names no initiative: lists names or a group after a sentence or heading that
        # does, or names the newcomers or pioneers on a contract page (cheap: most sentences)
        low = t.lower()
        grouped = GROUP_NOUNS.search(low)
        if t.count(",") < 2 and not grouped and not _AMONG_WORDS.search(low):
            return None
        if not _after_the_initiative(doc, s) and not (grouped and _qualified_group(doc, t)):
            return None
    mm = RX_MEMBER.search(t)
    if not mm:
        return None
    end = len(t)
    for boundary in RX_CLAUSE_END.finditer(t):
        if boundary.start() > mm.end():
            end = boundary.start()
            break
    clause = t[:end]
    if RX_NOT_A_FACT.search(clause) or RX_ANNOUNCE.search(clause) or RX_LOOKALIKE.search(t) or t.rstrip().endswith("?") \
            or re.search(r"\binte\s+(?:\w+\s+)?(?:med|en\s+av|del|part|member)|\bnot\s+(?:\w+\s+)?(?:part|a\s+member|one)|"
                         r"\b(?:ingen|inget|inga|heller|no)\s+(?:\w+\s+){0,2}?(?:plats|medlem\w*|del|place|member\w*)\b|"
                         r"\b(?:valdes|blev|kom|was|were)\s+(?:\w+\s+)?(?:inte|ej|not)\b", t, re.I):
        return None
    initiatives = _initiatives(doc, s, t)
    evidence = t
    if not initiatives:  # "De nya städerna var A, B och C." after a sentence or heading naming the initiative
        prev = doc.previous(s)
        if prev is not None and (prev.block is s.block or prev.block.index == s.block.index - 1) \
                and not RX_NOT_A_FACT.search(prev.text) and RX_MEMBER.search(prev.text):
            initiatives = _initiatives(doc, prev, prev.text)
            evidence = f"{prev.text} {t}"
        if not initiatives and s.headings and RX_NEW.search(t):
            initiatives = _initiatives(doc, s, s.headings[0])
        if not initiatives and _qualified_group(doc, clause):
            initiatives = [K2030_INITIATIVE]  # "De nya kommunerna ansluter den 1 december" on a page about the contract
        if not initiatives:
            return None
    own = s.city_code or doc.own_code
    codes = [m.code for m in find_municipalities(clause, own)
             if not re.search(r"(?:i|in|på|at|till|to|från|from)\s+$", clause[max(0, m.start - 6):m.start], re.I)
             or re.search(r"(?:ordförande|råd\w*)\s+i\s+$", clause[max(0, m.start - 20):m.start])]
    codes = list(dict.fromkeys(codes))
    twin = _twin_of(t, own)
    if twin is not None:
        codes = [c for c in codes if c != twin[1]] or codes  # the twin's own membership comes from its pair
    if not codes and RX_BOTH.match(t) and doc.previous(s) is not None:  # "Båda kommunerna har ingått i ..."
        named = municipality_list(doc.previous(s).text)
        codes = named if len(named) == 2 else []
    group = group_reference(clause)
    one_of = bool(RX_ONE_OF.search(clause) and codes)  # "Lund är en av de nio": Lund, and the nine if a fact box lists them
    if group is not None and re.search(r"\bfrån\s+\w+\s+till\s+\w+\s+(?:städer|kommuner)|\bfrom\s+\w+\s+to\s+\w+\s+(?:cities|municipalities)",
                                       clause, re.I):
        group = None  # "växte från nio till 23 städer": a count, not a list
    if group is not None and len(codes) < 3:
        resolved = resolve_group(doc, s, group)
        if resolved is not None and (resolved.items or not one_of):
            codes += [c for c in resolved.codes if c not in codes]
            if resolved.pos != s.pos:
                evidence = f"{evidence} {resolved.text}"
    nxt = doc.following(s)
    if not codes and group is not None and nxt is not None and nxt.block is s.block and RX_AMONG.search(nxt.text):
        codes = municipality_list(nxt.text)  # "Den 2 oktober gick elva nya kommuner med. Bland dem finns A, B och C."
        evidence = f"{evidence} {nxt.text}"
    unresolved = group is not None and not codes
    if not codes and own and (group is None or unresolved and RX_SELF.search(clause)) \
            and (RX_SELF.search(t) or not RX_PLURAL_CITIES.search(t)):
        codes = [own]
    if not codes and not own and RX_SELF.search(clause[:40]) and doc.previous(s) is not None:
        named = municipality_list(doc.previous(s).text)  # "Malmö finns med i båda. Staden är en av de nio ..."
        codes = named if len(named) == 1 else []
    return (initiatives, codes, evidence) if codes else None


def _qualified_group(doc: Document, text: str) -> bool:
    """The initiative's newcomers or pioneers as a group ("de nya kommunerna", "the pioneer
    cities") on a page about Klimatkontrakt 2030: the initiative goes without saying."""
    if not doc.about_k2030 or doc.about_lookalike:
        return False
    ref = group_reference(text)
    return ref is not None and ref.qualifier in ("pioneer", "new")


def _twin_of(text: str, own: str | None) -> tuple[str, str] | None:
    """twin_pair, and the genitive form: "A blir Bs tvillingstad" (B is A's twin)."""
    pair = twin_pair(text, own)
    if pair is not None or not RX_TWIN.search(text):
        return pair
    for m in find_municipalities(text, own, strict=False):
        if re.match(r"s?\s+tvillingstad\b", text[m.end - 1 if text[m.end - 1] == "s" else m.end:]) and text[m.start:m.end].endswith("s"):
            others = [x.code for x in find_municipalities(text, own) if x.code != m.code]
            if others:
                return others[0], m.code
    return None


def _after_the_initiative(doc: Document, s: Sent) -> bool:
    """Whether the sentence follows a sentence, or sits under a heading, that names an initiative
    ("De nya städerna var A, B och C" after it)."""
    prev = doc.previous(s)
    if prev is not None and "membership" in prev.triggers and (RX_INITIATIVE_K.search(prev.text)
                                                               or RX_INITIATIVE_EU.search(prev.text)):
        return True
    return bool(s.headings) and "membership" in doc.triggers(s.headings[0])


def _when(doc: Document, s: Sent, text: str | None = None) -> tuple[date | None, int | None, str | None]:
    """(joined_on, joined_year, cohort) a membership sentence (or a part of it) states."""
    t = s.text if text is None else text
    if text is None:
        t = RX_RELATIVE_MEMBER.sub(lambda m: m.group("city"), t)  # "..., som har varit med sedan starten" is the other's
    ref = doc.page.published_on
    signing = bool(RX_SIGN.search(t))
    dates = [d for d in (doc.dates(s) if t == s.text else find_dates(t, ref)) if not d.relative and (d.year_given or ref)]
    if signing:  # a signing sentence that also says "part of the initiative": its date is the signing's,
        # unless it follows "sedan" or the membership verb ("the cities that joined the initiative on 1 October")
        member = RX_MEMBER.search(t)
        dates = [d for d in dates if RX_SINCE.search(t[max(0, d.start - 14):d.start])
                 or (member and 0 <= d.start - member.end() <= 40 and not RX_SIGN.search(t[member.end():d.start]))]
    joined_on = dates[0].value if dates else None
    year = joined_on.year if joined_on else None
    if year is None:
        years = [int(m.group("y")) for m in RX_JOIN_YEAR.finditer(t) if m.group("y") != "2030"
                 and not re.search(rf"(?:till|by|mål\w*\s+\w+|år)\s+{m.group('y')}", t)
                 and (not signing or re.match(r"(?:sedan|since|starten|från)", m.group(0), re.I))]
        year = years[0] if years else None
    if year is None:
        intake = RX_INTAKE_YEAR.search(t)
        year = int(intake.group("y") or intake.group("y2")) if intake else None
    if year is None and ref:
        rel, ago, month = RX_RELATIVE_YEAR.search(t), RX_AGO.search(t), RX_MONTH.search(t)
        if rel:
            year = ref.year if rel.group("this") else ref.year - 1
        elif ago:
            n = ago.group(1) or ago.group(2)
            year = ref.year - (int(n) if n.isdigit() else _AGO_WORDS.get(n.lower(), 1))
        elif month and not signing:
            year = ref.year if MONTHS[month.group("m").lower()] <= ref.month else ref.year - 1
    if RX_PIONEER.search(t):
        return joined_on, year, "pilot-2020"
    cohort = str(year) if year and year >= 2021 and (RX_NEW.search(t) or RX_MEMBER.search(t)) else None
    return joined_on, year, cohort


def _member_lists(doc: Document):
    """Members listed under a heading or an intro naming the initiative: lines of names ("Wave 1
    (since the start): A, B, C"), list items or table cells each naming one municipality."""
    if not any("membership" in doc.triggers(b.text) for b in doc.page.blocks
               if b.is_heading or (len(b.text) < 300 and b.text.rstrip().endswith(":"))):
        return  # no heading or intro names an initiative: no list of its members (cheap: most pages)
    for group in page_groups(doc):
        first = doc.sents[group.pos]
        if group.union or _read(doc, first) is not None or (not group.items and not _names_only(group.text)):
            continue  # a sentence: read by _read; prose naming cities is no list of members
        context = " ".join((doc.intro(first.block), *first.headings[:2]))
        named = _members_named(doc, first)
        initiatives = _initiatives(doc, first, context) or named
        if not initiatives or not (named or RX_MEMBERS_HEADING.search(context) or RX_NEW.search(context)) \
                or RX_NOT_A_FACT.search(context) \
                or RX_SIGN.search(first.headings[0] if first.headings else "") or RX_SIGN.search(doc.intro(first.block)):
            continue
        label = group.text.split(":")[0] if ":" in group.text[:80] else ""
        heading_words = f"{label} {context}"
        joined_on, year, cohort = _when(doc, first)
        heading_dates = [d for h in first.headings[:1] for d in find_dates(h) if d.year_given]
        if joined_on is None and heading_dates:
            joined_on = heading_dates[0].value
            year = year or joined_on.year
            cohort = cohort or (str(year) if year >= 2021 else None)
        if cohort is None:
            years = [int(y) for y in RX_JOIN_YEAR.findall(heading_words) if y != "2030"]
            year = year or (years[0] if years else None)
            cohort = "pilot-2020" if RX_PIONEER.search(label) or named and RX_PIONEER.search(first.headings[0]) \
                else (str(year) if year and year >= 2021 else None)
        members = [c for c in group.codes if not _not_member(doc, c, group)]
        yield members, initiatives[0], f"{first.headings[0] if first.headings else context}: {group.text}", joined_on, year, cohort


def _member_tables(doc: Document):
    """(code, evidence, joined year, cohort, twin) of each municipality in a table of the
    initiative's members: a column of members (new ones when the heading says so), a column of
    their twin cities ("Tvillingstad"), a column of the year one of them joined ("Med sedan",
    "2020 (pionjärstad)"): one row per member."""
    for rows in doc.tables().values():
        if len(rows) < 2:
            continue
        header = rows[min(rows)]
        if not all(b.tag == "th" for b in header.values()):
            continue
        first = next(b for row in rows.values() for b in row.values() if b.tag == "td")
        sent = doc.first_sentence(first)
        context = " ".join((doc.intro(first), *(sent.headings if sent else ())))
        if not (doc.about_k2030 and (RX_INITIATIVE_K.search(context) or RX_NEW.search(context)
                                     or RX_TWIN.search(context))) or RX_NOT_A_FACT.search(context):
            continue
        names = {col: b.text for col, b in header.items()}
        twin_col = next((c for c, t in names.items() if RX_TWIN.search(t)), None)
        year_col = next((c for c, t in names.items() if re.search(r"sedan|since|år\b|year|intag|omgång|cohort|vågen",
                                                                   t, re.I)), None)
        year_is_twins = year_col is not None and bool(RX_TWIN.search(names[year_col]))
        new = bool(RX_NEW.search(context))
        published = doc.page.published_on
        for r, row in sorted(rows.items()):
            if r == min(rows):
                continue
            cells = [row[c] for c in sorted(row) if c not in (twin_col, year_col)]
            member = next((code for b in cells if (code := cell_municipality(b.text))), None)
            twin = cell_municipality(row[twin_col].text) if twin_col in row else None
            year_text = row[year_col].text if year_col in row else ""
            year = int(y.group()) if (y := re.search(r"(?:19|20)\d\d", year_text)) else None
            cohort = ("pilot-2020" if re.search(r"pionjär|pioneer", year_text, re.I) or (year and year <= 2020)
                      else str(year) if year else None)
            evidence = f"{context.strip()}: " + " | ".join(b.text for _, b in sorted(row.items()))
            if member is None:
                continue
            if year_is_twins:
                if twin:
                    yield twin, evidence, year, cohort, None
                year = published.year if new and published else None
                cohort = str(year) if year else None
            yield member, evidence, year, cohort, twin


_RX_CONTRAST = re.compile(r",?\s+(?:medan|whereas|while)\s+|;\s+", re.IGNORECASE)


def _clause_whens(doc: Document, s: Sent) -> dict[str, tuple]:
    """Each municipality's (joined_on, joined_year, cohort) from its own clause when the
    sentence contrasts members: "A har varit med sedan starten, medan B kom in 2021"."""
    parts = _RX_CONTRAST.split(s.text)
    if len(parts) < 2:
        return {}
    own = s.city_code or doc.own_code
    return {m.code: _when(doc, s, part) for part in parts for m in find_municipalities(part, own)}


def _twin_lists(doc: Document):
    """(newcomer, twin, evidence) from list items pairing two municipalities under a heading or
    intro about twin cities ("Håbo krokar arm med Uppsala"): the first named is the newcomer
    (_orient_twins turns the pair when the page says otherwise)."""
    if not doc.about_k2030 or doc.about_lookalike:
        return
    for b in doc.page.blocks:
        first = doc.first_sentence(b) if b.tag == "li" else None
        if first is None:
            continue
        context = " ".join((doc.intro(b), *first.headings[:1]))
        if not RX_TWIN.search(context) or RX_NOT_A_FACT.search(context):
            continue
        codes = list(dict.fromkeys((cell_municipality(b.text), *(m.code for m in find_municipalities(b.text)))))
        if len(codes) == 2 and codes[0]:
            yield codes[0], codes[1], f"{context}: {b.text}"


def _members_named(doc: Document, first: Sent) -> list[str]:
    """A heading naming the listed as the initiative's pioneers or newcomers ("de nio
    pionjärkommunerna", "de fjorton nya kommunerna") on a page about Klimatkontrakt 2030."""
    ref = group_reference(first.headings[0]) if first.headings and doc.about_k2030 else None
    return [K2030_INITIATIVE] if ref is not None and ref.qualifier in ("pioneer", "new") else []


def _names_only(text: str) -> bool:
    """A line that is a list of names ("Wave 1 (since the start): A, B och C"), not prose about them."""
    rest = text.split(":", 1)[1] if ":" in text[:80] else text
    for m in reversed(find_municipalities(rest)):
        rest = rest[:m.start] + rest[m.end:]
    return len(re.findall(r"[A-Za-zÅÄÖåäö]{3,}", re.sub(r"\b(?:och|and|samt|kommun|stad)\b", " ", rest))) <= 3


def _not_member(doc: Document, code: str, group) -> bool:
    """A footnote or remark that takes one of the listed out ("Sala är ännu inte medlem")."""
    for s in doc.sents[group.pos:]:
        if re.search(r"\b(?:inte|ej|not)\b", s.text) and any(m.code == code for m in find_municipalities(s.text)) \
                and re.search(r"\b(?:medlem|med\s+i|ingår|member|part\s+of)\b", s.text, re.I):
            return True
    return False


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
