"""Sitemaps (sitemaps.org): URL sets, sitemap indexes and gzipped children, parsed safely.

A sitemap is XML from the internet, so it is parsed with defusedxml with DTDs forbidden:
entity-expansion ("billion laughs") and external-entity payloads are rejected instead of
eating memory or reading local files. Gzipped sitemaps are inflated with a size cap so a
gzip bomb cannot blow up either.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from klimatkontrakt.core.model import Source
from klimatkontrakt.fetch.urls import normalise_url

log = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # sitemaps.org limit for one (uncompressed) file
MAX_SITEMAP_FILES = 50  # per source, indexes included
MAX_INDEX_NESTING = 3


class SitemapError(ValueError):
    """A sitemap that cannot be used; the message is one line."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None


@dataclass
class ParsedSitemap:
    urls: list[SitemapEntry]  # <urlset><url>
    sitemaps: list[SitemapEntry]  # <sitemapindex><sitemap>


def _inflate(body: bytes, limit: int) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise SitemapError(f"bad gzip data: {exc}") from None
    if len(data) > limit:
        raise SitemapError(f"sitemap larger than {limit} bytes once decompressed")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, *, limit: int = MAX_SITEMAP_BYTES) -> ParsedSitemap:
    """Parse a (possibly gzipped) sitemap or sitemap index. Raises SitemapError."""
    data = _inflate(body, limit)
    if len(data) > limit:
        raise SitemapError(f"sitemap larger than {limit} bytes")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SitemapError(f"unsafe XML refused ({type(exc).__name__})") from None
    except ParseError as exc:
        raise SitemapError(f"not well-formed XML: {exc}") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"not a sitemap (root element <{kind}>)")
    child = "url" if kind == "urlset" else "sitemap"
    entries: list[SitemapEntry] = []
    for element in root:
        if _local(element.tag) != child:
            continue
        loc = lastmod = None
        for part in element:
            name = _local(part.tag)
            if name == "loc" and part.text:
                loc = part.text.strip()
            elif name == "lastmod" and part.text:
                lastmod = part.text.strip()
        if loc and urlsplit(loc).scheme in ("http", "https"):
            entries.append(SitemapEntry(normalise_url(loc), lastmod))
    if kind == "urlset":
        return ParsedSitemap(urls=entries, sitemaps=[])
    return ParsedSitemap(urls=[], sitemaps=entries)


@dataclass
class SitemapResult:
    entries: list[SitemapEntry]  # page URLs, newest lastmod first, then file order
    files: int = 0  # sitemap files fetched
    errors: int = 0


def collect(client, source: Source, sitemap_urls: list[str], *, limit_urls: int = 50_000,
            keep: Callable[[str], bool] | None = None) -> SitemapResult:
    """Fetch sitemaps through `client` (so they are archived and replayable), descending into
    indexes, and return the page URLs they list that `keep` accepts (the crawl's link rule: the
    limit counts only URLs the source may fetch, so topic pages at the end of a 50,000-URL sitemap
    are not crowded out). Bad sitemaps are logged and skipped."""
    result = SitemapResult(entries=[])
    seen_files: set[str] = set()
    seen_urls: set[str] = set()
    queue = [(normalise_url(u), 0) for u in sitemap_urls]
    while queue and result.files < MAX_SITEMAP_FILES and len(result.entries) < limit_urls:
        url, nesting = queue.pop(0)
        if url in seen_files:
            continue
        seen_files.add(url)
        page = client.get(url, source)
        result.files += 1
        if page.error or page.status != 200:
            result.errors += 1
            log.warning("sitemap %s: %s", url, page.error or f"HTTP {page.status}")
            continue
        try:
            parsed = parse_sitemap(page.body)
        except SitemapError as exc:
            result.errors += 1
            log.warning("sitemap %s: %s", url, exc)
            continue
        for entry in parsed.sitemaps:
            if nesting + 1 <= MAX_INDEX_NESTING:
                queue.append((entry.url, nesting + 1))
        for entry in parsed.urls:
            if entry.url not in seen_urls and (keep is None or keep(entry.url)):
                seen_urls.add(entry.url)
                result.entries.append(entry)
    # newest first so that max_pages keeps the most recent pages; stable otherwise
    result.entries.sort(key=lambda e: e.lastmod or "", reverse=True)
    del result.entries[limit_urls:]
    return result
