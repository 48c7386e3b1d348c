"""Rule-level tests for the extractors on small hand-written pages (look-alikes, noise, captions)."""

from __future__ import annotations

from datetime import date

from extractors import REGISTRY, get_extractor
from extractors.common import split_sentences
from extractors.page import parse_page
from klimatkontrakt.core.model import Source

MUNI = Source(id="t", extractor="municipal", start_urls=("https://www.exempel.se/",), municipality_code="0380")
VC = Source(id="vc", extractor="viablecities", start_urls=("https://viablecities.se/",))


def sitevision(body: str, footer: str = "Publicerad: 3 december 2024") -> str:
    return f"""<html lang="sv"><head><title>T</title></head><body>
    <div class="sv-cookie-consent">Vi använder kakor</div><nav class="sv-menu"><a>Meny</a></nav>
    <main><div class="sv-text-portlet"><div class="sv-text-portlet-content"><h1>Rubrik</h1>{body}
    <p>{footer}</p><p>Dela sidan:</p><p>$left</p></div></div></main></body></html>"""


def run(html, source=MUNI, url="https://www.exempel.se/nyheter/a.5.abc123.html"):
    return get_extractor(source.extractor)(url, html, source)


def test_registry_names():
    assert set(REGISTRY) == {"viablecities", "municipal", "pdf"}


def test_own_municipality_is_the_default_party():
    e = run(sitevision("<p>I dag signerade kommunen Klimatkontrakt 2030 på European Viable Cities Day.</p>"))
    assert [(s.contract, s.municipality_code, s.signed_on) for s in e.signings] == [
        ("klimatkontrakt-2030", "0380", date(2024, 12, 3))
    ]
    assert e.signings[0].event_name == "European Viable Cities Day 2024"


def test_named_other_municipalities_replace_the_default():
    e = run(sitevision("<p>Den 6 december skrev Lund och Malmö under Klimatkontrakt 2030.</p>"))
    assert {s.municipality_code for s in e.signings} == {"1281", "1280"}


def test_plural_subject_without_self_reference_is_not_attributed():
    e = run(sitevision("<p>De nio städerna signerade Klimatkontrakt 2030 första gången den 11 december 2020.</p>"))
    assert e.signings == ()


def test_lookalikes_give_no_klimatkontrakt_2030_signing():
    pages = [
        "<p>Tjugo företag skrev i dag under Klimatkontrakt Uppsala, stadens lokala klimatkontrakt.</p>",
        "<p>Kommunen skrev under klimatavtalet med näringslivet den 2 december.</p>",
        "<p>Kommunen signerade Borgmästaravtalet den 2 december.</p>",
        "<p>Kommunen signerade sitt Climate City Contract inom EU:s mission den 2 december.</p>",
    ]
    for body in pages:
        e = run(sitevision(body))
        assert not [s for s in e.signings if s.contract == "klimatkontrakt-2030"], body
    e = run(sitevision(pages[3]))
    assert [s.contract for s in e.signings] == ["eu-climate-city-contract"]


def test_habitual_signings_are_not_facts_and_future_ones_are_announced():
    assert run(sitevision("<p>Kommunen skriver under Klimatkontrakt 2030 varje år.</p>")).signings == ()
    # a coming signing is an announcement (issue "Read real Swedish prose": stated_as), not nothing
    [coming] = run(sitevision("<p>Den 8 december kommer kommunen att signera Klimatkontrakt 2030.</p>")).signings
    assert (coming.stated_as, coming.signed_on) == ("announced", date(2024, 12, 8))


def test_letter_of_intent_and_year_inference():
    html = sitevision("<p>Den 4 februari skrev kommunen under en avsiktsförklaring om att gå med i Klimatneutrala städer 2030.</p>",
                      footer="Publicerad: 20 december 2024")
    e = run(html)
    assert [(s.contract, s.signed_on) for s in e.signings] == [("letter-of-intent", date(2025, 2, 4))]


