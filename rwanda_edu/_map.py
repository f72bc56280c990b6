"""The offline map: places in Rwanda and its neighbours over country outlines shipped in ``geo/``.

No tiles and no map service: the outlines are plain polygons in longitude/latitude,
drawn as scatter shapes with equal axis scales.
"""
from __future__ import annotations

import functools
import json
import textwrap
from importlib import resources
from typing import Any

import pandas as pd

from . import _datasets
from ._charts import FONT, ChartView, layout, present_categories, style
from ._checks import check_choices
from ._html import escape
from ._i18n import N_, _

OUTSIDE_THE_REGION = "abroad"  # places of this kind lie beyond the map and are left out
_LAND = {"RWA": "#FBF3DC", "other": "#EEEEEE"}
ON_THE_MAP = "on the map"
_UNPLACED = "not placed: coordinates not yet checked"
_ARROWS = {"east": "→", "west": "←", "north": "↑", "south": "↓"}
# What the table's "On the map" column says of each place (``_where`` gives the key).
_WHERE = {
    ON_THE_MAP: N_("on the map"), _UNPLACED: N_("not placed: coordinates not yet checked"),
    "beyond the map, to the east": N_("beyond the map, to the east"),
    "beyond the map, to the west": N_("beyond the map, to the west"),
    "beyond the map, to the north": N_("beyond the map, to the north"),
    "beyond the map, to the south": N_("beyond the map, to the south"),
}


@functools.cache
def outline() -> dict:
    """The country outlines (see ``geo/README.md``): window, and per country its name, label point and rings."""
    return json.loads(resources.files("rwanda_edu").joinpath("geo/outline.json").read_text(encoding="utf-8"))


def places_map(highlight=None, kinds=None) -> ChartView:
    """A map of the places in Rwanda and its neighbours named in the lessons.

    ``highlight``: a place id or a list of them, drawn larger and labelled;
    ``kinds``: a kind of place or a list of them (default: all). Hover over a place for its description.
    """
    places = _datasets.load("places")
    places = places[places["kind"] != OUTSIDE_THE_REGION]
    kind_names = present_categories(places["kind"])
    kinds = kind_names if kinds is None else check_choices(_("place kind"), kinds, kind_names)
    if not kinds:
        raise ValueError(_("kinds is empty: choose at least one place kind. Valid: {kinds}").format(
            kinds=", ".join(kind_names)))

    highlight = set() if highlight is None else set(check_choices("place", highlight, places["id"].tolist()))
    places = places[places["kind"].isin(kinds)]

    geo = outline()
    lon_min, lat_min, lon_max, lat_max = geo["window"]
    where = places.apply(lambda place: _where(place, geo["window"]), axis=1)
    shown = places[where == ON_THE_MAP]
    traces = [_country(country) for country in geo["countries"]]
    for i, kind in enumerate(kind_names):
        group = shown[shown["kind"] == kind]
        if group.empty:
            continue
        marked = group["id"].isin(highlight).tolist()
        traces.append({
            "type": "scatter", "x": group["lon"], "y": group["lat"], "name": kind, "mode": "markers+text",
            "marker": {**style(i), "size": [18 if m else 11 for m in marked], "line": {"width": 1, "color": "#333"}},
            "text": [escape(name) if m else "" for name, m in zip(group["name"], marked, strict=True)],
            "textposition": "top center", "textfont": {"size": 14},
            "customdata": [[escape(n), _wrap(d)] for n, d in zip(group["name"], group["description"], strict=True)],
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
        })
    labels = [
        {"x": c["label"][0], "y": c["label"][1], "text": escape(c["name"]), "showarrow": False,
         "font": {**FONT, "size": 13, "color": "#555555"}}
        for c in geo["countries"]
    ]
    beyond = places[where.str.startswith("beyond")]
    pointers = [
        _pointer(place, side.rsplit(" ", 1)[-1], geo["window"], place.id in highlight)
        for place, side in zip(beyond.itertuples(index=False), where[beyond.index], strict=True)
    ]
    figure = {
        "data": traces,
        "layout": layout(
            title={"text": _("Rwanda and its neighbours")},
            height=620,
            xaxis={"range": [lon_min, lon_max], "visible": False, "constrain": "domain"},
            yaxis={"range": [lat_min, lat_max], "visible": False, "scaleanchor": "x", "scaleratio": 1},
            legend={"title": {"text": _("Kind of place")}},
            annotations=labels + pointers,
        ),
    }
    view = ChartView()
    view.show(figure, _summary(places, where, highlight), _table(places, where), _("Places on the map"))
    return view


