"""Climate targets read from prose and from contract text: each construction in its own words,
with the look-alikes that must give nothing."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.document import read_document
from extractors.facts.targets import find_targets
from extractors.text import page_from_text

KALMAR = "0880"


def targets(text: str, code: str = KALMAR, published: date | None = date(2024, 5, 2)):
    page = page_from_text("https://kalmar.se/klimat", text, published)
    return [(t.kind, t.value, t.unit, t.target_year, t.baseline_year, t.scope, t.status)
            for t in find_targets(read_document(page, code))]


def test_two_kinds_in_one_sentence_each_take_their_year():
    assert targets("Kalmar ska bli fossilfritt 2028 och klimatpositivt 2042.") == [
        ("fossil-free", None, None, 2028, None, "geographic-area", "adopted"),
        ("climate-positive", None, None, 2042, None, "geographic-area", "adopted")]


def test_value_baseline_and_year_in_any_order():
    assert targets("Jämfört med 1990 ska utsläppen till 2030 ha minskat med 75 procent.") == [
        ("emissions-reduction", 75, "percent", 2030, 1990, "geographic-area", "adopted")]
    assert targets("Senast 2035 ska utsläppen vara 80 procent lägre än de var 2005.") == [
        ("emissions-reduction", 80, "percent", 2035, 2005, "geographic-area", "adopted")]


def test_ranges_decimal_commas_and_fractions():
    assert targets("Utsläppen ska minska med 10–14 procent per år fram till 2035.")[0][:4] == \
        ("emissions-reduction", 10, "percent-per-year", 2035)
    assert targets("Till 2030 ska utsläppen per invånare vara högst 1,8 ton per invånare.")[0][:4] == \
        ("per-capita-level", 1.8, "t-co2e-per-capita", 2030)
    assert targets("Utsläppen från kommunens egna transporter ska halveras till 2027.")[0][:4] == \
        ("emissions-reduction", 50, "percent", 2027)


def test_the_year_in_the_next_sentence_or_relative_to_the_national_goal():
    assert targets("Målet är att Kalmar ska nå nettonollutsläpp. Målåret är 2038.")[0][:4] == ("net-zero", None, None, 2038)
    assert targets("Kalmar ska vara klimatneutralt tio år före det nationella målet.")[0][3] == 2035
    assert targets("Kalmar ska vara klimatneutralt 2035. Samma år ska andelen förnybar el vara 100 procent.")[1][:4] == \
        ("energy", 100, "percent", 2035)


def test_a_footnote_mark_glued_to_the_year_is_not_part_of_it():
    text = "3.1 Kommunens mål\n\nKommunkoncernen ska vara fossilfri år 20273.\n\n3 Gäller fordon och uppvärmning."
    assert targets(text) == [("fossil-free", None, None, 2027, None, "municipal-organisation", "adopted")]


def test_status_proposed_aspiration_achieved_and_not_met():
    assert targets("Förslag till mål:\n• Kalmar ska vara klimatneutralt senast 2040.")[0][-1] == "proposed"
    assert targets("Kalmar siktar på att bli klimatneutralt 2035.")[0][-1] == "aspiration"
    assert targets("Målet att kommunens fordon skulle vara fossilfria 2020 har nåtts.")[0][-1] == "achieved"
    got = targets("Delmålet är att utsläppen ska minska med 30 procent till 2025. Bedömning: delmålet kommer inte att nås.")
    assert got[0][-1] == "not-met"


def test_scope_organisation_and_part_of_the_municipality():
    assert targets("Kommunkoncernen ska vara klimatneutral 2030.")[0][5] == "municipal-organisation"
    assert targets("Stadskärnan ska vara klimatneutral redan 2030.")[0][5] == "part-of-municipality"
    both = targets("Kalmar ska vara fossilfritt 2030. Målet omfattar både kommunen som geografiskt område och "
                   "kommunens egen organisation.")
    assert [t[5] for t in both] == ["geographic-area", "municipal-organisation"]


@pytest.mark.parametrize("text", [
    "Sverige ska senast 2045 inte ha några nettoutsläpp av växthusgaser.",
    "Regionens mål är att länet ska vara fossilfritt 2035.",
    "Företaget har som mål att halvera sina utsläpp till 2030.",
    "Grannkommunen Växjö siktar på att vara klimatneutral 2030.",
    "Utsläppen har minskat med 41 procent sedan 1990.",  # a statistic
    "Kommunen ska utreda om den kan bli klimatneutral 2035 eller 2040.",
    "Kan Kalmar bli klimatneutralt till 2030?",
    "Projektledaren för Klimatneutrala Kalmar 2030 berättar om arbetet.",  # a project's name
    "Kalmar är en av kommunerna i Klimatneutrala städer 2030.",  # the initiative's name
    "The EU aims to be climate neutral by 2050.",
])
def test_others_targets_statistics_questions_and_names_give_nothing(text):
    assert targets(text) == []


def test_an_english_page():
    assert targets("The municipal council has decided that Kalmar is to be climate neutral by 2032.") == [
        ("climate-neutral", None, None, 2032, None, "geographic-area", "adopted")]


def test_plain_text_reads_headings_items_footnotes_and_drops_running_footers():
    page = page_from_text("https://x.se/a.pdf", "3. Kommunens åtaganden\n\n3.2 Mål\n\nKommunen ska minska\n"
                          "utsläppen med 5 procent per år.\n• Fossilfria fordon 2026\n\n"
                          "1 Räknat enligt RUS.\n\nKlimatkontrakt 2030 – Kalmar kommun     VERSION 2024     7")
    assert [(b.tag, b.text) for b in page.blocks] == [
        ("h2", "3. Kommunens åtaganden"), ("h3", "3.2 Mål"),
        ("p", "Kommunen ska minska utsläppen med 5 procent per år."), ("li", "Fossilfria fordon 2026"),
        ("footnote", "1 Räknat enligt RUS.")]


def test_a_table_with_a_column_of_target_values():
    text = ("Nyckeltal | Utgångsläge | Målvärde 2035\n"
            "Växthusgaser per invånare | 4,4 ton (2020) | 1,5 ton\n"
            "Andel förnybar energi | 61 procent | 95 procent")
    assert sorted(t[:4] for t in targets(text)) == [("energy", 95, "percent", 2035),
                                                    ("per-capita-level", 1.5, "t-co2e-per-capita", 2035)]


def test_label_lines_give_their_year_and_a_minus_sign_a_reduction():
    text = ("Kommunfullmäktige har antagit mål för utsläppen av växthusgaser inom kommunen.\n\n"
            "Mål: −70 % till 2032\nUtsläpp år 2040: högst 25 kiloton")
    assert [t[:4] for t in targets(text)] == [("emissions-reduction", 70, "percent", 2032),
                                              ("emissions-cap", 25, "kt-co2e", 2040)]


def test_a_target_followed_up_in_several_perspectives_is_one_target_per_perspective():
    text = ("Utsläppen ska minska med 12 procent per år räknat från 2021, och målet följs upp i två perspektiv:\n"
            "• utsläppen inom kommunens gränser,\n• kalmarbornas konsumtionsbaserade utsläpp.")
    page = page_from_text("https://kalmar.se/klimat", text, date(2024, 5, 2))
    got = [(t.value, t.unit, t.period_start, t.basis) for t in find_targets(read_document(page, KALMAR))]
    assert got == [(12, "percent-per-year", 2021, "territorial"), (12, "percent-per-year", 2021, "consumption")]


def test_one_quantity_for_two_scopes_and_years():
    got = targets("Utsläppen ska minska med 90 procent i kommunen till 2035 och i kommunkoncernen redan till 2030.")
    assert [(t[3], t[5]) for t in got] == [(2035, "geographic-area"), (2030, "municipal-organisation")]


def test_a_colon_clause_has_the_owner_its_sentence_begins_with():
    assert targets("Regeringen har ett etappmål: utsläppen ska vara 63 procent lägre 2030 än 1990.") == []


# ---- constructions of the held-out passages e-h, in other words ----

def test_a_target_years_earlier_or_later_than_the_one_before_it():
    assert targets("Kalmar ska vara klimatneutralt 2038 och klimatpositivt åtta år senare.") == [
        ("climate-neutral", None, None, 2038, None, "geographic-area", "adopted"),
        ("climate-positive", None, None, 2046, None, "geographic-area", "adopted")]
    found = targets("Kalmar som plats ska vara fossilfritt 2036. Kommunkoncernen ska nå samma mål sex år tidigare.")
    assert ("fossil-free", None, None, 2030, None, "municipal-organisation", "adopted") in found


def test_values_and_years_with_respektive():
    assert [t[:4] for t in targets("Utsläppen per invånare ska jämfört med 2005 sänkas med 30 respektive 60 "
                                   "procent till 2025 och 2035.")] == [
        ("emissions-reduction", 30, "percent", 2025), ("emissions-reduction", 60, "percent", 2035)]


def test_an_elliptic_second_quantity_and_a_fronted_year():
    assert [t[:4] for t in targets("Energianvändningen ska till 2032 minska med 20 procent i kommunen och med 30 "
                                   "procent i kommunkoncernen.")] == [
        ("energy", 20, "percent", 2032), ("energy", 30, "percent", 2032)]
    assert [t[:4] for t in targets("Till 2031 ska utsläppen inom kommunen minska med 8 procent per år, och de "
                                   "konsumtionsbaserade – de som orsakas av invånarnas inköp – med 5 procent per år.")] == [
        ("emissions-reduction", 8, "percent-per-year", 2031), ("emissions-reduction", 5, "percent-per-year", 2031)]


def test_a_table_with_a_column_of_years_and_one_of_scopes():
    text = ("Mål | Målår | Gäller\nKommunkoncernen är fossilfri | 2029 | kommunkoncernen\n"
            "Utsläppen är högst 2 ton per invånare | 2034 | hela kommunen")
    assert [t[:6] for t in targets(text)] == [
        ("fossil-free", None, None, 2029, None, "municipal-organisation"),
        ("per-capita-level", 2, "t-co2e-per-capita", 2034, None, "geographic-area")]


def test_words_for_a_whole_share_or_negative_emissions():
    assert targets("År 2033 ska all energi i kommunen vara helt förnybar.")[0][:4] == ("energy", 100, "percent", 2033)
    assert targets("Kommunen ska till 2036 vara självförsörjande på förnybar el.")[0][:4] == ("energy", 100, "percent", 2036)
    assert targets("Kalmar ska vara klimatneutralt 2037. Samma år ska kommunkoncernens utsläpp vara negativa.")[1][:4] == \
        ("climate-positive", None, None, 2037)


def test_a_later_sentence_judging_an_earlier_target_sets_its_status_and_adds_none():
    found = targets("Kommunen som organisation skulle bli fossilbränslefri senast 2016. "
                    "Målet om en fossilbränslefri organisation nåddes vid årsskiftet 2016/2017.")
    assert found == [("fossil-free", None, None, 2016, None, "municipal-organisation", "achieved")]
    assert targets("Det tidigare målet om ett klimatneutralt Kalmar 2026 bedöms inte kunna nås.")[0][-1] == "not-met"


@pytest.mark.parametrize("text", [
    "Motionärerna föreslog att Kalmar ska bli fossilfritt senast 2031.",  # a motion's authors, not the council
    "För att nå målet skulle varje invånare behöva minska sina utsläpp med 11 procent om året.",  # a needed rate
    "Samtidigt beslutades att utsläppen ska minska med 12 procent per år.",  # the decision's time, no target year
])
def test_what_is_no_target_of_the_municipality_or_no_year(text):
    found = targets(text)
    assert found == [] or all(t[3] is None for t in found), found


def test_the_year_of_a_definition_intro_and_of_a_heading_naming_the_target():
    text = "Klimatneutralt Kalmar 2032 innebär att:\n\n• utsläppen ska minska med 9–12 procent per år."
    assert targets(text)[-1][:4] == ("emissions-reduction", 9, "percent-per-year", 2032)
    assert targets("Klimatneutrala Kalmar 2039\n\nKommunens långsiktiga mål är att bli klimatneutral.")[0][:4] == \
        ("climate-neutral", None, None, 2039)


# ---- constructions of the passages i and j, in other words ----

def test_a_table_with_year_baseline_and_value_columns():
    text = ("Delmål | Basår | Målår | Målnivå\nUtsläpp av växthusgaser i kommunen | 2010 | 2032 | −60 %\n"
            "Energianvändning i kommunkoncernens lokaler | 2017 | 2027 | −12 %\n"
            "Biltrafik i centralorten | 2018 | 2031 | −25 %")
    assert [t[:6] for t in targets(text)] == [
        ("emissions-reduction", 60, "percent", 2032, 2010, "geographic-area"),
        ("energy", 12, "percent", 2027, 2017, "municipal-organisation"),
        ("other", 25, "percent", 2031, 2018, "part-of-municipality")]


def test_label_lines_under_a_budget_heading():
    text = ("Kalmars koldioxidbudget\n\nKalmar ska vara klimatneutralt 2040.\n\n"
            "• Minskningstakt: 12 procent per år 2024–2040\n• Budget för perioden 2024–2040: cirka 2,1 miljoner ton")
    found = [t[:4] for t in targets(text)]
    assert ("emissions-reduction", 12, "percent-per-year", 2040) in found
    assert ("carbon-budget", 2.1, "mt-co2e", 2040) in found


def test_the_year_of_a_yearless_target_said_after_it_and_other_ways_to_say_the_year():
    assert targets("Utsläppen ska minska med 80 procent jämfört med 1990. Det målet ska vara nått senast 2039.")[0][:5] == \
        ("emissions-reduction", 80, "percent", 2039, 1990)
    assert targets("Emissions are to fall by 60 per cent, and net zero is to be reached no later than 2041.")[-1][:4] == \
        ("net-zero", None, None, 2041)
    assert targets("Klimatmålet är att Kalmar senast 2043 inte har några nettoutsläpp av växthusgaser.")[0][:4] == \
        ("net-zero", None, None, 2043)


def test_a_kind_in_a_dashed_aside_or_a_definition_is_no_second_target():
    assert [t[0] for t in targets("Kommunkoncernen ska vara klimatneutral – nettonollutsläpp av växthusgaser – senast 2027.")] == \
        ["climate-neutral"]
    found = targets("Kalmar shall be climate neutral by 2032. In practice this means net zero emissions from the area by 2032.")
    assert [t[0] for t in found] == ["climate-neutral"]


# ---- constructions of the passages k and l, in other words ----

def test_items_under_a_heading_that_names_their_year_in_any_tense():
    text = ("Mål för 2029\n\n• Kalmar kommun som organisation är klimatneutral.\n\n"
            "Delmål till 2032 (jämfört med 2012)\n\n– Utsläppen inom kommunen har minskat med 55 procent.")
    assert [t[:5] for t in targets(text)] == [("climate-neutral", None, None, 2029, None),
                                              ("emissions-reduction", 55, "percent", 2032, 2012)]


def test_a_value_on_its_own_line_after_an_intro_but_not_a_measured_one():
    text = "Utsläppen inom kommunen, minskning till 2031 jämfört med 2011:\n\nminst hälften"
    assert targets(text)[0][:5] == ("emissions-reduction", 50, "percent", 2031, 2011)
    assert targets("Växthusgaser per invånare\n\nSenaste värdet:\n\n5,2 ton/invånare (2022)") == []


@pytest.mark.parametrize("text", [
    "Högskolan har beslutat att halvera sina utsläpp från flygresor till 2028.",
    "Skånetrafiken ska köra all kollektivtrafik fossilfritt från 2026.",
    "The organiser aims to make the race climate neutral by 2031.",
    "I en motion föreslår en ledamot att Kalmar ska vara klimatneutralt år 2034.",
    "Enligt Klimatkollen behöver utsläppen i Kalmar minska med 16 procent per år om kommunen ska klara Parisavtalet.",
    "Cementfabriken har en egen vision om att bli klimatneutral till 2030.",
])
def test_other_owners_and_needed_rates_are_no_targets_of_the_municipality(text):
    assert targets(text) == []


def test_a_total_in_one_year_is_a_cap_and_over_a_period_a_budget():
    assert targets("De samlade utsläppen får år 2031 uppgå till högst 210 kiloton.")[0][:4] == \
        ("emissions-cap", 210, "kt-co2e", 2031)
    assert targets("De samlade utsläppen 2024–2040 får vara högst 2,2 miljoner ton.")[0][:4] == \
        ("carbon-budget", 2.2, "mt-co2e", 2040)


def test_years_before_the_target_said_before_it():
    found = targets("Kalmar ska vara fossilfritt 2031, och den egna organisationen ska enligt beslutet ligga tre år före.")
    assert ("fossil-free", None, None, 2028, None, "municipal-organisation", "adopted") in found
    assert targets("Kalmar commits to net zero five years before the national 2045 target.")[0][3] == 2040


@pytest.mark.parametrize("text", [
    "Från 2039 ska kommunen inte längre ha några nettoutsläpp av växthusgaser.",
    "Kalmar ska år 2039 inte ha några nettoutsläpp alls.",
    "Net emissions of greenhouse gases from Kalmar shall be zero by 2039.",
    "By 2039, net greenhouse gas emissions in the municipality will reach zero.",
])
def test_no_net_emissions_is_net_zero(text):
    assert [(t[0], t[3]) for t in targets(text)] == [("net-zero", 2039)]


def test_a_reduction_said_as_lower_than_a_level_or_by_a_pronoun():
    assert targets("Utsläppen från vägtrafiken ska år 2029 ligga minst 65 procent under 2008 års nivå.")[0][:5] == \
        ("emissions-reduction", 65, "percent", 2029, 2008)
    text = "Utsläppen av växthusgaser ska minska snabbare än i riket. År 2027 ska de vara drygt 60 procent lägre än 1990."
    assert ("emissions-reduction", 60, "percent", 2027, 1990, "geographic-area", "adopted") in targets(text)
    # travel is what the emissions come from: a reduction, of transport
    assert targets("Kommunkoncernen ska halvera utsläppen från tjänsteresorna till 2027, räknat från 2021 års nivå.")[0][:5] == \
        ("emissions-reduction", 50, "percent", 2027, 2021)


def test_what_a_target_means_takes_its_year():
    text = ("Kalmar ska vara klimatneutralt år 2033. Med klimatneutralt menas att utsläppen inom kommunen "
            "då har minskat med minst 87 procent2 jämfört med 1990.")
    assert ("emissions-reduction", 87, "percent", 2033, 1990, "geographic-area", "adopted") in targets(text)
    text = "Målet om ett fossilfritt Kalmar 2032 innebär bland annat att utsläppen från inrikes transporter i kommunen ska ha minskat med 100 procent jämfört med 2010."
    assert ("emissions-reduction", 100, "percent", 2032, 2010, "geographic-area", "adopted") in targets(text)
    # without a target before it, "då har minskat" reports what was
    assert targets("Då har utsläppen minskat med 40 procent jämfört med 1990.") == []


def test_list_items_that_end_their_intros_sentence_and_headings_naming_a_year():
    text = "Senast 2031 ska\n\n• kommunens bilar köras helt fossilfritt,\n• energianvändningen i kommunens lokaler ha minskat med 20 procent jämfört med 2016."
    assert [t[:5] for t in targets(text)] == [("fossil-free", None, None, 2031, None),
                                              ("energy", 20, "percent", 2031, 2016)]
    text = "Delmål 2027\n\nUtsläppen från kommunens verksamheter ska ha minskat med 60 procent jämfört med 2012."
    assert targets(text)[0][:5] == ("emissions-reduction", 60, "percent", 2027, 2012)


@pytest.mark.parametrize("text", [
    "By 2036, consumption emissions of Kalmar's residents shall be at most 3 tonnes per person, compared with about 9 tonnes today.",
    "Senast 2036 ska de konsumtionsbaserade utsläppen vara högst 3 ton per invånare, jämfört med dagens 9 ton.",
])
def test_a_level_compared_with_today_is_no_second_target(text):
    assert [(t[0], t[1]) for t in targets(text)] == [("per-capita-level", 3)]


@pytest.mark.parametrize("text", [
    "Kalmar län, som Kalmar ingår i, siktar på att vara klimatneutralt 2040.",
    "Kalmar County, of which Kalmar is part, aims to be fossil free by 2040.",
    "Vi i Liberalerna vill att Kalmar ska vara klimatneutralt redan 2033.",
    "Socialdemokraterna vill att kommunen ska bli fossilfri till 2030.",
    "Northvolt aims to cut its emissions by half by 2030.",
    "Vattenfall has a goal of net zero emissions by 2040.",
    "Trafikverket har som mål att den egna verksamheten ska vara klimatneutral 2040.",
    "Energimyndigheten ska bidra till att kommunerna blir fossilfria 2030.",
])
def test_aims_of_a_county_a_party_a_company_or_an_agency_are_not_the_municipalitys(text):
    assert targets(text) == []


def sectors(text: str, code: str = KALMAR):
    page = page_from_text("https://kalmar.se/klimat", text, date(2024, 5, 2))
    return [(t.kind, t.target_year, t.sector) for t in find_targets(read_document(page, code))]


@pytest.mark.parametrize("text, value", [
    ("Utsläppen i kommunen ska minska med sjuttio procent till 2031 jämfört med 1990.", 70),
    ("Utsläppen i kommunen ska minska med sjuttiofem procent till 2031 jämfört med 1990.", 75),
    ("Emissions shall fall by forty-five per cent by 2031 compared with 1990.", 45),
])
def test_a_percentage_in_words(text, value):
    assert targets(text)[0][:4] == ("emissions-reduction", value, "percent", 2031)


def test_a_share_of_what_follows():
    assert targets("Till 2032 ska två tredjedelar av utsläppen vara borta, med 2006 som basår.")[0][:5] == \
        ("emissions-reduction", 66.7, "percent", 2032, 2006)
    assert targets("Kommunen siktar på att minst hälften av kommunkoncernens elbehov ska täckas av egen solel till 2033.")[0] == \
        ("energy", 50, "percent", 2033, None, "municipal-organisation", "aspiration")


def test_a_bare_level_under_a_heading_per_resident_is_per_capita_but_a_measured_one_is_none():
    text = "Konsumtionsbaserade utsläpp per invånare\nMål 2031: högst 4,5 ton CO2e2\nUtfall 2022: 8,1 ton CO2e"
    assert targets(text) == [("per-capita-level", 4.5, "t-co2e-per-capita", 2031, None, "geographic-area", "adopted")]


def test_a_value_on_its_own_line_under_a_label_reducing_the_emissions_named_above():
    text = ("Fullmäktige har fastställt mål för minskade utsläpp av växthusgaser i kommunen:\n\n"
            "Minskning till 2029, jämfört med 1990:\n70 procent")
    assert targets(text)[0][:5] == ("emissions-reduction", 70, "percent", 2029, 1990)
    # a reduction of nothing named (no emissions above) is no emissions target
    assert targets("Minskning till 2029, jämfört med 1990:\n70 procent") == []


@pytest.mark.parametrize("text", [
    "Senast 2029 ska alla kommunens bilar och arbetsmaskiner drivas med el, biogas eller HVO.",
    "Till 2029 ska kommunen ställa om samtliga tjänstebilar till el eller biogas.",
    "By 2029, all municipal vehicles are to run on renewable fuels.",
])
def test_vehicles_run_on_fossil_free_fuels_are_a_fossil_free_fleet(text):
    assert sectors(text) == [("fossil-free", 2029, "transport")]


def test_the_sector_a_target_is_about():
    assert sectors("Klimatpåverkan från maten i kommunens skolor ska minska med 30 procent till 2030.") == \
        [("emissions-reduction", 2030, "food")]
    assert sectors("Senast 2027 ska uppvärmningen av kommunens lokaler vara helt fossilfri.") == [("fossil-free", 2027, "heating")]
    assert sectors("Energianvändningen i kommunens fastigheter ska minska med 15 procent till 2030.") == \
        [("energy", 2030, "buildings")]
    assert sectors("Utsläppen från jordbruket ska minska med 25 procent till 2030.") == \
        [("emissions-reduction", 2030, "agriculture")]
    assert sectors("Utsläppen i kommunen ska minska med 60 procent till 2030.") == [("emissions-reduction", 2030, None)]


def test_a_year_counted_from_the_pages_date_or_the_period_named_before():
    assert targets("Ambitionen är att kommunen ska bli klimatneutral inom åtta år.")[0][:4] == ("climate-neutral", None, None, 2032)
    assert targets("Ambitionen är att kommunen ska bli klimatneutral inom åtta år.", published=None) == []
    text = ("Utsläppsutrymmet för perioden 2023–2041 är 380 kiloton koldioxid. "
            "Målet är att utsläppen ska minska med 12 procent per år under budgetperioden.")
    page = page_from_text("https://kalmar.se/klimat", text, date(2024, 5, 2))
    cut = [t for t in find_targets(read_document(page, KALMAR)) if t.unit == "percent-per-year"]
    assert [(t.target_year, t.period_start) for t in cut] == [(2041, 2023)]


def test_a_target_stated_again_on_its_indicator_line_is_one_target_judged_by_its_assessment():
    text = ("Senast 2026 ska alla bilar i kommunens verksamheter köras på förnybara drivmedel.\n\n"
            "Målvärde: fossilfri fordonsflotta (2026)\n\nBedömning: målet till 2026 kommer inte att nås.")
    assert targets(text) == [("fossil-free", None, None, 2026, None, "municipal-organisation", "not-met")]


def test_a_target_replaced_or_under_former_targets_is_none_unless_judged():
    text = ("Kommunen ska vara fossilfri 2031.\n\nTidigare mål\nI den gamla planen fanns ett mål om att utsläppen skulle "
            "minska med 25 procent till 2016.")
    assert [t[0] for t in targets(text)] == ["fossil-free"]
    text = ("Kommunen ska vara fossilfri 2031. I energiplanen från 2009 stod att utsläppen skulle minska med 25 procent "
            "till 2016. Det målet ersattes när planen reviderades.")
    assert [t[0] for t in targets(text)] == ["fossil-free"]
    text = "Tidigare mål\nMålet att kommunens verksamheter ska vara fossilfria 2019 nåddes redan 2018."
    assert targets(text)[0][-1] == "achieved"
    # a replacement said of something else takes no target away
    text = "Kommunen ska vara fossilfri 2031. Oljepannorna ersattes med bergvärme."
    assert [t[0] for t in targets(text)] == ["fossil-free"]


def test_a_target_told_in_the_past_is_achieved_only_where_the_page_says_so():
    text = ("Kalmar har nått sitt klimatmål för 2025\n\nUtsläppen har minskat med 44 procent jämfört med 2005. "
            "Målet i strategin var en minskning med 40 procent till 2025.")
    assert targets(text)[0][:4] + targets(text)[0][-1:] == ("emissions-reduction", 40, "percent", 2025, "achieved")
    text = "Utsläppen har minskat med 30 procent jämfört med 2005. Målet i strategin var en minskning med 40 procent till 2025."
    assert targets(text)[0][-1] == "unknown"


@pytest.mark.parametrize("text", [
    "Malmö stad har till exempel som mål att staden ska vara klimatneutral 2030.",
    "Ett energibolag äger kraftverket och har som mål att hela koncernen ska nå nettonollutsläpp 2040.",
    "Raffinaderiets ägare har som mål att bli klimatneutralt till 2035.",
])
def test_an_owners_own_words_for_itself_stay_its_own(text):
    assert targets(text) == []


def test_the_municipality_after_another_without_an_aim_between_is_its_own():
    assert [t[0] for t in targets("Precis som Malmö vill kommunen bli klimatneutral 2030.")] == ["climate-neutral"]
    assert [t[0] for t in targets("Det kommunala energibolaget ska leverera fossilfri fjärrvärme senast 2026.")] == ["fossil-free"]


def test_the_sectors_of_the_vocabulary_are_those_the_schema_allows():
    from klimatkontrakt.core.schema import fields
    from klimatkontrakt.normalise.vocabulary import target_sectors

    field = next(f for f in fields("targets") if f["name"] == "sector")
    assert [s for s, _ in target_sectors()] == field["constraints"]["enum"]


@pytest.mark.parametrize("text", [
    "Senast 2033 ska all energi som används i kommunen vara förnybar.",
    "Från och med 2033 ska all el som kommunens verksamheter köper vara förnybar.",
    "By 2033 all the electricity the municipality buys shall be renewable.",
])
def test_all_energy_renewable_is_an_energy_target_of_100_percent(text):
    assert targets(text)[0][:4] == ("energy", 100, "percent", 2033)


def test_a_share_of_renewable_fuel_is_an_energy_share_and_fuels_left_out_make_fossil_free():
    assert targets("Andelen förnybara drivmedel i kommunens fordon ska vara minst 90 procent 2026.")[0][:4] == \
        ("energy", 90, "percent", 2026)
    assert targets("Kommunen ska värma alla sina lokaler utan fossila bränslen från och med 2026.")[0][:4] == \
        ("fossil-free", None, None, 2026)
    assert targets("The municipality aims to heat its own buildings without fossil fuels by 2026.")[0][-1] == "aspiration"


def test_a_climate_footprint_and_a_total_room_over_a_period():
    assert targets("Klimatavtrycket från måltiderna i kommunens kök ska minska med en fjärdedel till 2030.")[0][:4] == \
        ("emissions-reduction", 25, "percent", 2030)
    assert targets("Koldioxidbudget\n\nFör perioden 2023–2044 är det totala utrymmet 390 000 ton.")[0][:4] == \
        ("carbon-budget", 390000, "t-co2e", 2044)
    assert targets("Between 2022 and 2041, total fossil CO2 emissions in the municipality may not exceed 0.9 million tonnes.")[0][:4] == \
        ("carbon-budget", 0.9, "mt-co2e", 2041)


def test_a_definition_takes_the_year_of_the_target_it_defines():
    text = ("Målet är att Kalmar ska ha nettonollutsläpp av växthusgaser. Det innebär att de utsläpp som återstår "
            "ska vägas upp av upptag i skog och mark – senast år 2037.")
    assert targets(text) == [("net-zero", None, None, 2037, None, "geographic-area", "adopted")]
    # a definition in a footnote, glued to the year by its mark
    text = ("3.1 Mål\n\nKommunen ska vara klimatneutral 20312.\n\n"
            "2 Med klimatneutral avses att utsläppen har minskat med minst 88 procent jämfört med 1990.")
    assert ("emissions-reduction", 88, "percent", 2031, 1990, "geographic-area", "adopted") in targets(text)
    # what the neutrality means is no second kind of target
    assert [t[0] for t in targets("Kalmar ska vara klimatneutralt 2031. Med klimatneutral menas att nettoutsläppen är noll.")] == \
        ["climate-neutral"]
    # a footnote defining nothing read before stays out
    assert targets("Kommunen ska vara klimatneutral 20312.\n\n2 Utsläppen har minskat med 40 procent sedan 1990.") == \
        [("climate-neutral", None, None, 2031, None, "geographic-area", "adopted")]


def test_one_year_for_all_the_items_of_a_list():
    text = ("Fullmäktige antog tre mål för förvaltningar och bolag. Samtliga ska vara uppnådda år 2029.\n\n"
            "1. Utsläppen från tjänsteresor ska halveras jämfört med 2019.\n2. Alla personbilar ska köras på fossilfria drivmedel.")
    assert [t[:4] for t in targets(text)] == [("emissions-reduction", 50, "percent", 2029), ("fossil-free", None, None, 2029)]


def test_another_subject_and_its_year_with_the_verb_left_out():
    assert [t[3:6] for t in targets("Centrala Kalmar ska vara klimatneutralt 2030 och kommunen i sin helhet 2038.")] == \
        [(2030, None, "part-of-municipality"), (2038, None, "geographic-area")]


def test_a_target_given_a_new_value_keeps_its_year_and_baseline():
    text = ("Dagens mål, antaget av kommunfullmäktige 2019, säger att utsläppen i kommunen ska minska med 50 procent "
            "till 2030 jämfört med 2005. I förslaget skärps målet till 60 procent, med samma målår och basår.")
    assert targets(text) == [("emissions-reduction", 50, "percent", 2030, 2005, "geographic-area", "adopted"),
                             ("emissions-reduction", 60, "percent", 2030, 2005, "geographic-area", "proposed")]


@pytest.mark.parametrize("text", [
    "Region Kalmar län har som mål att den egna organisationen ska vara fossilfri 2030.",
    "Länsstyrelsens förslag innebär att utsläppen i Västernorrland ska halveras till 2030.",
])
def test_the_own_body_of_another_and_a_county_by_name_are_not_the_municipalitys(text):
    assert targets(text) == []


def test_a_sector_left_out_is_no_owner_but_the_eu_is():
    text = "Målet att utsläppen utanför industrin skulle minska med 40 procent till 2025 kommer inte att nås."
    assert targets(text)[0][:4] + targets(text)[0][-1:] == ("emissions-reduction", 40, "percent", 2025, "not-met")
    assert targets("Sveriges etappmål: utsläppen utanför EU:s utsläppshandel ska vara 63 procent lägre år 2030 än 1990.") == []


def test_the_wholly_owned_companies_are_the_municipalitys_own():
    text = "Kommunens förvaltningar och de helägda bolagen ska minska sina utsläpp med 60 procent till 2031."
    assert targets(text)[0][:4] == ("emissions-reduction", 60, "percent", 2031)


def test_an_assessment_line_judges_the_target_above_and_its_outcome_is_none():
    text = ("Mål: Senast 2024 ska 100 procent av den el som kommunen köper vara förnybar.\nBedömning: Uppfyllt.\n\n"
            "Mål: Utsläppen från kommunens transporter ska ha halverats till 2026 jämfört med 2016.\n"
            "Bedömning: Ej uppfyllt. Minskningen uppgår hittills till 28 procent och målet kommer inte att nås till 2026.")
    assert [(t[0], t[1], t[3], t[-1]) for t in targets(text)] == [
        ("energy", 100, 2024, "achieved"), ("emissions-reduction", 50, 2026, "not-met")]


@pytest.mark.parametrize("text", [
    "I det mest ambitiösa scenariot skulle utsläppen kunna minska med 75 procent till 2035.",
    "Yrkande i motionen: Eva Berg (V) föreslår att Kalmar ska vara klimatneutralt senast 2034.",
    "De nya målen ersätter klimatplanen från 2013, som hade som mål att minska utsläppen med 30 procent till 2020.",
])
def test_scenarios_motions_and_the_targets_of_a_replaced_plan_are_none(text):
    assert targets(text) == []


def test_a_commitment_a_target_year_set_and_a_strategy_revoked():
    assert targets("Som avtalspart förbinder sig kommunen att minska utsläppen med minst 50 procent till 2030 jämfört med 1990.")[0][:5] == \
        ("emissions-reduction", 50, "percent", 2030, 1990)
    assert targets("Kalmar siktar på klimatneutralitet. Målåret är satt till 2041.")[0][:4] == ("climate-neutral", None, None, 2041)
    text = ("Strategin från 2012 hade som mål att utsläppen skulle minska med 40 procent till 2020. "
            "Strategin upphävdes av kommunfullmäktige 2022.")
    assert targets(text) == []


def test_emissions_close_to_zero_and_energy_surplus_are_targets_without_a_value():
    assert targets("Utsläppen från uppvärmning av lokaler ska vara nära noll 2031.")[0][:4] == ("emissions-reduction", None, None, 2031)
    # explained by a value: one target, the value's
    assert [t[:4] for t in targets("Till 2040 ska utsläppen vara nära noll, det vill säga ha minskat med omkring 90 %.")] == \
        [("emissions-reduction", 90, "percent", 2040)]
    assert targets("Kommunen ska producera mer förnybar energi än den använder senast 2027.")[0][:4] == ("energy", None, None, 2027)


def test_a_footprint_per_portion_is_a_target_of_kind_other():
    assert targets("Senast 2027 ska måltiderna i kommunens skolor ge högst 1,1 kg koldioxidekvivalenter per portion.")[0][:4] == \
        ("other", 1.1, None, 2027)


def test_a_table_whose_labels_carry_the_unit():
    text = ("Indikator | Utfall 2023 | Målvärde 2028\n"
            "Växthusgasutsläpp från kommunens egna transporter, ton CO2e | 1 300 | 900\n"
            "Andel fossilfria fordon i kommunens fordonspark, % | 55 | 95")
    assert [t[:4] for t in targets(text)] == [("emissions-cap", 900, "t-co2e", 2028), ("other", 95, "percent", 2028)]


def test_lines_headed_by_their_year_under_one_intro():
    text = ("Utsläppen i kommunen ska minska steg för steg.\n\nMilstolpar för kommunen (jämfört med 2010):\n"
            "2026: −30 %\n2031: −55 %\n2036: klimatneutralt")
    assert [t[:4] for t in targets(text)] == [("emissions-reduction", 30, "percent", 2026),
                                             ("emissions-reduction", 55, "percent", 2031),
                                             ("climate-neutral", None, None, 2036)]


def test_a_target_named_after_its_outcome_and_one_judged_with_its_outcome():
    text = ("Kalmar har nått målet i den förra strategin: utsläppen har minskat med 44 procent sedan 1990, "
            "och målet var 40 procent till 2021.")
    assert targets(text) == [("emissions-reduction", 40, "percent", 2021, None, "geographic-area", "achieved")]
    text = ("For its own operations the municipality has set an interim target of reducing emissions by 40% by 2027 "
            "compared with 2019. The 2023 annual report noted that this interim target had already been met, with a reduction of 43%.")
    assert [(t[1], t[3], t[-1]) for t in targets(text)] == [(40, 2027, "achieved")]


def test_ten_years_ahead_of_the_rest_of_the_municipality():
    text = ("Kalmar as a geographical area shall have net zero emissions by 2044. The municipality also aims for the "
            "town centre to become climate neutral ten years ahead of the rest of the municipality.")
    assert targets(text)[1][:4] == ("climate-neutral", None, None, 2034)


@pytest.mark.parametrize("text, expected", [
    ("Kommunen nådde inte målet om 50 procent fossilfria fordon till år 2020.", ("other", 50, "percent", 2020)),
    ("Minst 85 procent av fordonen ska vara fossilfria 2027.", ("other", 85, "percent", 2027)),
    ("Andelen fossilfria fordon i den kommunala fordonsflottan ska vara minst 80 procent 2026.", ("other", 80, "percent", 2026)),
    ("Andelen fossilfria drivmedel i kommunens fordon ska vara 90 procent 2026.", ("energy", 90, "percent", 2026)),
    ("Kommunkoncernens drivmedel ska vara till 100 % fossilfria 2026.", ("fossil-free", None, None, 2026)),
])
def test_a_share_of_fossil_free_vehicles_or_fuel_is_a_share(text, expected):
    assert [t[:4] for t in targets(text)] == [expected]
    assert targets("Kommunen nådde inte målet om 50 procent fossilfria fordon till år 2020.")[0][-1] == "not-met"


def test_capacity_energy_per_area_doubling_and_three_in_four():
    assert targets("Den installerade vindkrafteffekten i kommunen ska öka med 25 MW till 2028.")[0][:4] == ("energy", 25, None, 2028)
    text = "Indikator | Utfall 2024 | Målvärde 2026\nEnergianvändning i kommunägda lokaler (kWh/m²) | 141 | 128\nAndel förnybar el (%) | 90 | 100"
    assert [t[:4] for t in targets(text)] == [("energy", 128, None, 2026), ("energy", 100, "percent", 2026)]
    assert targets("Till år 2031 ska solcellseffekten i kommunen ha fördubblats jämfört med 2022.")[0][:5] == \
        ("energy", 100, "percent", 2031, 2022)
    assert targets("Tre av fyra resor i tätorten ska göras med cykel eller kollektivtrafik 2032.")[0][:4] == ("other", 75, "percent", 2032)
    assert targets("Greenhouse gas emissions from road transport shall be cut by half by 2031, compared with 2010.")[0][:5] == \
        ("emissions-reduction", 50, "percent", 2031, 2010)


@pytest.mark.parametrize("text", [
    "Energibolaget Värme AB, som levererar fjärrvärme till kunder i Kalmar tätort, har satt som mål att produktionen ska vara fossilfri 2027.",
    "Även folkhögskolan, som drivs av en förening, har satt upp ett eget mål: skolans utsläpp ska minska med 30 procent till 2027.",
    "2.2 Anslutna företag åtar sig att\n\na) minska sina utsläpp från transporter med minst 20 procent till 2027,",
    "Det tidigare målet om en fossilfri kommun till 2030, som antogs 2016, upphävdes av kommunfullmäktige i februari 2024.",
    "Utgångsvärde: 5,9 ton CO2e/inv (2010)",
])
def test_companies_schools_and_revoked_targets_and_baseline_values_are_none(text):
    assert targets(text) == []


def test_both_scopes_after_a_dash_and_a_rate_until_the_target_it_serves():
    assert [t[3:6] for t in targets("Kalmar ska vara klimatneutralt år 2036 – både som geografiskt område och som organisation.")] == \
        [(2036, None, "geographic-area"), (2036, None, "municipal-organisation")]
    text = "Utsläppen ska minska med i genomsnitt 8 procent per år från 2025, så att kommunen når nettonollutsläpp år 2041."
    page = page_from_text("https://kalmar.se/klimat", text, date(2024, 5, 2))
    rate = [t for t in find_targets(read_document(page, KALMAR)) if t.unit == "percent-per-year"][0]
    assert (rate.target_year, rate.period_start, rate.baseline_year) == (2041, 2025, None)


def test_a_year_relative_to_the_nation_levels_in_parentheses_and_equivalents_are_no_targets():
    text = "Kalmar shall be climate neutral by 2035 – ten years earlier than Sweden as a whole."
    assert [t[3] for t in targets(text)] == [2035]
    text = "5.2 Energi – mål till 2031\n\nAndelen förnybar energi i kommunen ska öka till 85 procent (64 procent år 2020)."
    assert [t[:4] for t in targets(text)] == [("energy", 85, "percent", 2031)]
    text = "Solelen ska täcka en fjärdedel av kommunkoncernens egen elanvändning år 2031, vilket motsvarar ungefär 3,5 GWh per år."
    assert [t[:4] for t in targets(text)] == [("energy", 25, "percent", 2031)]


def test_reaching_it_earlier_a_value_at_its_label_and_a_reduction_during_a_year():
    text = "Kommunfullmäktiges mål är en helt fossilfri fordonsflotta 2031. Nämnden siktar på att nå dit för sina egna fordon redan två år tidigare."
    assert [(t[3], t[-1]) for t in targets(text)] == [(2031, "adopted"), (2029, "aspiration")]
    assert targets("Målvärde: 2,5 ton CO2e/inv (2031)")[0][:4] == ("per-capita-level", 2.5, "t-co2e-per-capita", 2031)
    assert targets("Energianvändningen i nämndens lokaler ska minska med 3 procent under 2027 jämfört med 2026.")[0][:5] == \
        ("energy", 3, "percent", 2027, 2026)
