"""Breadth-first crawl of one source through a client (live or replay).

Deterministic by construction: URLs are fetched one at a time in BFS order, links in document
order (first occurrence wins), sitemap URLs newest-lastmod first, so the same responses
always give the same pages in the same order -- a replayed run reproduces a live one.

Rules, in order of precedence:
* start_urls are always fetched (depth 0), and are always "relevant".
* URLs from source.sitemaps (and, with source.discover_sitemaps, robots.txt `Sitemap:` lines or
  else /sitemap.xml) are queued after the start URLs, also at depth 0, filtered like links.
* a link is followed when it starts with one of allowed_prefixes (default: scheme://host/ of
  the start URLs), matches one of url_patterns (if any are given), the page it is on is at
  depth < max_depth, and the page it is on is relevant; at most max_pages URLs are fetched.
* links to documents (.pdf, .docx, images, ...) are not fetched: they are listed in
  `CrawlResult.documents` (they would be archived but never parsed).
* keywords: a page past the start URLs whose text mentions none of them (case-insensitive)
  is kept in `pages` but is not in `relevant_urls` and its links are not followed; the flow
  extracts only `relevant_pages()`.
* `<meta name="robots" content="nofollow">` stops link following on that page.
* incremental crawling (`known`, the previous run's page state of this source): a page is
  *unchanged* when it answers 304 Not Modified, or when it answers 200 with the same final URL
  and the same normalised text (`text_sha256`) as last time. An unchanged page is listed in
  `CrawlResult.unchanged_urls` (the flow reuses its previous extraction instead of extracting
  it again). A 304 page has no body: its relevance and links come from `known` (so the crawl
  goes on past it exactly as if it had been downloaded); without a `known` entry its links are
  not followed in that run.

"Normalised text" (`normalised_text`) is what the extractors can read, with markup noise
removed: the text content of the document without <script>, <style>, <noscript> and <template>
elements and without comments; plus the page's language (`<html lang>`), the `content` of the
<meta> tags the extractors read (publication dates, titles, descriptions), the `datetime` of
every <time> element and the JSON-LD blocks (re-serialised with sorted keys); joined with single
spaces, every run of whitespace collapsed to one space, Unicode NFC. So a new nonce, CSRF token,
cache-busting query string, inline-script timestamp or attribute change does not count as a
change, while any change of the words a reader sees does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from klimatkontrakt import handoff
from klimatkontrakt.fetch import sitemaps as sitemaps_mod
from klimatkontrakt.fetch.client import NOT_ARCHIVED
from klimatkontrakt.fetch.robots import DISALLOWED
from klimatkontrakt.fetch.urls import normalise_url
from klimatkontrakt.model import FetchedPage, Source

log = logging.getLogger(__name__)

DOCUMENT_EXTENSIONS = frozenset(
    ".pdf .doc .docx .odt .rtf .xls .xlsx .ods .csv .ppt .pptx .odp .zip .gz .7z .rar "
    ".jpg .jpeg .png .gif .webp .svg .bmp .tif .tiff .ico .mp3 .mp4 .m4a .mov .avi .webm "
    ".ics .vcf .exe .dmg .iso .eps .ai .psd".split()
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:")
_INVISIBLE = frozenset(("script", "style", "noscript", "template"))
_HIDDEN = frozenset(("script", "style", "noscript"))  # what the keyword test does not read
_BLOCKS = frozenset(("title", "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
           "table", "tr", "td", "th", "blockquote", "pre", "section", "article", "header", "footer", "main",
           "nav", "aside", "figure", "figcaption", "address", "hr", "form", "details", "summary", "caption"))
# <meta> keys (name / property / itemprop, lower case) whose content an extractor may read.
FINGERPRINT_META = frozenset(
    "article:published_time og:published_time datepublished date dcterms.date dcterms.issued dc.date "
    "dc.date.issued pubdate publishdate publish-date publication_date sailthru.date parsely-pub-date "
    "article:modified_time datemodified og:title twitter:title title description og:description "
    "dc.title dcterms.title dc.language language content-language".split()
)


@dataclass(frozen=True)
class KnownPage:
    """What the previous run learnt about one URL of this source (see `klimatkontrakt/state.py`)."""

    final_url: str
    text_sha256: str | None = None
    links: tuple[str, ...] | None = None  # links the crawl may follow from the page; None: none
    relevant: bool = False  # the page was worth extracting (start URL or mentions a keyword)


@dataclass
class CrawlResult:
    """Pages in fetch order (failures included) and what the crawl counted.

    stats keys: fetched (2xx/3xx answers with a body), unchanged (304 Not Modified), same_text
    (200 answers whose normalised text equals the previous run's: also counted in fetched),
    failed (errors other than the two
    below), skipped_robots, not_archived, truncated, irrelevant (HTML pages without any
    keyword), documents (document links listed, not fetched), sitemap_urls, sitemap_errors,
    pages (len(pages)).
    """

    pages: list[FetchedPage]
    stats: dict[str, int]
    relevant_urls: set[str] = field(default_factory=set)  # page.url of pages worth extracting
    documents: list[str] = field(default_factory=list)  # document links found, not fetched
    sitemap_lastmod: dict[str, str] = field(default_factory=dict)  # url -> <lastmod> as written
    depths: dict[str, int] = field(default_factory=dict)  # page.url -> BFS depth
    # incremental state, for the next run (page.url keys)
    unchanged_urls: set[str] = field(default_factory=set)  # 304, or same normalised text as last run
    text_hashes: dict[str, str] = field(default_factory=dict)  # sha256 of normalised_text (200 HTML)
    links: dict[str, list[str] | None] = field(default_factory=dict)  # links followable from the page

    def relevant_pages(self) -> list[FetchedPage]:
        return [p for p in self.pages if p.url in self.relevant_urls]


@lru_cache(maxsize=65536)  # menus repeat the same links on every page of a site
def is_document(url: str) -> bool:
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return dot >= 0 and path[dot:] in DOCUMENT_EXTENSIONS


def _markup(text: str) -> str:
    """The text lxml parses: without an XML declaration (lxml refuses one in a str)."""
    return _XML_DECL.sub("", text, count=1)


def _parse(markup: str):
    try:
        return lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return None


def extract_links(doc, base_url: str, base_href: str | None) -> list[str]:
    """Absolute, fragment-free, de-duplicated links of <a>/<area href>, in document order;
    `base_href`: the page's first <base href>, if any."""
    base = urljoin(base_url, base_href.strip()) if base_href and base_href.strip() else base_url
    scheme, _, rest = base.partition("://")
    origin = f"{scheme}://{rest.split('/', 1)[0]}"
    links: list[str] = []
    seen: set[str] = set()
    for element in doc.iter("a", "area"):
        href = element.get("href")
        if not href:
            continue
        url = _site_link(href, scheme, origin)
        if url is _RELATIVE:
            url = _resolve(base, href.strip())
        if url is None or url in seen:
            continue
        seen.add(url)
        links.append(url)
    return links


_RELATIVE = object()  # an href that needs the page's own URL to resolve


@lru_cache(maxsize=65536)  # menus repeat the same links on every page of a site
def _site_link(href: str, scheme: str, origin: str) -> str | object | None:
    """The URL an absolute or root-relative href leads to, normalised (urljoin gets the scheme or
    scheme://host, so such links resolve once per site, not per page); None for fragments,
    mailto: and the like; _RELATIVE for any other href."""
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
        return None
    if href.startswith(("http://", "https://")):
        return _resolve(scheme + ":", href)
    if href.startswith("/") and not href.startswith("//"):
        return _resolve(origin, href)
    return _RELATIVE


@lru_cache(maxsize=65536)
def _resolve(base: str, href: str) -> str | None:
    """normalise_url(urljoin(base, href)) if that is an http(s) URL, else None."""
    try:
        url = normalise_url(urljoin(base, href))
    except ValueError:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def normalised_text(html: str) -> str:
    """The page's text as the change detector sees it (see the module docstring)."""
    doc = _parse(_markup(html))
    if doc is None:
        return unicodedata.normalize("NFC", " ".join(html.split()))
    return _read(doc).normalised


@dataclass(frozen=True)
class _Reading:
    """What the crawler reads of a parsed page (the tree is left as it is)."""

    normalised: str  # the change detector's text (see the module docstring)
    visible: str  # what the keyword test reads: no <script>, <style>, <noscript>; no block spaces
    nofollow: bool  # a robots (or klimatkontrakt) meta tag says nofollow or none
    base_href: str | None  # the first <base href>


def _read(doc) -> _Reading:
    """One walk finds the meta, JSON-LD, time and base elements; two stylesheets read the text."""
    metas: list[str] = []
    json_ld: list[str] = []
    times: list[str] = []
    nofollow = False
    base_href = None
    for element in doc.iter("meta", "script", "time", "base"):
        if element.tag == "base":
            base_href = base_href or element.get("href")
        elif element.tag == "meta":
            key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
            content = element.get("content")
            if key in FINGERPRINT_META and content:
                metas.append(f"{key}={content}")
            if (element.get("name") or "").strip().lower() in ("robots", "klimatkontrakt"):
                nofollow = nofollow or "nofollow" in (content or "").lower() or "none" in (content or "").lower()
        elif element.tag == "script":
            if element.get("type") == "application/ld+json":
                raw = element.text or ""
                try:
                    raw = json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False)
                except ValueError:
                    pass
                json_ld.append(raw)
        elif element.get("datetime"):
            times.append(f"datetime={element.get('datetime')}")
    lang = (doc.get("lang") or doc.get("xml:lang") or "").strip()
    texts = _text_transforms()
    parts = [f"lang={lang}"] if lang else []
    parts += [*metas, *json_ld, *times, str(texts.normalised(doc))]
    return _Reading(unicodedata.normalize("NFC", " ".join(" ".join(parts).split())), str(texts.visible(doc)),
                    nofollow, base_href)


