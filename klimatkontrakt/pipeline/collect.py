"""Collect: crawl one source and read its relevant pages, reusing what unchanged pages said.

A source's pages are extracted while its crawl goes on (in worker processes when the crawl is
CPU-bound, a replay; in the crawling thread when it waits on politeness delays, a live crawl),
and each page's body is dropped once read: a source's result holds slim pages and extractions.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from extractors import extractor_name, get_extractor
from klimatkontrakt.core.model import NOT_ARCHIVED, Extraction, FetchedPage, Source
from klimatkontrakt.fetch.crawl import CrawlResult, KnownPage, crawl, failed_for_now
from klimatkontrakt.fetch.plan import FetchPlan, open_client
from klimatkontrakt.fetch.reading import PageReading, ReadRequest
from klimatkontrakt.runtime.workers import ExtractionPool, extraction_pool
from klimatkontrakt.store.state import PreviousState


@dataclass
class SourceResult:
    source: Source
    pages: list[FetchedPage]
    extractions: list[Extraction | None]
    stats: dict = field(default_factory=dict)
    failure: str | None = None  # one line when the source yielded nothing usable
    crawl: CrawlResult | None = None  # links, text hashes, unchanged pages: for page_state
    reused: set[str] = field(default_factory=set)  # page.url of pages whose previous extraction was reused

    @property
    def not_archived(self) -> bool:
        """Replaying an archive that does not cover this source: no failure of the source."""
        return self.failure is None and not any(p.status == 200 or p.from_cache for p in self.pages)

    def report(self) -> str:
        """One line on what the source gave, for the run's log."""
        if self.failure:
            return f"nothing fetched ({self.failure})"
        if self.not_archived:
            return "not in the replay archive, skipped"
        return describe(self.stats)


def collect_sources(sources: list[Source], plan: FetchPlan,
                    previous: PreviousState | None = None) -> tuple[list[SourceResult], dict]:
    """Sources that share a host, crawled one after the other with one client of their own; the
    results and the validators (ETag, Last-Modified) seen."""
    previous = previous or PreviousState()
    # a live crawl waits on politeness delays, not on CPU: it extracts in this thread
    pool = extraction_pool(plan.settings.extract_processes) if plan.cpu_bound else None
    with open_client(plan, sources[0].id, previous.validators) as client:
        results = [collect(source, client, previous, pool) for source in sources]
        return results, dict(client.seen_validators)


def collect_many(groups: list[list[Source]], plan: FetchPlan,
                 previous: PreviousState | None = None) -> tuple[list[SourceResult], dict]:
    """`collect_sources` of several host groups side by side, one thread (and client) each: the
    generated municipal sites, a host each, whose crawls wait on politeness delays. A replay is
    CPU-bound: its groups go one after the other."""
    if len(groups) == 1 or plan.cpu_bound:
        done = [collect_sources(g, plan, previous) for g in groups]
    else:
        with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="site") as pool:
            done = list(pool.map(lambda g: collect_sources(g, plan, previous), groups))
    results, validators = [], {}
    for group_results, seen in done:
        results += group_results
        validators.update(seen)
    return results, validators


def collect(source: Source, client, previous: PreviousState | None = None,
            pool: ExtractionPool | None = None) -> SourceResult:
    """Crawl one source and run its extractor over every relevant HTML page (in `pool`'s worker
    processes while the crawl goes on, or else in this thread).

    With `previous` (incremental runs), a relevant page the crawler found unchanged (304, or the
    same normalised text) is not extracted again: its previous extraction is reused; so is that of
    a page that failed for now (no answer, 429, 5xx), so one bad night does not erase its facts.
    """
    get_extractor(source.extractor)  # an unknown extractor fails before the crawl
    previous = previous or PreviousState()
    extractions: list[Extraction | None] = []
    reused: set[str] = set()

    examined: dict[str, Extraction] = {}  # page.url -> what a worker extracted

    def read_in_worker(page: FetchedPage, request: ReadRequest, known: KnownPage | None):
        # a page found unchanged whose previous extraction is there to reuse is not extracted again
        reusable = known is not None and previous.extraction_for(source.id, page.url) is not None
        ticket = pool.submit(request, extractor_name(page.kind, source) if page.status == 200 else None, source,
                             known.unchanged_sha256(page.final_url) if reusable else None)

        def reading() -> PageReading:
            page_reading, extraction = pool.result(ticket)
            if extraction is not None:
                examined[page.url] = extraction
            return page_reading
        return reading

    def extract_then_slim(page: FetchedPage, relevant: bool, unchanged: bool) -> FetchedPage:
        # unchanged, or unavailable for now (a timeout, a 5xx): what the page said last time holds
        kept = previous.extraction_for(source.id, page.url) if (relevant and unchanged) or failed_for_now(page) else None
        if kept is not None:
            reused.add(page.url)
            extractions.append(kept)
        elif page.text is not None and page.status == 200 and relevant:
            extractions.append(examined.pop(page.url) if pool is not None
                               else get_extractor(extractor_name(page.kind, source))(page.final_url, page.text, source))
        else:
            extractions.append(None)
        return page.slim()  # extracted: the body is no longer needed

    result = crawl(source, client, known=previous.known(source.id), on_done=extract_then_slim,
                   **({"reader": read_in_worker, "window": pool.window} if pool is not None else {}))
    used = sum(e is not None for e in extractions)
    facts = sum(sum(len(v) for v in e.facts().values()) for e in extractions if e is not None)
    stats = dict(result.stats, documents=used, facts=facts, reused=len(reused))
    failure = None
    fetched = any(p.status == 200 or p.from_cache for p in result.pages)
    if not fetched and not all(p.error == NOT_ARCHIVED for p in result.pages):
        errors = [p.error for p in result.pages if p.error]
        failure = errors[0] if errors else "no page could be fetched"
    return SourceResult(source, result.pages, extractions, stats, failure, crawl=result, reused=reused)


def all_unreachable(results: list[SourceResult]) -> bool:
    """True when every failure looks like a network that is not there (DNS, refused, timeout)."""
    markers = ("resolve", "connection", "timed out", "unreachable", "name or service")
    errors = [p.error.lower() for r in results for p in r.pages if p.error]
    return bool(errors) and all(any(m in e for m in markers) for e in errors)


def describe(stats: dict) -> str:
    """One readable line per source, e.g. 'fetched 3 pages, 2 documents, 44 facts, 23 URL(s) not archived'."""
    parts = [f"fetched {stats.get('fetched', 0)} page(s)", f"{stats.get('documents', 0)} document(s)",
             f"{stats.get('facts', 0)} fact(s)"]
    for key, words in (("unchanged", "not modified (304)"), ("same_text", "with unchanged text"),
                       ("reused", "reused from the previous run"), ("failed", "failed"), ("skipped_robots", "skipped by robots.txt"),
                       ("truncated", "truncated"), ("not_archived", "URL(s) not archived")):
        if stats.get(key):
            parts.append(f"{stats[key]} {words}")
    return ", ".join(parts)
