"""The committed demo archive matches samples/manifest.toml (rebuild it with samples/build_archive.py)."""

import tomllib
from pathlib import Path

from klimatkontrakt.fetch.warc import ReplayArchive

REPO = Path(__file__).resolve().parents[2]


def test_archive_holds_every_manifest_page_as_written():
    pages = tomllib.loads((REPO / "samples" / "manifest.toml").read_text(encoding="utf-8"))["page"]
    archive = ReplayArchive([REPO / "samples" / "klimatkontrakt-sample.warc.gz"])
    for page in pages:
        recorded = archive.lookup(page["url"])
        assert recorded is not None, f"{page['url']} missing: run samples/build_archive.py"
        assert recorded.status == page.get("status", 200)
        if "file" in page and page["file"].endswith(".pdf"):
            assert recorded.body == (REPO / page["file"]).read_bytes(), f"{page['url']} is stale"
        elif "file" in page:
            text = (REPO / page["file"]).read_text(encoding="utf-8")
            assert recorded.body == text.encode(page.get("encode", "utf-8")), f"{page['url']} is stale"
