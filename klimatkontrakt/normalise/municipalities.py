"""Municipality mentions -> 4-digit municipality codes (pure; reference data cached).

`resolve_municipality("Eskilstuna kommuns")` resolves one mention; `find_municipalities(text)`
finds every mention in running text with its span.

Conservative on purpose: several municipality names are ordinary words or parts of other names
("Mark", "Ale", "Vara", "Berg", "Mora", "Sala", "Lund" in "Lunds universitet"). A bare ambiguous
name counts only with a marker ("Vara kommun", "City of ..."), in a list of other municipality
names ("Lund, Malmö och Mark"), or when it is the caller's own municipality (`own_code`).
Names are matched with their first letter capitalised (so "mark" and "vara" never match).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from klimatkontrakt.core.reference import municipalities, municipalities_by_code

# names that are ordinary Swedish/English words, first names or parts of common other names
AMBIGUOUS = frozenset({
    "Ale", "Berg", "Bjuv", "Boden", "Eda", "Habo", "Heby", "Hjo", "Kil", "Kinda", "Mark", "Mora",
    "Nora", "Orsa", "Sala", "Salem", "Vara", "Ydre", "Åre", "Malå", "Flen", "Tibro", "Ånge",
    "Gagnef", "Lomma", "Torsby", "Sunne", "Grums", "Laxå", "Tranås", "Lekeberg", "Storfors",
    "Svalöv", "Osby", "Hylte", "Klippan", "Kumla", "Askersund", "Essunga", "Tanum", "Tjörn",
    "Orust", "Tierp", "Ockelbo", "Pajala",
})

# English and older spellings
EXTRA_NAMES: dict[str, str] = {
    "Gothenburg": "1480",
    "Gotland": "0980",
}

# words after a name that make it something else than the municipality as an actor
_NOT_AFTER = re.compile(
    r"^(?:s)?\s*(?:universitet|university|tekniska|Energi\b|Energy\b|län\b|County\b|stift|"
    r"domkyrka|centralstation|central\b|hamn\b|airport|flygplats|FF\b|IF\b|BK\b|Hockey|"
    r"Stadsnät|Vatten\b|Science Park|Kommunfastigheter|Stadshus AB|Kommunföretag)",
    re.IGNORECASE,
)
_MARKER_AFTER = re.compile(
    r"^(?:s)?\s+(?:kommuns?|kommunens|stads?|Stads?|municipality|Municipality|city|City)\b"
)
_MARKER_BEFORE = re.compile(r"(?:City of|Municipality of|Region|Staden|staden|kommunen)\s+$")
_REGION_BEFORE = re.compile(r"Region\s+$")


@dataclass(frozen=True)
class MunicipalityMention:
    code: str
    start: int
    end: int
    text: str
    marked: bool  # followed by kommun/stad/municipality or preceded by "City of"/"Region"


def _fold(s: str) -> str:
    """ASCII-fold å/ä/ö etc. ("Umeå" -> "Umea") for pages that lost their diacritics."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_AMBIGUOUS_FOLDED = frozenset(_fold(name) for name in AMBIGUOUS)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Spelling -> code, including ASCII-folded spellings and English names."""
    out: dict[str, str] = {}
    for m in municipalities():
        out[m.name] = m.code
        folded = _fold(m.name)
        out.setdefault(folded, m.code)
    for name, code in EXTRA_NAMES.items():
        out.setdefault(name, code)
    return out


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted(_names(), key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace(r"\-", "[-‐–]") for n in names)
    # optional genitive s / 's / ’s; names ending in s keep their form
    return re.compile(rf"(?<![\w-])(?P<name>{alt})(?P<gen>s|'s|’s)?(?![\w-])")


def _code_for(name: str) -> str | None:
    return _names().get(re.sub(r"\s+", " ", name))


_SUFFIX = re.compile(
    r"\s+(?:kommuns?|kommunens|stads?|municipality'?s?|city|kommun\s+och\s+stad)$", re.IGNORECASE
)
_PREFIX = re.compile(r"^(?:City of|Municipality of|Region|Staden|Stad)\s+", re.IGNORECASE)


