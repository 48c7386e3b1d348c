"""Replay benchmark: how fast is a full run on N realistic pages, and where does the time go?

Builds a synthetic archive of N pages of 60-150 KB (bench/_corpus.py: Sitevision and WordPress
markup, menus, cookie banners, long Swedish article text with signings, dates, quotes) under
real-looking URLs of five hosts, plus a sources file whose start URLs are index pages linking to
every article. Then, per repetition, in subprocesses:

* `klimatkontrakt run --replay ARCHIVE --sources ... --db ... --out ...` (fresh output folder):
  crawl the archive, extract, normalise, assemble, load DuckDB, publish (frictionless validation
  included). Its stderr lines are time-stamped as they arrive: startup = process start ->
  "Beginning flow run" (imports + Prefect's temporary API server), flow = "Beginning flow run" ->
  "Finished in state", and the stages in between (fetch+extract -> last "source" line,
  assemble -> "assembled", load+publish -> "loaded ... and published ...").
* the same stages as plain function calls (the tasks' `.fn`, sources one at a time with the
  extraction workers, as the flow replays; no Prefect flow or task runs): the difference to the
  flow is Prefect's orchestration overhead.

Also measured: the floor, parsing every page once with lxml.html in this process (before the
first repetition and again before each one; the median, since other work on the machine moves
it as much as it moves the runs); the CPU time of the floor and of the plain stages (less
affected by other processes than wall time on a shared machine; the extraction workers'
CPU time included); Prefect's temporary server start on its own (a trivial flow in a fresh
process); peak memory of each child with its extraction workers (the sum of their proportional
set sizes, sampled every 50 ms; the Prefect API server that `klimatkontrakt run` starts is
reported apart), and ru_maxrss of the largest process. Medians over the repetitions; the
headline figure is printed last.

    uv run python bench/replay.py [--pages 2000] [--reps 3] [--keep]
    uv run python bench/replay.py --pages 10000 --reps 1      # the memory check (target < 500 MB)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

TARGET_RATIO = 3.0  # pipeline wall / parse floor
TARGET_OVERHEAD = 0.10  # Prefect orchestration share of the flow's wall time
TARGET_MEMORY_MB = 500


# ---- children ----------------------------------------------------------------------------

def _spawn(cmd: list[str], cwd: Path) -> dict:
    """Run `cmd`, time-stamp every output line on arrival; wall time, exit code and ru_maxrss (MB)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lines: list[tuple[float, str, str]] = []
    lock = threading.Lock()

    def pump(stream, name):
        for raw in iter(stream.readline, b""):
            with lock:
                lines.append((time.perf_counter() - started, name, raw.decode("utf-8", "replace").rstrip()))
        stream.close()

    threads = [threading.Thread(target=pump, args=(s, n), daemon=True) for s, n in ((proc.stdout, "out"), (proc.stderr, "err"))]
    peaks = {"pipeline": 0, "server": 0}
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            now = {"pipeline": 0, "server": 0}
            for pid, in_server in _tree(proc.pid, lambda cmdline: "prefect server start" in cmdline):
                now["server" if in_server else "pipeline"] += _pss_kb(pid)
            for key, kb in now.items():
                peaks[key] = max(peaks[key], kb)

    threads.append(threading.Thread(target=sample, daemon=True))
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    for t in threads:
        t.join()
    return {"wall": wall, "rc": proc.returncode, "maxrss_mb": usage.ru_maxrss / 1024, "lines": lines,
            "pss_mb": peaks["pipeline"] / 1024, "server_pss_mb": peaks["server"] / 1024}


