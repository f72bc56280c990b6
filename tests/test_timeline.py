"""The timeline explorer, driven through its widgets' traits (no browser)."""
from __future__ import annotations

import pandas as pd
import pytest

import rwanda_edu
from rwanda_edu import _datasets
from rwanda_edu._html import escape
from rwanda_edu._timeline import Timeline, timeline

CATEGORIES = ["background", "warning", "un-decision", "genocide", "justice"]


def _events() -> pd.DataFrame:
    rows = [
        ("e-1959", "1959-11-01", "month", "Revolution", "background", "", None, "src-a"),
        ("e-fax", "1994-01-11", "day", "<script>alert(1)</script> fax", "warning", "UNAMIR;Dallaire", "kigali", "src-a;src-b"),
        ("e-plane", "1994-04-06", "day", "Plane shot down", "genocide", "", "kigali", "src-b"),
        ("e-kill", "1994-04-06", "day", "Killings begin", "genocide", "Interahamwe", None, "src-b"),
        ("e-912", "1994-04-21", "day", "Resolution 912", "un-decision", "UN Security Council;UNAMIR", None, "src-a"),
        ("e-ictr", "1998-01-01", "year", "First judgement", "justice", "ICTR", None, "src-a"),
    ]
    df = pd.DataFrame(rows, columns=["id", "date", "date_precision", "title", "category", "actors", "place_id", "source_ids"])
    df["description"] = [f"About {t} & <b>more</b>" for t in df["title"]]
    df["date"] = pd.to_datetime(df["date"])
    df["category"] = pd.Categorical(df["category"], categories=CATEGORIES, ordered=True)
    return df.astype({c: "string" for c in ["id", "date_precision", "title", "actors", "place_id", "source_ids", "description"]})


FRAMES = {
    "events": _events(),
    "sources": pd.DataFrame(
        {"id": ["src-a", "src-b"], "title": ["A <i>report</i>", "A book"], "author": ["Body A", "Author B"],
         "publisher": ["UN", None], "date": ["1999", None], "url": [None, None]}
    ),
    "places": pd.DataFrame({"id": ["kigali"], "name": ["Kigali"]}),
}


@pytest.fixture(autouse=True)
def fake_data(request, monkeypatch):
    """Small hand-made tables, except for the tests on the shipped data."""
    if request.cls is not TestShippedData:
        monkeypatch.setattr(_datasets, "_load_cached", FRAMES.__getitem__)


def points(view: Timeline) -> int:
    return sum(len(trace.x) for trace in view.figure.data)


def test_every_event_is_a_point_in_its_category_trace():
    view = timeline()
    assert points(view) == len(FRAMES["events"])
    by_trace = {trace.name: len(trace.x) for trace in view.figure.data}
    counts = FRAMES["events"]["category"].value_counts()[lambda s: s > 0]
    assert by_trace == {view.category_labels[c]: n for c, n in counts.items()}
    assert all(trace.type == "scatter" for trace in view.figure.data)


def test_hover_shows_escaped_title_and_date_at_its_precision():
    view = timeline()
    hover = {row[1] for trace in view.figure.data for row in trace.customdata}
    assert {"November 1959", "11 January 1994", "1998"} <= hover
    titles = {row[0] for trace in view.figure.data for row in trace.customdata}
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fax" in titles
    assert not any("<script>" in t for t in titles)


def test_events_on_the_same_day_do_not_hide_each_other():
    view = timeline(categories="genocide")
    (trace,) = view.figure.data
    assert len(set(zip(trace.x, trace.y, strict=True))) == 2


def test_arguments_filter_the_events():
    assert points(timeline(categories=["genocide", "warning"])) == 3
    assert points(timeline(actors="UNAMIR")) == 2
    assert points(timeline(actors=["ICTR", "Interahamwe"])) == 2
    assert points(timeline(start=1994, end=1994)) == 4
    view = timeline(categories="genocide", actors="Interahamwe", start=1990)
    assert view.events["id"].tolist() == ["e-kill"]


def test_controls_redraw_the_figure_and_the_text_version():
    view = timeline()
    before = view.figure
    view.category_boxes[CATEGORIES.index("background")].value = False
    assert view.figure is not before
    assert points(view) == 5 and "background" not in {t.name for t in view.figure.data}
    view.actor_menu.value = ("UNAMIR",)
    assert points(view) == 2
    view.from_month.value, view.to_month.value = pd.Period("1959-11", "M"), pd.Period("1959-11", "M")
    assert points(view) == 0
    assert "0 events, November 1959; " in view.text_alternative.value
    view.from_month.value, view.to_month.value = view.months[-1], view.months[0]  # either order
    assert points(view) == 2
    assert view.text_alternative.value.count("<tr>") == 1 + 2  # header + one row per event


def test_every_control_has_a_label():
    view = timeline()
    for control in [*view.category_boxes, view.actor_menu, view.from_month, view.to_month, view.event_menu]:
        assert control.description


def test_choosing_an_event_shows_its_escaped_description_and_sources():
    view = timeline()
    view.event_menu.value = "e-fax"
    html = view.event_details.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fax" in html and "<script>" not in html
    assert "About &lt;script&gt;alert(1)&lt;/script&gt; fax &amp; &lt;b&gt;more&lt;/b&gt;" in html
    assert "11 January 1994" in html and "Kigali" in html
    assert "A &lt;i&gt;report&lt;/i&gt;" in html and "A book" in html  # both sources, by title
    view.event_menu.value = ""
    assert view.event_details.value == ""


