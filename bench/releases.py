"""A simulated year of nightly runs: the disk that releases, run logs and the database take.

The sample archive is replayed once (`klimatkontrakt run --replay`, the real flow) and its tables
are then run night after night without Prefect or the network, as the nightly run loads and
publishes them: each night the same crawl log again (every request, new run id and time) into
`build_database` (the crawl log's retention applied) and `publish(only_if_changed=True)`; on
`--change-days` nights a week, `--changes` signings change (a new signing, or an edited one's
evidence), so the facts' history grows and a release is made. At the end the disk of
`packages/` is measured as it stands (every folder whole) and after `prune_releases` with
`--keep` folders (the zips always kept), beside the database and the run reports.

    uv run python bench/releases.py [--days 365] [--change-days 2] [--changes 2] [--keep 7]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from klimatkontrakt.core import schema as sch  # noqa: E402
from klimatkontrakt.core.settings import REPO_ROOT, Settings  # noqa: E402
from klimatkontrakt.release.publish import publish  # noqa: E402
from klimatkontrakt.release.retention import prune_releases  # noqa: E402
from klimatkontrakt.store.crawl_log import write_run_fetches  # noqa: E402
from klimatkontrakt.store.load import build_database, read_tables  # noqa: E402

SAMPLE = REPO_ROOT / "samples" / "klimatkontrakt-sample.warc.gz"
START = datetime(2027, 1, 1, 2, 15, tzinfo=UTC)


def base_tables(work: Path) -> dict[str, pd.DataFrame]:
    """The tables of one real replay of the sample archive, as the flow hands them to the loader."""
    db = work / "base.duckdb"
    subprocess.run([sys.executable, "-m", "klimatkontrakt", "run", "--replay", str(SAMPLE), "--db", str(db),
                    "--out", str(work / "base-out")], check=True, capture_output=True, cwd=work)
    tables = read_tables(db, sch.database_table_names())
    skip = {"runs", "sources", *(t for t in sch.table_names() if sch.history_of(t))}
    return {name: frame for name, frame in tables.items() if name not in skip}


def night(tables: dict[str, pd.DataFrame], day: datetime, run_id: str) -> dict[str, pd.DataFrame]:
    """The same crawl again, tonight: every request with this run's id and time."""
    fetches = tables["fetches"].copy()
    fetches["run_id"] = run_id
    fetches["fetched_at"] = day.replace(tzinfo=None)
    return {**tables, "fetches": fetches}


def change_signings(tables: dict[str, pd.DataFrame], day: datetime, n: int, serial: int) -> None:
    """`n` signings change tonight, for good: a new one (as if a municipality signed), or an
    earlier one's evidence reworded."""
    signings = tables["signings"]
    for i in range(n):
        if (serial + i) % 2 == 0:
            row = signings.iloc[[(serial + i) % len(signings)]].copy()
            row["signing_id"] = hashlib.sha256(f"{day:%Y%m%d}-{i}".encode()).hexdigest()[:16]
            row["signed_on"] = day.date()
            signings = pd.concat([signings, row], ignore_index=True)
        else:
            at = signings.index[(serial + i) % len(signings)]
            signings.loc[at, "evidence"] = f"{signings.loc[at, 'evidence']} ({day:%Y-%m-%d})"
    tables["signings"] = signings.sort_values("signing_id", ignore_index=True)


def disk(path: Path, pattern: str = "**/*") -> int:
    return sum(p.stat().st_size for p in path.glob(pattern) if p.is_file() and not p.is_symlink())


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--change-days", type=int, default=2, help="nights a week on which facts change")
    ap.add_argument("--changes", type=int, default=2, help="signings changed on such a night")
    ap.add_argument("--keep", type=int, default=7, help="release folders kept whole for the retention figure")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    retention = timedelta(days=Settings().fetch_log_days)

    with tempfile.TemporaryDirectory(prefix="kk-releases-") as tmp:
        work = Path(tmp)
        tables = base_tables(work)
        out, db = work / "out", work / "out" / "klimatkontrakt.duckdb"
        change_nights = {round(k * 7 / args.change_days) for k in range(args.change_days)}
        times, published, serial = {"load": [], "publish": [], "none": []}, 0, 0
        for d in range(args.days):
            day = START + timedelta(days=d)
            run_id = f"{day:%Y%m%dT%H%M%SZ}-{d:04x}"
            if d and d % 7 in change_nights:
                change_signings(tables, day, args.changes, serial)
                serial += args.changes
            tonight = night(tables, day, run_id)
            run = {"run_id": run_id, "started_at": day.replace(tzinfo=None), "finished_at": day.replace(tzinfo=None),
                   "status": "success", "pages_fetched": len(tonight["fetches"]), "records": 0,
                   "sources_failed": None, "message": None}
            started = time.perf_counter()
            build_database(tonight, db, [run], fetches_since=(day - retention).replace(tzinfo=None))
            write_run_fetches(tonight["fetches"], out / "runs" / f"{run_id}.fetches.csv.gz")
            loaded = time.perf_counter()
            release = publish(db, out, created=day, only_if_changed=True, site=False, keep_releases=0)
            times["load"].append(loaded - started)
            times["publish" if release else "none"].append(time.perf_counter() - loaded)
            published += release is not None
            if d % 30 == 29:
                print(f"day {d + 1}: {published} release(s), packages {mb(disk(out / 'packages'))}", flush=True)

        packages = out / "packages"
        folders, zips = disk(packages) - disk(packages, "*.zip"), disk(packages, "*.zip")
        with_fetch_rows = read_tables(db, ["fetches"])["fetches"]
        print(f"\n{args.days} nights, facts changed on {args.change_days} a week ({args.changes} signings each): "
              f"{published} releases ({len(times['none'])} nights published nothing)")
        print(f"per night, median: load {statistics.median(times['load']):.2f} s; publish "
              f"{statistics.median(times['publish']):.2f} s when a release is made, "
              f"{statistics.median(times['none']):.2f} s to find that none is due")
        print(f"one release: folder {mb(folders // max(published, 1))}, zip {mb(zips // max(published, 1))}")
        print(f"packages/, every folder whole: {mb(folders + zips)} (folders {mb(folders)}, zips {mb(zips)})")
        prune_releases(packages, args.keep)
        print(f"packages/, {args.keep} folders whole and the rest as zips: {mb(disk(packages))}")
        print(f"database: {mb(db.stat().st_size)} (+ the previous one, {mb((out / 'klimatkontrakt.prev.duckdb').stat().st_size)}), "
              f"fetches rows kept: {len(with_fetch_rows):,} ({retention.days} days)")
        print(f"run reports' crawl logs (output/runs/*.fetches.csv.gz): {mb(disk(out / 'runs'))}")


if __name__ == "__main__":
    main()
