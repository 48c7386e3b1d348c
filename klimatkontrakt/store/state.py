"""Incremental crawling: the crawl state of every page, kept in the DuckDB file (`page_state`).

The state lives in the database, not in a side file, so a fresh runner that is given yesterday's
database crawls incrementally, and a run that fails leaves the previous state untouched (the
database is swapped in atomically, page_state with it).

* `read_state(db_path, versions)` opens the previous database read-only for a moment and returns
  a `PreviousState`: the validators to send (`validators`), what the crawler needs to go on past
  an unchanged page (`known(source_id)`: final URL, text hash, links, relevance), and the previous
  facts of every document rebuilt as `Extraction`s from `claims` (each claim's `value` is the
  record exactly as extracted) plus `documents` (title, published_on, language). A missing
  database, a database without page_state or an unreadable one gives an empty state (the run
  then crawls in full; never an error).
* `page_state_parts(...)` turns this run's crawl into the new page_state rows, a few hundred at a
  time (pages not fetched in this run keep their previous row, until it is older than the
  retention: a page not answered for `KLIMATKONTRAKT_PAGE_STATE_DAYS` days, gone from the site or
  from sources.toml, is forgotten).

Rows whose `extractor_version` (`extractor_version(source)`: the extractor/normaliser code, the
reference data and the source's configuration) differs from this run's are not used: those pages
are fetched in full and extracted again, so an improved extractor reaches every page on its
first run instead of only the pages that happen to change.

What "unchanged" means is decided by the crawler (`klimatkontrakt/fetch/crawl.py`): HTTP 304, or a
200 whose normalised text (`reading.normalised_text`) and final URL equal the stored ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

import klimatkontrakt
from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.errors import first_line
from klimatkontrakt.core.ids import document_id
from klimatkontrakt.core.model import (
    Commitment,
    Contract,
    Event,
    Extraction,
    Membership,
    Project,
    Role,
    Signing,
    Source,
    Target,
)
from klimatkontrakt.core.times import utc_naive
from klimatkontrakt.fetch.crawl import CrawlResult, KnownPage
from klimatkontrakt.fetch.urls import normalise_url

log = logging.getLogger(__name__)

TABLE = "page_state"
FACT_CLASSES = {"signings": Signing, "events": Event, "roles": Role, "memberships": Membership, "projects": Project,
                "targets": Target}
KEPT_DOCUMENT_FIELDS = ("fetched_at", "status", "sha256", "content_type")
ROWS_PER_PART = 500  # page_state rows serialised and staged at once: ~10 MB of links JSON

Validators = dict[str, tuple[str | None, str | None]]


# ---- versions --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 over the code and data that decide what an extractor returns for a page: the
    `extractors` package, `klimatkontrakt/normalise` (with its vocabulary.toml), `core/model.py`,
    `core/reference.py` and the reference CSVs."""
    import extractors

    package = Path(klimatkontrakt.__file__).resolve().parent
    files: list[Path] = []
    files += sorted(Path(extractors.__file__).resolve().parent.rglob("*.py"))
    files += sorted((package / "normalise").rglob("*.py")) + sorted((package / "normalise").rglob("*.toml"))
    files += [package / "core" / "model.py", package / "core" / "reference.py"]
    try:
        files += sorted(reference.reference_dir().glob("*.csv"))
    except FileNotFoundError:  # pragma: no cover - the package always ships them
        pass
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def extractor_version(source: Source) -> str:
    """16 hex digits: `code_version()` and the source's whole configuration (any change to the
    `[[source]]` entry makes its pages be fetched and extracted anew once)."""
    config = json.dumps(dataclasses.asdict(source), sort_keys=True, default=str)
    return hashlib.sha256(f"{code_version()}|{config}".encode()).hexdigest()[:16]


# ---- reading ---------------------------------------------------------------------------

@dataclass
class PreviousState:
    """The previous run's page state and facts (empty when there is no usable database)."""

    rows: dict[tuple[str, str], dict] = field(default_factory=dict)  # (source_id, url) -> row, all rows
    usable: set[tuple[str, str]] = field(default_factory=set)  # keys of rows this run may rely on
    extractions: dict[str, Extraction] = field(default_factory=dict)  # document_id -> facts
    documents: dict[str, dict] = field(default_factory=dict)  # document_id -> documents row

    def _usable_rows(self):
        return ((key, self.rows[key]) for key in sorted(self.usable))

    @property
    def validators(self) -> Validators:
        """{final_url: (etag, last_modified)} for LiveClient(validators=...)."""
        out: Validators = {}
        for _, row in self._usable_rows():
            if row["etag"] or row["last_modified"]:
                out.setdefault(row["final_url"], (row["etag"], row["last_modified"]))
        return out

    @property
    def text_hashes(self) -> dict[tuple[str, str], str]:
        return {key: row["text_sha256"] for key, row in self._usable_rows() if row["text_sha256"]}

    @property
    def links(self) -> dict[tuple[str, str], list[str] | None]:
        return {key: _links(row["links"]) for key, row in self._usable_rows()}

    def known(self, source_id: str) -> dict[str, KnownPage]:
        """What `crawl(..., known=...)` needs about this source's pages, by URL."""
        out = {}
        for (sid, url), row in self._usable_rows():
            if sid == source_id:
                links = _links(row["links"])
                out[url] = KnownPage(final_url=row["final_url"], text_sha256=row["text_sha256"],
                                     links=tuple(links) if links is not None else None,
                                     relevant=bool(row["relevant"]))
        return out

    def extraction_for(self, source_id: str, url: str) -> Extraction | None:
        """The previous extraction of the page (for reuse when it is unchanged), or None."""
        key = (source_id, normalise_url(url))
        if key not in self.usable:
            return None
        doc_id = self.rows[key]["document_id"]
        return self.extractions.get(doc_id) if doc_id else None

    def document_row(self, source_id: str, url: str) -> dict | None:
        key = (source_id, normalise_url(url))
        doc_id = self.rows[key]["document_id"] if key in self.usable else None
        return self.documents.get(doc_id) if doc_id else None