def _tree(root: int, is_server) -> list[tuple[int, bool]]:
    """(pid, part of the Prefect server) for `root` and its live descendants: a process is part
    of the server when `is_server(its command line)` holds for it or for one of its ancestors."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            children.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [(root, False)]
    while todo:
        pid, in_server = todo.pop()
        try:
            in_server = in_server or is_server(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
        found.append((pid, in_server))
        todo.extend((child, in_server) for child in children.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: resident memory, pages shared between processes split among them,
    so the sum over processes is what they take together."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _first(lines, needle: str, *, last: bool = False) -> float | None:
    hits = [t for t, _, text in lines if needle in text]
    return (hits[-1] if last else hits[0]) if hits else None


def leave(tmp: Path, keep: bool) -> None:
    """A benchmark's scratch folder: removed, or kept and named (`--keep`)."""
    if keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def run_cli(sources: Path, out: Path, *options: str) -> dict:
    """`klimatkontrakt run --sources ... --db ... --out ... *options` in a child: the stages' times
    from its log lines, memory (see `_spawn`)."""
    cmd = [sys.executable, "-m", "klimatkontrakt", "run", "--sources", str(sources),
           "--db", str(out / "kk.duckdb"), "--out", str(out), *options]
    r = _spawn(cmd, REPO)
    if r["rc"] != 0:
        tail = "\n".join(text for _, _, text in r["lines"][-15:])
        raise SystemExit(f"klimatkontrakt run failed (exit {r['rc']}):\n{tail}")
    lines = r["lines"]
    begin = _first(lines, "Beginning flow run")
    end = _first(lines, "Finished in state", last=True)
    collected = _first(lines, "flows.nightly - source ", last=True)
    assembled = _first(lines, "flows.nightly - assembled")
    published = _first(lines, "flows.nightly - loaded ")  # "loaded <db> and published <release>"
    return {
        "startup": begin,
        "flow": end - begin,
        "collect": collected - begin,
        "assemble": assembled - collected,
        "load_publish": published - assembled,
        "after_publish": end - published,
        "exit": r["wall"] - end,
        "total": r["wall"],
        "maxrss_mb": r["maxrss_mb"],
        "pss_mb": r["pss_mb"],
        "server_pss_mb": r["server_pss_mb"],
        "package": out / "packages" / "latest",
    }


def run_plain(archive: Path, sources: Path, out: Path) -> dict:
    """The same stages as plain functions in a fresh process (see `_plain_main`)."""
    r = _spawn([sys.executable, str(Path(__file__).resolve()), "--_plain", str(archive), str(sources), str(out)], REPO)
    if r["rc"] != 0:
        tail = "\n".join(text for _, _, text in r["lines"][-15:])
        raise SystemExit(f"plain pipeline failed (exit {r['rc']}):\n{tail}")
    result = json.loads([text for _, name, text in r["lines"] if name == "out" and text.startswith("{")][-1])
    result["maxrss_mb"] = r["maxrss_mb"]
    result["pss_mb"] = r["pss_mb"]
    return result


def _plain_main(archive: str, sources_file: str, out: str) -> None:
    """Child: nightly()'s stages without Prefect orchestration (`klimatkontrakt.pipeline` called directly)."""
    t0 = time.perf_counter()
    from datetime import UTC, datetime

    from klimatkontrakt.core.config import load_sources
    from klimatkontrakt.core.ids import new_run_id
    from klimatkontrakt.core.settings import Settings
    from klimatkontrakt.fetch.client import ReplayClient
    from klimatkontrakt.fetch.warc import ReplayArchive
    from klimatkontrakt.pipeline.collect import collect
    from klimatkontrakt.pipeline.stages import load_and_publish, stage_tables
    from klimatkontrakt.runtime.workers import close_extraction_pool, extraction_pool
    from klimatkontrakt.store.state import extractor_version, read_state

    imported, cpu_imported, own_imported = time.perf_counter(), _cpu(), time.process_time()
    started = datetime.now(UTC)
    out_dir, db_path = Path(out), Path(out) / "kk.duckdb"
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = load_sources(Path(sources_file))
    previous = read_state(db_path, {s.id: extractor_version(s) for s in sources})
    client = ReplayClient(ReplayArchive([Path(archive)]))
    # as the flow replays: one source at a time, extraction workers alongside
    pool = extraction_pool(Settings().extract_processes)
    results = [collect(s, client, previous, pool) for s in sources]
    close_extraction_pool()  # the workers are reaped: their CPU time is in RUSAGE_CHILDREN
    collected, cpu_collected, own_collected = time.perf_counter(), _cpu(), time.process_time()
    run_id = new_run_id(started)
    run = {"run_id": run_id, "started_at": started.replace(tzinfo=None), "finished_at": datetime.now(UTC).replace(tzinfo=None),
           "status": "success", "pages_fetched": sum(len(r.pages) for r in results), "records": 0,
           "sources_failed": None, "message": None}
    tables = stage_tables(results, run_id, previous, dict(client.seen_validators))
    assembled, cpu_assembled = time.perf_counter(), _cpu()
    load_and_publish(tables, run, db_path, out_dir, started)
    published, cpu_published = time.perf_counter(), _cpu()
    print(json.dumps({"imports": imported - t0, "collect": collected - imported, "assemble": assembled - collected,
                      "load_publish": published - assembled, "flow": published - imported,
                      "rows": sum(len(t) for t in tables.values()),
                      "cpu_collect": cpu_collected - cpu_imported, "cpu_collect_crawl": own_collected - own_imported,
                      "cpu_assemble": cpu_assembled - cpu_collected,
                      "cpu_load_publish": cpu_published - cpu_assembled, "cpu_flow": cpu_published - cpu_imported}))


