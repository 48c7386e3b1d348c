"""A synthetic but realistic replay corpus: N pages of 60-150 KB under real-looking URLs.

Five hosts, each a source of the pipeline: three Sitevision municipal sites (Umeå, Eskilstuna,
Växjö), one WordPress/Municipio site (Helsingborg) and viablecities.se (WordPress). The pages are
built like real CMS pages, mostly markup rather than text: <head> with stylesheets, preloads and
an inline page context; an inline SVG icon sprite; a cookie dialog with a form; a header with
logo, search form and quick links; a mega menu of nested ul/li/a with toggle buttons, icons and
class/id/aria-/data- attributes; breadcrumbs; the article inside deeply nested
sv-row/sv-layout/sv-portlet divs (Sitevision) or the Municipio grid (WordPress); an image with
srcset; a "more news" list of other articles of the host; a footer with four link columns and
social icons. The menu and footer grow until the page reaches its size, so density (elements
per KB) stays that of a real page.

The article text has a realistic length: 1.5-8 KB for a news item, 15-25 KB for the few long
pages (yearly overviews, LONG_PAGE_SHARE). It is Swedish filler about climate work with fact
paragraphs spread through it: signings with dates, European Viable Cities Day, memberships,
quotes attributed to people with party and role. Each source's start URL is an index page
linking to all of that host's articles.

Deterministic for a given (n, seed). Used by bench/replay.py and tests/drills.

    build_corpus(folder, n) -> Corpus(archive, sources, pages, bytes)
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from klimatkontrakt.fetch.warc import ArchiveWriter

RECORDED_AT = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
MONTHS = ("januari februari mars april maj juni juli augusti september oktober november december").split()
WEEKDAYS = ("måndag tisdag onsdag torsdag fredag lördag söndag").split()
PARTIES = ("S", "M", "C", "L", "V", "KD", "MP", "SD")
FIRST = ("Anna Erik Maria Lars Karin Per Eva Anders Sara Johan Lena Mikael Emma Henrik Ida Magnus Linnea "
         "Fredrik Sofia Jonas Elin Niklas Hanna Patrik Malin Daniel Frida Mattias Johanna Oskar").split()
LAST = ("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson "
        "Jonsson Lindberg Lindqvist Lundgren Berglund Sandberg Forsberg Holmberg Ekström Lundqvist Strand "
        "Nyström Hedlund Sjöberg Wallin Engström Åberg Lindahl Björk").split()
ROLES = ("kommunstyrelsens ordförande", "kommunalråd", "oppositionsråd", "kommunstyrelsens vice ordförande")
CITIES = ("Umeå Eskilstuna Växjö Helsingborg Lund Malmö Göteborg Stockholm Uppsala Enköping Järfälla Borlänge "
          "Borås Gävle Kalmar Karlstad Kristianstad Linköping Mariestad Nacka Skellefteå Örebro Östersund "
          "Luleå Sundsvall Arvika Kristinehamn Tomelilla Falköping Alvesta").split()
LONG_PAGE_SHARE = 0.03  # yearly overviews: 15-25 KB of text and several times the facts of a news item
AGENCIES = ("Energimyndigheten", "Formas", "Vinnova", "Naturvårdsverket", "Trafikverket", "Boverket", "Tillväxtverket")


@dataclass(frozen=True)
class Host:
    id: str
    extractor: str
    code: str | None
    city: str
    root: str  # scheme://host
    index: str  # start URL (path)
    style: str  # "sitevision" | "wordpress"

    def article_url(self, i: int, slug: str, day: date) -> str:
        h = hashlib.sha1(f"{self.id}{i}".encode()).hexdigest()[:10]
        if self.id == "umea":
            return f"{self.root}/arkiv/nyhetsarkiv/arkivstartsida/{slug}.5.{h}.html"
        if self.id == "eskilstuna":
            return f"{self.root}/kommun-och-politik/nyheter/nyheter/{slug}.5.{h}.html"
        if self.id == "vaxjo":
            return f"{self.root}/nyheter/{day.isoformat()}-{slug}.html"
        if self.id == "helsingborg":
            return f"{self.root}/aktuellt/{slug}-{i}/"
        return f"{self.root}/{slug}-{i}/"


HOSTS = (
    Host("umea", "municipal", "2480", "Umeå", "https://www.umea.se", "/kommun-och-politik/klimat/nyheter/", "sitevision"),
    Host("eskilstuna", "municipal", "0484", "Eskilstuna", "https://www.eskilstuna.se",
         "/kommun-och-politik/nyheter/klimat.4.3a1b2c.html", "sitevision"),
    Host("vaxjo", "municipal", "0780", "Växjö", "https://vaxjo.se", "/nyheter/klimat-och-miljo/", "sitevision"),
    Host("helsingborg", "municipal", "1283", "Helsingborg", "https://helsingborg.se", "/aktuellt/klimat/", "wordpress"),
    Host("viablecities", "viablecities", None, "Viable Cities", "https://viablecities.se", "/aktuellt/", "wordpress"),
)

FILLER = (
    "Omställningen kräver att hela kommunkoncernen, näringslivet och civilsamhället drar åt samma håll.",
    "Utsläppen från transporter står fortfarande för den största delen av {city}s territoriella utsläpp.",
    "Under året har {n} nya laddplatser byggts i anslutning till kommunens förskolor och skolor.",
    "Arbetet följs upp varje kvartal i en klimatbudget som kommunfullmäktige beslutar om.",
    "Fjärrvärmen i {city} produceras i dag helt utan fossila bränslen.",
    "Cykelvägnätet har byggts ut med {n} kilometer sedan förra mätningen.",
    "Invånarna kan lämna synpunkter på förslaget till ny energi- och klimatplan fram till sista oktober.",
    "En färdplan visar vilka åtgärder som ger störst effekt per investerad krona.",
    "Matsvinnet i skolornas kök har minskat med {n} procent på två år.",
    "Kommunens fastighetsbolag installerar solceller på ytterligare {n} tak under nästa år.",
    "Samarbetet med universitetet ger nya möjligheter att testa lösningar i verklig miljö.",
    "Den nya detaljplanen för stadsdelen ställer krav på klimatsmart byggande med trä.",
    "Kollektivtrafiken har fått fler avgångar i kvällstrafik och på helger.",
    "Ett klimatråd med företrädare för {n} organisationer träffas fyra gånger per år.",
    "Satsningen omfattar både minskade utsläpp och anpassning till ett förändrat klimat.",
    "Konsumtionsbaserade utsläpp ingår nu i uppföljningen, vilket är nytt för i år.",
    "Byggbranschen har tagit fram en gemensam vägledning för återbruk av material.",
    "Flera av förslagen kom från medborgardialoger som hölls under våren.",
    "Kommunens fordonsflotta består nu till {n} procent av elbilar och biogasbilar.",
    "Projektet finansieras delvis av regionen och delvis genom statliga bidrag.",
    "Det finns fortfarande stora utmaningar när det gäller utsläpp från industrin och sjöfarten.",
    "Enligt den senaste mätningen minskade utsläppen med {n} procent jämfört med basåret.",
    "Arbetsgruppen presenterar en lägesrapport för kommunstyrelsen i början av nästa år.",
    "Skolelever har fått vara med och ta fram idéer om hur stadens parker kan bli grönare.",
    "Flera företag i regionen har anslutit sig till det lokala klimatnätverket.",
)
QUOTES = (
    "Det här är ett viktigt steg för att nå våra mål och vi gör det tillsammans med staten",
    "Vi har kommit en bra bit på vägen men nu måste takten öka ordentligt",
    "Kontraktet gör det tydligt vad vi lovar och vad vi behöver från myndigheterna",
    "Samarbetet med andra städer ger resultat på riktigt och vi lär oss av varandra",
    "Nu gäller det att få med hela kommunkoncernen och alla som bor här",
    "Det är invånarna och företagen som gör omställningen möjlig",
)


def _swedish_date(d: date, weekday: bool = False) -> str:
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]} den {text}" if weekday else text


def _evcd(year: int) -> date:
    # European Viable Cities Day: early December
    return date(year, 12, (8, 9, 11, 8, 7, 6)[year % 6])


def _fact_paragraphs(rng: random.Random, host: Host, published: date) -> list[str]:
    """Paragraphs stating facts, in varied wording (each a signing, a membership, an event or a quote)."""
    year = rng.choice((2020, 2021, 2022, 2023, 2024, 2025))
    day = _evcd(year)
    city = host.city if host.code else rng.choice(CITIES)
    other = rng.choice([c for c in CITIES if c != city])
    agency = rng.choice(AGENCIES)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    name2 = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    party, party2 = rng.choice(PARTIES), rng.choice(PARTIES)
    role = rng.choice(ROLES)
    kommun = f"{city} kommun" if host.code else f"{city} kommun"
    signings = (
        f"{_swedish_date(day, weekday=True).capitalize()} skrev {kommun} under {year} års version av Klimatkontrakt 2030 "
        f"under European Viable Cities Day.",
        f"Den {_swedish_date(day)} signerade {kommun} en ny version av Klimatkontrakt 2030 tillsammans med "
        f"{rng.randint(8, 40)} andra städer, {agency} och Viable Cities.",
        f"{other} kommun undertecknade Klimatkontrakt 2030 den {_swedish_date(day)} i samband med European Viable Cities Day {year}.",
        f"Vid European Viable Cities Day {year} förnyade {kommun} sitt Klimatkontrakt 2030 med nio myndigheter.",
    )
    joined = rng.choice((2019, 2021, 2024))
    memberships = (
        f"{city} ingår sedan {joined} i Viable Cities satsning Klimatneutrala städer 2030.",
        f"{other} anslöt till Klimatneutrala städer 2030 hösten {joined} tillsammans med flera andra kommuner.",
        f"{city} har varit med i Klimatneutrala städer 2030 sedan starten 2019 och är en av de nio pionjärstäderna.",
    )
    quotes = (
        f"– {rng.choice(QUOTES)}, säger {role} {name} ({party}).",
        f"– {rng.choice(QUOTES)}, säger {name2} ({party2}), {rng.choice(ROLES)} i {city}.",
        f"– {rng.choice(QUOTES)}<br>, säger {name}, {role} ({party}).",
    )
    events = (
        f"European Viable Cities Day {year} hölls den {_swedish_date(day)} i {rng.choice(CITIES)} och sändes även digitalt.",
    )
    out = [rng.choice(signings), rng.choice(memberships), rng.choice(quotes), rng.choice(quotes)]
    if rng.random() < 0.4:
        out.append(rng.choice(events))
    if rng.random() < 0.5:
        out.append(rng.choice(signings))
    return out


def _filler_paragraph(rng: random.Random, city: str) -> str:
    return " ".join(rng.choice(FILLER).format(city=city, n=rng.randint(3, 90)) for _ in range(rng.randint(2, 5)))


def _hex(rng: random.Random, digits: int = 8) -> str:
    return f"{rng.getrandbits(4 * digits):0{digits}x}"


def _path_data(rng: random.Random, points: int) -> str:
    """SVG path data as icon sets write it: absolute moves and curves with two decimals."""
    parts = [f"M{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}"]
    for _ in range(points):
        parts.append("C" + " ".join(f"{rng.uniform(0, 24):.2f}" for _ in range(6)))
    return "".join(parts) + "Z"


ICONS = ("chevron-down", "chevron-right", "arrow-right", "search", "close", "menu", "external", "file-pdf",
         "facebook", "instagram", "linkedin", "youtube", "phone", "mail", "clock", "globe", "print", "share",
         "listen", "home")


def _svg_sprite(rng: random.Random) -> str:
    symbols = "".join(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><title>{name}</title>'
                      f'<path fill="currentColor" fill-rule="evenodd" d="{_path_data(rng, rng.randint(3, 9))}"></path></symbol>'
                      for name in ICONS)
    return f'<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" style="display:none" class="sv-svg-sprite">{symbols}</svg>'


def _icon(name: str, css: str = "env-icon env-icon--small") -> str:
    return (f'<svg class="{css}" aria-hidden="true" focusable="false" width="16" height="16">'
            f'<use xlink:href="#icon-{name}"></use></svg>')


def _head_assets(rng: random.Random, host: Host) -> str:
    """Stylesheets, preloads and the inline site configuration a CMS writes into <head>."""
    links = "".join(f'<link rel="stylesheet" type="text/css" media="all" href="/sitevision/system-resource/'
                    f'{_hex(rng, 40)}/css/{name}.css">'
                    for name in ("portlets", "webAppPortlets", "envision", "custom-fonts", "theme", "print"))
    preloads = "".join(f'<link rel="preload" as="font" type="font/woff2" crossorigin href="/webdav/files/fonts/{name}.woff2">'
                       for name in ("Lato-Regular", "Lato-Bold", "Lato-Italic"))
    config = json.dumps({"siteId": f"4.{_hex(rng, 6)}", "pageId": f"4.{_hex(rng, 6)}", "host": host.root,
                         "features": {f"flag{i}": bool(i % 2) for i in range(24)},
                         "consent": {"categories": ["necessary", "statistics", "marketing"], "version": 3}},
                        ensure_ascii=False)
    return (f'<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="format-detection" '
            f'content="telephone=no"><meta name="theme-color" content="#00507a">{links}{preloads}'
            f'<link rel="icon" href="/images/18.{_hex(rng, 6)}/favicon.ico"><script>window.sv = window.sv || {{}};'
            f"sv.PageContext = {config};</script>")


def _cookie_dialog(rng: random.Random, host: Host) -> str:
    rows = "".join(
        f'<div class="sv-cookie-consent-row env-form-element"><div class="env-form-element__control env-checkbox">'
        f'<input type="checkbox" class="env-checkbox__input" id="cc-{name}-{_hex(rng, 4)}" name="{name}" value="1"'
        f'{" checked disabled" if name == "necessary" else ""}><label class="env-checkbox__label" for="cc-{name}">{label}'
        f'</label></div><p class="env-text env-text--small">{text}</p></div>'
        for name, label, text in (
            ("necessary", "Nödvändiga kakor", "Krävs för att webbplatsen ska fungera och kan inte stängas av."),
            ("statistics", "Statistik", "Hjälper oss att förstå hur webbplatsen används så att vi kan förbättra den."),
            ("marketing", "Tredjepartstjänster", "Filmer och kartor från andra webbplatser kan sätta egna kakor.")))
    return (f'<div class="sv-cookie-consent-banner env-modal-dialog" role="dialog" aria-modal="true" aria-labelledby="cc-title" '
            f'data-cid="{_hex(rng, 6)}"><div class="env-modal-dialog__dialog"><div class="env-modal-dialog__content">'
            f'<h2 id="cc-title" class="env-text-h4">{host.city} använder kakor</h2><p class="env-text">Vi använder kakor '
            f"(cookies) för att webbplatsen ska fungera på ett bra sätt för dig. Du väljer själv vilka kakor du godkänner."
            f'</p><form class="env-form">{rows}</form><div class="env-modal-dialog__footer">'
            f'<button type="button" class="env-button env-button--primary" data-cc-accept="all">Godkänn alla kakor</button>'
            f'<button type="button" class="env-button" data-cc-accept="selected">Godkänn valda</button>'
            f'<a class="env-link" href="{host.root}/om-webbplatsen/kakor.4.{_hex(rng, 6)}.html">Läs mer om kakor</a>'
            f"</div></div></div></div>")


SECTIONS = ("Barn och utbildning", "Omsorg och stöd", "Bygga, bo och miljö", "Trafik och infrastruktur",
            "Uppleva och göra", "Kommun och politik", "Näringsliv och arbete", "Kultur och fritid")
SUBPAGES = ("Förskola", "Grundskola", "Gymnasieskola", "Vuxenutbildning", "Stöd och hjälp", "Avgifter", "Ansök",
            "Kontakt", "Bygglov", "Detaljplaner", "Parkering", "Vägarbeten", "Evenemang", "Bibliotek", "Idrott",
            "Politik och demokrati", "Organisation", "Ekonomi", "Lediga jobb", "Företagsstöd", "Miljö och hälsa",
            "Avfall och återvinning", "Vatten och avlopp", "Energi och klimat")


def _slugify(text: str) -> str:
    return text.lower().replace(" ", "-").replace(",", "").translate(str.maketrans("åäöé", "aaoe"))


def _mega_menu(host: Host, links: int, wordpress: bool) -> str:
    """A mega menu of nested ul/li/a with the classes, ids, aria- and data- attributes CMS menus carry:
    one item per section, each with a toggle button and a panel of sub-sections with their pages.
    The same on every page of a host (a longer menu only shows more of each section)."""
    per_section = max(6, links // len(SECTIONS))
    items = []
    for s_i, section in enumerate(SECTIONS):
        rng = random.Random(f"{host.id}-menu-{s_i}")
        sid = _hex(rng, 6)
        base = f"{host.root}/{_slugify(section)}"
        groups = []
        made = 0
        while made < per_section:
            group = rng.choice(SUBPAGES)
            count = min(rng.randint(3, 7), per_section - made)
            pages = "".join(
                f'<li class="{"menu-item menu-item-type-post_type menu-item-object-page menu-item-" + str(rng.randrange(10**5)) if wordpress else "env-nav__item env-nav__item--level-3"}" '
                f'data-level="3"><a class="env-nav__link" href="{base}/{_slugify(group)}/{_slugify(rng.choice(SUBPAGES))}-{j}'
                f'{"/" if wordpress else f".4.{_hex(rng, 6)}.html"}">{rng.choice(SUBPAGES)} {j + 1}</a></li>'
                for j in range(count))
            gid = _hex(rng, 6)
            groups.append(
                f'<li class="env-nav__item env-nav__item--level-2" data-level="2" id="nav-{gid}"><div class="env-nav__row">'
                f'<a class="env-nav__link env-nav__link--level-2" href="{base}/{_slugify(group)}'
                f'{"/" if wordpress else f".4.{_hex(rng, 6)}.html"}">{group}</a>'
                f'<button type="button" class="env-nav__toggle" aria-expanded="false" aria-controls="sub-{gid}">'
                f'{_icon("chevron-down")}<span class="env-assistive-text">Visa undersidor till {group}</span></button></div>'
                f'<ul class="env-nav__list env-nav__list--level-3" id="sub-{gid}" hidden>{pages}</ul></li>')
            made += count
        items.append(
            f'<li class="env-nav__item env-nav__item--level-1{" current-menu-ancestor" if s_i == 5 else ""}" data-level="1" '
            f'data-section="{s_i}"><div class="env-nav__row"><a class="env-nav__link env-nav__link--level-1" href="{base}'
            f'{"/" if wordpress else f".4.{sid}.html"}">{section}</a><button type="button" class="env-nav__toggle '
            f'env-button env-button--ghost" aria-expanded="false" aria-controls="panel-{sid}" data-toggle="mega">'
            f'{_icon("chevron-down", "env-icon env-icon--x-small")}</button></div><div class="env-nav__panel" id="panel-{sid}" '
            f'data-panel="{s_i}"><div class="env-nav__panel-inner sv-row"><ul class="env-nav__list env-nav__list--level-2">'
            f'{"".join(groups)}</ul></div></div></li>')
    return (f'<nav class="sv-layout env-nav main-menu" aria-label="Huvudmeny" id="svid10_{_hex(rng, 6)}">'
            f'<ul class="env-nav__list env-nav__list--level-1" role="list">{"".join(items)}</ul></nav>')


def _site_header(host: Host, rng: random.Random, menu: str) -> str:
    quick = "".join(f'<li class="env-list__item"><a class="env-link quick-link" href="{host.root}/{_slugify(t)}'
                    f'.4.{_hex(rng, 6)}.html">{_icon(icon)}<span>{t}</span></a></li>'
                    for t, icon in (("Lyssna", "listen"), ("Languages", "globe"), ("Kontakt", "phone"), ("E-tjänster", "home")))
    return (f'<a class="skip-link env-assistive-text" href="#innehall">Till innehåll på sidan</a>'
            f'<header class="sv-layout site-header" id="svid10_{_hex(rng, 6)}"><div class="sv-layout sv-row header-top">'
            f'<div class="sv-layout sv-column-3"><div class="sv-image-portlet sv-portlet" id="svid12_{_hex(rng, 6)}">'
            f'<a href="{host.root}/"><img alt="{host.city} kommun, till startsidan" src="/images/18.{_hex(rng, 6)}/'
            f'{_hex(rng, 13)}/logo.svg" width="220" height="56"></a></div></div><div class="sv-layout sv-column-6">'
            f'<div class="sv-searchform-portlet sv-portlet" id="svid12_{_hex(rng, 6)}"><form class="env-form" role="search" '
            f'action="/sok.4.{_hex(rng, 6)}.html" method="get"><label for="search-{_hex(rng, 4)}" class="env-assistive-text">Sök'
            f'</label><input type="search" class="env-form-input" name="query" autocomplete="off" placeholder="Vad letar du efter?">'
            f'<button type="submit" class="env-button">{_icon("search")}<span class="env-assistive-text">Sök</span></button></form>'
            f'</div></div><div class="sv-layout sv-column-3"><ul class="env-list env-list--horizontal quick-links">{quick}</ul>'
            f"</div></div>{menu}</header>")


def _breadcrumbs(host: Host, rng: random.Random, title: str) -> str:
    crumbs = "".join(f'<li class="env-breadcrumb__item"><a class="env-link" href="{host.root}/{_slugify(t)}.4.{_hex(rng, 6)}'
                     f'.html">{t}</a>{_icon("chevron-right", "env-icon env-icon--xx-small")}</li>'
                     for t in ("Start", "Kommun och politik", "Nyheter"))
    return (f'<nav aria-label="Du är här" class="sv-layout breadcrumbs"><ol class="env-breadcrumb">{crumbs}'
            f'<li class="env-breadcrumb__item" aria-current="page">{title}</li></ol></nav>')


def _footer(host: Host, links: int) -> str:
    """Four columns of links and social icons, the same on every page of a host."""
    per = max(5, links // 4)
    rng = random.Random(f"{host.id}-footer")
    cols = "".join(
        f'<div class="sv-layout sv-column-3 footer-col" id="svid10_{_hex(rng, 6)}"><div class="sv-text-portlet sv-portlet">'
        f'<h2 class="env-text-h5">{heading}</h2></div><div class="sv-linklist-portlet"><ul class="env-list footer-links">'
        + "".join(f'<li class="env-list__item"><a class="env-link env-link--inverted" href="{host.root}/om-webbplatsen/'
                  f'{_slugify(rng.choice(SUBPAGES))}-{c}-{j}.4.{_hex(rng, 6)}.html">{rng.choice(SUBPAGES)}</a></li>'
                  for j in range(per))
        + "</ul></div></div>"
        for c, heading in enumerate(("Kontakta oss", "Om webbplatsen", "Följ oss", "Genvägar")))
    social = "".join(f'<li class="env-list__item"><a class="env-link social-link" href="https://www.{name}.com/{_slugify(host.city)}'
                     f'kommun" aria-label="{host.city} kommun på {name}">{_icon(name, "env-icon env-icon--medium")}</a></li>'
                     for name in ("facebook", "instagram", "linkedin", "youtube"))
    return (f'<footer class="sv-layout site-footer" id="svid10_{_hex(rng, 6)}"><div class="sv-layout sv-row">{cols}</div>'
            f'<div class="sv-layout sv-row footer-bottom"><ul class="env-list env-list--horizontal social">{social}</ul>'
            f'<p class="env-text">{host.city} kommun, växel 090-16 10 00, kommun@{host.root.split("//")[1]}</p></div></footer>')


def _analytics(rng: random.Random) -> str:
    return (f'<script>var _paq = window._paq = window._paq || [];_paq.push(["trackPageView"]);_paq.push(["enableLinkTracking"]);'
            f'(function(){{var u="https://analytics.example.se/";_paq.push(["setTrackerUrl", u+"matomo.php"]);'
            f'_paq.push(["setSiteId", "{rng.randrange(100)}"]);}})();</script>'
            f'<script src="/sitevision/{_hex(rng, 40)}/js/envision.js" defer></script>')


def _article_blocks(host: Host, rng: random.Random, text_bytes: int, facts: list[str],
                    related: list[tuple[str, str]]) -> list[str]:
    """The article body: the ingress (a fact), paragraphs of filler with the other facts spread among
    them, the odd subheading, list and "read also" link, until about `text_bytes` of text."""
    city = host.city
    paragraphs: list[str] = [f'<p class="ingress">{facts[0]}</p>']
    rest = facts[1:]
    size = len(facts[0])
    every = max(2, text_bytes // 600 // max(1, len(rest)))
    n = 0
    while size < text_bytes or rest:
        n += 1
        if rest and n % every == 1:
            text = rest.pop(0)
            paragraphs.append(f'<p class="normal">{text}</p>')
        elif n % 7 == 0:
            text = rng.choice(FILLER).format(city=city, n=n)[:60].rstrip(".")
            paragraphs.append(f'<h2 class="subheading" id="h-{_hex(rng, 4)}">{text}</h2>')
        elif n % 11 == 0 and related:
            href, label = related[n % len(related)]
            text = _filler_paragraph(rng, city)
            paragraphs.append(f'<p class="normal">Läs också: <a href="{href}">{label}</a>. {text}</p>')
        elif n % 13 == 0:
            items = [rng.choice(FILLER).format(city=city, n=rng.randint(3, 90)) for _ in range(4)]
            text = " ".join(items)
            paragraphs.append('<ul class="normal">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        else:
            text = _filler_paragraph(rng, city)
            paragraphs.append(f'<p class="normal">{text}</p>')
        size += len(text.encode())
    return paragraphs


def _related(related: list[tuple[str, str]], published: date, rng: random.Random) -> str:
    return "".join(f'<li class="sv-channel-item"><div class="sv-channel-item__content"><h3 class="env-text-h6">'
                   f'<a class="env-link" href="{h}">{t}</a></h3><time class="env-text-small" datetime="'
                   f'{published.isoformat()}T09:00:00+01:00">{_swedish_date(published)} 09:00</time></div></li>'
                   for h, t in related)


def _portlet(rng: random.Random, inner: str, kind: str = "sv-text-portlet") -> str:
    return (f'<div class="sv-portlet {kind} sv-use-margins" id="svid12_{_hex(rng, 6)}">'
            f'<div id="Text{rng.randrange(100)}"></div><div class="{kind}-content">{inner}</div></div>')


def _sitevision_page(host: Host, rng: random.Random, title: str, published: date, blocks: list[str],
                     related: list[tuple[str, str]], chrome_links: int) -> str:
    site = random.Random(host.id)  # what every page of the host shares
    body = _portlet(rng, "".join(blocks[:1])) + _portlet(rng, "".join(blocks[1:]))
    image = (f'<div class="sv-portlet sv-image-portlet" id="svid12_{_hex(rng, 6)}"><figure><img src="/images/18.{_hex(rng, 6)}/'
             f'{_hex(rng, 13)}/bild.jpg" srcset="' + ", ".join(f"/images/18.{_hex(rng, 6)}/{w}/bild.jpg {w}w" for w in (480, 768, 1200))
             + f'" sizes="(max-width: 768px) 100vw, 66vw" alt="" width="1200" height="675" loading="lazy">'
             f'<figcaption class="sv-image-portlet-caption">Foto: {host.city} kommun</figcaption></figure></div>')
    nest = "".join(f'<div class="sv-layout sv-template-layout" id="svid10_{_hex(rng, 6)}">' for _ in range(4))
    return f"""<!DOCTYPE html>
