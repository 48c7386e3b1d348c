from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimatkontrakt.core.reference import municipalities, reference_dir
from klimatkontrakt.normalise import (
    find_agencies,
    find_municipalities,
    normalise_party,
    normalise_role,
    parse_person,
    resolve_agency,
    resolve_municipality,
    split_agency_list,
)


@pytest.mark.parametrize("mention,code", [
    ("Eskilstuna", "0484"), ("Eskilstuna kommun", "0484"), ("Eskilstuna kommuns", "0484"), ("Umeås", "2480"),
    ("Lunds kommun", "1281"), ("Göteborgs Stad", "1480"), ("Malmö stad", "1280"), ("Stockholms stad", "0180"),
    ("Helsingborgs stad", "1283"), ("Borås Stad", "1490"), ("Region Gotland", "0980"), ("Borås", "1490"),
    ("Västerås", "1980"), ("City of Gothenburg", "1480"), ("Umeå municipality", "2480"), ("Upplands Väsby", "0114"),
    ("Lunds universitet", None), ("Ingenstans", None), ("", None),
])
def test_resolve_municipality(mention, code):
    assert resolve_municipality(mention) == code


def test_find_municipalities_conservative():
    def codes(t, own=None):
        return [m.code for m in find_municipalities(t, own)]

    assert codes("Kommunledningarna i Enköping, Göteborg, Lund och Växjö") == ["0381", "1480", "1281", "0780"]
    assert codes("Forskare vid Lunds universitet och Umeå universitet") == []
    assert codes("Det är en mark som Mora ägde") == []
    assert codes("Vara kommun och Mark kommun") == ["1470", "1463"]
    assert codes("Lund, Ale och Mark") == ["1281", "1440", "1463"]
    assert codes("Region Stockholm och Region Gotland") == ["0980"]
    assert codes("Vi välkomnar Mora", own="2062") == ["2062"]
    assert codes("sa Anna Lund (S) i Umeå") == ["2480"]
    m = find_municipalities("I dag skrev Umeå kommun under.")[0]
    assert (m.code, m.start, m.marked) == ("2480", 12, True)


@given(st.sampled_from(municipalities()))
def test_every_municipality_resolves_in_all_forms(m):
    assert resolve_municipality(m.name) == m.code
    assert resolve_municipality(f"{m.name} kommun") == m.code
    gen = m.name if m.name.endswith(("s", "x", "z")) else m.name + "s"
    assert resolve_municipality(f"{gen} kommun") == m.code
    found = find_municipalities(f"Kommunerna {m.name} kommun och Eskilstuna kommun skrev under.")
    assert m.code in [x.code for x in found]


@given(st.text(max_size=200))
def test_find_municipalities_never_crashes(text):
    for m in find_municipalities(text):
        assert len(m.code) == 4 and text[m.start : m.end] == m.text


def test_agencies():
    assert split_agency_list("Energimyndigheten, Formas, Vinnova och Tillväxtverket") == [
        "energimyndigheten", "formas", "vinnova", "tillvaxtverket"]
    assert split_agency_list("Formas, ett forskningsråd för hållbar utveckling, och Vinnova (Verket för innovationssystem)") == [
        "formas", "vinnova"]
    assert len(find_agencies("Vinnova (Verket för innovationssystem)")) == 1
    assert resolve_agency("Statens energimyndighet") == "energimyndigheten"
    assert resolve_agency("the Swedish Transport Administration") == "trafikverket"
    assert resolve_agency("Vinnovas") == "vinnova"
    assert find_agencies("European Viable Cities Day") == []
    assert find_agencies("framtiden formas nu") == []


@pytest.mark.parametrize("text,name,party,role_n", [
    ("Namn Namnsson (S), kommunstyrelsens ordförande", "Namn Namnsson", "S", "ks-ordforande"),
    ("kommunstyrelsens ordförande Namn Namnsson (M)", "Namn Namnsson", "M", "ks-ordforande"),
    ("Namn Namnsson, kommunstyrelsens ordförande (M)", "Namn Namnsson", "M", "ks-ordforande"),
    ("Anna Berg (C ), kommunalråd", "Anna Berg", "C", "kommunalrad"),
    ("Per Persson (M),kommunstyrelsens ordförande i Lund", "Per Persson", "M", "ks-ordforande"),
    ("Lars Ek (NE), oppositionsråd", "Lars Ek", "NE", "oppositionsrad"),
    ("Olga Kordas, programchef Viable Cities", "Olga Kordas", None, "programchef"),
    ("Robert Andrén, generaldirektör Energimyndigheten", "Robert Andrén", None, "generaldirektor"),
    ("Erik Nises (S), member of the municipal board Chairman, Borlänge municipality", "Erik Nises", "S", "ks-ordforande"),
    ("Jan Ek (kd), andre vice ordförande i kommunstyrelsen", "Jan Ek", "KD", "ks-vice-ordforande"),
    ("Eva Ek", "Eva Ek", None, None),
])
def test_parse_person(text, name, party, role_n):
    p = parse_person(text)
    assert (p.name, p.party, p.role_normalised) == (name, party, role_n)


def test_party_and_role_normalisers():
    assert normalise_party("(C )") == "C"
    assert normalise_party("mp") == "MP"
    assert normalise_party("Sverigedemokraterna") == "SD"
    assert normalise_party("Ne") == "NE"
    assert normalise_role("kommunråd") == "kommunalrad"
    assert normalise_role("Director General") == "generaldirektor"
    assert normalise_role("chair of the municipal executive board") == "ks-ordforande"
    assert normalise_role("hållbarhetsstrateg") is None
    assert normalise_role(None) is None


@given(st.sampled_from(["S", "M", "L", "C", "V", "KD", "MP", "SD"]), st.sampled_from([" ", ""]),
       st.booleans())
def test_party_variants(party, space, lower):
    p = party.lower() if lower else party
    assert normalise_party(f"({p}{space})") == party


def test_reference_dir_found():
    assert (reference_dir() / "agencies.csv").is_file()
