"""PDF text extraction: CPU ms per page and per MB, pypdf (the pipeline's choice, extractors/pdf.py)
against pdfplumber and pdfminer.six, on contract PDFs laid out as the real ones
(samples/make_contract_pdfs.py): the 4-page sample, a 24-page contract of the same sections, and
that contract with a photo on every page (9 MB, as the real ones with pictures).

Medians of `--reps` passes, CPU time (time.process_time) of this process; the bounded child
process the crawl reads each PDF in adds its start (about 0.5 s wall, measured here too).

    uv run python bench/pdf.py [--reps 5]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "samples"))

from make_contract_pdfs import ESKILSTUNA_2023, _render, contract_pdf  # noqa: E402


def long_contract(photos: bool) -> bytes:
    """A long contract: the sample's sections ten times over, renumbered, with a photo on every page."""
    sections = []
    for round_ in range(10):
        for number, title, text in ESKILSTUNA_2023["sections"]:
            head, _, rest = number.partition(".")
            sections.append((f"{int(head) + 6 * round_}{'.' + rest if rest else ''}", title, (text + " ") * 3))
    spec = dict(ESKILSTUNA_2023, sections=sections)
    pages_of: dict[str, int] = {}
    _render(spec, pages_of)
    pdf = _render(spec, pages_of)
    if photos:
        from PIL import Image

        rng = random.Random(1)
        for page in range(1, pdf.page + 1):  # a photo of its own on each page (noise: incompressible)
            photo = Image.frombytes("RGB", (400, 300), rng.randbytes(400 * 300 * 3))
            pdf.page = page
            pdf.image(photo, x=120, y=200, w=60)
    return bytes(pdf.output())


def _pypdf(body: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return sum(len(p.extract_text() or "") for p in reader.pages)


def _pdfplumber(body: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return sum(len(p.extract_text() or "") for p in pdf.pages)


def _pdfminer(body: bytes) -> int:
    from pdfminer.high_level import extract_text

    return len(extract_text(io.BytesIO(body)))


LIBRARIES = {"pypdf": _pypdf, "pdfplumber": _pdfplumber, "pdfminer.six": _pdfminer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    from pypdf import PdfReader

    corpus = {"sample (4 pages)": contract_pdf(ESKILSTUNA_2023), "long contract": long_contract(False),
              "contract with photos": long_contract(True)}
    for name, body in corpus.items():
        pages = len(PdfReader(io.BytesIO(body)).pages)
        print(f"{name}: {pages} pages, {len(body) / 1e6:.2f} MB")
        for library, read in LIBRARIES.items():
            read(body)  # imports and caches out of the timing
            times = []
            for _ in range(args.reps):
                started = time.process_time()
                read(body)
                times.append(time.process_time() - started)
            median = statistics.median(times)
            print(f"  {library:13} {1000 * median / pages:7.1f} ms CPU per page  "
                  f"{1000 * median / (len(body) / 1e6):8.1f} ms per MB  (median of {args.reps})")
    from klimatkontrakt.fetch.pdfs import read_pdf

    walls = []
    for _ in range(args.reps):
        started = time.monotonic()
        read_pdf(corpus["sample (4 pages)"])
        walls.append(time.monotonic() - started)
    print(f"bounded child process (start, pypdf import, the 4-page sample): {statistics.median(walls):.2f} s wall, median")


if __name__ == "__main__":
    main()
