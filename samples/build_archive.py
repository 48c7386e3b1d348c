"""Build the demo archive `samples/klimatkontrakt-sample.warc.gz` from `samples/manifest.toml`.

The pages (the extractor fixtures plus `samples/pages/`, and the contract PDFs that
`samples/make_contract_pdfs.py` writes to `samples/pdfs/`) are written by the project, modelled on
the real sites; the archive files them under real URLs so the default sources file replays offline.
Run: uv run python samples/build_archive.py
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

from klimatkontrakt.fetch.warc import ArchiveWriter

HERE = Path(__file__).resolve().parent
ARCHIVE = HERE / "klimatkontrakt-sample.warc.gz"
RECORDED_AT = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)  # fixed, so rebuilding is reproducible


def build(manifest: Path = HERE / "manifest.toml", archive: Path = ARCHIVE) -> int:
    pages = tomllib.loads(manifest.read_text(encoding="utf-8"))["page"]
    with ArchiveWriter(archive) as writer:
        for page in pages:
            status = page.get("status", 200)
            headers = [("Content-Type", page.get("content_type", "text/html; charset=utf-8"))]
            body = b""
            if "location" in page:
                headers.append(("Location", page["location"]))
            if "file" in page and page["file"].endswith(".pdf"):
                body = (HERE.parent / page["file"]).read_bytes()
            elif "file" in page:
                text = (HERE.parent / page["file"]).read_text(encoding="utf-8")
                body = text.encode(page.get("encode", "utf-8"))
            headers.append(("Content-Length", str(len(body))))
            writer.record(
                url=page["url"],
                method="GET",
                request_headers={"User-Agent": "klimatkontrakt-samples"},
                status=status,
                reason={200: "OK", 301: "Moved Permanently", 404: "Not Found"}.get(status, "OK"),
                response_headers=headers,
                body=body,
                fetched_at=RECORDED_AT,
            )
    return len(pages)


if __name__ == "__main__":
    print(f"wrote {build()} pages to {ARCHIVE.relative_to(HERE.parent)}")
