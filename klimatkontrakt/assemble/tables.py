"""Assemble: pages and their extractions -> one DataFrame per table (pure, no IO but logging).

Rules (also stated in the schema descriptions, hence in docs/data-dictionary.md):

* Ids are deterministic: the first 16 hex digits of the SHA-256 of a natural key joined by
  "|" (and prefixed by the table name). `document_id` hashes the final URL.
* One fact row per id. When several documents state the same fact, the fact row takes its
  values, `document_id` and `evidence` from the claim whose document has the earliest
  `published_on` (undated documents last), then the smallest `final_url`; fields that claim
  leaves empty are filled from the next claims in that order. Every (fact, document) pair is
  kept in `claims` with the value exactly as extracted.
* Facts (one row builder per table, `rows.py`) naming a municipality code not in the reference list, an unknown organisation, or
  lacking what their key needs are dropped with a WARNING; optional values that break their
  field's constraints are emptied with a WARNING. Nothing here raises on bad extractor output.
* Frames have exactly the schema's columns, in order, Arrow-backed dtypes, sorted by primary
  key: the same input always gives identical frames.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime

import pandas as pd
import pyarrow as pa

from extractors import extractor_name
from klimatkontrakt.assemble.conflicts import LATEST_FIRST
from klimatkontrakt.assemble.contracts import contract_rows
from klimatkontrakt.assemble.derived import build_table
from klimatkontrakt.assemble.rows import clean, fact_row
from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.ids import document_id, hash_id, slug
from klimatkontrakt.core.model import Extraction, FetchedPage, Source, as_dict
from klimatkontrakt.core.times import utc_naive

log = logging.getLogger(__name__)

SIGNING_DAY = "european-viable-cities-day"

Page = tuple[Source, FetchedPage, Extraction | None]


# ---- the stage -------------------------------------------------------------------------

def assemble(pages: list[Page], run_id: str,
             kept_documents: Mapping[str, Mapping] | None = None) -> dict[str, pd.DataFrame]:
    """Every table except `runs` (the flow provides those rows), as DataFrames.

    `kept_documents` ({document_id: {column: value}}, incremental runs): for a page that was
    unchanged and whose previous extraction is reused, the `fetched_at`, `status`, `sha256` and
    `content_type` of its documents row stay those of the response the facts were read from,
    not of today's 304 or identical-text answer (see `klimatkontrakt/store/state.py`).
    """
    known_munis = set(reference.municipalities_by_code())
    known_orgs = set(reference.agencies_by_id())

    documents = _documents(pages)
    for doc_id, kept in (kept_documents or {}).items():
        if doc_id in documents:
            documents[doc_id]["row"].update(kept)
    # one fact table at a time (facts of different tables never merge): only that table's claims
    # are in memory, they are consumed by _merge, and its claims rows become Arrow at once, so
    # only the merged rows outlive it
    facts: dict[str, list[dict]] = {}
    claim_parts: list[pa.Table] = []
    for table in sch.FACT_TABLES:
        merged, rows = _merge(_claims(documents, table, known_munis, known_orgs))
        facts[table] = merged[table]
        claim_parts.append(sch.rows_table("claims", rows))
        del merged, rows
    _link_events(facts["signings"], facts["events"])
    claims = pa.concat_tables(claim_parts).sort_by([(c, "ascending") for c in sch.primary_key("claims")])
    del claim_parts


    contracts, commitments = contract_rows(documents, known_munis, known_orgs)
    tables = {name: build_table(name, {}) for name in sch.REFERENCE_TABLES}
    tables.update({
        "documents": sch.sorted_frame("documents", [d["row"] for d in documents.values()]),
        "contracts": sch.sorted_frame("contracts", contracts),
        "commitments": sch.sorted_frame("commitments", commitments),
        **{t: sch.sorted_frame(t, facts.pop(t)) for t in sch.FACT_TABLES},
        "claims": sch.to_frame("claims", claims),  # claim ids are never empty: Arrow's order is sorted_frame's
        "fetches": sch.sorted_frame("fetches", [_fetch_row(source, page, run_id) for source, page, _ in pages]),
    })
    del claims
    for name in sch.DERIVED_TABLES:
        tables[name] = build_table(name, tables)
    return {name: tables[name] for name in sch.TABLES if name in tables}


def _claims(documents: dict[str, dict], table: str, munis: set[str], orgs: set[str]) -> list[dict]:
    """Every kept fact of `table` in every document as a claim: table, fact_id, doc (its
    documents row), record (raw), row (normalised), evidence."""
    claims = []
    first_said = _first_said(documents) if table == "roles" else {}
    for doc in sorted(documents.values(), key=lambda d: d["row"]["document_id"]):
        extraction: Extraction = doc["extraction"]
        for record in extraction.facts()[table]:
            said = first_said.get(_statement(record)) if first_said else None
            dated = dataclasses.replace(record, as_of=said) if said and said != record.as_of else record
            row = fact_row(table, dated, munis, orgs, doc["row"]["final_url"])
            if row is None:
                continue
            claims.append({"table": table, "fact_id": row[_pk(table)], "doc": doc["row"],
                           "record": record, "row": row, "evidence": row["evidence"]})
    return claims


def _statement(role) -> tuple:
    """What identifies one statement of a role: who, which role, where, in which words."""
    return (role.person_name, role.role_normalised or (role.role or "").lower(), role.municipality_code,
            role.organisation_id, " ".join((role.evidence or "").split()).casefold())


def _first_said(documents: dict[str, dict]) -> dict[tuple, date]:
    """The earliest `as_of` of every role statement. A role is dated by its page, so the same
    sentence on a mirror published days later would otherwise be a second fact; it is one
    statement, first made on the earliest page."""
    first: dict[tuple, date] = {}
    for doc in documents.values():
        for role in doc["extraction"].facts()["roles"]:
            key = _statement(role)
            if role.as_of and (key not in first or role.as_of < first[key]):
                first[key] = role.as_of
    return first


def _pk(table: str) -> str:
    return sch.primary_key(table)[0]


def _documents(pages: Iterable[Page]) -> dict[str, dict]:
    """One document per final URL among the pages that were extracted."""
    out: dict[str, dict] = {}
    for source, page, extraction in pages:
        if extraction is None:
            continue
        final_url = page.final_url or page.url
        doc_id = document_id(final_url)
        row = {
            "document_id": doc_id,
            "url": page.url,
            "final_url": final_url,
            "source_id": page.source_id or source.id,
            "fetched_at": utc_naive(page.fetched_at),
            "status": page.status,
            "sha256": page.sha256,
            "title": clean(extraction.title),
            "published_on": extraction.published_on,
            "extractor": extractor_name(page.kind, source),
            "content_type": page.content_type,
            "language": extraction.language,
        }
        candidate = {"row": row, "extraction": extraction}
        previous = out.get(doc_id)
        if previous is None or _doc_rank(row) < _doc_rank(previous["row"]):
            out[doc_id] = candidate
    return out


def _doc_rank(row: dict) -> tuple:
    return (row["url"], row["source_id"], row["fetched_at"] or datetime.min)


STATED_AS_ORDER = ("reported", "listed", "announced")  # what a signing's documents say of it, strongest first


def _claim_rank(claim: dict) -> tuple:
    doc = claim["doc"]
    published = doc["published_on"]
    order = -published.toordinal() if published and claim["table"] in LATEST_FIRST else (published or date.min)
    return (published is None, order, doc["final_url"], doc["document_id"])


def _merge(claims: list[dict]) -> tuple[dict[str, list[dict]], list[dict]]:
    """One row per fact id, one claim per (fact, document)."""
    grouped: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        grouped[(claim["table"], claim["fact_id"])][claim["doc"]["document_id"]].append(claim)

    facts: dict[str, list[dict]] = {t: [] for t in sch.FACT_TABLES}
    claim_rows = []
    for (table, fact_id), per_doc in grouped.items():
        chosen = []
        for doc_claims in per_doc.values():
            if len(doc_claims) > 1:  # the same fact twice on one page: keep one claim (deterministic choice)
                doc_claims.sort(key=lambda c: (c["evidence"], _value(c["record"])))
            chosen.append(doc_claims[0])
        chosen.sort(key=_claim_rank)
        row = dict(chosen[0]["row"])
        for other in chosen[1:]:
            for key, value in other["row"].items():
                if row.get(key) is None and value is not None:
                    row[key] = value
        row["document_id"] = chosen[0]["doc"]["document_id"]
        row["evidence"] = chosen[0]["evidence"]
        if "stated_on" in row:
            row["stated_on"] = chosen[0]["doc"].get("published_on")
        if table == "signings":  # a signing one page announces and another reports has been reported
            stated = {c["row"].get("stated_as") for c in chosen}
            row["stated_as"] = next((s for s in STATED_AS_ORDER if s in stated), row.get("stated_as"))
        facts[table].append(row)
        for c in chosen:
            doc_id = c["doc"]["document_id"]
            claim_rows.append({
                "claim_id": hash_id("claims", table, fact_id, doc_id), "fact_table": table,
                "fact_id": fact_id, "document_id": doc_id, "evidence": c["evidence"],
                "value": _value(c["record"]),
            })
    return facts, claim_rows


def _value(record) -> str:
    return json.dumps(as_dict(record), ensure_ascii=False, sort_keys=True)


def _link_events(signings: list[dict], events: list[dict]) -> None:
    """Set signings.event_id: the event named by the document, else the signing day on signed_on."""
    by_name: dict[str, list[dict]] = defaultdict(list)
    signing_days: dict[date, list[str]] = defaultdict(list)
    for e in events:
        by_name[slug(e["name"])].append(e)
        if e["kind"] == SIGNING_DAY and e["starts_on"] is not None:
            signing_days[e["starts_on"]].append(e["event_id"])
    for s in signings:
        event_id = None
        named = by_name.get(slug(s.pop("_event_name", None))) or []
        if named:
            same_day = [e["event_id"] for e in named if s["signed_on"] and e["starts_on"] == s["signed_on"]]
            event_id = min(same_day) if same_day else (min(e["event_id"] for e in named) if not s["signed_on"] else None)
        if event_id is None and s["signed_on"] in signing_days:
            event_id = min(signing_days[s["signed_on"]])
        s["event_id"] = event_id


def _fetch_row(source: Source, page: FetchedPage, run_id: str) -> dict:
    return {
        "run_id": run_id,
        "url": page.url,
        "final_url": page.final_url or None,
        "source_id": page.source_id or source.id,
        "status": page.status,
        "bytes": page.size,
        "elapsed_ms": page.elapsed_ms,
        "from_cache": page.from_cache,
        "error": clean(page.error),
        "fetched_at": utc_naive(page.fetched_at),
        "truncated": page.truncated,
    }
