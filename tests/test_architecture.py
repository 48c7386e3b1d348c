"""The layout is a contract: the import layers of `[tool.importlinter]` in pyproject.toml hold
(no import circles, core imports no stage, extractors no fetch/store/release/runtime code), and
no module outside the tests grows past 500 lines (docs/architecture.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500


def test_the_import_layers_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout


def test_no_module_outside_the_tests_is_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for folder in ("klimatkontrakt", "extractors", "flows")
            for p in (ROOT / folder).rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
