"""Debian's Chromium driven by playwright, for the tests that look at pages as a reader does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def browser_or_skip():
    """playwright's sync API; a skip where Chromium is missing, a failure in CI (it must be there)."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None and not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run should have installed the chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); required in CI")
    return pytest.importorskip("playwright.sync_api")


def keep_screenshot(tab, folder: Path, name: str, env_var: str) -> Path:
    """A full-page screenshot in the test's folder, copied to $`env_var` when that is set (CI keeps it)."""
    shot = folder / name
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get(env_var):
        shutil.copy(shot, os.environ[env_var])
    return shot
