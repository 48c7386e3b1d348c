"""Extraction in worker processes, so a run uses more than one core.

The extractors are pure Python and hold the GIL: the crawl's threads cannot put a second core to
work on them, a pool of processes can. The crawler goes on fetching, hashing and following links
while earlier pages are extracted; the extractor stays a pure function of (url, html, source) and
the results are the same as in-thread extraction, in the same order.

Workers fork from a forkserver that has imported the extractors and nothing else (no Prefect,
pandas or DuckDB), so each costs tens of MB, starts in milliseconds and inherits none of this
process's threads. They die with the run however it ends (each watches the run's pidfd), and the
forkserver exits once this process and its workers have. A page body is held only while at most
IN_FLIGHT_PER_PROCESS pages per process wait for a worker.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from extractors import get_extractor
from klimatkontrakt.model import Extraction, Source

IN_FLIGHT_PER_PROCESS = 4

_lock = threading.Lock()
_pool: ExtractionPool | None = None


class ExtractionPool:
    def __init__(self, processes: int):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["extractors"])
        self.processes = processes
        self.broken = False  # a worker died (killed, out of memory): the next run starts new ones
        self._executor = ProcessPoolExecutor(processes, mp_context=context,
                                             initializer=_die_with_run, initargs=(os.getpid(),))
        self._slots = threading.BoundedSemaphore(processes * IN_FLIGHT_PER_PROCESS)

    def submit(self, extractor: str, url: str, html: str, source: Source) -> Future[Extraction]:
        """`get_extractor(extractor)(url, html, source)` in a worker; waits while the workers are busy."""
        self._slots.acquire()
        try:
            future = self._executor.submit(_extract, extractor, url, html, source)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        self._slots.release()
        if not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
            self.broken = True

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def extraction_pool(processes: int) -> ExtractionPool | None:
    """The run's shared pool of `processes` workers (made on first use); None for 0: extract in
    the crawling thread."""
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
    """Stop the workers (the end of a run); the next `extraction_pool` starts new ones."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close()
            _pool = None


def _extract(extractor: str, url: str, html: str, source: Source) -> Extraction:
    return get_extractor(extractor)(url, html, source)


def _die_with_run(run_pid: int) -> None:
    """Worker initializer: a thread that ends the worker the moment the run's process ends.

    Not PR_SET_PDEATHSIG: a worker's parent is the forkserver, which outlives the run as long as
    any worker does (each holds the pipe whose end tells the forkserver its clients are gone)."""
    try:
        run = os.pidfd_open(run_pid)
    except ProcessLookupError:
        os._exit(1)
    threading.Thread(target=_exit_when_readable, args=(run,), name="die-with-run", daemon=True).start()


def _exit_when_readable(pidfd: int) -> None:
    select.select([pidfd], [], [])  # a process's pidfd turns readable when it ends
    os._exit(1)
