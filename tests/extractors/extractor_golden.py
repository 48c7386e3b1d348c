"""Golden files: fixture HTML -> expected records (JSON), reviewed by hand against the page.

Each golden `fixtures/<name>.json` says what it stands for in its `fixture` object (the URL the
page was at, its extractor and the source's municipality_code) beside the records expected; the
fixture's HTML is `fixtures/<name>.html`. A golden is written from the page, never from the
extractor's output: a regenerated golden would hide exactly the errors it is there to show.
"""

from __future__ import annotations

import json
from pathlib import Path

from extractors import REGISTRY
from klimatkontrakt.core.model import Extraction, Source, as_dict

HERE = Path(__file__).parent / "fixtures"
FACTS = ("signings", "events", "roles", "memberships", "projects")


def load(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


# name -> (url, extractor, municipality_code), from each golden's own `fixture` object
FIXTURES: dict[str, tuple[str, str, str | None]] = {
    path.stem: (f["url"], f["extractor"], f["municipality_code"])
    for path in sorted(HERE.glob("*.json"))
    for f in [load(path.stem)["fixture"]]
}

# Fixtures whose reviewed golden is right but whose output is not yet, because of a fact-rule bug
# in extractors/facts/: the golden test is a strict xfail until the rule is fixed.
RULE_BUGS: dict[str, str] = {}


def run(name: str) -> Extraction:
    url, extractor, code = FIXTURES[name]
    html = (HERE / f"{name}.html").read_text(encoding="utf-8")
    source = Source(id=f"fixture-{name}", extractor=extractor, start_urls=(url,), municipality_code=code)
    return REGISTRY[extractor](url, html, source)


def to_json(e: Extraction) -> dict:
    return {
        "title": e.title,
        "published_on": e.published_on.isoformat() if e.published_on else None,
        "language": e.language,
        **{k: [as_dict(r) for r in getattr(e, k)] for k in FACTS},
    }
