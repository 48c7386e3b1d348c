"""What the crawler reads of a page body: its text hash, whether it mentions a keyword, the links
it may follow. Pure functions of (body, URL, rules), so a worker process can read a page as well
as the crawl's own thread (`klimatkontrakt/runtime/workers.py`); nothing here imports the HTTP client.

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
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from klimatkontrakt.core import handoff
from klimatkontrakt.core.model import Source
from klimatkontrakt.fetch.urls import normalise_url

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
    return _read(_parse(_markup(html)), html).normalised


@dataclass(frozen=True)
class _Reading:
    """What the crawler reads of a parsed page (the tree is left as it is)."""

    normalised: str  # the change detector's text (see the module docstring)
    visible: str  # what the keyword test reads: no <script>, <style>, <noscript>; no block spaces
    nofollow: bool  # a robots (or klimatkontrakt) meta tag says nofollow or none
    base_href: str | None  # the first <base href>


def _read(doc, html: str) -> _Reading:
    """One walk finds the meta, JSON-LD, time and base elements; two stylesheets read the text.
    A page lxml cannot parse (`doc` None) reads as its markup, whitespace collapsed."""
    if doc is None:
        return _Reading(unicodedata.normalize("NFC", " ".join(html.split())), html, False, None)
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
    return _sha256(normalised_text(html))


def _sha256(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LinkRule:
    """Which links a source may follow: under one of `prefixes`, and matching one of `patterns`
    when there are any."""

    prefixes: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]

    @classmethod
    def of(cls, source: Source) -> LinkRule:
        return cls(tuple(normalise_url(p) for p in (source.allowed_prefixes or _default_prefixes(source.start_urls))),
                   tuple(re.compile(p) for p in source.url_patterns))

    def allowed(self, url: str) -> bool:
        if not url.startswith(self.prefixes):
            return False
        return not self.patterns or any(p.search(url) for p in self.patterns)


@dataclass(frozen=True)
class PageReading:
    """What the crawl needs of a page's body (see `ReadRequest.read`)."""

    text_sha256: str
    relevant: bool  # a start URL, or its text mentions a keyword: extract it, follow its links
    links: tuple[str, ...] | None  # the links it may follow (relevant pages); None: unparsable or irrelevant


@dataclass(frozen=True)
class ReadRequest:
    """A page body to read, with what reading it needs: plain data, so a worker process can read it."""

    text: str
    final_url: str
    is_start: bool
    keywords: tuple[str, ...]  # casefolded; none: every page is relevant
    rule: LinkRule
    kind: str = "html"  # or "pdf": `text` is the PDF's text, which has no links to follow
    is_hub: bool = False  # a listing page (Source.hub_patterns): its links are followed, relevant or not

    def read(self) -> PageReading:
        """Parse once: text hash, keyword test, followable links. The tree of a relevant page is
        left for the extractor of the same text (`handoff`)."""
        if self.kind == "pdf":
            plain = unicodedata.normalize("NFC", " ".join(self.text.split()))
            relevant = self.is_start or not self.keywords or any(k in plain.casefold() for k in self.keywords)
            return PageReading(_sha256(plain), relevant, () if relevant else None)
        markup = _markup(self.text)
        doc = _parse(markup)
        reading = _read(doc, self.text)
        digest = _sha256(reading.normalised)
        visible = reading.visible.casefold()
        relevant = self.is_start or not self.keywords or any(k in visible for k in self.keywords)
        if not relevant and not self.is_hub:
            return PageReading(digest, False, None)
        if doc is None:
            return PageReading(digest, relevant, None)
        # only the links this source may follow: page_state keeps them for the next run, and
        # menus and footers repeat hundreds of others on every page
        links = () if reading.nofollow else tuple(
            u for u in extract_links(doc, self.final_url, reading.base_href) if self.rule.allowed(u))
        if relevant:
            handoff.leave(markup, doc)  # done with the tree: the extractor may take it
        return PageReading(digest, relevant, links)


def _default_prefixes(start_urls) -> list[str]:
    out = []
    for url in start_urls:
        parts = urlsplit(normalise_url(url))
        prefix = f"{parts.scheme}://{parts.netloc}/"
        if prefix not in out:
            out.append(prefix)
    return out
