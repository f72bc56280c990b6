"""The offline map: plain polygons and markers, no map service; places where they belong."""
from __future__ import annotations

import itertools
import json
from importlib import resources

import pandas as pd
import pytest

import rwanda_edu
from rwanda_edu import _datasets
from rwanda_edu._map import OUTSIDE_THE_REGION, outline, places_map

OUTLINE_FILE = resources.files("rwanda_edu").joinpath("geo/outline.json")
KINDS = ["city", "site", "camp", OUTSIDE_THE_REGION]
PLACES = pd.DataFrame(
    {
        "id": ["kigali", "murambi", "goma", "new-york", "benaco", "arusha", "unchecked"],
        "name": ["Kigali", "Murambi <school>", "Goma", "New York", "Benaco", "Arusha", "Unchecked"],
        "lat": [-1.95, -2.46, -1.67, 40.71, -2.47, -3.37, None],
        "lon": [30.06, 29.57, 29.23, -74.01, 30.63, 36.68, None],
        "kind": pd.Categorical(
            ["city", "site", "city", OUTSIDE_THE_REGION, "camp", "city", "site"], categories=KINDS, ordered=True
        ),
        "country": ["RW", "RW", "CD", "US", "TZ", "TZ", "RW"],
        "description": ["Capital " * 20, "A <b>memorial</b> & school", "Town in DR Congo", "UN", "Camp", "Accords", "?"],
    }
)


@pytest.fixture(autouse=True)
def fake_data(request, monkeypatch):
    """Small hand-made tables, except for the tests on the shipped data."""
    if request.cls is not TestShippedData:
        monkeypatch.setattr(_datasets, "_load_cached", {"places": PLACES}.__getitem__)


def markers(figure) -> list:
    return [trace for trace in figure.data if trace.mode == "markers+text"]


def test_the_map_needs_no_map_service():
    figure = places_map().figure
    assert {trace.type for trace in figure.data} == {"scatter"}
    layout = figure.to_dict()["layout"]
    assert not {"geo", "mapbox", "map"} & set(layout)
    assert "http" not in figure.to_json()
    assert layout["yaxis"]["scaleanchor"] == "x"  # equal scales: the outline is not distorted


def test_country_outlines_come_from_the_shipped_file():
    figure = places_map().figure
    shapes = [trace for trace in figure.data if trace.fill == "toself"]
    assert [s.name for s in shapes] == [c["name"] for c in outline()["countries"]]
    assert {"Rwanda", "Burundi", "DR Congo", "Tanzania", "Uganda"} == {s.name for s in shapes}


def test_no_kind_of_place_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"kinds is empty: choose at least one place kind\. Valid: city, site, camp"):
        places_map(kinds=[])


def test_places_are_markers_by_kind_without_places_abroad():
    view = places_map()
    assert {t.name: len(t.x) for t in markers(view.figure)} == {"city": 2, "site": 1, "camp": 1}
    assert "New York" not in view.text_alternative.value
    assert view.text_alternative.value.count("<tr>") == 1 + 6


def test_places_beyond_the_edges_get_an_arrow_and_unplaced_ones_a_note():
    view = places_map(highlight="arusha")
    pointers = [a for a in view.figure.layout.annotations if "Arusha" in a.text]
    east_edge = outline()["window"][2]
    assert [(a.text, a.x, a.y, a.xanchor) for a in pointers] == [("<b>Arusha</b> →", east_edge, -3.37, "right")]
    text = view.text_alternative.value
    assert "Beyond its edges, shown by arrows: Arusha." in text
    assert "Not placed, as their coordinates are not yet checked: Unchecked." in text
    assert "beyond the map, to the east" in text


def test_hover_is_escaped_name_and_wrapped_description():
    site = next(t for t in markers(places_map().figure) if t.name == "site")
    name, description = site.customdata[0]
    assert name == "Murambi &lt;school&gt;"
    assert description == "A &lt;b&gt;memorial&lt;/b&gt; &amp; school"
    city = next(t for t in markers(places_map().figure) if t.name == "city")
    assert "<br>" in city.customdata[0][1]  # long descriptions are wrapped