def read_state(db_path: Path | str, versions: Mapping[str, str] | None = None) -> PreviousState:
    """The previous run's state from `db_path` (see the module docstring). `versions`:
    {source_id: extractor_version(source)} of this run; rows of other versions, or of sources not
    in `versions`, are kept for carrying over but not relied on. None relies on every row."""
    db_path = Path(db_path)
    state = PreviousState()
    if not db_path.is_file():
        return state
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        log.warning("previous database %s unreadable (%s); crawling in full", db_path, first_line(exc))
        return state
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if TABLE not in tables:
            log.info("previous database %s has no %s table; crawling in full", db_path, TABLE)
            return state
        rows = _select(con, TABLE)
        documents = _select(con, "documents") if "documents" in tables else []
        claims = _select(con, "claims") if "claims" in tables else []
        contracts = _select(con, "contracts") if "contracts" in tables else []
        commitments = _select(con, "commitments") if "commitments" in tables else []
    except duckdb.Error as exc:
        log.warning("previous crawl state in %s unreadable (%s); crawling in full", db_path, first_line(exc))
        return PreviousState()
    finally:
        con.close()

    for row in rows:
        state.rows[(row["source_id"], row["url"])] = row
    wanted = {row["document_id"] for row in rows if row.get("document_id")}
    state.documents = {d["document_id"]: d for d in documents if d["document_id"] in wanted}
    state.extractions = _rebuild(state.documents, [c for c in claims if c["document_id"] in wanted])
    _rebuild_contracts(state.extractions, contracts, commitments)
    for key, row in state.rows.items():
        if versions is not None and versions.get(key[0]) != row.get("extractor_version"):
            continue
        if row.get("relevant") and (not row.get("document_id") or row["document_id"] not in state.extractions):
            continue  # nothing to reuse: fetch it in full
        state.usable.add(key)
    return state


