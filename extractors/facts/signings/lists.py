"""Signings stated by lists: a block of signing parties ("Signerande parter", "Kommuner: A, B och
C") and a list of the signed documents, one link per party ("Ystads klimatkontrakt"), under a
heading that names the contract or its version. Their parties are listed."""

from __future__ import annotations

import re

from extractors.common import normalise_ws
from extractors.document import (
    Document,
)
from extractors.facts.signings.statement import (
    LISTED,
    Statement,
    resolve_party,
    version_of,
)
from extractors.vocabulary import (
    K2030,
    LOI,
    RX_CONTRACT_WORD,
    RX_DOCUMENT_ITEM,
    RX_EU_CCC,
    RX_K2030_CONTEXT,
    RX_K2030_EXPLICIT,
    RX_LOI,
    RX_LOOKALIKE,
    RX_PARTIES_LABEL,
    RX_PARTY_LINE,
    RX_QUOTE_START,
)


def party_blocks(doc: Document) -> list[Statement]:
    """"Signerande parter" followed by a list (after the colon, or the next blocks), and its
    labelled lines "Kommuner: A, B och C", "Myndigheter: ...": listed parties of the section's
    signing."""
    out: list[Statement] = []
    if not doc.about_k2030:
        return out
    blocks = doc.page.blocks
    for i, b in enumerate(blocks):
        m = RX_PARTIES_LABEL.match(b.text)
        if not m:
            continue
        anchor = doc.first_sentence(b)
        if anchor is None:
            continue
        items: list[str] = []
        rest = b.text[m.end():].strip()
        if rest:
            items += _split_items(rest)
        j = i + 1
        in_list = j < len(blocks) and blocks[j].list_no
        while j < len(blocks) and not rest:
            nb = blocks[j]
            if nb.is_heading or len(nb.text) > 400 or RX_QUOTE_START.match(nb.text) or (in_list and nb.list_no != in_list):
                break
            parts = _split_items(RX_PARTY_LINE.sub("", nb.text))
            if not any(resolve_party(p) != (None, None) for p in parts):
                break
            items += parts
            j += 1
        parties = [p for p in map(resolve_party, items) if p != (None, None)]
        if not parties:
            continue
        evidence = normalise_ws(f"{b.text.split(':')[0].strip()}: " + ", ".join(normalise_ws(x) for x in items))
        out.append(Statement(K2030, [c for c, _ in parties if c], [o for _, o in parties if o], evidence, LISTED,
                             None, None, None, doc.occasion(anchor)))
    return out


def _split_items(text: str) -> list[str]:
    """The parties of a list line: the line when it names one ("Swedish Agency for Economic and
    Regional Growth"), else its comma-and-"och" items."""
    if resolve_party(text) != (None, None):
        return [text]
    return [x for x in re.split(r"\n|;|,\s*(?=[A-ZÅÄÖ])|\s+och\s+|\s+and\s+|\s+samt\s+", text) if x.strip()]


def document_lists(doc: Document) -> list[Statement]:
    """Lists of links to each party's contract document ("Ystads klimatkontrakt", "Umeå
    municipality's Climate City Contract", "Avsiktsförklaring – Borås") under a heading or an
    intro naming the contract or its version: one listed signing per item."""
    out: list[Statement] = []
    for items in doc.lists():
        if len(items) < 2 or not all(b.links for b in items) or not any(RX_DOCUMENT_ITEM.search(b.text) for b in items) \
                or any(RX_LOOKALIKE.search(b.text) for b in items):
            continue
        first = doc.first_sentence(items[0])
        if first is None:
            continue
        context = " ".join((*first.headings, doc.intro(items[0])))
        heading_words = " ".join(first.headings)
        contract = LOI if RX_LOI.search(heading_words or context) else K2030
        if contract == K2030 and not RX_K2030_EXPLICIT.search(heading_words):
            if not (RX_K2030_CONTEXT.search(context) or RX_CONTRACT_WORD.search(context) or doc.about_k2030) \
                    or RX_LOOKALIKE.search(context) or RX_EU_CCC.search(context):
                continue
        munis = []
        for b in items:
            code, _ = resolve_party(RX_DOCUMENT_ITEM.sub(" ", b.text))
            if code and code not in munis:
                munis.append(code)
        if len(munis) < max(2, len(items) * 2 // 3):
            continue  # a list of links that are not each a party's contract
        heading = next((h for h in first.headings if version_of(h) or RX_LOI.search(h)), first.heading)
        out.append(Statement(contract, munis, [], normalise_ws(f"{heading or ''}: " + ", ".join(b.text for b in items)),
                             LISTED, None, version_of(context), None, doc.occasion(first)))
    return out


