"""A page's HTML read as a `Page` (`parse_page`): its main text as blocks (extractors/common.py)
and what it says about itself: when it was published (meta tags, JSON-LD, <time>, a dateline,
"Publicerad:" labels, the URL), when it was last modified, its title and its language."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urlsplit

from extractors.common import (
    NOISE_TEXT,
    Page,
    clean_text,
    content_root,
    page_blocks,
    parse_html,
    strip_noise,
)
from klimatkontrakt.normalise.dates import find_dates, parse_iso

_META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "date", "dcterms.date",
    "dcterms.issued", "dc.date", "dc.date.issued", "pubdate", "publishdate", "publish-date",
    "publication_date", "sailthru.date", "parsely-pub-date",
)

_PUBLISHED_LABEL = re.compile(
    r"\b(?:Publicerad|Publicerat|Sidan publicerades|Artikeln publicerades|Nyheten publicerades|Published|Posted on|Datum|"
    r"Skapad|Skapat|Skriven|Skrivet)"
    r"\s*(?:den|on)?\s*:?\s*",
    re.IGNORECASE,
)

_UPDATED_LABEL = re.compile(
    r"\b(?:Senast uppdaterad|Sidan uppdaterad|Senast ändrad|Uppdaterad|Last updated|Updated)\s*(?:den)?\s*:?\s*",
    re.IGNORECASE,
)

_URL_DATE = re.compile(r"/((?:19|20)\d\d)[-/](\d\d)[-/](\d\d)(?:[-/_]|$)")


def meta_published(root) -> date | None:
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key in _META_PUBLISHED:
            d = parse_iso(m.get("content")) or _prose_date(m.get("content"))
            if d:
                return d
    return None


def jsonld_published(root) -> date | None:
    for script in root.getroottree().iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        d = _find_key(data, "datePublished")
        if d:
            parsed = parse_iso(str(d)) or _prose_date(str(d))
            if parsed:
                return parsed
    return None


def _find_key(data, key: str):
    if isinstance(data, dict):
        if key in data:
            return data[key]
        for v in data.values():
            found = _find_key(v, key)
            if found:
                return found
    elif isinstance(data, list):
        for v in data:
            found = _find_key(v, key)
            if found:
                return found
    return None


def _prose_date(text: str | None) -> date | None:
    if not text:
        return None
    found = find_dates(text)
    found = [d for d in found if d.year_given]
    return found[0].value if found else None


def time_published(root, scope=None) -> date | None:
    """A <time datetime> that marks publication (itemprop/class/label), else the first one in scope."""
    for t in root.getroottree().iter("time"):
        hint = " ".join(filter(None, (t.get("class"), t.get("itemprop"), t.get("pubdate"))))
        parent_text = (t.getparent().text_content() if t.getparent() is not None else "")[:80]
        if re.search(r"publi|pubdate|entry-date|post-date", hint, re.I) or _PUBLISHED_LABEL.match(parent_text.strip()):
            d = parse_iso(t.get("datetime")) or _prose_date(t.text_content())
            if d:
                return d
    if scope is not None:
        for t in scope.iter("time"):
            if t.xpath("ancestor::li[contains(@class,'channel')] | ancestor::*[contains(@class,'related')]"):
                continue
            d = parse_iso(t.get("datetime")) or _prose_date(t.text_content())
            if d:
                return d
    return None


def labelled_date(text: str, label: re.Pattern[str]) -> date | None:
    for m in label.finditer(text):
        d = _prose_date(text[m.end() : m.end() + 60])
        if d:
            return d
    return None


def url_date(url: str) -> date | None:
    m = _URL_DATE.search(urlsplit(url).path)
    return parse_iso("-".join(m.groups())) if m else None


def published_date(root, url: str, scope=None) -> date | None:
    """Publication date: meta tags, JSON-LD, <time>, "Publicerad:"/"Skapad" text, a dateline next
    to the h1, the URL; then "Senast uppdaterad" text and last-modified metadata.

    htmldate was measured as a fallback after these (bench/fallback.py, 28 fixtures stripped of
    meta, JSON-LD and <time>): these rules date 19 right, 0 wrong, 9 none; adding htmldate for
    the 9 dates none more right and 3 wrong (extensive search: 1 more right, 8 wrong), mostly an
    event or project start date read as the publication date. A wrong publication date is worse
    than none (it sets the year of "8 december" and the as_of of roles), so htmldate is not used."""
    d = meta_published(root) or jsonld_published(root) or time_published(root, scope)
    if d:
        return d
    for el in root.xpath("//*[contains(@class,'date') or contains(@class,'datum') or contains(@class,'published')]"
                         "[not(ancestor::li[contains(@class,'channel')])]")[:5]:
        text = clean_text(el.text_content())
        if len(text) < 60:
            d = _prose_date(_UPDATED_LABEL.sub("", text)) if not _UPDATED_LABEL.match(text) else None
            if d:
                return d
    body = root.find("body")
    full = clean_text((body if body is not None else root).text_content())
    return (labelled_date(full, _PUBLISHED_LABEL) or dateline(root) or url_date(url)
            or labelled_date(full, _UPDATED_LABEL) or meta_modified(root) or _any_time(root))

_DATELINE = re.compile(
    r"^(?:[A-Za-zåäö]{2,8}\.?,?\s+)?(?:den\s+)?(?:\d{1,2}\s+[A-Za-zåäö]{3,9}\.?,?\s+(?:19|20)\d\d|"
    r"(?:19|20)\d\d-\d\d-\d\d|[A-Za-z]{3,9}\.?\s+\d{1,2},\s+(?:19|20)\d\d)"
    r"(?:,?\s*(?:kl\.?|klockan)?\s*\d{1,2}[:.]\d\d(?:\s*[A-Z]{3,4})?)?$",
)


def dateline(root) -> date | None:
    """A short element that holds only a date (and a time) just before or after the h1: the
    dateline of a press release or news page whose markup names it nothing we know."""
    h1 = next(root.iter("h1"), None)
    if h1 is None:
        return None
    near = [*h1.xpath("preceding::text()[normalize-space()][position() <= 3]"),
            *h1.xpath("following::text()[normalize-space()][position() <= 6]")]
    for node in near:
        text = " ".join(str(node).split())
        if len(text) <= 40 and _DATELINE.match(text):
            d = parse_iso(text[:10]) or _prose_date(text)
            if d:
                return d
    return None

_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")


def meta_modified(root) -> date | None:
    """Last-modified metadata: a page that states nothing else is dated as of its last change."""
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        if key in _META_MODIFIED:
            d = parse_iso(m.get("content")) or _prose_date(m.get("content"))
            if d:
                return d
    return None


def _any_time(root) -> date | None:
    for t in root.iter("time"):
        d = parse_iso(t.get("datetime"))
        if d:
            return d
    return None

_TITLE_SPLIT = re.compile(r"\s+[-–—|»]\s+")


def page_title(root, scope=None) -> str | None:
    for where in (scope, root):
        if where is None:
            continue
        for h in where.iter("h1"):
            text = clean_text(h.text_content()).replace("\n", " ")
            if text and not NOISE_TEXT.match(text):
                return text
    for m in root.iter("meta"):
        if (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title"):
            if m.get("content", "").strip():
                return _TITLE_SPLIT.split(m.get("content").strip())[0]
    t = root.find(".//title")
    if t is not None and t.text_content().strip():
        return _TITLE_SPLIT.split(clean_text(t.text_content()).replace("\n", " "))[0]
    return None


def page_language(root, url: str) -> str | None:
    lang = (root.get("lang") or root.get("xml:lang") or "").strip().lower()
    path = urlsplit(url).path
    if path.startswith("/en/") or path == "/en":
        return "en"
    if lang:
        return lang[:2]
    return None


def parse_page(url: str, html: str, selectors: tuple[str, ...] = ()) -> Page:
    """Title, date, language and main-text blocks of one page."""
    root = parse_html(html)
    scope = content_root(root, selectors)
    published = published_date(root, url, scope)
    title = page_title(root, scope)
    language = page_language(root, url)
    strip_noise(scope)
    blocks = page_blocks(scope)
    if title is None:
        for b in blocks:
            if b.is_heading:
                title = b.text
                break
    return Page(url, title, published, language, blocks)
