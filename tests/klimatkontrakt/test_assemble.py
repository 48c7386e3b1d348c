"""assemble(): deterministic ids, mirrored documents merged into one fact with two claims."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date

import pandas as pd
import pytest
from pipeline_helpers import EVCD, MIRROR_ESK, MIRROR_VC, VC, page, sample_pages

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.ids import document_id, person_id
from klimatkontrakt.core.model import Event, Extraction, Membership

RUN = "20261127T021500Z-abcd"


@pytest.fixture(scope="module")
def tables():
    return assemble(sample_pages(), RUN)


def test_every_table_but_runs_with_exactly_the_schema_columns(tables):
    # `runs` comes from the flow, `sources` is summed up in the database, the history is built there
    assert list(tables) == [t for t in sch.TABLES if t not in ("runs", "sources")]
    for name, frame in tables.items():
        assert list(frame.columns) == sch.field_names(name), name
        expected = sch.arrow_schema(name)
        for field in expected:
            assert frame[field.name].dtype == pd.ArrowDtype(field.type), (name, field.name)


def test_frames_are_sorted_by_primary_key_which_is_unique(tables):
    for name, frame in tables.items():
        pk = sch.primary_key(name)
        if not pk:
            continue
        keys = list(frame[pk].itertuples(index=False, name=None))
        assert keys == sorted(keys), name
        assert len(set(keys)) == len(keys), name


def test_reference_tables_keep_codes_as_text(tables):
    munis = tables["municipalities"]
    assert len(munis) == 290
    first = munis.iloc[0]
    assert (first["municipality_code"], first["name"], first["county_code"]) == ("0114", "Upplands Väsby", "01")
    orgs = tables["organisations"].set_index("organisation_id")
    assert orgs.loc["viable-cities", "kind"] == "programme"
    assert orgs.loc["formas", "kind"] == "agency"
    assert "Statens energimyndighet" in orgs.loc["energimyndigheten", "aliases"].split("|")


def test_mirrored_article_is_one_fact_with_two_claims(tables):
    signings = tables["signings"]
    eskilstuna = signings[signings["municipality_code"] == "0484"]
    assert len(eskilstuna) == 1
    row = eskilstuna.iloc[0]
    # chosen claim: the document published first (eskilstuna.se, 1 June) even though its URL sorts later
    assert row["document_id"] == document_id(MIRROR_ESK)
    assert row["evidence"] == "Kommunen skrev under"
    claims = tables["claims"]
    mine = claims[claims["fact_id"] == row["signing_id"]]
    assert sorted(mine["document_id"]) == sorted([document_id(MIRROR_VC), document_id(MIRROR_ESK)])
    assert set(mine["fact_table"]) == {"signings"}
    values = [json.loads(v) for v in mine["value"]]
    assert {v["evidence"] for v in values} == {"Eskilstuna skrev under kontraktet", "Kommunen skrev under"}
    assert all(v["signed_on"] == "2023-05-31" and v["municipality_code"] == "0484" for v in values)


def test_empty_values_of_the_chosen_claim_are_filled_from_the_next(tables):
    roles = tables["roles"]
    assert len(roles) == 1
    role = roles.iloc[0]
    assert role["document_id"] == document_id(MIRROR_ESK)  # chosen claim had no party ...
    assert role["party"] == "S"  # ... the viablecities.se claim had one
    assert role["person_id"] == person_id("Jimmy Jansson") == "jimmy-jansson"
    assert person_id("Åsa Öberg-Lind") == "asa-oberg-lind"


def test_signings_link_to_the_signing_day_event(tables):
    events = tables["events"]
    assert len(events) == 1
    event = events.iloc[0]
    assert event["kind"] == "european-viable-cities-day" and event["starts_on"] == EVCD
    assert event["start_time"] == "09:30"
    assert set(tables["signings"]["event_id"]) == {event["event_id"]}


def test_unknown_municipality_and_organisation_are_dropped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="klimatkontrakt.assemble.tables"):
        tables = assemble(sample_pages(), RUN)
    signings = tables["signings"]
    assert set(signings["municipality_code"].dropna()) == {"0484"}
    assert set(signings["organisation_id"].dropna()) == {"formas"}
    text = caplog.text
    assert "unknown municipality code '484'" in text
    assert "unknown organisation 'nasa'" in text


def test_documents_only_from_extracted_pages_and_fetches_from_all(tables):
    docs = tables["documents"]
    assert len(docs) == 3
    evcd = docs[docs["url"] == "https://viablecities.se/evcd"].iloc[0]
    assert evcd["final_url"] == "https://viablecities.se/en/evcd-2023"
    assert evcd["document_id"] == hashlib.sha256(b"https://viablecities.se/en/evcd-2023").hexdigest()[:16]
    assert evcd["sha256"] == hashlib.sha256(b"<html>...</html>").hexdigest()
    assert evcd["extractor"] == "viablecities" and evcd["language"] == "en"
    fetches = tables["fetches"]
    assert len(fetches) == 5
    assert set(fetches["run_id"]) == {RUN}
    failed = fetches[fetches["url"] == "https://viablecities.se/gone"].iloc[0]
    assert pd.isna(failed["status"]) and failed["error"] == "connection refused" and failed["bytes"] == 0
    assert not fetches["from_cache"].any()


def test_membership_year_from_date(tables):
    m = tables["memberships"].iloc[0]
    assert (m["municipality_code"], m["initiative_id"], m["joined_year"], m["cohort"]) == (
        "0180", "klimatneutrala-stader-2030", 2020, "pilot-2020")


def test_assembling_twice_or_in_another_order_gives_identical_frames(tables):
    again = assemble(sample_pages(), RUN)
    reversed_input = assemble(list(reversed(sample_pages())), RUN)
    for name in tables:
        pd.testing.assert_frame_equal(tables[name], again[name])
        pd.testing.assert_frame_equal(tables[name], reversed_input[name])


def test_no_pages_gives_empty_fact_tables():
    tables = assemble([], RUN)
    assert len(tables["municipalities"]) == 290
    for name in ("documents", "signings", "events", "roles", "memberships", "claims", "fetches"):
        assert tables[name].empty and list(tables[name].columns) == sch.field_names(name)


def test_optional_values_that_break_their_constraints_are_left_empty_with_a_warning(caplog):
    extraction = Extraction(
        title="Nyhet", published_on=date(2023, 5, 2), language="sv",
        events=(Event("Klimatmöte", "Klimatmöte klockan 25.99", kind="other", starts_on=EVCD, start_time="25.99"),),
        memberships=(Membership("0180", "klimatneutrala-stader-2030", "Stockholm gick med år 1990",
                                joined_year=1990, cohort="pilot-2020"),),
    )
    with caplog.at_level(logging.WARNING, logger="klimatkontrakt.assemble.tables"):
        tables = assemble([(VC, page("https://viablecities.se/nyheter/mote"), extraction)], RUN)
    assert tables["events"]["start_time"].isna().all()  # pattern HH:MM
    membership = tables["memberships"].iloc[0]
    assert pd.isna(membership["joined_year"]) and membership["cohort"] == "pilot-2020"  # range 2000-2100
    assert "events.start_time value '25:99'" in caplog.text
    assert "memberships.joined_year value 1990" in caplog.text
