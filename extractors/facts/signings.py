"""Signings: who signed which contract when, one row per party.

A page states signings three ways, and each has its reader here:
- a sentence reports or announces one (`statements`): "Fredag den 6 december skrev
  kommunstyrelsens ordförande Eva Berg (S) under Klimatkontrakt 2030", "signerades av de nya
  städerna", "skriver under på torsdag"; its parties are named in it, in a list it points to
  ("tillsammans med sex myndigheter:", a footnote "*", "Kommunerna är: ..."), by a group
  reference resolved against a list of the page ("de nio städerna", "the 23 cities"), or are the
  page's own municipality ("kommunen", "vi", a municipal page's sentence without another party);
- a block of signing parties ("Signerande parter", "Kommuner: A, B och C") (`party_blocks`);
- a list of the signed documents, one link per party ("Ystads klimatkontrakt") under a heading
  that names the contract or its version (`document_lists`).

The signing's date, version and whether it is reported, announced or listed come from the
sentence, its neighbours, its headings, and then the page: statements about one signing occasion
(a page, or one year section of it) share the date and version one of them states (`_occasions`).
A party's own date (a chair who signed afterwards) stays its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from extractors.common import normalise_ws
from extractors.document import (
    NUMBER_WORDS,
    Document,
    Sent,
    dedupe,
    group_reference,
    neighbours,
    resolve_group,
)
from extractors.facts.vocabulary import (
    EU_CCC,
    EU_LABEL,
    K2030,
    LOI,
    RX_ANNOUNCE,
    RX_AWARD,
    RX_AWARDED,
    RX_CLAUSE,
    RX_CONTRACT_WORD,
    RX_DOCUMENT_ITEM,
    RX_EU_CCC,
    RX_EU_CONTEXT,
    RX_EU_LABEL,
    RX_EVCD,
    RX_FUTURE_TIME,
    RX_GENERIC_PASSIVE,
    RX_K2030_CONTEXT,
    RX_K2030_EXPLICIT,
    RX_LOI,
    RX_LOOKALIKE,
    RX_NOT_A_FACT,
    RX_PARTIES_LABEL,
    RX_PARTY_LINE,
    RX_PLURAL_CITIES,
    RX_QUOTE_START,
    RX_SAME_DAY,
    RX_SELF,
    RX_SIGN,
    RX_SIGN_PAST,
    RX_SIGN_PRESENT,
    RX_SINCE,
    RX_VERSION,
)
from klimatkontrakt.model import Signing
from klimatkontrakt.normalise.agencies import find_agencies, resolve_agency
from klimatkontrakt.normalise.dates import DateMatch, find_dates
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    resolve_municipality,
)

REPORTED, ANNOUNCED, LISTED = "reported", "announced", "listed"


@dataclass
class Statement:
    """One reading of a signing: its parties and what the text gives of its date and version."""

    contract: str
    munis: list[str]
    orgs: list[str]
    evidence: str
    stated_as: str
    signed_on: date | None = None
    version: str | None = None
    event: str | None = None
    occasion: int = 0  # statements of one occasion share a date and a version
    own_date: bool = False  # the date is this statement's own (written in its sentence)
    at_event: bool = False  # the sentence names European Viable Cities Day
    generic: bool = False  # "Kontraktet tecknas mellan ...": a signing only when the occasion has a day
    past: bool = False  # written in a past tense
    dated_by: bool = False  # its day came from another statement of the occasion


# ---- which contract a sentence signs -------------------------------------------------------

def classify(doc: Document, s: Sent) -> str | None:
    """The contract a sentence reports signing (or an EU Mission Label awarded), else None."""
    t = s.text
    if "eu-label" in s.triggers and RX_EU_LABEL.search(t) and RX_AWARD.search(t) \
            and RX_EU_CONTEXT.search(t + " " + (s.heading or "")) and not RX_K2030_EXPLICIT.search(t):
        return EU_LABEL
    if "signing" not in s.triggers or not RX_SIGN.search(t):
        return None
    explicit = RX_K2030_EXPLICIT.search(t)
    if RX_LOOKALIKE.search(t) and not explicit and not re.search(r"Viable\s+Cities|Klimatneutrala\s+städer", t, re.I):
        return None
    if RX_LOI.search(t):
        near = neighbours(doc, s, 3, 1)
        if RX_K2030_CONTEXT.search(near) or (doc.about_k2030 and not doc.about_lookalike):
            return LOI
        return None
    if RX_EU_CCC.search(t) and not explicit:
        if RX_EU_CONTEXT.search(neighbours(doc, s, 2, 1)):
            return EU_CCC
        return None
    if explicit:
        return K2030
    before = neighbours(doc, s, 2, 0)
    anaphora = re.search(r"\bversion(?:en)?\b|första\s+gången|\bdet\b|\bden\b", t, re.I) and RX_K2030_CONTEXT.search(before)
    # "På nationell nivå skriver generaldirektörerna för ... under": the contract of the sentences before
    elliptic = doc.about_k2030 and (RX_K2030_EXPLICIT.search(before) or RX_CONTRACT_WORD.search(before)
                                    or (version_of(t) and not doc.about_lookalike))
    if RX_CONTRACT_WORD.search(t) or anaphora or elliptic:
        near = neighbours(doc, s, 3, 1)
        if RX_LOOKALIKE.search(near) and not RX_K2030_CONTEXT.search(t):
            return None
        if RX_EU_CCC.search(near) and not RX_K2030_CONTEXT.search(near):
            return None
        if RX_K2030_CONTEXT.search(near) or (doc.about_k2030 and not doc.about_lookalike):
            return K2030
    return None


def modality(doc: Document, s: Sent, signed_on: date | None, text: str | None = None) -> str | None:
    """reported | announced for a sentence (or clause) that states a signing; None for a
    conditional, a negation, a hope or plan, a habit or a question ("kan få", "har ännu inte",
    "hoppas", "varje år"), which state none."""
    t = s.text if text is None else text
    if RX_NOT_A_FACT.search(t) or s.text.rstrip().endswith("?"):
        return None
    if RX_EU_LABEL.search(t) and RX_AWARD.search(t) and not RX_AWARDED.search(t) and signed_on is None:
        return None  # "Städer vars kontrakt godkänns får EU:s Mission Label": how it is awarded
    if RX_ANNOUNCE.search(t):
        return ANNOUNCED
    published = doc.page.published_on
    if signed_on and published and signed_on > published and not RX_SIGN_PAST.search(t):
        return ANNOUNCED  # "skriver under på torsdag": a present tense for a day still to come
    if signed_on is None and RX_SIGN_PRESENT.search(t) and RX_FUTURE_TIME.search(t) and not RX_SIGN_PAST.search(t):
        return ANNOUNCED  # "skriver under ... i december" on a page of October
    return REPORTED


# ---- who signed ------------------------------------------------------------------------------

# where something happened, not who signed: "på European Viable Cities Day i Stockholm", "held in Umeå"
RX_VENUE_BEFORE = re.compile(
    r"(?:Day|dagen|stadshus\w*|konferens\w*|mötet|ett\s+möte|evenemang\w*|ceremoni\w*|samlades|samlas|hölls|hålls|"
    r"skedde|sker|ägde\s+rum|äger\s+rum|took\s+place|takes\s+place|held|event|arrangerades|arrangeras|träffen|"
    r"reste|åkte|travell?ed|gathered|samlade|under|på|at|in|i)\s+(?:\w+\s+){0,3}?(?:i|in|på|at|till|to)\s+$",
    re.IGNORECASE,
)
# a place preposition right before a name: "i Stockholm", "in Brussels" (a venue), unless a role
# title precedes it ("kommunstyrelsens ordförande i Kalmar" signs for Kalmar)
RX_PLACE_BEFORE = re.compile(r"(?:^|[\s,])(?:i|in|på|at|till|to|från|from)\s+$", re.IGNORECASE)
RX_ROLE_BEFORE_PLACE = re.compile(
    r"(?:ordförande|ordföranden|kommunalråd\w*|borgarråd\w*|chair\w*|mayor|commissioner|kommundirektör\w*|"
    r"stadsdirektör\w*|ledning\w*|företrädare|representant\w*)\s+(?:\w+\s+)?(?:i|in|för|of)\s+$",
    re.IGNORECASE,
)
RX_VIABLE_PARTY = re.compile(
    r"(?:\boch|\band|\bsamt|\bmed|\bwith|\bav|\bby|\bliksom|\bas\s+well\s+as|,|:|^)\s+(?:även\s+|också\s+)?(?:det\s+\w+\s+)?(?:programmet\s+|"
    r"innovationsprogrammet\s+|the\s+)?Viable\s+Cities\b(?!\s*(?:s\b|’|'|satsning|program|initiativ|Day))|"
    r"^(?:Även\s+|Också\s+)?Viable\s+Cities\s+(?:skrev|signerade|undertecknade|har|signed|also)",
    re.IGNORECASE,
)
RX_LIST_FOLLOWS = re.compile(r"(?:myndigheter\w*|agencies|parter\w*|parties|kommuner\w*|städer\w*|cities|"
                             r"municipalities|följande|following)\s*\*?\s*:\s*$", re.IGNORECASE)
RX_FOOTNOTE_MARK = re.compile(r"(?:myndigheter\w*|agencies|parter\w*)\s*(\*+|\d)(?=[\s,.;:)]|$)", re.IGNORECASE)


def parties_in(doc: Document, s: Sent, text: str | None = None) -> tuple[list[str], list[str]]:
    """(municipality codes, organisation ids) a sentence names as signing parties."""
    t = s.text if text is None else text
    own = s.city_code or doc.own_code
    munis: list[str] = []
    for m in find_municipalities(t, own):
        before = t[max(0, m.start - 80):m.start]
        if m.code in munis or RX_VENUE_BEFORE.search(before):
            continue
        if RX_PLACE_BEFORE.search(before) and not RX_ROLE_BEFORE_PLACE.search(before):
            continue
        munis.append(m.code)
    orgs: list[str] = []
    for a in find_agencies(t):
        if a.organisation_id not in orgs:
            orgs.append(a.organisation_id)
    if "viable-cities" in orgs and not RX_VIABLE_PARTY.search(t):
        orgs.remove("viable-cities")
    return munis, orgs


def _listed_after(doc: Document, s: Sent) -> tuple[list[str], list[str], str]:
    """Parties in the list a sentence points to: the list items or "Namn:" lines right after a
    sentence ending in "myndigheter:", or the footnote that a mark ("sex myndigheter*") refers to."""
    munis: list[str] = []
    orgs: list[str] = []
    texts: list[str] = []
    blocks = doc.page.blocks
    if RX_LIST_FOLLOWS.search(s.text):
        i = s.block.index + 1
        while i < len(blocks) and not blocks[i].is_heading and len(blocks[i].text) <= 160:
            code, org = resolve_party(blocks[i].text)
            if not (code or org):
                break
            (munis if code else orgs).append(code or org)
            texts.append(blocks[i].text)
            i += 1
    mark = RX_FOOTNOTE_MARK.search(s.text)
    if mark:
        for b in blocks[s.block.index + 1:]:
            if b.text.startswith(mark.group(1)) and not b.text.startswith(mark.group(1) * 2 if len(mark.group(1)) == 1 else "\0"):
                orgs += [a.organisation_id for a in find_agencies(b.text) if a.organisation_id not in orgs]
                texts.append(b.text)
                break
    return munis, orgs, " ".join(texts)


def _parties(doc: Document, s: Sent, text: str) -> tuple[list[str], list[str], str]:
    """Parties of a signing sentence (or one clause of it) with the extra evidence they came from."""
    munis, orgs = parties_in(doc, s, text)
    extra: list[str] = []
    group = group_reference(text)
    if group is not None and munis and RX_ONE_OF.search(text):
        group = None  # "Enköping är en av de nio kommunerna som ...": Enköping
    agencies = RX_AGENCY_GROUP.search(text)
    if agencies and len(orgs) < 2:
        listed = _agency_list(doc, s, agencies)
        if listed:
            orgs += [o for o in listed[0] if o not in orgs]
            extra.append(listed[1])
    if group is not None:
        resolved = resolve_group(doc, s, group)
        if resolved is not None:
            munis += [c for c in resolved.codes if c not in munis]
            if resolved.pos != s.pos:
                extra.append(resolved.text)
    listed_munis, listed_orgs, listed_text = _listed_after(doc, s)
    if listed_text:
        munis += [c for c in listed_munis if c not in munis]
        orgs += [o for o in listed_orgs if o not in orgs]
        extra.append(listed_text)
    if not munis and group is None and RX_PRONOUN_SUBJECT.search(text):
        for prev in reversed(doc.sents[max(0, s.pos - 2):s.pos]):  # "De nio ... Den 11 december undertecknade de ..."
            named = parties_in(doc, prev)[0]
            if len(named) >= 2:
                munis, group = named, prev
                extra.append(prev.text)
                break
    own = s.city_code or doc.own_code
    if not munis and own and group is None:
        if RX_SELF.search(text) or not RX_PLURAL_CITIES.search(text):
            munis = [own]
    return munis, orgs, " ".join([s.text, *extra])


# "they" as the signer: the municipalities of the sentence before
RX_PRONOUN_SUBJECT = re.compile(
    r"^(?:Samtliga|Alla|Båda|All\s+of\s+them|Both)\b|"
    r"\b(?:de|dessa|they|these)\s+(?:har|hade|skrev|signerade|undertecknade|tecknade|förnyade|ska|kommer|will|have|had|"
    r"signed|also|även|också|var|were|are|är)\b|"
    r"\b(?:skrev|signerade|undertecknade|tecknade|förnyade|signed|har|hade)\s+(?:de|dessa|they)\b",
)


RX_ONE_OF = re.compile(r"\b(?:är|blev|var|har\s+varit)\s+(?:[\w,]+\s+){0,5}?en\s+av\s+de\b|\b(?:is|was|has\s+been)\s+one\s+of\s+the\b",
                       re.IGNORECASE)
# "de sex myndigheterna", "the six government agencies": the agencies a list on the page names
RX_AGENCY_GROUP = re.compile(
    r"\b(?:de|the|alla|all)\s+(?P<n>\d|fyra|fem|sex|four|five|six)\s+(?:statliga\s+|government\s+|national\s+)?"
    r"(?:myndigheterna|agencies)\b", re.IGNORECASE)


def _agency_list(doc: Document, s: Sent, ref: re.Match) -> tuple[list[str], str] | None:
    """The nearest block of the page that names as many agencies as the reference counts."""
    n = ref.group("n")
    count = int(n) if n.isdigit() else NUMBER_WORDS[n.lower()]
    best = None
    for b in doc.page.blocks:
        found = list(dict.fromkeys(a.organisation_id for a in find_agencies(b.text) if a.organisation_id != "viable-cities"))
        if len(found) == count:
            distance = abs(b.index - s.block.index)
            if best is None or distance < best[0]:
                best = (distance, found, b.text)
    return (best[1], best[2]) if best else None


# ---- when, which version -----------------------------------------------------------------------

def _dates(doc: Document, s: Sent) -> list[DateMatch]:
    """The sentence's dates (relative ones resolved), except those after "sedan"/"from"."""
    return [d for d in doc.dates(s) if not RX_SINCE.search(s.text[max(0, d.start - 14):d.start])]