def test_kinds_and_highlight():
    view = places_map(kinds="camp", highlight=["benaco"])
    (camp,) = markers(view.figure)
    assert [a.text for a in view.figure.layout.annotations] == [c["name"] for c in outline()["countries"]]
    assert list(camp.text) == ["Benaco"] and camp.marker.size[0] > 11
    assert "Highlighted: Benaco." in view.text_alternative.value
    plain = places_map()
    assert all(not text for t in markers(plain.figure) for text in t.text)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kinds": "camps"}, "did you mean 'camp'"),
        ({"kinds": OUTSIDE_THE_REGION}, "Valid: city, site, camp"),
        ({"highlight": "kigal"}, "did you mean 'kigali'"),
    ],
)
def test_bad_arguments_name_the_valid_choices(kwargs, message):
    with pytest.raises(ValueError, match=message):
        places_map(**kwargs)


def test_shipped_outline_is_small_and_inside_its_window():
    assert len(OUTLINE_FILE.read_bytes()) < 100_000
    data = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    lon_min, lat_min, lon_max, lat_max = data["window"]
    for country in data["countries"]:
        points = [p for ring in country["rings"] for p in ring]
        assert all(lon_min <= lon <= lon_max and lat_min <= lat <= lat_max for lon, lat in points)
        assert all(ring[0] == ring[-1] for ring in country["rings"])  # closed polygons
    rwanda = next(c for c in data["countries"] if c["iso_a3"] == "RWA")
    lons = [lon for ring in rwanda["rings"] for lon, _ in ring]
    lats = [lat for ring in rwanda["rings"] for _, lat in ring]
    assert 28.8 < min(lons) < 29.1 and 30.8 < max(lons) < 31.0  # Rwanda spans about 28.9°E to 30.9°E
    assert -2.9 < min(lats) < -2.7 and -1.1 < max(lats) < -1.0  # and about 2.8°S to 1.05°S


def inside(point, ring) -> bool:
    """Ray casting: whether (lon, lat) ``point`` lies inside polygon ``ring``."""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def test_ray_casting_helper():
    square = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert inside((1, 1), square) and not inside((3, 1), square)


class TestShippedData:
    """The map drawn from the package's own places."""

    def test_every_place_in_rwanda_lies_inside_the_rwanda_outline(self):
        places = rwanda_edu.load_places().dropna(subset=["lat", "lon"])
        rwanda = next(c for c in outline()["countries"] if c["iso_a3"] == "RWA")
        ring = max(rwanda["rings"], key=len)
        lons, lats = [lon for lon, _ in ring], [lat for _, lat in ring]
        in_rwanda = places[places["country"] == "RW"]
        assert len(in_rwanda) > 5
        for place in in_rwanda.itertuples():
            assert min(lons) <= place.lon <= max(lons) and min(lats) <= place.lat <= max(lats), place.id
            # 2-decimal coordinates of lakeside and border towns may sit just off the simplified border
            near = [(place.lon + dx, place.lat + dy) for dx in (-0.02, 0, 0.02) for dy in (-0.02, 0, 0.02)]
            assert any(inside(p, ring) for p in near), place.id

    def test_the_map_shows_every_regional_place_once(self):
        places = rwanda_edu.load_places()
        view = places_map()
        regional = places[places["kind"] != OUTSIDE_THE_REGION]
        drawn = sum(len(t.x) for t in markers(view.figure))
        pointers = len(view.figure.layout.annotations) - len(outline()["countries"])
        unplaced = regional[["lat", "lon"]].isna().any(axis=1).sum()
        assert drawn + pointers + unplaced == len(regional)
        assert view.text_alternative.value.count("<tr>") == 1 + len(regional)
