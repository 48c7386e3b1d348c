"""What an interrupted run leaves behind (SIGKILL skips its own clean-up) and its removal: the
half-built database, the half-built release, the staged tables. One sweep for all three."""

from __future__ import annotations

import shutil
import time
from pathlib import Path


def remove_path(path: Path) -> None:
    """A file, a link or a whole folder; nothing when it is not there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep(folder: Path, pattern: str, older_than: float = 0.0) -> list[Path]:
    """Remove what matches `pattern` in `folder` and was last modified more than `older_than`
    seconds ago (a younger one may belong to a run still going); the paths removed, in order."""
    now = time.time()
    removed = []
    for path in sorted(folder.glob(pattern)):
        try:
            if older_than and now - path.lstat().st_mtime < older_than:
                continue
            remove_path(path)
        except OSError:
            continue
        removed.append(path)
    return removed
