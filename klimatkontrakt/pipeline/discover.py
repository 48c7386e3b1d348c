"""Discover: the municipalities the run should watch that no `[[source]]` names.

Two ways in, both without an edit to the sources file: every municipality with a known website
(`[municipal_sites] all = true`), and every municipality the data shows in the initiative (a
membership or a signing, read this night from viablecities.se or kept from the previous run),
whose own site is then crawled the same night and every night after. A generated source crawls
the site's root, its sitemaps and its news listings for pages on the topic, within a budget
(`core.config.SiteTemplate`); a hand-written entry for the same municipality takes its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from klimatkontrakt.core import reference
from klimatkontrakt.core.config import SiteTemplate
from klimatkontrakt.core.model import Extraction, Source
from klimatkontrakt.pipeline.collect import SourceResult
from klimatkontrakt.store.state import PreviousState

SOURCE_PREFIX = "site-"  # generated sources are "site-<municipality code>"


def site_source(m: reference.Municipality, template: SiteTemplate) -> Source | None:
    """The generated source watching `m`'s own website; None when no website is known."""
    if not m.website:
        return None
    parts = urlsplit(m.website)
    bare = parts.netloc.removeprefix("www.")
    prefixes = tuple(dict.fromkeys(f"{parts.scheme}://{h}/" for h in (parts.netloc, bare, f"www.{bare}")))
    return Source(
        id=f"{SOURCE_PREFIX}{m.code}", extractor="municipal", start_urls=(m.website,), municipality_code=m.code,
        allowed_prefixes=prefixes, discover_sitemaps=True, max_pages=template.max_pages, max_depth=template.max_depth,
        # a news listing is fetched (a link to it passes) and leads on (its links are followed)
        url_patterns=(*template.url_patterns, *template.hub_patterns), keywords=template.keywords,
        hub_patterns=template.hub_patterns, start_relevant=False,  # a home page is read only when it mentions the topic
        delay_seconds=template.delay_seconds, pdfs=template.pdfs,
    )


def site_sources(codes: Iterable[str], sources: Iterable[Source], template: SiteTemplate) -> list[Source]:
    """Generated sources for `codes`, in code order, but for municipalities that a source in
    `sources` already names (hand-written entries override generated ones)."""
    named = {s.municipality_code for s in sources if s.municipality_code}
    taken = {s.id for s in sources}
    by_code = dict(reference.municipalities_by_code())
    for code, website in template.websites:
        if code in by_code:
            by_code[code] = replace(by_code[code], website=website)
    out = []
    for code in sorted(set(codes) - named):
        source = site_source(by_code[code], template) if code in by_code else None
        if source is not None and source.id not in taken:
            out.append(source)
    return out


def initiative_members(extractions: Iterable[Extraction | None]) -> set[str]:
    """Municipalities that extractions show in the initiative: a membership or a signing."""
    codes: set[str] = set()
    for e in extractions:
        if e is None:
            continue
        codes.update(m.municipality_code for m in e.memberships if m.municipality_code)
        codes.update(s.municipality_code for s in e.signings if s.municipality_code)
    return codes


def batches(groups: list[list[Source]], per_task: int) -> list[list[list[Source]]]:
    """Host groups as the night's collect tasks: each group of the sources file a task of its own
    (its log and task run named after it), the generated sites `per_task` to a task."""
    generated = [all(s.id.startswith(SOURCE_PREFIX) for s in g) for g in groups]
    own = [[g] for g, gen in zip(groups, generated) if not gen]
    sites = [g for g, gen in zip(groups, generated) if gen]
    return own + [sites[i:i + per_task] for i in range(0, len(sites), per_task)]


def candidates(sources: list[Source], template: SiteTemplate) -> list[Source]:
    """The generated source of every municipality with a website that no entry of `sources` names."""
    return site_sources((m.code for m in reference.municipalities()), sources, template)


def first_round(sources: list[Source], generated: list[Source], template: SiteTemplate,
                previous: PreviousState) -> list[Source]:
    """What the night crawls first: the sources file's entries, and the generated sources of all
    municipalities (`all`) or of those the previous run found in the initiative."""
    if template.all:
        return [*sources, *generated]
    known = initiative_members(previous.extractions.values())
    return [*sources, *(s for s in generated if s.municipality_code in known)]


def found_in(results: list[SourceResult], generated: list[Source], crawled: list[Source]) -> list[Source]:
    """The generated sources of municipalities this night's pages show in the initiative that
    were not crawled yet: to crawl the same night."""
    members = initiative_members(e for r in results for e in r.extractions)
    done = {s.id for s in crawled}
    return [s for s in generated if s.municipality_code in members and s.id not in done]
