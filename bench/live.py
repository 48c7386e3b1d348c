"""Live benchmark: a whole nightly run over HTTP, as it runs in production, on local web servers.

`klimatkontrakt run` without --replay crawls with its live client (keep-alive, gzip, robots.txt,
a politeness delay per host), extracts in the crawl threads, writes its own WARC archive of every
request and response, then assembles, loads and publishes as a replay does. bench/replay.py
measures the CPU-bound replay; this measures the path the nightly job takes.

The replay corpus (bench/_corpus.py: realistic Sitevision and WordPress pages) is served by one
server per host on 127.0.0.2-127.0.0.6 (pages sent gzip-encoded, as real sites send them). The
default size, 2,400 pages, is about what the default sources.toml lets a night fetch (28 sources
of 60 pages, one of 300, one of 400); `--pages 10000 --delay 0` is the memory check at 10,000
pages (target < 500 MB). Printed per repetition and as medians: the stages' times, pages/s,
fetch+extract over the politeness floor (the requests made to the busiest host x delay: a
crawl cannot be faster without being ruder), the servers' answers, and peak memory of the run (summed PSS of its
processes; the Prefect API server it starts apart). The key figure is printed last.

    uv run python bench/live.py [--pages 2400] [--delay 0.05] [--reps 1] [--keep]
    uv run python bench/live.py --pages 10000 --delay 0
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _corpus import HOSTS, build_corpus  # noqa: E402
from _sites import Host, serve, stop  # noqa: E402
from replay import TARGET_MEMORY_MB, leave, run_cli  # noqa: E402

TARGET_POLITENESS = 1.2  # fetch+extract wall / politeness floor, as for bench/crawl.py


def serve_corpus(archive: Path, sites: list[Host]) -> None:
    """Give each site the archive's responses under its address, by path, gzip-compressed."""
    from warcio.archiveiterator import ArchiveIterator

    by_netloc = {urlsplit(site.root).netloc: site for site in sites}
    with open(archive, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            url = urlsplit(record.rec_headers.get_header("WARC-Target-URI"))
            by_netloc[url.netloc].pages[url.path] = gzip.compress(record.content_stream().read(), 6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2400)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds between requests to one host")
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kk-bench-live-"))
    sites = [serve(Host(address=f"127.0.0.{i + 2}", pages={}, gzipped=True)) for i in range(len(HOSTS))]
    try:
        t = time.perf_counter()
        hosts = tuple(replace(host, root=site.root.rstrip("/")) for host, site in zip(HOSTS, sites, strict=True))
        corpus = build_corpus(tmp / "corpus", args.pages, hosts=hosts, delay_seconds=args.delay)
        serve_corpus(corpus.archive, sites)
        print(f"corpus: {corpus.pages} pages on {len(sites)} local hosts, {corpus.bytes / corpus.pages / 1024:.0f} KB "
              f"average, built in {time.perf_counter() - t:.1f} s; {args.delay} s between requests to a host")

        runs = []
        for i in range(args.reps):
            for site in sites:
                site.reset_counts()
            r = run_cli(corpus.sources, tmp / f"run{i}", "--allow-private")
            summary = json.loads(sorted((tmp / f"run{i}" / "runs").glob("*.json"))[-1].read_text())
            r["pages"] = sum(stats["pages"] for stats in summary["sources"].values())
            r["facts"] = sum(stats["facts"] for stats in summary["sources"].values())
            r["downloads"] = sum(site.full_downloads() for site in sites)
            r["sent_mb"] = sum(site.bytes_sent for site in sites) / 2**20
            # a crawl cannot be faster than the delays between the requests it made to its busiest host
            r["floor"] = max(sum(site.counts.values()) - 1 for site in sites) * args.delay
            r["archive_mb"] = sum(f.stat().st_size for f in (tmp / f"run{i}" / "archive").glob("*.warc.gz")) / 2**20
            runs.append(r)
            print(f"rep {i + 1}: {r['pages']} pages, {r['facts']} facts ({r['downloads']} downloads, {r['sent_mb']:.0f} MB sent gzipped; "
                  f"the run's archive {r['archive_mb']:.0f} MB) | startup {r['startup']:.1f} s | flow {r['flow']:.1f} s "
                  f"(fetch+extract {r['collect']:.1f}, assemble {r['assemble']:.1f}, load+publish {r['load_publish']:.1f}) "
                  f"| total {r['total']:.1f} s | peak {r['pss_mb']:.0f} MB (largest process {r['maxrss_mb']:.0f} MB RSS; "
                  f"Prefect server {r['server_pss_mb']:.0f} MB)")

        def med(key: str) -> float:
            return statistics.median(r[key] for r in runs)

        pages, collect, memory, floor = med("pages"), med("collect"), med("pss_mb"), med("floor")
        print()
        print(f"medians of {args.reps} run(s), {corpus.pages} pages:")
        for key in ("startup", "collect", "assemble", "load_publish", "flow", "total"):
            print(f"  {key:16s} {med(key):7.2f} s")
        print(f"  pages/s (flow)   {pages / med('flow'):7.1f}")
        if floor > 0:
            print(f"  fetch+extract / politeness floor  {collect / floor:.2f} (floor {floor:.1f} s; target <= {TARGET_POLITENESS}: "
                  f"{'met' if collect / floor <= TARGET_POLITENESS else 'MISSED'})")
        print(f"  peak memory, klimatkontrakt run   {memory:.0f} MB  (its processes, summed PSS; target < "
              f"{TARGET_MEMORY_MB} MB: {'met' if memory < TARGET_MEMORY_MB else 'MISSED'}); the Prefect API server "
              f"it starts: {med('server_pss_mb'):.0f} MB more")
        print()
        politeness = f", fetch+extract {collect / floor:.2f}x the politeness floor" if floor > 0 else ""
        print(f"HEADLINE live {corpus.pages} pages: {pages / med('flow'):.0f} pages/s, flow {med('flow'):.1f} s"
              f"{politeness}; peak {memory:.0f} MB")
        return 0
    finally:
        stop(sites)
        leave(tmp, args.keep)


if __name__ == "__main__":
    sys.exit(main())
