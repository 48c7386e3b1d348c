"""Vendored reference data (`reference/*.csv`), loaded once and cached.

The folder is looked up next to the installed package first
(`klimatkontrakt/_data/reference`, where the wheel puts it) and then at the repository root.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import klimatkontrakt


@dataclass(frozen=True)
class Municipality:
    code: str  # 4 digits, e.g. "0484"
    name: str  # e.g. "Eskilstuna"
    county_code: str
    county_name: str
    website: str | None = None  # the official site's root, e.g. "https://www.eskilstuna.se/"
    wikidata_id: str | None = None
    website_confidence: str | None = None  # high | medium (see reference/README.md)


@dataclass(frozen=True)
class Agency:
    organisation_id: str
    name_sv: str
    name_en: str
    aliases: tuple[str, ...]


def data_dir(folder: str, marker: str) -> Path:
    """A data folder shipped with the code (`schemas`, `reference`): the wheel's copy in
    `klimatkontrakt/_data/<folder>`, else the repository's; the one holding `marker`."""
    package_dir = Path(klimatkontrakt.__file__).resolve().parent
    for candidate in (package_dir / "_data" / folder, package_dir.parent / folder):
        if (candidate / marker).is_file():
            return candidate
    raise FileNotFoundError(f"{folder} not found next to {package_dir}")


def site_host(url: str | None) -> str | None:
    """A website's host, `www.` aside: "https://www.eskilstuna.se/" -> "eskilstuna.se" (one host
    for the crawl's politeness groups and for whose site a page is)."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


def reference_dir() -> Path:
    """The folder holding municipalities.csv, agencies.csv and municipalities.geojson."""
    return data_dir("reference", "municipalities.csv")


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """The municipalities' boundaries (GeoJSON FeatureCollection, WGS84; SCB, CC0 1.0)."""
    return json.loads((reference_dir() / "municipalities.geojson").read_text(encoding="utf-8"))


def _rows(name: str) -> list[dict[str, str]]:
    with (reference_dir() / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    return tuple(
        Municipality(r["municipality_code"], r["name"], r["county_code"], r["county_name"],
                     r.get("website") or None, r.get("wikidata_id") or None, r.get("website_confidence") or None)
        for r in _rows("municipalities.csv")
    )


@lru_cache(maxsize=1)
def municipalities_by_code() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


@lru_cache(maxsize=1)
def agencies() -> tuple[Agency, ...]:
    return tuple(
        Agency(
            r["organisation_id"],
            r["name_sv"],
            r["name_en"],
            tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
        )
        for r in _rows("agencies.csv")
    )


@lru_cache(maxsize=1)
def agencies_by_id() -> dict[str, Agency]:
    return {a.organisation_id: a for a in agencies()}
