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
* links to PDFs are followed like pages when `source.pdfs` (the default): a PDF's text is read
  (`klimatkontrakt/fetch/pdfs.py`), it is relevant when it mentions a keyword, it has no links.
  Links to other documents (.docx, images, ...), and to PDFs without `source.pdfs`, are not
  fetched: they are listed in `CrawlResult.documents`.
* keywords: a page past the start URLs whose text mentions none of them (case-insensitive)
  is kept in `pages` but is not in `relevant_urls` and its links are not followed; the flow
  extracts only `relevant_pages()`. A page matching one of `hub_patterns` (a news listing) has
  its links followed though it mentions no keyword; it is not extracted unless it does. So are the
  start URLs of a source with `start_relevant = False` (a municipality's home page).
* `<meta name="robots" content="nofollow">` stops link following on that page.
* incremental crawling (`known`, the previous run's page state of this source): a page is
  *unchanged* when it answers 304 Not Modified, or when it answers 200 with the same final URL
  and the same normalised text (`text_sha256`) as last time. An unchanged page is listed in
  `CrawlResult.unchanged_urls` (the flow reuses its previous extraction instead of extracting
  it again). A 304 page has no body: its relevance and links come from `known` (so the crawl
  goes on past it exactly as if it had been downloaded); without a `known` entry its links are
  not followed in that run. A known relevant page that fails for now (`failed_for_now`: no
  answer, 429, 5xx) leads on through its links of last time too, so a night when an index page
  is down still reaches, and fetches anew, the pages behind it.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from klimatkontrakt.core.model import DISALLOWED, NOT_ARCHIVED, FetchedPage, Source
from klimatkontrakt.fetch import sitemaps as sitemaps_mod
from klimatkontrakt.fetch.pdfs import is_pdf_link
from klimatkontrakt.fetch.reading import LinkRule, PageReading, ReadRequest
from klimatkontrakt.fetch.urls import normalise_url

log = logging.getLogger(__name__)

DOCUMENT_EXTENSIONS = frozenset(
    ".pdf .doc .docx .odt .rtf .xls .xlsx .ods .csv .ppt .pptx .odp .zip .gz .7z .rar "
    ".jpg .jpeg .png .gif .webp .svg .bmp .tif .tiff .ico .mp3 .mp4 .m4a .mov .avi .webm "
    ".ics .vcf .exe .dmg .iso .eps .ai .psd".split()
)


@dataclass(frozen=True)
class KnownPage:
    """What the previous run learnt about one URL of this source (see `klimatkontrakt/store/state.py`)."""

    final_url: str
    text_sha256: str | None = None
    links: tuple[str, ...] | None = None  # links the crawl may follow from the page; None: none
    relevant: bool = False  # the page was worth extracting (start URL or mentions a keyword)

    def unchanged_sha256(self, final_url: str) -> str | None:
        """The text hash that makes a page answered at `final_url` unchanged: the stored one, if
        the page still ends at the same URL."""
        return self.text_sha256 if normalise_url(self.final_url) == normalise_url(final_url) else None


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


# Reads a page for the crawl: returns the function that gives the reading (now or later)
Reader = Callable[[FetchedPage, ReadRequest, "KnownPage | None"], Callable[[], PageReading]]


def read_now(page: FetchedPage, request: ReadRequest, previous: KnownPage | None) -> Callable[[], PageReading]:
    reading = request.read()
    return lambda: reading


class _Frontier:
    def __init__(self, source: Source):
        self.rule = LinkRule.of(source)
        self.queue: deque[tuple[str, int]] = deque()
        self.seen: set[str] = set()

    def allowed(self, url: str) -> bool:
        return self.rule.allowed(url)

    def add(self, url: str, depth: int) -> bool:
        if url in self.seen:
            return False
        self.seen.add(url)
        self.queue.append((url, depth))
        return True


def failed_for_now(page: FetchedPage) -> bool:
    """A failure that says nothing about the page itself (no answer, 429, 5xx): what the page said
    last time still holds, its facts and its links. A 404 or 410 does say something."""
    return page.error is not None and page.error != NOT_ARCHIVED and (page.status is None or page.status == 429
                                                                       or page.status >= 500)


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
    reader: Reader = read_now,
    window: int = 1,
) -> CrawlResult:
    """Crawl one source sequentially; never raises for HTTP trouble (see FetchedPage.error).

    `known`: the previous run's state of this source's pages by URL (incremental crawling, see
    the module docstring); None or empty crawls as if for the first time.
    `on_done(page, relevant, unchanged)`: called once the crawler is done with a page; what it
    returns replaces the page in the result (the flow extracts there and keeps a slim copy, so a
    source's pages are never all in memory with their bodies).
    `reader`, `window`: who reads page bodies (`read_now`: this thread, at once), and how many
    fetched pages may wait for their reading (see `pending` below).
    """
    known = {normalise_url(u): k for u, k in (known or {}).items()}
    stats = dict.fromkeys(
        ("fetched", "unchanged", "same_text", "failed", "skipped_robots", "not_archived", "truncated",
         "irrelevant", "documents", "sitemap_urls", "sitemap_errors", "pages"), 0)
    result = CrawlResult(pages=[], stats=stats)
    frontier = _Frontier(source)
    keywords = tuple(k.casefold() for k in source.keywords if k.strip())
    hubs = tuple(re.compile(p) for p in source.hub_patterns)
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
        found = sitemaps_mod.collect(client, source, sitemap_urls, limit_urls=max(10 * source.max_pages, 1000),
                                     keep=lambda u: frontier.allowed(u) and not is_document(u))
        stats["sitemap_errors"] = found.errors
        for entry in found.entries:
            if frontier.allowed(entry.url) and not is_document(entry.url) and frontier.add(entry.url, 0):
                stats["sitemap_urls"] += 1
                if entry.lastmod:
                    result.sitemap_lastmod[entry.url] = entry.lastmod

    # links _follow has decided on: deciding again changes nothing (the rule is fixed, a document
    # is listed once, a page queued once), and menus repeat a few hundred links on every page
    followed: set[str] = set()
    # Fetched pages whose reading is not used yet, in fetch order: with a `reader` that reads in
    # other processes the crawl fetches up to `window` pages ahead; their readings are used in
    # fetch order, and a page's final URL counts as seen only then, so the pages, their order and
    # what is followed are exactly those of reading each page before fetching the next.
    pending: deque[tuple[int, FetchedPage, int, KnownPage | None, Callable[[], PageReading] | None]] = deque()
    same_urls: dict[str, str] = {}

    def finish(index: int, page: FetchedPage, depth: int, previous: KnownPage | None,
               reading_of: Callable[[], PageReading] | None) -> None:
        try:
            frontier.seen.add(normalise_url(page.final_url))
            if page.from_cache:
                # 304 Not Modified: no body; what the page said last time still holds.
                result.unchanged_urls.add(page.url)
                if previous is None or not (previous.relevant or previous.links):
                    return  # (a listing page that mentions no keyword has its links of last time)
                if previous.relevant:
                    result.relevant_urls.add(page.url)
                links = list(previous.links) if previous.links is not None else None
                result.links[page.url] = links
                if previous.text_sha256:
                    result.text_hashes[page.url] = previous.text_sha256
                if links is not None and depth < source.max_depth:
                    _follow(links, depth, frontier, followed, result, source.pdfs)
                return
            if reading_of is None:
                # no answer for now: the links it had last time still lead on, so one failing
                # index page does not hide the rest of its site for a night
                if failed_for_now(page) and previous is not None and (previous.relevant or previous.links) \
                        and previous.links is not None and depth < source.max_depth:
                    _follow(previous.links, depth, frontier, followed, result, source.pdfs)
                return
            reading = reading_of()
            result.text_hashes[page.url] = reading.text_sha256
            if previous is not None and previous.unchanged_sha256(page.final_url) == reading.text_sha256:
                result.unchanged_urls.add(page.url)
                stats["same_text"] += 1
            if not reading.relevant:
                stats["irrelevant"] += 1
                if reading.links is None:
                    log.debug("%s: mentions none of the keywords; links not followed", page.url)
                    return
                # a listing page (hub_patterns): not extracted, but its links lead on
                result.links[page.url] = list(reading.links)
                if depth < source.max_depth:
                    _follow(reading.links, depth, frontier, followed, result, source.pdfs)
                return
            result.relevant_urls.add(page.url)
            # one string per URL: a worker's reading arrives with its own copies of the menu links
            # that every page repeats (about 270 a page)
            links = None if reading.links is None else [same_urls.setdefault(u, u) for u in reading.links]
            result.links[page.url] = links
            if links is not None and depth < source.max_depth:
                _follow(links, depth, frontier, followed, result, source.pdfs)
        finally:
            if on_done is not None:
                result.pages[index] = on_done(page, page.url in result.relevant_urls, page.url in result.unchanged_urls)

    while frontier.queue or pending:
        if not frontier.queue or len(result.pages) >= source.max_pages or len(pending) >= window:
            if not pending:
                break
            finish(*pending.popleft())
            continue
        url, depth = frontier.queue.popleft()
        page = client.get(url, source)
        result.pages.append(page)
        result.depths[page.url] = depth
        stats[_classify(page)] += 1
        stats["truncated"] += page.truncated
        if on_page is not None:
            on_page(page)
        previous = known.get(url)
        reading_of = None
        if not page.from_cache and page.text is not None:
            start_page = url in start_set
            reading_of = reader(page, ReadRequest(page.text, page.final_url, start_page and source.start_relevant, keywords,
                                                  frontier.rule, "pdf" if page.is_pdf else "html",
                                                  is_hub=start_page or any(h.search(page.final_url) for h in hubs)), previous)
        pending.append((len(result.pages) - 1, page, depth, previous, reading_of))

    stats["documents"] = len(result.documents)
    stats["pages"] = len(result.pages)
    left = len(frontier.queue)
    log.debug("source %s: %d page(s) (%s)%s", source.id, len(result.pages),
             ", ".join(f"{k}={v}" for k, v in stats.items() if v and k != "pages"),
             f"; max_pages reached with {left} URL(s) left" if left else "")
    return result


def _follow(links: Sequence[str], depth: int, frontier: _Frontier, followed: set[str], result: CrawlResult,
            pdfs: bool) -> None:
    for link in links:
        if link in followed:
            continue
        followed.add(link)
        if not frontier.allowed(link):
            continue
        if is_document(link) and not (pdfs and is_pdf_link(link)):
            result.documents.append(link)
            continue
        frontier.add(link, depth + 1)
