"""Whose a target is, what it covers and how far it has come, and the sentences that restate or
judge, explain or replace a target read before ("samma mål tio år senare", "Målet omfattar både ...", "i tre
perspektiv:", a table of target values, "Delmålet kommer inte att nås")."""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.document import Document, Sent
from extractors.facts.targets.figures import (
    RX_YEAR,
    find_mentions,
    find_years,
    relative_year,
)
from klimatkontrakt.core.model import Target
from klimatkontrakt.normalise.municipalities import find_municipalities
from klimatkontrakt.normalise.vocabulary import patterns, target_sectors

_P = patterns()
_RX_APPOSITION = re.compile(r",\s(?![^,]*\b(?:som|ska|är|har|which|is|are)\b)[^,]{3,60},")
# ", som levererar fjärrvärme till kunder i Hörby tätort,": what the owner before it does, not an owner
_RX_RELATIVE = re.compile(r",\s+som\s+(?![^,]{0,40}\b(?:ingår|är\s+en\s+del)\b)[^,]{3,90},", re.IGNORECASE)
_RX_SHALL = re.compile(r"\b(?:ska|skall|shall|is\s+to|are\s+to)\b", re.IGNORECASE)
_EMISSION_KINDS = {"emissions-reduction", "emissions-cap", "carbon-budget", "per-capita-level"}


def owned_by_other(before: str, after: str, own: str, label: str = "") -> bool:
    """Whether the nearest owner named before the mention is not the municipality ("Regionens mål
    är att ...", "Grannkommunen Sandviken siktar på", "Sveriges mål om nettonollutsläpp"), or the
    word after it names another ("ett klimatneutralt län", "a climate neutral Europe"). A clause
    after a colon that names no owner has the one its sentence begins with ("Sverige har ett
    eget etappmål: utsläppen ...")."""
    noun = re.sub(r"^\s*(?:(?:och|and)\s+\w+\s+)?", "", after)  # "klimatneutrala och hållbara städer"
    noun = re.sub(r"^\s*[A-ZÅÄÖ][\wåäö]+\s+(?=(?:län|region)\b)", "", noun)  # "ett fossilbränslefritt Kalmar län"
    if _P["target_other_owner"].match(noun) and not re.match(r"\w+koncernen", noun):
        return True
    if _aim_of_another(before, own):
        return True
    other, mine = _owners(before, own)
    if not other and not mine and label:
        other, mine = _owners(label, own)
        return bool(other) and (not mine or min(other) < min(mine))
    return bool(other) and (not mine or max(other) > max(mine))


# ", of which Tierp is part,", ", som Tierp ingår i,": the place the owner before it contains
_RX_PART_OF = re.compile(r",\s+(?:of\s+which|som|där)\s+[^,]{2,40}?\b(?:is\s+(?:a\s+)?part|ingår(?:\s+i)?|är\s+en\s+del)\b[^,]*,",
                         re.IGNORECASE)
# "Vattenfall aims to ...", "Vi i Centerpartiet vill att ...": an owner named as the subject of an aim
_RX_AIMING_SUBJECT = re.compile(
    r"^\s*(?P<who>[A-ZÅÄÖ][^,.;:]{1,50}?)\s+(?:aims?\s+to|has\s+(?:a|the)\s+(?:goal|target|aim)|has\s+set|"
    r"has\s+committed|wants?\s+to|proposes\s+that|har\s+som\s+mål|har\s+satt\s+(?:upp\s+)?(?:som\s+)?(?:ett\s+)?(?:eget\s+)?mål|har\s+målet|siktar\s+på|vill\s+att|föreslår\s+att|yrkar\s+(?:på\s+)?att)\b")
_RX_NOT_A_NAME = re.compile(r"^(?:Det|Detta|Den|Vi|We|It|This|Målet|The\s+goal|The\s+target|Our|Vår|Vårt|Våra)\b")