def test_caption_names_do_not_create_roles():
    body = ("<figure><img src='x.jpg'><figcaption>Foto: Anna Ek. Per Ek (M), kommunalråd i Lund, på plats.</figcaption></figure>"
            "<p>– Bra dag, säger Eva Lund (S), kommunstyrelsens ordförande.</p><p>Foto: Jan Berg (C), kommunalråd</p>")
    e = run(sitevision(body))
    assert [(r.person_name, r.party, r.role_normalised, r.municipality_code) for r in e.roles] == [
        ("Eva Lund", "S", "ks-ordforande", "0380")
    ]


def test_noise_is_dropped_and_title_and_date_found():
    page = parse_page("https://www.exempel.se/a", sitevision("<p>Text om klimatet.</p>"))
    texts = [b.text for b in page.blocks]
    assert page.title == "Rubrik"
    assert page.published_on == date(2024, 12, 3)
    assert "Text om klimatet." in texts
    assert not any("kakor" in t or "Dela sidan" in t or "$left" in t or "Meny" in t for t in texts)


def test_viablecities_drops_logo_and_menu():
    html = """<html lang="sv"><body><header><a class="logo"><img alt="Viable Cities Logo"></a>
    <nav><ul><li>Om oss</li><li>Klimatkontrakt</li></ul></nav></header>
    <main><article class="post"><h1>Nyhet</h1><div class="entry-content"><p>Innehåll.</p></div></article></main></body></html>"""
    page = parse_page("https://viablecities.se/nyhet/", html)
    assert [b.text for b in page.blocks] == ["Nyhet", "Innehåll."]


def test_evcd_event_with_time_and_online():
    html = sitevision("<p>European Viable Cities Day hålls onsdag 8 december 2027, kl. 13.00 - 15.00 och sänds online.</p>")
    e = run(html, VC, "https://viablecities.se/evcd-2027/")
    assert [(ev.kind, ev.starts_on, ev.start_time, ev.location) for ev in e.events] == [
        ("european-viable-cities-day", date(2027, 12, 8), "13:00", "online")
    ]


def test_membership_with_cohort():
    e = run(sitevision("<p>Uppsala är en av de nio pionjärstäderna i Klimatneutrala städer 2030 och har varit med sedan starten 2019.</p>"))
    assert [(m.municipality_code, m.initiative_id, m.joined_year, m.cohort) for m in e.memberships] == [
        ("0380", "klimatneutrala-stader-2030", 2019, "pilot-2020")
    ]


def test_sentence_split_keeps_br_attribution_together():
    s = split_sentences("– Vi går före. Det är viktigt\n, säger Eva Ek (S), kommunalråd. Nästa mening kl. 13.00 i dag.")
    assert s == ["– Vi går före.", "Det är viktigt, säger Eva Ek (S), kommunalråd.", "Nästa mening kl. 13.00 i dag."]


def test_empty_and_broken_html_do_not_crash():
    for html in ("", "<p>bara text", "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>"):
        e = run(html)
        assert e.signings == ()


def test_quote_names_its_city_one_sentence_before_the_attribution():
    html = """<html lang="sv"><head><title>Dagen</title></head><body><article class="post"><h1>Dagen</h1>
    <p>Borås har arbetat med frågan länge.</p>
    <p>– Vi bygger om stadens busstrafik. Då kan fler i Borås lämna bilen hemma. Det tar tid, säger Anna Berg (M), kommunstyrelsens ordförande.</p>
    <p>– Tempot måste upp i Lund och i Kalmar, säger Per Ny (S), kommunstyrelsens ordförande.</p>
    </article></body></html>"""
    roles = {r.person_name: r.municipality_code for r in run(html, VC, "https://viablecities.se/dagen/").roles}
    assert roles == {"Anna Berg": "1490", "Per Ny": None}  # two cities named: no guess