def _signed_on(doc: Document, s: Sent) -> tuple[date | None, bool, Sent | None]:
    """(date, whether the sentence itself writes it, the neighbour that does): the date nearest
    the signing verb, else one in the previous sentence of the block or the next ("Det skedde på
    European Viable Cities Day den 8 december."), else the sentence's headings."""
    verb = RX_SIGN.search(s.text) or RX_AWARD.search(s.text)
    anchor = verb.start() if verb else 0
    found = sorted(_dates(doc, s), key=lambda d: abs(d.start - anchor))
    if found:
        return found[0].value, True, None
    for other in (doc.previous(s), doc.following(s)):
        if other is not None and other.block is s.block and not RX_SIGN.search(other.text):
            found = _dates(doc, other)
            if len(found) == 1:
                return found[0].value, False, other
    for heading in doc.heading_dates(s):
        return heading, False, None
    if RX_EVCD.search(s.text) or RX_EVCD.search(doc.page.title or ""):
        return _event_day(doc, s), False, None
    return None, False, None


def _event_day(doc: Document, s: Sent) -> date | None:
    """The day of the European Viable Cities Day a sentence refers to: an event page's "Tid:"
    line, else the one date the page writes beside the day's name (in the sentence's year)."""
    m = RX_EVCD.search(s.text) or RX_EVCD.search(doc.page.title or "")
    ref = doc.page.published_on
    year = int(m.group("year")) if m and m.group("year") else (s.section_year or (ref.year if ref else None))
    when = doc.labels().get("time")
    reference = date(year, 11, 1) if year else ref
    if when and RX_EVCD.search(doc.page.title or ""):
        found = [d.value for d in find_dates(when, reference) if year is None or d.value.year == year]
        if found:
            return found[0]
    days = {d.value for x in doc.sents if "evcd" in x.triggers and RX_EVCD.search(x.text)
            for d in find_dates(x.text, reference) if year and d.value.year == year}
    return days.pop() if len(days) == 1 else None


