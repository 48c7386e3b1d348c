"""A PDF's text, page by page (pages joined by a form feed, as `extractors.text` reads them).

pypdf, not pdfplumber or pdfminer.six: on our contract layouts both give the same lines for
numbered headings, running headers, page numbers, glued footnote digits and hyphenated line
ends, but on a cover with two columns pypdf keeps each column's lines together in the order the
page draws them, where pdfplumber (pdfminer's layout analysis) interleaves the two columns line
by line; and pypdf is pure Python with decompression and object limits of its own, and 10-25x
faster (bench/pdf.py, 2026-12-07: 2.6 ms CPU a page of a 24-page contract, pdfminer.six 28,
pdfplumber 70; a 9 MB contract with photos 8.5 ms a MB against 72 and 201). A hostile file is read in a child process with memory and CPU limits
(`klimatkontrakt/fetch/pdfs.py`); `python -m extractors.pdf` is that child.
"""

from __future__ import annotations

import io
import json
import logging
import sys

from klimatkontrakt.core.errors import one_line

PAGE_BREAK = "\f"
MAX_PAGES = 300  # a contract has 20-40; an annual report past this is not read further


class PdfUnreadable(ValueError):
    """A PDF without text to read: encrypted, malformed, image-only. The message is one line."""


def pdf_text(body: bytes, max_pages: int = MAX_PAGES) -> str:
    """The text of each page, joined by PAGE_BREAK; PdfUnreadable when there is none to read."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if b"%PDF" not in body[:1024]:
        raise PdfUnreadable("not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("encrypted PDF (a password is needed to read it)")
        pages = [page.extract_text() or "" for page in reader.pages[:max_pages]]
    except PdfUnreadable:
        raise
    except FileNotDecryptedError:
        raise PdfUnreadable("encrypted PDF (a password is needed to read it)") from None
    except (PdfReadError, RecursionError, KeyError, ValueError, TypeError, AttributeError, IndexError,
            AssertionError, OSError, NotImplementedError) as exc:
        raise PdfUnreadable(f"malformed PDF: {type(exc).__name__}: {one_line(exc, 200)}") from None
    if not any(page.strip() for page in pages):
        raise PdfUnreadable(f"no text layer in {len(pages)} page(s) (scanned or image-only)")
    return PAGE_BREAK.join(page.replace(PAGE_BREAK, "\n") for page in pages)


def main() -> None:
    """The bounded child: a PDF on stdin, {"text": ...} or {"error": ...} on stdout."""
    logging.disable(logging.WARNING)  # pypdf warns about every repaired object of a broken file
    sys.setrecursionlimit(2000)
    try:
        answer = {"text": pdf_text(sys.stdin.buffer.read())}
    except PdfUnreadable as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        answer = {"error": "PDF too large to read within the memory limit"}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    main()
