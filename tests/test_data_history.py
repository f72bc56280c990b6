"""Checks specific to the historical tables: events, resolutions, unamir_strength, figures.

The generic tests (test_datasets.py) check schemas, ids and citations for every table;
these check what only the history can tell: span, chronology, and agreement between tables.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

import rwanda_edu
from rwanda_edu import split_ids

# Resolutions the data package specification requires.
REQUIRED_RESOLUTIONS = {846, 872, 893, 909, 912, 918, 925, 929, 935, 955, 965, 997, 1029, 2132}
SECURITY_COUNCIL_MEMBERS = 15  # since 1966
# Words that would make a timeline entry graphic; the descriptions must stay non-graphic.
GRAPHIC = re.compile(r"machete|hack|corpse|bodies|blood|mutilat|slaughter|butcher|tortur", re.IGNORECASE)
# Actors that are UN bodies: "UN Security Council", "UN Secretary-General", "UNAMIR", ...
UN_BODY = re.compile(r"UN\b|UNAMIR\b|UNOMUR\b")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return rwanda_edu.load("events")


@pytest.fixture(scope="module")
def resolutions() -> pd.DataFrame:
    return rwanda_edu.load("resolutions")


@pytest.fixture(scope="module")
def strength() -> pd.DataFrame:
    return rwanda_edu.load("unamir_strength")


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return rwanda_edu.load("figures")


def test_timeline_spans_1959_to_2021(events):
    """From the exile of 1959 to the French and Rwandan reports and Macron's speech of 2021."""
    assert len(events) >= 60
    years = events["date"].dt.year
    assert years.min() <= 1959
    assert years.max() == 2021
    assert events.loc[years == 1994, "date"].dt.month.nunique() >= 4, "1994 should be covered month by month"


def test_event_ids_carry_the_year(events):
    wrong = events[events["id"].str.slice(1, 5).astype(int) != events["date"].dt.year]
    assert wrong.empty, wrong[["id", "date"]]


@pytest.mark.parametrize("precision, first_of", [("month", ["day"]), ("year", ["day", "month"])])
def test_imprecise_dates_use_the_first_day(events, precision, first_of):
    rows = events[events["date_precision"] == precision]
    for part in first_of:
        assert (getattr(rows["date"].dt, part) == 1).all(), rows[["id", "date"]]


def test_event_places_exist(events):
    places = set(rwanda_edu.load("places")["id"])
    used = set(events["place_id"].dropna())
    assert used <= places, sorted(used - places)


def test_descriptions_are_not_graphic(events):
    text = events["title"] + " " + events["description"]
    assert not text.str.contains(GRAPHIC).any(), events.loc[text.str.contains(GRAPHIC), "id"].tolist()


def test_un_decisions_are_taken_by_un_bodies(events):
    """A government's decision is not a UN decision: 'un-decision' rows name a UN body, 'government-decision' rows none."""
    by_un = events["actors"].map(lambda cell: any(UN_BODY.match(actor) for actor in split_ids(cell)))
    un, national = events["category"] == "un-decision", events["category"] == "government-decision"
    assert not (un & ~by_un).any(), events.loc[un & ~by_un, "id"].tolist()
    assert national.any() and not (national & by_un).any(), events.loc[national & by_un, "id"].tolist()


def test_required_resolutions_are_present(resolutions):
    assert set(resolutions["resolution"]) >= REQUIRED_RESOLUTIONS


def test_resolution_numbers_follow_their_dates(resolutions):
    ordered = resolutions.sort_values("resolution")
    assert ordered["date"].is_monotonic_increasing, ordered[["resolution", "date"]]


def test_each_resolution_cites_its_own_text(resolutions):
    for number, cell in zip(resolutions["resolution"], resolutions["source_ids"], strict=True):
        assert f"unsc-res-{number}" in split_ids(cell), number