def _date_before(doc: Document, s: Sent, back: int = 3) -> date | None:
    """The last date written in the few sentences before (for "samma dag", "under eftermiddagen")."""
    for x in reversed(doc.sents[max(0, s.pos - back):s.pos]):
        found = _dates(doc, x)
        if found:
            return found[-1].value
    return None


def version_of(text: str) -> str | None:
    m = RX_VERSION.search(text)
    return normalise_ws(m.group(0).strip("()")) if m else None


def _version(doc: Document, s: Sent) -> str | None:
    found = version_of(s.text)
    if found:
        return found
    nxt = doc.following(s)
    if nxt is not None and nxt.block is s.block and re.match(r"^(?:Det|Detta|Den|Kontraktet|It|This)\b", nxt.text):
        found = version_of(nxt.text)
    return found or next((v for h in s.headings if (v := version_of(h))), None)


def _event_name(text: str, signed_on: date | None) -> str | None:
    m = RX_EVCD.search(text)
    if not m:
        return None
    year = m.group("year") or (signed_on.year if signed_on else None)
    return f"European Viable Cities Day {year}" if year else "European Viable Cities Day"


# ---- the three readers -----------------------------------------------------------------------

def _clauses(doc: Document, s: Sent, contract: str) -> list[tuple[str, str]]:
    """(contract, text) of each signing a sentence holds: one, or one per clause when its clauses
    each sign ("... skriver under kontraktet, medan de nya städerna skriver under en avsiktsförklaring")."""
    parts = RX_CLAUSE.split(s.text)
    signing = [p for p in parts if RX_SIGN.search(p)]
    if len(parts) < 2 or not signing:
        return [(contract, s.text)]
    out = []
    for part in signing:
        own = LOI if RX_LOI.search(part) else EU_CCC if RX_EU_CCC.search(part) and not RX_K2030_EXPLICIT.search(part) \
            else K2030 if RX_K2030_EXPLICIT.search(part) or contract == LOI else contract
        out.append((own, part))
    return out


