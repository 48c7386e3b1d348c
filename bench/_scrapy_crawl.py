"""The reference crawl for bench/crawl.py, by Scrapy (run with `uv run --with scrapy`).

Crawls the given start URLs (one per host) following same-host links, with the same politeness
as klimatkontrakt: DOWNLOAD_DELAY, one request at a time per host, no randomised delay, robots.txt
obeyed, no AutoThrottle. Runs `--reps` crawls in one reactor and prints one JSON line:
{"version", "walls", "median", "pages", "max_rss_mb"}.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from urllib.parse import urlsplit

from scrapy.utils.reactor import install_reactor

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")  # Scrapy's default reactor

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerRunner  # noqa: E402
from scrapy.linkextractors import LinkExtractor  # noqa: E402
from twisted.internet import defer, reactor  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, required=True)
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("start_urls", nargs="+")
    args = ap.parse_args()
    counts: list[int] = []

    class Site(scrapy.Spider):
        name = "bench"
        start_urls = args.start_urls
        allowed_domains = sorted({urlsplit(u).hostname for u in args.start_urls})
        links = LinkExtractor(deny=[r"^https?://[^/]+/$"])  # start URLs are not dup-filtered: do not fetch them twice

        def parse(self, response):
            counts[-1] += 1
            for link in self.links.extract_links(response):
                yield response.follow(link.url, callback=self.parse)

    settings = {
        "DOWNLOAD_DELAY": args.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS": 64,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "RETRY_ENABLED": False,
        "DEPTH_LIMIT": 2,
        "CLOSESPIDER_PAGECOUNT": 0,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    runner = CrawlerRunner(settings)
    walls: list[float] = []

    @defer.inlineCallbacks
    def run():
        try:
            for rep in range(args.reps + 1):  # the first is a warm-up
                counts.append(0)
                started = time.perf_counter()
                yield runner.crawl(Site)
                if rep:
                    walls.append(time.perf_counter() - started)
        finally:
            reactor.stop()

    run()
    reactor.run()
    print(json.dumps({
        "version": scrapy.__version__,
        "walls": walls,
        "median": statistics.median(walls),
        "pages": counts[-1],
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