def test_votes_add_up_to_the_council(resolutions):
    voted = resolutions.dropna(subset=["vote"])
    for number, vote in zip(voted["resolution"], voted["vote"], strict=True):
        assert sum(int(n) for n in vote.split("-")) == SECURITY_COUNCIL_MEMBERS, (number, vote)


def test_chapter_matches_the_summary(resolutions):
    for row in resolutions.itertuples():
        if pd.isna(row.chapter):
            continue
        invokes_vii = "VII" in str(row.chapter)
        assert invokes_vii == ("Chapter VII" in row.summary), (row.resolution, row.chapter)


def test_every_resolution_is_on_the_timeline(events, resolutions):
    for row in resolutions.itertuples():
        same_day = events[events["date"] == row.date]
        own = f"unsc-res-{row.resolution}"
        cites = same_day["source_ids"].map(lambda cell, own=own: own in split_ids(cell))
        assert cites.any(), f"no event on {row.date:%Y-%m-%d} for resolution {row.resolution}"


def test_strength_covers_the_mandate(strength):
    assert strength["date"].is_monotonic_increasing
    assert strength["date"].min() == pd.Timestamp("1993-10-05")  # resolution 872
    assert strength["date"].max() == pd.Timestamp("1996-03-08")  # end of the mandate
    assert strength["date"].between("1993-10-01", "1996-03-31").all()


def test_strength_ranges_are_ordered_and_exclusive(strength):
    ranged = strength.dropna(subset=["deployed_low", "deployed_high"], how="all")
    assert ranged[["deployed_low", "deployed_high"]].notna().all(axis=None), "a range needs both ends"
    assert (ranged["deployed_low"] <= ranged["deployed_high"]).all()
    assert ranged["deployed"].isna().all(), "give either one deployed figure or a range, not both"


def test_strength_agrees_with_the_resolutions(strength, resolutions):
    unamir = resolutions[(resolutions["mission"] == "UNAMIR") & resolutions["authorized_personnel"].notna()]
    assert len(unamir) >= 4  # 872, 912, 918, 997 at least
    for r in unamir.itertuples():
        row = strength[strength["date"] == r.date]
        assert not row.empty, f"no strength row on the date of resolution {r.resolution}"
        assert row["authorized"].iloc[0] == r.authorized_personnel, r.resolution


@pytest.mark.parametrize("resolution, level", [(912, 270), (918, 5500)])
def test_key_troop_levels(resolutions, resolution, level):
    row = resolutions[resolutions["resolution"] == resolution]
    assert row["authorized_personnel"].iloc[0] == level


def test_figures_are_ranges_low_to_high(figures):
    bounded = figures.dropna(subset=["high"])
    assert (bounded["low"] <= bounded["high"]).all(), bounded[["figure_id", "low", "high"]]


def test_contested_measures_have_several_sources(figures):
    deaths = figures[figures["measure"].str.startswith("people killed in the genocide")]
    sources = {sid for cell in deaths["source_ids"] for sid in split_ids(cell)}
    assert len(deaths) >= 3 and len(sources) >= 3
    assert deaths["low"].min() < deaths["low"].max(), "a contested figure should show its spread"


# --- Corrections of the history review (issue 14) and the strands it asked for ------------------------------------
@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return rwanda_edu.load("claims").set_index("claim_id")


def _event(events, event_id) -> pd.Series:
    return events.set_index("id").loc[event_id]


def test_the_cable_event_says_what_the_cable_opposed(events):
    """The cable opposed keeping UNAMIR (¶ 7, ¶ 10), not every UN presence: it backed a political role (¶ 20)."""
    text = _event(events, "e1994-04-15-cable")["description"]
    assert "a UN presence" not in text
    assert "keep UNAMIR" in text and "peacekeeping force" in text
    assert "representative of the Secretary-General" in text
    cable = rwanda_edu.load_document("cable-1994-04-15").paragraphs
    assert "preserve a UNAMIR presence" in cable[9] and "not for UNAMIR" in cable[19]


