"""Extractors: pure functions `(url, html, source) -> Extraction`, one module per site family.

REGISTRY names: "viablecities" (viablecities.se, Swedish and /en/), "municipal" (Sitevision,
WordPress/Municipio, newsroom press releases, generic fallback).
"""

from __future__ import annotations

from collections.abc import Callable

from extractors import municipal, viablecities
from klimatkontrakt.model import Extraction, Source

Extractor = Callable[[str, str, Source], Extraction]

REGISTRY: dict[str, Extractor] = {
    "viablecities": viablecities.extract,
    "municipal": municipal.extract,
}


def get_extractor(name: str) -> Extractor:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r} (known: {', '.join(sorted(REGISTRY))})") from None
