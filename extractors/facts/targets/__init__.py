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
from dataclasses import replace
from functools import lru_cache

from extractors.document import Document, Sent
from extractors.facts.targets.around import (
    committing_heading,
    intro_year,
    list_intro,
    past_status,
    period_referred,
    year_from_around,
    year_of_heading,
    year_of_name_above,
    year_said_before,
)
from extractors.facts.targets.figures import (
    Mention,
    Year,
    find_mentions,
    find_years,
    pick_target_year,
    quantity_at,
    relative_year,
    within_years,
    year_pos,
)
from extractors.facts.targets.qualities import (
    assess,
    basis_of,
    both_scopes,
    explains_before,
    judged_again,
    names_scope,
    owned_by_other,
    perspectives,
    restated,
    said_later,
    scope_of,
    sector_of,
    status_of,
    superseded,
    table_targets,
)
from klimatkontrakt.core.model import Target
from klimatkontrakt.normalise.municipalities import find_municipalities
from klimatkontrakt.normalise.vocabulary import patterns, target_kinds

_P = patterns()
_RX_CLAUSE = re.compile(r":\s+|;\s+|\s[–—]\s(?!(?:i|för|in|for)\s)|,\s+(?:och|men|and|but)\s+(?=\S+\s+(?:\S+\s+){0,3}?(?:ska|skall|är|har|får|var|kommer|is|are|will|shall|must|was)\b)")
_RX_FRONTED_YEAR = re.compile(r"\s*(?:fram\s+till|till|senast|by|until|år|in)\s+(?:år\s+|utgången\s+av\s+)?20\d\d\b", re.IGNORECASE)
_RX_LABEL = re.compile(r"[A-ZÅÄÖ][\wåäö]*(?:\s+(?!ska\b|är\b|har\b|skall\b|blir\b)[\wåäö–-]+){0,4}")
_RX_MEASURED = re.compile(r"\b(?:senaste\s+värde\w*|utgångsvärde\w*|startvärde\w*|utfall\w*|latest\s+value|baseline\s+value)", re.I)
# "this interim target had already been met, with a reduction of 47%", "Målet har nåtts: ...": a
# target read before judged, its outcome no target
_RX_JUDGES_BEFORE = re.compile(r"\b(?:this|that|the)\s+(?:interim\s+)?(?:target|goal)\s+(?:had|has)\s+(?:already\s+)?been\s+(?:met|reached|achieved)\b"
                               r"|\b(?:målet|delmålet|det\s+målet)\s+(?:(?:har|hade)\s+(?:redan\s+)?(?:nåtts|uppnåtts|klarats)|nåddes|uppnåddes|klarades)\b", re.IGNORECASE)
_RX_DASHED_ASIDE = re.compile(r"\s[–—]\s[^–—.;:]{3,160}?\s[–—]\s(?=\S)")
# "Bromölla ska vara klimatneutral 2035 – både som geografiskt område och som organisation"
_RX_BOTH_HERE = re.compile(r"\s*(?:både\s+)?(?:som|för|i)\s+(?:det\s+)?geografisk\w*\s+område\w*\s+och\s+(?:som|för|i)\s+(?:den\s+)?(?:egen\s+|egna\s+)?(?:kommun)?organisation\w*"
                           r"|\s*(?:både\s+)?(?:som|för|i)\s+(?:den\s+)?(?:egen\s+|egna\s+)?(?:kommun)?organisation\w*\s+och\s+(?:som|för|i)\s+(?:det\s+)?geografisk\w*\s+område\w*",
                           re.IGNORECASE)
_RX_COORDINATED = re.compile(r"^\s*(?:,|och|and|samt|eller|or)\s*$", re.IGNORECASE)