def test_titled_politicians_outside_quotes():
    e = run(sitevision(
        "<p>Kontraktet undertecknades av kommunstyrelsens ordförande i Umeå Stina Ek (C) och "
        "kommunalrådet Olle Berg (MP).</p><p>Mötet leddes av Karin Dahl.</p>"))
    found = {(r.person_name, r.party, r.role_normalised, r.municipality_code) for r in e.roles}
    assert found == {("Stina Ek", "C", "ks-ordforande", "2480"), ("Olle Berg", "MP", "kommunalrad", "0380")}


def test_agency_heads_named_beside_title_and_agency():
    from extractors.facts.roles import find_agency_people

    assert find_agency_people("Dagen öppnades av Formas generaldirektör Eva Strand och Trafikverkets "
                              "generaldirektör Nils Bro.") == [
        ("Eva Strand", "Formas generaldirektör", "formas"), ("Nils Bro", "Trafikverkets generaldirektör", "trafikverket")]
    assert find_agency_people("Kontraktet skrevs under av generaldirektören på Vinnova, Anna Ek.") == [
        ("Anna Ek", "generaldirektören på Vinnova", "vinnova")]
    assert find_agency_people("Tove Lind, Director General of the Swedish Energy Agency, spoke.") == [
        ("Tove Lind", "Director General of the Swedish Energy Agency", "energimyndigheten")]
    # plural titles, a title without a name, a title without an agency: nobody
    assert find_agency_people("Generaldirektörerna för fyra myndigheter skrev under.") == []
    assert find_agency_people("Tillväxtverkets generaldirektör deltog digitalt.") == []
    assert find_agency_people("Pia Berg, generaldirektör, talade om omställningen.") == []


def test_agency_heads_become_roles_but_not_from_captions():
    e = run(sitevision("<p>Energimyndighetens generaldirektör Ola Sten inledde.</p>"
                       "<figure><figcaption>Foto: Kommunen. Vinnovas generaldirektör Li Ek.</figcaption></figure>"))
    assert [(r.person_name, r.role_normalised, r.organisation_id, r.municipality_code) for r in e.roles] == [
        ("Ola Sten", "generaldirektor", "energimyndigheten", None)]


def test_launch_of_the_initiative_is_an_event_but_other_launches_are_not():
    e = run(sitevision(
        "<p>Startskottet för Klimatneutrala städer 2030 gick den 14 oktober 2021 i Malmö.</p>"
        "<p>Viable Cities lanserade en ny webbplats den 3 maj 2022.</p>"
        "<p>Klimatkontrakt Lund lanserades den 2 februari 2022 med tolv företag.</p>"), VC,
        url="https://viablecities.se/startskott/")
    assert [(ev.kind, ev.name, ev.starts_on) for ev in e.events] == [
        ("launch", "Lansering av Klimatneutrala städer 2030", date(2021, 10, 14))]


def test_twin_city_direction():
    from extractors.facts.memberships import twin_pair

    assert twin_pair("Nora har fått Örebro som tvillingstad.", None) == ("1884", "1880")
    assert twin_pair("Nora blir tvillingstad till Örebro.", None) == ("1884", "1880")
    assert twin_pair("Nora ingår sedan 2024 i Klimatneutrala städer 2030 som tvillingstad till Örebro.", None) == (
        "1884", "1880")
    assert twin_pair("Kommunen är tvillingstad till Örebro, som varit med sedan starten.", "1884") == ("1884", "1880")
    assert twin_pair("Vår tvillingstad Örebro hjälper oss.", "1884") == ("1884", "1880")
    assert twin_pair("Örebro blir vår tvillingstad.", "1884") == ("1884", "1880")
    assert twin_pair("Nora och Örebro är tvillingstäder.", None) is None  # equals: no direction
    assert twin_pair("Varje ny kommun får en tvillingstad.", "1884") is None


