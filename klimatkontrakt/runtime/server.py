"""A Prefect API server for `klimatkontrakt run` and `serve`, started and stopped with the command.

Prefect's own temporary server has two faults for us: it does not run the scheduler (a served
deployment would never fire), and it is a subprocess that outlives a run killed with SIGKILL
(memory and a port, night after night). When no PREFECT_API_URL is configured we start
`prefect server start` on 127.0.0.1 with a persistent PREFECT_HOME (SQLite) under output/, tied to
this process by the kernel (PR_SET_PDEATHSIG: it gets SIGTERM when we die, however we die), wait
until it is healthy, and stop its process group on exit.
"""

from __future__ import annotations

import contextlib
import ctypes
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

from klimatkontrakt.core.errors import RunFailed

log = logging.getLogger(__name__)


def prefect_home() -> Path:
    """Prefect's own home (PREFECT_HOME, else ~/.prefect): a run's server keeps its SQLite database
    there between runs, as Prefect's temporary server would (a new home costs ~10 s of migrations)."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def prefect_api(home: Path, startup_timeout: float = 180.0, *, ui: bool = False, host: str = "127.0.0.1",
                port: int | None = None) -> Iterator[str]:
    """Yield the API URL to use: the configured one, or a local server's that lives as long as the block.

    `ui`: the server also serves Prefect's UI at its root (for `serve`, which lives for nights; a
    run's own server, which lives for one run, keeps it off). `host`: where the server listens
    (127.0.0.1 unless an operator wants it reachable from elsewhere)."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    home.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    url = f"http://{_reachable(host)}:{port}/api"
    # the UI asks its server where the API is: without these it says 127.0.0.1:4200, Prefect's default
    env = {**os.environ, "PREFECT_HOME": str(home.resolve()), "PREFECT_UI_ENABLED": "true" if ui else "false",
           "PREFECT_UI_API_URL": url, "PREFECT_SERVER_API_HOST": host, "PREFECT_SERVER_API_PORT": str(port)}
    server_log = (home / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
        env=env, stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        preexec_fn=_die_with(os.getpid()),
    )
    try:
        _wait_healthy(url, process, startup_timeout, home / "server.log")
        os.environ["PREFECT_API_URL"] = url
        with _without_heartbeats():
            yield url
    finally:
        _send_pending_logs_and_events()
        _stop(process)
        server_log.close()


def _reachable(host: str) -> str:
    """The address this machine reaches a server listening on `host` at."""
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else f"[{host}]" if ":" in host else host


def ui_url(api_url: str) -> str:
    """The UI's address on the server of `api_url` ("http://127.0.0.1:4200/api" -> "http://127.0.0.1:4200/")."""
    return api_url.removesuffix("/").removesuffix("/api") + "/"


@contextlib.contextmanager
def _without_heartbeats() -> Iterator[None]:
    """Flow runs in this process send no heartbeats: they let a server that outlives a run tell a
    crashed run from a long one, and this server ends with the run. (Prefect's heartbeat thread
    sleeps in whole seconds and the run waits for it at its end: about a second per run.)"""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _send_pending_logs_and_events(timeout: float = 15.0) -> None:
    """Let Prefect's client send what it has queued while the server still answers; otherwise it
    retries against a stopped server at interpreter exit (a minute, then 'Error logging to API')."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=timeout)


def _die_with(parent: int):
    """A preexec_fn: the child gets SIGTERM when `parent` ends (Linux), or exits at once if it already has."""
    def arm() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)
    return arm


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
