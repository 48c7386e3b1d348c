"""The rules' words as data: `vocabulary.toml` beside this module, compiled once.

One file holds every word list the fact rules and the normalisers match (contract names, signing
verbs, modality, dates, initiatives, events, role titles, agencies' long forms), so a new wording
seen on a real page is one line of data, and its review is a review of words, not of code.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from klimatkontrakt.normalise.patterns import Gated

PATH = Path(__file__).with_name("vocabulary.toml")
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE}


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return tomllib.loads(PATH.read_text(encoding="utf-8"))


def _compile(entry: dict) -> re.Pattern[str] | Gated:
    flags = 0
    for letter in entry.get("flags", ""):
        flags |= _FLAGS[letter]
    pattern = re.compile("|".join(entry["alternatives"]), flags)
    return Gated(pattern, tuple(entry["gate"])) if "gate" in entry else pattern


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str] | Gated]:
    """[pattern.<name>] tables, compiled: name -> pattern (behind its gate, if it has one)."""
    return {name: _compile(entry) for name, entry in vocabulary()["pattern"].items()}


@lru_cache(maxsize=1)
def role_titles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """[role."<normalised>"] tables in file order: the first whose pattern a role matches names it."""
    return tuple((key, _compile(entry)) for key, entry in vocabulary()["role"].items())


def agency_forms() -> dict[str, tuple[str, ...]]:
    """organisation_id -> the forms of its name seen in prose beyond reference/agencies.csv."""
    return {org: tuple(forms) for org, forms in vocabulary()["agency_forms"].items()}


@lru_cache(maxsize=1)
def target_kinds() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """[target_kind."<kind>"] tables: the kinds of target named by a word ("klimatneutral")."""
    return tuple((kind, _compile(entry)) for kind, entry in vocabulary()["target_kind"].items())


@lru_cache(maxsize=1)
def target_sectors() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """[target_sector.<sector>] tables in file order: the first whose words a target's subject names is its sector."""
    return tuple((sector, _compile(entry)) for sector, entry in vocabulary()["target_sector"].items())


def number_words(table: str) -> dict[str, float]:
    """A table of words and the number each stands for ([target_fractions], [target_numbers])."""
    return dict(vocabulary()[table])
