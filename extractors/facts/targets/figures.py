"""What a clause of a target names: its mentions (a kind by word, a quantity of emissions or
energy with its unit) and its years in their roles (target, baseline, period, none)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from klimatkontrakt.core.model import Target
from klimatkontrakt.normalise.vocabulary import (
    number_words,
    patterns,
    target_kinds,
    target_sectors,
)

_P = patterns()
_FRACTIONS = number_words("target_fractions")
_NUMBERS = number_words("target_numbers")
RX_YEAR = re.compile(r"(?<![\d/.,-])(?P<y>(?:19[5-9]|20[0-9])\d)(?P<fn>\d)?(?![\d-])")  # a glued footnote digit: "20302"
# between two quantities, the second of which names no kind: "... i området och med 25 procent",
# "..., och de konsumtionsbaserade utsläppen – de som ... – med minst 6,5 procent"
_RX_ELLIPSIS = re.compile(r"[^.;]*\b(?:och|and)\s+(?:med\s+|by\s+|to\s+)?"
                          r"|[^.;]*\b(?:och|and)\b[^.;]*?\b(?:med|by)\s+(?:minst\s+|högst\s+|at\s+least\s+)?"
                          r"|[^.;]*?,\s+(?:i|för|in|for)\s+[^.;,\d]{3,60}?\s+(?:med\s+)?")
_RX_RESPECTIVE = re.compile(r"(?P<a>\d+(?:[,.]\d+)?)\s+respektive\s+(?P<b>\d+(?:[,.]\d+)?)\s*(?:procent|%)", re.IGNORECASE)
_RX_SEGMENT = re.compile(r",\s+(?:och|and|men|but)\s+|\s(?:och|and)\s+(?:fram\s+till|till|senast|by|år)\s+(?:år\s+)?(?=\d)", re.IGNORECASE)  # "By 2030 ... 80 percent lower, and by 2045 ..."
_RX_COMPARED_WITH = re.compile(r"\b(?:jämfört\s+(?:med|mot)|compared\s+(?:with|to)|against|versus|mot)\s+"
                               r"(?:(?:dagens|today's|roughly|about|around|cirka|ca\.?|ungefär|drygt|knappt|nära)\s+)?$",
                               re.IGNORECASE)
_RX_SHARE_OF = re.compile(r"^\s*av\s+(?:(?:de|den|det|dess|sina|sin|sitt|alla)\s+)?(?:\w+s\s+)?(?:(?:egen|egna|eget|totala)\s+)?", re.IGNORECASE)
_RX_SHARE_FOSSIL_FREE = re.compile(r"\s+(?:av\s+(?:\w+\s+){0,4}?(?:ska\s+)?(?:vara\s+)?|of\s+(?:\w+\s+){0,4}?(?:shall\s+|should\s+)?(?:be\s+)?)?fossil(?:bränsle)?[-\s]?fri\w*",
                                   re.IGNORECASE)
_RX_ENERGY_INTENSITY = re.compile(r"(?P<a>\d+(?:[,.]\d+)?)\s*kWh\s*(?:/|per)\s*(?:m²|m2|kvm|kvadratmeter)", re.IGNORECASE)
_RX_POWER = re.compile(r"(?P<a>\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[,.]\d+)?)\s*(?:kWp|kW|MWp|MW|kilowatt|megawatt)\b", re.IGNORECASE)
# "vilket motsvarar ungefär 3,5 GWh": the same target in another unit; "(64 procent år 2020)": today's level
_RX_EQUIVALENT = re.compile(r"\b(?:vilket|det|som)\s+motsvarar\s+(?:ungefär\s+|cirka\s+|omkring\s+|drygt\s+)?$|\bmotsvarande\s+$|\bequivalent\s+to\s+$",
                            re.IGNORECASE)
_RX_SO_FAR = re.compile(r"\b(?:hittills|hitintills|i\s+dag|idag|för\s+närvarande|so\s+far|today|currently)\s+(?:till|på|at|to)?\s*"
                        r"(?:(?:ca\.?|cirka|omkring|ungefär|about|around)\s+)?$", re.IGNORECASE)
_TARGET_VALUE = r"(?:målvärde\w*|target\s+(?:value|level))"
_RX_TARGET_VALUE = re.compile(rf"\b{_TARGET_VALUE}\b", re.IGNORECASE)
_RX_TARGET_VALUE_LABEL = re.compile(rf"^\s*{_TARGET_VALUE}\s*(?:år\s+)?(?:20\d\d)?\s*:?", re.IGNORECASE)  # "Målvärde 2025:" over a bare value
_RX_UP_TO = re.compile(r"\b(?:up\s+to|upp\s+till|uppemot)\s+$", re.IGNORECASE)
# "residual emissions must not exceed 20 per cent of the 1990 level": a ceiling, in percent of the baseline
_RX_RESIDUAL = re.compile(r"\b(?:kvarvarande|kvarstående|residual|remaining)\b", re.IGNORECASE)
# "removal target ... 0.6 million tonnes", "kolinlagring på 50 000 ton": carbon taken up, no emissions
_RX_REMOVAL = re.compile(r"\b(?:removal\w*|upptag\w*|kolinlagring\w*|inlagring\w*|negativa\s+utsläpp|negative\s+emissions)\b", re.IGNORECASE)
_RX_PER_CAPITA = re.compile(r"\bper\s+(?:invånare|capita|person|resident|inhabitant|\w+bo)\b", re.IGNORECASE)  # "per årjängsbo"
_TRANSPORT = dict(target_sectors())["transport"]  # trips and traffic: a quantity of kind "other"
_NATIONAL_GOAL = 2045  # Sweden's net-zero year, the reference of "15 år före det nationella målet"


@dataclass
class Mention:
    kind: str
    start: int
    end: int
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    elliptic: bool = False  # its kind (and year) are the mention's before it: "... och med 25 procent i ..."
    nth: int | None = None  # the n-th of values "40 respektive 70 procent": it takes the n-th of the years


@dataclass
class Year:
    year: int
    start: int
    end: int
    role: str  # target | baseline | period | ignore


def find_mentions(clause: str, background: str = "") -> list[Mention]:
    """The targets a clause may name: kinds by word, and quantities of emissions or energy."""
    found: list[Mention] = []
    for kind, rx in target_kinds():
        for m in rx.finditer(clause):
            name = _P["target_name"].match(clause, m.start())
            if name and not re.search(r"\b(?:mål\w*(?:\s+om)?|ett|en|an?|heter|kallas|named|called)\s+[”\"“]?$",
                                      clause[:m.start()], re.I) \
                    and not re.match(r"\s*(?:innebär|betyder|means)\b", clause[name.end():], re.I):
                continue  # "projektledare för Klimatneutrala Lund 2030": a name, not "målet om ett klimatneutralt
                # Växjö 2030" nor "Klimatneutralt Uppsala 2030 innebär att:"
            found.append(Mention(kind, m.start(), m.end()))
    found += [_percentage(m) for m in _P["target_percent"].finditer(clause)]
    for m in _P["target_fraction"].finditer(clause):
        word = m.group("w").lower()
        value = next((v for w, v in _FRACTIONS.items() if word.startswith(w)), None)
        if value is not None:
            found.append(Mention("", m.start(), m.end(), value, None, "percent"))
    for m in _P["target_percent_words"].finditer(clause):  # "med nittio procent"
        tens, units = m.group("t").lower(), (m.group("u") or "").lower()
        found.append(Mention("", m.start(), m.end(), _NUMBERS[tens] + (_NUMBERS[units] if units else 0), None, "percent"))
    for m in _RX_RESPECTIVE.finditer(clause):  # "med 40 respektive 70 procent": two values
        found.append(Mention("", m.start(), m.start() + len(m.group("a")), _number(m.group("a")), None, "percent", nth=0))
        found.append(Mention("", m.start("b"), m.end(), _number(m.group("b")), None, "percent", nth=1))
    for m in (*_RX_POWER.finditer(clause), *_RX_ENERGY_INTENSITY.finditer(clause)):
        # "öka med 30 MW", "1 000 kWp solceller": capacity; "130 kWh/m²": energy use per area
        found.append(Mention("energy", m.start(), m.end(), _number(m.group("a")), None, None))
    for m in _P["target_intensity"].finditer(clause):  # "högst 1,2 kg koldioxidekvivalenter per portion"
        found.append(Mention("other", m.start(), m.end(), _number(m.group("a")), None, None))
    for m in _P["target_all_renewable"].finditer(clause):
        found.append(Mention("energy", m.start(), m.end(), 100, None, "percent"))
    for m in _P["target_mass"].finditer(clause):
        if re.match(r"\s*(?:till|to)\s+\d", clause[m.end():]) or re.search(
                r"\b(?:från|from)\s+(?:(?:dagens|nuvarande|today's|the\s+current|current)\s+)?(?:(?:ca\.?|cirka|omkring|ungefär|about|around)\s+)?$",
                clause[:m.start()], re.I):
            continue  # "från 40 GWh år 2021 till 80 GWh", "minska från dagens 11,5 ton ... till 2 ton": the start, not the target
        if _RX_UP_TO.search(clause[:m.start()]):
            continue  # "which will be able to capture up to 800 000 tonnes": a capacity, no target
        if _RX_COMPARED_WITH.search(clause[:m.start()]):
            continue  # "högst 3 ton per person, jämfört med cirka 8 ton i dag": today's level
        found.append(_mass(m, clause))
    # "Minskningen uppgår hittills till 31 procent", "ligger i dag på 11 procent": what was measured
    found = [m for m in found if m.value is None or not (_RX_SO_FAR.search(clause, max(0, m.start - 40), m.start)
                                                         or _RX_EQUIVALENT.search(clause, max(0, m.start - 40), m.start)
                                                         or _in_measured_aside(clause, m.start))]
    renewable = [m for m in found if m.kind == "energy" and m.value == 100 and m.unit == "percent"]
    found = [m for m in found if m.kind or m.value != 100
             or not any(r.end <= m.start and re.fullmatch(r"[\s,(–-]*(?:\w+[\s,(–-]+)?", clause[r.end:m.start]) for r in renewable)]
    found.sort(key=lambda x: (x.start, x.nth is None))  # a "respektive" value before the plain one at its place
    out: list[Mention] = []
    for i, m in enumerate(found):
        if out and m.start < out[-1].end:
            continue  # one mention per place
        if m.unit == "t-co2e" and out and out[-1].unit == "t-co2e-per-capita":
            m.unit = "t-co2e-per-capita"  # "fall to 2 tonnes CO2e per resident by 2040, and to 1 tonne by 2050"
        if m.unit == "percent" and out and out[-1].unit == "percent-per-year" and _P["target_per_year"].search(clause[m.end:m.end + 40]):
            m.unit = "percent-per-year"  # "... med 10,5 procent per år, och ... med 7,5 procent per år": a rate like the one before
        if not m.kind and out and out[-1].value is not None and m.unit == out[-1].unit \
                and _RX_ELLIPSIS.fullmatch(clause[out[-1].end:m.start]):
            m.kind = out[-1].kind  # "minska med 35 procent i området och med 25 procent i organisationen"
            m.elliptic = True
        if not m.kind and m.unit == "percent" and (share := _RX_SHARE_FOSSIL_FREE.match(clause, m.end)):
            m.kind = "energy" if re.match(r"[^.;]{0,60}?\b(?:drivmedel|bränsle|energi|el)\b", clause[m.end:]) else "other"
            m.end = share.end()  # the fossil-free word is the share's, no target of its own
            if m.value == 100:  # "ska vara till 100 % fossilfria 2025": fossil-free
                m.kind, m.value, m.value_max, m.unit = "fossil-free", None, None, None
        if not m.kind and not _quantity_kind(m, clause, out[-1].end if out else 0, background):
            continue
        out.append(m)
    return out


def _quantity_kind(m: Mention, clause: str, since: int, background: str = "") -> bool:
    """What a quantity measures, from the words before it (back to the previous mention) and just
    after it: emissions, energy, or trips and traffic (kind "other")."""
    before = clause[since:m.start]
    after = clause[m.end:m.end + 40]
    # "tre fjärdedelar av utsläppen", "hälften av kommunkoncernens elbehov": a share of what follows
    share = _RX_SHARE_OF.match(after)
    share_of = after[share.end():] if share else None
    if m.unit in ("gwh", "twh"):
        m.kind = "energy"
        return True
    if m.unit in ("kt-co2e", "mt-co2e", "t-co2e", "t-co2e-per-capita"):
        if m.unit == "t-co2e" and (_RX_PER_CAPITA.search(before) or _P["target_cap"].search(before)
                                   and not _P["target_emissions"].search(before) and _RX_PER_CAPITA.search(background)):
            # "Utsläppen per invånare ska vara högst 0,5 ton år 2030", "Mål 2030: högst 1,4 ton" under
            # "Utsläpp per invånare"
            m.unit = "t-co2e-per-capita" if m.value <= 50 else m.unit
        if m.unit == "t-co2e-per-capita":
            m.kind = "per-capita-level"
        elif _P["target_budget"].search(clause) or re.match(r"\s*budget\b", clause, re.I) \
                or _P["target_total"].search(clause) and (_P["target_period"].search(clause) or _P["target_budget"].search(background[-80:])):
            m.kind = "carbon-budget"  # also "Budget för perioden 2023–2040: 1,3 miljoner ton"
        elif _P["target_cap"].search(before) or _RX_TARGET_VALUE.search(before):
            m.kind = "emissions-cap"  # also "Målvärde 2025: 280 ton CO2": a level to keep under
        elif _RX_REMOVAL.search(before):
            m.kind = "other"
        else:
            return False
        return True
    if _P["target_per_year"].search(after):
        m.unit = "percent-per-year"
    reduction = _P["target_reduction"].search(clause)
    if m.unit == "percent" and _RX_RESIDUAL.search(before) and _P["target_cap"].search(before) and _P["target_emissions"].search(before):
        m.kind = "emissions-cap"
        return True
    aim = re.split(r"\b(?:att|that)\b", before)
    if len(aim) > 1 and _TRANSPORT.search(aim[-1]) and not _P["target_emissions"].search(aim[-1]):
        m.kind = "other"  # "ett mål om att biltrafiken ska minska med en femtedel": the traffic's, after "att"
    elif _P["target_emissions"].search(before) and reduction:
        m.kind = "emissions-reduction"
    elif _P["target_energy"].search(before) or _P["target_energy"].match(after.lstrip()) \
            or _P["target_energy"].search(after[:25]):
        m.kind = "energy"
    elif share_of is not None and (_P["target_energy"].match(share_of) or re.match(r"(?:el|elen|värme|fjärrvärme)\b", share_of, re.I)):
        m.kind = "energy"
    elif reduction and _P["target_emissions"].match(share_of if share_of is not None else after.lstrip()):
        m.kind = "emissions-reduction"  # "halvera utsläppen från sina tjänsteresor": emissions, of travel
    elif reduction and re.search(r"\b(?:de|dessa|they|these)\b", before, re.I) and _P["target_emissions"].search(background):
        m.kind = "emissions-reduction"  # "År 2025 ska de vara 70 procent lägre": "de", the emissions before
    elif re.match(r"\s*(?:mindre|lägre|färre|less|lower|fewer)\s+(?:\w+\s+)?(?:utsläpp|växthusgas|koldioxid|emission|greenhouse|CO2)", after, re.I):
        m.kind = "emissions-reduction"  # "ska flygresorna ge 30 % mindre koldioxidutsläpp"
    elif _TRANSPORT.search(before) or _TRANSPORT.search(after):
        m.kind = "other"
    elif reduction and _P["target_emissions"].search(clause):
        m.kind = "emissions-reduction"
    elif re.search(r"[−–-]\s*$", clause[max(0, m.start - 2):m.start]) and m.unit == "percent" \
            and _P["target_emissions"].search(f"{clause} {background}"):
        m.kind = "emissions-reduction"  # "Mål: −65 % till 2030" under a heading or sentence about emissions
    elif (m.unit == "percent-per-year" or _P["target_reduction"].search(before)) and reduction \
            and _P["target_emissions"].search(background):
        # "Minskningstakt: 15 procent per år" under "Luleås koldioxidbudget", "Minskning till 2030: 75
        # procent" under "mål för minskade utsläpp"
        m.kind = "emissions-reduction"
    elif re.search(r"\b(?:mål(?:et|en)?|target|goal)\s+(?:(?:\w+\s+){0,3}?(?:var|är|blir|was|is)|om(?:\s+en)?)\s+$", before, re.I) \
            and _P["target_emissions"].search(background) and _P["target_reduction"].search(background):
        m.kind = "emissions-reduction"  # "utsläppen har minskat med 42 procent, och målet var 40 procent till 2020"
    elif not _RX_TARGET_VALUE_LABEL.sub("", before).strip(" :–-") and background and (kind := _kind_of_label(background)):
        m.kind = kind  # "2020: 40 %" under "... ska utsläppen minska med följande andelar:", "Andel förnybar el: 100 procent år 2024"
    else:
        return False
    return True


def _kind_of_label(background: str) -> str | None:
    """What a bare value measures by the words over it: its label, or the sentence introducing a list of values."""
    near = background[-160:]
    if _P["target_emissions"].search(near) and _P["target_reduction"].search(near):
        return "emissions-reduction"
    if _P["target_energy"].search(near) or re.search(r"\bförnybar\w*|\brenewable\b", near, re.I):
        return "energy"
    return "other" if _TRANSPORT.search(near) else None


def find_years(clause: str) -> list[Year]:
    out: list[Year] = []
    period = _P["target_period"].search(clause)
    relative = _P["target_relative_year"].search(clause)
    for m in RX_YEAR.finditer(clause):
        year, before = int(m.group("y")), clause[:m.start()]
        if relative and relative.group("n") and relative.start() <= m.start() < relative.end():
            role = "ignore"  # "tio år före det nationella målet 2045": the national goal's year
        elif re.search(r"\blater\s+than\s+$", before[-20:], re.I):
            role = "target"  # "no later than 2045", not the "than 1990" of a baseline
        elif period and period.start("a") == m.start():
            role = "period-start"
        elif period and period.start("b") == m.start():
            role = "target"
        elif _in_measured_aside(clause, m.start()) and _P["target_percent"].search(clause, clause.rfind("(", 0, m.start()), m.start()):
            role = "ignore"  # "(64 procent år 2020)"
        elif re.search(r"(?:procent|%)(?:\s+per\s+\w+)?\s+under\s+$", before[-40:], re.I) and not re.match(r"\s*års\b", clause[m.end():]):
            role = "target"  # "minska med 3 procent under 2026", not "70 procent under 2010 års nivå"
        elif re.match(r"\s*års\s+nivå", clause[m.end():], re.I) or re.search(r"\b(?:av|of)\s+(?:the\s+)?(?:utsläppen|emissions)\s+(?:år|in)\s+$", before[-30:], re.I):
            # "under 2010 års nivå", "motsvarande 27 procent av utsläppen år 2020"
            role = "baseline"  # "under 2010 års nivå": no "under" of a period
        elif re.search(r"\bredan\s+från\s+(?:och\s+med\s+)?(?:år\s+)?$|\bfrom\s+as\s+early\s+as\s+$", before[-30:], re.I):
            role = "target"  # "all el ... ska vara förnybar redan från 2023"
        elif re.search(r"\bså\s+(?:mycket|mycke|stor\w*|många|lite)\s+[^.;]{0,40}?\bsom\s+(?:år\s+)?$", before[-60:], re.I) \
                or re.search(r"\bsedan\s+(?:\w+\s+)?$", before[-20:], re.I):
            role = "baseline"  # "hälften så mycket energi som 2005", "sedan sommaren 2021"
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
        out.append(Year(year, m.start(), m.end(), role))
    return out


def year_pos(years: list[Year], year: int) -> int:
    return next(y.start for y in years if y.year == year)


def pick_target_year(m: Mention, years: list[Year], since: int, until: int,
                 clause: str | None = None) -> tuple[int | None, int | None, int | None]:
    """(target year, where it stands, period start) for a mention: the first target year after it
    (before the next mention), else the nearest before it (after the previous one)."""
    targets = [y for y in years if y.role == "target"]
    after = [y for y in targets if m.end <= y.start < until]
    before = [y for y in targets if since <= y.start < m.end]  # also inside it: "All energi ... ska år 2030 ... förnybar"
    if after and before and clause is not None and _RX_SEGMENT.search(clause[:after[0].start + 4], m.end):
        after = []  # "By 2030 ... shall be 80 percent lower, ..., and by 2045 ...": the year of its own segment
    chosen = after[0] if after else before[-1] if before else None
    if chosen is None:
        return None, None, None
    start = next((y.year for y in years if y.role == "period-start" and y.end <= chosen.start), None)
    return chosen.year, chosen.start, start


def relative_year(clause: str, found: list[Target]) -> int | None:
    m = _P["target_relative_year"].search(clause)
    if m is None:
        return None
    if m.group("n"):
        n = m.group("n")
        ref = int(m.group("ref")) if m.group("ref") else _NATIONAL_GOAL
        return ref - (int(n) if n.isdigit() else int(_NUMBERS[n.lower()]))
    n = m.group("later") or m.group("earlier")
    reference = found[-1] if found else None
    if _RX_AS_A_WHOLE.match(clause, m.end()):  # "tio år före kommunen som helhet": the whole area's target
        reference = next((t for t in reversed(found) if t.scope == "geographic-area"), reference)
    if reference is not None and reference.target_year:
        years = int(n) if n.isdigit() else int(_NUMBERS[n.lower()])
        return reference.target_year + (years if m.group("later") else -years)
    return None


_RX_AS_A_WHOLE = re.compile(r"\s*(?:(?:än|than)\s+)?(?:kommunen\s+(?:som\s+helhet|i\s+sin\s+helhet)|hela\s+kommunen|the\s+(?:municipality|city)\s+as\s+a\s+whole)",
                            re.IGNORECASE)


def quantity_at(text: str, at: int) -> Mention | None:
    """The percentage or mass that stands at `at` ("65 procent", "120 kiloton"), of no kind yet."""
    if m := _P["target_percent"].match(text, at):
        return _percentage(m)
    if m := _P["target_mass"].match(text, at):
        return _mass(m, text)
    return None


def _percentage(m: re.Match) -> Mention:
    """A [pattern.target_percent] match as a mention of no kind yet: "8–12 procent" gives 8 and 12."""
    return Mention("", m.start(), m.end(), _number(m.group("a")), _number(m.group("b")) if m.group("b") else None, "percent")


def _mass(m: re.Match, text: str) -> Mention:
    """A [pattern.target_mass] match as a mention of no kind yet, its unit read with the words after it."""
    return Mention("", m.start(), m.end(), _number(m.group("a")), None, _mass_unit(m.group("u"), text[m.end():]))


def _in_measured_aside(clause: str, at: int) -> bool:
    """"ska öka till 85 procent (64 procent år 2020)": a value in parentheses beside its year is the level measured."""
    opened = clause.rfind("(", 0, at)
    closed = clause.find(")", at)
    return opened != -1 and closed != -1 and clause.rfind(")", 0, at) < opened and bool(RX_YEAR.search(clause, opened, closed))


def within_years(clause: str, published: date | None) -> int | None:
    """"klimatneutral inom tio år" on a page of 2024: 2034."""
    m = _P["target_within_years"].search(clause)
    if m is None or published is None:
        return None
    n = m.group("n")
    return published.year + (int(n) if n.isdigit() else int(_NUMBERS[n.lower()]))


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
