"""A Prefect API server for `klimatkontrakt serve`, started and stopped with the command.

Prefect's temporary in-process server does not run the scheduler, so a served deployment would
never fire. When no PREFECT_API_URL is configured we start `prefect server start` on 127.0.0.1
with a persistent PREFECT_HOME (SQLite) under output/, wait until it is healthy, and stop the
whole process group on exit.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from klimatkontrakt.errors import RunFailed

log = logging.getLogger(__name__)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def prefect_api(home: Path, startup_timeout: float = 180.0) -> Iterator[str]:
    """Yield the API URL to use: the configured one, or a local server's that lives as long as the block."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home.resolve())}
    server_log = (home / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        _wait_healthy(url, process, startup_timeout, home / "server.log")
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        _stop(process)
        server_log.close()


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RunFailed(f"the local Prefect server exited with code {process.returncode}; see {log_path}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/health", timeout=2).ok:
                return
        time.sleep(0.5)
    raise RunFailed(f"the local Prefect server did not answer within {timeout:.0f} s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
