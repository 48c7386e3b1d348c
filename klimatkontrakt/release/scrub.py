"""Scrub personal contact data from published cells.

Names, parties and roles of public officials are public facts and are published; their e-mail
addresses and phone numbers are not needed for any fact and must not end up in the open data
(evidence sentences and page titles sometimes contain them). Every published free-text cell
goes through `scrub_text`, which replaces e-mail addresses with "[e-post borttagen]" and Swedish
phone numbers with "[telefon borttagen]". Key columns, enumerations and pattern-constrained
codes are left alone: they are identifiers, never prose, and changing them would break keys.
"""

from __future__ import annotations

import re

import pandas as pd

EMAIL_PLACEHOLDER = "[e-post borttagen]"
PHONE_PLACEHOLDER = "[telefon borttagen]"

_AT = r"(?:@|\s?[\(\[]\s?(?:at|snabel-a)\s?[\)\]]\s?)"  # also "namn(at)kommun.se", "namn [at] kommun.se"
EMAIL_RE = re.compile(
    r"(?<![\w.%+-])(?:mailto:)?[\w.%+-]+" + _AT + r"[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])",
    re.IGNORECASE,
)
# One optional separator between digit groups: space, no-break space, hyphen, en dash, slash.
_SEP = r"(?:[ \u00a0]?[-\u2013/]?[ \u00a0]?)"
PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    # international: +46 / 0046, optional (0), then 7-9 more digits ("+46 (0)16-710 10 00")
    r"(?:\+|00)46" + _SEP + r"(?:\(0\)" + _SEP + r")?[1-9](?:" + _SEP + r"\d){6,8}"
    r"|"
    # national: 0 + area code + subscriber number, 8-10 digits in all ("08-123 456 78", "070-123 45 67")
    r"0[1-9](?:" + _SEP + r"\d){6,8}"
    r")(?![\w])"
)


# cheap tests before the full patterns: every e-mail match holds an _AT, every phone match a digit
_EMAIL_HINT = re.compile(_AT, re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def scrub_text(text: str) -> str:
    """`text` with e-mail addresses and Swedish phone numbers replaced by placeholders."""
    if _EMAIL_HINT.search(text):
        text = EMAIL_RE.sub(EMAIL_PLACEHOLDER, text)
    if _DIGIT.search(text):
        text = PHONE_RE.sub(PHONE_PLACEHOLDER, text)
    return text


def scrubbable_fields(table_schema: dict) -> list[str]:
    """String fields of a Table Schema that hold free text (not keys, codes, enums or URIs)."""
    keys = set(_as_list(table_schema.get("primaryKey", [])))
    for fk in table_schema.get("foreignKeys", []):
        keys.update(_as_list(fk["fields"]))
    out = []
    for field in table_schema["fields"]:
        constraints = field.get("constraints", {})
        if field.get("type", "string") != "string" or field["name"] in keys:
            continue
        if "enum" in constraints or "pattern" in constraints or field.get("format", "default") != "default":
            continue
        out.append(field["name"])
    return out


def scrub_frame(frame: pd.DataFrame, table_schema: dict) -> tuple[pd.DataFrame, int]:
    """A copy of `frame` with its free-text cells scrubbed, and how many cells changed."""
    frame = frame.copy()
    changed = 0
    for name in scrubbable_fields(table_schema):
        if name not in frame.columns:
            continue
        before = frame[name].tolist()
        done: dict[str, str] = {}  # a column repeats its cells (claims repeat their facts' evidence)
        after = [(done[v] if v in done else done.setdefault(v, scrub_text(v))) if isinstance(v, str) else v
                 for v in before]
        diff = sum(1 for b, a in zip(before, after, strict=True) if isinstance(b, str) and a != b)
        if diff:
            frame[name] = pd.Series(after, index=frame.index, dtype=frame[name].dtype)
            changed += diff
    return frame, changed


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
