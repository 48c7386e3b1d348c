"""A synthetic but realistic replay corpus: N pages of 60-150 KB under real-looking URLs.

Five hosts, each a source of the pipeline: three Sitevision municipal sites (Umeå, Eskilstuna,
Växjö), one WordPress/Municipio site (Helsingborg) and viablecities.se (WordPress). Every page
carries what real pages carry: <head> with many stylesheets, inline configuration and JSON-LD,
a cookie banner, a mega menu of ~150 links, breadcrumbs, a long article in Swedish (filler
paragraphs about climate work with fact sentences mixed in: signings with dates, European Viable
Cities Day, memberships, quotes attributed to people with party and role), a "more news" list
linking to other articles of the same host, a large footer and inline analytics scripts.
Each source's start URL is an index page linking to all of that host's articles.

Deterministic for a given (n, seed). Used by bench/replay.py and tests/drills.

    build_corpus(folder, n) -> Corpus(archive, sources, pages, bytes)
"""

from __future__ import annotations

import hashlib
import json
import zlib
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
    return " ".join(rng.choice(FILLER).format(city=city, n=rng.randint(3, 90)) for _ in range(rng.randint(3, 7)))


def _menu(host: Host, rng: random.Random) -> str:
    sections = ("Barn och utbildning", "Omsorg och stöd", "Bygga, bo och miljö", "Trafik och infrastruktur",
                "Uppleva och göra", "Kommun och politik", "Näringsliv och arbete", "Kultur och fritid")
    parts = []
    for s in sections:
        links = "".join(
            f'<li class="sv-menu-item"><a href="{host.root}/{s.lower().replace(" ", "-")}/sida-{j}.4.{zlib.crc32(s.encode()) % 16**6:06x}.html">'
            f"{s} – undersida {j} med en längre rubrik</a></li>"
            for j in range(18)
        )
        parts.append(f'<li class="sv-menu-group"><span>{s}</span><ul class="sv-menu-sub">{links}</ul></li>')
    return f'<nav class="sv-layout sv-menu main-menu" aria-label="Huvudmeny"><ul>{"".join(parts)}</ul></nav>'


def _head_assets(rng: random.Random, kb: int) -> str:
    links = "".join(f'<link rel="stylesheet" href="/static/css/bundle-{i}.{rng.randrange(16**8):08x}.css">' for i in range(12))
    config = json.dumps({"siteId": rng.randrange(10**6), "features": {f"flag{i}": bool(i % 2) for i in range(40)},
                         "i18n": {f"key.{i}": "Text som översätts i gränssnittet " * 2 for i in range(kb * 6)}},
                        ensure_ascii=False)
    return f"{links}<script>window.__SITE_CONFIG__ = {config};</script>"


def _analytics(rng: random.Random, kb: int) -> str:
    body = ";".join(f"function f{i}(a,b){{return a*{i}+b-{rng.randrange(1000)}}}" for i in range(kb * 20))
    return f"<script>(function(){{{body}}})();</script>"


COOKIE = ("Vi använder kakor (cookies) för att webbplatsen ska fungera på ett bra sätt för dig. "
          "Genom att klicka på Godkänn alla kakor godkänner du att vi använder kakor för statistik och analys. "
          "Du kan när som helst ändra dina inställningar under Inställningar för kakor längst ner på sidan. ") * 3


def _footer(host: Host) -> str:
    cols = "".join(
        f'<div class="footer-col"><h2>Kolumn {c}</h2><ul>'
        + "".join(f'<li><a href="{host.root}/om-webbplatsen/sida-{c}-{j}/">Om webbplatsen {c}.{j}</a></li>' for j in range(12))
        + "</ul></div>"
        for c in range(4)
    )
    return (f'<footer class="sv-layout footer site-footer">{cols}<p>{host.city} kommun, växel 090-16 10 00, '
            f"kommun@{host.root.split('//')[1]}</p></footer>")


