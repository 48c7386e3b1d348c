"""The whole pipeline end to end through the real CLI and Prefect flow, on the replayed sample archive.

Each run starts Prefect's temporary API server (about 12 s), so the runs are shared by module-scoped
fixtures and every assertion reads their outputs.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "klimatkontrakt-sample.warc.gz"
FACT_TABLES = ("signings", "events", "roles", "memberships", "projects", "targets")


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "klimatkontrakt", *args],
        cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **env},
    )


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("municipalities", "organisations", "documents", "claims", "conflicts", *FACT_TABLES)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Two replayed runs into the same output folder, as the nightly job would make them."""
    work = tmp_path_factory.mktemp("demo")
    first = run_cli("run", "--replay", str(SAMPLE), "--db", "out/kk.duckdb", "--out", "out", cwd=work)
    assert first.returncode == 0, first.stderr[-3000:]
    tables_after_first = snapshot(work / "out" / "kk.duckdb")
    second = run_cli("run", "--replay", str(SAMPLE), "--db", "out/kk.duckdb", "--out", "out", cwd=work)
    assert second.returncode == 0, second.stderr[-3000:]
    return work, first, second, tables_after_first


def test_logs_are_clean(demo):
    _, first, second, _ = demo
    for result in (first, second):
        output = result.stdout + result.stderr
        assert "Traceback" not in output
        assert "| ERROR" not in output and "| CRITICAL" not in output
        assert "published" in result.stdout


def test_tables_are_filled_from_the_samples(demo):
    work = demo[0]
    with duckdb.connect(str(work / "out" / "kk.duckdb"), read_only=True) as con:
        count = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert count("SELECT count(*) FROM municipalities") == 290
        assert count("SELECT count(*) FROM organisations WHERE organisation_id = 'formas'") == 1
        assert count("SELECT count(*) FROM documents") >= 8
        assert count("SELECT count(*) FROM signings WHERE contract = 'klimatkontrakt-2030'") >= 5
        assert count("SELECT count(*) FROM signings WHERE organisation_id IS NOT NULL") >= 1
        assert count("SELECT count(*) FROM events WHERE kind = 'european-viable-cities-day'") >= 1
        assert count("SELECT count(*) FROM roles WHERE party IS NOT NULL") >= 2
        assert count("SELECT count(*) FROM memberships") >= 1
        assert count("SELECT count(*) FROM projects WHERE grant_sek > 0 AND municipality_code IS NOT NULL") == 2
        # Umeå's targets page and the release on the proposal before it: four targets, and the
        # proposal's year for climate neutrality (2045) against the adopted one (2040) a conflict
        assert count("SELECT count(*) FROM targets WHERE municipality_code = '2480' AND stated_on = '2024-03-12'") == 4
        assert con.execute("SELECT target_year, status FROM targets WHERE municipality_code = '2480' "
                           "AND kind = 'climate-neutral'").fetchall() == [(2040, "adopted")]
        assert count("SELECT count(*) FROM conflicts WHERE fact_table = 'targets' AND field = 'target_year'") == 1
        # Eskilstuna's contract PDF (linked from the Klimatkontrakt page) read whole: the contract,
        # every numbered section a commitment, its targets with the PDF as their document
        assert con.execute("SELECT municipality_code, version_year, pages, parties FROM contracts").fetchall() == [
            ("0484", 2023, 4, "energimyndigheten;formas;naturvardsverket;tillvaxtverket;trafikverket;vinnova;viable-cities")]
        assert con.execute("SELECT section_path, party FROM commitments ORDER BY section_path").fetchall() == [
            ("1", "all"), ("2", "all"), ("3", "municipality"), ("3.1", "municipality"), ("3.2", "municipality"),
            ("3.3", "municipality"), ("4", "viable-cities"), ("4.1", "viable-cities"), ("5", "agencies"),
            ("5.1", "agencies"), ("5.2", "agencies"), ("6", "all")]
        assert con.execute("SELECT t.kind, t.value, t.baseline_year, t.target_year FROM targets t JOIN contracts c "
                           "USING (document_id) ORDER BY t.kind").fetchall() == [
            ("climate-neutral", None, None, 2030), ("emissions-reduction", 70.0, 1990, 2025),
            ("fossil-free", None, None, 2025)]
        assert count("SELECT count(*) FROM documents WHERE extractor = 'pdf' AND content_type = 'application/pdf'") == 1
        for table in FACT_TABLES:
            orphans = count(f"SELECT count(*) FROM {table} f LEFT JOIN documents d USING (document_id) "
                            "WHERE d.document_id IS NULL OR f.evidence IS NULL OR f.evidence = ''")
            assert orphans == 0, f"{table} has facts without a source document or evidence"
        assert count("SELECT count(*) FROM runs WHERE status = 'success'") == 2


def test_look_alike_page_yields_no_klimatkontrakt_signing(demo):
    work = demo[0]
    with duckdb.connect(str(work / "out" / "kk.duckdb"), read_only=True) as con:
        rows = con.execute(
            # "Climate City Contract 2030" is Klimatkontrakt 2030's English name, not the EU look-alike
            "SELECT s.evidence FROM signings s JOIN documents d USING (document_id) "
            "WHERE s.contract = 'klimatkontrakt-2030' AND "
            "regexp_replace(lower(s.evidence), 'climate city contract 2030', '', 'g') SIMILAR TO "
            "'.*(klimatavtal|borgmästaravtal|climate city contract).*'"
        ).fetchall()
    assert rows == []


def test_rerun_on_the_same_input_changes_nothing(demo):
    work, _, _, tables_after_first = demo
    assert snapshot(work / "out" / "kk.duckdb") == tables_after_first