<html lang="sv" class="sv-no-js sv-template-nyhet">
<head><meta charset="utf-8"><title>{title} - {host.city} kommun</title>
<meta name="DC.date.issued" content="{published.isoformat()}"><meta property="og:title" content="{title}">
{_head_assets(site, host)}</head>
<body class="sv-responsive env-m-around--0">
{_svg_sprite(site)}
{_cookie_dialog(site, host)}
<div class="sv-layout" id="svid10_{_hex(rng, 6)}">{_site_header(host, site, _mega_menu(host, chrome_links * 3 // 4, False))}
<main id="innehall" class="sv-layout main-content" tabindex="-1">{nest}
<div class="sv-layout sv-row">{_breadcrumbs(host, site, title)}
 <div class="sv-layout sv-column-8" id="svid10_{_hex(rng, 6)}">
  {_portlet(rng, f'<h1 class="heading">{title}</h1>')}
  {body}
  {image}
  {_portlet(rng, f'<p class="sidfot">Publicerad: {_swedish_date(published)}</p>')}
  <div class="sv-portlet sv-script-portlet share" id="svid12_{_hex(rng, 6)}"><p>Dela sidan:</p><ul class="env-list">{''.join(
      f'<li><a class="env-link" href="https://www.{n}.com/share?u={host.root}">{_icon(n)}</a></li>' for n in ("facebook", "linkedin"))}</ul></div>
 </div>
 <div class="sv-layout sv-column-4 related-news" id="svid10_{_hex(rng, 6)}"><div class="sv-portlet sv-channel-portlet">
  <h2 class="env-text-h4">Fler nyheter</h2><ul class="sv-channel env-list">{_related(related, published, rng)}</ul></div></div>
</div>{"</div>" * 4}
</main>
{_footer(host, chrome_links // 4)}</div>
{_analytics(rng)}
</body></html>"""


def _wordpress_page(host: Host, rng: random.Random, title: str, published: date, blocks: list[str],
                    related: list[tuple[str, str]], chrome_links: int) -> str:
    post = rng.randrange(1000, 99999)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"{published.isoformat()}T10:00:00+01:00",
                     "publisher": {"@type": "Organization", "name": host.city}}, ensure_ascii=False)
    menu = _mega_menu(host, chrome_links * 3 // 4, True).replace("env-nav", "c-navbar")
    site = random.Random(host.id)
    return f"""<!DOCTYPE html>
<html lang="sv-SE" class="no-js">
<head><meta charset="UTF-8"><title>{title} &#8211; {host.city}</title>
<meta property="article:published_time" content="{published.isoformat()}T10:00:00+01:00">
<meta property="og:title" content="{title}"><meta property="og:type" content="article">
<script type="application/ld+json">{ld}</script>
{_head_assets(site, host)}</head>
<body class="wp-singular post-template-default single single-post postid-{post} single-format-standard wp-theme-municipio">
{_svg_sprite(site)}
<div class="c-cookie-consent" role="dialog">{_cookie_dialog(site, host)}</div>
<div class="site-wrapper" id="wrapper-{_hex(rng, 4)}">{_site_header(host, site, menu)}
<div class="o-container"><div class="o-grid"><div class="o-grid-12@md o-grid-8@lg">
<main id="main-content" class="c-main">
<article class="c-article post-{post} post type-post status-publish format-standard has-post-thumbnail hentry category-nyheter" id="article">
<header><h1 class="c-article__title c-typography c-typography__variant--h1">{title}</h1></header>
<figure class="c-image c-article__image"><img class="c-image__image" src="/wp-content/uploads/{published.year}/{published.month:02d}/bild-{post}.jpg" alt="" width="1200" height="675" loading="lazy" decoding="async"><figcaption class="c-image__caption">Foto: {host.city}</figcaption></figure>
<div class="c-article__body entry-content u-margin__top--2">{"".join(blocks)}</div>
<footer class="c-article__footer"><p>Publicerad {_swedish_date(published)}</p><div class="c-share">Dela på Facebook</div></footer>
</article>
</main></div>
<aside class="o-grid-12@md o-grid-4@lg sidebar related"><div class="c-card"><h2 class="c-card__heading">Relaterat</h2><ul class="c-list">{_related(related, published, rng)}</ul></div></aside>
</div></div>
{_footer(host, chrome_links // 4)}</div>
{_analytics(rng)}
</body></html>"""


def _article(host: Host, rng: random.Random, title: str, published: date, url: str, related: list[tuple[str, str]],
             target_bytes: int) -> str:
    """One page of about `target_bytes`: the chrome (menus, footer) grows until the page reaches it."""
    long = rng.random() < LONG_PAGE_SHARE
    facts = [f for _ in range(4 if long else 1) for f in _fact_paragraphs(rng, host, published)]
    text_bytes = rng.randint(15_000, 25_000) if long else rng.randint(1_500, 8_000)
    blocks = _article_blocks(host, rng, text_bytes, facts, related)
    render = _sitevision_page if host.style == "sitevision" else _wordpress_page
    state = rng.getstate()
    small = len(render(host, rng, title, published, blocks, related, 40).encode())
    rng.setstate(state)
    large = len(render(host, rng, title, published, blocks, related, 440).encode())
    # the chrome grows linearly with its number of links: pick the count that meets the target
    links = max(40, 40 + (target_bytes - small) * 400 // max(1, large - small))
    rng.setstate(state)
    return render(host, rng, title, published, blocks, related, links)


def _index(host: Host, articles: list[tuple[str, str, date]]) -> str:
    items = "".join(f'<li><a href="{u}">{t}</a> <time datetime="{d.isoformat()}">{_swedish_date(d)}</time></li>'
                    for u, t, d in articles)
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter om klimat - {host.city}</title>'
            f'</head><body><main><h1>Nyheter om klimatkontrakt och Klimatneutrala städer 2030</h1>'
            f"<ul>{items}</ul></main></body></html>")


@dataclass(frozen=True)
class Corpus:
    archive: Path
    sources: Path
    pages: int  # article pages (index pages not counted)
    bytes: int  # total HTML bytes of the article pages


TITLES = ("{city} skriver under Klimatkontrakt 2030", "Nytt klimatkontrakt för {city}",
          "{city} förnyar sitt klimatkontrakt", "Så går klimatarbetet i {city}",
          "{city} tar nästa steg i klimatarbetet", "Klimatkontrakt 2030: lägesrapport från {city}")


def build_corpus(folder: Path, n: int, *, seed: int = 2030, hosts: tuple[Host, ...] = HOSTS,
                 delay_seconds: float | None = None) -> Corpus:
    """Write `archive.warc.gz` and `sources.toml` with `n` article pages spread over `hosts`
    (each source with `delay_seconds` between its requests, if given)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    per_host = [n // len(hosts) + (1 if i < n % len(hosts) else 0) for i in range(len(hosts))]
    archive = folder / "archive.warc.gz"
    total = 0
    sources = []
    with ArchiveWriter(archive) as writer:
        for host, count in zip(hosts, per_host, strict=True):
            listing = []
            for i in range(count):
                published = date(2020, 1, 1) + timedelta(days=rng.randrange(2200))
                title = rng.choice(TITLES).format(city=host.city)
                slug = title.lower().replace(" ", "-").replace(":", "")
                slug = slug.translate(str.maketrans("åäöé", "aaoe"))
                listing.append((host.article_url(i, slug, published), f"{title} ({i})", published))
            for i, (url, title, published) in enumerate(listing):
                related = [(listing[(i + k) % count][0], listing[(i + k) % count][1]) for k in (1, 2, 3, 5, 8, 13)]
                html = _article(host, rng, title, published, url, related, rng.randint(62_000, 145_000))
                body = html.encode("utf-8")
                total += len(body)
                writer.record(url, "GET", {"User-Agent": "klimatkontrakt-bench"}, 200, "OK",
                              [("Content-Type", "text/html; charset=utf-8")], body, RECORDED_AT)
            index_url = host.root + host.index
            writer.record(index_url, "GET", {"User-Agent": "klimatkontrakt-bench"}, 200, "OK",
                          [("Content-Type", "text/html; charset=utf-8")], _index(host, listing).encode(), RECORDED_AT)
            code = f'municipality_code = "{host.code}"\n' if host.code else ""
            sources.append(f'[[source]]\nid = "{host.id}"\nextractor = "{host.extractor}"\n{code}'
                           f'start_urls = ["{index_url}"]\nmax_pages = {count + 10}\nmax_depth = 2\n'
                           f'keywords = ["klimat"]\n'
                           + (f"delay_seconds = {delay_seconds}\n" if delay_seconds is not None else ""))
    sources_path = folder / "sources.toml"
    sources_path.write_text("\n".join(sources), encoding="utf-8")
    return Corpus(archive, sources_path, n, total)
