"""Climate targets: what a municipality has set itself to reach, by when, against what.

A target is read from one clause of a sentence (a sentence split at ":" and ";", and at ", och"
or ", men" before a new subject): a **mention** (a kind named, "klimatneutralt", "fossilfri", or a
quantity of emissions or energy, "minska med 70 procent", "högst 95 kiloton", "80 GWh"), the
**years** around it in their roles (the target year; a baseline after "jämfört med", "än",
"sedan"; a period "mellan 2022 och 2045"; a decision's or a document's year is none of them), and
an **owner**: the page's own municipality, unless the nearest owner word before the mention is
another's (Sverige, regionen, EU, a company, another municipality). A clause reporting a
statistic ("har minskat med 62 procent sedan 1990") sets no target; one under a heading or intro
that says "mål" does.

A year can come from around the clause: "Målåret är 2035." after it, "samma år" / "till dess"
(the year of the target just read), "15 år före det nationella målet" (2045 - 15), "tio år
senare". "Samma mål" restates the previous target for another scope; "Målet omfattar både
kommunen som geografiskt område och kommunens egen organisation" gives it both scopes. A later
assessment ("Delmålet för 2025 kommer inte att nås") sets a target's status.

The words are data: [target_kind.*] and [pattern.target_*] in klimatkontrakt/normalise/vocabulary.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.document import Document, Sent
from klimatkontrakt.model import Target
from klimatkontrakt.normalise.municipalities import find_municipalities
from klimatkontrakt.normalise.vocabulary import number_words, patterns, target_kinds

_P = patterns()
_FRACTIONS = number_words("target_fractions")
_NUMBERS = number_words("target_numbers")
_RX_YEAR = re.compile(r"(?<![\d/.,-])(?P<y>(?:19[5-9]|20[0-9])\d)(?P<fn>\d)?(?![\d-])")
_RX_CLAUSE = re.compile(r":\s+|;\s+|\s[–—]\s|,\s+(?:och|men|and|but)\s+(?=\S+\s+(?:\S+\s+){0,3}?(?:ska|skall|är|har|får|is|are|will)\b)")
_RX_SEGMENT = re.compile(r",\s+(?:och|and|men|but)\s+", re.IGNORECASE)  # "By 2030 ... 80 percent lower, and by 2045 ..."
_RX_APPOSITION = re.compile(r",\s(?![^,]*\b(?:som|ska|är|har|which|is|are)\b)[^,]{3,60},")
_RX_COORDINATED = re.compile(r"^\s*(?:,|och|and|samt|eller|or)\s*$", re.IGNORECASE)
_RX_SHALL = re.compile(r"\b(?:ska|skall|shall|is\s+to|are\s+to)\b", re.IGNORECASE)
_NATIONAL_GOAL = 2045  # Sweden's net-zero year, the reference of "15 år före det nationella målet"
_EMISSION_KINDS = {"emissions-reduction", "emissions-cap", "carbon-budget", "per-capita-level"}


@dataclass
class _Mention:
    kind: str
    start: int
    end: int
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None


@dataclass
class _Year:
    year: int
    start: int
    end: int
    role: str  # target | baseline | period | ignore


def find_targets(doc: Document) -> list[Target]:
    own = doc.own_code or _page_municipality(doc)
    if own is None:
        return []
    found: list[Target] = []
    headings: list[Target] = []  # a heading's target counts when no sentence under it states it
    for s in doc.sents:
        if "target" not in s.triggers or s.block.tag == "footnote" or s.block.caption:
            continue
        if s.block.is_heading:  # "Fossilfria transporter 2030": no word of aim needed, but no question
            if s.text.rstrip().endswith("?"):
                continue
            for clause_start, clause in _clauses(s.text):
                headings += _read_clause(doc, s, clause, clause_start, own, found)
            continue
        before = len(found)
        if found and _P["target_both_scopes"].search(s.text):
            found += _both_scopes(found, doc, s)
        elif found and _P["target_same_target"].search(s.text):
            found += _restated(found[-1], s.text, s.text)
        elif _sets_targets(doc, s):
            for clause_start, clause in _clauses(s.text):
                read = _read_clause(doc, s, clause, clause_start, own, found)
                if not read and found and _later(clause):
                    read = _restated(found[-1], s.text, clause)  # "...; the municipality as a whole follows ten years later"
                found += read
        _assess(found, doc, s, before)
        if s.text.rstrip().endswith(":") and len(found) > before:
            found[before:] = _perspectives(doc, s, found[before:])
    found += _table_targets(doc, own)
    stated = {(t.kind, t.target_year, t.value) for t in found}
    return _dedupe(found + [t for t in headings if (t.kind, t.target_year, t.value) not in stated])


def _perspectives(doc: Document, s: Sent, targets: list[Target]) -> list[Target]:
    """A target followed up "i tre perspektiv:" and a list of them (the area's emissions, the
    residents' consumption, the organisation's own): one target per item, its scope and basis."""
    items = [b for b in doc.page.blocks[s.block.index + 1:s.block.index + 8] if b.tag == "li"]
    items = items[:next((i for i, b in enumerate(items) if b.list_no != items[0].list_no), len(items))] if items else []
    if not items or any(_mentions(b.text) for b in items) or not all(_P["target_emissions"].search(b.text) for b in items):
        return targets
    last = targets[-1]
    copies = [replace(last, evidence=f"{last.evidence} {b.text}", scope=_scope(b.text),
                      basis=_basis(b.text, last.kind) if _basis(b.text, last.kind) != "unknown" else last.basis)
              for b in items]
    return targets[:-1] + copies


def _table_targets(doc: Document, own: str) -> list[Target]:
    """Targets in a table with a column of target values ("Indikator | Startvärde | Målvärde 2030"):
    one per row, its kind from the row's label and the value's unit."""
    out = []
    for rows in doc.tables().values():
        header = rows[min(rows)]
        column = next(((c, int(m.group("y"))) for c, b in header.items()
                       if (m := re.search(r"\b(?:mål\w*|target\w*)\s*(?:år\s*)?(?P<y>20\d\d)\b", b.text, re.I))), None)
        if column is None:
            continue
        col, year = column
        for r, row in sorted(rows.items()):
            if r == min(rows) or col not in row or not row.get(min(row)):
                continue
            label, cell = row[min(row)].text, row[col].text
            for m in _mentions(f"{label} {cell}"):
                if m.value is None:
                    continue
                evidence = " | ".join(b.text for b in header.values()) + " — " + " | ".join(b.text for _, b in sorted(row.items()))
                out.append(Target(own, m.kind, evidence, m.value, m.value_max, m.unit, None, year, None,
                                  scope=_scope(label), basis=_basis(label, m.kind), status="adopted"))
    return out


def _page_municipality(doc: Document) -> str | None:
    """The one municipality a page's title names ("State of 2030 Cities: Kalmar"): the owner of
    the targets on a page that is no municipality's own."""
    codes = {m.code for m in find_municipalities(doc.page.title or "")}
    return codes.pop() if len(codes) == 1 else None


