"""Run summaries and the failure webhook, as plain functions (no Prefect server)."""

import json
from types import SimpleNamespace
from uuid import uuid4

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
