"""Reading the sources file (TOML) into `Source` records and the `SiteTemplate` of the
municipalities' own websites, with one-line errors for bad input."""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from klimatkontrakt.core.errors import ConfigError
from klimatkontrakt.core.model import Source

_LIST_KEYS = {"start_urls", "allowed_prefixes", "sitemaps", "url_patterns", "keywords"}
_KNOWN_KEYS = _LIST_KEYS | {
    "id", "extractor", "municipality_code", "max_pages", "max_depth", "delay_seconds", "discover_sitemaps", "pdfs",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class SiteTemplate:
    """How a municipality's own website is watched when no `[[source]]` names it (the optional
    `[municipal_sites]` table of the sources file; these are its defaults): from its root, its
    sitemaps and its news listings, only pages whose URL is on the topic, within a nightly budget."""

    all: bool = False  # every municipality with a known website; else only those the data shows in the initiative
    max_pages: int = 30  # the per-site nightly budget of requests
    max_depth: int = 2
    keywords: tuple[str, ...] = ("klimatkontrakt", "klimatneutral", "viable cities", "climate city contract",
                                 "climate neutral", "klimatmål", "koldioxidbudget")
    url_patterns: tuple[str, ...] = (r"(?i)klimat|viable|fossilfri|koldioxid|climate",)
    # a news listing and its further pages ("/nyheter/", "/aktuellt?page=2"), not the news items under it
    hub_patterns: tuple[str, ...] = (r"(?i)/(?:nyheter|nyhetsarkiv|aktuellt|pressmeddelanden|press|news)/?(?:(?:sida|page)[-/]?\d+/?)?(?:\?[^#]*)?$",)
    delay_seconds: float | None = None
    pdfs: bool = True
    # (municipality_code, website) pairs that replace reference/municipalities.csv's websites: a CSV
    # named by `websites = "file.csv"` (relative to the sources file), for a site that moved
    websites: tuple[tuple[str, str], ...] = ()


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sources file {path} is not valid TOML: {exc}") from None


def load_site_template(path: Path) -> SiteTemplate:
    """The `[municipal_sites]` table of a sources file (its defaults when the file has none)."""
    table = _read_toml(path).get("municipal_sites", {})
    where = f"{path}: [municipal_sites]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    known = {f.name: f for f in fields(SiteTemplate)}
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    given = {}
    for key, value in table.items():
        if key == "websites":
            given[key] = _websites(Path(path).parent, value, where)
            continue
        default = getattr(SiteTemplate, key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {key} must be a list of strings")
            for pattern in value if key.endswith("patterns") else ():
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ConfigError(f"{where}: bad {key[:-1]} {pattern!r}: {exc}") from None
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {key} must be true or false")
        elif key == "delay_seconds":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{where}: delay_seconds must be a non-negative number")
            value = float(value)
        elif not isinstance(value, int) or isinstance(value, bool) or value < (1 if key == "max_pages" else 0):
            raise ConfigError(f"{where}: {key} must be a {'positive' if key == 'max_pages' else 'non-negative'} integer")
        given[key] = value
    return SiteTemplate(**given)


def _websites(folder: Path, name, where: str) -> tuple[tuple[str, str], ...]:
    """The (code, website) rows of a CSV with columns municipality_code and website."""
    if not isinstance(name, str):
        raise ConfigError(f"{where}: websites must name a CSV file")
    path = folder / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: websites file {path} unreadable: {type(exc).__name__}") from None
    out = []
    for i, row in enumerate(rows, 2):
        code, url = (row.get("municipality_code") or "").strip(), (row.get("website") or "").strip()
        if not re.fullmatch(r"\d{4}", code) or urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{where}: {path.name} line {i}: needs a 4-digit municipality_code and an http(s) website")
        out.append((code, url))
    return tuple(out)


def load_sources(path: Path, known_extractors: set[str] | None = None) -> list[Source]:
    """Parse and check a sources file; raise ConfigError naming the first problem."""
    data = _read_toml(path)
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"sources file {path} has no [[source]] entries")
    sources = [_source(entry, i, path, known_extractors) for i, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for s in sources:
        if s.id in seen:
            raise ConfigError(f"{path}: source id {s.id!r} appears twice")
        seen.add(s.id)
    return sources


def _source(entry: dict, index: int, path: Path, known_extractors: set[str] | None) -> Source:
    where = f"{path}: source #{index}"
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("id", "extractor", "start_urls"):
        if key not in entry:
            raise ConfigError(f"{where}: missing {key!r}")
    if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
        raise ConfigError(f"{where}: id must be lower-case letters, digits, '-' or '_'")
    where = f"{path}: source {entry['id']!r}"
    if known_extractors is not None and entry["extractor"] not in known_extractors:
        raise ConfigError(
            f"{where}: unknown extractor {entry['extractor']!r} (known: {', '.join(sorted(known_extractors))})"
        )
    for key in _LIST_KEYS & set(entry):
        value = entry[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
    if not entry["start_urls"]:
        raise ConfigError(f"{where}: start_urls is empty")
    for url in entry["start_urls"] + entry.get("sitemaps", []):
        if urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{where}: not an http(s) URL: {url}")
    for pattern in entry.get("url_patterns", []):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: bad url_pattern {pattern!r}: {exc}") from None
    code = entry.get("municipality_code")
    if code is not None and not (isinstance(code, str) and re.fullmatch(r"\d{4}", code)):
        raise ConfigError(f"{where}: municipality_code must be a 4-digit string such as \"0484\"")
    for key in ("max_pages", "max_depth"):
        if key in entry and (not isinstance(entry[key], int) or entry[key] < 0):
            raise ConfigError(f"{where}: {key} must be a non-negative integer")
    for flag in ("discover_sitemaps", "pdfs"):
        if not isinstance(entry.get(flag, False), bool):
            raise ConfigError(f"{where}: {flag} must be true or false")
    delay = entry.get("delay_seconds")
    if delay is not None and (not isinstance(delay, (int, float)) or delay < 0):
        raise ConfigError(f"{where}: delay_seconds must be a non-negative number")
    given = {key: entry[key] for key in ("discover_sitemaps", "pdfs", "max_pages", "max_depth") if key in entry}
    given.update({key: tuple(entry[key]) for key in ("sitemaps", "url_patterns", "keywords") if key in entry})
    # what the entry leaves out takes the defaults of `Source` itself (one home for them)
    return Source(
        id=entry["id"],
        extractor=entry["extractor"],
        start_urls=tuple(entry["start_urls"]),
        municipality_code=code,
        allowed_prefixes=tuple(entry.get("allowed_prefixes") or _default_prefixes(entry["start_urls"])),
        delay_seconds=float(delay) if delay is not None else None,
        **given,
    )


def _default_prefixes(start_urls: list[str]) -> list[str]:
    prefixes = []
    for url in start_urls:
        parts = urlsplit(url)
        prefix = f"{parts.scheme}://{parts.netloc}/"
        if prefix not in prefixes:
            prefixes.append(prefix)
    return prefixes