def test_published_package_validates(demo):
    work = demo[0]
    latest = work / "out" / "packages" / "latest"
    assert (latest / "datapackage.json").is_file()
    result = run_cli("validate", str(latest), cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    releases = [p for p in (work / "out" / "packages").iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(releases) == 1  # the second run found the same facts: no new version


def test_a_run_that_finds_the_same_facts_publishes_nothing_and_says_why(demo):
    work, first, second, _ = demo
    assert "published" in first.stdout and "no published table changed since release" in second.stdout
    reports = sorted((work / "out" / "runs").glob("*.json"))
    second_report = json.loads(reports[-1].read_text())
    assert second_report["status"] == "success" and second_report["published"] is False
    assert second_report["package"] is None and "no new release" in second_report["message"]
    with duckdb.connect(str(work / "out" / "kk.duckdb"), read_only=True) as con:  # the database is the second run's
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'success'").fetchone()[0] == 2


def test_run_summary_is_written(demo):
    work = demo[0]
    summaries = [json.loads(p.read_text()) for p in (work / "out" / "runs").glob("*.json")]
    assert len(summaries) == 2 and all(s["status"] == "success" for s in summaries)
    assert all(s["tables"]["signings"] > 0 for s in summaries)
    published = [s for s in summaries if s["published"]]
    assert len(published) == 1 and published[0]["gates"].endswith("passed") and "| `signings` |" in published[0]["changes"]
    assert [s["gates"] for s in summaries if not s["published"]] == ["not run: nothing new to publish"]
    assert all((p.with_suffix(".md")).is_file() for p in (work / "out" / "runs").glob("*.json"))
    # each run's own crawl log beside its report: the rows the database holds for that run
    with duckdb.connect(str(work / "out" / "kk.duckdb"), read_only=True) as con:
        for summary in summaries:
            log_file = work / "out" / "runs" / f"{summary['run_id']}.fetches.csv.gz"
            rows = con.execute("SELECT count(*) FROM read_csv(?) ", [str(log_file)]).fetchone()[0]
            assert rows == con.execute("SELECT count(*) FROM fetches WHERE run_id = ?", [summary["run_id"]]).fetchone()[0] > 0


def test_unreachable_sources_fail_in_one_line_and_keep_the_database(demo, tmp_path):
    work = demo[0]
    db = tmp_path / "kk.duckdb"
    shutil.copy(work / "out" / "kk.duckdb", db)
    before = snapshot(db)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[[source]]\nid = 'nowhere'\nextractor = 'municipal'\nmunicipality_code = '0484'\n"
        "start_urls = ['http://127.0.0.1:9/nyheter/']\nmax_pages = 1\n",
        encoding="utf-8",
    )
    result = run_cli("run", "--sources", str(sources), "--allow-private", "--db", str(db),
                     "--out", str(tmp_path / "out"), cwd=tmp_path, KLIMATKONTRAKT_MAX_RETRIES="0")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("klimatkontrakt: error: network unreachable")
    assert "--replay samples/" in last
    assert snapshot(db) == before
    assert not (tmp_path / "out" / "packages").exists()


def test_the_dask_task_runner_is_a_configuration_change(demo, tmp_path):
    """KLIMATKONTRAKT_TASK_RUNNER=dask: the same flow on a local Dask cluster of processes, same tables."""
    result = run_cli("run", "--replay", str(SAMPLE), "--db", "kk.duckdb", "--out", "out", cwd=tmp_path,
                     KLIMATKONTRAKT_TASK_RUNNER="dask", KLIMATKONTRAKT_MAX_WORKERS="2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(tmp_path / "kk.duckdb") == demo[3]


def test_an_unknown_task_runner_is_a_one_line_error(tmp_path):
    result = run_cli("run", "--replay", str(SAMPLE), cwd=tmp_path, KLIMATKONTRAKT_TASK_RUNNER="spark")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("klimatkontrakt: error: KLIMATKONTRAKT_TASK_RUNNER")


def test_the_flow_itself_carries_the_configured_runner():
    """`serve` and workers import the flow from its module: the runner must come from the settings there."""
    code = "from flows.nightly import nightly; print(type(nightly.task_runner).__name__, nightly.task_runner._max_workers)"
    env = {**os.environ, "KLIMATKONTRAKT_MAX_WORKERS": "3", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["ThreadPoolTaskRunner", "3"], result.stderr[-2000:]


def test_a_bad_setting_is_a_one_line_error(tmp_path):
    result = run_cli("run", "--replay", str(SAMPLE), cwd=tmp_path, KLIMATKONTRAKT_MAX_WORKERS="many")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "klimatkontrakt: error: KLIMATKONTRAKT_MAX_WORKERS: Input should be a valid integer, unable to parse string as an integer"]


def test_the_release_has_coverage_of_every_municipality_and_its_map(demo):
    work = demo[0]
    latest = (work / "out" / "packages" / "LATEST").read_text(encoding="utf-8").strip()
    with duckdb.connect(str(work / "out" / "kk.duckdb"), read_only=True) as con:
        signed = {c for (c,) in con.execute("SELECT DISTINCT municipality_code FROM signings WHERE municipality_code IS NOT NULL").fetchall()}
        statuses = dict(con.execute("SELECT status, count(*) FROM coverage GROUP BY status").fetchall())
        reasons = {r for (r,) in con.execute("SELECT DISTINCT reason FROM coverage WHERE status = 'not-reached'").fetchall()}
    assert sum(statuses.values()) == 290 and statuses["signatory"] == len(signed) > 0
    assert reasons <= {"not in the replayed archive", "not crawled in this run"}  # the default file watches every site
    csv_rows = (work / "out" / "packages" / latest / "data" / "coverage.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_rows) == 291
    page = (work / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert page.count('<path class="cov-') == 290
    assert all(f'data-code="{code}" data-status="signatory"' in page for code in signed)
