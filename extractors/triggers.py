"""Triggers: the cheap test before a rule's patterns. Most sentences of a page state no fact,
so rules skip them cheaply: TRIGGERS names, per rule, the lower-case substrings without which the
rule's patterns cannot match a sentence. The document model tests them once per sentence (one
combined pattern; a sentence without any is settled at once) and stores the names of the rules
that may fire in `Sent.triggers`; a rule skips a sentence whose triggers lack its name. A new rule
adds its entry to TRIGGERS and tests `NAME in s.triggers`. Stems must be a superset: a sentence
the rule would match must contain one of them."""

from __future__ import annotations

from klimatkontrakt.normalise.patterns import literal_trie

TRIGGERS: dict[str, tuple[str, ...]] = {
    # _classify: RX_EU_LABEL, then RX_SIGN
    "eu-label": ("label", "märk"),
    "signing": ("sign", "skr", "under", "teckn", "förny", "året", "put"),
    # find_events: RX_EVCD; find_launches: RX_LAUNCH
    "evcd": ("viable",),
    "launch": ("lanser", "kick", "startskott", "uppstart", "launch"),
    # find_roles: saying verbs and "enligt" (find_attributions), titles (find_titled_people,
    # find_agency_people, the directors-general list), a party in parentheses (find_party_people)
    "role": ("säger", "sa ", "sade", "menar", "berättar", "konstaterar", "tillägger", "avslutar", "framhåller",
             "betonar", "understryker", "förklarar", "says", "said", "adds", "added", "explains", "concludes",
             "enligt", "kommunstyrelse", "kommunalråd", "oppositionsråd", "generaldirektör", "överdirektör",
             "programchef", "programdirektör", "director", "gd", "chair", "commissioner", "(",
             # officials titled before or after the name (find_titled_people)
             "direktör", "chef", "strateg", "ledare", "samordnare", "manager", "leader"),
    # find_memberships: an initiative's name (RX_INITIATIVE_K / _EU), or a twin city
    "membership": ("klimatneutrala", "climate", "viable", "satsningen", "initiativ", "mission", "netzero",
                   "tvilling", "twin", "2030-städer", "pionjär", "pioneer", "vågen", "wave", "omgång"),
    # find_targets: a kind of target, a quantity, a restated or judged target (vocabulary [target_*])
    "target": ("neutral", "klimatpositiv", "climate positive", "climate-positive", "fossil", "nettonoll", "netto-noll", "netto noll", "net zero", "net-zero",
               "nettoutsläpp", "net emissions", "zero", "förnybar", "hälften", "renewable", "självförsörjande", "negativ", "negative", "procent", "per cent", "percent", "%", "halv",
               "tredjedel", "fjärdedel", "femtedel", "third", "quarter", "fifth", "ton", " kt", "gwh", "twh", "samma",
               "same", "både", "biogas", "hvo", "vätgas", "med el", "på el", "till el", "biodrivmedel", " kg ", "kilo ", "noll", "uppfyll", "klaras", "nå dit", "år tidigare", "år senare", "years earlier", "years later", " kw", " mw", "kilowatt", "megawatt", "fördubbl", " av fyra", " av tre", " av tio", " av fem", "half",
               "ersatt", "upphäv", "togs bort", "slopa", "gäller inte längre", "replaced", "superseded", "withdrawn", "dropped", "nås", "nått", "nåtts", "nåddes", "uppnå", "achieved", "was met", "been met", "reached"),
}

_STEMS = sorted({stem for stems in TRIGGERS.values() for stem in stems})

_ANY_STEM = literal_trie(_STEMS)


# a stem found means every stem inside it is there too ("klimatneutrala" holds "klimat")
_RULES_OF_STEM = {found: frozenset(name for name, stems in TRIGGERS.items() if any(stem in found for stem in stems))
                  for found in _STEMS}

NO_TRIGGERS: frozenset[str] = frozenset()


def triggers_of(text: str) -> frozenset[str]:
    """Names of the TRIGGERS rules whose stems occur in `text` (case-insensitive): one scan, each
    match searched on from the next character, so overlapping stems are all seen."""
    low = text.lower()
    match = _ANY_STEM.search(low)
    if match is None:
        return NO_TRIGGERS
    rules = set()
    while match is not None:
        rules |= _RULES_OF_STEM[match.group()]
        match = _ANY_STEM.search(low, match.start() + 1)
    return frozenset(rules)