def test_twin_sentences_count_only_on_pages_about_the_initiative():
    nora = Source(id="nora", extractor="municipal", start_urls=("https://www.nora.se/",), municipality_code="1884")
    about = run(sitevision("<p>Nora ansluter till Klimatneutrala städer 2030.</p>"
                           "<p>Nora har fått Örebro som tvillingstad.</p>"), nora)
    assert {(m.municipality_code, m.twin_municipality_code) for m in about.memberships} == {("1884", "1880"), ("1880", None)}
    elsewhere = run(sitevision("<p>Nora har fått Örebro som tvillingstad i ett utbytesprogram för skolor.</p>"), nora)
    assert elsewhere.memberships == ()


def test_signing_dated_by_the_next_sentence_saying_when_it_happened():
    e = run(sitevision("<p>Kommunen förnyar klimatkontraktet för tredje året i rad. Det skedde på European "
                       "Viable Cities Day den 8 december.</p>", "Publicerad: 11 december 2023"))
    [signing] = e.signings
    assert (signing.municipality_code, signing.signed_on, signing.event_name) == (
        "0380", date(2023, 12, 8), "European Viable Cities Day 2023")
    assert signing.evidence.endswith("Det skedde på European Viable Cities Day den 8 december.")


def test_expected_signing_is_no_signing_but_membership_wordings_are_memberships():
    sundsvall = Source(id="s", extractor="municipal", start_urls=("https://sundsvall.se/",), municipality_code="2281")
    e = run(sitevision("<p>Sundsvall räknar med att skriva under sitt första Klimatkontrakt 2030 i december.</p>"
                       "<p>Sundsvall blev i mars 2024 en av 25 nya kommuner i Klimatneutrala städer 2030.</p>",
                       "Publicerad: 2 maj 2024"), sundsvall)
    assert e.signings == ()
    assert [(m.municipality_code, m.joined_year) for m in e.memberships] == [("2281", 2024)]
    e = run(sitevision("<p>Borlänge har varit en av kommunerna i Klimatneutrala städer 2030 sedan 1 oktober 2021.</p>"))
    assert [(m.municipality_code, m.joined_on) for m in e.memberships] == [("2081", date(2021, 10, 1))]


def test_both_municipalities_are_the_two_named_just_before():
    e = run(sitevision("<p>Ludvika och Smedjebacken samarbetar om energin.</p>"
                       "<p>Båda kommunerna har ingått i Klimatneutrala städer 2030 sedan den 1 oktober 2021.</p>"))
    assert sorted((m.municipality_code, m.joined_on) for m in e.memberships) == [
        ("2061", date(2021, 10, 1)), ("2085", date(2021, 10, 1))]


def test_the_venue_of_the_signing_is_no_party_and_viable_cities_signs_with():
    e = run(sitevision("<p>Örebro kommun skrev under Klimatkontrakt 2030 med Viable Cities och sex myndigheter på "
                       "European Viable Cities Day i Stockholm den 6 december.</p>"), Source(
        id="o", extractor="municipal", start_urls=("https://www.orebro.se/",), municipality_code="1880"))
    assert sorted((s.municipality_code or s.organisation_id, s.signed_on) for s in e.signings) == [
        ("1880", date(2024, 12, 6)), ("viable-cities", date(2024, 12, 6))]


def test_party_marks_a_politician_outside_quotes():
    e = run(sitevision("<p>Avsiktsförklaringen undertecknades av Hanna Vestin (M), kommunstyrelsens ordförande, vid "
                       "ett möte i stadshuset.</p><p>Kommunalrådet Per Ny (MP) och Eva Ek (L) deltog.</p>"))
    assert sorted((r.person_name, r.party, r.role_normalised) for r in e.roles) == [
        ("Eva Ek", "L", None), ("Hanna Vestin", "M", "ks-ordforande"), ("Per Ny", "MP", "kommunalrad")]


