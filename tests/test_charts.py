"""The shared chart pieces and the UNAMIR strength chart."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import rwanda_edu
from rwanda_edu import _datasets
from rwanda_edu._charts import PALETTE, strength_chart, text_version
from rwanda_edu._html import date_label


def _frame(rows, columns, ints=(), dates=("date",)):
    df = pd.DataFrame(rows, columns=columns)
    for c in dates:
        df[c] = pd.to_datetime(df[c])
    for c in ints:
        df[c] = df[c].astype("Int64")
    return df


STRENGTH = _frame(
    [
        ("1993-10-05", "day", 2548, None, None, None, "planned <strength>", "r872"),
        ("1993-12-01", "month", 2548, 1260, None, None, "", "dpko"),
        ("1994-04-06", "day", 2548, None, 2519, 2539, "", "dpko;news"),
        ("1994-04-21", "day", 270, None, None, None, "after 912", "r912;inquiry"),
        ("1994-05-17", "day", 5500, None, None, None, "", "r918"),
        ("1994-06-08", "day", 5500, None, 444, 500, "same level", "r925"),
        ("1995-06-09", "day", 2330, 4000, None, None, "", "r997"),
        ("1995-10-09", "day", 1800, None, None, None, "second step of 997", "r997"),
        ("1996-03-08", "day", None, None, None, None, "mandate ends", "r1029"),
    ],
    ["date", "date_precision", "authorized", "deployed", "deployed_low", "deployed_high", "note", "source_ids"],
    ints=("authorized", "deployed", "deployed_low", "deployed_high"),
)
RESOLUTIONS = _frame(
    [
        (846, "1993-06-22", "UNOMUR"),
        (872, "1993-10-05", "UNAMIR"),
        (909, "1994-04-05", "UNAMIR"),
        (912, "1994-04-21", "UNAMIR"),
        (918, "1994-05-17", "UNAMIR"),
        (925, "1994-06-08", "UNAMIR"),
        (929, "1994-06-22", "Opération Turquoise"),
        (997, "1995-06-09", "UNAMIR"),
        (9999, "1995-10-09", "another mission"),
        (2132, "2013-12-24", "UNMISS"),
    ],
    ["resolution", "date", "mission"],
    ints=("resolution",),
)


@pytest.fixture(autouse=True)
def fake_data(request, monkeypatch):
    """Small hand-made tables, except for the tests on the shipped data."""
    if request.cls is not TestShippedData:
        frames = {"unamir_strength": STRENGTH, "resolutions": RESOLUTIONS}
        monkeypatch.setattr(_datasets, "_load_cached", frames.__getitem__)


def traces(figure) -> dict:
    return {trace.name: trace for trace in figure.data}


def test_authorized_is_a_step_line_held_to_the_end_of_the_period():
    authorized = traces(strength_chart().figure)["Authorized"]
    assert authorized.line.shape == "hv"
    assert list(authorized.y) == [2548, 2548, 2548, 270, 5500, 5500, 2330, 1800, 1800]
    assert pd.Timestamp(authorized.x[-1]) == STRENGTH["date"].iloc[-1]


def test_deployed_counts_are_points_and_never_invented():
    deployed = traces(strength_chart().figure)["Deployed (count in the sources)"]
    assert deployed.mode == "markers"
    assert list(deployed.y) == [1260, 4000]
    assert list(deployed.customdata) == ["December 1993", "9 June 1995"]


def test_ranges_where_sources_differ_are_bars_from_low_to_high():
    bars = traces(strength_chart().figure)["Deployed (range where the sources differ)"]
    assert list(bars.y) == [2519, 2539, None, 444, 500, None]
    assert "6 April 1994: 2,519–2,539" in bars.customdata


def test_annotations_mark_the_resolutions_that_changed_the_authorized_strength():
    figure = strength_chart().figure
    labels = [a.text for a in figure.layout.annotations]
    # 909 and 925 changed no level; 846, 929 and 2132 concern other missions or dates
    assert labels == ["Res. 872", "Res. 912", "Res. 918", "Res. 997"]
    assert [pd.Timestamp(s.x0) for s in figure.layout.shapes] == list(
        RESOLUTIONS.set_index("resolution").loc[[872, 912, 918, 997], "date"]
    )
    assert "Resolution 918, 17 May 1994: 5,500 authorized" in figure.layout.annotations[2].hovertext


def test_text_version_summarises_and_tabulates_every_row():
    text = strength_chart().text_alternative.value
    assert text.startswith("<details><summary>Text version</summary>")
    assert "Resolution 872 (5 October 1993): 2,548; Resolution 912 (21 April 1994): 270;" in text
    assert "from 5 October 1993 to 8 March 1996" in text
    assert text.count("<tr>") == 1 + len(STRENGTH)
    assert "December 1993" in text and "planned &lt;strength&gt;" in text


def test_colours_come_from_the_palette():
    figure = strength_chart().figure
    assert {trace.line.color for trace in figure.data} <= set(PALETTE)


@pytest.mark.parametrize(
    "precision, expected", [("day", "6 April 1994"), ("month", "April 1994"), ("year", "1994")]
)
def test_date_label(precision, expected):
    assert date_label(pd.Timestamp("1994-04-06"), precision) == expected


def test_text_version_escapes_summary_and_table():
    html = text_version("<b>bold</b>", pd.DataFrame({"a<": ["<script>x</script>"]}), "cap & <tion>")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "cap &amp; &lt;tion&gt;" in html


def test_importing_the_package_does_not_import_plotly():
    modules = "rwanda_edu, rwanda_edu._charts, rwanda_edu._timeline, rwanda_edu._map, rwanda_edu._reader"
    code = f"import sys, {modules}; print('plotly' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


class TestShippedData:
    """The strength chart, and every chart view, drawn from the package's own tables."""

    @pytest.mark.parametrize("name", ["strength_chart", "timeline", "places_map"])
    def test_public_name_and_the_classes_the_browser_suite_finds(self, name):
        view = getattr(rwanda_edu, name)()
        assert view.__class__.__module__.startswith("rwanda_edu._")
        assert "rwanda-edu-explorer" in view._dom_classes
        assert "rwanda-edu-chart" in view.chart._dom_classes
        assert "rwanda-edu-text-alternative" in view.text_alternative._dom_classes

    def test_the_resolutions_that_set_unamirs_size_are_marked(self):
        figure = strength_chart().figure
        marked = [int(a.text.removeprefix("Res. ")) for a in figure.layout.annotations]
        # 872 created UNAMIR (2,548 planned), 912 cut it to about 270, 918 authorized 5,500
        assert {872, 912, 918} <= set(marked)
        unamir = rwanda_edu.load_resolutions().query("mission == 'UNAMIR'")
        assert set(marked) <= set(unamir["resolution"])

    def test_every_row_is_in_the_text_version(self):
        view = strength_chart()
        assert view.text_alternative.value.count("<tr>") == 1 + len(rwanda_edu.load_unamir_strength())