def _article(host: Host, rng: random.Random, title: str, published: date, url: str, related: list[tuple[str, str]],
             target_bytes: int) -> str:
    city = host.city
    facts = _fact_paragraphs(rng, host, published)
    paragraphs: list[str] = [f'<p class="ingress">{facts[0]}</p>']
    rest = facts[1:]
    size = 0
    body_target = int(target_bytes * rng.uniform(0.25, 0.4))
    n = 0
    while size < body_target:
        n += 1
        if n % 6 == 0:
            text = f"<h2>{rng.choice(FILLER).format(city=city, n=n)[:60].rstrip('.')}</h2>"
        elif rest and n % 5 == 2:
            text = f"<p>{rest.pop(0)}</p>"
        elif n % 11 == 0 and related:
            href, label = related[n % len(related)]
            text = f'<p>Läs också: <a href="{href}">{label}</a>. {_filler_paragraph(rng, city)}</p>'
        elif n % 13 == 0:
            items = "".join(f"<li>{rng.choice(FILLER).format(city=city, n=rng.randint(3, 90))}</li>" for _ in range(4))
            text = f"<ul>{items}</ul>"
        else:
            text = f"<p>{_filler_paragraph(rng, city)}</p>"
        paragraphs.append(text)
        size += len(text.encode())
    paragraphs.extend(f"<p>{p}</p>" for p in rest)
    more = "".join(f'<li class="sv-channel-item"><h3><a href="{h}">{t}</a></h3>'
                   f'<time datetime="{published.isoformat()}T09:00:00+01:00">{_swedish_date(published)}</time></li>'
                   for h, t in related)
    asset_kb = max(4, (target_bytes - body_target) // 1024 // 3)
    if host.style == "sitevision":
        body = "".join(f'<div class="sv-text-portlet sv-use-margins"><div class="sv-text-portlet-content">{p}</div></div>'
                       for p in paragraphs)
        html = f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{title} - {city} kommun</title>
<meta name="DC.date.issued" content="{published.isoformat()}">
{_head_assets(rng, asset_kb)}</head>
<body>
<a class="skip-link" href="#svid12_content">Till innehåll på sidan</a>
<div class="sv-layout sv-cookie-consent-banner"><p>{COOKIE}</p><a href="#">Godkänn alla kakor</a></div>
<header class="sv-layout header"><div class="sv-image-portlet"><a href="/"><img alt="{city} kommun logotyp" src="/images/logo.svg"></a></div>
{_menu(host, rng)}</header>
<main id="svid12_content" class="sv-layout">
<div class="sv-row">
 <div class="sv-layout sv-column-8">
  <div class="sv-layout breadcrumbs"><a href="/">Start</a> / <a href="{host.index}">Nyheter</a></div>
  <div class="sv-text-portlet sv-use-margins"><div class="sv-text-portlet-content"><h1 class="heading">{title}</h1></div></div>
  {body}
  <div class="sv-text-portlet"><div class="sv-text-portlet-content"><p class="sidfot">Publicerad: {_swedish_date(published)}</p></div></div>
  <div class="sv-text-portlet"><div class="sv-text-portlet-content"><p>Dela sidan:</p></div></div>
 </div>
 <div class="sv-layout sv-column-4 related-news"><h2>Fler nyheter</h2><ul>{more}</ul></div>
</div>
</main>
{_footer(host)}
{_analytics(rng, asset_kb)}
</body></html>"""
    else:
        body = "".join(paragraphs)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": f"{published.isoformat()}T10:00:00+01:00"}, ensure_ascii=False)
        html = f"""<!DOCTYPE html>
<html lang="sv-SE">
<head><meta charset="UTF-8"><title>{title} &#8211; {city}</title>
<meta property="article:published_time" content="{published.isoformat()}T10:00:00+01:00">
<meta property="og:title" content="{title}">
<script type="application/ld+json">{ld}</script>
{_head_assets(rng, asset_kb)}</head>
<body class="wp-singular post-template-default single single-post">
<div class="c-cookie-consent">{COOKIE} <button>Jag förstår</button></div>
<header class="site-header">{_menu(host, rng).replace('sv-menu', 'c-navbar')}</header>
<main id="main-content">
<article class="c-article post type-post">
<header><h1 class="c-article__title">{title}</h1></header>
<div class="c-article__body entry-content">{body}</div>
<footer class="c-article__footer"><p>Publicerad {_swedish_date(published)}</p><div class="c-share">Dela på Facebook</div></footer>
</article>
<aside class="sidebar related"><h2>Relaterat</h2><ul>{more}</ul></aside>
</main>
{_footer(host)}
{_analytics(rng, asset_kb)}
</body></html>"""
    return html


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


def build_corpus(folder: Path, n: int, *, seed: int = 2030, hosts: tuple[Host, ...] = HOSTS) -> Corpus:
    """Write `archive.warc.gz` and `sources.toml` with `n` article pages spread over `hosts`."""
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
                           f'keywords = ["klimat"]\n')
    sources_path = folder / "sources.toml"
    sources_path.write_text("\n".join(sources), encoding="utf-8")
    return Corpus(archive, sources_path, n, total)
