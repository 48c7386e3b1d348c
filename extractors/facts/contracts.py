"""Contract documents: a Klimatkontrakt 2030's (or an EU Climate City Contract's) own record and
one commitment per numbered section, read from its text.

A contract is recognised by its cover: the contract's name, then "Mellan <kommun> och
myndigheterna ... samt Viable Cities." (the parties: the municipality, the agencies named and
Viable Cities). The version is the one the cover states ("VERSION 2023", "2023 års version").
Sections are the document's numbered headings ("3.4 Samverkan med ..."): each with its text up
to the next numbered heading and the page it starts on. Whose commitments a section holds is
read from its top-level title ("3. Kommunens åtaganden": the municipality; "5. Myndigheternas
åtaganden": the agencies; "4. Viable Cities åtaganden" or a named agency: that organisation),
vocabulary [contract_party]; a section naming none is everyone's ("all").
"""

from __future__ import annotations

import re

from extractors.common import Page
from klimatkontrakt.core.model import Commitment, Contract
from klimatkontrakt.normalise.agencies import find_agencies
from klimatkontrakt.normalise.municipalities import find_municipalities
from klimatkontrakt.normalise.vocabulary import patterns, vocabulary

_P = patterns()
_RX_SECTION = re.compile(r"^(?P<path>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
_RX_EU_CONTRACT = re.compile(r"\bClimate\s+City\s+Contract\b", re.IGNORECASE)


def read_contract(cover: str, pages: int) -> Contract | None:
    """The contract a cover page names, or None for a document that is no contract."""
    flat = " ".join(cover.split())
    named = _P["contract_title"].search(flat)
    between = _P["contract_parties"].search(flat)
    if named is None or between is None:
        return None
    parties = between.group("parties")
    municipalities = [m.code for m in find_municipalities(parties)]
    if not municipalities:
        return None
    version = _P["contract_version"].search(flat)
    year = int(version.group("year") or version.group("year2")) if version else None
    orgs = list(dict.fromkeys(a.organisation_id for a in find_agencies(parties)))
    if re.search(r"\bViable\s+Cities\b", parties) and "viable-cities" not in orgs:
        orgs.append("viable-cities")
    eu = _RX_EU_CONTRACT.search(flat[:named.end()]) is not None
    title = " ".join(named.group(0).split()[:2]) if not eu else "Climate City Contract"
    return Contract(contract="eu-climate-city-contract" if eu else "klimatkontrakt-2030",
                    municipality_code=municipalities[0], version_year=year, title=title,
                    parties=tuple(orgs), pages=pages)


def sections(page: Page) -> list[Commitment]:
    """One commitment per numbered section that has text (a contents entry has none)."""
    found: dict[str, Commitment] = {}
    current: tuple[str, str, int | None] | None = None
    texts: list[str] = []
    party_of_top: dict[str, str] = {}

    def close() -> None:
        if current is not None and texts:
            path, title, page_no = current
            top = path.split(".")[0]
            found.setdefault(path, Commitment(path, title, party_of_top.get(top, "all"), "\n".join(texts), page_no))

    for block in page.blocks:
        numbered = _RX_SECTION.match(block.text) if block.is_heading else None
        if numbered:
            close()
            path, title = numbered.group("path"), numbered.group("title").strip()
            if "." not in path:
                party_of_top[path] = party_of(title)
            current, texts = (path, title, block.page_no), []
        elif current is not None and block.tag != "footnote":
            texts.append(block.text)
    close()
    return list(found.values())


def party_of(title: str) -> str:
    """Whose commitments a top-level section title announces."""
    low = title.casefold()
    agencies = find_agencies(title)
    if len(agencies) == 1:
        return agencies[0].organisation_id
    first = []  # (where, party): the first party named is the one the title is about
    for party, words in vocabulary()["contract_party"].items():
        for word in words:
            m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low)
            if m:
                first.append((m.start(), party))
    return min(first)[1] if first else "all"
