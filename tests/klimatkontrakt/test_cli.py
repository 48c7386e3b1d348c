"""The CLI's contract for bad input: one line on stderr, an exit code, no traceback, no Prefect start."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def klimatkontrakt(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "klimatkontrakt", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("klimatkontrakt: error:")
    assert words in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("this is = not [toml", "not valid TOML"),
        ("[[source]]\nid = 'x'\nextractor = 'municipal'\n", "missing 'start_urls'"),
        ("[[source]]\nid = 'x'\nextractor = 'nope'\nstart_urls = ['https://example.org/']\n", "unknown extractor 'nope'"),
        ("[[source]]\nid = 'x'\nextractor = 'municipal'\nstart_urls = ['file:///etc/passwd']\n", "not an http(s) URL"),
        ("[[source]]\nid = 'x'\nextractor = 'municipal'\nmunicipality_code = 484\nstart_urls = ['https://a.se/']\n",
         "4-digit"),
        ("title = 'no sources'\n", "no [[source]] entries"),
    ],
)
def test_bad_sources_file_exits_2_with_one_line(tmp_path, content, words):
    sources = tmp_path / "sources.toml"
    sources.write_text(content, encoding="utf-8")
    result = klimatkontrakt("run", "--sources", str(sources), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert_one_line_error(result, 2, words)
    assert not (tmp_path / "out").exists()


def test_missing_sources_file(tmp_path):
    result = klimatkontrakt("run", "--sources", str(tmp_path / "absent.toml"), cwd=tmp_path)
    assert_one_line_error(result, 2, "sources file not found")


def test_missing_replay_archive(tmp_path):
    result = klimatkontrakt("run", "--replay", str(tmp_path / "nowhere.warc.gz"), cwd=tmp_path)
    assert_one_line_error(result, 2, "replay archive not found")


def test_validate_needs_a_package(tmp_path):
    result = klimatkontrakt("validate", str(tmp_path), cwd=tmp_path)
    assert_one_line_error(result, 2, "no datapackage.json")


@pytest.mark.parametrize("command", [[], ["run"], ["validate"]])
def test_help_on_every_command(tmp_path, command):
    result = klimatkontrakt(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Usage" in result.stdout


@pytest.mark.parametrize(("script", "args", "shown"), [
    ("run.sh", ["--replay", "nowhere.warc.gz"], "replay archive not found: nowhere.warc.gz"),
    ("test.sh", ["--co", "-q", "tests/klimatkontrakt/test_cli.py::test_validate_needs_a_package"], "1 test collected"),
])
def test_the_scripts_hand_their_arguments_on(script, args, shown):
    """./run.sh --replay ... (the README's offline demo) and ./test.sh -m ... reach the CLI and pytest,
    not the environment set-up they source first."""
    result = subprocess.run(["bash", str(REPO / script), *args], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert shown in result.stdout + result.stderr, result.stdout[-2000:] + result.stderr[-2000:]