def test_the_only_date_of_a_long_signing_sentence_dates_the_event():
    e = run(sitevision("<p>On Thursday, 8 December, 2022, the political leaders of 23 municipalities, the directors "
                       "general of six government agencies and the programme itself signed the 2022 version of the "
                       "contract at European Viable Cities Day.</p>"), VC, url="https://viablecities.se/en/x/")
    assert [(ev.name, ev.starts_on) for ev in e.events] == [("European Viable Cities Day 2022", date(2022, 12, 8))]


def test_press_release_furniture_leaks_no_facts():
    """Contacts, the "Om <kommun>" blurb (as a heading or a bold label), a gallery caption and a
    list of other releases all name signings, members or politicians; none may become a fact."""
    html = """<html lang="sv"><head><meta name="date" content="2026-12-04"></head><body>
    <article class="Release"><h1>Kommunen förnyar kontraktet</h1>
    <div class="Release_body"><p>I dag skrev kommunen under Klimatkontrakt 2030 på European Viable Cities Day.</p></div>
    <div class="pressbilder"><figure><img src="a.jpg"><figcaption>Lunds kommun skrev under Klimatkontrakt 2030 den 8 december 2023.</figcaption></figure></div>
    <h2>För mer information, kontakta</h2><p>Per Ek (M), kommunalråd, 018-00 00 00</p>
    <p><strong>Om Uppsala kommun</strong></p><p>Uppsala har varit med i Klimatneutrala städer 2030 sedan 2017.</p>
    <div><p><b>Kontakt:</b></p><p>Eva Ek (S), kommunstyrelsens ordförande</p></div>
    </article>
    <section><h2>Fler pressmeddelanden från Uppsala kommun</h2><ul><li>Malmö signerade Klimatkontrakt 2030 den 9 december 2022</li></ul></section>
    </body></html>"""
    e = run(html)
    assert [(s.municipality_code, s.signed_on) for s in e.signings] == [("0380", date(2026, 12, 4))]
    assert e.roles == () and e.memberships == ()


def test_listing_pages_give_a_title_but_no_facts():
    teaser = ("<article class='post'><h2><a>Lund signerar</a></h2><time datetime='2022-12-09'>9 december 2022</time>"
              "<p>I går skrev Lunds kommun under Klimatkontrakt 2030, säger Eva Ek (S), kommunstyrelsens ordförande [...]</p></article>")
    html = f"<html lang='sv'><body><main><h1>Nyheter</h1>{teaser * 3}</main></body></html>"
    for url in ("https://viablecities.se/nyheter/", "https://viablecities.se/tag/lund/page/2/"):
        e = run(html, VC, url)
        assert (e.title, e.published_on, e.signings, e.roles) == ("Nyheter", None, (), ())
    single = html.replace("<body>", "<body class='single single-post'>")
    assert run(single, VC, "https://viablecities.se/lund-signerar/").signings


def test_unknown_cms_reads_the_h1_column_and_its_dateline():
    html = """<html><body><div class="top"><a>Start</a> | <a>Kontakt</a></div>
    <div class="cols"><div class="c1"><ul><li><a>Bo och bygga</a></li><li><a>Omsorg</a></li></ul></div>
    <div class="c2"><h1>Kontraktet är påskrivet</h1><div class="x">ons 9 dec 2026, 14:05</div>
    <p>Den 8 december skrev kommunen under Klimatkontrakt 2030.</p><p>Det var en bra dag för hela länet och för kommunen.</p></div>
    <div class="c3"><p>Lund skrev under Klimatkontrakt 2030 den 9 december 2025.</p></div></div></body></html>"""
    e = run(html)
    assert e.published_on == date(2026, 12, 9)
    assert [(s.municipality_code, s.signed_on) for s in e.signings] == [("0380", date(2026, 12, 8))]


