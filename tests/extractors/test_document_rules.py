"""The document-level readings: dates relative to the page, signers that are not the subject,
group references, lists, clauses, occasions, modality. Sentences written for these tests."""

from __future__ import annotations

from datetime import date

from test_extractor_rules import run

from klimatkontrakt.core.model import Source

YSTAD = Source(id="ystad", extractor="municipal", start_urls=("https://www.ystad.se/",), municipality_code="1286")
VC = Source(id="vc", extractor="viablecities", start_urls=("https://viablecities.se/",))


def page(body: str, published: str = "2024-12-06", title: str = "Nyhet") -> str:
    return f"""<html lang="sv"><head><title>{title}</title>
    <meta property="article:published_time" content="{published}T09:00:00+01:00"></head><body>
    <nav class="menu"><a href="/">Start</a></nav><main><article><h1>{title}</h1>{body}</article></main>
    <footer>Kontakt</footer></body></html>"""


def signings(e) -> set:
    return {(s.contract, s.municipality_code or s.organisation_id, s.signed_on, s.stated_as) for s in e.signings}


def test_the_crawler_drill_page_gives_its_signing_role_and_event():
    e = run(page("<p>Fredag den 6 december skrev kommunstyrelsens ordförande Nils Nilsson (S) under Klimatkontrakt "
                 "2030 under European Viable Cities Day.</p>"), YSTAD)
    assert signings(e) == {("klimatkontrakt-2030", "1286", date(2024, 12, 6), "reported")}
    assert [(r.person_name, r.party, r.role_normalised, r.municipality_code) for r in e.roles] == [
        ("Nils Nilsson", "S", "ks-ordforande", "1286")]
    assert [(ev.kind, ev.starts_on) for ev in e.events] == [("european-viable-cities-day", date(2024, 12, 6))]


def test_dates_relative_to_the_page():
    tuesday = run(page("<p>I tisdags tecknade Ystads kommun ett uppdaterat klimatkontrakt inom Klimatneutrala "
                       "städer 2030.</p>", "2024-12-13"), YSTAD)
    assert signings(tuesday) == {("klimatkontrakt-2030", "1286", date(2024, 12, 10), "reported")}
    english = run(page("<p>Yesterday the City of Ystad signed the Climate City Contract 2030 together with "
                       "Viable Cities.</p>", "2024-12-07"), YSTAD)
    assert signings(english) == {("klimatkontrakt-2030", "1286", date(2024, 12, 6), "reported"),
                                 ("klimatkontrakt-2030", "viable-cities", date(2024, 12, 6), "reported")}


def test_a_coming_ceremony_is_announced_and_a_late_signer_keeps_its_own_day():
    coming = run(page("<p>På torsdag skriver kommunen på Klimatkontrakt 2030 för tredje året.</p>", "2024-12-02"), YSTAD)
    assert signings(coming) == {("klimatkontrakt-2030", "1286", date(2024, 12, 5), "announced")}
    late = run(page("<p>Den 6 december skrev Lund och Malmö under Klimatkontrakt 2030 på European Viable Cities Day. "
                    "Ystads ordförande var sjuk och signerade kontraktet i efterhand, onsdagen den 11 december.</p>",
                    "2024-12-12"), YSTAD)
    assert signings(late) == {("klimatkontrakt-2030", "1281", date(2024, 12, 6), "reported"),
                              ("klimatkontrakt-2030", "1280", date(2024, 12, 6), "reported"),
                              ("klimatkontrakt-2030", "1286", date(2024, 12, 11), "reported")}


def test_passive_signing_by_a_group_the_page_lists_elsewhere():
    e = run(page("<p>I går signerades 2025 års version av Klimatkontrakt 2030 av de tre kommunerna i nätverket.</p>"
                 "<h2>Kommunerna i nätverket</h2><p>Nätverket består av Ystad, Tomelilla och Simrishamn.</p>",
                 "2024-12-07"), YSTAD)
    assert {(s.municipality_code, s.signed_on, s.contract_version) for s in e.signings} == {
        (code, date(2024, 12, 6), "2025 års version") for code in ("1286", "1270", "1291")}


def test_agencies_from_a_counted_group_and_an_apposition_is_one_party():
    e = run(page("<p>Kommunen skrev i dag under Klimatkontrakt 2030 tillsammans med de fyra myndigheterna.</p>"
                 "<p>Parterna på statens sida är Energimyndigheten, Formas, ett forskningsråd för hållbar utveckling, "
                 "Vinnova och Trafikverket.</p>"), YSTAD)
    assert {s.organisation_id for s in e.signings if s.organisation_id} == {
        "energimyndigheten", "formas", "vinnova", "trafikverket"}


