"""docs/queries.md never rots: every ```sql and ```python block runs against a database built from
the test pages (three runs, so the history has versions, removals and a re-added row)."""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "klimatkontrakt"))

from pipeline_helpers import (  # noqa: E402
    ESK,
    MIRROR_VC,
    VC,
    mirrored_extraction,
    page,
    run_row,
    sample_pages,
)

from klimatkontrakt.assemble.tables import assemble  # noqa: E402
from klimatkontrakt.core import schema as sch  # noqa: E402
from klimatkontrakt.core.model import Commitment, Contract, Extraction, Membership  # noqa: E402
from klimatkontrakt.core.settings import REPO_ROOT  # noqa: E402
from klimatkontrakt.release.publish import publish  # noqa: E402
from klimatkontrakt.store.load import build_database  # noqa: E402

QUERIES = REPO_ROOT / "docs" / "queries.md"
DEFAULT_DB = "output/klimatkontrakt.duckdb"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(QUERIES.read_text(encoding="utf-8")) if lang == language]


def pages_with_a_twin_city():
    twin = Extraction(title="Eskilstuna och Stockholm", published_on=date(2024, 3, 1), memberships=(
        Membership("0484", "klimatneutrala-stader-2030", "Eskilstuna har fått Stockholm som tvillingstad.",
                   twin_municipality_code="0180"),))
    contract = Extraction(title="Klimatkontrakt 2030", language="sv",
                          contract=Contract("klimatkontrakt-2030", "0484", 2023, "Klimatkontrakt 2030",
                                            ("energimyndigheten", "formas", "viable-cities"), 18),
                          commitments=(Commitment("3", "Kommunens åtaganden", "municipality", "Kommunen ska ...", 6),
                                       Commitment("3.1", "Kommunens klimatmål", "municipality",
                                                  "Eskilstuna ska vara klimatneutralt 2030.", 6),
                                       Commitment("5", "Myndigheternas åtaganden", "agencies", "Myndigheterna ...", 9)))
    return [*sample_pages(), (ESK, page("https://www.eskilstuna.se/nyheter/tvillingstad", ESK), twin),
            (VC, page("https://viablecities.se/wp-content/uploads/2023/12/eskilstuna-2023.pdf"), contract)]


def changed_pages():
    pages = pages_with_a_twin_city()
    pages[0] = (VC, page(MIRROR_VC), mirrored_extraction(date(2023, 6, 2), "Eskilstuna skrev under kontraktet", "M"))
    return pages[:2] + pages[3:]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "klimatkontrakt.duckdb"
    runs = [("20261127T021500Z-aaaa", datetime(2026, 11, 27, 2, 15), pages_with_a_twin_city()),
            ("20261128T021500Z-bbbb", datetime(2026, 11, 28, 2, 15), changed_pages()),
            ("20261129T021500Z-cccc", datetime(2026, 11, 29, 2, 15), pages_with_a_twin_city())]
    for run_id, started, pages in runs:
        build_database(assemble(pages, run_id), path, [run_row(run_id, started_at=started)])
    return path


RELEASE_FILES = re.compile(r"""(['"])((?:data|parquet)/)""")  # a path inside a release folder


def in_release(code: str, release: Path) -> str:
    return RELEASE_FILES.sub(lambda m: m.group(1) + f"{release.as_posix()}/{m.group(2)}", code)


@pytest.fixture(scope="module")
def release(db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release")
    return publish(db, out, created=datetime(2026, 11, 29, 3, 0, tzinfo=UTC), site=False)


def test_the_document_has_examples():
    assert len(blocks("sql")) >= 10 and len(blocks("python")) >= 2
    text = QUERIES.read_text(encoding="utf-8")
    assert "duckdb -readonly output/klimatkontrakt.duckdb" in text
    assert "read_only=True" in text


@pytest.mark.parametrize("query", blocks("sql"), ids=lambda q: " ".join(q.split())[:60])
def test_sql_examples_run_and_return_rows(db, release, query):
    if RELEASE_FILES.search(query):  # over a release's files: in a DuckDB of its own
        with duckdb.connect() as con:
            rows = con.execute(in_release(query, release)).fetchall()
    else:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(query).fetchall()
    assert rows, "the example returns nothing on the test database: make it show something"


def test_the_as_of_query_over_the_release_files_agrees_with_the_database(db, release):
    """From the CSVs alone, the signings as of a day are those of the database's history, also on
    the day between the runs that removed a signing and added it again."""
    over_files = next(q for q in blocks("sql") if RELEASE_FILES.search(q) and "signings_history" in q)
    answers = []
    for day in ("2026-11-27 12:00", "2026-11-28 12:00"):
        with duckdb.connect() as con:
            from_files = con.execute(in_release(over_files, release).replace("2026-11-27 12:00", day)).fetchall()
        with duckdb.connect(str(db), read_only=True) as con:
            from_db = con.execute("SELECT signing_id, contract, municipality_code, organisation_id, signed_on "
                                  f"FROM signings_as_of(TIMESTAMP '{day}') ORDER BY signing_id").fetchall()
        assert from_files == from_db, day
        answers.append(len(from_files))
    assert answers[0] > answers[1] > 0


@pytest.mark.parametrize("code", blocks("python"), ids=lambda c: c.splitlines()[0][:50])
def test_python_examples_run(db, release, code, capsys):
    assert DEFAULT_DB in code or RELEASE_FILES.search(code)
    code = in_release(code.replace(DEFAULT_DB, str(db)), release)
    exec(compile(code, str(QUERIES), "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out.strip()


def test_every_view_is_shown_somewhere():
    text = QUERIES.read_text(encoding="utf-8")
    for view in sch.view_names():
        if not view.startswith("current_"):
            assert view in text, view
