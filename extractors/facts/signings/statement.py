"""A reading of one signing: its contract, parties, what the text gives of its date and version,
and how it is stated; and the helpers the readers share (versions, a list item's party)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from extractors.common import normalise_ws
from extractors.vocabulary import (
    RX_VERSION,
)
from klimatkontrakt.normalise.agencies import find_agencies, resolve_agency
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    resolve_municipality,
)

REPORTED, ANNOUNCED, LISTED = "reported", "announced", "listed"


@dataclass
class Statement:
    """One reading of a signing: its parties and what the text gives of its date and version."""

    contract: str
    munis: list[str]
    orgs: list[str]
    evidence: str
    stated_as: str
    signed_on: date | None = None
    version: str | None = None
    event: str | None = None
    occasion: int = 0  # statements of one occasion share a date and a version
    own_date: bool = False  # the date is this statement's own (written in its sentence)
    at_event: bool = False  # the sentence names European Viable Cities Day
    generic: bool = False  # "Kontraktet tecknas mellan ...": a signing only when the occasion has a day
    past: bool = False  # written in a past tense
    dated_by: bool = False  # its day came from another statement of the occasion
    earlier: bool = False  # placed before the page's news, undated ("Tidigare har Stockholm fått ..."): no occasion's day


def version_of(text: str) -> str | None:
    m = RX_VERSION.search(text)
    return normalise_ws(m.group(0).strip("()")) if m else None



def year_of(version: str) -> str:
    found = re.search(r"(?:19|20)\d\d", version)
    return found.group() if found else version



def resolve_party(text: str) -> tuple[str | None, str | None]:
    """(municipality code, organisation id) of a list item that names one party, else (None, None)."""
    t = normalise_ws(text).strip(" .:•-–*")
    if not t or len(t) > 90:
        return None, None
    org = resolve_agency(t)
    if org:
        return None, org
    found = find_agencies(t)
    if len(found) == 1:
        return None, found[0].organisation_id
    code = resolve_municipality(t)
    if code:
        return code, None
    munis = find_municipalities(t, strict=False)
    if len(munis) == 1 and (munis[0].start == 0 or re.match(r"\s*(?:kommun|[Ss]tad|municipality|City)\b", t[munis[0].end:])
                            or re.search(r"(?:City|Municipality)\s+of\s+$", t[:munis[0].start])):
        return munis[0].code, None
    return None, None