RX_TEASER = re.compile(r"^(?:Läs\s+(?:mer|också|även)|Read\s+(?:more|also)|Se\s+även|See\s+also)\b", re.IGNORECASE)


def statements(doc: Document) -> list[Statement]:
    """Every sentence that reports or announces a signing, read in document order (headlines
    last: they repeat the body without its date). A statement naming no party still dates its
    occasion ("I går signerades 2021 års version")."""
    out: list[Statement] = []
    last_date: date | None = None
    ordered = [x for x in doc.sents if not x.block.is_heading] + [x for x in doc.sents if x.block.is_heading]
    for s in ordered:
        if s.block.caption or RX_TEASER.match(s.text) or RX_PARTIES_LABEL.match(s.text):
            continue  # a photo caption may show another year's signing; a teaser links elsewhere; party blocks apart
        contract = classify(doc, s)
        if contract is None:
            continue
        signed_on, own_date, dating = _signed_on(doc, s)
        if signed_on is None and RX_SAME_DAY.search(s.text):
            signed_on = last_date or _date_before(doc, s)
            own_date = signed_on is not None
        for clause_contract, text in _clauses(doc, s, contract):
            stated_as = modality(doc, s, signed_on, text)
            if stated_as is None:
                continue
            munis, orgs, evidence = _parties(doc, s, text)
            if dating is not None:  # the sentence that dates it is evidence too
                evidence = f"{evidence} {dating.text}"
            if clause_contract == LOI:
                orgs = []  # a municipality's letter of intent, made "med Viable Cities": the municipality's
            version = _version(doc, s) if clause_contract in (K2030, EU_CCC) else None
            out.append(Statement(clause_contract, munis, orgs, evidence, stated_as, signed_on, version,
                                 _event_name(s.text if dating is None else f"{s.text} {dating.text}", signed_on),
                                 doc.occasion(s), own_date,
                                 at_event=bool(RX_EVCD.search(s.text)),
                                 generic=signed_on is None and bool(RX_GENERIC_PASSIVE.search(text))
                                 and not RX_SIGN_PAST.search(text), past=bool(RX_SIGN_PAST.search(text))))
        if own_date and not s.block.is_heading:
            last_date = signed_on
    return out


