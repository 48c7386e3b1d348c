"""Extraction CPU per page, in this process: the lxml parse floor, `parse_page`, and the whole
extractor (parse, document model, every fact rule), on the replay benchmark's synthetic pages
(bench/_corpus.py) and on the fixture and blind pages of tests/extractors.

The CPU time (time.process_time) of each pass is divided by the number of pages; the median of
`--reps` passes is printed. To compare with another checkout of the code, run this file with that
checkout first on the path:

    uv run python bench/extract.py [--pages 500] [--reps 5]
    PYTHONPATH=/path/to/other/checkout uv run python bench/extract.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import lxml.html  # noqa: E402
from _corpus import HOSTS, build_corpus  # noqa: E402
from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from extractors import REGISTRY  # noqa: E402
from extractors.page import parse_page  # noqa: E402
from klimatkontrakt.core.model import Source  # noqa: E402

TESTS = HERE.parent / "tests" / "extractors"


def corpus_pages(n: int) -> list[tuple[str, str, Source]]:
    """(url, html, source) of the article pages of an n-page synthetic corpus."""
    sources = {h.root: Source(id=h.id, extractor=h.extractor, start_urls=(h.root + h.index,),
                              municipality_code=h.code) for h in HOSTS}
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(Path(tmp), n)
        with open(corpus.archive, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                root = next(r for r in sources if url.startswith(r))
                if url == sources[root].start_urls[0]:
                    continue  # the index page
                out.append((url, record.content_stream().read().decode("utf-8"), sources[root]))
    return out


def test_pages() -> list[tuple[str, str, Source]]:
    """The fixture pages (their URL, extractor and municipality from extractor_golden) and the blind pages."""
    sys.path.insert(0, str(TESTS))
    from extractor_golden import FIXTURES
    from extractor_golden import HERE as FIXTURE_DIR

    out = []
    for name, (url, extractor, code) in FIXTURES.items():
        out.append((url, (FIXTURE_DIR / f"{name}.html").read_text(encoding="utf-8"),
                    Source(id=name, extractor=extractor, start_urls=(url,), municipality_code=code)))
    for meta in sorted((TESTS / "blind").glob("*.json")):
        case = json.loads(meta.read_text(encoding="utf-8"))
        out.append((case["url"], meta.with_suffix(".html").read_text(encoding="utf-8"),
                    Source(id=meta.stem, extractor=case["extractor"], start_urls=(case["url"],),
                           municipality_code=case.get("municipality_code"))))
    return out


def per_page_ms(pages, work, reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.process_time()
        for url, html, source in pages:
            work(url, html, source)
        times.append((time.process_time() - start) * 1000 / len(pages))
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    import extractors

    print(f"code: {Path(extractors.__file__).resolve().parent.parent}")
    work = {
        "lxml parse (floor)": lambda url, html, source: lxml.html.fromstring(html),
        "parse_page": lambda url, html, source: parse_page(url, html),
        "extract (all rules)": lambda url, html, source: REGISTRY[source.extractor](url, html, source),
    }
    for label, pages in ((f"synthetic corpus, {args.pages} pages", corpus_pages(args.pages)),
                         ("fixture and blind pages", test_pages())):
        print(label, f"({len(pages)} pages, {sum(len(p[1]) for p in pages) / len(pages) / 1000:.0f} KB on average)")
        for name, fn in work.items():
            print(f"  {name:<22} {per_page_ms(pages, fn, args.reps):7.2f} ms CPU per page (median of {args.reps})")


if __name__ == "__main__":
    main()
