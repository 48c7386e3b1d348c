"""docs/queries.md never rots: every ```sql and ```python block runs against a database built from
the test pages (three runs, so the history has versions, removals and a re-added row)."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "klimatkontrakt"))

from klimatkontrakt import schema as sch  # noqa: E402
from klimatkontrakt.assemble import assemble  # noqa: E402
from klimatkontrakt.load import build_database  # noqa: E402
from klimatkontrakt.settings import REPO_ROOT  # noqa: E402
from klimatkontrakt.model import Commitment, Contract, Extraction, Membership  # noqa: E402
from pipeline_helpers import ESK, MIRROR_VC, VC, mirrored_extraction, page, run_row, sample_pages  # noqa: E402

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


def test_the_document_has_examples():
    assert len(blocks("sql")) >= 10 and len(blocks("python")) >= 2
    text = QUERIES.read_text(encoding="utf-8")
    assert "duckdb -readonly output/klimatkontrakt.duckdb" in text
    assert "read_only=True" in text


@pytest.mark.parametrize("query", blocks("sql"), ids=lambda q: " ".join(q.split())[:60])
def test_sql_examples_run_and_return_rows(db, query):
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(query).fetchall()
    assert rows, "the example returns nothing on the test database: make it show something"


def test_the_as_of_examples_agree(db):
    plain, macro = (q for q in blocks("sql") if "2026-11-27 12:00" in q and "signing_id" in q)
    with duckdb.connect(str(db), read_only=True) as con:
        assert [r[0] for r in con.execute(plain).fetchall()] == [r[0] for r in con.execute(macro).fetchall()]


@pytest.mark.parametrize("code", blocks("python"), ids=lambda c: c.splitlines()[0][:50])
def test_python_examples_run(db, code, capsys):
    assert DEFAULT_DB in code
    exec(compile(code.replace(DEFAULT_DB, str(db)), str(QUERIES), "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out.strip()


def test_every_view_is_shown_somewhere():
    text = QUERIES.read_text(encoding="utf-8")
    for view in sch.view_names():
        if not view.startswith("current_"):
            assert view in text, view
