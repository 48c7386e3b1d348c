"""Roles: people with their title, party and municipality or agency, from attributions and titles."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from extractors.common import normalise_ws
from extractors.document import Document, Sent, dedupe, section_date
from extractors.vocabulary import (
    RX_AGENCY_TITLE,
    RX_QUOTE_START,
    RX_TITLE_LIST,
)
from klimatkontrakt.core.model import Role
from klimatkontrakt.normalise.agencies import find_agencies, resolve_agency
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    resolve_municipality,
)
from klimatkontrakt.normalise.people import (
    LEADING_WORDS,
    NAME,
    PARTY,
    find_attributions,
    find_party_people,
    find_titled_people,
    normalise_party,
    normalise_role,
    parse_person,
)

_MUNI_ROLES = {"ks-ordforande", "ks-vice-ordforande", "kommunalrad", "oppositionsrad"}
_RX_GD_LIST = re.compile(rf"(?P<name>{NAME})\s*,\s*(?P<org>[A-ZÅÄÖ][\wåäö]+(?:\s+[A-Za-zåäö]+){{0,3}})")


@lru_cache(maxsize=4096)
def _person_name(name: str) -> str | None:
    """The name without a leading preposition ("Med Jonas Hedenius"); None for a municipality's
    or an agency's name read as a person's ("Göteborgs Stad", "Swedish Energy Agency")."""
    stripped = LEADING_WORDS.sub("", name)
    if find_agencies(stripped) or resolve_municipality(stripped) \
            or re.search(r"\b(?:Stad|Agency|Administration|kommun|Development|Council)\b", name):
        return None  # "For Umeå" is a place
    return stripped if " " in stripped else name


def _role_record(doc: Document, s: Sent, p, as_of: date | None) -> Role | None:
    if not p.role and not p.party:
        return None
    name = _person_name(p.name)
    if name is None:
        return None
    role_text = p.role or ""
    codes = [m.code for m in find_municipalities(role_text, s.city_code or doc.own_code, strict=False)]
    orgs = [a.organisation_id for a in find_agencies(role_text)]
    code = codes[0] if codes else None
    org = orgs[0] if orgs else None
    municipal = p.role_normalised in _MUNI_ROLES or bool(re.search(r"kommun|stad|municipal|city", role_text, re.I)) or (p.party and not org)
    if org is None and p.role_normalised == "programchef" and (doc.is_viablecities or "Viable Cities" in s.text):
        org = "viable-cities"
    if code is None and org is None and (municipal or not doc.is_viablecities):
        # an official of a municipal page serves the page's municipality
        code = s.city_code or doc.own_code
        if code is None:
            code = _nearby_municipality(doc, s)
    return Role(name, s.text, p.role, p.role_normalised, p.party, code, org, as_of)


RX_TITLE_LIST_ITEM = re.compile(rf"(?P<name>{NAME})\s*{PARTY}\s*,\s*(?P<place>[A-ZÅÄÖ][\wåäö-]+(?:\s+[a-zåäö]+)?)")


def _title_list(doc: Document, s: Sent, as_of: date | None) -> list[Role]:
    m = RX_TITLE_LIST.search(s.text)
    if not m:
        return []
    title = m.group("title")
    role = "kommunstyrelsens ordförande" if "ordförande" in title.lower() or "chair" in title.lower() or "mayor" in title.lower() \
        else title.lower().removesuffix("en")
    out = []
    for item in RX_TITLE_LIST_ITEM.finditer(s.text, m.end()):
        code = resolve_municipality(item.group("place"))
        name = _person_name(normalise_ws(item.group("name")))
        if code and name:
            out.append(Role(name, s.text, role, normalise_role(role), normalise_party(item.group("party")), code, None, as_of))
    return out


def _nearby_municipality(doc: Document, s: Sent, back: int = 2) -> str | None:
    """The one municipality named in the attribution's sentence or, failing that, in the nearest of
    the `back` sentences before it in the same block or quote (a quote often names its city one
    sentence before "säger ..."). None when a sentence names several: no guessing."""
    for sent in [s, *reversed(doc.sents[max(0, s.pos - back):s.pos])]:
        named = {m.code for m in find_municipalities(sent.text)}
        if len(named) == 1:
            return named.pop()
        if named:
            return None
    return None


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


def find_roles(doc: Document) -> list[Role]:
    out: list[Role] = []
    for s in doc.sents:
        if s.block.caption or re.match(r"^(?:Foto|Bild|Photo)\b", s.text):
            continue
        as_of = section_date(doc, s) or doc.page.published_on
        found = [*find_attributions(s.text), *find_titled_people(s.text), *find_party_people(s.text)] \
            if "role" in s.triggers else []
        listed = _title_list(doc, s, as_of) if "role" in s.triggers else []
        out += listed
        for p, _ in found:
            r = _role_record(doc, s, p, as_of)
            if r and not any(x.person_name == r.person_name for x in listed):
                out.append(r)
        # an attribution on its own line after a quote: "Namn Namnsson (S), kommunstyrelsens ordförande"
        if len(s.text) <= 160 and s.block.text.startswith(s.text[:20]) and s.pos > 0:
            prev = doc.sents[s.pos - 1]
            if prev.block is not s.block and RX_QUOTE_START.match(prev.block.text):
                p = parse_person(s.text)
                if p and (p.role or p.party):
                    r = _role_record(doc, s, p, as_of)
                    if r:
                        out.append(r)
        if "role" not in s.triggers:
            continue
        for name, role, org in find_agency_people(s.text):
            if _person_name(name):
                out.append(Role(_person_name(name), s.text, role, normalise_role(role), None, None, org, as_of))
        # "generaldirektörerna ...: Namn Namnsson, Energimyndigheten; ..."
        if re.search(r"generaldirektör\w*|directors?[\s-]general", s.text, re.I):
            for m in _RX_GD_LIST.finditer(s.text):
                org = resolve_agency(m.group("org")) or (find_agencies(m.group("org")) or [None])[0]
                org = org if isinstance(org, str) or org is None else org.organisation_id
                name = _person_name(m.group("name"))
                if org and org != "viable-cities" and name \
                        and not re.search(r"\b(?:for|of|för|the|och|and)\s+$", s.text[max(0, m.start() - 6):m.start()], re.I):
                    out.append(Role(name, s.text, "generaldirektör", "generaldirektor", None, None, org, as_of))
    return _one_per_role(out)


def _one_per_role(found: list[Role]) -> list[Role]:
    """One row per person and role: a person named again without the title, or with another
    wording of it, is the same role; a row without a normalised role is kept only when the
    person has no other ("i Umeå Stina Ek (C)" read as "Umeå Stina Ek")."""
    titled = {r.person_name for r in found if r.role}
    found = [r for r in found if r.role or not any(r.person_name == t or r.person_name.endswith(f" {t}") for t in titled)]
    normalised = {(r.person_name, r.organisation_id or r.municipality_code) for r in found if r.role_normalised}
    found = [r for r in found if r.role_normalised or (r.person_name, r.organisation_id or r.municipality_code) not in normalised]
    return dedupe(found, lambda r: (r.person_name, r.role_normalised or "", r.municipality_code, r.organisation_id)
                  if r.role_normalised else (r.person_name, r.municipality_code, r.organisation_id))
