"""People in attributions: name, party and role (pure).

Forms handled: "Namn Namnsson (S), kommunstyrelsens ordförande", "kommunstyrelsens ordförande
Namn Namnsson (M)", "Namn Namnsson, kommunstyrelsens ordförande (M)", "(C )", "(M),kommunstyrelsens",
names without a party, local parties ("(NE)"), and machine-translated English roles
("member of the municipal board Chairman").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from klimatkontrakt.normalise.vocabulary import role_titles

PARTIES: dict[str, str] = {
    "S": "S", "SAP": "S", "SOCIALDEMOKRATERNA": "S", "SOCIAL DEMOCRATS": "S",
    "M": "M", "MODERATERNA": "M", "MODERATES": "M",
    "L": "L", "LIBERALERNA": "L", "LIBERALS": "L",
    "C": "C", "CENTERPARTIET": "C", "CENTRE PARTY": "C",
    "V": "V", "VÄNSTERPARTIET": "V", "LEFT PARTY": "V",
    "KD": "KD", "KRISTDEMOKRATERNA": "KD", "CHRISTIAN DEMOCRATS": "KD",
    "MP": "MP", "MILJÖPARTIET": "MP", "GREEN PARTY": "MP",
    "SD": "SD", "SVERIGEDEMOKRATERNA": "SD", "SWEDEN DEMOCRATS": "SD",
}


def normalise_party(party: str | None) -> str | None:
    """"(C )" -> "C", "kd" -> "KD", "Miljöpartiet" -> "MP"; local parties upper-cased as written."""
    if not party:
        return None
    p = re.sub(r"[\s().]+", " ", party).strip().upper()
    if not p:
        return None
    if p in PARTIES:
        return PARTIES[p]
    compact = p.replace(" ", "")
    return PARTIES.get(compact, compact)


def normalise_role(role: str | None) -> str | None:
    """Role as written -> ks-ordforande | ks-vice-ordforande | kommunalrad | oppositionsrad |
    generaldirektor | programchef | kommundirektor | projektledare, else None."""
    if not role:
        return None
    for key, rx in role_titles():
        if rx.search(role):
            return key
    return None


# ---- parsing attributions ----

_UP = "A-ZÅÄÖÉÜØÆÈ"
_LOW = "a-zåäöéüøæèáíóúñç"
_NAME_WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_PARTICLE = r"(?:von|af|de|van|der|da|di|el|al)"
NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}}"
PARTY = r"\(\s*(?P<party>[A-ZÅÄÖa-zåäö]{1,5}|[A-ZÅÄÖ][a-zåäö]+partiet|[A-ZÅÄÖ][a-zåäö]+erna)\s*\)"
_ROLE_TEXT = r"[^()\n.;!?]{2,140}?"

_FORMS = (
    # Name (P), role   |  Name (P) role
    re.compile(rf"^(?P<name>{NAME})\s*{PARTY}\s*,?\s*(?P<role>{_ROLE_TEXT})?\s*$"),
    # Name, role (P)
    re.compile(rf"^(?P<name>{NAME})\s*,\s*(?P<role>{_ROLE_TEXT})\s*{PARTY}\s*(?P<tail>,?\s*[^()]*)?$"),
    # role Name (P)[, tail]
    re.compile(rf"^(?P<role>[{_LOW}][^()\n]{{2,80}}?)\s+(?P<name>{NAME})\s*{PARTY}?\s*(?P<tail>,.*)?$"),
    # Name, role
    re.compile(rf"^(?P<name>{NAME})\s*,\s*(?P<role>{_ROLE_TEXT})\s*$"),
    # Name alone
    re.compile(rf"^(?P<name>{NAME})\s*$"),
)

NOT_NAMES = frozenset({
    "Viable Cities", "European Viable", "Klimatkontrakt", "Klimatneutrala", "Climate City",
    "Foto", "Bild", "Photo", "Swedish", "City of", "Region",
})
# capitalised words that start a sentence or a phrase, not a name: "Med Jonas Hedenius"
LEADING_WORDS = re.compile(r"^(?:Med|Och|Även|Också|Enligt|Av|För|Bland|Där|Då|Nu|Här|Hos|Från|Till|Vid|Under|Efter|"
                           r"With|And|By|For|From|At|Also|Then|Now|Here|According)\s+")


@dataclass(frozen=True)
class PersonMention:
    name: str
    party: str | None = None
    role: str | None = None
    role_normalised: str | None = None


def _clean(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\)\s*,\s*", "), ", s)  # "(M),kommunstyrelsens"
    return s.strip(" ,.;:–—-\"”“'")


def parse_person(text: str) -> PersonMention | None:
    """Parse an attribution such as "Namn Namnsson (S), kommunstyrelsens ordförande i Umeå"."""
    s = _clean(text)
    if not s:
        return None
    for i, rx in enumerate(_FORMS):
        m = rx.match(s)
        if not m:
            continue
        gd = m.groupdict()
        name = re.sub(r"\s+", " ", gd["name"]).strip()
        if any(name.startswith(n) for n in NOT_NAMES):
            return None
        party = normalise_party(gd.get("party"))
        role = gd.get("role")
        tail = (gd.get("tail") or "").strip(" ,")
        if role:
            role = role.strip(" ,")
        if i == 1 and tail:
            role = f"{role}, {tail}" if role else tail
        if i == 2 and tail:
            role = f"{role} {tail}"
        if role:
            role = re.sub(r"\s+", " ", role).strip(" ,") or None
        if i == 2 and role and not normalise_role(role) and not _looks_like_role(role):
            continue
        return PersonMention(name, party, role, normalise_role(role))
    return None


def _looks_like_role(role: str) -> bool:
    return bool(re.search(
        r"ordförande|råd|chef|direktör|ansvarig|strateg|samordnare|ledare|vd\b|director|manager|"
        r"chair|head|officer|coordinator|mayor|councill?or|commissioner|handläggare|utvecklare|"
        r"projektledare|politiker|ledamot|member",
        role, re.IGNORECASE))


# attribution verbs: the person follows the verb
_SAYS = re.compile(
    r"(?:[,”\"]\s*|\s)(?:säger|sa|sade|menar|berättar|konstaterar|tillägger|avslutar|framhåller|betonar|"
    r"understryker|förklarar|says|said|adds|added|explains|concludes)\s+(?P<who>[^.!?;\n]*?(?:\([^)]*\)[^.!?;\n]*?)*)"
    r"(?=(?<!\b[A-ZÅÄÖ])(?<!\bkl)(?<!\bbl\.a)\.\s|[.!?;]\s*$|[!?;\n]|$)"
)
_ENLIGT = re.compile(r"\benligt\s+(?P<who>" + NAME + r"\s*(?:" + PARTY + r")?\s*,[^.!?;\n]{2,120})")


def find_attributions(sentence: str) -> list[tuple[PersonMention, int]]:
    """People named after a saying verb ("..., säger Namn Namnsson (S), kommunstyrelsens ordförande")."""
    out: list[tuple[PersonMention, int]] = []
    for m in _SAYS.finditer(sentence):
        who = m.group("who").strip()
        # cut a trailing clause ("..., och fortsätter", "– och ...")
        who = re.split(r"\s+(?:och|and)\s+(?:fortsätter|tillägger|continues|adds)\b|\s+[–—]\s+", who)[0]
        p = parse_person(who)
        if p is None:
            # "säger hon/han" or a name followed by more prose: try the longest name-led prefix
            m2 = re.match(rf"(?P<name>{NAME})\s*(?:{PARTY})?", who)
            if m2 and not any(m2.group("name").startswith(n) for n in NOT_NAMES):
                p = parse_person(m2.group(0))
        if p is not None:
            out.append((p, m.start("who")))
    for m in _ENLIGT.finditer(sentence):
        p = parse_person(m.group("who"))
        if p is not None:
            out.append((p, m.start("who")))
    return out


_TITLED = re.compile(
    r"\b(?P<role>(?i:kommunstyrelsens\s+(?:(?:förste\s+|andre\s+)?vice\s+)?ordförande|kommunalrådet|kommunalråd|"
    r"oppositionsrådet|oppositionsråd|(?:municipal|city)\s+(?:executive\s+)?(?:board|council)\s+chair(?:man|woman|person)?|"
    r"chair(?:man|woman|person)?\s+of\s+the\s+(?:municipal|city)\s+(?:executive\s+)?(?:board|council)|"
    r"municipal\s+commissioner|kommundirektör(?:en)?|stadsdirektör(?:en)?|miljöchef(?:en)?|miljödirektör(?:en)?|"
    r"klimatstrateg(?:en)?|klimatchef(?:en)?|hållbarhetschef(?:en)?|projektledare(?:n)?|processledare(?:n)?|"
    r"samordnare(?:n)?|city\s+manager|project\s+manager|project\s+leader))"
    r"(?P<place>\s+(?:i|för|på)\s+[A-ZÅÄÖ][\wåäö\-]+(?:\s+(?:kommun|stad|Stad))?)?"
    r"(?:\s*,)?\s+(?P<who>" + NAME + r")(?:\s*" + PARTY + r")?"
)


# "Tove Lindahl, projektledare för Klimatneutrala Lund 2030, leder arbetet": an official after the name
_NAME_TITLE = re.compile(
    rf"(?<![\w(])(?P<name>{NAME})\s*,\s*(?P<role>(?:kommunens\s+|stadens\s+)?(?i:kommundirektör|stadsdirektör|miljöchef|"
    r"miljödirektör|klimatstrateg|klimatchef|hållbarhetschef|projektledare|processledare|samordnare|programchef|"
    r"city\s+manager|project\s+manager|project\s+leader|programme\s+director)[^,.;:()!?\n]{0,70}?)(?=\s*[,.;:!?]|$)"
)


def find_titled_people(sentence: str) -> list[tuple[PersonMention, int]]:
    """Municipal politicians named right after their title anywhere in a sentence, quote or not:
    "undertecknades av kommunstyrelsens ordförande Anna Berg (S)", "kommunalrådet Per Ny (M)", and
    the machine-translated English of the /en/ pages ("the municipal board Chairman Anna Berg (S)")."""
    out: list[tuple[PersonMention, int]] = []
    for m in _TITLED.finditer(sentence):
        name = re.sub(r"\s+", " ", m.group("who")).strip()
        if any(name.startswith(n) for n in NOT_NAMES):
            continue
        role = re.sub(r"\s+", " ", m.group("role") + (m.group("place") or "")).strip()
        out.append((PersonMention(name, normalise_party(m.group("party")), role, normalise_role(role)), m.start("who")))
    for m in _NAME_TITLE.finditer(sentence):
        name = re.sub(r"\s+", " ", m.group("name")).strip()
        if not any(name.startswith(n) for n in NOT_NAMES):
            role = re.sub(r"\s+", " ", m.group("role")).strip()
            out.append((PersonMention(name, None, role, normalise_role(role)), m.start("name")))
    return out


_ROLE_PLACE = re.compile(r"\b(?:i|för|på|vid|in|of|at)\s+(?P<place>(?:[A-ZÅÄÖ][\w\-]+\s*){1,3}(?:kommun|stad|Stad|municipality)?)\s*$")


def role_place(role: str | None) -> str | None:
    """The place or organisation named at the end of a role ("... ordförande i Umeå kommun" -> "Umeå kommun")."""
    if not role:
        return None
    m = _ROLE_PLACE.search(role)
    return m.group("place").strip() if m else None


_PARTY_PERSON = re.compile(
    rf"(?<![\w(])(?P<name>{NAME})\s*{PARTY}(?:\s*,\s*(?P<role>[{_LOW}][^,.;:()!?\n]{{2,90}}?))?"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:vid|på|under|den|i\s+samband|och|som|har|hade|var|är|blev|skrev|tecknade|signerade|"
    r"undertecknade|deltog|talade|berättade|menade)\b)"
)


def find_party_people(sentence: str) -> list[tuple[PersonMention, int]]:
    """Politicians named with their party anywhere in a sentence, quote or not: "undertecknades av
    Hanna Vestin (M), kommunstyrelsens ordförande, vid ett möte", "Per Ny (MP) deltog". A role is
    kept only when it reads as one."""
    out: list[tuple[PersonMention, int]] = []
    for m in _PARTY_PERSON.finditer(sentence):
        name = re.sub(r"\s+", " ", m.group("name")).strip()
        if any(name.startswith(n) for n in NOT_NAMES):
            continue
        role = re.sub(r"\s+", " ", m.group("role") or "").strip() or None
        if role and not (normalise_role(role) or _looks_like_role(role)):
            role = None
        out.append((PersonMention(name, normalise_party(m.group("party")), role, normalise_role(role)), m.start("name")))
    return out
