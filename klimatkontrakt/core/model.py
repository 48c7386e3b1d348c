"""Plain data passed between stages.

Stages hand each other these frozen records instead of dicts so that a field
renamed in one stage fails loudly in the next. Nothing here does IO.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Source:
    """One `[[source]]` entry of the sources file."""

    id: str
    extractor: str
    start_urls: tuple[str, ...]
    municipality_code: str | None = None
    allowed_prefixes: tuple[str, ...] = ()  # empty: derived from start_urls (scheme://host/)
    sitemaps: tuple[str, ...] = ()
    discover_sitemaps: bool = False  # also robots.txt `Sitemap:` lines, else /sitemap.xml, per start host
    max_pages: int = 200
    max_depth: int = 2
    url_patterns: tuple[str, ...] = ()  # regexes; when given, only matching links are followed
    keywords: tuple[str, ...] = ()  # when given, pages past the start URLs must mention one
    delay_seconds: float | None = None  # per-host politeness delay; None = settings default
    pdfs: bool = True  # fetch and read the PDFs its pages link to (contracts), under the same rules as pages
    # regexes of listing pages (news, press) whose links are followed though they mention no keyword;
    # they are not extracted unless they do
    hub_patterns: tuple[str, ...] = ()
    # start URLs are read whatever they say; False: they lead on like hubs, read only when they mention a keyword
    start_relevant: bool = True


# FetchedPage.error of a URL a replay archive does not hold, and of one robots.txt forbids
NOT_ARCHIVED = "not archived"
DISALLOWED = "disallowed by robots.txt"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One response as the crawler saw it (live or replayed)."""

    url: str  # the URL that was asked for
    final_url: str  # after redirects
    status: int | None  # None when no response arrived
    content_type: str | None
    body: bytes
    text: str | None  # decoded HTML, or a PDF's text (pages joined by "\f"); None for other bodies or failures
    fetched_at: datetime
    elapsed_ms: int = 0
    error: str | None = None  # one line
    from_cache: bool = False  # 304 / unchanged
    truncated: bool = False
    source_id: str = ""

    body_digest: str | None = None  # sha256 of body, kept when the body is dropped (see slim())
    body_size: int | None = None
    kind: str | None = None  # "html" | "pdf" | None: another body, or not said (a page with text is HTML)

    @property
    def is_html(self) -> bool:
        return self.kind == "html" or (self.kind is None and self.text is not None)

    @property
    def is_pdf(self) -> bool:
        return self.kind == "pdf"

    @property
    def is_readable(self) -> bool:
        """A body the extractors read: an HTML page or a PDF's text."""
        return self.is_html or self.is_pdf

    @property
    def sha256(self) -> str:
        return self.body_digest or hashlib.sha256(self.body or b"").hexdigest()

    @property
    def size(self) -> int:
        return self.body_size if self.body_size is not None else len(self.body or b"")

    def slim(self) -> FetchedPage:
        """This page without its body and text (once extracted), so a run holds thousands of pages
        in little memory; the body's digest and size stay for `documents` and `fetches`."""
        return dataclasses.replace(self, body=b"", text=None, body_digest=self.sha256, body_size=self.size,
                                   kind="html" if self.is_html else self.kind)


# ---- facts an extractor finds on one page (no ids yet: ids are assigned when assembling) ----

@dataclass(frozen=True, slots=True)
class Signing:
    contract: str  # klimatkontrakt-2030 | letter-of-intent | eu-climate-city-contract | eu-mission-label
    evidence: str
    municipality_code: str | None = None
    organisation_id: str | None = None
    signed_on: date | None = None
    contract_version: str | None = None  # as written, e.g. "2023 års version"
    event_name: str | None = None
    stated_as: str | None = None  # reported | announced | listed


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    evidence: str
    kind: str = "other"  # european-viable-cities-day | launch | other
    starts_on: date | None = None
    ends_on: date | None = None
    start_time: str | None = None  # "13:00"
    location: str | None = None  # place, or "online"


@dataclass(frozen=True, slots=True)
class Role:
    person_name: str
    evidence: str
    role: str | None = None  # as written
    role_normalised: str | None = None  # ks-ordforande, kommunalrad, generaldirektor, ...
    party: str | None = None
    municipality_code: str | None = None
    organisation_id: str | None = None
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    municipality_code: str
    initiative_id: str  # klimatneutrala-stader-2030 | eu-mission-cities
    evidence: str
    joined_on: date | None = None
    joined_year: int | None = None
    cohort: str | None = None  # e.g. "pilot-2020", "2021", "2024"
    twin_municipality_code: str | None = None  # the pioneer paired with a newer member ("tvillingstad")


@dataclass(frozen=True, slots=True)
class Project:
    """A funded project as its viablecities.se project page (`/satsningar/<slug>/`) describes it."""

    name: str
    evidence: str  # the field block as written
    municipality_code: str | None = None
    project_manager: str | None = None
    total_budget_sek: int | None = None
    grant_sek: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    partners: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Target:
    """A climate target a page or contract states for a municipality ("Lund ska vara
    klimatneutralt 2030", "utsläppen ska minska med 70 procent till 2030 jämfört med 1990")."""

    municipality_code: str
    kind: str  # climate-neutral | net-zero | climate-positive | fossil-free | emissions-reduction | ...
    evidence: str
    value: float | None = None
    value_max: float | None = None  # the top of a range ("8-12 procent")
    unit: str | None = None  # percent | percent-per-year | kt-co2e | mt-co2e | t-co2e | t-co2e-per-capita | gwh | twh
    baseline_year: int | None = None
    target_year: int | None = None
    period_start: int | None = None  # budgets and rates over a period ("mellan 2022 och 2045")
    scope: str = "unknown"  # geographic-area | municipal-organisation | part-of-municipality | unknown
    basis: str = "unknown"  # territorial | consumption | fossil-co2 | unknown
    sector: str | None = None  # None: all sectors
    status: str = "unknown"  # adopted | proposed | aspiration | achieved | not-met | unknown


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract document read whole: which contract, whose, which version, between whom."""

    contract: str  # klimatkontrakt-2030 | eu-climate-city-contract (as in signings)
    municipality_code: str
    version_year: int | None  # the version it states ("VERSION 2023", "2023 års version")
    title: str
    parties: tuple[str, ...]  # organisation_ids named on its title page (agencies, Viable Cities)
    pages: int


@dataclass(frozen=True, slots=True)
class Commitment:
    """One numbered section of a contract ("3.4 Samverkan med näringsliv ...") and whose it is."""

    section_path: str  # as numbered in the document: "3.4"
    section_title: str
    party: str  # municipality | agencies | all | an organisation_id
    text: str
    page: int | None  # 1-based page the section starts on


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything one extractor call returns for one page."""

    title: str | None = None
    published_on: date | None = None
    language: str | None = None
    signings: tuple[Signing, ...] = ()
    events: tuple[Event, ...] = ()
    roles: tuple[Role, ...] = ()
    memberships: tuple[Membership, ...] = ()
    projects: tuple[Project, ...] = ()
    targets: tuple[Target, ...] = ()
    contract: Contract | None = None  # a contract document's own record and sections (not facts
    commitments: tuple[Commitment, ...] = ()  # merged across documents: each document is one contract)

    def facts(self) -> dict[str, tuple]:
        return {
            "signings": self.signings,
            "events": self.events,
            "roles": self.roles,
            "memberships": self.memberships,
            "projects": self.projects,
            "targets": self.targets,
        }


def as_dict(record) -> dict:
    """A fact as a JSON-friendly dict (dates as ISO strings), for golden files."""
    out = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out