def _cpu() -> float:
    """CPU seconds of this process and of its reaped children (the extraction workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def prefect_server_start() -> dict:
    """A trivial flow in a fresh process: import time and the first flow call (server start)."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from klimatkontrakt.runtime import prefect_env; prefect_env.configure()\n"
        "from prefect import flow\n"
        "import flows.nightly\n"
        "t1 = time.perf_counter()\n"
        "@flow\ndef noop():\n    return 1\n"
        "noop(); t2 = time.perf_counter()\n"
        "noop(); t3 = time.perf_counter()\n"
        "import json; print(json.dumps({'imports': t1 - t0, 'first_flow': t2 - t1, 'second_flow': t3 - t2}))\n"
    )
    r = _spawn([sys.executable, "-c", code], REPO)
    return json.loads([text for _, name, text in r["lines"] if name == "out" and text.startswith("{")][-1])


# ---- the floor ---------------------------------------------------------------------------

def parse_floor(archive: Path) -> tuple[float, int, int, float]:
    """Seconds to parse every HTML response of the archive once with lxml.html (reading not timed):
    wall time, pages, characters, CPU time."""
    import lxml.html
    from warcio.archiveiterator import ArchiveIterator

    spent, cpu, pages, size = 0.0, 0.0, 0, 0
    with open(archive, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            text = record.content_stream().read().decode("utf-8")
            t, c = time.perf_counter(), time.process_time()
            lxml.html.fromstring(text)
            spent += time.perf_counter() - t
            cpu += time.process_time() - c
            pages += 1
            size += len(text)
    return spent, pages, size, cpu


# ---- main --------------------------------------------------------------------------------

def _med(values):
    return statistics.median(values)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--_plain":
        _plain_main(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain-function runs (no overhead figure)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    from _corpus import build_corpus

    from klimatkontrakt.core.settings import (
        usable_cores,  # here, not at the top: the plain child times its imports
    )

    tmp = Path(tempfile.mkdtemp(prefix="kk-bench-replay-"))
    try:
        t = time.perf_counter()
        corpus = build_corpus(tmp / "corpus", args.pages)
        print(f"corpus: {corpus.pages} pages, {corpus.bytes / corpus.pages / 1024:.0f} KB average, "
              f"archive {corpus.archive.stat().st_size / 2**20:.0f} MB gzipped, built in {time.perf_counter() - t:.1f} s")
        floors: list[float] = []
        floors_cpu: list[float] = []

        def measure_floor() -> int:
            spent, floor_pages, _, cpu = parse_floor(corpus.archive)
            floors.append(spent)
            floors_cpu.append(cpu)
            print(f"floor: lxml.html parse of {floor_pages} pages once: {spent:.2f} s ({spent / floor_pages * 1000:.2f} ms/page), "
                  f"CPU {cpu:.2f} s")
            return floor_pages

        parsed = measure_floor()
        server = prefect_server_start()
        print(f"prefect: imports {server['imports']:.2f} s, first flow (temporary API server start) "
              f"{server['first_flow']:.2f} s, second flow {server['second_flow']:.2f} s")

        cli, plain = [], []
        for i in range(args.reps):
            measure_floor()
            r = run_cli(corpus.sources, tmp / f"cli{i}", "--replay", str(corpus.archive))
            cli.append(r)
            print(f"rep {i + 1} flow: startup {r['startup']:.1f} s | flow {r['flow']:.1f} s (fetch+extract "
                  f"{r['collect']:.1f}, assemble {r['assemble']:.1f}, load+publish {r['load_publish']:.1f}, after {r['after_publish']:.1f}) "
                  f"| exit {r['exit']:.1f} s | total {r['total']:.1f} s | peak {r['pss_mb']:.0f} MB (run and workers, PSS; "
                  f"largest process {r['maxrss_mb']:.0f} MB RSS; Prefect server {r['server_pss_mb']:.0f} MB)")
            if not args.no_plain:
                p = run_plain(corpus.archive, corpus.sources, tmp / f"plain{i}")
                plain.append(p)
                print(f"rep {i + 1} plain: imports {p['imports']:.1f} s | stages {p['flow']:.1f} s (fetch+extract "
                      f"{p['collect']:.1f}, assemble {p['assemble']:.1f}, load+publish {p['load_publish']:.1f}) | peak {p['pss_mb']:.0f} MB")
        t = time.perf_counter()
        check = subprocess.run([sys.executable, "-m", "klimatkontrakt", "validate", str(cli[-1]["package"])],
                               cwd=REPO, capture_output=True, text=True)
        print(f"validate (klimatkontrakt validate, separately): exit {check.returncode} in {time.perf_counter() - t:.1f} s")
        if check.returncode != 0:
            print(check.stdout + check.stderr)

        n = corpus.pages
        flow = _med([r["flow"] for r in cli])
        floor = _med(floors)
        print()
        print(f"medians of {args.reps} run(s), {n} pages:")
        print(f"  floor (lxml parse, all pages) {floor:7.2f} s = {floor / parsed * 1000:.2f} ms/page "
              f"(min {min(floors):.2f}, max {max(floors):.2f} over {len(floors)} measurements)")
        for key in ("startup", "collect", "assemble", "load_publish", "after_publish", "flow", "total"):
            print(f"  {key:14s} {_med([r[key] for r in cli]):7.2f} s")
        peak = max(r["pss_mb"] for r in cli)
        ratio = flow / floor
        print(f"  pages/s (flow, without startup)  {n / flow:7.1f}")
        print(f"  pages/s (whole command)          {n / _med([r['total'] for r in cli]):7.1f}")
        print(f"  ratio flow / lxml floor          {ratio:7.1f}x  (target <= {TARGET_RATIO:.0f}x: "
              f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})")
        print(f"  ratio fetch+extract / floor      {_med([r['collect'] for r in cli]) / floor:7.1f}x")
        if plain:
            stages = _med([p["flow"] for p in plain])
            overhead = flow - stages
            share = overhead / flow
            print(f"  plain stages (no Prefect)        {stages:7.2f} s (fetch+extract {_med([p['collect'] for p in plain]):.2f}, "
                  f"assemble {_med([p['assemble'] for p in plain]):.2f}, load+publish {_med([p['load_publish'] for p in plain]):.2f})")
            print(f"  Prefect orchestration overhead   {overhead:7.2f} s = {share:.1%} of the flow (target < "
                  f"{TARGET_OVERHEAD:.0%}: {'met' if share < TARGET_OVERHEAD else 'MISSED'}); server start "
                  f"{server['first_flow']:.1f} s not included")
            print(f"  peak memory, plain pipeline      {max(p['pss_mb'] for p in plain):7.0f} MB (PSS, with its workers)")
            floor_cpu = _med(floors_cpu)
            cpu = {key: _med([p[f"cpu_{key}"] for p in plain])
                   for key in ("collect", "collect_crawl", "assemble", "load_publish", "flow")}
            print(f"  CPU time, plain stages           {cpu['flow']:7.2f} s (fetch+extract {cpu['collect']:.2f}, assemble "
                  f"{cpu['assemble']:.2f}, load+publish {cpu['load_publish']:.2f}) = {cpu['flow'] / floor_cpu:.1f}x the floor's "
                  f"CPU time {floor_cpu:.2f} s (fetch+extract {cpu['collect'] / floor_cpu:.1f}x); "
                  f"less moved by other work on the machine than wall time")
            cores = usable_cores()
            # the crawling process is one thread, and the stages after it run on one core
            bound = max(cpu["collect"] / cores, cpu["collect_crawl"]) + cpu["assemble"] + cpu["load_publish"]
            print(f"  best possible on {cores} core(s)      {bound:7.2f} s = {bound / floor_cpu:.1f}x the floor: this much "
                  f"CPU work, fetch+extract spread perfectly over every core (the crawling process itself "
                  f"{cpu['collect_crawl']:.2f} s), assemble and load+publish on one")
        print(f"  peak memory, klimatkontrakt run  {peak:7.0f} MB  (the run's process and its extraction workers, "
              f"summed PSS; target < {TARGET_MEMORY_MB} MB: {'met' if peak < TARGET_MEMORY_MB else 'MISSED'}); the Prefect "
              f"API server it starts: {max(r['server_pss_mb'] for r in cli):.0f} MB more")
        print()
        print(f"HEADLINE replay {n} pages: {n / flow:.0f} pages/s, flow {flow:.1f} s = {ratio:.1f}x the lxml parse floor, "
              f"+ {_med([r['startup'] for r in cli]):.1f} s startup; peak {peak:.0f} MB")
    finally:
        leave(tmp, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