def _text_stylesheet(dropped: frozenset[str], spaced: frozenset[str] = frozenset()) -> str:
    """XSLT (text output) of a document's text without the `dropped` elements (comments never
    count), with a space on either side of every `spaced` element, so <p>a</p><p>b</p> reads
    "a b". libxslt walks the tree in C, four times faster than a Python walk."""
    spaced_rule = (f'<xsl:template match="{"|".join(sorted(spaced))}"><xsl:text> </xsl:text>'
                   '<xsl:apply-templates/><xsl:text> </xsl:text></xsl:template>') if spaced else ""
    return ('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:output method="text" encoding="UTF-8"/>'
            f'<xsl:template match="{"|".join(sorted(dropped))}"/>{spaced_rule}</xsl:stylesheet>')


_TEXT_XSLT = _text_stylesheet(_INVISIBLE, _BLOCKS)
_VISIBLE_XSLT = _text_stylesheet(_HIDDEN)
_transforms = threading.local()


@dataclass(frozen=True)
class _TextTransforms:
    normalised: lxml.etree.XSLT  # the change detector's text
    visible: lxml.etree.XSLT  # what the keyword test reads: no block spaces


def _text_transforms() -> _TextTransforms:
    """This thread's compiled stylesheets (lxml's XSLT objects are best not shared across threads)."""
    texts = getattr(_transforms, "texts", None)
    if texts is None:
        texts = _transforms.texts = _TextTransforms(lxml.etree.XSLT(lxml.etree.XML(_TEXT_XSLT)),
                                                    lxml.etree.XSLT(lxml.etree.XML(_VISIBLE_XSLT)))
    return texts


