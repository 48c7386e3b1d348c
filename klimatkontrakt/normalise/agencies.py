"""Agency names, aliases, long forms and English names -> organisation_id (pure).

"Formas, ett forskningsråd för hållbar utveckling" and "Vinnova (Verket för innovationssystem)"
are ONE agency each: the long form is matched as one span (longest match first) and a
parenthesised alias right after a name folds into that name. Genitive forms
("Energimyndighetens", "Vinnovas") and a leading "Statens"/"the Swedish" are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from klimatkontrakt.core.reference import agencies, agencies_by_id
from klimatkontrakt.normalise.vocabulary import agency_forms


@dataclass(frozen=True)
class AgencyMention:
    organisation_id: str
    start: int
    end: int
    text: str


def _norm(s: str) -> str:
    s = re.sub(r"[,()–—\-]", " ", s)
    return re.sub(r"\s+", " ", s).strip().casefold()


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    """Normalised form -> organisation_id."""
    out: dict[str, str] = {}
    for a in agencies():
        for form in (a.name_sv, a.name_en, *a.aliases, *agency_forms().get(a.organisation_id, ())):
            if form:
                out.setdefault(_norm(form), a.organisation_id)
    return out


def _form_regex(form: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s,()–—\-]+", form) if w]
    return r"[\s,()–—\-]*".join(words)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    forms = sorted(
        {f for a in agencies() for f in (a.name_sv, a.name_en, *a.aliases, *agency_forms().get(a.organisation_id, ())) if f},
        key=len,
        reverse=True,
    )
    alt = "|".join(_form_regex(f) for f in forms)
    return re.compile(
        rf"(?<![\w-])(?:(?:the\s+)?)(?P<name>{alt})(?P<gen>s|'s|’s)?\)?(?![\w])(?!\s+Day)",
        re.IGNORECASE,
    )


def resolve_agency(mention: str | None) -> str | None:
    """One name ("Formas, ett forskningsråd för hållbar utveckling", "Vinnovas") -> id."""
    if not mention:
        return None
    s = re.sub(r"^(?:the|myndigheten)\s+", "", mention.strip(" .;:\"'"), flags=re.IGNORECASE)
    key = _norm(s)
    forms = _forms()
    if key in forms:
        return forms[key]
    for gen in ("s", "'s", "’s"):
        if key.endswith(gen) and key[: -len(gen)] in forms:
            return forms[key[: -len(gen)]]
    found = find_agencies(s)
    if len(found) == 1 and found[0].start <= 2 and found[0].end >= len(s) - 2:
        return found[0].organisation_id
    return None


def find_agencies(text: str) -> list[AgencyMention]:
    """Agency mentions in order; an alias in parentheses right after a name is merged into it."""
    if not text:
        return []
    out: list[AgencyMention] = []
    forms = _forms()
    for m in _pattern().finditer(text):
        name = m.group("name")
        org = forms.get(_norm(name))
        if org is None:
            continue
        if name[0].islower() and not re.search(r"\s", name):
            continue  # "formas" is also a verb ("framtiden formas nu"): names are capitalised
        if org == "viable-cities" and re.match(r"\s*(?:Day|Days)\b", text[m.end():]):
            continue
        if out and out[-1].organisation_id == org and re.fullmatch(r"[\s,(]*", text[out[-1].end : m.start()]):
            prev = out[-1]
            out[-1] = AgencyMention(org, prev.start, m.end(), text[prev.start : m.end()])
            continue
        out.append(AgencyMention(org, m.start("name"), m.end(), text[m.start("name") : m.end()]))
    return out


def split_agency_list(text: str) -> list[str]:
    """Distinct organisation ids in a list such as "Energimyndigheten, Formas, Vinnova och Tillväxtverket"."""
    seen: dict[str, None] = {}
    for m in find_agencies(text):
        seen.setdefault(m.organisation_id, None)
    return list(seen)


def agency_name(organisation_id: str | None) -> str | None:
    a = agencies_by_id().get(organisation_id or "")
    return a.name_sv if a else None
