"""How many release folders keep their data on disk (`KLIMATKONTRAKT_KEEP_RELEASES`).

A release is immutable: its zip, `packages/klimatkontrakt-<version>.zip`, is never touched, and is
the release as published. What retention removes from an older release's folder are the unpacked
copies of the same bytes (`data/`, `parquet/`, the DuckDB file); the folder keeps its descriptor,
README, CHANGES, CITATION.cff and dcat.jsonld (so the catalogue page still lists it, with its row
counts and changes) and gains `PRUNED.md`, saying where the data went. The newest `keep` releases
and the one `latest` names are always kept whole.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from klimatkontrakt.release.changes import find_previous
from klimatkontrakt.release.site import releases

log = logging.getLogger(__name__)

PRUNED_NOTE = "PRUNED.md"


def prune_releases(packages: Path, keep: int) -> list[str]:
    """Prune every complete release but the newest `keep` (and `latest`) whose zip is there;
    returns the versions pruned now. `keep` 0 keeps every folder whole."""
    if keep <= 0:
        return []
    latest = find_previous(packages)
    pruned = []
    for release in releases(packages)[keep:]:
        folder = packages / release["version"]
        if (latest and folder.name == latest.version) or (folder / PRUNED_NOTE).exists() or not release["zip"]:
            continue
        _prune(folder, release["zip"])
        pruned.append(folder.name)
    if pruned:
        log.info("pruned %d older release folder(s) to their zips (keep %d): %s", len(pruned), keep, ", ".join(pruned))
    return pruned


def _prune(folder: Path, zip_name: str) -> None:
    # the note first: a prune cut off half-way still says what happened, and is not redone
    (folder / PRUNED_NOTE).write_text(
        f"# Release {folder.name}: data files pruned\n\n"
        "To save disk, the unpacked data of this older release (`data/`, `parquet/`, the DuckDB file)\n"
        "was removed from this folder. The release itself is unchanged and complete in\n"
        f"`../{zip_name}`; this folder keeps its descriptor, README, CHANGES and citation.\n",
        encoding="utf-8")
    for name in ("data", "parquet"):
        shutil.rmtree(folder / name, ignore_errors=True)
    for db in folder.glob("*.duckdb"):
        db.unlink()