def test_event_menu_follows_the_filter_and_keeps_a_choice_still_shown():
    view = timeline()
    view.event_menu.value = "e-912"
    view.actor_menu.value = ("UNAMIR",)
    assert view.event_menu.options[0] == ("Choose an event to read about it", "")  # shown: its value is not None
    assert [v for _, v in view.event_menu.options] == ["", "e-fax", "e-912"]
    assert view.event_menu.value == "e-912"
    view.category_boxes[CATEGORIES.index("un-decision")].value = False
    assert view.event_menu.value == "" and view.event_details.value == ""


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"categories": "genocde"}, "did you mean 'genocide'"),
        ({"categories": ["warning", "nope"]}, "Valid: background, warning, un-decision, genocide, justice"),
        ({"actors": "UNAMR"}, "did you mean 'UNAMIR'"),
        ({"start": 1900}, "1900 is outside the timeline; valid: a year from 1959 to 1998, or a month such as '1994-04'"),
        ({"start": "1994-13"}, "'1994-13' is not a year or a month"),
        ({"start": "April 1994"}, "is not a year or a month"),
        ({"start": 1995, "end": 1994}, "start 1995 is after end 1994"),
        ({"start": "1994-05", "end": "1994-06"}, "no event from 1994-05 to 1994-06; the months with events are: 1959-11, 1994-01"),
        ({"start": "1998-05"}, "start '1998-05' is after the timeline's last month, 1998-01"),
    ],
)
def test_bad_arguments_name_the_valid_choices(kwargs, message):
    with pytest.raises(ValueError, match=message):
        timeline(**kwargs)


@pytest.mark.parametrize("start", [1994.0, True, ["1994"]])
def test_start_must_be_a_year_or_a_month(start):
    with pytest.raises(TypeError, match="start must be a year"):
        timeline(start=start)


def test_the_period_menus_offer_the_months_with_events():
    view = timeline()
    labels = [label for label, _ in view.from_month.options]
    assert labels == ["November 1959", "January 1994", "April 1994", "1998"]  # an event dated by its year alone
    assert [label for label, _ in view.to_month.options] == labels


def test_a_month_period_shows_only_its_events():
    view = timeline(start="1994-04", end="1994-04")
    assert sorted(view.events["id"]) == ["e-912", "e-kill", "e-plane"]
    assert "Timeline, April 1994: 3 events" in view.figure.layout.title.text
    assert list(view.figure.layout.yaxis.ticktext) == ["Genocide against the Tutsi", "UN decisions"]  # no empty row
    first, last = view.figure.layout.xaxis.range
    assert pd.Timestamp(first) < pd.Timestamp("1994-04-01") and pd.Timestamp("1994-04-30") < pd.Timestamp(last)
    assert pd.Timestamp(last) < pd.Timestamp("1994-05-15")  # the axis spans the month, not the year
    assert timeline(start=1994, end=1994).period == (pd.Period("1994-01", "M"), pd.Period("1994-04", "M"))


def test_each_toggle_of_a_category_redraws_it_in_or_out():
    view = timeline()
    box = view.category_boxes[CATEGORIES.index("genocide")]
    for shown in (False, True, False, True, False):
        before = view.figure
        box.value = shown
        assert view.figure is not before
        assert ("Genocide against the Tutsi" in {t.name for t in view.figure.data}) is shown
        assert points(view) == (6 if shown else 4)


class TestShippedData:
    """The timeline drawn from the package's own events."""

    def test_every_event_is_drawn_once(self):
        view = timeline()
        assert points(view) == len(rwanda_edu.load_events())
        assert len(view.event_menu.options) == 1 + len(rwanda_edu.load_events())

    def test_every_event_shows_its_description_and_its_sources_by_title(self):
        view = timeline()
        for event in rwanda_edu.load_events().itertuples():
            view.event_menu.value = event.id
            html = view.event_details.value
            assert escape(event.description) in html, event.id
            for source_id in _datasets.split_ids(event.source_ids):
                assert escape(rwanda_edu.cite(source_id)) in html, (event.id, source_id)

    def test_students_see_category_labels_not_ids(self):
        view = timeline()
        ids = set(view.category_names)
        labels = [box.description for box in view.category_boxes]
        assert not ids & set(labels), "a checkbox shows a category id"
        assert all(label[0].isupper() for label in labels)
        assert not ids & set(view.figure.layout.yaxis.ticktext)
        assert not ids & set(view._table()["Category"])
        summary = view._summary()
        assert all(f" {c}," not in summary and not summary.endswith(f" {c}.") for c in ids if "-" in c)
        view.event_menu.value = "e1994-04-07-genocide-begins"
        assert "Genocide against the Tutsi" in view.event_details.value

    def test_the_killings_of_the_genocide_are_filed_as_genocide(self):
        events = rwanda_edu.load_events().set_index("id")["category"]
        for event_id in ["e1994-04-07-genocide-begins", "e1994-04-07-pm-peacekeepers", "e1994-04-11-eto"]:
            assert events[event_id] == "genocide", event_id
        assert "violence" not in set(events.cat.categories)
        assert rwanda_edu._datasets.labels("events", "category")["genocide"] == "Genocide against the Tutsi"
