"""Memberships: a municipality in Klimatneutrala städer 2030 or the EU Mission, its intake and twin city."""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.document import Document, dedupe, municipality_list
from extractors.facts.vocabulary import (
    K2030_INITIATIVE,
    RX_EVCD,
    RX_ANNOUNCE,
    RX_NOT_A_FACT,
    RX_INITIATIVE_EU,
    RX_INITIATIVE_K,
    RX_JOIN_YEAR,
    RX_LOOKALIKE,
    RX_MEMBER,
    RX_PIONEER,
    RX_PLURAL_CITIES,
    RX_SELF,
    RX_SIGN,
    RX_SINCE,
)
from klimatkontrakt.model import Membership
from klimatkontrakt.normalise.dates import find_dates
from klimatkontrakt.normalise.municipalities import find_municipalities

RX_BOTH = re.compile(r"^(?:Båda|De\s+två|Both|The\s+two)\s+(?:kommunerna|städerna|municipalities|cities)\b", re.IGNORECASE)


def find_memberships(doc: Document) -> list[Membership]:
    out: list[Membership] = []
    twins = {s.pos: pair for s in doc.sents if "membership" in s.triggers and RX_TWIN.search(s.text)
             and (pair := twin_pair(s.text, s.city_code or doc.own_code)) is not None}
    for s in doc.sents:
        t = s.text
        if "membership" not in s.triggers:
            continue
        in_k, in_eu = RX_INITIATIVE_K.search(t), RX_INITIATIVE_EU.search(t)
        if not (in_k or in_eu):
            continue  # names no initiative (checked first: far cheaper than RX_MEMBER on long pages)
        mm = RX_MEMBER.search(t)
        if not mm or (RX_NOT_A_FACT.search(t) or RX_ANNOUNCE.search(t)) or RX_LOOKALIKE.search(t):
            continue
        initiatives = []
        if in_k and (re.search(r"Klimatneutrala\s+städer|Climate[-\s]Neutral\s+Cities\s*2030|Viable\s+Cities", t, re.I)
                                          or (doc.about_k2030 and not RX_INITIATIVE_EU.search(t))):
            initiatives.append(K2030_INITIATIVE)
        if in_eu:
            initiatives.append("eu-mission-cities")
        if not initiatives:
            continue
        own = s.city_code or doc.own_code
        codes = []
        for m in find_municipalities(t, own):
            if m.code not in codes:
                codes.append(m.code)
        if not codes and RX_BOTH.match(t) and s.pos > 0:  # "Båda kommunerna har ingått i ..."
            named = municipality_list(doc.sents[s.pos - 1].text)
            codes = named if len(named) == 2 else []
        if not codes and own and (RX_SELF.search(t) or not RX_PLURAL_CITIES.search(t)):
            codes = [own]
        if not codes and RX_PLURAL_CITIES.search(t) and s.pos + 1 < len(doc.sents):
            nxt = doc.sents[s.pos + 1]
            if nxt.block is s.block and re.search(r"\b(?:bland\s+(?:dem|andra|annat)|däribland|among\s+them|including)\b", nxt.text, re.I) \
                    and re.search(r"\b(?:nya|new)\b", t + " " + nxt.text, re.I):
                codes = municipality_list(nxt.text)
        if s.pos in twins:  # the twin joined earlier: this sentence dates only the other
            codes = [c for c in codes if c != twins[s.pos][1]]
        if not codes:
            continue
        ref = doc.page.published_on
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
    out = dedupe(out, lambda m: (m.municipality_code, m.initiative_id, m.joined_on, m.joined_year, m.cohort))
    informed = {(m.municipality_code, m.initiative_id) for m in out if m.joined_on or m.joined_year or m.cohort}
    kept, seen = [], set()
    for m in out:
        key = (m.municipality_code, m.initiative_id)
        if not (m.joined_on or m.joined_year or m.cohort) and (key in informed or key in seen):
            continue
        seen.add(key)
        kept.append(m)
    return _with_twins(doc, kept, twins)


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


def _with_twins(doc: Document, memberships: list[Membership], twins: dict[int, tuple[str, str]]) -> list[Membership]:
    """Memberships of the Klimatneutrala städer 2030 initiative from twin-city sentences (`twins`:
    sentence number -> twin_pair): the newer member gets its twin, both are members (only on pages
    about the initiative)."""
    if not doc.about_k2030 or doc.about_lookalike:
        return memberships
    out = list(memberships)
    for pos, pair in twins.items():
        s = doc.sents[pos]
        if (RX_NOT_A_FACT.search(s.text) or RX_ANNOUNCE.search(s.text)):
            continue
        for code, twin in (pair, (pair[1], None)):
            i = next((i for i, m in enumerate(out) if m.municipality_code == code and m.initiative_id == K2030_INITIATIVE), None)
            if i is None:
                out.append(Membership(code, K2030_INITIATIVE, s.text, twin_municipality_code=twin))
            elif twin and out[i].twin_municipality_code is None:  # evidence: both sentences
                evidence = out[i].evidence if s.text in out[i].evidence else f"{out[i].evidence} | {s.text}"
                out[i] = replace(out[i], twin_municipality_code=twin, evidence=evidence)
    return out