def find_targets(doc: Document) -> list[Target]:
    own = doc.own_code or _page_municipality(doc)
    if own is None:
        return []
    found: list[Target] = []
    headings: list[Target] = []  # a heading's target counts when no sentence under it states it
    for s in doc.sents:
        if "target" not in s.triggers or s.block.caption \
                or s.block.tag == "footnote" and _defined_target(found, s.text) is None:
            superseded(found, len(found), doc, s)  # "Mörbylånga har ännu inte anslutit sig till den versionen."
            continue  # a footnote counts when it defines a target ("3 Med klimatneutral avses att ...")
        heading = s.headings[0] if s.headings else ""
        if (_P["target_former"].search(heading) or _P["target_former"].match(s.text)) \
                and not any(_P[p].search(f"{heading} {s.text}") for p in ("target_achieved", "target_not_met")):
            continue  # under "Tidigare mål" (a heading, or a line glued to its paragraph): targets no longer in
            # force, unless judged ("Tidigare mål som har nåtts")
        if _value_after_intro(doc, s):  # "..., minskning till 2030 jämfört med 2015:" / "minst hälften"
            found += _read_clause(doc, s, f"{doc.intro(s.block)} {s.text}", 0, own, found)
            continue
        if opening := _open_intro(doc, s):  # "Senast 2030 ska" over "• kommunens fordon drivas helt fossilfritt,"
            found += _read_clause(doc, s, f"{opening} {s.text}", 0, own, found)
            continue
        if s.block.is_heading:  # "Fossilfria transporter 2030": no word of aim needed, but no question
            if s.text.rstrip().endswith("?") or _RX_MEASURED.search(doc.intro(s.block)) \
                    or re.search(r"\((?:19|20)\d\d\)", s.text):
                continue  # nor a value measured ("Senaste värdet:" / "5,2 ton/invånare (2022)")
            for clause_start, clause in _clauses(s.text):
                headings += _read_clause(doc, s, clause, clause_start, own, found)
            continue
        before = len(found)
        if found and _P["target_both_scopes"].search(s.text):
            found += both_scopes(found, doc, s)
        elif found and _P["target_same_target"].search(s.text):
            found += restated(found[-1], s.text, s.text)
        elif found and (new_value := _P["target_new_value"].search(s.text)):
            found += _with_new_value(found[-1], doc, s, new_value.end())
        elif _sets_targets(doc, s) or found and _P["target_definition"].search(s.text):  # "Med X menas att ... då"
            for clause_start, clause in _clauses(s.text):
                read = _read_clause(doc, s, clause, clause_start, own, found)
                if not read and found and _RX_BOTH_HERE.match(clause) and found[-1].evidence == s.text:
                    found[-1] = replace(found[-1], scope="geographic-area")
                    read = [replace(found[-1], scope="municipal-organisation")]
                elif not read and found and (said_later(clause) or _P["target_same_target"].search(clause)):
                    # "...; the municipality as a whole follows ten years later", "...; för
                    # kommunorganisationen gäller samma mål redan år 2026"
                    read = restated(found[-1], s.text, clause)
                found += read
        explains_before(found, before, doc, s)
        judged_again(found, before, s)
        assess(found, doc, s, before)
        superseded(found, before, doc, s)
        if s.text.rstrip().endswith(":") and len(found) > before:
            found[before:] = perspectives(doc, s, found[before:])
    found += table_targets(doc, own)
    stated = {(t.kind, t.target_year, t.value) for t in found}
    return _dedupe(found + [t for t in headings if (t.kind, t.target_year, t.value) not in stated])


# a heading over others' goals: "Sveriges klimatmål", "Regionens mål", "National targets"
_RX_OTHERS_GOALS = re.compile(r"^\s*(?:Sveriges|Sweden's|Nationella|National|Regionens|Länets|EU:s|The\s+EU's)\s+(?:\w+\s+)?(?:klimat|miljö)?(?:mål|goals?|targets?)\b",
                              re.IGNORECASE)
# a heading that numbers the goal stated under it, in any tense: "Miljömål 1", "Delmål 3."
_RX_NUMBERED_GOAL = re.compile(r"^\s*(?:\w+)?mål\s+\d{1,2}\b(?![\d,.]\d)", re.IGNORECASE)


def _others_heading(s: Sent) -> str:
    """The heading over a clause that names no owner, when it says the goals under it are another's."""
    return s.headings[0] if s.headings and _RX_OTHERS_GOALS.match(s.headings[0]) else ""


def _years_of_its_own(years: list[Year], heading_year: int) -> bool:
    """Whether a clause under "Mål ... till 2030" names target years other than the heading's ("År 2018 producerades 95 GWh")."""
    return any(y.role == "target" and y.year != heading_year for y in years)


