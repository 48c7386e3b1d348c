"""Where sources disagree: every disagreement between claims becomes a row of `conflicts`.

Sources contradict each other (one page calls a December signing "2023 års version", another
"2024 års version"; one dates the first signing 8 Dec 2020, the others 11 Dec 2020; a city joined
"2020" on one page and "2019" on another). The pipeline never silently picks one: every claim stays
in `claims`, the fact table holds the value chosen by the documented rule (earliest published
document first), and this table names each disagreement with its values and documents.

Two kinds are found:
- `value`: claims of the same fact (same id) give different non-empty values for a field;
- `date`: facts that differ only by their date within one year (the same party signing the same
  contract twice in a year, or the same yearly event on two dates) are the same real-world fact
  dated differently.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pandas as pd

from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.ids import hash_id

# Fields whose differences are expected (wording, page dates, how a page states a signing: an
# announcement before and a report after the ceremony agree) rather than contradictions.
# A target's status changes with time (proposed, then adopted, then achieved): no contradiction.
_IGNORED = {"evidence", "as_of", "event_name", "name", "role", "kind", "stated_as", "status"}
RULE_VALUE = "fact row takes the claim of the earliest published document, then the smallest URL"
RULE_VALUE_LATEST = "fact row takes the claim of the latest published document (a target is revised), then the smallest URL"
RULE_DATE = "each date is kept as its own fact; no single date is chosen"


# Tables whose row takes the latest document's claim: a target is revised, and the newer
# statement is the current one. Every other fact takes the earliest (the first report of it).
LATEST_FIRST = frozenset({"targets"})

def find_conflicts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    claims = tables["claims"]
    stated = _claim_rows(claims)
    rows = _value_conflicts(stated, tables) + _date_conflicts(stated, claims)
    return sch.sorted_frame("conflicts", rows)


def _value_conflicts(stated_rows: list[tuple[str, str, str, str]], tables: dict[str, pd.DataFrame]) -> list[dict]:
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for table, fact_id, document, value in stated_rows:
        grouped[(table, fact_id)].append((document, value))
    rows = []
    for (table, fact_id), stated_json in grouped.items():
        if len({doc for doc, _ in stated_json}) < 2:
            continue
        stated = [(doc, json.loads(value)) for doc, value in stated_json]
        fields = sorted({f for _, record in stated for f in record} - _IGNORED)
        for field in fields:
            by_value: dict[str, set[str]] = defaultdict(set)
            for doc, record in stated:
                if record.get(field) not in (None, "", "unknown"):  # "unknown" (a target's basis) says nothing
                    by_value[str(record[field])].add(doc)
            if len(by_value) > 1:
                chosen = _chosen(tables.get(table), table, fact_id, field)
                rule = RULE_VALUE_LATEST if table in LATEST_FIRST else RULE_VALUE
                rows.append(_row("value", table, _subject(table, stated[0][1]), field, by_value, [fact_id],
                                 chosen, rule))
    return rows


def _date_conflicts(stated_rows: list[tuple[str, str, str, str]], claims: pd.DataFrame) -> list[dict]:
    date_field = {"signings": "signed_on", "events": "starts_on"}
    keyed: dict[tuple, dict[str, tuple[set[str], set[str]]]] = defaultdict(dict)
    for table, fact_id, document, value in stated_rows:
        if table not in date_field:
            continue
        record = json.loads(value)
        day = record.get(date_field[table])
        if not day:
            continue
        party = (record.get("contract"), record.get("municipality_code"), record.get("organisation_id")) \
            if table == "signings" else (record.get("kind"),)
        if table == "events" and record.get("kind") in (None, "other"):
            continue
        docs, facts = keyed[(table, party, day[:4])].setdefault(day, (set(), set()))
        docs.add(document)
        facts.add(fact_id)
    rows = []
    for (table, _party, _year), by_day in keyed.items():
        if len(by_day) < 2:
            continue
        record = json.loads(claims.loc[claims["fact_id"] == next(iter(next(iter(by_day.values()))[1])), "value"].iloc[0])
        by_value = {day: docs for day, (docs, _) in by_day.items()}
        fact_ids = sorted({f for _, facts in by_day.values() for f in facts})
        rows.append(_row("date", table, _subject(table, record), date_field[table], by_value, fact_ids, None, RULE_DATE))
    return rows


def _claim_rows(claims: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """(fact_table, fact_id, document_id, value) of every claim; whole columns to Python at once
    (iterating rows of Arrow-backed columns converts one value at a time, ten times slower)."""
    return list(zip(*(claims[c].tolist() for c in ("fact_table", "fact_id", "document_id", "value")), strict=True))


def _subject(table: str, record: dict) -> str:
    if table == "signings":
        party = record.get("municipality_code") or record.get("organisation_id")
        return f"{record.get('contract')} signed by {party}"
    if table == "events":
        return f"{record.get('kind')} {(record.get('starts_on') or '')[:4]}".strip()
    if table == "memberships":
        return f"{record.get('municipality_code')} in {record.get('initiative_id')}"
    if table == "targets":
        return f"{record.get('municipality_code')} {record.get('kind')} ({record.get('scope')})"
    return f"{record.get('person_name')}"


def _chosen(frame: pd.DataFrame | None, table: str, fact_id: str, field: str) -> str | None:
    if frame is None or field not in frame.columns:
        return None
    match = frame.loc[frame[sch.primary_key(table)[0]] == fact_id, field]
    if match.empty or pd.isna(match.iloc[0]):
        return None
    value = match.iloc[0]
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _row(kind: str, table: str, subject: str, field: str, by_value: dict[str, set[str]], fact_ids: list[str],
         chosen: str | None, rule: str) -> dict:
    values = sorted(by_value)
    documents = sorted({d for docs in by_value.values() for d in docs})
    return {
        "conflict_id": hash_id("conflicts", kind, table, *fact_ids, field),
        "kind": kind,
        "fact_table": table,
        "subject": subject,
        "field": field,
        "claimed_values": json.dumps({v: sorted(by_value[v]) for v in values}, ensure_ascii=False, sort_keys=True),
        "fact_ids": json.dumps(fact_ids),
        "document_ids": json.dumps(documents),
        "chosen_value": chosen,
        "rule": rule,
    }
