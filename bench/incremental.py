"""Incremental benchmark: the second run over an unchanged site.

One or more local hosts (127.0.0.2, ...) serve pages with ETags (304 on a matching If-None-Match).
Run 1 starts from an empty output folder; run 2 starts from a fresh output folder holding only
run 1's database, as a new runner would. Each run does what the flow does (read page_state,
crawl with validators, extract or reuse, assemble, load DuckDB), without Prefect. Printed per
repetition and as medians: wall time of each run, full page downloads of run 2 (target 0), bytes
sent, pages extracted; peak memory. The key figure (wall-time ratio second/first) is printed last.

    uv run python bench/incremental.py [--hosts 2] [--pages 40] [--delay 0.05] [--filler 200] [--reps 3]
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _sites import make_hosts, stop  # noqa: E402

from klimatkontrakt.core.model import Source  # noqa: E402
from klimatkontrakt.core.schema import FACT_TABLES  # noqa: E402
from klimatkontrakt.core.settings import Settings  # noqa: E402
from klimatkontrakt.fetch.client import LiveClient  # noqa: E402
from klimatkontrakt.fetch.warc import ArchiveWriter  # noqa: E402
from klimatkontrakt.pipeline.collect import collect  # noqa: E402
from klimatkontrakt.pipeline.stages import assemble_tables  # noqa: E402
from klimatkontrakt.store.load import build_database  # noqa: E402
from klimatkontrakt.store.state import extractor_version, read_state  # noqa: E402


def one_run(sources: list[Source], settings: Settings, db: Path, archive: Path, run_id: str) -> dict:
    started = time.perf_counter()
    previous = read_state(db, {s.id: extractor_version(s) for s in sources})
    with ArchiveWriter(archive) as writer, LiveClient(settings, writer, validators=previous.validators) as client:
        results = list(_threads(sources, lambda s: collect(s, client, previous)))
    now = datetime.now(UTC).replace(tzinfo=None)
    run = {"run_id": run_id, "started_at": now, "finished_at": now, "status": "success",
           "pages_fetched": sum(len(r.pages) for r in results), "records": 0, "sources_failed": None,
           "message": None}
    tables = assemble_tables(results, run_id, previous, dict(client.seen_validators))
    run["records"] = sum(len(tables[t]) for t in FACT_TABLES)
    build_database(tables, db, [run])
    wall = time.perf_counter() - started
    extracted = sum(r.stats["documents"] - r.stats.get("reused", 0) for r in results)
    return {"wall": wall, "extracted": extracted, "records": run["records"]}


def _threads(items, fn):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(fn, items))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=2)
    ap.add_argument("--pages", type=int, default=40, help="pages per host, the start page included")
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--filler", type=int, default=200, help="paragraphs per page (page size)")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("klimatkontrakt").setLevel(logging.ERROR)

    hosts = make_hosts(args.hosts, args.pages, filler=args.filler)
    settings = Settings(_env_file=None, delay_seconds=args.delay, allow_private=True, max_retries=0)
    sources = [Source(id=f"h{i}", extractor="municipal", start_urls=(h.root,), max_pages=args.pages,
                      max_depth=2, delay_seconds=args.delay, municipality_code="0484")
               for i, h in enumerate(hosts)]
    firsts, seconds, downloads, sent = [], [], [], []
    try:
        for rep in range(args.reps):
            with tempfile.TemporaryDirectory(prefix="kk-bench-") as tmp:
                tmp = Path(tmp)
                for h in hosts:
                    h.reset_counts()
                first = one_run(sources, settings, tmp / "day1" / "kk.duckdb", tmp / "day1.warc.gz", f"r{rep}-1")
                bytes1 = sum(h.bytes_sent for h in hosts)
                (tmp / "day2").mkdir()
                shutil.copy(tmp / "day1" / "kk.duckdb", tmp / "day2" / "kk.duckdb")  # a fresh runner
                for h in hosts:
                    h.reset_counts()
                second = one_run(sources, settings, tmp / "day2" / "kk.duckdb", tmp / "day2.warc.gz", f"r{rep}-2")
                full = sum(h.full_downloads() for h in hosts)
                bytes2 = sum(h.bytes_sent for h in hosts)
                print(f"rep {rep + 1}: first {first['wall']:.3f} s ({first['extracted']} extracted, "
                      f"{bytes1 / 1e6:.2f} MB), second {second['wall']:.3f} s ({second['extracted']} extracted, "
                      f"{full} full downloads, {bytes2 / 1e6:.3f} MB); records {first['records']} -> {second['records']}")
                firsts.append(first["wall"])
                seconds.append(second["wall"])
                downloads.append(full)
                sent.append((bytes1, bytes2))
    finally:
        stop(hosts)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor = args.pages * args.delay
    print(f"\n{args.hosts} hosts x {args.pages} pages (~{len(hosts[0].pages['/p/1/']) / 1e3:.0f} kB each), "
          f"delay {args.delay} s (politeness floor {floor:.2f} s per run)")
    print(f"median first run {statistics.median(firsts):.3f} s, second run {statistics.median(seconds):.3f} s")
    print(f"bytes sent by the site: first {statistics.median(b for b, _ in sent) / 1e6:.2f} MB, "
          f"second {statistics.median(b for _, b in sent) / 1e6:.4f} MB")
    print(f"peak RSS {rss:.0f} MB")
    print(f"full downloads on the second run (target 0): max {max(downloads)}")
    print(f"wall-time ratio second/first (median): {statistics.median(seconds) / statistics.median(firsts):.3f}")


if __name__ == "__main__":
    main()
