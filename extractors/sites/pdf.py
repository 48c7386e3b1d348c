"""PDF documents, any source (a thin site family): the facts a PDF states (targets, signings, ...)
and, for a contract, its own record and one commitment per numbered section
(`extractors/facts/contracts.py`). The text is the PDF's, pages joined by form feeds
(`extractors/pdf.py`)."""

from __future__ import annotations

import dataclasses

from extractors.facts import extract_facts
from extractors.facts.contracts import read_contract, sections
from extractors.page import url_date
from extractors.pdf import PAGE_BREAK
from extractors.text import page_from_text
from klimatkontrakt.core.model import Extraction, Source


def extract(url: str, text: str, source: Source) -> Extraction:
    page = page_from_text(url, text, published_on=url_date(url))
    cover = text.split(PAGE_BREAK, 1)[0]
    contract = read_contract(cover, text.count(PAGE_BREAK) + 1)
    own = contract.municipality_code if contract else source.municipality_code
    facts = extract_facts(page, own, is_viablecities=source.extractor == "viablecities" and contract is None)
    if contract is None:
        return facts
    return dataclasses.replace(facts, title=contract.title, contract=contract, commitments=tuple(sections(page)))