def _ahead(years: list[Year], doc: Document) -> bool:
    """Whether a clause in the present or perfect tense opens with a year after its page's date:
    "År 2025 är den kommunala organisationen fossilbränslefri" on a page of 2018 is a goal, no statistic."""
    published = doc.page.published_on
    return published is not None and any(y.role == "target" and y.year > published.year for y in years)


_RX_INDIRECT_QUESTION = re.compile(r"\s*(?:vad|vilket|vilka|vilken|hur|what|which|how|whether)\s", re.IGNORECASE)


def _fronted(years: list[Year], mentions: list[Mention]) -> bool:
    """Whether the clause's first target year stands before its first mention ("Enligt programmet för
    2021–2030 ska utsläppen minska ..., organisationen ska ha nettonollutsläpp och ..."): the year of them all."""
    first = next((y for y in years if y.role == "target"), None)
    return first is not None and bool(mentions) and first.start < mentions[0].start


def _page_municipality(doc: Document) -> str | None:
    """The one municipality a page's title names ("State of 2030 Cities: Kalmar"): the owner of
    the targets on a page that is no municipality's own."""
    codes = {m.code for m in find_municipalities(doc.page.title or "")}
    return codes.pop() if len(codes) == 1 else None


def _clauses(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    # a parenthesis between dashes ("de konsumtionsbaserade utsläppen – de som uppstår ... – med minst
    # 6,5 procent") splits no clause
    split_at = _RX_DASHED_ASIDE.sub(lambda m: " " * len(m.group(0)), text)
    for m in _RX_CLAUSE.finditer(split_at):
        if m.group(0).startswith(",") and _RX_OPENING_YEAR.match(text, start):
            continue  # "År 2021 använder ... inga fossila bränslen, och den har minskat ...": one clause, one year
        if m.group(0).startswith(":") and start == 0 and _RX_LABEL.fullmatch(text[:m.start()]):
            continue  # "Minskningstakt: 15 procent per år 2023–2040": the label says what the value is
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(at, c) for at, c in out if c.strip()]


def _context(doc: Document, s: Sent) -> str:
    """The words over a sentence that make it a target: its headings and, for a list item or a
    line under an intro ("Förslag till mål:"), that intro."""
    return " ".join((list_intro(doc, s), *s.headings[:2], doc.page.title or ""))


def _background(doc: Document, s: Sent) -> str:
    """What a bare figure measures when its clause does not say ("Mål: −65 % till 2030" under "tre
    mål för de fossila koldioxidutsläppen"): the four sentences before it in its section, its headings."""
    before = [x.text for x in doc.sents[max(0, s.pos - 4):s.pos] if x.headings[:1] == s.headings[:1]]
    return " ".join((*before, *s.headings[:1]))


def _sets_targets(doc: Document, s: Sent) -> bool:
    """Whether a sentence may set a target, not report a statistic ("Utsläppen har minskat med 62
    procent sedan 1990") or ask a question: a word of aim in it, its headings or its intro, or a
    year after the page's date that opens it ("År 2028 är kommunens verksamheter fossilfria")."""
    if s.text.rstrip().endswith("?"):
        return False
    opening = _RX_OPENING_YEAR.match(s.text)
    return bool(_P["target_marker"].search(s.text)) or _marks_aim(_context(doc, s)) \
        or opening is not None and doc.page.published_on is not None and int(opening.group(1)) > doc.page.published_on.year


