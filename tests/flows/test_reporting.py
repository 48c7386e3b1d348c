"""Run summaries and the failure webhook as plain functions; one real flow run for the final state."""

import json
from types import SimpleNamespace
from uuid import uuid4

import pytest
from prefect.states import Failed

from flows.reporting import notify_failure, summary_markdown

SUMMARY = {
    "run_id": "20261127T021500Z-abcd",
    "status": "success",
    "package": "output/packages/2026.11.27",
    "sources": {
        "viablecities": {"fetched": 3, "unchanged": 1, "documents": 3, "facts": 44},
        "umea": {"fetched": 0, "failed": 2},
    },
    "sources_failed": {"umea": "connection refused"},
    "tables": {"signings": 32, "roles": 12},
}


def test_summary_lists_sources_tables_and_failures():
    text = summary_markdown(SUMMARY)
    assert text.startswith("# klimatkontrakt run `20261127T021500Z-abcd`")
    assert "| viablecities | 3 | 1 | 0 | 0 | 3 | 44 |" in text
    assert "umea ⚠ connection refused" in text
    assert "| signings | 32 |" in text
    assert "output/packages/2026.11.27" in text


def test_the_summary_says_why_nothing_was_published_and_where_the_report_is():
    failed = {**SUMMARY, "status": "failed", "package": None, "report": "/srv/out/runs/20261127T021500Z-abcd.json",
              "message": "shrink gate: table signings shrank from 40 to 3 rows", "gates": "tripped: shrink gate"}
    text = summary_markdown(failed)
    assert "**Not published:** shrink gate: table signings shrank from 40 to 3 rows" in text
    assert "**Run report:** `/srv/out/runs/20261127T021500Z-abcd.json`" in text
    assert "**Release gates:** tripped: shrink gate" in text


def test_failure_hook_posts_to_the_webhook(httpserver, monkeypatch):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setenv("KLIMATKONTRAKT_NOTIFY_WEBHOOK", httpserver.url_for("/hook"))
    run = SimpleNamespace(name="nightly-otter", id=uuid4())
    notify_failure(None, run, Failed(message="network unreachable"))
    (request, _), = httpserver.log
    body = json.loads(request.data)
    assert body["state"] == "FAILED"
    assert "nightly-otter" in body["text"] and "network unreachable" in body["text"]


def test_failure_hook_survives_a_broken_webhook(httpserver, monkeypatch, caplog):
    httpserver.expect_request("/hook").respond_with_data("no", status=500)
    monkeypatch.setenv("KLIMATKONTRAKT_NOTIFY_WEBHOOK", httpserver.url_for("/hook"))
    notify_failure(None, SimpleNamespace(name="r", id=uuid4()), Failed(message="boom"))
    assert "did not go through" in caplog.text


def test_no_webhook_configured_sends_nothing(httpserver, monkeypatch):
    monkeypatch.delenv("KLIMATKONTRAKT_NOTIFY_WEBHOOK", raising=False)
    notify_failure(None, SimpleNamespace(name="r", id=uuid4()), Failed(message="boom"))
    assert httpserver.log == []


@pytest.mark.prefect
def test_a_run_with_a_failed_source_names_it_in_its_final_state(tmp_path, httpserver):
    """One source answers, one does not: the run publishes and its Completed state names the failure."""
    import subprocess
    import sys

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    page = ("<html lang='sv'><head><title>Nyhet</title></head><body><article><h1>Nyhet</h1>"
            "<p>Den 8 december 2023 signerade Umeå kommun Klimatkontrakt 2030 med Viable Cities.</p>"
            "</article></body></html>")
    httpserver.expect_request("/nyhet").respond_with_data(page, content_type="text/html; charset=utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f"[[source]]\nid = 'umea'\nextractor = 'municipal'\nmunicipality_code = '2480'\n"
        f"start_urls = ['{httpserver.url_for('/nyhet')}']\nmax_pages = 1\n"
        "[[source]]\nid = 'nowhere'\nextractor = 'municipal'\nstart_urls = ['http://127.0.0.1:9/']\nmax_pages = 1\n",
        encoding="utf-8")
    script = (
        "from klimatkontrakt.runtime import prefect_env; prefect_env.configure()\n"
        "from flows.nightly import nightly\n"
        f"s = nightly(sources_file={str(sources)!r}, db={str(tmp_path / 'kk.duckdb')!r}, out={str(tmp_path / 'out')!r},"
        " allow_private=True, return_state=True)\n"
        "print('STATE', s.type.value, s.message)\n"
    )
    env = {**__import__("os").environ, "KLIMATKONTRAKT_MAX_RETRIES": "0", "KLIMATKONTRAKT_DELAY_SECONDS": "0"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    assert "STATE COMPLETED published; sources failed: nowhere" in result.stdout, result.stderr[-2000:]


def test_summary_shows_gates_and_changes():
    text = summary_markdown({**SUMMARY, "gates": "frictionless validation and shrink gate passed",
                             "changes": "| table | added |\n|---|---:|\n| `signings` | 3 |"})
    assert "**Release gates:** frictionless validation and shrink gate passed" in text
    assert "## Changes since the last release" in text and "| `signings` | 3 |" in text
