"""Would htmldate (dates) or trafilatura (main text) beat our hand-written code as a FALLBACK?

Measures, over the extractor fixtures (tests/extractors/fixtures, hand-reviewed goldens):

1. dates: every fixture with a golden publication date, stripped of <meta>, JSON-LD and <time>
   (so that only the fallback signals remain), dated by `extractors.page.parse_page` and by
   htmldate (`original_date=True`, with and without `extensive_search`): right / wrong / none;
2. main text: fact precision/recall when the fact rules read our blocks or trafilatura's text
   (`favor_recall=True`, XML output mapped to blocks), on all fixtures and on the unknown-layout
   ones (no known container, no main/article: our h1-column fallback);
3. cost: median ms per page of parse_page, htmldate and trafilatura on the fixtures and on 30
   synthetic 60-150 KB pages (bench/_corpus.py).

Run: uv run python bench/fallback.py
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import htmldate
import lxml.etree
import lxml.html
import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "extractors"))
sys.path.insert(0, str(REPO / "bench"))

import extractor_golden as golden  # noqa: E402
from _corpus import HOSTS, _article  # noqa: E402
from report import KEYS, keyed  # noqa: E402

from extractors.common import Block, parse_html  # noqa: E402
from extractors.facts import extract_facts  # noqa: E402
from extractors.facts.projects import find_projects, is_project_page  # noqa: E402
from extractors.page import parse_page  # noqa: E402
from extractors.sites import municipal, viablecities  # noqa: E402

logging.disable(logging.CRITICAL)
BARE_URL = "https://example.org/artikel"


def fixtures():
    for name, (url, extractor, code) in golden.FIXTURES.items():
        html = (golden.HERE / f"{name}.html").read_text(encoding="utf-8")
        yield name, url, extractor, code, html, golden.load(name)


def dates() -> None:
    tally = {k: Counter() for k in ("ours", "htmldate", "htmldate extensive", "ours, then htmldate",
                                     "ours, then htmldate extensive")}
    fallback_pages = 0
    for name, _url, _ext, _code, html, want in fixtures():
        if not want["published_on"]:
            continue
        root = lxml.html.fromstring(html)
        for el in root.xpath("//meta | //script[@type='application/ld+json']"):
            el.drop_tree()
        for el in root.xpath("//time"):
            el.drop_tag()
        stripped = lxml.html.tostring(root, encoding="unicode")
        ours = parse_page(BARE_URL, stripped).published_on
        got = {
            "ours": ours.isoformat() if ours else None,
            "htmldate": htmldate.find_date(stripped, url=BARE_URL, original_date=True, extensive_search=False),
            "htmldate extensive": htmldate.find_date(stripped, url=BARE_URL, original_date=True),
        }
        got["ours, then htmldate"] = got["ours"] or got["htmldate"]
        got["ours, then htmldate extensive"] = got["ours"] or got["htmldate extensive"]
        fallback_pages += 1
        for k, v in got.items():
            tally[k]["none" if v is None else "right" if v == want["published_on"] else "wrong"] += 1
    print(f"dates on {fallback_pages} fixtures stripped of meta, JSON-LD and <time>:")
    for k, c in tally.items():
        print(f"  {k:<30} right {c['right']:>2}  wrong {c['wrong']:>2}  none {c['none']:>2}")


def _trafilatura_page(url, html, selectors):
    page = parse_page(url, html, selectors)
    xml = trafilatura.extract(html, url=url, output_format="xml", favor_recall=True, include_tables=True)
    blocks: list[Block] = []
    for el in lxml.etree.fromstring(xml.encode()).iter("head", "p", "item", "quote", "cell") if xml else ():
        text = " ".join("".join(el.itertext()).split())
        if text:
            tag = {"head": "h2", "item": "li", "quote": "blockquote", "cell": "td"}.get(el.tag, "p")
            blocks.append(Block(len(blocks), tag, text))
    return dataclasses.replace(page, blocks=blocks)


def _unknown_layout(html: str, selectors) -> bool:
    root = parse_html(html)
    return not any(root.xpath(xp) for xp in (*selectors, "//main", "//*[@role='main']", "//article"))


def main_text() -> None:
    totals = {(mode, scope): Counter() for mode in ("ours", "trafilatura") for scope in ("all", "unknown layout")}
    unknown = []
    for name, url, extractor, code, html, want in fixtures():
        module = municipal if extractor == "municipal" else viablecities
        is_unknown = _unknown_layout(html, module.SELECTORS)
        if is_unknown:
            unknown.append(name)
        for mode in ("ours", "trafilatura"):
            if mode == "ours":
                got = golden.to_json(golden.run(name))
            else:
                page = _trafilatura_page(url, html, module.SELECTORS)
                e = extract_facts(page, code, is_viablecities=extractor == "viablecities")
                if is_project_page(url):
                    e = dataclasses.replace(e, projects=tuple(find_projects(page)))
                got = golden.to_json(e)
            for kind in KEYS:
                g, w = keyed(kind, got[kind]), keyed(kind, want[kind])
                tp = sum((g & w).values())
                counts = Counter(tp=tp, fp=sum(g.values()) - tp, fn=sum(w.values()) - tp)
                totals[(mode, "all")].update(counts)
                if is_unknown:
                    totals[(mode, "unknown layout")].update(counts)
    print(f"facts read from our blocks vs trafilatura's text (unknown layouts: {', '.join(unknown)}):")
    for (mode, scope), c in totals.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"  {mode:<12} {scope:<15} tp {c['tp']:>3} fp {c['fp']:>2} fn {c['fn']:>2}  precision {p:.3f} recall {r:.3f}")


def cost() -> None:
    rng = random.Random(7)
    synthetic = []
    for i in range(30):
        host = HOSTS[i % len(HOSTS)]
        published = date(2021, 1, 1)
        synthetic.append((host.root + f"a{i}", _article(host, rng, f"Nyhet {i}", published, host.root + f"a{i}", [],
                                                         rng.randint(62_000, 145_000))))
    small = [(url, html) for _n, url, _e, _c, html, _w in fixtures()]
    for label, pages in (("fixtures (1-4 KB)", small), ("synthetic 60-150 KB", synthetic)):
        timings = {"parse_page": [], "htmldate": [], "trafilatura": []}
        for url, html in pages:
            for key, call in (("parse_page", lambda: parse_page(url, html)),
                              ("htmldate", lambda: htmldate.find_date(html, url=url, original_date=True)),
                              ("trafilatura", lambda: trafilatura.extract(html, url=url, favor_recall=True))):
                start = time.perf_counter()
                call()
                timings[key].append(time.perf_counter() - start)
        med = {k: 1000 * statistics.median(v) for k, v in timings.items()}
        print(f"cost, median ms/page on {len(pages)} {label}: parse_page {med['parse_page']:.2f}, "
              f"htmldate {med['htmldate']:.2f} ({med['htmldate'] / med['parse_page']:.1f}x), "
              f"trafilatura {med['trafilatura']:.2f} ({med['trafilatura'] / med['parse_page']:.1f}x)")


if __name__ == "__main__":
    dates()
    main_text()
    cost()
    print(json.dumps({"note": "a wrong date is worse than none: it sets the year of '8 december' and roles' as_of"}))