def party_blocks(doc: Document) -> list[Statement]:
    """"Signerande parter" followed by a list (after the colon, or the next blocks), and its
    labelled lines "Kommuner: A, B och C", "Myndigheter: ...": listed parties of the section's
    signing."""
    out: list[Statement] = []
    if not doc.about_k2030:
        return out
    blocks = doc.page.blocks
    for i, b in enumerate(blocks):
        m = RX_PARTIES_LABEL.match(b.text)
        if not m:
            continue
        anchor = doc.first_sentence(b)
        if anchor is None:
            continue
        items: list[str] = []
        rest = b.text[m.end():].strip()
        if rest:
            items += _split_items(rest)
        j = i + 1
        in_list = j < len(blocks) and blocks[j].list_no
        while j < len(blocks) and not rest:
            nb = blocks[j]
            if nb.is_heading or len(nb.text) > 400 or RX_QUOTE_START.match(nb.text) or (in_list and nb.list_no != in_list):
                break
            parts = _split_items(RX_PARTY_LINE.sub("", nb.text))
            if not any(resolve_party(p) != (None, None) for p in parts):
                break
            items += parts
            j += 1
        parties = [p for p in map(resolve_party, items) if p != (None, None)]
        if not parties:
            continue
        evidence = normalise_ws(f"{b.text.split(':')[0].strip()}: " + ", ".join(normalise_ws(x) for x in items))
        out.append(Statement(K2030, [c for c, _ in parties if c], [o for _, o in parties if o], evidence, LISTED,
                             None, None, None, doc.occasion(anchor)))
    return out