_RX_OPENING_YEAR = re.compile(r"\s*(?:år|senast|till|by|in)\s+(20\d\d)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _marks_aim(text: str) -> bool:
    """Cached: a page's sentences share their headings, title and intro, its site's pages their titles' words."""
    return bool(_P["target_marker"].search(text))


def _read_clause(doc: Document, s: Sent, clause: str, offset: int, own: str, found: list[Target]) -> list[Target]:
    label = s.text[:offset]
    intro = list_intro(doc, s)
    # the year of a label before its targets: "Utsläpp år 2030:", "Mål 2030 – ...", "... åtog sig kommunen två saker till 2020:"
    label_years = [y for y in find_years(label) if y.role == "target"] if offset and label.rstrip().endswith((":", "–", "—")) else []
    label_year = None
    if label_years and len(label) <= 45:
        label_year = label_years[0].year
    elif label_years and re.search(r"\b(?:till|senast|by|until|år)\s+(?:år\s+)?(?:19|20)\d\d\s*:\s*$", label):
        label_year = label_years[-1].year  # also "Mål 2030 – Utsläppen ska ..."
    mentions = find_mentions(clause, f"{_background(doc, s)} {label}")
    # a kind named in a dashed aside explains the one before it ("climate neutral – net zero
    # greenhouse gas emissions – by 2025"): no target of its own
    asides = [a.span() for a in _RX_DASHED_ASIDE.finditer(clause)]
    mentions = [m for m in mentions if not any(a <= m.start < b and any(x.end <= a for x in mentions) for a, b in asides)]
    mentions = _explained(mentions, clause)
    defined = _defined_target(found, s.text)
    if defined is not None:  # "Med klimatneutral menas att nettoutsläppen är noll": a quantity of it, no other kind
        mentions = [m for m in mentions if m.value is not None]
    if _RX_INDIRECT_QUESTION.match(clause):
        return []  # "Vad ett klimatneutralt Borlänge ska innebära, och vilket målår som ska gälla, utreds"
    if s.block.tag in ("td", "th") and not re.search(r"[A-Za-zÅÄÖåäö]{3}", clause):
        return []  # a bare value in a table cell ("2008: 71 %"): the table's columns say what it is (table_targets)
    if not mentions or _P["target_not"].search(clause) or _P["target_not"].search(label) \
            or found and (_RX_JUDGES_BEFORE.search(clause) or _RX_JUDGES_BEFORE.search(label)) \
            or _RX_MEASURED.match(label) or _RX_MEASURED.match(intro):  # "Utgångsvärde: 5,9 ton CO2e/inv (2010)"
        return []
    context = _context(doc, s)
    heading_year, heading_baseline = year_of_heading(s)
    defines = bool(found) and bool(_P["target_definition"].search(s.text)) and bool(_P["target_same_year"].search(clause)) \
        or defined is not None
    years = find_years(clause)
    # a clause reporting what was, with no word of aim: "... har minskat med 62 procent"
    statistic = None if _P["target_modal"].search(clause) else _P["target_statistic"].search(clause)
    if statistic and (_P["target_not_met"].search(s.text) or _P["target_achieved"].search(s.text)):
        return []  # "Uppföljningen visar en minskning på 22 procent, och ... delmålet inte kommer att nås": the outcome judged
    if statistic and not defines \
            and not _P["target_marker"].search(intro) and (heading_year is None or _years_of_its_own(years, heading_year)) \
            and not _ahead(years[:next((i for i, y in enumerate(years) if y.start > statistic.start()), len(years))], doc) \
            and not (s.headings and _RX_NUMBERED_GOAL.match(s.headings[0])):  # "Miljömål 1" over "Utsläppen ... har minskat med 70 procent"
        return []  # "vid utgången av 2020 var koncernen fossilbränslefri till 97 procent": what was
    relative = relative_year(clause, found)
    owner_label = s.text[:offset] or committing_heading(s) or _others_heading(s)
    told_past = past_status(doc, s, clause, label)
    out: list[Target] = []
    previous_end = 0
    for i, m in enumerate(mentions):
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else len(clause)
        subject = clause[previous_end:m.start]
        if owned_by_other(clause[:m.start], clause[m.end:], own, owner_label):
            previous_end = m.end
            continue
        target_year, year_at, period_start = pick_target_year(m, years, previous_end, next_start, clause)
        if out and (later := relative_year(clause[previous_end:m.start], found + out)) \
                and not any(y.role == "target" and previous_end <= y.start < m.start for y in years):
            target_year = later  # "By 2045 ... net zero ..., and five years later the municipality shall be climate positive"
        if m.nth is not None:  # "med 40 respektive 70 procent fram till 2020 och 2030": the n-th year after them
            pair_end = mentions[i + 1 - m.nth].end if i + 1 - m.nth < len(mentions) else m.end
            after = [y for y in years if y.role == "target" and y.start >= pair_end]
            if len(after) > m.nth:
                target_year, year_at = after[m.nth].year, after[m.nth].start
        borrowed = False
        if target_year is None and i + 1 < len(mentions) and (_RX_COORDINATED.match(clause[m.end:next_start]) or (
                mentions[i + 1].kind == m.kind and re.search(r"\b(?:och|and)\b", clause[m.end:next_start]))):
            # "både fossilbränslefritt och klimatneutralt till 2030": the year after the next one
            following = len(clause) if i + 2 >= len(mentions) else mentions[i + 2].start
            target_year, year_at, period_start = pick_target_year(mentions[i + 1], years, m.end, following)
            borrowed = target_year is not None
        if target_year is None and out and i > 0 and _RX_COORDINATED.match(
                re.sub(r"^\s*både\s+", " ", clause[mentions[i - 1].end:m.start])):
            target_year = out[-1].target_year  # "senast 2030 ska vara både fossilfritt och klimatneutralt"
        if target_year is None and out and (_RX_FRONTED_YEAR.match(clause) or _fronted(years, mentions)):
            target_year = out[-1].target_year  # "Fram till 2030 ska ... minska med 9,8 procent per år, och ... med 6,5 procent per år"
        if target_year is None and out and m.elliptic:
            target_year = out[-1].target_year  # "ska till 2030 minska med 35 procent i ... och med 25 procent i ..."
        if target_year is None and out and _P["target_definition"].search(clause[previous_end:m.start]):
            target_year = out[-1].target_year  # "Målet om ett fossilfritt X 2030 betyder att utsläppen ... ska ha minskat"
        if target_year is None and label_year is not None:
            target_year = label_year  # "Utsläpp år 2030: högst 60 kiloton"
        if target_year is None:
            # "klimatneutral år 2045 och klimatpositiv fem år senare": later than the target before it
            target_year = relative_year(clause[m.end:next_start], found + out) or relative
        if target_year is None and _P["target_same_year"].search(clause):
            target_year = out[-1].target_year if out else year_said_before(doc, s, found)
        if target_year is None and (out or found) and _RX_THAT_IS.match(clause):
            target_year = (out or found)[-1].target_year  # "... – det vill säga vara klimatneutralt": the year before
        if target_year is None and label.rstrip().endswith(":") and (period := _P["target_period"].search(label)):
            period_start, target_year = int(period.group("a")), int(period.group("b"))  # "Det tidigare målet gällde perioden 1993–2020: under den ..." 
        if target_year is None:
            target_year = (year_from_around(doc, s, clause) or year_of_name_above(doc, s, m.kind, found) or intro_year(doc, s)
                           or heading_year or within_years(clause, doc.page.published_on))
        if target_year is None and m.unit == "percent-per-year" and i + 1 < len(mentions) \
                and re.search(r"\b(?:så\s+att|so\s+that)\b", clause[m.end:next_start], re.I):
            # "minska med 8 procent per år från 2025, så att kommunen når nettonollutsläpp år 2040"
            target_year = pick_target_year(mentions[i + 1], years, m.end, len(clause))[0]
        if target_year is None and defined is not None:
            target_year = defined.target_year  # "Med klimatneutral avses att utsläppen har minskat med 90 procent"
        if target_year is None and (period := period_referred(doc, s, clause)):
            period_start, target_year = period  # "ska minska med 11–13 procent per år under budgetperioden"
        if target_year is None and m.unit == "percent-per-year" and (period := _P["target_period"].search(intro)):
            period_start, target_year = int(period.group("a")), int(period.group("b"))  # under "Målvärden för planperioden 2024–2026:"
        if target_year is None and m.unit != "percent-per-year":
            previous_end = m.end
            continue  # "klimatneutralt" with no year is no target the data can hold
        if m.kind != "carbon-budget" and m.unit != "percent-per-year":
            period_start = None  # "När programperioden 2022–2025 är slut": the period is the programme's
        baseline = next((y.year for y in years if y.role == "baseline" and previous_end <= y.start < next_start), None) \
            if m.value is not None else None  # a kind ("nettonollutsläpp 2040") has no baseline
        if baseline is None and target_year == heading_year:
            baseline = heading_baseline  # "Delmål till 2030 (jämfört med 2019)"
        if m.kind == "carbon-budget" and period_start is None:
            period_start = next((y.year for y in years if y.role == "period-start"), None)
        if m.unit == "percent-per-year" and baseline is not None and re.search(
                r"(?:från\s+och\s+med|räknat\s+från|från|from)\s+(?:år\s+)?$", clause[:year_pos(years, baseline)], re.I):
            period_start, baseline = baseline, None  # "16 procent varje år, räknat från och med 2020"
        about = clause[previous_end:year_at if year_at and year_at > m.end else m.end]  # the words the target is about
        if m.kind == "other" or borrowed:
            about = clause[previous_end:next_start]  # "60 percent of all trips"
        window = f"{subject} {about}"
        if out and _RX_COORDINATED.match(subject) and not names_scope(about):
            scope = out[-1].scope  # "ska kommunen som organisation vara fossilfri 2015 och klimatneutral 2020"
        elif s.block.tag == "li" and not names_scope(window) and not find_municipalities(window):
            scope = scope_of(f"{context} {window}")  # a list item under "Målen för kommunkoncernen:"
        else:
            scope = scope_of(window)
        out.append(Target(
            own, m.kind, s.text, m.value, m.value_max, m.unit, baseline, target_year, period_start,
            scope=scope,
            basis=_basis(clause, m, mentions, out, previous_end, next_start),
            sector=sector_of(window),
            status=told_past or status_of(clause, f"{context} {s.text[:offset]}", m.start)))
        if borrowed:
            previous_end = m.end  # the next mention's year is the next mention's too
            continue
        previous_end = max(m.end, year_at + 4 if year_at and year_at > m.end else 0)
        out += _other_scopes(out[-1], clause, years, previous_end, next_start)
    return out


def _basis(clause: str, m: Mention, mentions: list[Mention], out: list[Target], since: int, until: int) -> str:
    """The basis a mention's own words give ("de territoriella utsläppen ... med 80 procent och de
    konsumtionsbaserade med hälften"), else the one before it for an elliptic mention, else the
    clause's when it states one target."""
    tail = _RX_SEGMENT_END.search(clause, m.end, until)
    basis = basis_of(clause[since:tail.start() if tail else until], m.kind)
    if basis != "unknown":
        return basis
    if m.elliptic and out:
        return out[-1].basis
    return basis_of(clause, m.kind) if len(mentions) == 1 else "unknown"


_RX_SEGMENT_END = re.compile(r",?\s+(?:och|and|samt)\s+(?:de|den|det|the|its|dess|för|for|i|in)\b", re.IGNORECASE)


# "... och att Malmö stads egen organisation ska vara det redan 2025": the same target, another subject
_RX_PRO_FORM = re.compile(r"\s*(?:,\s*)?(?:och|and)\s+(?:att\s+|that\s+)?[^,;]{3,60}?\b(?:ska|skall|shall|will|is\s+to)\s+(?:vara|bli|nå|göra|be|do|get)\s+(?:det|dit|so|there)\b",
                          re.IGNORECASE)


# "... och kommunen i sin helhet 2040": another subject and its year, the verb left out
_RX_GAPPED = re.compile(r"\s*(?:,\s*)?(?:och|and)\s+(?!(?:\S+\s+){0,5}?(?:ska|skall|är|har|blir|shall|will|is|are)\b)"
                        r"(?:[\wåäö]+\s+){1,5}?(?:(?:redan|först|already)\s+)?(?:(?:år|senast|till|by|in)\s+)?", re.IGNORECASE)


def _other_scopes(t: Target, clause: str, years: list[Year], since: int, until: int) -> list[Target]:
    """The same target for another scope and year in the words after it: "ska minska med 100
    procent i kommunen som geografiskt område till år 2030 och i kommunorganisationen redan till år
    2025", "... och att stadens egen organisation ska vara det redan 2025"."""
    out = []
    for y in years:
        if y.role != "target" or not since <= y.start < until:
            continue
        words = clause[since:y.start]
        if (re.match(r"\s*(?:,\s*)?(?:och|and)\s+(?:i|för|in|for)\s+", words, re.I)
                or _RX_PRO_FORM.match(words) or _RX_GAPPED.fullmatch(_RX_DASHED_ASIDE.sub(" ", words))) and scope_of(words) != t.scope:
            out.append(replace(t, target_year=y.year, scope=scope_of(words)))
        since = y.end
    words = clause[since:until]
    if not out and (pro_form := _RX_PRO_FORM.match(words)) and scope_of(pro_form.group(0)) != t.scope \
            and (year := relative_year(words, [t])):  # "..., and that the municipal organisation shall do so ten years earlier"
        out.append(replace(t, target_year=year, scope=scope_of(pro_form.group(0))))
    return out


_RX_THAT_IS = re.compile(r"^[,\s]*(?:(?:det\s+vill\s+säga|dvs\.?|d\.v\.s\.|i\.e\.|that\s+is)\b|(?:about|around|roughly|omkring|cirka|ungefär)\b)",
                         re.IGNORECASE)


def _explained(mentions: list[Mention], clause: str) -> list[Mention]:
    """"nära noll, det vill säga ha minskat med omkring 90 %", "close to zero, about 90 per cent
    below 1990": the value says what the words do; one target, the value's."""
    out = []
    for i, m in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if m.value is None and m.kind == "emissions-reduction" and following is not None and following.value is not None \
                and _RX_THAT_IS.search(clause[m.end:following.start]):
            continue
        out.append(m)
    return out


def _defined_target(found: list[Target], text: str) -> Target | None:
    """The target read before that a sentence defines ("Med klimatneutral avses att ...", a
    footnote to "klimatneutral 20303"): the last one of the kind it names before "avses"/"menas"."""
    m = re.search(r"\b(?:avses|menas)\b", text, re.I)
    if not found or m is None or not re.match(r"\s*(?:\d{1,2}\s+)?med\s", text, re.I):
        return None
    kinds = {kind for kind, rx in target_kinds() if rx.search(text[:m.start()])}
    return next((t for t in reversed(found) if t.kind in kinds), None)


def _with_new_value(t: Target, doc: Document, s: Sent, at: int) -> list[Target]:
    """"I förslaget skärps målet till 65 procent, med samma målår och basår": the target before,
    with the new value and the sentence's status."""
    value = quantity_at(s.text, at)
    if value is None or value.unit != t.unit:
        return []
    return [replace(t, value=value.value, value_max=value.value_max, evidence=s.text,
                    status=status_of(s.text, _context(doc, s), at))]


def _value_after_intro(doc: Document, s: Sent) -> bool:
    """A short line with a value and no words of its own ("minst hälften", "25 procent") under an
    intro that names what it measures and ends with a colon."""
    intro = doc.intro(s.block)
    return s.block.tag in ("p", "h2", "h3", "h4") and len(s.text) <= 45 and not re.search(r"\b(?:ska|skall|är|har)\b", s.text) \
        and intro.rstrip().endswith(":") and bool(re.search(r"\d|hälft|halv|tredjedel|fjärdedel", s.text)) \
        and any(y.role == "target" for y in find_years(intro)) and not _RX_MEASURED.search(intro)


_RX_OPEN_END = re.compile(r"\b(?:ska|skall|shall|will|should|is\s+to|are\s+to)\s*$", re.IGNORECASE)


def _open_intro(doc: Document, s: Sent) -> str:
    """The intro (or heading) whose sentence a list item ends ("Senast 2030 ska" over "• kommunens
    fordon drivas helt fossilfritt,"), to be read with it as one sentence; else ""."""
    if s.block.tag != "li":
        return ""
    for text in (doc.intro(s.block), *s.headings[:1]):
        if text and _RX_OPEN_END.search(text):
            return text
    return ""


def _dedupe(found: list[Target]) -> list[Target]:
    """One target per what it says: a heading restating the sentence below it is one target."""
    out: dict[tuple, Target] = {}
    for t in found:
        key = (t.kind, t.value, t.value_max, t.unit, t.target_year, t.scope, t.basis, t.sector, t.baseline_year)
        if key not in out:
            out[key] = t
    return list(out.values())