def _aim_of_another(before: str, own: str) -> bool:
    """Whether the clause is another's aim by its subject: a company, a party, an agency, a
    county ("Vattenfall aims to", "Vi i Centerpartiet vill att"), even where the municipality is
    named after it ("... vill att Falköping ska vara klimatneutralt")."""
    m = _RX_AIMING_SUBJECT.match(_RX_RELATIVE.sub(" ", before))
    if m is None:
        return False
    who = m.group("who")
    other, mine = _owners(who, own)
    if other:
        return True
    if mine or _RX_NOT_A_NAME.match(who):  # (any municipality named is in `other` or `mine`)
        return False
    return bool(re.fullmatch(r"[A-ZÅÄÖ][\w&.-]+(?:\s+[A-ZÅÄÖ][\w&.-]+){0,2}", who))  # a name: "Vattenfall", "Northvolt"


def _owners(text: str, own: str) -> tuple[list[int], list[int]]:
    """Where another owner and where the municipality are named (ends of the words), leaving out
    the municipality's own companies, appositions (", kommunens största utsläppskälla,") and
    places ("i staden")."""
    text = _RX_RELATIVE.sub(" ", _RX_APPOSITION.sub(" ", _RX_PART_OF.sub(" ", _P["target_own_companies"].sub(" kommunen ", text))))
    # "inrikes transporter i kommunen": a sector's name, placed in the municipality, is no other owner
    # "utsläppen utanför industrin": a sector a target leaves out is no owner (but "utanför EU:s
    # utsläppshandel" is the EU's)
    own_names = [(m.start, m.end) for m in find_municipalities(text, own) if m.code == own]
    owners = [m.end() for m in _P["target_other_owner"].finditer(text)
              if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in own_names)
              and not re.match(r"\s+\w+\s+(?:i|inom)\s+(?:kommun|stad)(?:en|ens)?\b", text[m.end():m.end() + 40], re.I)
              and not (m.group(0)[:1].islower() and re.search(r"\b(?:utanför|exklusive|utom|förutom|excluding|except|outside)\s+(?:\w+\s+)?$",
                                                               text[max(0, m.start() - 30):m.start()], re.I))]
    towns = [m.end for m in find_municipalities(text, own) if m.code != own]
    mine = [m.end() for m in _P["target_own"].finditer(text)
            if not re.search(r"\b(?:i|in|inom)\s+$", text[max(0, m.start() - 6):m.start()], re.I)
            and not _anaphor_of_another(text, m, owners, towns)]
    mine += [m.end for m in find_municipalities(text, own) if m.code == own]
    return owners + towns, mine


# "Malmö stad har som mål att staden ska ...", "ett energibolag, som har som mål att hela koncernen ...":
# the owner's own words for itself, in the clause of its aim
_RX_ANAPHOR = re.compile(r"(?:staden|stadens|kommunen|kommunens|the\s+city|the\s+municipality)", re.I)
_RX_OWN_BODY = re.compile(r"(?:koncernen|koncernens|(?:egna?|egen)\s+(?:organisation|verksamhet)\w*)", re.I)


def _anaphor_of_another(text: str, m: re.Match, owners: list[int], towns: list[int]) -> bool:
    """Whether an own word ("staden", "koncernen") stands for another named before it and an "att"
    between (its aim's clause): "koncernen", "den egna organisationen" for any owner, "staden"/"kommunen"
    for a municipality."""
    body = bool(_RX_OWN_BODY.fullmatch(m.group(0)))
    if not body and not _RX_ANAPHOR.fullmatch(m.group(0)):
        return False
    before = towns + (owners if body else [])
    return any(end <= m.start() and re.search(r"\b(?:att|that|to)\b", text[end:m.start()]) for end in before)


def names_scope(text: str) -> bool:
    """Whether the words say what a target covers (the part, the organisation, the area or place)."""
    return bool(_P["target_scope_part"].search(text) or _P["target_scope_org"].search(text)
                or re.search(r"geografisk|\bsom\s+plats\b|\bplatsen\b|\bgeographic", text, re.I))


def scope_of(text: str) -> str:
    if _P["target_scope_part"].search(text):
        return "part-of-municipality"
    if _P["target_scope_org"].search(text):
        return "municipal-organisation"
    return "geographic-area"


def sector_of(text: str) -> str | None:
    """The one sector a target's subject names, or None for all sectors."""
    return next((sector for sector, rx in target_sectors() if rx.search(text)), None)


