"""Target constructions met on the blind round w/x, each in other words than the passages and with
a look-alike that must stay empty: years inside a long phrase, rates in pairs, starting levels,
years relative to the whole municipality, pro-forms, residual caps, removals, replaced plans,
explanations, labels, headings over others' goals, footnote stars."""

from __future__ import annotations

from datetime import date

from extractors.document import read_document
from extractors.facts.targets import find_targets
from extractors.text import page_from_text

KALMAR = "0880"


def read(text: str):
    page = page_from_text("https://kalmar.se/klimat", text, date(2024, 5, 2))
    return find_targets(read_document(page, KALMAR))


def keys(text: str) -> list[tuple]:
    return [(t.kind, t.value, t.target_year) for t in read(text)]


def test_a_year_inside_a_long_phrase_of_renewable_energy():
    assert keys("All el som används i Kalmar ska år 2032 komma från förnybara källor.") == [("energy", 100, 2032)]


def test_a_second_rate_takes_the_year_and_its_own_basis():
    found = read("Fram till 2035 ska de territoriella utsläppen minska med 9 procent per år, och de konsumtionsbaserade, "
                 "alltså utsläppen från det invånarna köper, med 6 procent per år.")
    assert [(t.value, t.unit, t.target_year, t.basis) for t in found] == [
        (9, "percent-per-year", 2035, "territorial"), (6, "percent-per-year", 2035, "consumption")]


def test_the_level_of_today_is_no_target():
    assert keys("Utsläppen från invånarnas konsumtion ska minska från dagens 9 ton per person och år till 3 ton 2040.") == [
        ("per-capita-level", 3, 2040)]


def test_years_relative_to_the_whole_municipality_and_pro_forms():
    found = read("Kalmar ska vara klimatneutralt 2045. Kommunkoncernen ska vara klimatneutral redan 2030. "
                 "Kalmars stadskärna ska bli klimatneutral fem år före kommunen som helhet.")
    assert [(t.target_year, t.scope) for t in found] == [
        (2045, "geographic-area"), (2030, "municipal-organisation"), (2040, "part-of-municipality")]
    found = read("The council has decided that Kalmar shall be fossil free by 2040, and that the municipal organisation "
                 "shall do so five years earlier.")
    assert [(t.kind, t.target_year, t.scope) for t in found] == [
        ("fossil-free", 2040, "geographic-area"), ("fossil-free", 2035, "municipal-organisation")]


def test_later_by_years_after_a_target_in_the_same_sentence():
    assert keys("By 2040 Kalmar shall have net zero emissions, and five years later the municipality shall be climate positive.") == [
        ("net-zero", None, 2040), ("climate-positive", None, 2045)]


def test_residual_emissions_as_a_share_of_the_baseline_are_a_cap():
    assert keys("År 2035 får de kvarvarande utsläppen vara högst 12 procent av 1990 års utsläpp.") == [("emissions-cap", 12, 2035)]
    assert keys("De kvarvarande utsläppen var 2022 ungefär 40 procent av 1990 års nivå.") == []


def test_a_removal_target_and_a_capacity_up_to():
    assert keys("Kommunens mål för kolinlagring är minst 20 000 ton koldioxid per år från 2030.") == [("other", 20000, 2030)]
    assert keys("Den nya anläggningen kommer att kunna fånga in upp till 50 000 ton koldioxid per år från 2030.") == []


def test_the_target_of_a_replaced_plan():
    assert keys("Planen ersätter strategin från 2016, där målet var en klimatneutral kommun till 2030.") == []


def test_an_explanation_gives_the_year_and_no_target_of_its_own():
    assert keys("Kalmar ska bli klimatneutralt. Det innebär att kommunen inte ska ha några nettoutsläpp senast år 2037.") == [
        ("climate-neutral", None, 2037)]


def test_target_years_stated_apart():
    assert keys("Kalmar ska ha nettonollutsläpp. Målåret föreslås bli 2036.") == [("net-zero", None, 2036)]
    assert keys("Miljömål 4\n\nKommunens organisation har nettonollutsläpp\n\nNämnderna ska minska sina utsläpp. "
                "Målet ska vara uppfyllt när programperioden löper ut 2028.") == [("net-zero", None, 2028)]


def test_a_heading_star_footnote_and_perfect_tense_under_a_numbered_goal():
    text = "Miljömål 2\n\nUtsläppen från Kalmar har minskat med 60 procent*\n\n* Jämfört med 1990. Målvärdet ska vara nått senast 2030."
    assert keys(text) == [("emissions-reduction", 60, 2030)]
    assert keys("Klimatmål\n\nUtsläppen från Kalmar har minskat med 60 procent sedan 1990.") == []


def test_a_label_with_its_year_before_a_dash():
    assert keys("Mål 2030 – Utsläppen ska ha minskat med 70 procent jämfört med 1990") == [("emissions-reduction", 70, 2030)]


def test_an_outcome_after_a_judgement_and_a_scenario_label():
    found = keys("Utsläppen skulle halveras mellan 1990 och 2020. Det målet nåddes: 2020 var utsläppen 55 procent lägre än 1990.")
    assert ("emissions-reduction", 55, 2020) not in found
    assert keys("Referensscenario: utsläppen minskar med 30 procent till 2030 jämfört med 2005.") == []


def test_another_scope_after_a_dashed_aside():
    found = read("Kalmar som geografiskt område ska vara klimatneutralt 2040, och kommunkoncernen – förvaltningar och bolag – redan 2032.")
    assert [(t.target_year, t.scope) for t in found] == [(2040, "geographic-area"), (2032, "municipal-organisation")]


def test_english_levels_and_the_citys_own_companies():
    assert keys("Emissions in Kalmar are to fall to 2.5 tonnes of CO2 equivalents per inhabitant by 2030.") == [
        ("per-capita-level", 2.5, 2030)]
    assert keys("For the municipal group – all departments and all city-owned companies – 100 per cent of the electricity "
                "it buys shall come from renewable sources from 2026.") == [("energy", 100, 2026)]


def test_traffic_after_att_is_the_traffics_target():
    assert keys("Eftersom trafiken står för mest utsläpp har Kalmar ett mål om att bilresorna ska minska med en fjärdedel till 2030.") == [
        ("other", 25, 2030)]
    assert keys("Målet är att utsläppen från trafiken ska minska med en fjärdedel till 2030.") == [("emissions-reduction", 25, 2030)]


def test_a_heading_over_national_goals():
    assert keys("Nationella klimatmål\n\nUtsläppen i den icke handlande sektorn ska vara 63 procent lägre 2030 än 1990.") == []
    assert keys("Kalmars klimatmål\n\nUtsläppen ska vara 63 procent lägre 2030 än 1990.") == [("emissions-reduction", 63, 2030)]


def test_years_of_a_portion_and_of_an_equivalent_share():
    found = read("Klimatpåverkan från skolmåltiderna ska minska med 10 procent per portion under 2026 jämfört med 2023.")
    assert [(t.value, t.target_year, t.baseline_year) for t in found] == [(10, 2026, 2023)]
    assert keys("Utsläppen år 2030 får uppgå till högst 200 kiloton, motsvarande 30 procent av utsläppen år 2019.") == [
        ("emissions-cap", 200, 2030)]
