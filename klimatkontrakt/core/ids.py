"""The deterministic ids of the dataset's rows, in one place: a row's id is a hash of what it
says (its natural key), so the same fact read on another night, or by another runner, has the
same id, and a CSV joined across releases joins on it."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import date, datetime


def hash_id(*parts: object) -> str:
    """First 16 hex digits of the SHA-256 of the parts joined by "|" (None as "")."""
    text = "|".join("" if p is None else p.isoformat() if isinstance(p, (date, datetime)) else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def document_id(final_url: str) -> str:
    return hashlib.sha256(final_url.encode("utf-8")).hexdigest()[:16]


def slug(text: str | None) -> str:
    """Lower case ASCII with "-" between words: "Åsa Öberg-Lind" -> "asa-oberg-lind"."""
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def person_id(name: str) -> str:
    return slug(name)


def new_run_id(now: datetime) -> str:
    """A run's id: its start (UTC) and four random hex digits, e.g. 20261207T021500Z-3f9a."""
    return now.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(2)
