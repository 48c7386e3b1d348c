"""Coverage benchmark: every municipality's website watched in one night, on 290 local hosts.

Each of 290 sites (127.0.1.1-127.0.1.250 and 127.0.2.1-127.0.2.40, one server each) has a home page
linking its news listing, a sitemap of 500-5,000 URLs of which 1-3 % are on the topic (`/klimat/...`),
those topic pages (about 8 kB each, some mentioning Klimatkontrakt 2030), and ETags (304 to a
matching If-None-Match). The pipeline runs as the nightly job does (`klimatkontrakt run`, live
client, politeness delay per host) with a sources file whose `[municipal_sites] all = true` and
`websites` point the 290 generated sources at the local hosts; then a second, unchanged night
into the same output folder. Printed: wall clock against the politeness floor of the busiest host
(its requests x the delay: no crawl can be faster without being ruder), requests and bytes the
sites answered (full downloads of pages, 304s, sitemaps), peak memory (summed PSS of the run's
processes) and CPU of the run. Targets (issue "Every municipality watched"): first night within
1.2x the floor; second night 0 full page downloads and under 10 % of the first night's CPU; peak
memory under 600 MB.

    uv run python bench/coverage.py [--delay 0.2] [--budget 30] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _sites import Host, serve, stop  # noqa: E402
from replay import leave, run_cli  # noqa: E402

from klimatkontrakt.core import reference  # noqa: E402

TARGET_POLITENESS = 1.2
TARGET_SECOND_CPU = 0.10
TARGET_MEMORY_MB = 600


def topic_page(site: int, j: int) -> bytes:
    said = "Kommunen skrev under Klimatkontrakt 2030 den 8 december 2023." if j % 4 == 0 else "Kommunen arbetar med klimatet."
    filler = "".join(f"<p>Stycke {k} om klimatarbetet i kommun {site}, artikel {j}.</p>" for k in range(90))
    return (f"<!doctype html><html lang=sv><head><title>Klimat {j} - kommun {site}</title></head><body><main><article>"
            f"<h1>Klimatarbete {j}</h1><p>{said}</p>{filler}</article></main></body></html>").encode()


def make_site(i: int) -> Host:
    """Site i: a sitemap of 500-5,000 URLs, 1-3 % of them on the topic."""
    n = 500 + (i * 1543) % 4501
    topic = max(1, round(n * (1 + i % 3) / 100))
    paths = [f"/sida/{k}/" for k in range(n - topic)] + [f"/klimat/artikel-{j}/" for j in range(topic)]
    entries = "".join(f"<url><loc>{{root}}{p.lstrip('/')}</loc><lastmod>2024-{1 + k % 12:02d}-01</lastmod></url>"
                      for k, p in enumerate(paths))
    pages = {f"/klimat/artikel-{j}/": topic_page(i, j) for j in range(topic)}
    listing = "".join(f'<li><a href="/klimat/artikel-{j}/">Artikel {j}</a></li>' for j in range(min(5, topic)))
    pages["/nyheter/"] = f"<!doctype html><html><body><h1>Nyheter</h1><ul>{listing}</ul></body></html>".encode()
    pages["/"] = b"<!doctype html><html><body><h1>Kommunen</h1><a href='/nyheter/'>Nyheter</a></body></html>"
    address = f"127.0.{1 + i // 250}.{1 + i % 250}"
    host = serve(Host(address=address, pages=pages))
    host.pages["/sitemap.xml"] = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                  + entries.replace("{root}", host.root) + "</urlset>").encode()
    return host


def night(sources: Path, out: Path, hosts: list[Host]) -> dict:
    for h in hosts:
        h.reset_counts()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = run_cli(sources, out, "--allow-private")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    r["requests"] = {h.address: sum(h.counts.values()) for h in hosts}
    r["full_pages"] = sum(h.full_downloads() for h in hosts)
    r["sitemaps"] = sum(h.counts.get(("sitemap", 200), 0) for h in hosts)
    r["not_modified"] = sum(h.counts.get(("page", 304), 0) for h in hosts)
    r["bytes"] = sum(h.bytes_sent for h in hosts)
    return r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.2, help="politeness delay per host, seconds")
    parser.add_argument("--budget", type=int, default=30, help="requests per site and night (max_pages)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kk-coverage-"))
    hosts: list[Host] = []
    try:
        codes = [m.code for m in reference.municipalities()]  # all of them: no generated source may reach out
        hosts = [make_site(i) for i in range(len(codes))]
        with (tmp / "websites.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["municipality_code", "website"])
            w.writerows(zip(codes, (h.root for h in hosts)))
        # one hand-written entry (the file needs one): the first site's news listing
        (tmp / "sources.toml").write_text(
            f'[[source]]\nid = "first"\nextractor = "municipal"\nmunicipality_code = "{codes[0]}"\n'
            f'start_urls = ["{hosts[0].root}nyheter/"]\nmax_pages = {args.budget}\ndelay_seconds = {args.delay}\n\n'
            f'[municipal_sites]\nall = true\nmax_pages = {args.budget}\ndelay_seconds = {args.delay}\nwebsites = "websites.csv"\n',
            encoding="utf-8")
        sitemap_sizes = [h.pages["/sitemap.xml"].count(b"<url>") for h in hosts]
        print(f"{len(hosts)} sites, sitemaps of {min(sitemap_sizes)}-{max(sitemap_sizes)} URLs, budget {args.budget}, "
              f"delay {args.delay} s")
        out = tmp / "out"
        first = night(tmp / "sources.toml", out, hosts)
        second = night(tmp / "sources.toml", out, hosts)
        for name, r in (("first night", first), ("second night", second)):
            busiest = max(r["requests"].values())
            floor = busiest * args.delay
            print(f"{name}: flow {r['flow']:.1f} s (collect {r['collect']:.1f} s; politeness floor {floor:.1f} s = "
                  f"{busiest} requests to the busiest host; collect/floor {r['collect'] / floor:.2f}x), "
                  f"{sum(r['requests'].values())} requests, {r['full_pages']} full page downloads, {r['not_modified']} 304, "
                  f"{r['sitemaps']} sitemaps, "
                  f"{r['bytes'] / 1e6:.1f} MB sent, CPU {r['cpu_s']:.1f} s, peak {r['pss_mb']:.0f} MB PSS")
        ratio = first["collect"] / (max(first["requests"].values()) * args.delay)
        cpu = second["cpu_s"] / first["cpu_s"]
        peak = max(first["pss_mb"], second["pss_mb"])
        print(f"HEADLINE coverage {len(hosts)} sites: first night collect {ratio:.2f}x the politeness floor "
              f"(target {TARGET_POLITENESS}x: {'met' if ratio <= TARGET_POLITENESS else 'MISSED'}); second night "
              f"{second['full_pages']} full page downloads, CPU {cpu:.0%} of the first (target < {TARGET_SECOND_CPU:.0%}: "
              f"{'met' if cpu < TARGET_SECOND_CPU and second['full_pages'] == 0 else 'MISSED'}); peak {peak:.0f} MB "
              f"(target < {TARGET_MEMORY_MB}: {'met' if peak < TARGET_MEMORY_MB else 'MISSED'})")
    finally:
        stop(hosts)
        leave(tmp, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
