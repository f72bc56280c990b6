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
    assert REQUIRED_RESOLUTIONS <= set(resolutions["resolution"])


def test_resolution_numbers_follow_their_dates(resolutions):
    ordered = resolutions.sort_values("resolution")
    assert ordered["date"].is_monotonic_increasing, ordered[["resolution", "date"]]


def test_each_resolution_cites_its_own_text(resolutions):
    for number, cell in zip(resolutions["resolution"], resolutions["source_ids"]):
        assert f"unsc-res-{number}" in split_ids(cell), number


def test_votes_add_up_to_the_council(resolutions):
    voted = resolutions.dropna(subset=["vote"])
    for number, vote in zip(voted["resolution"], voted["vote"]):
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
        cites = same_day["source_ids"].map(lambda cell: f"unsc-res-{row.resolution}" in split_ids(cell))
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
