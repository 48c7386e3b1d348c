"""viablecities.se, a thin site family (WordPress; Swedish at /..., machine-translated English twin at /en/...).

Project pages (`/satsningar/...`, `/projekt/...`) also yield a `projects` record.

The Klimatkontrakt page has a background, then one section per year ("2023 – <tema>") with
"Signerande parter" and one quote per city under a "<Stad> kommun" heading; event pages per
year; news posts; funding calls (`/utlysningar/utlysning-<n>/`: they name the contract and cities
but sign nothing); tag and archive listings, which give no facts (`listing`). Old slugs drop
å/ä/ö (`/vad-hnder-nu/`): nothing here reads the slug. The logo link and the menu are dropped
before reading the text.
"""

from __future__ import annotations

import dataclasses

from extractors.facts import extract_facts
from extractors.facts.projects import find_projects, is_project_page
from extractors.listing import is_listing, listing_extraction
from extractors.page import parse_page
from klimatkontrakt.core.model import Extraction, Source

# article containers of the old and the 2025 layouts, before the generic main/article/body
SELECTORS = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]/ancestor::article[1]",
    "//article[contains(@class,'post') or contains(@class,'page')]",
    "//main",
    "//div[@id='content']",
)


def extract(url: str, html: str, source: Source) -> Extraction:
    page = parse_page(url, html, SELECTORS)
    if is_listing(url, html):
        return listing_extraction(page)
    extraction = extract_facts(page, source.municipality_code, is_viablecities=True)
    if is_project_page(url):
        extraction = dataclasses.replace(extraction, projects=tuple(find_projects(page)))
    return extraction
