"""A fetched PDF's text, read in a child process that cannot take the run down with it.

A hostile PDF (a decompression bomb, objects nested thousands deep, a file that sends the parser
into a loop) costs at most `seconds` of CPU and `memory_mb` of address space: the child
(`python -m extractors.pdf`) runs under RLIMIT_AS and RLIMIT_CPU and is killed past a wall-clock
limit; whatever goes wrong comes back as one `PdfUnreadable` line for `fetches.error`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from urllib.parse import urlsplit

from extractors.pdf import PdfUnreadable

PDF_SECONDS = 10  # CPU seconds for one PDF; a 40-page contract takes about 0.3 s
PDF_MEMORY_MB = 384  # address space of the child (Python and pypdf take about 80 MB of it)


def is_pdf(content_type: str | None, body: bytes) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/pdf" or (media in ("", "application/octet-stream", "binary/octet-stream")
                                          and body[:1024].lstrip().startswith(b"%PDF"))


def is_pdf_link(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def read_pdf(body: bytes, *, seconds: int = PDF_SECONDS, memory_mb: int = PDF_MEMORY_MB) -> str:
    """The PDF's text (pages joined by a form feed), or PdfUnreadable with the reason."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))

    try:
        done = subprocess.run([sys.executable, "-m", "extractors.pdf"], input=body, capture_output=True,
                              timeout=seconds * 2, preexec_fn=limits, check=False)
    except subprocess.TimeoutExpired:
        raise PdfUnreadable(f"PDF not read within {seconds * 2} s") from None
    if done.returncode != 0:
        if done.returncode in (-9, -24, 137, 152):  # SIGKILL, SIGXCPU
            raise PdfUnreadable(f"PDF not read within {seconds} s of CPU")
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        reason = "memory limit" if "MemoryError" in last else last[:200]
        raise PdfUnreadable(f"PDF reader failed ({reason})")
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise PdfUnreadable("PDF reader gave no answer") from None
    if "error" in answer:
        raise PdfUnreadable(answer["error"])
    return answer["text"]
