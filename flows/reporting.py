"""What a run tells its operators: a markdown summary (Prefect artifact and run file) and a
failure notification to a webhook.

Kept apart from the flow so that the text and the hook are plain functions, tested without a
Prefect server.
"""

from __future__ import annotations

import logging

import requests

from klimatkontrakt.core.settings import Settings

log = logging.getLogger(__name__)


def summary_markdown(summary: dict) -> str:
    """The run summary as markdown: status, per-source pages, rows per table, gates."""
    lines = [
        f"# klimatkontrakt run `{summary.get('run_id', '?')}`",
        "",
        f"**Status:** {summary.get('status', '?')}"
        + (f" — {summary['message']}" if summary.get("message") else ""),
        "",
    ]
    if package := summary.get("package"):
        lines += [f"**Published:** `{package}` (its `README.md`, `CHANGES.md` and `datapackage.json`)", ""]
    else:
        lines += [f"**Not published:** {summary.get('message') or 'the run did not reach publishing'}; the previous "
                  "release stays the latest", ""]
    if report := summary.get("report"):
        lines += [f"**Run report:** `{report}` (and the same as markdown beside it)", ""]
    sources = summary.get("sources") or {}
    if sources:
        lines += ["## Sources", "", "| source | fetched | unchanged | failed | robots | documents | facts |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        failed = summary.get("sources_failed") or {}
        for source_id, stats in sorted(sources.items()):
            name = f"{source_id} ⚠ {failed[source_id]}" if source_id in failed else source_id
            lines.append(
                f"| {name} | {stats.get('fetched', 0)} | {stats.get('unchanged', 0)} | {stats.get('failed', 0)} "
                f"| {stats.get('skipped_robots', 0)} | {stats.get('documents', 0)} | {stats.get('facts', 0)} |"
            )
        lines.append("")
    tables = summary.get("tables") or {}
    if tables:
        lines += ["## Rows per table", "", "| table | rows |", "|---|---:|"]
        lines += [f"| {name} | {rows} |" for name, rows in tables.items()]
        lines.append("")
    if summary.get("gates"):
        lines += [f"**Release gates:** {summary['gates']}", ""]
    if summary.get("changes"):
        lines += ["## Changes since the last release", "", str(summary["changes"]), ""]
    return "\n".join(lines)


def notify_failure(flow, flow_run, state) -> None:
    """Prefect on_failure/on_crashed hook: POST a one-line message to KLIMATKONTRAKT_NOTIFY_WEBHOOK."""
    url = Settings().notify_webhook
    if not url:
        return
    message = f"klimatkontrakt run {flow_run.name} ended {state.type.value}: {state.message or 'no message'}"
    try:
        response = requests.post(
            url, json={"text": message, "flow_run_id": str(flow_run.id), "state": state.type.value}, timeout=10
        )
        response.raise_for_status()
    except requests.RequestException as exc:
        log.warning("failure notification to the webhook did not go through: %s", exc)
