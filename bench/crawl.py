"""Crawl benchmark: is the crawler as fast as politeness allows?

N local hosts (127.0.0.2, 127.0.0.3, ...) x M pages each, every host asking for `delay` seconds
between requests. The hosts are crawled concurrently the way the flow does it (one thread per
source, one shared LiveClient). The politeness floor is the time the slowest host needs at best:
pages x delay. Printed: per-repetition wall times, the median, wall/floor (target <= 1.2), and
the same crawl by Scrapy with the same politeness settings as the reference (run in a subprocess
with `uv run --with scrapy`, so Scrapy is not a project dependency; skipped when it cannot be
installed). The key figure is printed last.

    uv run python bench/crawl.py [--hosts 4] [--pages 30] [--delay 0.1] [--reps 5] [--no-scrapy]
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _sites import make_hosts, stop  # noqa: E402

from klimatkontrakt.core.model import Source  # noqa: E402
from klimatkontrakt.core.settings import Settings  # noqa: E402
from klimatkontrakt.fetch.client import LiveClient  # noqa: E402
from klimatkontrakt.fetch.crawl import crawl  # noqa: E402


def ours(hosts, pages: int, delay: float) -> tuple[float, int]:
    settings = Settings(_env_file=None, delay_seconds=delay, allow_private=True, max_retries=0)
    sources = [Source(id=f"h{i}", extractor="municipal", start_urls=(h.root,), max_pages=pages, max_depth=2,
                      delay_seconds=delay) for i, h in enumerate(hosts)]
    started = time.perf_counter()
    with LiveClient(settings, None) as client, ThreadPoolExecutor(max_workers=len(sources)) as pool:
        results = list(pool.map(lambda s: crawl(s, client), sources))
    wall = time.perf_counter() - started
    return wall, sum(len(r.pages) for r in results)


def scrapy_reference(hosts, pages: int, delay: float, reps: int) -> dict | None:
    script = Path(__file__).resolve().parent / "_scrapy_crawl.py"
    # -P: the script's folder is not put on sys.path (bench/incremental.py would shadow the
    # `incremental` package Twisted imports)
    cmd = ["uv", "run", "--no-project", "--with", "scrapy", "python", "-P", str(script),
           "--delay", str(delay), "--pages", str(pages), "--reps", str(reps), *[h.root for h in hosts]]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"scrapy: not run ({exc})")
        return None
    if done.returncode != 0:
        print("scrapy: could not be installed or run; skipped")
        print("  " + "\n  ".join(done.stderr.strip().splitlines()[-5:]))
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--pages", type=int, default=30, help="pages per host, the start page included")
    ap.add_argument("--delay", type=float, default=0.1)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-scrapy", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)

    hosts = make_hosts(args.hosts, args.pages)
    floor = args.pages * args.delay  # per host: robots.txt + pages requests, pages gaps of `delay`
    try:
        ours(hosts, args.pages, args.delay)  # warm-up (imports, first connections)
        walls = []
        for rep in range(args.reps):
            wall, n = ours(hosts, args.pages, args.delay)
            walls.append(wall)
            print(f"klimatkontrakt rep {rep + 1}: {wall:.3f} s, {n} pages")
        ours_median = statistics.median(walls)
        ours_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        scrapy = None if args.no_scrapy else scrapy_reference(hosts, args.pages, args.delay, args.reps)
    finally:
        stop(hosts)

    print(f"\n{args.hosts} hosts x {args.pages} pages, delay {args.delay} s; politeness floor {floor:.2f} s")
    print(f"klimatkontrakt: median wall {ours_median:.3f} s over {args.reps} reps; peak RSS {ours_rss:.0f} MB")
    if scrapy:
        print(f"scrapy {scrapy['version']}: median wall {scrapy['median']:.3f} s over {args.reps} reps "
              f"({scrapy['pages']} pages); peak RSS {scrapy['max_rss_mb']:.0f} MB"
              + (f"; wall/floor {scrapy['median'] / floor:.3f}" if floor else ""))
        print(f"klimatkontrakt / scrapy wall: {ours_median / scrapy['median']:.3f}")
    if floor:
        print(f"klimatkontrakt wall/floor (median, target <= 1.2): {ours_median / floor:.3f}")
    else:  # no delay, no politeness floor: how fast the crawler itself goes
        print(f"klimatkontrakt: {args.hosts * args.pages / ours_median:.0f} pages/s with no delay")


if __name__ == "__main__":
    main()