def _where(place: pd.Series, window: list[float]) -> str:
    """Whether ``place`` is on the map, beyond one of its edges, or without coordinates."""
    lon_min, lat_min, lon_max, lat_max = window
    if pd.isna(place["lat"]) or pd.isna(place["lon"]):
        return _UNPLACED
    for side, outside in (
        ("east", place["lon"] > lon_max), ("west", place["lon"] < lon_min),
        ("north", place["lat"] > lat_max), ("south", place["lat"] < lat_min),
    ):
        if outside:
            return f"beyond the map, to the {side}"
    return ON_THE_MAP


def _pointer(place, side: str, window: list[float], highlighted: bool) -> dict:
    """An arrow label at the map's ``side`` (east, west, north, south), towards a place beyond it."""
    lon_min, lat_min, lon_max, lat_max = window
    name = f"<b>{escape(place.name)}</b>" if highlighted else escape(place.name)
    return {
        "x": min(max(place.lon, lon_min), lon_max), "y": min(max(place.lat, lat_min), lat_max),
        "text": f"{_ARROWS[side]} {name}" if side in ("west", "north", "south") else f"{name} {_ARROWS[side]}",
        "xanchor": {"east": "right", "west": "left"}.get(side, "center"),
        "yanchor": {"north": "top", "south": "bottom"}.get(side, "middle"),
        "showarrow": False, "hovertext": _wrap(place.description), "font": {**FONT, "size": 13},
        "bgcolor": "rgba(255,255,255,0.8)",
    }


def _country(country: dict) -> dict:
    xs, ys = [], []
    for ring in country["rings"]:
        xs += [lon for lon, _ in ring] + [None]
        ys += [lat for _, lat in ring] + [None]
    return {
        "type": "scatter", "x": xs, "y": ys, "name": country["name"], "mode": "lines", "fill": "toself",
        "fillcolor": _LAND.get(country["iso_a3"], _LAND["other"]),
        "line": {"color": "#777777", "width": 1.5 if country["iso_a3"] == "RWA" else 1},
        "hoverinfo": "skip", "showlegend": False,
    }


def _wrap(text: Any, width: int = 60) -> str:
    return "<br>".join(escape(line) for line in textwrap.wrap("" if pd.isna(text) else str(text), width))


def _summary(places: pd.DataFrame, where: pd.Series, highlight: set[str]) -> str:
    def names(mask) -> str:
        return ", ".join(places.loc[mask, "name"])

    on_map, beyond, unplaced = where == ON_THE_MAP, where.str.startswith("beyond"), where == _UNPLACED
    parts = [_("A map of Rwanda and its neighbours with {n} places: {names}.").format(
        n=int(on_map.sum()), names=names(on_map))]
    if beyond.any():
        parts.append(_("Beyond its edges, shown by arrows: {names}.").format(names=names(beyond)))
    if unplaced.any():
        parts.append(_("Not placed, as their coordinates are not yet checked: {names}.").format(names=names(unplaced)))
    if highlight & set(places["id"]):
        parts.append(_("Highlighted: {names}.").format(names=names(places["id"].isin(highlight))))
    return " ".join(parts)


def _table(places: pd.DataFrame, where: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Place"): places["name"],
            _("Kind"): places["kind"],
            _("Description"): places["description"],
            _("Latitude"): places["lat"].round(2),
            _("Longitude"): places["lon"].round(2),
            _("On the map"): [_(_WHERE[w]) for w in where],
        }
    )