def resolve_municipality(mention: str | None) -> str | None:
    """One mention ("Umeås", "Göteborgs Stad", "Region Gotland", "Lunds kommun") -> code."""
    if not mention:
        return None
    s = re.sub(r"\s+", " ", mention).strip(" ,.;:()\"'”“’")
    s = _PREFIX.sub("", s)
    s = _SUFFIX.sub("", s).strip()
    if not s:
        return None
    for candidate in (s, s[:1].upper() + s[1:]):
        code = _code_for(candidate)
        if code:
            return code
        for gen in ("'s", "’s", "s"):
            if candidate.endswith(gen) and len(candidate) > len(gen) + 1:
                code = _code_for(candidate[: -len(gen)])
                if code:
                    return code
    folded = _fold(s)
    if folded != s:
        return resolve_municipality(folded) if _code_for(folded) or folded.endswith("s") else None
    return None


def municipality_name(code: str | None) -> str | None:
    m = municipalities_by_code().get(code or "")
    return m.name if m else None


def find_municipalities(
    text: str, own_code: str | None = None, strict: bool = True
) -> list[MunicipalityMention]:
    """Municipality mentions in `text`, in order.

    With `strict` (the default) an ambiguous bare name is kept only when marked, when it is
    `own_code`, or when it stands in a list next to another accepted mention.
    """
    if not text:
        return []
    raw: list[tuple[MunicipalityMention, bool]] = []  # (mention, ambiguous-and-bare)
    for m in _pattern().finditer(text):
        name = re.sub(r"\s+", " ", m.group("name"))
        code = _code_for(name)
        if code is None:
            continue
        after = text[m.end("name") : m.end("name") + 40]
        before = text[max(0, m.start() - 20) : m.start()]
        if _NOT_AFTER.match(after):
            continue
        if _REGION_BEFORE.search(before) and code != "0980":
            continue  # "Region Stockholm", "Region Skåne" are regions, not municipalities
        if name in ("Gotland",) and not _REGION_BEFORE.search(before) and not _MARKER_AFTER.match(after):
            # the island "Gotland" is also the region; accept it, it is one municipality
            pass
        marked = bool(_MARKER_AFTER.match(after) or _MARKER_BEFORE.search(before))
        if not marked and _surname_position(before):
            continue  # "Anna Lund (S)": a surname, not the municipality
        bare_ambiguous = (_fold(name) in _AMBIGUOUS_FOLDED) and not marked and code != own_code
        # sentence-initial capital letter is no evidence for an ordinary word
        raw.append((MunicipalityMention(code, m.start(), m.end(), m.group(0), marked), bare_ambiguous))
    if not strict:
        return [m for m, _ in raw]
    out: list[MunicipalityMention] = []
    for i, (mention, bare_ambiguous) in enumerate(raw):
        if bare_ambiguous and not _in_list(text, raw, i):
            continue
        out.append(mention)
    return out


_PREV_WORD = re.compile(r"(?:^|[^.!?:;,–\-\s])\s*\b([A-ZÅÄÖÉ][a-zåäöéü]+)\s+$")
_NOT_FIRST_NAMES = frozenset({"I", "Och", "Med", "Från", "Till", "Klimatkontrakt", "Viable"})


def _surname_position(before: str) -> bool:
    """True when the word right before is a capitalised word inside a sentence (a first name)."""
    m = _PREV_WORD.search(before)
    if not m:
        return False
    word = m.group(1)
    if word in _NOT_FIRST_NAMES or _code_for(word) or word.endswith("s"):
        return False
    # sentence start: "Idag Lund ..." has nothing (or punctuation) before the word
    head = before[: m.start(1)].rstrip()
    return bool(head) and head[-1] not in ".!?:;–-\n"


_LIST_SEP = re.compile(r"^\s*(?:,|och|and|&|samt|;|/|\n|•)\s*$")


def _in_list(text: str, raw: list[tuple[MunicipalityMention, bool]], i: int) -> bool:
    """True when mention i is separated from a non-ambiguous neighbour only by a list separator."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(raw):
            a, b = (raw[j][0], raw[i][0]) if j < i else (raw[i][0], raw[j][0])
            if _LIST_SEP.match(text[a.end : b.start]) and not raw[j][1]:
                return True
            # chains of list items: neighbour ambiguous but itself in a list
            if _LIST_SEP.match(text[a.end : b.start]) and raw[j][1]:
                k = j - 1 if j < i else j + 1
                if 0 <= k < len(raw) and not raw[k][1]:
                    c, d = (raw[k][0], raw[j][0]) if k < j else (raw[j][0], raw[k][0])
                    if _LIST_SEP.match(text[c.end : d.start]):
                        return True
    return False


def municipality_codes(text: str, own_code: str | None = None) -> list[str]:
    """Distinct codes mentioned in `text`, in first-mention order."""
    seen: dict[str, None] = {}
    for m in find_municipalities(text, own_code):
        seen.setdefault(m.code, None)
    return list(seen)