def text_sha256(html: str) -> str:
    """Hex SHA-256 of `normalised_text(html)` (UTF-8): the page_state.text_sha256 of a page."""
    return hashlib.sha256(normalised_text(html).encode("utf-8")).hexdigest()


class _Frontier:
    def __init__(self, source: Source):
        self.prefixes = tuple(normalise_url(p) for p in
                              (source.allowed_prefixes or _default_prefixes(source.start_urls)))
        self.patterns = [re.compile(p) for p in source.url_patterns]
        self.queue: deque[tuple[str, int]] = deque()
        self.seen: set[str] = set()

    def allowed(self, url: str) -> bool:
        if not url.startswith(self.prefixes):
            return False
        return not self.patterns or any(p.search(url) for p in self.patterns)

    def add(self, url: str, depth: int) -> bool:
        if url in self.seen:
            return False
        self.seen.add(url)
        self.queue.append((url, depth))
        return True


def _default_prefixes(start_urls) -> list[str]:
    out = []
    for url in start_urls:
        parts = urlsplit(normalise_url(url))
        prefix = f"{parts.scheme}://{parts.netloc}/"
        if prefix not in out:
            out.append(prefix)
    return out


def _classify(page: FetchedPage) -> str:
    if page.error == NOT_ARCHIVED:
        return "not_archived"
    if page.error and page.error.startswith(DISALLOWED):
        return "skipped_robots"
    if page.from_cache:
        return "unchanged"
    if page.error:
        return "failed"
    return "fetched"


