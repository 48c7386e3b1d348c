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


# the y/z round

def read_on(text: str, published: date):
    return [(t.kind, t.value, t.target_year) for t in find_targets(read_document(page_from_text("https://kalmar.se/mal", text, published), KALMAR))]


def test_a_heading_naming_the_year_after_the_place():
    text = ("Mål för kommunkoncernen till år 2032\n\n• Energianvändningen i lokalerna ska ha minskat med 20 procent jämfört med 2019.\n\n"
            "År 2021 användes 40 GWh i lokalerna.")
    assert keys(text) == [("energy", 20, 2032)]


def test_values_under_labels_on_lines_of_their_own():
    assert keys("Växthusgaser per invånare\n\nUtgångsvärde:\n8,1 ton/invånare (2010)\nMålvärde:\n2,0 ton/invånare (2035)") == [
        ("per-capita-level", 2.0, 2035)]
    assert keys("Tjänsteresor\n\nSenaste värdet:\n190 ton CO2e (2023)\nMålvärde 2027:\n150 ton CO2e") == [("emissions-cap", 150, 2027)]
    assert keys("Indikatorer och målvärden:\n\n• Andel förnybar el i kommunens verksamheter: 100 procent år 2026.") == [("energy", 100, 2026)]


def test_a_list_of_years_and_values_under_its_intro():
    text = "Utsläppen av växthusgaser per invånare ska minska med minst följande andelar jämfört med 1990:\n\n• 2025: 50 %\n• 2035: 75 %"
    assert keys(text) == [("emissions-reduction", 50, 2025), ("emissions-reduction", 75, 2035)]


def test_the_pluperfect_reports_and_a_future_year_in_the_present_tense_sets_a_goal():
    assert keys("Fram till 2021 hade utsläppen minskat med 38 procent.") == []
    assert read_on("År 2028 är kommunens verksamheter fossilfria och har minskat sina utsläpp med 70 procent jämfört med 2010.",
                   date(2018, 3, 1)) == [("fossil-free", None, 2028), ("emissions-reduction", 70, 2028)]
    assert read_on("År 2022 var utsläppen 30 procent lägre än 2010.", date(2024, 3, 1)) == []
    assert read_on("Utsläppen har minskat med 3 procent per år, och målet för 2030 kommer inte att nås.", date(2024, 3, 1)) == []


def test_replaced_targets_and_versions_not_joined():
    assert keys("Beslutet ersätter det tidigare målet om att utsläppen skulle halveras till 2025.") == []
    assert keys("Enligt avtalets senaste version ska utsläppen minska med 55 procent till 2030. "
                "Kalmar har ännu inte anslutit sig till den versionen.") == []
    assert keys("Kalmar ska bli fossilfritt 2035. Regionen siktar på att bli fossilfri 2030, men Kalmar har inte antagit det målet.") == [
        ("fossil-free", None, 2035)]


def test_a_heading_that_explains_a_target_gives_its_year():
    text = ("Kalmar shall be climate neutral by 2038.\n\nWhat climate neutrality means for Kalmar\n\n"
            "• Emissions in the geographical area must fall by 10 per cent per year.")
    assert keys(text) == [("climate-neutral", None, 2038), ("emissions-reduction", 10, 2038)]


def test_a_rate_under_an_intro_naming_the_period():
    found = read("Målvärden för planperioden 2025–2027:\n\n• Energianvändning i kommunens fastigheter: minskning med 3 procent per år.")
    assert [(t.kind, t.value, t.unit, t.period_start, t.target_year) for t in found] == [("energy", 3, "percent-per-year", 2025, 2027)]


def test_a_fronted_year_serves_both_targets():
    assert keys("År 2030 ska kommunkoncernen vara fossilfri och ha halverat sina utsläpp jämfört med 2015.") == [
        ("fossil-free", None, 2030), ("emissions-reduction", 50, 2030)]


def test_rows_of_a_target_column_keep_their_sectors():
    text = ("Indikator | Utfall 2022 | Målvärde 2030\n"
            "Andel förnybar energi för uppvärmning av kommunens lokaler (%) | 80 | 100\n"
            "Andel av kommunens bilar som körs på förnybara drivmedel (%) | 45 | 100")
    assert sorted((t.kind, t.value, t.sector) for t in read(text)) == [("energy", 100, "heating"), ("energy", 100, "transport")]


# the aa/ab round

def test_less_and_fewer_are_reductions_and_let_out_is_emissions():
    assert keys("Enligt planen ska Kalmar släppa ut 55 procent mindre växthusgaser år 2032 än 1990.") == [
        ("emissions-reduction", 55, 2032)]
    assert keys("Under perioden 2019–2026 ska tjänsteresorna med flyg ge 25 % mindre koldioxidutsläpp.") == [
        ("emissions-reduction", 25, 2026)]


def test_a_year_line_before_until_then():
    found = read("Målåret är 2034. Fram till dess ska utsläppen i kommunen bli minst 9 procent färre varje år.")
    assert [(t.value, t.unit, t.target_year) for t in found] == [(9, "percent-per-year", 2034)]


