"""Politeness per host: requests to one host spaced by its interval (threads on other hosts never
wait), a Retry-After or backoff deferring the host, and the Retry-After header read as seconds."""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import timezone


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float | None = None  # monotonic time of the last request start
    not_before: float = 0.0  # set by Retry-After / backoff


class HostLimiter:
    """Per-host pacing. Threads crawling different hosts never wait for each other; threads
    on the same host queue on that host's lock, each request starting at least `interval`
    seconds after the previous one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        with self._lock:
            return self._hosts.setdefault(host, _HostState())

    def wait(self, host: str, interval: float) -> None:
        state = self._state(host)
        with state.lock:
            earliest = state.not_before
            if state.last is not None:
                earliest = max(earliest, state.last + interval)
            pause = earliest - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            state.last = time.monotonic()

    def defer(self, host: str, seconds: float) -> None:
        state = self._state(host)
        with state.lock:
            state.not_before = max(state.not_before, time.monotonic() + seconds)