def test_the_exile_from_1959_is_given_at_its_scale(events):
    row = _event(events, "e1959-11-revolution")
    assert "Tens of thousands" not in row["description"]
    assert "120,000-200,000" in row["description"] and "half a million" in row["description"]
    assert {"unhcr-1995-sowr", "long-2012"} <= set(split_ids(row["source_ids"]))


def test_the_council_statement_names_who_pressed_for_the_word(events):
    row = _event(events, "e1994-04-30-prst")
    for member in ("Czech Republic", "Spain", "New Zealand"):
        assert member in row["description"]
    assert {"ukmis-telno-1559", "kovanda-2010", "ap-2014-04-16-keating"} <= set(split_ids(row["source_ids"]))


def test_the_number_who_stayed_after_912_is_a_range_with_named_sources(figures, strength):
    stayed = figures[figures["measure"].str.startswith("UNAMIR personnel who stayed")].set_index("figure_id")
    main = stayed.loc["unamir-stayed-after-912-dallaire-anyidoho"]
    assert (main["low"], main["high"]) == (450, 500)
    assert {"dallaire-2003", "anyidoho-1997"} <= set(split_ids(main["source_ids"]))
    assert stayed.loc["unamir-stayed-after-912-sosi-2025", "low"] == 318
    after_cut = strength[(strength["date"] > "1994-04-21") & (strength["date"] < "1994-05-17")]
    assert len(after_cut) == 1 and (after_cut["deployed_low"].iloc[0], after_cut["deployed_high"].iloc[0]) == (450, 500)


def test_corrected_claim_explanations(claims):
    assert "formally ended the war" in claims.at["lakin-hutu-government", "what_the_record_says"]
    assert "hrw-1995-world-report" in split_ids(claims.at["lakin-hutu-government", "source_ids"])
    assert "“begged” misrepresents" in claims.at["cardot-genocide-fax", "what_the_record_says"]
    use_of_force = claims.at["lakin-use-of-force", "what_the_record_says"]
    assert use_of_force.startswith("Consistent for UNAMIR in April 1994, not for peacekeeping in 2019")
    assert {"unsc-res-2132", "unsc-res-2149", "brahimi-2000"} <= set(split_ids(claims.at["lakin-use-of-force", "source_ids"]))


def test_lakins_butare_orphanage_is_a_claim_to_check_not_evidence(claims):
    from rwanda_edu._questions import question_bank

    orphanage = claims.loc["lakin-butare-orphanage"]
    assert orphanage["verdict"] != "consistent" and orphanage["paragraph"] == 26
    assert orphanage["quote"] in rwanda_edu.load_document("lakin-2019").paragraphs[25]
    capstone = {q["id"]: q for q in question_bank("08_capstone")["questions"]}
    options = {o["id"]: o for o in capstone["evidence-lakin"]["options"]}
    assert not options["p26"].get("correct")


def test_sosi_returned_in_2025_not_in_2019():
    sosi = rwanda_edu.load("people").set_index("id").loc["peter-sosi"]
    assert "2025" in sosi["description"] and "ktpress-2025-08-13" in split_ids(sosi["source_ids"])
    assert rwanda_edu.load("sources").set_index("id").at["newtimes-unamir-veterans", "date"] == "2025-08"


def test_the_rwandan_strand_and_france_are_in_the_data(events):
    ids = set(events["id"])
    assert {"e1994-04-council-seat", "e2001-gacaca", "e2012-06-18-gacaca-closes", "e2018-10-26-abarinzi",
            "e1994-06-27-bisesero", "e1990-10-france-troops", "e2021-03-26-duclert", "e2021-04-19-muse",
            "e2021-05-27-macron"} <= ids
    sources = set(rwanda_edu.load("sources")["id"])
    assert {"duclert-2021", "muse-2021", "macron-kigali-2021"} <= sources
    assert _event(events, "e1994-06-27-bisesero")["place_id"] == "bisesero"
    assert "Kwibuka" in _event(events, "e2019-04-07-kwibuka25")["description"]
