"""Extractors: pure functions `(url, html, source) -> Extraction`, one module per site family
(`extractors/sites/`) over the document model (`common`, `page`, `document`, `text`), read by one
rule per fact kind (`extractors/facts/`).

REGISTRY names: "viablecities" (viablecities.se, Swedish and /en/), "municipal" (Sitevision,
WordPress/Municipio, newsroom press releases, generic fallback), "pdf" (a PDF's text, any source:
contracts and their sections, and the facts it states).
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.sites import municipal, pdf, viablecities
from klimatkontrakt.core.model import Extraction, Source

Extractor = Callable[[str, str, Source], Extraction]

REGISTRY: dict[str, Extractor] = {
    "viablecities": viablecities.extract,
    "municipal": municipal.extract,
    "pdf": pdf.extract,
}


def extractor_name(kind: str | None, source: Source) -> str:
    """The extractor of a fetched body: the source's for its pages, "pdf" for a PDF's text."""
    return "pdf" if kind == "pdf" else source.extractor


def get_extractor(name: str) -> Extractor:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r} (known: {', '.join(sorted(REGISTRY))})") from None