def basis_of(clause: str, kind: str) -> str:
    if _P["target_basis_consumption"].search(clause):
        return "consumption"
    if _P["target_basis_fossil"].search(clause):
        return "fossil-co2"
    if kind in _EMISSION_KINDS and _P["target_basis_territorial"].search(clause):
        return "territorial"
    return "unknown"


def status_of(clause: str, context: str, at: int) -> str:
    if _P["target_not_met"].search(clause):
        return "not-met"
    if _P["target_achieved"].search(clause):
        return "achieved"
    if _P["target_proposed"].search(clause) or _P["target_proposed"].search(context) and not _P["target_adopted"].search(clause):
        return "proposed"  # not "Dagens mål, antaget 2019, säger att ..." on a page about a proposal
    wish = None
    for wish in _P["target_aspiration"].finditer(clause[:at]):
        pass
    if wish and not _P["target_adopted"].search(clause) and not _RX_SHALL.search(clause[wish.end():at]):
        return "aspiration"  # "Växjö siktar på att bli ...", not "har högre ambitioner och ska bli ..."
    return "adopted"


def assess(found: list[Target], doc: Document, s: Sent, first_new: int) -> None:
    """A sentence judging a target read before ("Det målet nåddes samma år", "Delmålet för 2025
    kommer inte att nås") sets that target's status."""
    if len(found) > first_new or not found:
        return
    status = "not-met" if _P["target_not_met"].search(s.text) else "achieved" if _P["target_achieved"].search(s.text) else None
    if status is None:
        return
    # its years that are the targets' (not "The 2022 annual report noted that ...")
    years = [y for m in RX_YEAR.finditer(s.text) if any(t.target_year == (y := int(m.group("y"))) for t in found)]
    for i in range(len(found) - 1, -1, -1):
        t = found[i]
        if years and t.target_year not in years:
            continue
        if not years and re.search(r"\bdelmål", s.text, re.I) and not re.search(r"\bdelmål", t.evidence, re.I):
            continue
        found[i] = replace(t, status=status, evidence=f"{t.evidence} {s.text}")
        break


def both_scopes(found: list[Target], doc: Document, s: Sent) -> list[Target]:
    """The targets of the sentence before, for the area and for the organisation."""
    previous = doc.previous(s)
    last = [i for i, t in enumerate(found) if previous is not None and t.evidence.startswith(previous.text)]
    out = []
    for i in last:
        t = found[i]
        evidence = f"{t.evidence} {s.text}"
        found[i] = replace(t, scope="geographic-area", evidence=evidence)
        out.append(replace(t, scope="municipal-organisation", evidence=evidence))
    return out


def said_later(clause: str) -> bool:
    m = _P["target_relative_year"].search(clause)
    return m is not None and (m.group("later") or m.group("earlier")) is not None


def restated(t: Target, sentence: str, clause: str) -> list[Target]:
    """"För kommunen som helhet gäller samma mål tio år senare": the target before, for the scope,
    basis and year this clause gives."""
    relative = relative_year(clause, [t])
    years = [y.year for y in find_years(clause) if y.role == "target"]
    basis = basis_of(clause, t.kind)
    evidence = t.evidence if sentence in t.evidence else f"{t.evidence} {sentence}"
    status = status_of(clause, "", len(clause))  # "Nämnden siktar på att nå dit två år tidigare"; else the target's
    return [replace(t, evidence=evidence, target_year=relative or (years[0] if years else t.target_year),
                    scope=scope_of(clause), basis=basis if basis != "unknown" else t.basis,
                    status=status if status != "adopted" else t.status)]


def perspectives(doc: Document, s: Sent, targets: list[Target]) -> list[Target]:
    """A target followed up "i tre perspektiv:" and a list of them (the area's emissions, the
    residents' consumption, the organisation's own): one target per item, its scope and basis."""
    items = [b for b in doc.page.blocks[s.block.index + 1:s.block.index + 8] if b.tag == "li"]
    items = items[:next((i for i, b in enumerate(items) if b.list_no != items[0].list_no), len(items))] if items else []
    if not items or any(find_mentions(b.text) for b in items) or not all(_P["target_emissions"].search(b.text) for b in items):
        return targets
    last = targets[-1]
    copies = [replace(last, evidence=f"{last.evidence} {b.text}", scope=scope_of(b.text),
                      basis=basis_of(b.text, last.kind) if basis_of(b.text, last.kind) != "unknown" else last.basis)
              for b in items]
    return targets[:-1] + copies


