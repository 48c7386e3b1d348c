"""The nightly deployment: its schedule, its DST behaviour, and one real served run."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from prefect.server.schemas.schedules import CronSchedule

from flows.deployment import (
    CRON,
    DEPLOYMENT_NAME,
    TIMEZONE,
    nightly_deployment,
    nightly_schedule,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "klimatkontrakt-sample.warc.gz"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_deployment_name_cron_timezone_and_limit():
    deployment = nightly_deployment({"sources_file": "sources.toml"})
    assert deployment.name == DEPLOYMENT_NAME == "nightly"
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == CRON
    assert schedule.schedule.timezone == TIMEZONE == "Europe/Stockholm"
    assert deployment.concurrency_limit == 1
    assert nightly_schedule().cron == CRON


@pytest.mark.parametrize("around", [date(2026, 10, 25), date(2027, 3, 28)], ids=["fall-back", "spring-forward"])
def test_one_run_per_night_across_daylight_saving_changes(around):
    schedule = CronSchedule(cron=CRON, timezone=TIMEZONE)
    start = datetime.combine(around - timedelta(days=3), datetime.min.time(), STOCKHOLM)
    runs = asyncio.run(schedule.get_dates(n=7, start=start))
    local = [r.astimezone(STOCKHOLM) for r in runs]
    nights = Counter(t.date() for t in local)
    assert sorted(nights) == [around - timedelta(days=3) + timedelta(days=i) for i in range(7)]
    assert set(nights.values()) == {1}, "a night was run twice or missed"
    assert {(t.hour, t.minute) for t in local} == {(3, 15)}


@pytest.mark.prefect
def test_served_deployment_runs_on_the_sample_archive(tmp_path):
    """Start `klimatkontrakt serve` (which starts its own Prefect server), trigger a run, wait, stop."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "klimatkontrakt", "serve", "--replay", str(SAMPLE),
             "--db", str(tmp_path / "kk.duckdb"), "--out", str(tmp_path / "out")],
            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        api_url = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and serve.poll() is None:
            text = log_path.read_text()
            if match := re.search(r"Prefect API at (\S+)", text):
                api_url = match.group(1)
            if api_url and "klimatkontrakt-nightly/nightly" in text:
                break
            time.sleep(0.5)
        assert api_url and serve.poll() is None, log_path.read_text()
        trigger = subprocess.run(
            [sys.executable, "-m", "prefect", "deployment", "run", "klimatkontrakt-nightly/nightly", "--watch"],
            env={**env, "PREFECT_API_URL": api_url}, capture_output=True, text=True, timeout=300,
        )
        assert trigger.returncode == 0, trigger.stdout + trigger.stderr
        assert (tmp_path / "kk.duckdb").is_file()
        assert (tmp_path / "out" / "packages" / "latest" / "datapackage.json").is_file()
        ui = re.search(r"Prefect UI at (\S+)", log_path.read_text()).group(1)
        assert ui == api_url.removesuffix("api")
        run_id = re.search(r"UUID: ([0-9a-f-]{36})", trigger.stdout).group(1)
        _the_ui_shows_the_run_and_its_artifact(ui, run_id, tmp_path)
    finally:
        serve.send_signal(signal.SIGTERM)  # as a service manager stops it
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
    output = log_path.read_text()
    assert "Traceback" not in output, output[-3000:]
    assert serve.returncode is not None
    with pytest.raises(requests.ConnectionError):  # no server left behind
        requests.get(f"{api_url}/health", timeout=5)


def _the_ui_shows_the_run_and_its_artifact(ui: str, run_id: str, tmp_path: Path) -> None:
    """Prefect's UI, in a headless Chromium: the flow run's page says Completed, its Artifacts tab
    holds the run summary with the per-source table."""
    sys.path.insert(0, str(REPO / "tests" / "klimatkontrakt"))
    from browser_helpers import ARGS, CHROMIUM, browser_or_skip, keep_screenshot

    sync_api = browser_or_skip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(f"{ui}runs/flow-run/{run_id}")
            tab.get_by_text("Completed").first.wait_for(timeout=60_000)
            tab.get_by_text("Artifacts", exact=True).first.click()
            tab.get_by_text("klimatkontrakt-run").first.click(timeout=30_000)
            tab.get_by_role("cell", name="viablecities").first.wait_for(timeout=30_000)  # the per-source table
            keep_screenshot(tab, tmp_path, "prefect-ui-run.png", "KK_SCREENSHOT_UI")
        finally:
            browser.close()
