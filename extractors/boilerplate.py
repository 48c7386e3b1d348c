"""Press-release boilerplate that carries no facts of its own: the "Om <organisation>" blurb,
contact people and "För mer information" blocks at the end of a release.

Newsroom platforms (mynewsdesk, via.tt.se, cision) and many municipal CMSs mark these blocks
with classes that `common.NOISE_ATTR` already drops; this pass catches the same sections when
they are plain headings or bold labels. The blurb restates standing claims ("X är med sedan
2019", often stale) and contact lines name people with roles and parties out of any context,
so neither may become a fact. A section runs from its label to the next heading of the same or
a higher level (a label that is not a heading: to the next heading).
"""

from __future__ import annotations

import dataclasses
import re

from extractors.common import Block, Page
from klimatkontrakt.normalise.agencies import resolve_agency
from klimatkontrakt.normalise.municipalities import resolve_municipality

_CONTACT_LABEL = re.compile(
    r"^(?:Kontakt(?:person(?:er)?|uppgifter)?|Presskontakt(?:er)?|Pressansvarig|Mediekontakt(?:er)?|"
    r"För\s+mer\s+information(?:,?\s+kontakta)?|För\s+ytterligare\s+information(?:,?\s+kontakta)?|"
    r"Mer\s+information(?:,?\s+kontakta)?|Frågor\s+besvaras\s+av|"
    r"(?:Media|Press)\s+contacts?|For\s+(?:more|further)\s+information(?:,?\s+(?:please\s+)?contact)?)\s*:?$",
    re.IGNORECASE,
)
_ABOUT_LABEL = re.compile(r"^(?:Om|About)\s+(?P<org>.{2,60}?)\s*:?$")


def is_boilerplate_label(text: str) -> bool:
    """A short line that opens a contact block or an "Om <organisation>" blurb."""
    t = " ".join(text.split())
    if len(t) > 70:
        return False
    if _CONTACT_LABEL.match(t):
        return True
    m = _ABOUT_LABEL.match(t)
    if not m:
        return False
    org = m.group("org")
    return bool(re.search(r"\b(?:kommun|stad|Stad|municipality|City|region|Region)\b", org) and resolve_municipality(org)
                or resolve_agency(org) or re.fullmatch(r"Viable\s+Cities|(?:the\s+)?(?:company|företaget)", org, re.I))


def drop_boilerplate_sections(page: Page) -> Page:
    """The page without contact and "Om <organisation>" sections (blocks renumbered)."""
    kept: list[Block] = []
    cut_level: int | None = None  # 7: a non-heading label, cut to the next heading of any level
    for block in page.blocks:
        if cut_level is not None:
            if block.is_heading and block.level <= cut_level:
                cut_level = None
            else:
                continue
        if kept and is_boilerplate_label(block.text):
            cut_level = block.level if block.is_heading else 7
            continue
        kept.append(dataclasses.replace(block, index=len(kept)))
    return dataclasses.replace(page, blocks=kept)
