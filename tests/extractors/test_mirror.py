"""The same article on the city's site and mirrored on a school site with other markup: the
extractors read the same facts from both, and assembly keeps one fact with two claims."""

from __future__ import annotations

from datetime import UTC, datetime

from extractor_golden import FIXTURES, HERE, run

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core.ids import document_id
from klimatkontrakt.core.model import FetchedPage, Source

ORIGINAL, MIRROR = "enkoping-novisen-2021", "enkoping-westerlundska-mirror"
KEYS = {
    "signings": ("contract", "municipality_code", "organisation_id", "signed_on", "contract_version"),
    "memberships": ("municipality_code", "initiative_id", "joined_on", "joined_year", "cohort"),
    "roles": ("person_name", "party", "role_normalised", "municipality_code"),
}


def _pages():
    out = []
    for name in (ORIGINAL, MIRROR):
        url, extractor, code = FIXTURES[name]
        body = (HERE / f"{name}.html").read_bytes()
        source = Source(id="enkoping", extractor=extractor, start_urls=(url,), municipality_code=code)
        page = FetchedPage(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8", body=body,
                           text=body.decode("utf-8"), fetched_at=datetime(2026, 11, 20, 2, 30, tzinfo=UTC),
                           source_id="enkoping")
        out.append((source, page, run(name)))
    return out


def test_both_copies_give_the_same_facts():
    original, mirror = run(ORIGINAL), run(MIRROR)
    for table, keys in KEYS.items():
        facts = [{tuple(getattr(r, k) for k in keys) for r in getattr(e, table)} for e in (original, mirror)]
        assert facts[0] and facts[0] == facts[1], table


def test_signings_and_memberships_are_one_fact_with_both_documents():
    tables = assemble(_pages(), "20261127T000000Z-test")
    docs = {document_id(FIXTURES[n][0]) for n in (ORIGINAL, MIRROR)}
    claims = tables["claims"]
    for table, id_column in (("signings", "signing_id"), ("memberships", "membership_id")):
        facts = tables[table]
        assert len(facts) == len(set(facts[id_column])) > 0
        for fact_id in facts[id_column]:
            assert set(claims[claims["fact_id"] == fact_id]["document_id"]) == docs, table
    # the chosen claim is the earlier document: the city's own page (1 Oct), not the mirror (4 Oct)
    assert set(tables["signings"]["document_id"]) == {document_id(FIXTURES[ORIGINAL][0])}


def test_roles_are_one_fact_with_both_documents():
    tables = assemble(_pages(), "20261127T000000Z-test")
    roles = tables["roles"]
    assert sorted(roles["person_name"]) == ["Karin Ström", "Ulf Bergsten"]