def _split_items(text: str) -> list[str]:
    """The parties of a list line: the line when it names one ("Swedish Agency for Economic and
    Regional Growth"), else its comma-and-"och" items."""
    if resolve_party(text) != (None, None):
        return [text]
    return [x for x in re.split(r"\n|;|,\s*(?=[A-ZÅÄÖ])|\s+och\s+|\s+and\s+|\s+samt\s+", text) if x.strip()]


def document_lists(doc: Document) -> list[Statement]:
    """Lists of links to each party's contract document ("Ystads klimatkontrakt", "Umeå
    municipality's Climate City Contract", "Avsiktsförklaring – Borås") under a heading or an
    intro naming the contract or its version: one listed signing per item."""
    out: list[Statement] = []
    for items in doc.lists():
        if len(items) < 2 or not all(b.links for b in items) or not any(RX_DOCUMENT_ITEM.search(b.text) for b in items) \
                or any(RX_LOOKALIKE.search(b.text) for b in items):
            continue
        first = doc.first_sentence(items[0])
        if first is None:
            continue
        context = " ".join((*first.headings, doc.intro(items[0])))
        heading_words = " ".join(first.headings)
        contract = LOI if RX_LOI.search(heading_words or context) else K2030
        if contract == K2030 and not RX_K2030_EXPLICIT.search(heading_words):
            if not (RX_K2030_CONTEXT.search(context) or RX_CONTRACT_WORD.search(context) or doc.about_k2030) \
                    or RX_LOOKALIKE.search(context) or RX_EU_CCC.search(context):
                continue
        munis = []
        for b in items:
            code, _ = resolve_party(RX_DOCUMENT_ITEM.sub(" ", b.text))
            if code and code not in munis:
                munis.append(code)
        if len(munis) < max(2, len(items) * 2 // 3):
            continue  # a list of links that are not each a party's contract
        heading = next((h for h in first.headings if version_of(h) or RX_LOI.search(h)), first.heading)
        out.append(Statement(contract, munis, [], normalise_ws(f"{heading or ''}: " + ", ".join(b.text for b in items)),
                             LISTED, None, version_of(context), None, doc.occasion(first)))
    return out


def resolve_party(text: str) -> tuple[str | None, str | None]:
    """(municipality code, organisation id) of a list item that names one party, else (None, None)."""
    t = normalise_ws(text).strip(" .:•-–*")
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
    if len(munis) == 1 and (munis[0].start == 0 or re.match(r"\s*(?:kommun|[Ss]tad|municipality|City)\b", t[munis[0].end:])
                            or re.search(r"(?:City|Municipality)\s+of\s+$", t[:munis[0].start])):
        return munis[0].code, None
    return None, None


# ---- one signing occasion, one date ------------------------------------------------------------

def _occasion_date(same: list[Statement]) -> tuple[date | None, str | None]:
    """(day, the sentence that writes it) of an occasion: the one date its statements write, else
    the one written beside European Viable Cities Day, else the one most of them write."""
    own = [x for x in same if x.own_date and x.signed_on]
    days = [x.signed_on for x in own]
    day = None
    if len(set(days)) == 1:
        day = days[0]
    elif len(at_event := {x.signed_on for x in own if x.at_event}) == 1:
        day = next(iter(at_event))
    else:
        counts = sorted(((days.count(d), d) for d in set(days)), reverse=True)
        if counts and (len(counts) == 1 or counts[0][0] > counts[1][0]):
            day = counts[0][1]
    source = next((x.evidence for x in own if x.signed_on == day), None)
    return day, source


def _year(version: str) -> str:
    found = re.search(r"(?:19|20)\d\d", version)
    return found.group() if found else version


def _occasion_version(doc: Document, occasion: int) -> str | None:
    """The one version of the contract that the occasion's sentences name ("I 2023 års version
    har städerna ..."), if they name exactly one."""
    found = {_year(v): v for x in doc.sents if x.section_id == occasion and "version" in x.text.lower()
             and not (x.block.links and len(x.block.text) < 120)  # a download button, not a statement
             and (v := version_of(x.text)) and not RX_NOT_A_FACT.search(x.text)}
    return next(iter(found.values())) if len(found) == 1 else None


def _occasions(doc: Document, found: list[Statement]) -> list[Statement]:
    """Statements of one occasion share its date, version and event (`_occasion_date`); a
    statement with a date of its own keeps it, and a party that has one is not given the
    occasion's too."""
    out = []
    by_occasion: dict[tuple[int, str], list[Statement]] = {}
    for st in found:
        by_occasion.setdefault((st.occasion, st.contract), []).append(st)
    for same in by_occasion.values():
        day, day_source = _occasion_date(same)
        versions = {_year(x.version): x.version for x in same if x.version}
        if not versions and same[0].contract == K2030 and (version := _occasion_version(doc, same[0].occasion)):
            versions = {_year(version): version}
        events = {x.event for x in same if x.event and x.event[-1].isdigit()}
        # parties with a day of their own (a chair who signed afterwards) are not given the occasion's
        dated_parties = {p for x in same if x.own_date and x.signed_on != day for p in (*x.munis, *x.orgs)}
        for st in same:
            if st.generic and day is None:
                continue  # how the contract is signed in general, on a page that dates no signing of it
            if st.signed_on is None and day is not None:
                published = doc.page.published_on
                coming = st.stated_as == REPORTED and not st.past and published is not None and day > published
                # the fact rests on both sentences: the one naming the party and the one dating it
                evidence = st.evidence if day_source in st.evidence else f"{st.evidence} {day_source.split('. ')[0]}"
                st = replace(st, signed_on=day, munis=[c for c in st.munis if c not in dated_parties],
                             orgs=[o for o in st.orgs if o not in dated_parties],
                             stated_as=ANNOUNCED if coming else st.stated_as, evidence=evidence, dated_by=True)
            if st.version is None and len(versions) == 1:
                st = replace(st, version=next(iter(versions.values())))
            if st.event is None and len(events) == 1 and st.signed_on == day:
                st = replace(st, event=next(iter(events)))
            out.append(st)
    return out


def read_signings(doc: Document) -> tuple[list[Signing], dict[int, date]]:
    """The page's signings, and the day of each signing occasion it dates (for the events)."""
    # listed first: a party both listed and reported by a sentence pointing to the list is listed
    found = _occasions(doc, party_blocks(doc) + document_lists(doc) + statements(doc))
    days: dict[int, date] = {}
    for st in found:
        if st.signed_on and st.contract in (K2030, LOI) and (st.at_event or st.occasion not in days):
            days[st.occasion] = st.signed_on if st.at_event or st.occasion not in days else days[st.occasion]
    rows: list[Signing] = []
    # of the statements of one signing, the row is read from a list first, then from the one
    # that writes its day itself
    found.sort(key=lambda st: 0 if st.stated_as == LISTED else 1 if st.own_date else 2)
    for st in found:
        for code in st.munis:
            rows.append(Signing(st.contract, st.evidence, municipality_code=code, signed_on=st.signed_on,
                                contract_version=st.version, event_name=st.event, stated_as=st.stated_as))
        for org in st.orgs:
            rows.append(Signing(st.contract, st.evidence, organisation_id=org, signed_on=st.signed_on,
                                contract_version=st.version, event_name=st.event, stated_as=st.stated_as))
    rows = dedupe(rows, lambda x: (x.contract, x.municipality_code, x.organisation_id, x.signed_on, x.contract_version))
    # a vaguer repetition of a signing the page dates or versions elsewhere is that signing
    informed = {(x.contract, x.municipality_code, x.organisation_id) for x in rows if x.signed_on or x.contract_version}
    kept, seen = [], set()
    for x in rows:
        key = (x.contract, x.municipality_code, x.organisation_id)
        if x.signed_on is None and x.contract_version is None and (key in informed or key in seen):
            continue
        seen.add(key)
        kept.append(x)
    return kept, days