def table_targets(doc: Document, own: str) -> list[Target]:
    """Targets in a table with a column of target values ("Indikator | Startvärde | Målvärde 2030"):
    one per row, its kind from the row's label and the value's unit."""
    out = []
    for rows in doc.tables().values():
        header = rows[min(rows)]
        column = next(((c, int(m.group("y"))) for c, b in header.items()
                       if (m := re.search(r"\b(?:mål\w*|target\w*)\s*(?:år\s*)?(?P<y>20\d\d)\b", b.text, re.I))), None)
        if column is None:
            out += _year_column_targets(rows, own, _over_table(doc, header))
            continue
        col, year = column
        for r, row in sorted(rows.items()):
            if r == min(rows) or col not in row or not row.get(min(row)):
                continue
            label, cell = row[min(row)].text, row[col].text
            for m in find_mentions(_stated_in_row(label, cell), label):
                if m.value is None:
                    continue
                evidence = _row_evidence(header, row)
                out.append(Target(own, m.kind, evidence, m.value, m.value_max, m.unit, None, year, None,
                                  scope=scope_of(label), basis=basis_of(label, m.kind), sector=sector_of(label), status="adopted"))
    return out


# a unit at the end of a row's label: "Växthusgasutsläpp från kommunens transporter, ton CO2e", "Andel fossilfria fordon, %"
_RX_LABEL_UNIT = re.compile(r"(?:,\s*|\s*\()(?P<u>%|procent|(?:kilo)?ton(?:\s+CO2e?|\s+koldioxidekvivalenter)?(?:\s+per\s+(?:invånare|person)(?:\s+och\s+år)?)?"
                            r"|kt|GWh|TWh|kWh/m²|kWh/m2|kg\s+CO2e?\s+per\s+\w+(?:\s+\w+)?)\)?\s*$",
                            re.IGNORECASE)


def _stated_in_row(label: str, cell: str) -> str:
    """A row's label and target value as the sentence they say: with the label's unit after the
    value, and a level of emissions as the ceiling a target value is ("högst 870 ton")."""
    m = _RX_LABEL_UNIT.search(label)
    if m is None or not re.fullmatch(r"\s*[−–-]?\s*\d[\d \u00a0]*(?:[,.]\d+)?\s*", cell):
        return f"{label} {cell}"
    unit = m.group("u")
    ceiling = "högst " if re.search(r"ton|kt", unit, re.I) else ""
    return f"{label[:m.start()]} {ceiling}{cell.strip()} {unit}"


def _over_table(doc: Document, header: dict) -> str:
    """The line just above a table ("Mål för utsläpp av växthusgaser (jämfört med 1990)"), if it is no cell."""
    first = min(b.index for b in header.values())
    above = doc.page.blocks[first - 1] if first > 0 else None
    return above.text if above is not None and above.cell is None else ""


