"""Project pages on viablecities.se (`/satsningar/<slug>/`, and `/en/` twins): the field block.

A project page ends its description with labelled lines (or, in the 2025 `/projekt/<slug>`
layout, a fact list of label and value blocks), in Swedish or machine-translated
English: "Projektledare: …", "Total budget: 9 908 590 SEK" ("SEK 9 908 590"), "Sökt bidrag" /
"Beviljat bidrag" / "Grant requested", "Startdatum"/"Start date", "Slutdatum"/"End date" (ISO) and
"Partners: a, b, c". The labels, not the layout, identify the fields, so both site layouts work.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.common import Page
from klimatkontrakt.core.model import Project
from klimatkontrakt.normalise import find_municipalities, parse_iso
from klimatkontrakt.normalise.dates import find_dates

_FIELDS = {
    "project_manager": r"projektledare|project manager|projektansvarig",
    "total_budget_sek": r"total budget|totalbudget|budget",
    "grant_sek": r"(?:sökt|beviljat|beviljade)\s+(?:bidrag|stöd|belopp)|bidrag|"
                 r"grant(?:\s+(?:requested|awarded|applied\s+for|amount))?|(?:applied|awarded)\s+grant",
    "starts_on": r"startdatum|start date|projektstart|start",
    "ends_on": r"slutdatum|end date|projektslut|slut|end",
    "partners": r"partners?|projektparter|parter",
    "coordinator": r"koordinerande\s+part|projektägare|huvudsökande|coordinat(?:or|ing\s+(?:party|partner))|lead\s+partner|project\s+owner",
}
_LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(f"(?:{p})" for p in _FIELDS.values()) + r")\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_AMOUNT = re.compile(r"(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)")


def is_project_page(url: str) -> bool:
    return bool(re.search(r"/(?:en/)?(?:satsningar|projekt)/[^/]+", url))


def find_projects(page: Page) -> list[Project]:
    """The project described by a project page's field block; none when the block is absent."""
    values: dict[str, str] = {}
    lines: list[str] = []
    for label, value in _labelled_lines(page):
        field = _field_of(label)
        if field and field not in values:
            values[field] = value
            lines.append(f"{label}: {value}")
    if "project_manager" not in values or not ({"total_budget_sek", "grant_sek", "starts_on"} & set(values)):
        return []
    name = page.title or ""
    # the municipality the name is about ("Klimatneutrala Ludvika 2030 – tvillingstad till Borlänge":
    # Ludvika), else the coordinating party's
    codes = {m.code for m in find_municipalities(re.split(r"\s+[–—-]\s+|:\s", name)[0])} if name else set()
    if len(codes) != 1:
        codes = {m.code for m in find_municipalities(values.get("coordinator", ""))}
    return [
        Project(
            name=name,
            evidence=" | ".join(lines),
            municipality_code=next(iter(codes)) if len(codes) == 1 else None,
            project_manager=values.get("project_manager"),
            total_budget_sek=_amount(values.get("total_budget_sek")),
            grant_sek=_amount(values.get("grant_sek")),
            starts_on=_iso(values.get("starts_on")),
            ends_on=_iso(values.get("ends_on")),
            partners=tuple(p.strip() for p in re.split(r",|;", values.get("partners", "")) if p.strip()),
        )
    ]


def _labelled_lines(page: Page):
    """(label, value) pairs: "Label: value" lines, and a label block followed by its value block
    (the 2025 layout's `<dt>Projektledare</dt><dd>…</dd>` fact list)."""
    blocks = page.blocks
    for i, block in enumerate(blocks):
        for match in _LABEL.finditer(block.text):
            yield match.group("label").strip(), match.group("value")
        label = block.text.strip().rstrip(":").strip()
        if i + 1 < len(blocks) and "\n" not in label and _field_of(label) and not blocks[i + 1].is_heading:
            value = blocks[i + 1].text.strip()
            if value and "\n" not in value and len(value) < 200 and not _field_of(value.rstrip(":")):
                yield label, value


def _field_of(label: str) -> str | None:
    for field, pattern in _FIELDS.items():
        if re.fullmatch(pattern, label.strip(), re.IGNORECASE):
            return field
    return None


def _amount(text: str | None) -> int | None:
    if not text:
        return None
    match = _AMOUNT.search(text)
    return int(re.sub(r"\D", "", match.group(1))) if match else None


def _iso(text: str | None) -> date | None:
    """An ISO date, or one written out with its year ("1 januari 2025")."""
    if not text:
        return None
    found = [d for d in find_dates(text) if d.year_given]
    return parse_iso(text.strip()[:10]) or (found[0].value if found else None)
