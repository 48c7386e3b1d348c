"""Fact rules, one module per fact kind, over the document model (`extractors.document`).

Every rule works on sentences with their context (nearest heading, the year section
"2023 – <tema>", a "<Stad> kommun" quote heading, the page's own municipality) and keeps the
sentence as evidence. Nothing here knows which cities signed when: a fact is emitted only when
the page says it.
"""

from __future__ import annotations

from extractors.common import Page
from extractors.document import read_document
from extractors.facts.events import find_events
from extractors.facts.launches import find_launches
from extractors.facts.memberships import find_memberships
from extractors.facts.roles import find_roles
from extractors.facts.signings import read_signings
from extractors.facts.targets import find_targets
from klimatkontrakt.core.model import Extraction


def extract_facts(page: Page, own_code: str | None, is_viablecities: bool = False) -> Extraction:
    doc = read_document(page, own_code, is_viablecities)
    signings, occasion_days = read_signings(doc)
    return Extraction(
        title=page.title,
        published_on=page.published_on,
        language=page.language,
        signings=tuple(signings),
        events=tuple(find_events(doc, occasion_days) + find_launches(doc)),
        roles=tuple(find_roles(doc)),
        memberships=tuple(find_memberships(doc)),
        targets=tuple(find_targets(doc)),
    )