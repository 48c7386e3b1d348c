"""The nightly deployment: one schedule, in Swedish time, never two runs at once.

03:15 Europe/Stockholm is chosen because it exists exactly once on every local day: 02:00-03:00
is skipped when clocks spring forward in March and repeated when they fall back in October, so a
02:30 schedule would miss one night and run twice on another.
"""

from __future__ import annotations

from prefect.schedules import Cron, Schedule

from flows.nightly import nightly

DEPLOYMENT_NAME = "nightly"
CRON = "15 3 * * *"
TIMEZONE = "Europe/Stockholm"


def nightly_schedule() -> Schedule:
    return Cron(CRON, timezone=TIMEZONE)


def _options(parameters: dict) -> dict:
    """What every nightly deployment has, served or on a work pool."""
    return {
        "name": DEPLOYMENT_NAME,
        "schedules": [nightly_schedule()],
        "concurrency_limit": 1,
        "parameters": parameters,
        "description": "Nightly crawl, normalise and publish of the Klimatkontrakt 2030 dataset.",
        "tags": ["klimatkontrakt"],
    }


def nightly_deployment(parameters: dict):
    """The served deployment of `nightly` with its schedule and a concurrency limit of one."""
    return nightly.to_deployment(**_options(parameters))


def deploy_to_work_pool(pool: str, parameters: dict, source_dir: str) -> str:
    """Register the nightly deployment on a Prefect server's work pool (a `process` pool by default).

    Workers started with `prefect worker start --pool <pool>` on any machine that has this
    repository at `source_dir` pick the runs up; the schedule and the limit of one stay the same.
    """
    remote = nightly.from_source(source=source_dir, entrypoint="flows/nightly.py:nightly")
    deployment_id = remote.deploy(
        **_options(parameters),
        work_pool_name=pool,
        build=False,
        push=False,
        print_next_steps=False,
    )
    return str(deployment_id)
