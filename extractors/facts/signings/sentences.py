"""Signings stated by sentences: "Fredag den 6 december skrev kommunstyrelsens ordförande Eva Berg
(S) under Klimatkontrakt 2030", "signerades av de nya städerna", "skriver under på torsdag".

Parties are named in the sentence, in a list it points to ("tillsammans med sex myndigheter:", a
footnote "*", "Kommunerna är: ..."), by a group reference resolved against a list of the page
("de nio städerna", "the 23 cities", "de sex myndigheterna"), by "de"/"samtliga" after a list, or
are the page's own municipality ("kommunen", "vi", a municipal page's sentence without another
party). The date is the one nearest the verb (relative dates resolved against the page), else a
neighbour's, a heading's, the event page's; "samma dag" and "under eftermiddagen" take the last
date written before.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.document import Document, Sent, neighbours
from extractors.facts.signings.statement import (
    ANNOUNCED,
    REPORTED,
    Statement,
    resolve_party,
    version_of,
)
from extractors.groups import NUMBER_WORDS, group_reference, resolve_group
from extractors.vocabulary import (
    EU_CCC,
    EU_LABEL,
    K2030,
    LOI,
    RX_AGENCY_GROUP,
    RX_ANNOUNCE,
    RX_AWARD,
    RX_AWARDED,
    RX_CLAUSE,
    RX_CONTRACT_WORD,
    RX_EARLIER,
    RX_EU_CCC,
    RX_EU_CONTEXT,
    RX_EU_LABEL,
    RX_EVCD,
    RX_FOOTNOTE_MARK,
    RX_FUTURE_TIME,
    RX_GENERIC_PASSIVE,
    RX_K2030_CONTEXT,
    RX_K2030_EXPLICIT,
    RX_LIST_FOLLOWS,
    RX_LOI,
    RX_LOOKALIKE,
    RX_NOT_A_FACT,
    RX_ONE_OF,
    RX_PART_OF_DAY,
    RX_PARTIES_LABEL,
    RX_PLACE_BEFORE,
    RX_PLURAL_CITIES,
    RX_PRONOUN_SUBJECT,
    RX_ROLE_BEFORE_PLACE,
    RX_SAME_TIME,
    RX_SELF,
    RX_SIGN,
    RX_SIGN_PAST,
    RX_SIGN_PRESENT,
    RX_SINCE,
    RX_TEASER,
    RX_VENUE_BEFORE,
    RX_VIABLE_PARTY,
)
from klimatkontrakt.normalise.agencies import find_agencies
from klimatkontrakt.normalise.dates import DateMatch, find_dates
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
)

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
        # "the first climate city contracts were signed" under the title "... sign Climate City Contract 2030"
        return K2030 if RX_K2030_EXPLICIT.search(doc.page.title or "") and not doc.about_lookalike else None
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
            if len(named) < 2 and (ref := group_reference(prev.text)) is not None:
                resolved = resolve_group(doc, prev, ref)  # "The nine cities have ... In April they signed"
                named = list(resolved.codes) if resolved is not None else named
            if len(named) >= 2:
                munis, group = named, prev
                extra.append(prev.text)
                break
    own = s.city_code or doc.own_code
    if not munis and own and group is None:
        if RX_SELF.search(text) or not RX_PLURAL_CITIES.search(text):
            munis = [own]
    return munis, orgs, " ".join([s.text, *extra])






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
    if RX_EARLIER.search(s.text):
        return None, False, None  # "Tidigare har Stockholm fått Mission Label": not the next sentence's day
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
    if when and (RX_EVCD.search(doc.page.title or "") or RX_EVCD.search(doc.labels().get("heading", ""))):
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
        if signed_on is None and RX_SAME_TIME.search(s.text):
            signed_on, own_date = last_date, last_date is not None  # the signing just stated: its time
        elif signed_on is None and RX_PART_OF_DAY.search(s.text):
            signed_on = _date_before(doc, s)  # "under eftermiddagen": the day written just before
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
                                 and not RX_SIGN_PAST.search(text), past=bool(RX_SIGN_PAST.search(text)),
                                 earlier=signed_on is None and bool(RX_EARLIER.search(text))))
        if signed_on is not None and not s.block.is_heading:
            last_date = signed_on
    return out


