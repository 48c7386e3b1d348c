"""Municipal sites: Sitevision first, then WordPress/Municipio, newsroom press releases and a
generic fallback.

Sitevision keeps the article text in `div.sv-text-portlet-content` blocks inside nested
`div.sv-row`/`div.sv-layout`; the content root is the element holding the h1 and those
portlets (the page body minus header, menus and footers). The source's municipality_code is
the default party/municipality unless a sentence names others.
"""

from __future__ import annotations

from extractors.common import parse_page
from extractors.facts import extract_facts
from klimatkontrakt.model import Extraction, Source

SELECTORS = (
    # Sitevision: the main content region (ids/classes vary; main or role=main is common)
    "//main[.//div[contains(@class,'sv-text-portlet-content')]]",
    "//*[@id='svid12_content' or @id='content' or @id='main-content' or @id='innehall']"
    "[.//div[contains(@class,'sv-text-portlet-content')]]",
    # WordPress / Municipio
    "//article[.//div[contains(@class,'entry-content') or contains(@class,'article-body') or contains(@class,'c-article')]]",
    "//div[contains(@class,'entry-content')]/..",
    # newsroom platforms (mynewsdesk, cision, via.tt.se)
    "//article[contains(@class,'press-release') or contains(@class,'release')]",
    "//div[contains(@class,'release-body') or contains(@class,'newsroom-body')]/..",
)


def extract(url: str, html: str, source: Source) -> Extraction:
    page = parse_page(url, html, SELECTORS)
    return extract_facts(page, source.municipality_code, is_viablecities=False)
