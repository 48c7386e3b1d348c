"""The human side of a release: coverage, README.md and CITATION.cff.

A package is only reusable if a researcher can tell, without running anything, what it covers,
how far to trust it and how to cite it. Everything here is derived from the tables being published
(never from configuration), so the README cannot drift from the data beside it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime

import pyarrow as pa

from klimatkontrakt.release.scrub import EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER

PROJECT_TITLE = "klimatkontrakt"
PROJECT_URL = "https://github.com/klimatkontrakt/klimatkontrakt"
CONTRIBUTORS = [{
    "title": "The klimatkontrakt project",
    "path": PROJECT_URL,
    "roles": ["creator", "publisher", "maintainer"],
}]
TITLE_SV = "Klimatkontrakt 2030: vilka som skrivit under Sveriges klimatkontrakt, när och var"
DESCRIPTION_SV = (
    "Undertecknanden av Klimatkontrakt 2030 (klimatkontrakten mellan svenska kommuner, nationella "
    "myndigheter och Viable Cities), relaterade kontrakt och märkningar inom EU:s stadsmission, "
    "evenemangen där de undertecknades, personer i undertecknande roller, kommunernas medlemskap och "
    "deras klimatmål; "
    "varje uppgift länkar till webbsidan den hämtades från och meningen som säger den."
)
FACT_DATES = {  # table -> date columns (and a year column) that date its facts
    "signings": ["signed_on"],
    "events": ["starts_on"],
    "roles": ["as_of"],
    "memberships": ["joined_on", "joined_year"],
    "targets": ["stated_on"],
}


# ---- coverage --------------------------------------------------------------------------------

def source_coverage(tables: dict[str, pa.Table]) -> list[dict]:
    """Per crawled source: its site, documents used and the fetch period (the `sources` table)."""
    if "sources" not in tables:
        return []
    out = []
    for row in tables["sources"].to_pylist():
        out.append({
            "id": row["source_id"],
            "path": row["site"],
            "documents": row["documents"],
            "first_fetched": _iso(row["first_fetched_at"]) if row["first_fetched_at"] else None,
            "last_fetched": _iso(row["last_fetched_at"]) if row["last_fetched_at"] else None,
        })
    return sorted(out, key=lambda s: s["id"])


def fact_years(tables: dict[str, pa.Table]) -> dict[str, tuple[int, int] | None]:
    """Per fact table: the first and last year its facts are dated in (None when undated)."""
    out = {}
    for table, columns in FACT_DATES.items():
        if table not in tables:
            continue
        years = _years(tables[table], columns)
        out[table] = (min(years), max(years)) if years else None
    return out


def fact_period(tables: dict[str, pa.Table]) -> tuple[date, date] | None:
    """Earliest and latest date any fact is dated (for DCAT's dct:temporal)."""
    days = []
    for table, columns in FACT_DATES.items():
        if table not in tables:
            continue
        present = [c for c in columns if c in tables[table].column_names]
        for row in tables[table].select(present).to_pylist():
            v = next((row[c] for c in present if row[c] is not None), None)  # a date beats a bare year
            if isinstance(v, datetime):
                days.append(v.date())
            elif isinstance(v, date):
                days.append(v)
            elif isinstance(v, int) and 1900 < v < 2200:
                days += [date(v, 1, 1), date(v, 12, 31)]
    return (min(days), max(days)) if days else None


def signings_per_year(tables: dict[str, pa.Table]) -> dict[int, int]:
    if "signings" not in tables:
        return {}
    return dict(sorted(Counter(_years(tables["signings"], ["signed_on"])).items()))


def descriptor_sources(coverage: list[dict], reference: list[dict]) -> list[dict]:
    """Data Package `sources`: one per crawled site with its fetch period, then reference data."""
    out = []
    for s in coverage:
        period = (f"fetched {s['first_fetched']} to {s['last_fetched']}" if s["first_fetched"]
                  else "not fetched")
        item = {"title": f"{s['id']}: web pages on {s['path'] or 'an unknown site'} ({period}, "
                         f"{s['documents']} document(s) used)"}
        if s["path"]:
            item["path"] = s["path"]
        item["x-source-id"] = s["id"]
        item["x-fetched"] = {"first": s["first_fetched"], "last": s["last_fetched"]}
        out.append(item)
    return out + reference


# ---- README.md -------------------------------------------------------------------------------

def render_readme(*, descriptor: dict, counts: dict[str, int], coverage: list[dict], years: dict,
                  conflicts: pa.Table | None, change_summary: dict, previous_version: str | None,
                  scrubbed_cells: int, dictionary_md: str, zip_name: str, db_name: str,
                  left: dict[str, str] | None = None) -> str:
    version = descriptor["version"]
    lines = [
        f"# {descriptor['title']}",
        "",
        f"Release **{version}**, created {descriptor['created']}. Licence: data **CC-BY-4.0**.",
        "",
        descriptor["description"],
        "",
        "## What it is",
        "",
        "An open dataset on Sweden's Klimatkontrakt 2030, collected every night by an automatic",
        "pipeline from public web pages and published as a validated Frictionless Data Package (v2).",
        "Each release is a complete, immutable snapshot; releases are named by date (`YYYY.MM.DD`, a",
        "second release on one day gets `.2`), and the folder `latest` always points at the newest good one.",
        "",
        "## Files",
        "",
        "- `datapackage.json`: the Data Package descriptor: a Table Schema per table (types, constraints,",
        "  primary and foreign keys), SHA-256 hash and size in bytes of every file, and row counts",
        "  (`rows` for CSV, checked by frictionless; `x-rows` for Parquet, whose resources are typed",
        "  `file` so that frictionless checks their hash and size while the publisher checks columns and rows).",
        "- `data/<table>.csv`: one CSV per table: UTF-8, comma-separated, CRLF line ends, fields quoted",
        "  when needed (RFC 4180), empty cell = no value, dates as YYYY-MM-DD, times in UTC as",
        "  YYYY-MM-DDThh:mm:ssZ.",
        "- `parquet/<table>.parquet`: the same tables as typed Parquet files.",
        f"- `{db_name}`: the same tables (and convenience views) in one DuckDB database (DuckDB 1.2 or later).",
        "- `CHANGES.csv`, `CHANGES.md`: what changed since the previous release.",
        "- `CITATION.cff`: how to cite this release (Citation File Format 1.2.0).",
        "- `dcat.jsonld`: catalogue metadata (DCAT-AP-SE, JSON-LD) for dataportal.se (not in the zip,",
        "  since it describes the zip).",
        f"- `../{zip_name}`: this whole folder as one zip file.",
        "",
        "| table | rows | description |",
        "|---|---:|---|",
    ]
    for resource in descriptor["resources"]:
        if resource.get("format") != "csv" or resource["name"] not in counts:
            continue
        desc = re.split(r"(?<!e\.g)\.\s", resource.get("description", ""), maxsplit=1)[0].rstrip(".")
        lines.append(f"| `{resource['name']}` | {counts[resource['name']]} | {_md(desc)}. |")

    lines += ["", "## Coverage", "", "Sources crawled (a source is one configured site; its pages are the documents):", "",
              "| source | site | documents used | first fetched | last fetched |", "|---|---|---:|---|---|"]
    for s in coverage:
        lines.append(f"| `{s['id']}` | {s['path'] or ''} | {s['documents']} | {s['first_fetched'] or ''} | "
                     f"{s['last_fetched'] or ''} |")
    if not coverage:
        lines.append("| (none) | | 0 | | |")
    lines += ["", "Years the facts are dated in:", ""]
    for table, span in years.items():
        text = "no dated facts" if span is None else (str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}")
        lines.append(f"- `{table}`: {text} ({counts.get(table, 0)} rows)")
    lines += [
        "",
        "Municipality and county codes: Statistics Sweden (SCB), as compiled in",
        "[sjbrg/swedish-geodata](https://github.com/sjbrg/swedish-geodata) (release v2025.01), CC0 1.0.",
        "",
        "## How the facts are extracted, and how far to trust them",
        "",
        "- Pages are fetched politely (robots.txt, one request per second per host) and archived as WARC,",
        "  so every run can be replayed; `documents` are the pages read, `sources` sums up the crawl",
        "  per source. The crawl log itself (`fetches`, every request) and `runs` stay in the",
        "  pipeline's database and run reports: they are operational logs, not facts.",
        "- Facts are read from Swedish and English prose by rule-based extractors (one per site family),",
        "  not by a language model: a fact is only recorded when a sentence states it, and that",
        "  sentence is kept in `evidence` with the page in `document_id`. Check a fact by reading its",
        "  evidence and page.",
        "- Dates, municipality names (to official codes), agency names, parties and roles are normalised;",
        "  facts whose municipality or agency cannot be identified are dropped, not guessed.",
        "- A fact stated on several pages is one row in its table and one row per page in `claims`.",
        "- Coverage is what the crawled pages say: a municipality absent from `signings` may have signed",
        "  without a crawled page saying so. Pages change or disappear; compare releases with",
        "  `CHANGES.csv`. Announcements of a signing may precede or follow the actual signing date.",
        "",
        "## Caveats and known conflicts",
        "",
    ]
    lines += _conflicts(conflicts)
    lines += [
        "",
        "## Personal data",
        "",
        "Names, parties and roles of public officials (e.g. chairs of municipal executive boards,",
        "directors-general) are published as they appear on public pages, as facts of public life.",
        "E-mail addresses and phone numbers are not: before publication every free-text cell is",
        f"scrubbed, e-mail addresses replaced by `{EMAIL_PLACEHOLDER}` and Swedish phone numbers by",
        f"`{PHONE_PLACEHOLDER}` ({scrubbed_cells} cell(s) in this release). The CSV, Parquet and DuckDB",
        "files all hold the scrubbed values.",
        "",
        "## Spreadsheet safety",
        "",
        "In the CSV files, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return",
        "is prefixed with a single quote `'` so that spreadsheet programs show it as text instead of",
        "running it as a formula (CSV injection). Remove that leading `'` to get the value as found;",
        "numbers are never changed, and the Parquet and DuckDB files hold every value unchanged.",
        "",
        "## Changes since the previous release",
        "",
    ]
    if previous_version is None:
        lines.append("This is the first release: every record is new (see `CHANGES.csv`).")
    else:
        totals = {k: sum(v[k] for v in change_summary.values()) for k in ("added", "changed", "removed")}
        lines.append(f"Since {previous_version}: {totals['added']} record(s) added, {totals['changed']} changed, "
                     f"{totals['removed']} removed; per table in `CHANGES.md`, per record in `CHANGES.csv`.")
    for table, why in (left or {}).items():
        lines += ["", f"`{table}`, in the previous release, is no longer in the package: {why}"]
    lines += [
        "",
        "## What the dataset said on a given day",
        "",
        "The `<table>_history` tables hold every version of each row of the versioned tables since the",
        "pipeline began: a version was current from `valid_from` (inclusive) to `valid_to` (exclusive;",
        "empty while current), in UTC. The state as of a day, from the CSVs alone (DuckDB):",
        "",
        "```sql",
        "SELECT * FROM read_csv('data/signings_history.csv')",
        "WHERE valid_from <= TIMESTAMP '2025-01-01' AND (valid_to IS NULL OR valid_to > TIMESTAMP '2025-01-01');",
        "```",
        "",
        "The same with pandas or R is in the project's `docs/queries.md`. A release is published only",
        "when its published content changed (the columns marked as run-specific aside), so a new",
        "version always means new, changed or removed records.",
        "",
        "## How to cite",
        "",
        f"{citation_text(descriptor)}",
        "",
        "`CITATION.cff` holds the same in machine-readable form. Please also name the release",
        "(version) you used, so that others can get exactly the same data.",
        "",
        "## Licence",
        "",
        "The data is published under Creative Commons Attribution 4.0 International (CC-BY-4.0):",
        "you may share and adapt it for any purpose, giving appropriate credit (see How to cite).",
        "The facts come from the public pages named in `documents`; municipality codes are CC0 1.0.",
        "",
        "Validate with `frictionless validate datapackage.json` or `klimatkontrakt validate <folder>`.",
        "",
        _demote(dictionary_md).rstrip("\n"),
        "",
    ]
    return "\n".join(lines)


def _conflicts(conflicts: pa.Table) -> list[str]:
    if conflicts.num_rows == 0:
        return ["Conflicts between sources are tracked in the `conflicts` table; there are none in this release."]
    lines = [f"{conflicts.num_rows} conflict(s) between sources are tracked (table `conflicts`); the first ones:", ""]
    names = conflicts.column_names[:6]
    lines += ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for row in conflicts.slice(0, 20).to_pylist():
        lines.append("| " + " | ".join(_md(str(row[n]) if row[n] is not None else "")[:80] for n in names) + " |")
    return lines


# ---- citation --------------------------------------------------------------------------------

def citation_text(descriptor: dict) -> str:
    year = descriptor["created"][:4]
    return (f"The klimatkontrakt project ({year}). *{descriptor['title']}* (version {descriptor['version']}) "
            f"[data set]. Licence CC-BY-4.0. {PROJECT_URL}")


def render_citation_cff(descriptor: dict) -> str:
    """CITATION.cff (CFF 1.2.0) for this release; strings JSON-quoted, which YAML reads as is."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731
    lines = [
        "cff-version: 1.2.0",
        f"message: {q('If you use this data set, please cite it as below, naming the release (version) you used.')}",
        "type: dataset",
        f"title: {q(descriptor['title'])}",
        f"version: {q(descriptor['version'])}",
        f"date-released: {q(descriptor['created'][:10])}",
        "license: CC-BY-4.0",
        f"url: {q(PROJECT_URL)}",
        f"repository-code: {q(PROJECT_URL)}",
        f"abstract: {q(descriptor['description'])}",
        "authors:",
        f"  - name: {q(CONTRIBUTORS[0]['title'])}",
        f"    website: {q(CONTRIBUTORS[0]['path'])}",
        "keywords:",
    ]
    lines += [f"  - {q(k)}" for k in descriptor.get("keywords", [])]
    return "\n".join(lines) + "\n"


# ---- helpers ---------------------------------------------------------------------------------

def _years(data: pa.Table, columns: list[str]) -> list[int]:
    years: list[int] = []
    for name in columns:
        if name not in data.column_names:
            continue
        for v in data.column(name).to_pylist():
            if isinstance(v, (date, datetime)):
                years.append(v.year)
            elif isinstance(v, int) and 1900 < v < 2200:
                years.append(v)
    return years


def _iso(value) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _demote(markdown: str) -> str:
    """The data dictionary one heading level down, so it nests under this README's title."""
    out = []
    for line in markdown.splitlines():
        out.append("#" + line if line.startswith("#") else line)
    return "\n".join(out) + "\n"
