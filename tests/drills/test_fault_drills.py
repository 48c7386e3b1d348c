"""Fault drills: kill the run at every stage, read while it writes, feed it bad input, fill the disk.

After every fault the previous database and the previous release (+ `packages/latest`) must be
intact, the error must be one line on stderr without a traceback, and a later run must complete.

Runs that start Prefect (about 10 s each) are marked `prefect` and share one baseline: a run on
a synthetic archive of realistic pages (bench/_corpus.py), big enough that every stage takes a
while, so the kills land in a stage by real timing (watching the log and the files a stage
creates), without hooks in the code. Prefect runs in this file: baseline, 3 kills, the recovery
run with a reader, full disk = 6.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
SAMPLE = REPO / "samples" / "klimatkontrakt-sample.warc.gz"
FACT_TABLES = ("documents", "signings", "events", "roles", "memberships", "claims")
CORPUS_PAGES = 150


# ---- helpers -----------------------------------------------------------------------------

def cli(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "klimatkontrakt", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in FACT_TABLES}


def release_state(out: Path) -> dict:
    """Everything that must survive a failed run: each release's files (hashes), LATEST, latest ->."""
    packages = out / "packages"
    state = {"LATEST": (packages / "LATEST").read_text(), "latest": os.readlink(packages / "latest")}
    for release in sorted(p for p in packages.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        state[release.name] = {str(f.relative_to(release)): sha256(f) for f in sorted(release.rglob("*")) if f.is_file()}
    for z in sorted(packages.glob("*.zip")):
        state[z.name] = sha256(z)
    return state


def assert_intact(out: Path, before: dict, db_hash: str) -> None:
    assert sha256(out / "kk.duckdb") == db_hash, "the previous database changed"
    assert release_state(out) == before, "the previous release or latest changed"
    latest = out / "packages" / "latest"
    assert (latest / "datapackage.json").is_file()


def assert_one_line_error(result: subprocess.CompletedProcess, code: int, words: str = "") -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == code, output[-3000:]
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("klimatkontrakt: error:")]
    assert len(errors) == 1, result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == errors[0]
    assert words in errors[0], errors[0]


def copy_output(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


class Run:
    """`klimatkontrakt run` in its own process group, its output read line by line."""

    def __init__(self, args: list[str], cwd: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "klimatkontrakt", "run", *args], cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1", "KLIMATKONTRAKT_EXTRACT_PROCESSES": "2"},
                                     start_new_session=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def kill_when(self, condition, timeout: float = 300) -> None:
        """SIGKILL the run process the moment `condition()` holds (polled every 2 ms)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None:
                pytest.fail(f"the run ended (exit {self.proc.returncode}) before the kill point:\n{self.output[-3000:]}")
            if time.monotonic() > deadline:
                self.cleanup()
                pytest.fail("the kill point was never reached:\n" + self.output[-3000:])
            time.sleep(0.002)
        descendants = _descendants(self.proc.pid)  # e.g. the Prefect API server it started
        os.kill(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait(30) == -signal.SIGKILL
        deadline = time.monotonic() + 20  # the server gets SIGTERM and shuts down within seconds
        while (alive := _alive(descendants)) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.orphans = [cmdline for _, cmdline in alive]
        self.cleanup(alive)

    def cleanup(self, leftovers=()) -> None:
        """End the killed run's process group and whatever of its descendants outlived it."""
        for pid, _ in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(30)
        self._reader.join(10)


def _processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, start time) of every process."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            out[int(stat.parent.name)] = (int(fields[1]), fields[0], fields[19])
    return out


def _descendants(root: int) -> list[tuple[int, str, str]]:
    """(pid, start time, command line) of every live descendant of `root`."""
    procs = _processes()
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _, started) in procs.items():
            if ppid == parent:
                frontier.append(pid)
                with contextlib.suppress(OSError):
                    found.append((pid, started, Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]))
    return found


