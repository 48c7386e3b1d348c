"""Signings: who signed which contract when, from report sentences and lists of signing parties."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extractors.common import normalise_ws
from extractors.document import (
    Document,
    Sent,
    dates_near,
    dedupe,
    municipality_list,
    neighbours,
    ref_date,
    section_date,
)
from extractors.facts.vocabulary import (
    EU_CCC,
    EU_LABEL,
    K2030,
    LOI,
    RX_AWARD,
    RX_CONTRACT_WORD,
    RX_EU_CCC,
    RX_EU_CONTEXT,
    RX_EU_LABEL,
    RX_EVCD,
    RX_FUTURE_OR_NEG,
    RX_K2030_CONTEXT,
    RX_K2030_EXPLICIT,
    RX_LOI,
    RX_LOOKALIKE,
    RX_PARTIES_LABEL,
    RX_PLURAL_CITIES,
    RX_QUOTE_START,
    RX_SELF,
    RX_SIGN,
    RX_TIME_LABEL,
    RX_TODAY,
    RX_VERSION,
)
from klimatkontrakt.model import Signing
from klimatkontrakt.normalise.agencies import find_agencies, resolve_agency
from klimatkontrakt.normalise.dates import find_dates
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    resolve_municipality,
)


def _classify(doc: Document, s: Sent) -> str | None:
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
    anaphora = re.search(r"\bversion(?:en)?\b|första\s+gången|\bdet\b|\bden\b", t, re.I) and \
        RX_K2030_CONTEXT.search(neighbours(doc, s, 2, 0))
    if RX_CONTRACT_WORD.search(t) or anaphora:
        near = neighbours(doc, s, 3, 1)
        if RX_LOOKALIKE.search(near) and not RX_K2030_CONTEXT.search(t):
            return None
        if RX_EU_CCC.search(near) and not RX_K2030_CONTEXT.search(near):
            return None
        if RX_K2030_CONTEXT.search(near) or (doc.about_k2030 and not doc.about_lookalike):
            return K2030
    return None


# where something happened, not who signed: "på European Viable Cities Day i Stockholm", "held in Umeå"
RX_VENUE_BEFORE = re.compile(
    r"(?:Day|dagen|stadshus\w*|konferens\w*|mötet|ett\s+möte|evenemang\w*|ceremoni\w*|samlades|samlas|hölls|hålls|"
    r"skedde|sker|ägde\s+rum|äger\s+rum|took\s+place|takes\s+place|held|event|arrangerades|arrangeras|träffen)"
    r"\s+(?:i|in|på|at)\s+$",
    re.IGNORECASE,
)


def _parties(doc: Document, s: Sent, text: str | None = None) -> tuple[list[str], list[str]]:
    t = text if text is not None else s.text
    own = s.city_code or doc.own_code
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


def _signed_on(doc: Document, s: Sent, contract: str) -> date | None:
    ref = ref_date(doc, s)
    verb = RX_SIGN.search(s.text) or RX_AWARD.search(s.text)
    anchor = verb.start() if verb else 0
    near = dates_near(s.text, anchor, ref)
    if near:
        return near[0].value
    if RX_TODAY.search(s.text) and doc.page.published_on:
        return doc.page.published_on
    # the previous sentence of the same block ("I dag, den 8 december ... Då signerade ...")
    if s.pos > 0:
        prev = doc.sents[s.pos - 1]
        if prev.block is s.block:
            d = dates_near(prev.text, len(prev.text), ref)
            if d:
                return d[0].value
    if re.match(r"^(?:Kontraktet|Avtalet|Det|The\s+contract|It)\b", s.text):
        for x in reversed(doc.sents[max(0, s.pos - 3) : s.pos]):
            if RX_SIGN.search(x.text):
                d = dates_near(x.text, 0, ref)
                if d:
                    return d[0].value
                if RX_TODAY.search(x.text) and doc.page.published_on:
                    return doc.page.published_on
    if contract in (K2030, LOI):
        d = section_date(doc, s)
        if d:
            return d
        if RX_EVCD.search(s.text) or RX_EVCD.search(doc.page.title or ""):
            return _evcd_date(doc, s)
    return None


def _evcd_date(doc: Document, s: Sent) -> date | None:
    m = RX_EVCD.search(s.text) or RX_EVCD.search(doc.page.title or "")
    year = int(m.group("year")) if m and m.group("year") else (s.section_year or (doc.page.published_on.year if doc.page.published_on else None))
    on_event_page = bool(RX_EVCD.search(doc.page.title or ""))
    for x in doc.sents:
        if RX_EVCD.search(x.text) or (on_event_page and RX_TIME_LABEL.match(x.text)):
            for d in find_dates(x.text, date(year, 11, 1) if year else None):
                if year and d.value.year == year:
                    return d.value
    return None


def _when_it_happened(doc: Document, s: Sent) -> tuple[Sent, date] | None:
    """The next sentence of the block and its date when it says when "it" happened
    ("Det skedde på European Viable Cities Day den 8 december.")."""
    if s.pos + 1 >= len(doc.sents):
        return None
    nxt = doc.sents[s.pos + 1]
    if nxt.block is not s.block or not RX_WHEN_IT_HAPPENED.match(nxt.text):
        return None
    found = dates_near(nxt.text, 0, ref_date(doc, nxt))
    return (nxt, found[0].value) if found else None


def _event_name(s: Sent, signed_on: date | None) -> str | None:
    m = RX_EVCD.search(s.text)
    if not m:
        return None
    year = m.group("year") or (signed_on.year if signed_on else None)
    return f"European Viable Cities Day {year}" if year else "European Viable Cities Day"


def find_signings(doc: Document) -> list[Signing]:
    out: list[Signing] = []
    # body sentences first: a headline repeats the body without its date
    ordered = [x for x in doc.sents if not x.block.is_heading] + [x for x in doc.sents if x.block.is_heading]
    for s in ordered:
        if s.block.caption:
            continue  # a photo caption may show another year's signing
        contract = _classify(doc, s)
        if contract is None:
            continue
        munis, orgs = _parties(doc, s)
        evidence = s.text
        if not munis and RX_PLURAL_CITIES.search(s.text):
            follow = _following_city_list(doc, s)
            if follow is not None:
                munis = [c for c in municipality_list(follow.text) if c not in munis]
                evidence = f"{s.text} {follow.text}"
        if not munis and not orgs:
            continue
        signed_on = _signed_on(doc, s, contract)
        event = _event_name(s, signed_on)
        when = _when_it_happened(doc, s) if signed_on is None else None
        if when is not None:  # "... tecknar klimatkontrakt. Signeringen skedde den 5 december."
            signed_on = when[1]
            event = event or _event_name(when[0], signed_on)
            evidence = f"{evidence} {when[0].text}"
        version = _version(s.text) if contract in (K2030, EU_CCC) else None
        if version is None and contract == K2030 and s.pos + 1 < len(doc.sents):
            nxt = doc.sents[s.pos + 1]
            if nxt.block is s.block and re.match(r"^(?:Det|Detta|Den|Kontraktet|It|This)\b", nxt.text):
                version = _version(nxt.text)
        for code in munis:
            out.append(Signing(contract, evidence, municipality_code=code, signed_on=signed_on,
                               contract_version=version, event_name=event))
        for org in orgs:
            out.append(Signing(contract, evidence, organisation_id=org, signed_on=signed_on,
                               contract_version=version, event_name=event))
    out.extend(_party_lists(doc))
    out = dedupe(out, lambda x: (x.contract, x.municipality_code, x.organisation_id, x.signed_on, x.contract_version))
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
        if len(dates) == 1 and not any(x.section_year for x in doc.sents):
            only = dates.pop()
            kept = [replace(x, signed_on=only) if x.contract == contract and x.signed_on is None else x for x in kept]
    return kept


RX_LIST_INTRO = re.compile(
    r"^(?:De\s+(?:\w+\s+)?(?:städerna|kommunerna)\s+(?:är|var)|(?:Städerna|Kommunerna)\s+(?:är|var)|"
    r"The\s+(?:\w+\s+)?(?:cities|municipalities)\s+(?:are|were))\b",
    re.IGNORECASE,
)


def _following_city_list(doc: Document, s: Sent) -> Sent | None:
    """"... nio städer skrev under ... . De nio städerna är A, B och C." -> the list sentence."""
    for x in doc.sents[s.pos + 1 : s.pos + 3]:
        if RX_LIST_INTRO.match(x.text) and len(find_municipalities(x.text, strict=False)) >= 2:
            return x
    return None


def _party_lists(doc: Document) -> list[Signing]:
    """"Signerande parter" followed by a list (same block after the colon, or the next list blocks)."""
    out: list[Signing] = []
    blocks = doc.page.blocks
    if not doc.about_k2030:
        return out
    sent_by_block: dict[int, Sent] = {}
    for s in doc.sents:
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
        signed_on = section_date(doc, anchor)
        version = None
        for x in doc.sents:
            if x.section_id == anchor.section_id and anchor.section_year and RX_VERSION.search(x.text) and RX_K2030_CONTEXT.search(x.text):
                version = _version(x.text)
                break
        event = f"European Viable Cities Day {signed_on.year}" if signed_on and any(
            RX_EVCD.search(x.text) for x in doc.sents if x.section_id == anchor.section_id) else None
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
