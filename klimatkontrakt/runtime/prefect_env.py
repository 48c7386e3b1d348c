"""Prefect settings that must be in the environment before `prefect` is first imported.

Telemetry off, a logging config that keeps a good run free of ERROR lines, and a startup
timeout for the temporary local API server that survives a slow CI machine. An operator's own
environment always wins (values are only defaults).
"""

import os
from pathlib import Path

_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_CONFIG_PATH": str(Path(__file__).with_name("logging.yml")),
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_EXTRA_LOGGERS": "klimatkontrakt,extractors,flows",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_UI_ENABLED": "false",
    "DASK_LOGGING__DISTRIBUTED": "warning",  # the Dask task runner's cluster start/stop chatter
}


def configure() -> None:
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
