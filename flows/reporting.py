"""What a run tells its operators: a markdown summary (Prefect artifact and run file) and a
failure notification to a webhook.

Kept apart from the flow so that the text and the hook are plain functions, tested without a
Prefect server.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import requests
from prefect.artifacts import create_markdown_artifact

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


def change_summary(release: Path) -> str | None:
    """The table of CHANGES.md (rows added, changed, removed per table) for the run summary."""
    try:
        lines = (release / "CHANGES.md").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return "\n".join(line for line in lines if line.startswith("|")) or None


def publish_artifact(summary: dict) -> None:
    """The run summary as a Prefect markdown artifact (shown in the UI under the flow run)."""
    try:
        create_markdown_artifact(summary_markdown(summary), key="klimatkontrakt-run",
                                 description=f"klimatkontrakt run {summary['run_id']}")
    except Exception as exc:  # noqa: BLE001 - reporting must never fail a run
        log.warning("could not publish the run summary artifact: %s", exc)


def write_summary(out_dir: Path, summary: dict) -> None:
    runs_dir = out_dir / "runs"
    try:
        runs_dir.mkdir(parents=True, exist_ok=True)
        tmp = runs_dir / f".{summary['run_id']}.json.tmp"
        tmp.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, runs_dir / f"{summary['run_id']}.json")
        (runs_dir / f"{summary['run_id']}.md").write_text(summary_markdown(summary), encoding="utf-8")
    except OSError as exc:
        log.warning("could not write the run summary: %s", exc)
