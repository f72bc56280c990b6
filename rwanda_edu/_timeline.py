"""The timeline explorer: events by date and category, filtered by category, actor and years."""
from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from . import _datasets
from ._charts import ChartView, date_label, layout, present_categories, style
from ._checks import check_choices, check_type
from ._html import escape

_NO_EVENT = "Choose an event to read about it"
_ROW_SPREAD = 0.18  # vertical offset between events of one category on the same date


def timeline(categories=None, actors=None, start: int | None = None, end: int | None = None) -> Timeline:
    """The interactive timeline of events, from the background of 1994 to its aftermath.

    ``categories``: a category or a list of them (default: all); ``actors``: an actor or a
    list of them (default: all; an event shows when it involves any of them); ``start`` and
    ``end``: first and last year shown. Choosing an event shows its description and sources.
    """
    return Timeline(categories=categories, actors=actors, start=start, end=end)


class Timeline(ChartView):
    """The timeline explorer; ``events`` are the events shown, ``figure`` their chart."""

    def __init__(self, categories=None, actors=None, start=None, end=None):
        events = _datasets.load("events").sort_values(["date", "id"], kind="stable").reset_index(drop=True)
        events["when"] = [date_label(d, p) for d, p in zip(events["date"], events["date_precision"])]
        events["year"] = events["date"].dt.year
        actor_lists = events["actors"].map(_datasets.split_ids)
        events["actor_text"] = actor_lists.map(", ".join)
        self.all_events = events
        self._event_actors = actor_lists.map(set)
        self.category_names = present_categories(events["category"])
        self.actor_names = sorted(set().union(*self._event_actors))
        self.years = list(range(int(events["year"].min()), int(events["year"].max()) + 1))

        if categories is None:
            categories = self.category_names
        categories = check_choices("category", categories, self.category_names)
        actors = () if actors is None else tuple(check_choices("actor", actors, self.actor_names))
        start, end = self._check_years(start, end)

        self.category_boxes = [
            widgets.Checkbox(value=c in categories, description=c, indent=False, layout={"width": "auto"})
            for c in self.category_names
        ]
        actor_options = [("All actors", ())]
        if len(actors) > 1:
            actor_options.append((", ".join(actors), actors))
        self.actor_menu = widgets.Dropdown(
            options=actor_options + [(a, (a,)) for a in self.actor_names], value=actors, description="Actor"
        )
        # Two labelled menus rather than a range slider: its handles have no accessible name.
        self.from_year = widgets.Dropdown(options=self.years, value=start, description="From year")
        self.to_year = widgets.Dropdown(options=self.years, value=end, description="To year")
        self.event_menu = widgets.Dropdown(description="Event", layout={"width": "min(100%, 40em)"})
        self.event_details = widgets.HTML()
        self.event_details.add_class("rwanda-edu-event")
        controls = widgets.VBox(
            [
                widgets.Label("Categories shown"),
                widgets.HBox(self.category_boxes, layout={"flex_flow": "row wrap"}),
                self.actor_menu,
                widgets.HBox([self.from_year, self.to_year], layout={"flex_flow": "row wrap"}),
            ]
        )
        super().__init__(controls=[controls], below=[self.event_menu, self.event_details])
        for control in [*self.category_boxes, self.actor_menu, self.from_year, self.to_year]:
            control.observe(self._redraw, names="value")
        self.event_menu.observe(self._show_event, names="value")
        self._redraw()

    def _check_years(self, start, end) -> tuple[int, int]:
        first, last = self.years[0], self.years[-1]
        start = first if start is None else check_type("start", start, int)
        end = last if end is None else check_type("end", end, int)
        for what, year in (("start", start), ("end", end)):
            if not first <= year <= last:
                raise ValueError(f"{what} year {year} is outside the timeline; valid: {first} to {last}")
        if start > end:
            raise ValueError(f"start year {start} is after end year {end}; choose start <= end")
        return start, end

    @property
    def year_range(self) -> tuple[int, int]:
        """The years shown, first to last (in order, whichever menu holds the earlier one)."""
        return tuple(sorted((self.from_year.value, self.to_year.value)))

    @property
    def chosen_categories(self) -> list[str]:
        return [box.description for box in self.category_boxes if box.value]

    def _filtered(self) -> pd.DataFrame:
        events = self.all_events
        keep = events["category"].isin(self.chosen_categories)
        keep &= events["year"].between(*self.year_range)
        if self.actor_menu.value:
            keep &= self._event_actors.map(lambda actors: not actors.isdisjoint(self.actor_menu.value))
        return events[keep]

    def _redraw(self, change=None) -> None:
        self.events = self._filtered()
        self.show(self._figure(), self._summary(), self._table(), "Events shown on the timeline")
        options = [(_NO_EVENT, None)] + [
            (f"{e.when} — {e.title}", e.id) for e in self.events.itertuples()
        ]
        chosen = self.event_menu.value
        self.event_menu.options = options
        self.event_menu.value = chosen if chosen in self.events["id"].tolist() else None

    def _figure(self):
        import plotly.graph_objects as go

        events, rows = self.events, self.chosen_categories
        same_day = events.groupby(["category", "date"], observed=True)["id"]
        offset = (same_day.cumcount() - (same_day.transform("size") - 1) / 2) * _ROW_SPREAD
        y = events["category"].map({c: len(rows) - 1 - i for i, c in enumerate(rows)}).astype(float) + offset
        traces = []
        for i, category in enumerate(self.category_names):
            mask = (events["category"] == category).to_numpy()
            if not mask.any():
                continue
            traces.append(
                go.Scatter(
                    x=events["date"][mask], y=y[mask], name=category, mode="markers",
                    marker={**style(i), "size": 12, "line": {"width": 1, "color": "#333"}},
                    customdata=[[escape(t), when] for t, when in zip(events["title"][mask], events["when"][mask])],
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                )
            )
        first, last = self.year_range
        span = pd.Timestamp(f"{last}-12-31") - pd.Timestamp(f"{first}-01-01")
        pad = max(pd.Timedelta(days=15), span * 0.02)
        years = str(first) if first == last else f"{first}–{last}"
        return go.Figure(
            traces,
            layout=layout(
                title={"text": f"Timeline {years}: {len(events)} event{'' if len(events) == 1 else 's'}"},
                height=130 + 40 * max(len(rows), 1),
                showlegend=False,  # the category is written on the vertical axis
                xaxis={
                    "type": "date", "title": {"text": "Date"},
                    "range": [pd.Timestamp(f"{first}-01-01") - pad, pd.Timestamp(f"{last}-12-31") + pad],
                },
                yaxis={
                    "tickvals": list(range(len(rows))), "ticktext": list(reversed(rows)),
                    "range": [-0.6, len(rows) - 0.4], "zeroline": False, "fixedrange": True,
                },
            ),
        )

    def _summary(self) -> str:
        first, last = self.year_range
        actor = f"; actor: {', '.join(self.actor_menu.value)}" if self.actor_menu.value else ""
        categories = ", ".join(self.chosen_categories) or "none"
        count = f"{len(self.events)} event" + ("" if len(self.events) == 1 else "s")
        return f"{count} from {first} to {last}; categories: {categories}{actor}."

    def _table(self) -> pd.DataFrame:
        events = self.events
        return pd.DataFrame(
            {
                "Date": events["when"],
                "Event": events["title"],
                "Category": events["category"],
                "Actors": events["actor_text"],
            }
        )

    def _show_event(self, change=None) -> None:
        event_id = self.event_menu.value
        if event_id is None:
            self.event_details.value = ""
            return
        event = self.all_events.loc[self.all_events["id"] == event_id].iloc[0]
        facts = [event["when"], event["category"]]
        if pd.notna(event.get("place_id")):
            places = _datasets.load("places").set_index("id")["name"]
            facts.append(places.get(event["place_id"], event["place_id"]))
        actors = event["actor_text"]
        sources = "".join(f"<li>{escape(_datasets.cite(sid))}</li>" for sid in _datasets.split_ids(event["source_ids"]))
        self.event_details.value = (
            f"<h4>{escape(event['title'])}</h4>"
            f"<p>{' · '.join(escape(f) for f in facts)}</p>"
            f"<p>{escape(event['description'])}</p>"
            + (f"<p>Actors: {escape(actors)}</p>" if actors else "")
            + f"<p>Sources:</p><ul>{sources}</ul>"
        )
