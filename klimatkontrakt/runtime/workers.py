"""Page reading and extraction in worker processes, so a replay uses more than one core.

Parsing, reading (text hash, keywords, links) and the extractors are pure Python or hold the
GIL: the crawl cannot put a second core to work on them from a thread, a few worker processes
can. The crawl fetches pages ahead and hands each body to a worker, which reads it and, when it
is relevant and changed, extracts it from the same parse (`examine`); the crawl uses the readings
in fetch order, so pages, links and extractions are those of reading in the crawl's own thread.

Plain processes and pipes rather than multiprocessing: a worker is `python -m
klimatkontrakt.runtime.workers`, which imports the extractors and nothing else (multiprocessing would
import the run's main module, hence Prefect, pandas and DuckDB, into every worker), and the
crawling thread writes pages to the workers' pipes and reads their answers itself: no feeder or
manager threads that would wait for the GIL behind the crawl (with concurrent.futures the pool
made a replay inside the flow slower, not faster). Pipes are enlarged so a page rarely blocks.
A worker ends when its pipe closes or when the run's process ends, however it ends (it watches
the run's process).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection, wait

from extractors import get_extractor
from klimatkontrakt.core import handoff
from klimatkontrakt.core.errors import RunFailed
from klimatkontrakt.core.model import Extraction, Source
from klimatkontrakt.fetch.reading import PageReading, ReadRequest

IN_FLIGHT_PER_PROCESS = 4  # pages a worker may have queued: enough to keep it busy, few bodies held
PIPE_BYTES = 1 << 20  # Linux's default pipe-max-size; the kernel keeps its default if refused

_lock = threading.Lock()
_pool: ExtractionPool | None = None


class WorkerDied(RunFailed):
    """An extraction worker ended without answering (killed, out of memory)."""


class _Worker:
    def __init__(self):
        to_worker, from_worker = os.pipe(), os.pipe()
        for _, write_end in (to_worker, from_worker):
            with contextlib.suppress(OSError, AttributeError):
                fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "klimatkontrakt.runtime.workers", str(os.getpid()), str(to_worker[0]), str(from_worker[1])],
            pass_fds=(to_worker[0], from_worker[1]), stdin=subprocess.DEVNULL,
        )
        os.close(to_worker[0])
        os.close(from_worker[1])
        self.requests = Connection(to_worker[1], readable=False)
        self.answers = Connection(from_worker[0], writable=False)
        self.pending = 0

    def close(self) -> None:
        self.requests.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.answers.close()


class ExtractionPool:
    def __init__(self, processes: int):
        self.processes = processes
        self.window = processes * IN_FLIGHT_PER_PROCESS  # pages the crawl may fetch ahead
        self.broken = False
        self._workers: list[_Worker] = []  # started by the first page: a run may extract nothing
        self._answers: dict[int, tuple[bool, object]] = {}
        self._next = 0
        self._lock = threading.Lock()

    def submit(self, request: ReadRequest, extractor: str | None, source: Source, unless_sha256: str | None) -> int:
        """Hand a page to the least busy worker (waiting while every worker is full): `examine`;
        returns the ticket for `result`."""
        with self._lock:
            if not self._workers:
                self._workers = [_Worker() for _ in range(self.processes)]
            while min(w.pending for w in self._workers) >= IN_FLIGHT_PER_PROCESS:
                self._receive()
            worker = min(self._workers, key=lambda w: w.pending)
            ticket, self._next = self._next, self._next + 1
            try:
                worker.requests.send((ticket, request, extractor, source, unless_sha256))
            except OSError:  # its end of the pipe is gone
                self._died(worker)
            worker.pending += 1
            return ticket

    def result(self, ticket: int) -> tuple[PageReading, Extraction | None]:
        """What `examine` gave for a submitted page (what it raised is raised here)."""
        with self._lock:
            while ticket not in self._answers:
                self._receive()
            ok, value = self._answers.pop(ticket)
        if not ok:
            raise value
        return value

    def _receive(self) -> None:
        """Read every answer that is ready (waiting for one)."""
        busy = {w.answers: w for w in self._workers if w.pending}
        for answers in wait(list(busy)):
            worker = busy[answers]
            try:
                ticket, ok, value = answers.recv()
            except (EOFError, OSError):
                self._died(worker)
            worker.pending -= 1
            self._answers[ticket] = (ok, value)

    def _died(self, worker: _Worker) -> None:
        self.broken = True
        try:
            code = worker.process.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        raise WorkerDied(f"an extraction worker ended without answering (exit {code})")

    def close(self) -> None:
        for worker in self._workers:
            worker.close()


def extraction_pool(processes: int) -> ExtractionPool | None:
    """The run's pool of `processes` workers (started on first use); None for 0: extract in the
    crawling thread."""
    global _pool
    if processes <= 0:
        return None
    with _lock:
        if _pool is None or _pool.broken or _pool.processes != processes:
            if _pool is not None:
                _pool.close()
            _pool = ExtractionPool(processes)
        return _pool


def close_extraction_pool() -> None:
    """Stop the workers (the end of a run's crawl); the next `extraction_pool` starts new ones."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close()
            _pool = None


def examine(request: ReadRequest, extractor: str | None, source: Source,
            unless_sha256: str | None) -> tuple[PageReading, Extraction | None]:
    """Read a page for the crawl and, if it is relevant, run `extractor` over it (one parse for
    both), unless its text hash is `unless_sha256` (unchanged: the previous extraction holds)."""
    reading = request.read()
    if extractor is None or not reading.relevant or reading.text_sha256 == unless_sha256:
        handoff.forget()
        return reading, None
    return reading, get_extractor(extractor)(request.final_url, request.text, source)


def serve(run_pid: int, requests_fd: int, answers_fd: int) -> None:
    """A worker: examine each page that comes in, answer in order, until the pipe closes."""
    _exit_with(run_pid)
    os.dup2(2, 1)  # a stray print must not land in the answers
    requests, answers = Connection(requests_fd, writable=False), Connection(answers_fd, readable=False)
    while True:
        try:
            ticket, *job = requests.recv()
        except EOFError:
            return
        try:
            answers.send((ticket, True, examine(*job)))
        except Exception as exc:  # noqa: BLE001 - the run decides what an extractor's failure means
            answers.send((ticket, False, _portable(exc)))


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives pickling, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception type may refuse
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _exit_with(run_pid: int) -> None:
    """End this worker the moment the run's process ends: a pidfd turns readable then (Linux);
    elsewhere the worker looks every second whether it still has the run as its parent."""
    try:
        run = os.pidfd_open(run_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        run = None

    def watch() -> None:
        if run is not None:
            select.select([run], [], [])
        while run is None and os.getppid() == run_pid:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-run", daemon=True).start()


if __name__ == "__main__":
    serve(*(int(arg) for arg in sys.argv[1:4]))
