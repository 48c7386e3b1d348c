"""Precision / recall / F1 per fact type over every fixture against its reviewed golden file.

Run: `uv run python tests/extractors/report.py` (or `uv run python -m tests.extractors.report`).
Facts are compared on their key fields (evidence text is not compared), as multisets. Printed
twice: over every fixture, and over the fixtures without a known fact-rule bug (`RULE_BUGS`).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from extractor_golden import FACTS, FIXTURES, RULE_BUGS, load, run, to_json  # noqa: E402

KEYS = {
    "signings": ("contract", "municipality_code", "organisation_id", "signed_on", "contract_version"),
    "events": ("kind", "starts_on", "start_time", "location"),
    "roles": ("person_name", "role_normalised", "party", "municipality_code", "organisation_id"),
    "memberships": ("municipality_code", "initiative_id", "joined_on", "joined_year", "cohort"),
    "projects": ("municipality_code", "project_manager", "total_budget_sek", "grant_sek", "starts_on", "ends_on"),
}


def keyed(kind: str, records: list[dict]) -> Counter:
    return Counter(tuple(r.get(k) for k in KEYS[kind]) for r in records)


def scores(names=None) -> dict[str, dict[str, float]]:
    totals = {k: Counter() for k in FACTS}
    for name in FIXTURES if names is None else names:
        got, want = to_json(run(name)), load(name)
        for kind in FACTS:
            g, w = keyed(kind, got[kind]), keyed(kind, want[kind])
            tp = sum((g & w).values())
            totals[kind].update(tp=tp, fp=sum(g.values()) - tp, fn=sum(w.values()) - tp)
    out = {}
    for kind, c in {**totals, "all": sum(totals.values(), Counter())}.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[kind] = {"precision": p, "recall": r, "f1": f, **c}
    return out


def main() -> None:
    clean = [n for n in FIXTURES if n not in RULE_BUGS]
    for heading, names in ((f"all {len(FIXTURES)} fixtures", None),
                           (f"{len(clean)} fixtures without a known fact-rule bug (RULE_BUGS)", clean)):
        print(heading)
        print(f"{'fact':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8} {'f1':>6}")
        for kind, s in scores(names).items():
            print(f"{kind:<12} {s.get('tp', 0):>4} {s.get('fp', 0):>4} {s.get('fn', 0):>4} {s['precision']:>10.3f} {s['recall']:>8.3f} {s['f1']:>6.3f}")


if __name__ == "__main__":
    main()