def _select(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cursor = con.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _links(text: str | None) -> list[str] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return [str(v) for v in value] if isinstance(value, list) else None


def _rebuild(documents: dict[str, dict], claims: list[dict]) -> dict[str, Extraction]:
    """document_id -> Extraction, from the documents rows and each claim's raw `value`."""
    facts: dict[str, dict[str, list]] = {doc_id: {t: [] for t in FACT_CLASSES} for doc_id in documents}
    for claim in sorted(claims, key=lambda c: (c["document_id"], c["fact_table"], c["value"])):
        record = _record(claim["fact_table"], claim["value"])
        if record is None:
            log.warning("claim %s: cannot rebuild its %s record; page will be extracted again",
                        claim.get("claim_id"), claim["fact_table"])
            facts.pop(claim["document_id"], None)
            continue
        if claim["document_id"] in facts:
            facts[claim["document_id"]][claim["fact_table"]].append(record)
    out = {}
    for doc_id, per_table in facts.items():
        doc = documents[doc_id]
        out[doc_id] = Extraction(
            title=doc.get("title"), published_on=doc.get("published_on"), language=doc.get("language"),
            **{t: tuple(records) for t, records in per_table.items()},
        )
    return out


def _rebuild_contracts(extractions: dict[str, Extraction], contracts: list[dict], commitments: list[dict]) -> None:
    """Give each rebuilt extraction of a contract document its contract and sections again."""
    sections: dict[str, list[Commitment]] = {}
    for row in sorted(commitments, key=lambda r: [int(n) for n in r["section_path"].split(".")]):
        sections.setdefault(row["contract_id"], []).append(
            Commitment(row["section_path"], row["section_title"], row["party"], row["text"], row["page"]))
    for row in contracts:
        extraction = extractions.get(row["document_id"])
        if extraction is None:
            continue
        contract = Contract(contract=row["contract"], municipality_code=row["municipality_code"],
                            version_year=row["version_year"], title=row["title"],
                            parties=tuple((row["parties"] or "").split(";")) if row["parties"] else (),
                            pages=row["pages"])
        extractions[row["document_id"]] = dataclasses.replace(
            extraction, contract=contract, commitments=tuple(sections.get(row["contract_id"], ())))


def _record(fact_table: str, value: str):
    cls = FACT_CLASSES.get(fact_table)
    if cls is None:
        return None
    try:
        data = json.loads(value)
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            if v is not None and "date" in str(f.type):
                v = date.fromisoformat(v)
            elif isinstance(v, list):  # tuples come back from JSON as lists
                v = tuple(v)
            kwargs[f.name] = v
        return cls(**kwargs)
    except (ValueError, TypeError):
        return None


# ---- writing ---------------------------------------------------------------------------

def kept_documents(previous: PreviousState, reused: Iterable[tuple[str, str]]) -> dict[str, dict]:
    """{document_id: {fetched_at, status, sha256, content_type}} of the previous documents rows
    of the reused pages ((source_id, url) pairs): for `assemble(..., kept_documents=...)`."""
    out = {}
    for source_id, url in reused:
        row = previous.document_row(source_id, url)
        if row is not None:
            out[row["document_id"]] = {k: row.get(k) for k in KEPT_DOCUMENT_FIELDS}
    return out


def page_state_frame(
    crawls: Iterable[tuple[Source, CrawlResult, list[Extraction | None]]],
    previous: PreviousState,
    validators: Mapping[str, tuple[str | None, str | None]],
    versions: Mapping[str, str],
    forget_before: datetime | None = None,
) -> pd.DataFrame:
    """`page_state_parts` as one DataFrame."""
    return page_state_frame_of(page_state_parts(crawls, previous, validators, versions, forget_before))


def page_state_frame_of(parts: Iterable[pa.Table]) -> pd.DataFrame:
    """page_state parts (as `page_state_parts` gives them) as one DataFrame."""
    parts = list(parts)
    return sch.to_frame(TABLE, pa.concat_tables(parts) if parts else [])


def page_state_parts(
    crawls: Iterable[tuple[Source, CrawlResult, list[Extraction | None]]],
    previous: PreviousState,
    validators: Mapping[str, tuple[str | None, str | None]],
    versions: Mapping[str, str],
    forget_before: datetime | None = None,
    rows_per_part: int = ROWS_PER_PART,
) -> Iterator[pa.Table]:
    """The page_state rows after this run, in (source_id, url) order, as Arrow tables of at most
    `rows_per_part` rows: one row per HTML page answered 200 (or 304 with a usable previous row)
    in `crawls` (source, crawl result, extraction per page, None where none), and the previous
    row of every page not answered this run. `validators`: the client's `seen_validators`
    ({url: (etag, last_modified)} of this run's 200 responses). A previous row last fetched
    before `forget_before` (naive UTC) is not carried over.

    A page's `links` become JSON only in its part: menus and footers put a few hundred links on
    every page (~20 KB of JSON), too much to hold for every page of a large source at once."""
    validators = {normalise_url(u): v for u, v in validators.items()}
    new: dict[tuple[str, str], dict] = {}
    for source, result, extractions in crawls:
        for page, extraction in zip(result.pages, extractions, strict=True):
            key = (source.id, page.url)
            prev = previous.rows.get(key)
            if page.from_cache:
                if prev is None or key not in previous.usable:
                    continue  # a 304 we cannot vouch for: keep whatever was there
            elif not (page.status == 200 and page.is_readable):
                continue
            now = utc_naive(page.fetched_at)
            unchanged = page.url in result.unchanged_urls and prev is not None
            if page.from_cache:
                etag, last_modified = prev["etag"], prev["last_modified"]
            else:
                etag, last_modified = validators.get(normalise_url(page.final_url), (None, None))
            new[key] = {
                "source_id": source.id,
                "url": page.url,
                "final_url": page.final_url or page.url,
                "etag": etag,
                "last_modified": last_modified,
                "text_sha256": result.text_hashes.get(page.url) or (prev["text_sha256"] if page.from_cache else None),
                "links": result.links.get(page.url),  # a list; JSON in its part
                "relevant": page.url in result.relevant_urls,
                "document_id": document_id(page.final_url or page.url) if extraction is not None else None,
                "extractor_version": versions[source.id],
                "last_status": page.status,
                "first_seen_at": prev["first_seen_at"] if prev is not None else now,
                "last_fetched_at": now,
                "last_changed_at": prev["last_changed_at"] if unchanged else now,
            }
    for key, row in previous.rows.items():
        fetched = row.get("last_fetched_at")
        if key not in new and not (forget_before and fetched is not None and utc_naive(fetched) < forget_before):
            new[key] = row
    keys = sorted(new)
    schema = sch.arrow_schema(TABLE)
    for start in range(0, len(keys), rows_per_part):
        rows = [new[key] for key in keys[start:start + rows_per_part]]
        columns = {name: [row.get(name) for row in rows] for name in schema.names}
        columns["links"] = [_links_json(links) for links in columns["links"]]
        yield pa.Table.from_pydict(columns, schema=schema)


def _links_json(links: list[str] | str | None) -> str | None:
    """A new row's links as JSON (a previous row's are JSON already)."""
    return json.dumps(links, ensure_ascii=False) if isinstance(links, list) else links