def test_a_list_of_contract_documents_under_a_version_heading_is_listed():
    items = "".join(f'<li><a href="/wp-content/uploads/{c}.pdf">{c}s klimatkontrakt (pdf)</a></li>'
                    for c in ("Ystad", "Lund", "Kalmar"))
    e = run(page(f"<h2>Klimatkontrakt 2030 (2023 års version)</h2><ol>{items}</ol>", "2023-12-12"), VC,
            url="https://viablecities.se/kontrakten-2023/")
    assert {(s.municipality_code, s.contract_version, s.stated_as) for s in e.signings} == {
        (code, "2023 års version", "listed") for code in ("1286", "1281", "0880")}


def test_two_clauses_two_contracts():
    e = run(page("<p>I dag skrev Lund och Malmö under Klimatkontrakt 2030, medan Ystad och Tomelilla skrev under "
                 "avsiktsförklaringar.</p>"), YSTAD)
    assert {(s.contract, s.municipality_code) for s in e.signings} == {
        ("klimatkontrakt-2030", "1281"), ("klimatkontrakt-2030", "1280"),
        ("letter-of-intent", "1286"), ("letter-of-intent", "1270")}


def test_conditions_plans_negations_and_habits_state_nothing():
    for text in ("Kommunen kan få skriva under Klimatkontrakt 2030 nästa år.",
                 "Ystad planerar att i december skriva under Klimatkontrakt 2030.",
                 "Ystad har ännu inte skrivit under Klimatkontrakt 2030.",
                 "Klimatkontrakt 2030 skrivs under varje år i december.",
                 "Ska Ystad skriva under Klimatkontrakt 2030?"):
        assert run(page(f"<p>{text}</p>"), YSTAD).signings == (), text


def test_memberships_from_a_relative_clause_and_twins_on_the_newer_row():
    e = run(page("<p>Tomelilla går i år in i Klimatneutrala städer 2030 som tvillingstad till Ystad, som har varit "
                 "med i satsningen sedan starten.</p>"), YSTAD)
    rows = {(m.municipality_code, m.cohort, m.twin_municipality_code) for m in e.memberships}
    assert rows == {("1270", "2024", "1286"), ("1286", "pilot-2020", None)}


def test_one_of_the_nine_is_that_one():
    e = run(page("<p>Ystad är en av de nio kommuner som är med i Klimatneutrala städer 2030 sedan starten.</p>"
                 "<p>Kommunerna Lund, Malmö, Umeå, Växjö och Uppsala har också länge arbetat med klimatet.</p>"), YSTAD)
    assert {(m.municipality_code, m.cohort) for m in e.memberships} == {("1286", "pilot-2020")}


def test_officials_serve_the_page_municipality_and_chairs_are_read_from_a_list():
    e = run(page("<p>Arbetet leds av kommunens klimatstrateg Sara Ek.</p>"
                 "<p>På scenen stod kommunstyrelseordförandena: Eva Berg (M), Lund, och Per Ström (S), Malmö.</p>"), YSTAD)
    assert {(r.person_name, r.role_normalised, r.party, r.municipality_code) for r in e.roles} == {
        ("Sara Ek", None, None, "1286"), ("Eva Berg", "ks-ordforande", "M", "1281"),
        ("Per Ström", "ks-ordforande", "S", "1280")}


def test_the_event_is_dated_by_the_signing_and_placed_where_it_was_held():
    e = run(page("<p>På fredagen skrev kommunen under Klimatkontrakt 2030.</p>"
                 "<p>Ceremonin hölls i Göteborg under European Viable Cities Day.</p>", "2024-12-09"), YSTAD)
    assert [(ev.starts_on, ev.location) for ev in e.events] == [(date(2024, 12, 6), "Göteborg")]
    assert signings(e) == {("klimatkontrakt-2030", "1286", date(2024, 12, 6), "reported")}


def test_a_name_put_under_the_contract_is_a_signature():
    """The worked example of docs/extraction.md: a wording added to vocabulary.toml."""
    e = run(page("<p>I fredags satte kommunstyrelsens ordförande sitt namn under Klimatkontrakt 2030.</p>",
                 "2024-12-09"), YSTAD)
    assert signings(e) == {("klimatkontrakt-2030", "1286", date(2024, 12, 6), "reported")}
    assert run(page("<p>Barnen satte sina namn under teckningarna.</p>"), YSTAD).signings == ()
