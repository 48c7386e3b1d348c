"""Precision and recall of the target rules on the blind target passages
(`tests/extractors/blind_targets/<batch>.json`, see its GUIDE.md).

Run: `uv run python tests/extractors/blind_targets_report.py` (`--diff` for each passage's misses
and extras, `--batch a` for one batch). A target matches on (municipality, kind, target year,
value), the key the issue measures; its other fields are scored apart, on the targets that matched.
The passages are read as plain text (`extractors.text.page_from_text`), as a contract PDF's text is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors.document import read_document  # noqa: E402
from extractors.facts.targets import find_targets  # noqa: E402
from extractors.text import page_from_text  # noqa: E402
from klimatkontrakt.core.model import as_dict  # noqa: E402

HERE = Path(__file__).parent / "blind_targets"
ATTRIBUTES = ("value_max", "unit", "baseline_year", "period_start", "scope", "basis", "sector", "status")


def passages(batches: list[str] | None = None) -> list[dict]:
    files = sorted(HERE.glob("*.json")) if not batches else [HERE / f"{b}.json" for b in batches]
    return [p for f in files for p in json.loads(f.read_text(encoding="utf-8"))]


def read(passage: dict) -> list[dict]:
    published = date.fromisoformat(passage["published_on"]) if passage.get("published_on") else None
    page = page_from_text(passage["url"], passage["text"], published)
    return [as_dict(t) for t in find_targets(read_document(page, passage["municipality_code"]))]


def key(t: dict) -> tuple:
    value = None if t.get("value") is None else round(float(t["value"]), 1)
    return (t["municipality_code"], t["kind"], t.get("target_year"), value)


def compare(passage: dict) -> dict:
    got, want = read(passage), passage["expected"]
    g, w = Counter(map(key, got)), Counter(map(key, want))
    attrs = Counter()
    for k in (g & w):
        a = next(x for x in got if key(x) == k)
        b = next(x for x in want if key(x) == k)
        for field in ATTRIBUTES:
            attrs[field] += a.get(field) == b.get(field)
    return {"tp": sum((g & w).values()), "fp": sum((g - w).values()), "fn": sum((w - g).values()),
            "missed": sorted((w - g).elements(), key=str), "extra": sorted((g - w).elements(), key=str), "attrs": attrs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--diff", action="store_true", help="print each passage's misses (-) and extras (+)")
    ap.add_argument("--batch", action="append", help="only this batch (a, b, ...); repeatable")
    args = ap.parse_args()
    total, attrs = Counter(), Counter()
    found = passages(args.batch)
    for p in found:
        r = compare(p)
        total.update({k: r[k] for k in ("tp", "fp", "fn")})
        attrs.update(r["attrs"])
        if args.diff and (r["missed"] or r["extra"]):
            print(p["id"], p["url"])
            for k in r["missed"]:
                print("  -", k)
            for k in r["extra"]:
                print("  +", k)
    tp, fp, fn = total["tp"], total["fp"], total["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{len(found)} passages: tp {tp} fp {fp} fn {fn}  precision {precision:.3f}  recall {recall:.3f}")
    for field in ATTRIBUTES:
        print(f"  {field:<14} {attrs[field]}/{tp} right on matched targets")


if __name__ == "__main__":
    main()