def test_that_year_after_a_sentence_of_target_years():
    text = ("För kommunen som plats gäller 2035 som målår, för kommunkoncernen 2027. "
            "Det året ska koncernens fordon vara fossilfria.")
    assert keys(text) == [("fossil-free", None, 2027)]


def test_a_scope_after_a_dash_and_an_elliptic_second_value():
    found = read("• Fossil koldioxid: utsläppen ska ned med 100 procent – i kommunkoncernen senast 2027 och i kommunen som helhet senast 2033.")
    assert [(t.kind, t.value, t.target_year, t.scope) for t in found] == [
        ("emissions-reduction", 100, 2027, "municipal-organisation"), ("emissions-reduction", 100, 2033, "geographic-area")]
    found = read("• Energi: användningen i kommunen ska till 2032 vara 35 procent2 lägre, i kommunkoncernen 25 procent2 lägre.")
    assert [(t.kind, t.value, t.target_year) for t in found] == [("energy", 35, 2032), ("energy", 25, 2032)]


def test_a_second_year_after_and_until_belongs_to_the_second_value():
    assert keys("Utsläppen i Kalmar ska fram till 2031 halveras jämfört med 2012 och fram till 2042 vara tre fjärdedelar lägre.") == [
        ("emissions-reduction", 50, 2031), ("emissions-reduction", 75, 2042)]


def test_one_renewable_target_said_twice_and_a_year_as_early_as():
    assert keys("Delmål till 2026\n\n• I kommunens lokaler används endast förnybar energi, 100 procent, för el och värme.") == [
        ("energy", 100, 2026)]
    assert keys("Förslaget är att all el som kommunkoncernen köper ska vara förnybar redan från 2025, och att utsläppen ska halveras till 2030.")[0] == (
        "energy", 100, 2025)


def test_fossil_free_in_other_words():
    assert keys("Kommunkoncernen ska ha noll fossila koldioxidutsläpp från sin verksamhet 2029.") == [("fossil-free", None, 2029)]
    assert keys("Kalmar som kommun ska ha lämnat de fossila bränslena bakom sig senast 2033.") == [("fossil-free", None, 2033)]
    assert keys("För kommunens egen verksamhet gäller att fossila bränslen ska vara utfasade ur uppvärmningen senast 2026.") == [
        ("fossil-free", None, 2026)]


def test_half_as_much_as_a_year_is_its_baseline():
    found = read("Planen slår fast att varje invånare till 2035 ska använda hälften så mycket energi som 2008.")
    assert [(t.kind, t.value, t.target_year, t.baseline_year) for t in found] == [("energy", 50, 2035, 2008)]


def test_the_programmes_name_and_an_indirect_question_give_no_target():
    text = ("Kalmar med i Klimatneutrala städer 2030\n\nKalmar är med i satsningen sedan 2021.\n\n"
            "Vad ett klimatneutralt Kalmar ska innebära, och vilket målår som ska gälla, utreds under året.")
    assert keys(text) == []


def test_a_company_and_the_county_named_after_the_kind_are_others():
    assert keys("Cementtillverkaren i kommunen har en egen vision: klimatneutral produktion år 2030.") == []
    assert keys("Kommunen bidrar till länets ambition: ett fossilbränslefritt Kalmar län år 2030.") == []


def test_a_fronted_year_reaches_over_a_comma():
    assert read_on("År 2027 använder kommunkoncernen inga fossila bränslen, och den har minskat sina utsläpp med minst 70 procent "
                   "jämfört med 2016.", date(2019, 5, 1)) == [("fossil-free", None, 2027), ("emissions-reduction", 70, 2027)]


def test_a_table_of_years_and_values_under_its_line():
    text = ("Mål för utsläpp av växthusgaser i Kalmar (jämfört med 1990)\n"
            "År | Minskning\n2030 | 65 %\n2045 | 90 %")
    found = read(text)
    assert [(t.kind, t.value, t.target_year, t.baseline_year) for t in found] == [
        ("emissions-reduction", 65, 2030, 1990), ("emissions-reduction", 90, 2045, 1990)]
    assert found[0].evidence.startswith("Mål för utsläpp")


def test_a_per_capita_unit_in_a_table_label():
    text = ("Indikator | Startvärde | Målvärde 2030\n"
            "Utsläpp inom kommunen (ton CO2e per invånare och år) | 5,1 (2019) | 1,5")
    assert keys(text) == [("per-capita-level", 1.5, 2030)]


def test_an_outcome_under_a_judged_goal():
    text = ("Delmålet för 2025 klaras inte\n\nI planen finns ett delmål om att utsläppen från trafiken ska minska med 40 procent "
            "till 2025. Uppföljningen visar en minskning på 18 procent, och kommunen bedömer att delmålet inte kommer att nås.")
    assert keys(text) == [("emissions-reduction", 40, 2025)]
