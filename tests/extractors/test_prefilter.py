"""The cheap tests in front of the fact rules never hide a match the full patterns would find."""

from __future__ import annotations

from extractors.facts import (
    _K2030_CONTEXT_STARTS,
    _LOOKALIKE_STARTS,
    RX_K2030_CONTEXT,
    RX_LOOKALIKE,
    TRIGGERS,
    _count,
    triggers_of,
)

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
