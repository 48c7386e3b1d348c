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

from dataclasses import replace
from datetime import date

from extractors.document import Document, dedupe
from extractors.facts.signings.lists import document_lists, party_blocks
from extractors.facts.signings.sentences import statements
from extractors.facts.signings.statement import (
    ANNOUNCED,
    LISTED,
    REPORTED,
    Statement,
    version_of,
    year_of,
)
from extractors.vocabulary import K2030, LOI, RX_NOT_A_FACT
from klimatkontrakt.core.model import Signing

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


def _occasion_version(doc: Document, occasion: int) -> str | None:
    """The one version of the contract that the occasion's sentences name ("I 2023 års version
    har städerna ..."), if they name exactly one."""
    found = {year_of(v): v for x in doc.sents if x.section_id == occasion and "version" in x.text.lower()
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
        versions = {year_of(x.version): x.version for x in same if x.version}
        if not versions and same[0].contract == K2030 and (version := _occasion_version(doc, same[0].occasion)):
            versions = {year_of(version): version}
        events = {x.event for x in same if x.event and x.event[-1].isdigit()}
        # parties with a day of their own (a chair who signed afterwards) are not given the occasion's
        dated_parties = {p for x in same if x.own_date and x.signed_on != day for p in (*x.munis, *x.orgs)}
        for st in same:
            if st.generic and day is None:
                continue  # how the contract is signed in general, on a page that dates no signing of it
            if st.signed_on is None and day is not None and not st.earlier:
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