def crawl(
    source: Source,
    client,
    *,
    on_page: Callable[[FetchedPage], None] | None = None,
    on_done: Callable[[FetchedPage, bool, bool], FetchedPage] | None = None,
    use_robots_sitemaps: bool = False,
    known: Mapping[str, KnownPage] | None = None,
) -> CrawlResult:
    """Crawl one source sequentially; never raises for HTTP trouble (see FetchedPage.error).

    `known`: the previous run's state of this source's pages by URL (incremental crawling, see
    the module docstring); None or empty crawls as if for the first time.
    `on_done(page, relevant, unchanged)`: called once the crawler is done with a page; what it
    returns replaces the page in the result (the flow extracts there and keeps a slim copy, so a
    source's pages are never all in memory with their bodies).
    """
    known = {normalise_url(u): k for u, k in (known or {}).items()}
    stats = dict.fromkeys(
        ("fetched", "unchanged", "same_text", "failed", "skipped_robots", "not_archived", "truncated",
         "irrelevant", "documents", "sitemap_urls", "sitemap_errors", "pages"), 0)
    result = CrawlResult(pages=[], stats=stats)
    frontier = _Frontier(source)
    keywords = [k.casefold() for k in source.keywords if k.strip()]
    start = [normalise_url(u) for u in source.start_urls]
    start_set = set(start)
    for url in start:
        frontier.add(url, 0)

    sitemap_urls = list(source.sitemaps)
    if (use_robots_sitemaps or source.discover_sitemaps) and hasattr(client, "robots_sitemaps"):
        for url in start:
            announced = client.robots_sitemaps(url, source)
            if not announced and source.discover_sitemaps:
                parts = urlsplit(url)
                announced = [f"{parts.scheme}://{parts.netloc}/sitemap.xml"]
            for sm in announced:
                if sm not in sitemap_urls:
                    sitemap_urls.append(sm)
    if sitemap_urls and source.max_pages > len(start):
        found = sitemaps_mod.collect(client, source, sitemap_urls, limit_urls=max(10 * source.max_pages, 1000))
        stats["sitemap_errors"] = found.errors
        for entry in found.entries:
            if frontier.allowed(entry.url) and not is_document(entry.url) and frontier.add(entry.url, 0):
                stats["sitemap_urls"] += 1
                if entry.lastmod:
                    result.sitemap_lastmod[entry.url] = entry.lastmod

    documents: set[str] = set()
    while frontier.queue and len(result.pages) < source.max_pages:
        url, depth = frontier.queue.popleft()
        page = client.get(url, source)
        result.pages.append(page)
        result.depths[page.url] = depth
        stats[_classify(page)] += 1
        stats["truncated"] += page.truncated
        frontier.seen.add(normalise_url(page.final_url))
        if on_page is not None:
            on_page(page)
        try:
            previous = known.get(url)
            if page.from_cache:
                # 304 Not Modified: no body; what the page said last time still holds.
                result.unchanged_urls.add(page.url)
                if previous is None or not previous.relevant:
                    continue
                result.relevant_urls.add(page.url)
                links = list(previous.links) if previous.links is not None else None
                result.links[page.url] = links
                if previous.text_sha256:
                    result.text_hashes[page.url] = previous.text_sha256
                if links is None or depth >= source.max_depth:
                    continue
                _follow(links, depth, frontier, documents, result)
                continue
            if page.text is None:
                continue
            markup = _markup(page.text)
            doc = _parse(markup)
            reading = _Reading(normalised_text(page.text), page.text, False, None) if doc is None else _read(doc)
            digest = hashlib.sha256(reading.normalised.encode("utf-8")).hexdigest()
            result.text_hashes[page.url] = digest
            if (previous is not None and previous.text_sha256 == digest
                    and normalise_url(previous.final_url) == normalise_url(page.final_url)):
                result.unchanged_urls.add(page.url)
                stats["same_text"] += 1
            if url not in start_set and keywords:
                if not any(k in reading.visible.casefold() for k in keywords):
                    stats["irrelevant"] += 1
                    log.debug("%s: mentions none of the keywords; links not followed", url)
                    continue
            result.relevant_urls.add(page.url)
            if doc is None:
                result.links[page.url] = None
                continue
            # only the links this source may follow: page_state keeps them for the next run, and
            # menus and footers repeat hundreds of others on every page
            links = [] if reading.nofollow else [u for u in extract_links(doc, page.final_url, reading.base_href)
                                                  if frontier.allowed(u)]
            result.links[page.url] = links
            handoff.leave(markup, doc)  # done with the tree: the extractor may take it
            if depth >= source.max_depth:
                continue
            _follow(links, depth, frontier, documents, result)
        finally:
            if on_done is not None:
                result.pages[-1] = on_done(page, page.url in result.relevant_urls,
                                           page.url in result.unchanged_urls)

    stats["documents"] = len(result.documents)
    stats["pages"] = len(result.pages)
    left = len(frontier.queue)
    log.debug("source %s: %d page(s) (%s)%s", source.id, len(result.pages),
             ", ".join(f"{k}={v}" for k, v in stats.items() if v and k != "pages"),
             f"; max_pages reached with {left} URL(s) left" if left else "")
    return result


def _follow(links: list[str], depth: int, frontier: _Frontier, documents: set[str], result: CrawlResult) -> None:
    for link in links:
        if not frontier.allowed(link):
            continue
        if is_document(link):
            if link not in documents:
                documents.add(link)
                result.documents.append(link)
            continue
        frontier.add(link, depth + 1)
