"""The cheap tests in front of the fact rules never hide a match the full patterns would find."""

from __future__ import annotations

import re

from extractors.document import _K2030_CONTEXT_STARTS, _LOOKALIKE_STARTS, _count
from extractors.triggers import TRIGGERS, triggers_of
from extractors.vocabulary import RX_K2030_CONTEXT, RX_LOOKALIKE
from klimatkontrakt.normalise.patterns import literal_trie

TEXTS = [
    "Lokala klimatkontraktet med företag i Lund. Klimatkontrakt Lund skrivs med näringslivet.",
    "Företagen i kommunen har nu skrivit på. Organisationerna signerade klimatavtal och klimatlöfte.",
    "Covenant of Mayors, Borgmästaravtalet, local climate contract, klimatpakt och klimatallians.",
    "Viable Cities och Klimatneutrala städer 2030: Klimatkontrakt 2030 signeras. Climate City Contract 2030.",
    "KLIMATKONTRAKT 2030 och klimatkontraktklimatkontrakt med företagföretag har skrivit under",
    "Klımatavtal med dotless i, organiſationer med long s, och İstanbul skrev under klimatavtal.",
    "Inget av det här nämner något avtal alls.",
]


def test_counting_where_a_match_can_begin_equals_findall():
    for text in TEXTS:
        assert _count(RX_LOOKALIKE, text, _LOOKALIKE_STARTS) == len(RX_LOOKALIKE.findall(text)), text
        assert _count(RX_K2030_CONTEXT, text, _K2030_CONTEXT_STARTS) == len(RX_K2030_CONTEXT.findall(text)), text
        assert _count(RX_K2030_CONTEXT, text, _K2030_CONTEXT_STARTS, stop=1) == min(1, len(RX_K2030_CONTEXT.findall(text)))


def test_triggers_name_every_rule_whose_stems_occur():
    assert triggers_of("Umeå SIGNERADE kontraktet.") == {"signing"}
    assert triggers_of("Staden fick EU:s Mission Label.") == {"eu-label", "membership"}
    assert triggers_of("– Bra, säger Anna Ek (S).") == {"role"}
    assert triggers_of("European Viable Cities Day lanseras.") == {"evcd", "launch", "membership"}
    assert triggers_of("Staden fick EU-märkningen och skrev under.") == {"eu-label", "signing"}
    assert triggers_of("Cykelvägnätet har byggts ut med tolv kilometer.") == frozenset()
    for name, stems in TRIGGERS.items():
        for stem in stems:
            assert name in triggers_of(f"xx {stem.upper()} xx")


def test_a_stem_inside_a_longer_match_is_seen():
    # "commissioner" (role) holds "mission" (membership), which starts after it
    assert triggers_of("The EU Commissioner spoke.") == {"role", "membership"}


def test_a_literal_trie_finds_the_longest_word_where_a_flat_alternation_does():
    words = ["sa", "sade", "says", "sa ", "(", "gd", "generaldirektör", "genera", "klimat", "klimatneutrala"]
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    trie = literal_trie(words)
    text = "hon sade (gd) att generaldirektören sa nej, says klimatneutrala klimatet; genera sa sad"
    for pos in range(len(text)):
        a, b = flat.search(text, pos), trie.search(text, pos)
        assert (a and (a.start(), a.group())) == (b and (b.start(), b.group())), pos


def test_every_gated_vocabulary_pattern_finds_what_the_pattern_alone_finds():
    """A gate (vocabulary.toml `gate`) may only skip texts the pattern cannot match: over every
    sentence of the fixture and blind pages, the blind target passages, and the look-alike texts
    above, the gated search equals the full pattern's."""
    import json
    from pathlib import Path

    from extractors.common import split_sentences
    from extractors.page import parse_page
    from klimatkontrakt.normalise.patterns import Gated
    from klimatkontrakt.normalise.vocabulary import patterns

    here = Path(__file__).parent
    texts = list(TEXTS)
    for html in [*(here / "fixtures").glob("*.html"), *(here / "blind").glob("*.html")]:
        for block in parse_page("https://example.org/", html.read_text(encoding="utf-8")).blocks:
            texts += split_sentences(block.text)
    for batch in (here / "blind_targets").glob("*.json"):
        texts += [line for p in json.loads(batch.read_text(encoding="utf-8")) for line in p["text"].split("\n")]
    gated = {name: p for name, p in patterns().items() if isinstance(p, Gated)}
    assert gated, "no gated pattern in the vocabulary"
    for name, p in gated.items():
        for text in texts:
            got, full = p.search(text), p.pattern.search(text)
            assert (got and got.span()) == (full and full.span()), (name, text)