def _clauses(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _RX_CLAUSE.finditer(text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(at, c) for at, c in out if c.strip()]


def _context(doc: Document, s: Sent) -> str:
    """The words over a sentence that make it a target: its headings and, for a list item or a
    line under an intro ("Förslag till mål:"), that intro."""
    return " ".join((_intro(doc, s), *s.headings[:2], doc.page.title or ""))


def _sets_targets(doc: Document, s: Sent) -> bool:
    """Whether a sentence may set a target, not report a statistic ("Utsläppen har minskat med 62
    procent sedan 1990") or ask a question: a word of aim in it, its headings or its intro."""
    if s.text.rstrip().endswith("?"):
        return False
    return bool(_P["target_marker"].search(s.text) or _P["target_marker"].search(_context(doc, s)))


def _read_clause(doc: Document, s: Sent, clause: str, offset: int, own: str, found: list[Target]) -> list[Target]:
    label = s.text[:offset]
    label_year = next((y.year for y in _years(label) if y.role == "target"), None) \
        if offset and len(label) <= 45 and label.rstrip().endswith(":") else None
    mentions = _mentions(clause, _background(doc, s))
    if not mentions or _P["target_not"].search(clause):
        return []
    context = _context(doc, s)
    if _P["target_statistic"].search(clause) and not _P["target_modal"].search(clause) \
            and not _P["target_marker"].search(_intro(doc, s)):
        return []  # "vid utgången av 2020 var koncernen fossilbränslefri till 97 procent": what was
    years = _years(clause)
    relative = _relative_year(clause, found)
    out: list[Target] = []
    previous_end = 0
    for i, m in enumerate(mentions):
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else len(clause)
        subject = clause[previous_end:m.start]
        if _owned_by_other(clause[:m.start], clause[m.end:], own, s.text[:offset]):
            previous_end = m.end
            continue
        target_year, year_at, period_start = _target_year(m, years, previous_end, next_start, clause)
        borrowed = False
        if target_year is None and i + 1 < len(mentions) and (_RX_COORDINATED.match(clause[m.end:next_start]) or (
                mentions[i + 1].kind == m.kind and re.search(r"\b(?:och|and)\b", clause[m.end:next_start]))):
            # "både fossilbränslefritt och klimatneutralt till 2030": the year after the next one
            following = len(clause) if i + 2 >= len(mentions) else mentions[i + 2].start
            target_year, year_at, period_start = _target_year(mentions[i + 1], years, m.end, following)
            borrowed = target_year is not None
        if target_year is None and out and i > 0 and _RX_COORDINATED.match(
                re.sub(r"^\s*både\s+", " ", clause[mentions[i - 1].end:m.start])):
            target_year = out[-1].target_year  # "senast 2030 ska vara både fossilfritt och klimatneutralt"
        if target_year is None and label_year is not None:
            target_year = label_year  # "Utsläpp år 2030: högst 60 kiloton"
        if target_year is None and relative is not None:
            target_year = relative
        if target_year is None and _P["target_same_year"].search(clause) and (found or out):
            target_year = (out or found)[-1].target_year
        if target_year is None:
            target_year = _year_from_around(doc, s, clause)
        if target_year is None and m.unit != "percent-per-year":
            previous_end = m.end
            continue  # "klimatneutralt" with no year is no target the data can hold
        if m.kind != "carbon-budget" and m.unit != "percent-per-year":
            period_start = None  # "När programperioden 2022–2025 är slut": the period is the programme's
        baseline = next((y.year for y in years if y.role == "baseline" and previous_end <= y.start < next_start), None)
        if m.kind == "carbon-budget" and period_start is None:
            period_start = next((y.year for y in years if y.role == "period-start"), None)
        if m.unit == "percent-per-year" and baseline is not None and re.search(
                r"(?:från\s+och\s+med|räknat\s+från|from)\s+(?:år\s+)?$", clause[:_year_pos(years, baseline)], re.I):
            period_start, baseline = baseline, None  # "16 procent varje år, räknat från och med 2020"
        about = clause[previous_end:year_at if year_at and year_at > m.end else m.end]  # the words the target is about
        if m.kind == "other" or borrowed:
            about = clause[previous_end:next_start]  # "60 percent of all trips"
        window = f"{subject} {about}"
        out.append(Target(
            own, m.kind, s.text, m.value, m.value_max, m.unit, baseline, target_year, period_start,
            scope=_scope(f"{context if s.block.tag == 'li' else ''} {window}"),
            basis=_basis(clause, m.kind),
            sector="transport" if _P["target_transport"].search(window) else None,
            status=_status(clause, f"{context} {s.text[:offset]}", m.start)))
        if borrowed:
            previous_end = m.end  # the next mention's year is the next mention's too
            continue
        previous_end = max(m.end, year_at + 4 if year_at and year_at > m.end else 0)
        out += _other_scopes(out[-1], clause, years, previous_end, next_start)
    return out


def _other_scopes(t: Target, clause: str, years: list[_Year], since: int, until: int) -> list[Target]:
    """The same target for another scope and year in the words after it: "ska minska med 100
    procent i kommunen som geografiskt område till år 2030 och i kommunorganisationen redan till år 2025"."""
    out = []
    for y in years:
        if y.role != "target" or not since <= y.start < until:
            continue
        words = clause[since:y.start]
        if re.match(r"\s*(?:,\s*)?(?:och|and)\s+(?:i|för|in|for)\s+", words, re.I) and _scope(words) != t.scope:
            out.append(replace(t, target_year=y.year, scope=_scope(words)))
        since = y.end
    return out


def _intro(doc: Document, s: Sent) -> str:
    intro = doc.intro(s.block) if s.block.tag in ("li", "p") else ""
    return intro if intro.rstrip().endswith(":") else ""


def _background(doc: Document, s: Sent) -> str:
    """What a bare figure measures when its clause does not say ("Mål: −65 % till 2030" under "tre
    mål för de fossila koldioxidutsläppen"): the four sentences before it in its section, its headings."""
    before = [x.text for x in doc.sents[max(0, s.pos - 4):s.pos] if x.headings[:1] == s.headings[:1]]
    return " ".join((*before, *s.headings[:1]))


def _mentions(clause: str, background: str = "") -> list[_Mention]:
    """The targets a clause may name: kinds by word, and quantities of emissions or energy."""
    found: list[_Mention] = []
    for kind, rx in target_kinds():
        for m in rx.finditer(clause):
            if _P["target_name"].match(clause, m.start()) \
                    and not re.search(r"\b(?:mål\w*(?:\s+om)?|ett|en|an?|heter|kallas|named|called)\s+[”\"“]?$",
                                      clause[:m.start()], re.I):
                continue  # "projektledare för Klimatneutrala Lund 2030": a name, not "målet om ett klimatneutralt Växjö 2030"
            found.append(_Mention(kind, m.start(), m.end()))
    for m in _P["target_percent"].finditer(clause):
        found.append(_Mention("", m.start(), m.end(), _number(m.group("a")),
                              _number(m.group("b")) if m.group("b") else None, "percent"))
    for m in _P["target_fraction"].finditer(clause):
        word = m.group("w").lower()
        value = next((v for w, v in _FRACTIONS.items() if word.startswith(w)), None)
        if value is not None:
            found.append(_Mention("", m.start(), m.end(), value, None, "percent"))
    for m in _P["target_mass"].finditer(clause):
        if re.match(r"\s*(?:till|to)\s+\d", clause[m.end():]) or re.search(r"\bfrån\s+$|\bfrom\s+$", clause[:m.start()]):
            continue  # "från 40 GWh år 2021 till 80 GWh": the start, not the target
        found.append(_Mention("", m.start(), m.end(), _number(m.group("a")), None, _mass_unit(m.group("u"), clause[m.end():])))
    found.sort(key=lambda x: x.start)
    out: list[_Mention] = []
    for i, m in enumerate(found):
        if out and m.start < out[-1].end:
            continue  # one mention per place
        if m.unit == "t-co2e" and out and out[-1].unit == "t-co2e-per-capita":
            m.unit = "t-co2e-per-capita"  # "fall to 2 tonnes CO2e per resident by 2040, and to 1 tonne by 2050"
        if not m.kind and out and out[-1].value is not None and m.unit == out[-1].unit \
                and re.fullmatch(r"[^.;]*\b(?:och|and)\s+(?:med\s+|by\s+|to\s+)?", clause[out[-1].end:m.start]):
            m.kind = out[-1].kind  # "minska med 35 procent i området och med 25 procent i organisationen"
        if not m.kind and not _quantity_kind(m, clause, out[-1].end if out else 0, background):
            continue
        out.append(m)
    return out


def _quantity_kind(m: _Mention, clause: str, since: int, background: str = "") -> bool:
    """What a quantity measures, from the words before it (back to the previous mention) and just
    after it: emissions, energy, or trips and traffic (kind "other")."""
    before = clause[since:m.start]
    after = clause[m.end:m.end + 40]
    if m.unit in ("gwh", "twh"):
        m.kind = "energy"
        return True
    if m.unit in ("kt-co2e", "mt-co2e", "t-co2e", "t-co2e-per-capita"):
        if m.unit == "t-co2e" and re.search(r"\bper\s+(?:invånare|capita|person|resident|inhabitant)\b", before, re.I):
            m.unit = "t-co2e-per-capita"  # "Utsläppen per invånare ska vara högst 0,5 ton år 2030"
        if m.unit == "t-co2e-per-capita":
            m.kind = "per-capita-level"
        elif _P["target_budget"].search(clause):
            m.kind = "carbon-budget"
        elif _P["target_cap"].search(before):
            m.kind = "emissions-cap"
        else:
            return False
        return True
    if _P["target_per_year"].search(after):
        m.unit = "percent-per-year"
    reduction = _P["target_reduction"].search(clause)
    if _P["target_emissions"].search(before) and reduction:
        m.kind = "emissions-reduction"
    elif _P["target_energy"].search(before) or _P["target_energy"].match(after.lstrip()) \
            or _P["target_energy"].search(after[:25]):
        m.kind = "energy"
    elif _P["target_transport"].search(before) or _P["target_transport"].search(after):
        m.kind = "other"
    elif reduction and _P["target_emissions"].search(clause):
        m.kind = "emissions-reduction"
    elif re.search(r"[−–-]\s*$", clause[max(0, m.start - 2):m.start]) and m.unit == "percent" \
            and _P["target_emissions"].search(f"{clause} {background}"):
        m.kind = "emissions-reduction"  # "Mål: −65 % till 2030" under a heading or sentence about emissions
    else:
        return False
    return True


def _years(clause: str) -> list[_Year]:
    out: list[_Year] = []
    period = _P["target_period"].search(clause)
    for m in _RX_YEAR.finditer(clause):
        year, before = int(m.group("y")), clause[:m.start()]
        if period and period.start("a") == m.start():
            role = "period-start"
        elif period and period.start("b") == m.start():
            role = "target"
        elif _P["target_year_ignore"].search(before[-40:]) or re.match(r"\s*års\s+version", clause[m.end():]):
            role = "ignore"
        elif re.search(r"\b(?:från\s+och\s+med|från|from)\s+(?:år\s+)?$", before[-20:], re.I) \
                and not re.search(r"räknat\s+från", before[-30:], re.I) and not _P["target_reduction"].search(clause):
            role = "target"  # "Från och med 2025 ska ... 100 procent förnybar el": from then on
        elif _P["target_baseline_before"].search(before[-30:]) or _P["target_baseline_after"].match(clause[m.end():]) \
                or re.search(r"\bfrån\s+[^.]{0,25}$", before[-30:]) and re.match(r"\s*(?:till|to)\b", clause[m.end():]):
            role = "baseline"
        elif year < 2000:
            role = "baseline"
        else:
            role = "target"
        out.append(_Year(year, m.start(), m.end(), role))
    return out


def _year_pos(years: list[_Year], year: int) -> int:
    return next(y.start for y in years if y.year == year)


def _target_year(m: _Mention, years: list[_Year], since: int, until: int,
                 clause: str | None = None) -> tuple[int | None, int | None, int | None]:
    """(target year, where it stands, period start) for a mention: the first target year after it
    (before the next mention), else the nearest before it (after the previous one)."""
    targets = [y for y in years if y.role == "target"]
    after = [y for y in targets if m.end <= y.start < until]
    before = [y for y in targets if since <= y.start < m.start]
    if after and before and clause is not None and _RX_SEGMENT.search(clause, m.end, after[0].start):
        after = []  # "By 2030 ... shall be 80 percent lower, ..., and by 2045 ...": the year of its own segment
    chosen = after[0] if after else before[-1] if before else None
    if chosen is None:
        return None, None, None
    start = next((y.year for y in years if y.role == "period-start" and y.end <= chosen.start), None)
    return chosen.year, chosen.start, start


def _relative_year(clause: str, found: list[Target]) -> int | None:
    m = _P["target_relative_year"].search(clause)
    if m is None:
        return None
    if m.group("n"):
        n = m.group("n")
        ref = int(m.group("ref")) if m.group("ref") else _NATIONAL_GOAL
        return ref - (int(n) if n.isdigit() else int(_NUMBERS[n.lower()]))
    n = m.group("later")
    if found and found[-1].target_year:
        return found[-1].target_year + (int(n) if n.isdigit() else int(_NUMBERS[n.lower()]))
    return None


def _year_from_around(doc: Document, s: Sent, clause: str) -> int | None:
    """A target year said on a line of its own after the sentence ("Målåret är 2035."), the one
    for the same scope when several are ("Målen för kommunorganisationen har målår 2026")."""
    scope = _scope(clause)
    lines = []
    for x in doc.sents[s.pos + 1:s.pos + 6]:
        if x.block.is_heading:
            break
        m = _P["target_year_line"].search(x.text)
        if m:
            lines.append((_scope(x.text), int(m.group("y"))))
    same = [y for sc, y in lines if sc == scope]
    return same[0] if same else lines[0][1] if len(lines) == 1 else None


def _owned_by_other(before: str, after: str, own: str, label: str = "") -> bool:
    """Whether the nearest owner named before the mention is not the municipality ("Regionens mål
    är att ...", "Grannkommunen Sandviken siktar på", "Sveriges mål om nettonollutsläpp"), or the
    word after it names another ("ett klimatneutralt län", "a climate neutral Europe"). A clause
    after a colon that names no owner has the one its sentence begins with ("Sverige har ett
    eget etappmål: utsläppen ...")."""
    noun = re.sub(r"^\s*(?:(?:och|and)\s+\w+\s+)?", "", after)  # "klimatneutrala och hållbara städer"
    if _P["target_other_owner"].match(noun) and not re.match(r"\w+koncernen", noun):
        return True
    other, mine = _owners(before, own)
    if not other and not mine and label:
        other, mine = _owners(label, own)
        return bool(other) and (not mine or min(other) < min(mine))
    return bool(other) and (not mine or max(other) > max(mine))


def _owners(text: str, own: str) -> tuple[list[int], list[int]]:
    """Where another owner and where the municipality are named (ends of the words), leaving out
    the municipality's own companies, appositions (", kommunens största utsläppskälla,") and
    places ("i staden")."""
    text = _RX_APPOSITION.sub(" ", _P["target_own_companies"].sub(" kommunen ", text))
    other = [m.end() for m in _P["target_other_owner"].finditer(text)]
    other += [m.end for m in find_municipalities(text, own) if m.code != own]
    mine = [m.end() for m in _P["target_own"].finditer(text)
            if not re.search(r"\b(?:i|in|inom)\s+$", text[max(0, m.start() - 6):m.start()], re.I)]
    mine += [m.end for m in find_municipalities(text, own) if m.code == own]
    return other, mine


def _scope(text: str) -> str:
    if _P["target_scope_part"].search(text):
        return "part-of-municipality"
    if _P["target_scope_org"].search(text):
        return "municipal-organisation"
    return "geographic-area"


def _basis(clause: str, kind: str) -> str:
    if _P["target_basis_consumption"].search(clause):
        return "consumption"
    if _P["target_basis_fossil"].search(clause):
        return "fossil-co2"
    if kind in _EMISSION_KINDS and _P["target_basis_territorial"].search(clause):
        return "territorial"
    return "unknown"


def _status(clause: str, context: str, at: int) -> str:
    if _P["target_not_met"].search(clause):
        return "not-met"
    if _P["target_achieved"].search(clause):
        return "achieved"
    if _P["target_proposed"].search(clause) or _P["target_proposed"].search(context):
        return "proposed"
    wish = None
    for wish in _P["target_aspiration"].finditer(clause[:at]):
        pass
    if wish and not _P["target_adopted"].search(clause) and not _RX_SHALL.search(clause[wish.end():at]):
        return "aspiration"  # "Växjö siktar på att bli ...", not "har högre ambitioner och ska bli ..."
    return "adopted"


def _assess(found: list[Target], doc: Document, s: Sent, first_new: int) -> None:
    """A sentence judging a target read before ("Det målet nåddes samma år", "Delmålet för 2025
    kommer inte att nås") sets that target's status."""
    if len(found) > first_new or not found:
        return
    status = "not-met" if _P["target_not_met"].search(s.text) else "achieved" if _P["target_achieved"].search(s.text) else None
    if status is None:
        return
    years = [int(m.group("y")) for m in _RX_YEAR.finditer(s.text)]
    for i in range(len(found) - 1, -1, -1):
        t = found[i]
        if years and t.target_year not in years:
            continue
        if not years and re.search(r"\bdelmål", s.text, re.I) and not re.search(r"\bdelmål", t.evidence, re.I):
            continue
        found[i] = replace(t, status=status, evidence=f"{t.evidence} {s.text}")
        break


def _both_scopes(found: list[Target], doc: Document, s: Sent) -> list[Target]:
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


def _later(clause: str) -> bool:
    m = _P["target_relative_year"].search(clause)
    return m is not None and m.group("later") is not None


def _restated(t: Target, sentence: str, clause: str) -> list[Target]:
    """"För kommunen som helhet gäller samma mål tio år senare": the target before, for the scope,
    basis and year this clause gives."""
    relative = _relative_year(clause, [t])
    years = [y.year for y in _years(clause) if y.role == "target"]
    basis = _basis(clause, t.kind)
    evidence = t.evidence if sentence in t.evidence else f"{t.evidence} {sentence}"
    return [replace(t, evidence=evidence, target_year=relative or (years[0] if years else t.target_year),
                    scope=_scope(clause), basis=basis if basis != "unknown" else t.basis)]


def _dedupe(found: list[Target]) -> list[Target]:
    """One target per what it says: a heading restating the sentence below it is one target."""
    out: dict[tuple, Target] = {}
    for t in found:
        key = (t.kind, t.value, t.value_max, t.unit, t.target_year, t.scope, t.basis, t.sector, t.baseline_year)
        if key not in out:
            out[key] = t
    return list(out.values())


def _number(text: str) -> float:
    value = float(re.sub(r"[ \u00a0]", "", text).replace(",", "."))
    return int(value) if value.is_integer() else value


def _mass_unit(unit: str, after: str) -> str:
    u = unit.lower().replace(" ", "")
    if _P["target_per_capita"].match(after):
        return "t-co2e-per-capita"
    if u.startswith("kilo") or u == "kt":
        return "kt-co2e"
    if u.startswith(("miljoner", "million", "mega")) or u == "mt":
        return "mt-co2e"
    if u in ("gwh", "twh"):
        return u
    return "t-co2e"