def test_project_fact_list_as_label_and_value_blocks():
    html = """<html lang="sv"><body><main><h1>Klimatneutrala Borås 2030</h1><dl>
    <dt>Projektledare</dt><dd>Eva Ek</dd><dt>Total budget</dt><dd>1 200 000 kr</dd>
    <dt>Startdatum</dt><dd>2025-02-01</dd><dt>Partners</dt><dd>Borås Stad, Högskolan i Borås</dd></dl></main></body></html>"""
    (project,) = run(html, VC, "https://viablecities.se/projekt/klimatneutrala-boras-2030").projects
    assert (project.project_manager, project.total_budget_sek, project.starts_on, project.municipality_code) == (
        "Eva Ek", 1_200_000, date(2025, 2, 1), "1490")
    assert project.partners == ("Borås Stad", "Högskolan i Borås")


def test_captions_give_no_signings():
    e = run(sitevision("<p>Kommunen förnyar sitt klimatarbete.</p><figure><img src='a.jpg'><figcaption>Foto: Kommunen. "
                       "Ingrid Holm (C) skrev under 2023 års version av Klimatkontrakt 2030 den 8 december 2023."
                       "</figcaption></figure>"))
    assert e.signings == () and e.roles == ()


def test_a_line_break_in_the_html_source_is_a_space():
    e = run(sitevision("<p>– Vi går före, säger\nUlf Berg (M), kommunstyrelsens ordförande.</p>"
                       "<p>Rad ett<br>Rad två</p>"))
    assert [(r.person_name, r.party, r.role_normalised) for r in e.roles] == [("Ulf Berg", "M", "ks-ordforande")]
    from extractors.page import parse_page as parse
    texts = [b.text for b in parse("https://x.se/a", sitevision("<p>Rad ett<br>Rad två</p>")).blocks]
    assert "Rad ett\nRad två" in texts


def test_article_body_is_found_in_class_attributes_only():
    from extractors.listing import _has_article_body

    assert _has_article_body('<div id="x" class="c-article__body wide">')
    assert _has_article_body("<div class='post my-entry-content-wrap'>")
    assert _has_article_body('<section itemprop="articleBody">')
    assert not _has_article_body("<style>.entry-content{margin:0}</style><p>entry-content</p>")
    assert not _has_article_body('<div class="entry-contents">')


def test_machine_translated_titles_before_a_name():
    html = ("<html lang='en-US'><head><meta property='article:published_time' content='2020-12-14'></head><body><main>"
            "<article class='post'><h1>News</h1><div class='entry-content'><p>Today, the municipal board Chairman "
            "Anna Berg of Uppsala signed the climate contract.</p></div></article></main></body></html>")
    e = run(html, VC, url="https://viablecities.se/en/x/")
    assert [(r.person_name, r.role_normalised, r.municipality_code) for r in e.roles] == [("Anna Berg", "ks-ordforande", "0380")]


def test_an_earlier_award_keeps_no_day_of_the_pages_news():
    """The day a page reports is not the day of what it says happened before it ("Tidigare har ...",
    "redan i oktober i fjol", "previously"), while "sedan i fjol är även X med" is no such earlier event."""
    for earlier, stated in (("Sedan tidigare har Uppsala och Malmö fått EU:s Mission Label.", True),
                            ("Uppsala och Malmö fick Mission Label redan i mars i fjol.", True),
                            # "har tidigare fått": no new fact at all (modality), and surely not today's
                            ("Uppsala och Malmö har tidigare fått Mission Label, liksom flera andra städer.", False)):
        e = run(sitevision(f"<p>I dag tilldelades Gävle kommun EU:s Mission Label.</p><p>{earlier}</p>",
                           footer="Publicerad: 8 oktober 2024"))
        labels = {s.municipality_code: s.signed_on for s in e.signings if s.contract == "eu-mission-label"}
        assert labels.get("2180") == date(2024, 10, 8), earlier
        assert ({"0380", "1280"} <= set(labels)) == stated, (earlier, labels)
        assert labels.get("0380") is None and labels.get("1280") is None, (earlier, labels)