def _alive(processes: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """Those of `processes` still running (same pid and start time, not a zombie)."""
    now = _processes()
    return [(pid, cmdline) for pid, started, cmdline in processes
            if pid in now and now[pid][2] == started and now[pid][1] != "Z"]


def said(run: Run, text: str):
    return lambda: any(text in line for line in run.lines)


def extracting(run: Run):
    """True once the run's extraction workers are up."""
    return lambda: any("klimatkontrakt.runtime.workers" in cmdline for _, _, cmdline in _descendants(run.proc.pid))


def exists(folder: Path, pattern: str):
    return lambda: any(folder.glob(pattern))


# ---- fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from _corpus import build_corpus

    return build_corpus(tmp_path_factory.mktemp("corpus"), CORPUS_PAGES)


@pytest.fixture(scope="module")
def baseline(corpus, tmp_path_factory):
    """One good run: the previous database and release every drill must keep."""
    work = tmp_path_factory.mktemp("baseline")
    result = cli("run", "--replay", str(corpus.archive), "--sources", str(corpus.sources),
                 "--db", "out/kk.duckdb", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr[-3000:]
    out = work / "out"
    return out, sha256(out / "kk.duckdb"), release_state(out), snapshot(out / "kk.duckdb")


@pytest.fixture(scope="module")
def killed(corpus, baseline, tmp_path_factory):
    """Three runs into one copy of the baseline output, SIGKILLed during fetch, load and publish."""
    out = copy_output(baseline[0], tmp_path_factory.mktemp("killed") / "out")
    # --force-release: the runs replay the baseline's archive, whose facts are the same; each must
    # still reach publishing for the kills to land in it
    args = ["--replay", str(corpus.archive), "--sources", str(corpus.sources), "--db", str(out / "kk.duckdb"),
            "--out", str(out), "--force-release"]
    states = {}
    # fetch: the sources are being crawled, and extracted by worker processes (a changed source
    # configuration: every page is extracted again, none reused from the baseline)
    changed = out.parent / "sources-changed.toml"
    changed.write_text(corpus.sources.read_text().replace("max_depth = 2", "max_depth = 3"))
    run = Run([*args[:2], "--sources", str(changed), *args[4:]], out.parent)
    run.kill_when(extracting(run))
    states["fetch"] = (run.output, sha256(out / "kk.duckdb"), release_state(out))
    states["orphans"] = list(run.orphans)
    # load: the new database file is being written next to the old one
    run = Run(args, out.parent)
    run.kill_when(exists(out, "kk.duckdb.tmp-*"))
    states["orphans"] += run.orphans
    states["load"] = (run.output, sha256(out / "kk.duckdb"), release_state(out), sorted(p.name for p in out.iterdir()))
    # publish: the release is being built in packages/.tmp-<version>
    run = Run(args, out.parent)
    run.kill_when(exists(out / "packages", ".tmp-*"))
    states["orphans"] += run.orphans
    with duckdb.connect(str(out / "kk.duckdb"), read_only=True) as con:
        runs = con.execute("SELECT run_id, status FROM runs ORDER BY started_at").fetchall()
    states["publish"] = (run.output, sha256(out / "kk.duckdb"), release_state(out),
                         sorted(p.name for p in (out / "packages").iterdir()), runs)
    return out, args, states


# ---- (a) SIGKILL at every stage ----------------------------------------------------------

@pytest.mark.prefect
def test_kill_during_fetch_keeps_database_and_release(baseline, killed):
    _, db_hash, releases, _ = baseline
    output, killed_db, killed_releases = killed[2]["fetch"]
    assert "loaded" not in output
    assert killed_db == db_hash
    assert killed_releases == releases


@pytest.mark.prefect
def test_kill_during_load_keeps_database_and_release(baseline, killed):
    _, db_hash, releases, _ = baseline
    output, killed_db, killed_releases, files = killed[2]["load"]
    assert "flows.nightly - loaded" not in output
    assert killed_db == db_hash, "a kill during the database build changed the database"
    assert killed_releases == releases
    assert any(".tmp-" in f for f in files)  # the half-built file was left under a temporary name


@pytest.mark.prefect
def test_kill_during_publish_keeps_release_and_a_complete_database(baseline, killed):
    _, db_hash, releases, facts = baseline
    out = killed[0]
    output, killed_db, killed_releases, files, _ = killed[2]["publish"]
    assert "flows.nightly - loaded" not in output
    assert killed_releases == releases, "a kill during publish changed the releases or latest"
    # the flow publishes from the staged database before swapping it in (before_swap)
    assert killed_db == db_hash, "a kill during publish changed the database"
    assert snapshot(out / "kk.duckdb") == facts
    assert any(f.startswith(".tmp-") for f in files)  # the half-built release, under a temporary name


@pytest.mark.prefect
def test_run_killed_during_publish_is_not_recorded(baseline, killed):
    *_, runs = killed[2]["publish"]
    assert len(runs) == 1, f"the database after the kill lists runs {runs}: the killed run is recorded as published"


@pytest.mark.prefect
def test_kill_leaves_no_orphan_process(killed):
    """The run's Prefect API server and extraction workers are tied to it: a SIGKILLed run leaves
    nothing running."""
    orphans = killed[2]["orphans"]
    assert orphans == [], orphans


# ---- (b) a reader during a run, and the run after the kills --------------------------------

@pytest.mark.prefect
def test_reader_during_run_and_recovery_after_kills(baseline, killed):
    out, args, _ = killed
    facts = baseline[3]
    reader = duckdb.connect(str(out / "kk.duckdb"), read_only=True)
    counts, errors = [], []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                counts.append(reader.execute("SELECT count(*) FROM signings").fetchone()[0])
            except Exception as exc:  # noqa: BLE001 - any failure of the reader fails the drill
                errors.append(repr(exc))
            time.sleep(0.05)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        result = cli(*["run", *args], cwd=out.parent)
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert errors == [] and len(counts) > 20 and len(set(counts)) == 1
    # the old connection still reads the database it opened; a new one sees the new build
    assert reader.execute("SELECT count(*) FROM signings").fetchone()[0] == counts[0]
    reader.close()
    assert snapshot(out / "kk.duckdb") == facts
    assert not list(out.glob("*.tmp-*")), "the killed build's temporary file was not cleaned up"
    with duckdb.connect(str(out / "kk.duckdb"), read_only=True) as con:
        # the baseline and this run; none of the killed ones
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'success'").fetchone()[0] == 2
    latest = os.readlink(out / "packages" / "latest")
    assert latest != baseline[2]["latest"]
    check = cli("validate", str(out / "packages" / "latest"), cwd=out.parent)
    assert check.returncode == 0, check.stdout + check.stderr


# ---- (c) bad input: one line, the right exit code, nothing lost ----------------------------

@pytest.fixture
def previous(tmp_path):
    """A previous output (database, one release, latest) for one drill, and what must stay as it is.

    Built directly, not by a run: these inputs are refused before Prefect starts, so the files
    only need to be there to be left alone."""
    out = tmp_path / "out"
    release = out / "packages" / "2026.01.01"
    (release / "data").mkdir(parents=True)
    (release / "datapackage.json").write_text('{"name": "klimatkontrakt", "resources": []}\n', encoding="utf-8")
    (release / "data" / "signings.csv").write_text("signing_id\r\nabc\r\n", encoding="utf-8")
    (out / "packages" / "LATEST").write_text("2026.01.01\n", encoding="utf-8")
    os.symlink("2026.01.01", out / "packages" / "latest")
    with duckdb.connect(str(out / "kk.duckdb")) as con:
        con.execute("CREATE TABLE signings AS SELECT 'abc' AS signing_id")
    return out, sha256(out / "kk.duckdb"), release_state(out)


def _run_into(out: Path, *args: str) -> subprocess.CompletedProcess:
    return cli("run", *args, "--db", str(out / "kk.duckdb"), "--out", str(out), cwd=out.parent)


@pytest.mark.parametrize(("text", "words"), [
    ("[[source]\nid = 'x'\n", "not valid TOML"),
    ("[[source]]\nid = 'x'\nextractor = 'sharepoint'\nstart_urls = ['https://www.umea.se/']\n",
     "unknown extractor 'sharepoint'"),
], ids=["malformed", "unknown-extractor"])
def test_bad_sources_file(previous, tmp_path, text, words):
    out, db_hash, releases = previous
    sources = tmp_path / "bad.toml"
    sources.write_text(text, encoding="utf-8")
    result = _run_into(out, "--sources", str(sources), "--replay", str(SAMPLE))
    assert_one_line_error(result, 2, words)
    assert_intact(out, releases, db_hash)


def test_corrupt_warc(previous, tmp_path):
    out, db_hash, releases = previous
    archive = tmp_path / "random.warc.gz"
    archive.write_bytes(os.urandom(64 * 1024))
    result = _run_into(out, "--replay", str(archive))
    assert_one_line_error(result, 2, "is not a readable WARC file")
    assert_intact(out, releases, db_hash)


def test_truncated_warc(previous, tmp_path):
    out, db_hash, releases = previous
    data = SAMPLE.read_bytes()
    archive = tmp_path / "cut.warc.gz"
    archive.write_bytes(data[: len(data) // 2])
    result = _run_into(out, "--replay", str(archive))
    assert_one_line_error(result, 2, "is not a readable WARC file")
    assert_intact(out, releases, db_hash)


def test_output_folder_under_a_file(previous, tmp_path):
    """Root ignores permission bits, so an output path below a regular file is what really fails."""
    out, db_hash, releases = previous
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = cli("run", "--replay", str(SAMPLE), "--db", str(out / "kk.duckdb"), "--out", str(blocker / "sub"),
                 cwd=tmp_path)
    assert_one_line_error(result, 2, "is not a folder")
    result = cli("run", "--replay", str(SAMPLE), "--db", str(blocker / "kk.duckdb"), "--out", str(out),
                 cwd=tmp_path)
    assert_one_line_error(result, 2, "is not a folder")
    assert_intact(out, releases, db_hash)


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    return done.returncode == 0


@pytest.fixture(scope="module")
def full_disk(baseline, corpus, tmp_path_factory):
    """A run whose output folder is on a tmpfs with room for the previous output and little more."""
    src = baseline[0]
    used = sum(f.stat().st_size for f in src.rglob("*") if f.is_file() and not f.is_symlink())
    work = tmp_path_factory.mktemp("full")
    disk = work / "disk"
    size_kb = used // 1024 + 2048  # 2 MB to spare: not enough for a second database
    if not _mount_tmpfs(disk, f"{size_kb}k"):
        pytest.skip("cannot mount a tmpfs here (not root?)")
    try:
        out = copy_output(src, disk / "out")
        db_hash, releases = sha256(out / "kk.duckdb"), release_state(out)
        result = cli("run", "--replay", str(corpus.archive), "--sources", str(corpus.sources),
                     "--db", str(out / "kk.duckdb"), "--out", str(out), cwd=work)
        leftovers = list(out.glob("*.tmp-*")) + list((out / "packages").glob(".tmp-*"))
        intact = (sha256(out / "kk.duckdb") == db_hash, release_state(out) == releases)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    return result, leftovers, intact


@pytest.mark.prefect
def test_full_disk_fails_in_one_line_and_keeps_everything(full_disk):
    result, leftovers, intact = full_disk
    assert result.returncode == 1, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("klimatkontrakt: error: cannot build database") and "No space left on device" in last
    assert sum(ln.startswith("klimatkontrakt: error:") for ln in result.stderr.splitlines()) == 1
    assert intact == (True, True), "the previous database or release changed"
    assert leftovers == []


@pytest.mark.prefect
def test_full_disk_prints_no_traceback(full_disk):
    result = full_disk[0]
    assert "Traceback" not in result.stdout + result.stderr
