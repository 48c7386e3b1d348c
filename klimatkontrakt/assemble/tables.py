"""Assemble: pages and their extractions -> one DataFrame per table (pure, no IO but logging).

Rules (also stated in the schema descriptions, hence in docs/data-dictionary.md):

* Ids are deterministic: the first 16 hex digits of the SHA-256 of a natural key joined by
  "|" (and prefixed by the table name). `document_id` hashes the final URL.
* One fact row per id. When several documents state the same fact, the fact row takes its
  values, `document_id` and `evidence` from the claim whose document has the earliest
  `published_on` (undated documents last), then the smallest `final_url`; fields that claim
  leaves empty are filled from the next claims in that order. Every (fact, document) pair is
  kept in `claims` with the value exactly as extracted.
* Facts naming a municipality code not in the reference list, an unknown organisation, or
  lacking what their key needs are dropped with a WARNING; optional values that break their
  field's constraints are emptied with a WARNING. Nothing here raises on bad extractor output.
* Frames have exactly the schema's columns, in order, Arrow-backed dtypes, sorted by primary
  key: the same input always gives identical frames.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa

from extractors import extractor_name
from klimatkontrakt.assemble.conflicts import LATEST_FIRST, find_conflicts
from klimatkontrakt.assemble.contracts import contract_rows
from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.ids import document_id, hash_id, person_id, slug
from klimatkontrakt.core.model import Extraction, FetchedPage, Source, as_dict
from klimatkontrakt.core.times import utc_naive

log = logging.getLogger(__name__)

PROGRAMMES = frozenset({"viable-cities"})
SIGNING_DAY = "european-viable-cities-day"

Page = tuple[Source, FetchedPage, Extraction | None]


# ---- normalisation ----------------------------------------------------------------------

def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def _time(value: str | None) -> str | None:
    """"9.30", "09:30", "9:30" -> "09:30"."""
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else value


# ---- reference tables ------------------------------------------------------------------

def municipalities_frame() -> pd.DataFrame:
    rows = [
        {"municipality_code": m.code, "name": m.name, "county_code": m.county_code, "county_name": m.county_name}
        for m in reference.municipalities()
    ]
    return _frame("municipalities", rows)


def organisations_frame() -> pd.DataFrame:
    rows = [
        {
            "organisation_id": a.organisation_id,
            "name": a.name_sv,
            "name_en": a.name_en or None,
            "kind": "programme" if a.organisation_id in PROGRAMMES else "agency",
            "aliases": "|".join(a.aliases) or None,
        }
        for a in reference.agencies()
    ]
    return _frame("organisations", rows)


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
        claim_parts.append(_table("claims", rows))
        del merged, rows
    _link_events(facts["signings"], facts["events"])
    claims = pa.concat_tables(claim_parts).sort_by([(c, "ascending") for c in sch.primary_key("claims")])
    del claim_parts


    contracts, commitments = contract_rows(documents, known_munis, known_orgs)
    tables = {
        "municipalities": municipalities_frame(),
        "organisations": organisations_frame(),
        "documents": _frame("documents", [d["row"] for d in documents.values()]),
        "contracts": _frame("contracts", contracts),
        "commitments": _frame("commitments", commitments),
        **{t: _frame(t, facts.pop(t)) for t in sch.FACT_TABLES},
        "claims": sch.to_frame("claims", claims),  # claim ids are never empty: Arrow's order is _frame's
        "fetches": _frame("fetches", [_fetch_row(source, page, run_id) for source, page, _ in pages]),
    }
    del claims
    tables["conflicts"] = find_conflicts(tables)
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
            row = _normalise(table, dated, munis, orgs, doc["row"]["final_url"])
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
            "title": _clean(extraction.title),
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


def _normalise(table: str, record, munis: set[str], orgs: set[str], url: str) -> dict | None:
    """The fact as a row of `table` with its id, or None (logged) when it must be dropped."""
    def drop(reason: str) -> None:
        log.warning("dropped %s fact from %s: %s (%s)", table[:-1], url, reason, _short(record))

    evidence = _clean(getattr(record, "evidence", None))
    if not evidence:
        return drop("no evidence")
    muni = _clean(getattr(record, "municipality_code", None))
    org = _clean(getattr(record, "organisation_id", None))
    if muni is not None and muni not in munis:
        return drop(f"unknown municipality code {muni!r}")
    if org is not None and org not in orgs:
        return drop(f"unknown organisation {org!r}")

    if table == "signings":
        contract = _clean(record.contract)
        if contract not in _enum("signings", "contract"):
            return drop(f"unknown contract {contract!r}")
        if muni is None and org is None:
            return drop("no signing party (municipality or organisation)")
        version = _clean(record.contract_version)
        key_date = record.signed_on if record.signed_on else (version or "").lower()
        row = {
            "signing_id": hash_id("signings", contract, muni or org, key_date),
            "contract": contract, "contract_version": version, "municipality_code": muni,
            "organisation_id": org, "signed_on": record.signed_on, "event_id": None,
            "_event_name": _clean(record.event_name), "stated_as": _clean(getattr(record, "stated_as", None)),
        }
    elif table == "events":
        name = _clean(record.name)
        if not name:
            return drop("no name")
        kind = _clean(record.kind) or "other"
        if kind not in _enum("events", "kind"):
            log.warning("event kind %r from %s is unknown; stored as 'other'", kind, url)
            kind = "other"
        if kind != "other" and record.starts_on:
            key = hash_id("events", kind, record.starts_on)
        else:
            key = hash_id("events", kind, slug(name), record.starts_on)
        row = {
            "event_id": key, "name": name, "kind": kind, "starts_on": record.starts_on,
            "ends_on": record.ends_on, "start_time": _time(_clean(record.start_time)),
            "location": _clean(record.location),
        }
    elif table == "roles":
        name = _clean(record.person_name)
        pid = person_id(name or "")
        if not pid:
            return drop("no person name")
        role_text = _clean(record.role)
        role_norm = _clean(record.role_normalised)
        row = {
            "role_id": hash_id("roles", pid, role_norm or (role_text or "").lower(), muni, org, record.as_of),
            "person_id": pid, "person_name": name, "party": _clean(record.party), "role": role_text,
            "role_normalised": role_norm, "municipality_code": muni, "organisation_id": org,
            "as_of": record.as_of,
        }
    elif table == "memberships":
        initiative = _clean(record.initiative_id)
        if muni is None:
            return drop("no municipality")
        if initiative not in _enum("memberships", "initiative_id"):
            return drop(f"unknown initiative {initiative!r}")
        year = record.joined_year
        if year is None and record.joined_on is not None:
            year = record.joined_on.year
        row = {
            "membership_id": hash_id("memberships", muni, initiative), "municipality_code": muni,
            "initiative_id": initiative, "joined_on": record.joined_on, "joined_year": year,
            "cohort": _clean(record.cohort), "twin_municipality_code": _clean(record.twin_municipality_code),
        }
    elif table == "projects":
        name = _clean(record.name)
        if not name:
            return drop("no name")
        path = re.sub(r"^/en(?=/)", "", urlsplit(url).path).rstrip("/")  # a page and its /en/ twin
        row = {
            "project_id": hash_id("projects", path), "name": name, "municipality_code": muni,
            "project_manager": _clean(record.project_manager), "total_budget_sek": record.total_budget_sek,
            "grant_sek": record.grant_sek, "starts_on": record.starts_on, "ends_on": record.ends_on,
            "partners": " | ".join(record.partners) or None,
        }
    elif table == "targets":
        kind = _clean(record.kind)
        if muni is None:
            return drop("no municipality")
        if kind not in _enum("targets", "kind"):
            return drop(f"unknown target kind {kind!r}")
        scope, sector, unit = _clean(record.scope) or "unknown", _clean(record.sector), _clean(record.unit)
        # a kind without a value (climate-neutral by a year) is one fact per scope and sector: two
        # years for it from two documents are a conflict; a value's year makes a fact of its own
        year_key = record.target_year if record.value is not None else None
        row = {
            "target_id": hash_id("targets", muni, kind, scope, sector, unit, record.baseline_year, year_key),
            "municipality_code": muni, "kind": kind, "value": record.value, "value_max": record.value_max,
            "unit": unit, "baseline_year": record.baseline_year, "target_year": record.target_year,
            "period_start": record.period_start, "scope": scope, "basis": _clean(record.basis) or "unknown",
            "sector": sector, "status": _clean(record.status) or "unknown", "stated_on": None,
        }
    else:  # pragma: no cover - Extraction.facts() names exactly the fact tables
        return drop("unknown fact table")
    row["evidence"] = evidence
    return _check_optional(table, row, url)


@lru_cache(maxsize=None)
def _enum(table: str, field: str) -> frozenset[str]:
    for f in sch.fields(table):
        if f["name"] == field:
            return frozenset(f.get("constraints", {}).get("enum", []))
    raise KeyError(field)


@dataclasses.dataclass(frozen=True)
class _Constraint:
    """What an optional field's value must satisfy, read once from the table's schema."""

    name: str
    pattern: re.Pattern | None
    enum: frozenset | None
    minimum: int | None
    maximum: int | None

    def broken_by(self, value) -> bool:
        if self.pattern is not None and isinstance(value, str) and not self.pattern.fullmatch(value):
            return True
        if self.enum is not None and value not in self.enum:
            return True
        if isinstance(value, int) and not isinstance(value, bool):
            return (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum)
        return False


@lru_cache(maxsize=None)
def _optional_constraints(table: str) -> tuple[_Constraint, ...]:
    checks = []
    for f in sch.fields(table):
        c = f.get("constraints", {})
        if c.get("required") or not {"pattern", "enum", "minimum", "maximum"} & c.keys():
            continue
        checks.append(_Constraint(f["name"], re.compile(c["pattern"]) if "pattern" in c else None,
                                  frozenset(c["enum"]) if "enum" in c else None, c.get("minimum"), c.get("maximum")))
    return tuple(checks)


def _check_optional(table: str, row: dict, url: str) -> dict:
    """Empty optional values that break their field's pattern / range (with a WARNING)."""
    for check in _optional_constraints(table):
        value = row.get(check.name)
        if value is not None and check.broken_by(value):
            log.warning("%s.%s value %r from %s breaks the schema's constraints; left empty", table, check.name, value, url)
            row[check.name] = None
    return row


def _short(record) -> str:
    text = json.dumps(as_dict(record), ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 200 else text[:197] + "..."


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
        "error": _clean(page.error),
        "fetched_at": utc_naive(page.fetched_at),
        "truncated": page.truncated,
    }


def _sort_key(table: str):
    pk = sch.primary_key(table) or sch.field_names(table)

    def key(row: dict) -> tuple:
        return tuple((row.get(c) is None, 0 if row.get(c) is None else row.get(c)) for c in pk)

    return key


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """The rows sorted by key."""
    return sch.to_frame(table, _table(table, sorted(rows, key=_sort_key(table))))


def _table(table: str, rows: list[dict]) -> pa.Table:
    """The rows as Arrow, built column by column (no second dict per row)."""
    schema = sch.arrow_schema(table)
    return pa.Table.from_pydict({n: [row.get(n) for row in rows] for n in schema.names}, schema=schema)