def _year_column_targets(rows: dict, own: str, above: str = "") -> list[Target]:
    """A table whose rows state targets, with a column of their years ("Mål | Målår | Omfattning",
    "Delmål | Utgångsår | Målår | Målnivå"): each row's targets in that row's year, with the
    value, baseline and scope of their own columns when the table has them. A table of years and
    values alone ("År | Minskning" under "Mål för utsläpp ... jämfört med 1990") says what it
    measures in its value column's header and the line above it."""
    header = rows[min(rows)]

    def column(pattern: str) -> int | None:
        return next((c for c, b in header.items() if re.fullmatch(pattern, b.text.strip(), re.I)), None)

    year_col = column(r"(?:mål)?år|målår\w*|(?:target|goal)\s+year|year")
    if year_col is None:
        return []
    value_col = column(r"(?:mål)?nivå|målvärde|värde|target\s+(?:level|value)|level|value|mål\s+\(?%?\)?") \
        or column(r"minskning\w*(?:\s+\(?%\)?)?|reduktion|reduction|andel\w*|share")
    base_col = column(r"basår|utgångsår|startår|jämförelseår|base(?:line)?(?:\s+year)?")
    scope_col = next((c for c, b in header.items() if re.search(r"omfatt|avser|scope|gäller", b.text, re.I)), None)
    out = []
    for r, row in sorted(rows.items()):
        year = re.fullmatch(r"\s*(20\d\d)\s*", row[year_col].text) if r != min(rows) and year_col in row else None
        if year is None or not row.get(min(row)):
            continue
        label = row[min(row)].text if min(row) != year_col else f"{above} {header[value_col].text}" if value_col in header else ""
        stated = f"{label} {row[value_col].text}" if value_col in row else label
        scope_text = row[scope_col].text if scope_col in row else label
        base = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", row[base_col].text) if base_col in row else None
        baseline = int(base.group(1)) if base else next((y.year for y in find_years(label) if y.role == "baseline"), None)
        evidence = _row_evidence(header, row) if min(row) != year_col else f"{above}: {_row_evidence(header, row)}"
        for m in find_mentions(stated, label):
            out.append(Target(own, m.kind, evidence, m.value, m.value_max, m.unit, baseline, int(year.group(1)), None,
                              scope=scope_of(scope_text), basis=basis_of(label, m.kind),
                              sector=sector_of(label), status="adopted"))
    return out


def _row_evidence(header: dict, row: dict) -> str:
    """A table row as evidence, under its header: "Mål | Målår — Koncernen är fossilfri | 2030"."""
    return " | ".join(b.text for b in header.values()) + " — " + " | ".join(b.text for _, b in sorted(row.items()))


_RX_EXPLAINS = re.compile(r"^\s*(?:det|detta|this|that)\s+(?:betyder|innebär|means)\b", re.IGNORECASE)


def explains_before(found: list[Target], first_new: int, doc: Document, s: Sent) -> None:
    """"Helsingborg ska vara klimatneutralt. Det betyder att ... inga nettoutsläpp senast år 2030":
    the kind named in the explanation is the target before, in other words; no target of its own."""
    previous = doc.previous(s)
    if not _RX_EXPLAINS.match(s.text) or previous is None or first_new == 0 or len(found) == first_new:
        return
    before = [t for t in found[:first_new] if t.evidence == previous.text]
    if before and all(t.value is None and t.target_year == before[-1].target_year for t in found[first_new:]):
        del found[first_new:]
        found[found.index(before[-1])] = replace(before[-1], evidence=f"{before[-1].evidence} {s.text}")


def judged_again(found: list[Target], first_new: int, s: Sent) -> None:
    """A sentence that reports a target stated before as reached or missed ("Målet om en
    fossilbränslefri organisation nåddes vid årsskiftet 2015/2016") judges that target: it sets
    the earlier one's status and is no target of its own. One that states it again without
    naming a scope ("Målvärde: fossilfri fordonsflotta (2025)" under the goal) is no new target either."""
    said_scope = scope_of(s.text) if names_scope(s.text) else None  # a restatement names none, or the same
    for t in found[first_new:]:
        judged = t.status in ("achieved", "not-met")
        same = [i for i, e in enumerate(found[:first_new]) if (e.kind, e.target_year, e.value) == (t.kind, t.target_year, t.value)
                and (judged or (e.unit, e.sector) == (t.unit, t.sector) and said_scope in (None, e.scope))]
        if same:
            e = found[same[-1]]
            found[same[-1]] = replace(e, status=t.status if judged else e.status, evidence=f"{e.evidence} {t.evidence}")
            found.remove(t)


def superseded(found: list[Target], first_new: int, doc: Document, s: Sent) -> None:
    """"Det målet ersattes när energiplanen reviderades": the target of the sentence before is no
    longer the municipality's."""
    previous = doc.previous(s)
    if len(found) == first_new and found and previous is not None and previous.text in found[-1].evidence \
            and _P["target_superseded"].search(s.text) and not find_mentions(s.text):  # (not a region's aim "it has not adopted")
        found.pop()
