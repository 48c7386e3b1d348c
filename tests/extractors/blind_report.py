"""Precision and recall per fact kind on the blind set (`tests/extractors/blind/`, see its GUIDE.md).

Run: `uv run python tests/extractors/blind_report.py` (add `--diff` for each case's misses and
extras, `--case STEM` for one case, `--set holdout` for the held-out set in `blind_holdout/`,
`--set final` for the last one in `blind_final/`: see docs/extraction.md for which sets the rules
were tuned on). The goldens were written by helpers who never saw the extractors
or their output; this script only reads them.

Facts are compared as multisets of key tuples. Signings are split by party: `signings` (a
municipality signs) and `agencies` (an agency or Viable Cities signs). The version is compared by
its year. `stated_as`, event times and places are scored apart, on the facts that matched.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors import REGISTRY  # noqa: E402
from klimatkontrakt.core.model import Source, as_dict  # noqa: E402

SETS = {"blind": Path(__file__).parent / "blind", "holdout": Path(__file__).parent / "blind_holdout",
        "final": Path(__file__).parent / "blind_final"}
BLIND = SETS["blind"]
KINDS = ("signings", "agencies", "events", "roles", "memberships", "projects")
KEYS = {
    "signings": ("contract", "municipality_code", "signed_on", "version_year"),
    "agencies": ("contract", "organisation_id", "signed_on", "version_year"),
    "events": ("kind", "starts_on"),
    "roles": ("person_name", "role_normalised", "party", "municipality_code", "organisation_id"),
    "memberships": ("municipality_code", "initiative_id", "joined_on", "joined_year", "cohort", "twin_municipality_code"),
    "projects": ("municipality_code", "project_manager", "total_budget_sek", "grant_sek", "starts_on", "ends_on"),
}
# attributes scored on matched facts only: (kind, field)
ATTRIBUTES = (("signings", "stated_as"), ("agencies", "stated_as"), ("events", "start_time"), ("events", "location"))
_YEAR = re.compile(r"(?:19|20)\d\d")


def cases() -> list[str]:
    return sorted(p.stem for p in BLIND.glob("*.json"))


def load_case(stem: str) -> dict:
    return json.loads((BLIND / f"{stem}.json").read_text(encoding="utf-8"))


def extract(stem: str, case: dict | None = None) -> dict:
    case = case or load_case(stem)
    html = (BLIND / f"{stem}.html").read_text(encoding="utf-8")
    source = Source(id=f"blind-{stem}", extractor=case["extractor"], start_urls=(case["url"],),
                    municipality_code=case.get("municipality_code"))
    e = REGISTRY[case["extractor"]](case["url"], html, source)
    out = {"published_on": e.published_on.isoformat() if e.published_on else None}
    for kind, records in e.facts().items():
        out[kind] = [as_dict(r) for r in records]
    for s in out["signings"]:
        version = s.get("contract_version")
        year = _YEAR.search(version) if version else None
        s["version_year"] = int(year.group()) if year else None
    return out


def split_signings(facts: dict) -> dict:
    """The signings split into municipal parties and organisations, as `KINDS` has them."""
    out = dict(facts)
    signings = facts.get("signings", [])
    out["signings"] = [s for s in signings if s.get("municipality_code")]
    out["agencies"] = [s for s in signings if s.get("organisation_id")]
    return out


def keyed(kind: str, records: list[dict]) -> Counter:
    return Counter(tuple(r.get(k) for k in KEYS[kind]) for r in records)


def compare(stem: str) -> dict:
    """Per kind: tp/fp/fn and the missed and extra keys; per attribute: matched and right."""
    case = load_case(stem)
    got, want = split_signings(extract(stem, case)), split_signings(case["expected"])
    result: dict = {"published_on": (got["published_on"], want.get("published_on"))}
    for kind in KINDS:
        g, w = keyed(kind, got.get(kind, [])), keyed(kind, want.get(kind, []))
        both = g & w
        result[kind] = {"tp": sum(both.values()), "fp": sum((g - w).values()), "fn": sum((w - g).values()),
                        "missed": sorted((w - g).elements(), key=str), "extra": sorted((g - w).elements(), key=str)}
    for kind, attr in ATTRIBUTES:
        matched = right = 0
        by_key = {}
        for r in got.get(kind, []):
            by_key.setdefault(tuple(r.get(k) for k in KEYS[kind]), []).append(r.get(attr))
        for r in want.get(kind, []):
            values = by_key.get(tuple(r.get(k) for k in KEYS[kind]))
            if values:
                matched += 1
                right += r.get(attr) == values.pop(0)
        result[f"{kind}.{attr}"] = (matched, right)
    return result


def scores(stems=None) -> dict:
    totals = {k: Counter() for k in KINDS}
    attrs = {f"{k}.{a}": Counter() for k, a in ATTRIBUTES}
    dated = Counter()
    for stem in stems or cases():
        r = compare(stem)
        got, want = r["published_on"]
        dated.update(pages=1, right=got == want)
        for kind in KINDS:
            totals[kind].update({k: r[kind][k] for k in ("tp", "fp", "fn")})
        for name in attrs:
            attrs[name].update(matched=r[name][0], right=r[name][1])
    out = {}
    for kind, c in {**totals, "all": sum(totals.values(), Counter())}.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        out[kind] = {"precision": p, "recall": rec, "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
    out["attributes"] = {k: (c["right"], c["matched"]) for k, c in attrs.items()}
    out["published_on"] = (dated["right"], dated["pages"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--diff", action="store_true", help="print each case's missed and extra facts")
    ap.add_argument("--case", action="append", help="only this case (repeatable)")
    ap.add_argument("--set", choices=sorted(SETS), default="blind", help="which blind set (default: blind)")
    args = ap.parse_args()
    global BLIND
    BLIND = SETS[args.set]
    stems = args.case or cases()
    if args.diff:
        for stem in stems:
            r = compare(stem)
            lines = [f"  published_on got {r['published_on'][0]} want {r['published_on'][1]}"] \
                if r["published_on"][0] != r["published_on"][1] else []
            for kind in KINDS:
                lines += [f"  - {kind} {k}" for k in r[kind]["missed"]] + [f"  + {kind} {k}" for k in r[kind]["extra"]]
            if lines:
                print(stem)
                print("\n".join(lines))
    s = scores(stems)
    print(f"{args.set} set: {len(stems)} pages")
    print(f"{'kind':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for kind in (*KINDS, "all"):
        v = s[kind]
        print(f"{kind:<12} {v['tp']:>4} {v['fp']:>4} {v['fn']:>4} {v['precision']:>10.3f} {v['recall']:>8.3f}")
    for name, (right, matched) in s["attributes"].items():
        print(f"{name:<22} {right}/{matched} right on matched facts")
    print(f"published_on           {s['published_on'][0]}/{s['published_on'][1]} pages right")


if __name__ == "__main__":
    main()
