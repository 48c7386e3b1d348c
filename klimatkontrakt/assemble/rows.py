"""One row builder per fact table: an extractor's record -> the table's row, or `Dropped`.

`fact_row` applies what every fact needs (evidence, a known municipality and organisation) and
then the table's builder, registered with `@builds("<table>")`: its id (a hash of the fact's
natural key, see `klimatkontrakt/core/ids.py`) and its columns. A fact table is a schema with
`"x-role": "fact"` and a builder here; `tests/klimatkontrakt/test_schema.py` keeps the two
equal. Optional values that break their field's constraints are emptied with a WARNING.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.ids import hash_id, person_id, slug
from klimatkontrakt.core.model import as_dict

log = logging.getLogger(__name__)


class Dropped(Exception):
    """The record cannot be a row of its table: the message says why."""


RowBuilder = Callable[[object, "str | None", "str | None", str], dict]
ROW_BUILDERS: dict[str, RowBuilder] = {}


def builds(table: str) -> Callable[[RowBuilder], RowBuilder]:
    """Register `fn(record, municipality_code, organisation_id, url) -> row` for fact table `table`."""
    def register(fn: RowBuilder) -> RowBuilder:
        ROW_BUILDERS[table] = fn
        return fn
    return register


def fact_row(table: str, record, munis: set[str], orgs: set[str], url: str) -> dict | None:
    """The fact as a row of `table` with its id, or None (logged) when it must be dropped."""
    try:
        evidence = clean(getattr(record, "evidence", None))
        if not evidence:
            raise Dropped("no evidence")
        muni = clean(getattr(record, "municipality_code", None))
        org = clean(getattr(record, "organisation_id", None))
        if muni is not None and muni not in munis:
            raise Dropped(f"unknown municipality code {muni!r}")
        if org is not None and org not in orgs:
            raise Dropped(f"unknown organisation {org!r}")
        row = ROW_BUILDERS[table](record, muni, org, url)
    except Dropped as reason:
        log.warning("dropped %s fact from %s: %s (%s)", table[:-1], url, reason, _short(record))
        return None
    row["evidence"] = evidence
    return _check_optional(table, row, url)


_MISSING = object()


def one_of(table: str, field: str, value, what: str, needs=_MISSING) -> str:
    """`value` cleaned, when the field's enum holds it; `needs` (a municipality code the fact
    cannot do without), when given, must be there."""
    if needs is None:
        raise Dropped("no municipality")
    value = clean(value)
    if value not in enum(table, field):
        raise Dropped(f"unknown {what} {value!r}")
    return value


@builds("signings")
def signing_row(record, muni, org, url) -> dict:
    contract = one_of("signings", "contract", record.contract, "contract")
    if muni is None and org is None:
        raise Dropped("no signing party (municipality or organisation)")
    version = clean(record.contract_version)
    key_date = record.signed_on if record.signed_on else (version or "").lower()
    return {
        "signing_id": hash_id("signings", contract, muni or org, key_date),
        "contract": contract, "contract_version": version, "municipality_code": muni,
        "organisation_id": org, "signed_on": record.signed_on, "event_id": None,
        "_event_name": clean(record.event_name), "stated_as": clean(getattr(record, "stated_as", None)),
    }


@builds("events")
def event_row(record, muni, org, url) -> dict:
    name = clean(record.name)
    if not name:
        raise Dropped("no name")
    kind = clean(record.kind) or "other"
    if kind not in enum("events", "kind"):
        log.warning("event kind %r from %s is unknown; stored as 'other'", kind, url)
        kind = "other"
    if kind != "other" and record.starts_on:
        key = hash_id("events", kind, record.starts_on)
    else:
        key = hash_id("events", kind, slug(name), record.starts_on)
    return {
        "event_id": key, "name": name, "kind": kind, "starts_on": record.starts_on,
        "ends_on": record.ends_on, "start_time": _time(clean(record.start_time)),
        "location": clean(record.location),
    }


@builds("roles")
def role_row(record, muni, org, url) -> dict:
    name = clean(record.person_name)
    pid = person_id(name or "")
    if not pid:
        raise Dropped("no person name")
    role_text = clean(record.role)
    role_norm = clean(record.role_normalised)
    return {
        "role_id": hash_id("roles", pid, role_norm or (role_text or "").lower(), muni, org, record.as_of),
        "person_id": pid, "person_name": name, "party": clean(record.party), "role": role_text,
        "role_normalised": role_norm, "municipality_code": muni, "organisation_id": org,
        "as_of": record.as_of,
    }


@builds("memberships")
def membership_row(record, muni, org, url) -> dict:
    initiative = one_of("memberships", "initiative_id", record.initiative_id, "initiative", needs=muni)
    year = record.joined_year
    if year is None and record.joined_on is not None:
        year = record.joined_on.year
    return {
        "membership_id": hash_id("memberships", muni, initiative), "municipality_code": muni,
        "initiative_id": initiative, "joined_on": record.joined_on, "joined_year": year,
        "cohort": clean(record.cohort), "twin_municipality_code": clean(record.twin_municipality_code),
    }


@builds("projects")
def project_row(record, muni, org, url) -> dict:
    name = clean(record.name)
    if not name:
        raise Dropped("no name")
    path = re.sub(r"^/en(?=/)", "", urlsplit(url).path).rstrip("/")  # a page and its /en/ twin
    return {
        "project_id": hash_id("projects", path), "name": name, "municipality_code": muni,
        "project_manager": clean(record.project_manager), "total_budget_sek": record.total_budget_sek,
        "grant_sek": record.grant_sek, "starts_on": record.starts_on, "ends_on": record.ends_on,
        "partners": " | ".join(record.partners) or None,
    }


@builds("targets")
def target_row(record, muni, org, url) -> dict:
    kind = one_of("targets", "kind", record.kind, "target kind", needs=muni)
    scope, sector, unit = clean(record.scope) or "unknown", clean(record.sector), clean(record.unit)
    # a kind without a value (climate-neutral by a year) is one fact per scope and sector: two
    # years for it from two documents are a conflict; a value's year makes a fact of its own
    year_key = record.target_year if record.value is not None else None
    return {
        "target_id": hash_id("targets", muni, kind, scope, sector, unit, record.baseline_year, year_key),
        "municipality_code": muni, "kind": kind, "value": record.value, "value_max": record.value_max,
        "unit": unit, "baseline_year": record.baseline_year, "target_year": record.target_year,
        "period_start": record.period_start, "scope": scope, "basis": clean(record.basis) or "unknown",
        "sector": sector, "status": clean(record.status) or "unknown", "stated_on": None,
    }


def clean(text: str | None) -> str | None:
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


@lru_cache(maxsize=None)
def enum(table: str, field: str) -> frozenset[str]:
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
