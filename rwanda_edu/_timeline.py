"""The timeline explorer: events by date and category, filtered by category, actor and period."""
from __future__ import annotations

import re

import ipywidgets as widgets
import pandas as pd

from . import _datasets
from ._charts import ChartView, layout, present_categories, style
from ._checks import check_choices
from ._html import date_label, escape
from ._i18n import N_, _, ngettext

_NO_EVENT = (N_("Choose an event to read about it"), "")  # a menu shows no label for the value None
_ROW_SPREAD = 0.18  # vertical offset between events of one category on the same date


def timeline(categories=None, actors=None, start: int | str | None = None, end: int | str | None = None) -> Timeline:
    """The interactive timeline of events, from the background of 1994 to its aftermath.

    ``categories``: a category id such as ``"genocide"`` or a list of them (default: all;
    students see each category's label, such as "Genocide against the Tutsi"); ``actors``: an actor or a
    list of them (default: all; an event shows when it involves any of them); ``start`` and
    ``end``: first and last year shown (``1994``) or month (``"1994-04"``). The student can
    change the period with two menus of the months that have events. Choosing an event
    shows its description and sources.
    """
    return Timeline(categories=categories, actors=actors, start=start, end=end)


class Timeline(ChartView):
    """The timeline explorer; ``events`` are the events shown, ``figure`` their chart."""

    def __init__(self, categories=None, actors=None, start=None, end=None):
        events = _datasets.load("events").sort_values(["date", "id"], kind="stable").reset_index(drop=True)
        events["when"] = [date_label(d, p) for d, p in zip(events["date"], events["date_precision"], strict=True)]
        events["month"] = events["date"].dt.to_period("M")
        actor_lists = events["actors"].map(_datasets.split_ids)
        events["actor_text"] = actor_lists.map(", ".join)
        self.all_events = events
        self._event_actors = actor_lists.map(set)
        self.category_names = present_categories(events["category"])
        labels = _datasets.labels("events", "category")
        self.category_labels = {c: labels.get(c, c) for c in self.category_names}
        self.actor_names = sorted(set().union(*self._event_actors))
        self.months = sorted(events["month"].unique())
        # a month whose events are dated by their year alone stands for that year
        self._year_only = events.groupby("month")["date_precision"].agg(lambda p: set(p) == {"year"}).to_dict()

        if categories is None:
            categories = self.category_names
        categories = check_choices("category", categories, self.category_names)
        actors = () if actors is None else tuple(check_choices("actor", actors, self.actor_names))
        start, end = self._check_period(start, end)

        self.category_boxes = [
            widgets.Checkbox(
                value=c in categories, description=self.category_labels[c], indent=False, layout={"width": "auto"}
            )
            for c in self.category_names
        ]
        actor_options = [(_("All actors"), ())]
        if len(actors) > 1:
            actor_options.append((", ".join(actors), actors))
        self.actor_menu = widgets.Dropdown(
            options=actor_options + [(a, (a,)) for a in self.actor_names], value=actors, description=_("Actor")
        )
        # Two labelled menus rather than a range slider: its handles have no accessible name.
        months = [(self._month_label(m), m) for m in self.months]
        self.from_month = widgets.Dropdown(options=months, value=start, description=_("From"))
        self.to_month = widgets.Dropdown(options=months, value=end, description=_("To"))
        self.event_menu = widgets.Dropdown(description=_("Event"), layout={"width": "min(100%, 40em)"})
        self.event_details = widgets.HTML()
        self.event_details.add_class("rwanda-edu-event")
        controls = widgets.VBox(
            [
                widgets.Label(_("Categories shown")),
                widgets.HBox(self.category_boxes, layout={"flex_flow": "row wrap"}),
                self.actor_menu,
                widgets.HBox([self.from_month, self.to_month], layout={"flex_flow": "row wrap"}),
            ]
        )
        super().__init__(controls=[controls], below=[self.event_menu, self.event_details])
        for control in [*self.category_boxes, self.actor_menu, self.from_month, self.to_month]:
            control.observe(self._redraw, names="value")
        self.event_menu.observe(self._show_event, names="value")
        self._redraw()

    def _month_label(self, month: pd.Period) -> str:
        """A menu's name for ``month``: "April 1994", or "1959" when its events are dated only by year."""
        return date_label(month.start_time, "year" if self._year_only[month] else "month")

    def _check_period(self, start, end) -> tuple[pd.Period, pd.Period]:
        """The first and last menu months for ``start`` and ``end`` (years or "yyyy-mm")."""
        first, last = self.months[0], self.months[-1]
        valid = _("valid: a year from {first} to {last}, or a month such as '1994-04'").format(
            first=first.year, last=last.year)

        def bounds(what: str, value) -> tuple[pd.Period, pd.Period]:
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise TypeError(_("{what} must be a year (int) or a month ('yyyy-mm'), not {value!r}; {valid}").format(
                    what=what, value=value, valid=valid))
            text = str(value).strip()
            if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text):
                raise ValueError(_("{what} {value!r} is not a year or a month; {valid}").format(
                    what=what, value=value, valid=valid))
            if not first.year <= int(text[:4]) <= last.year:
                raise ValueError(_("{what} {value!r} is outside the timeline; {valid}").format(
                    what=what, value=value, valid=valid))
            if "-" in text:
                return pd.Period(text, "M"), pd.Period(text, "M")
            return pd.Period(f"{text}-01", "M"), pd.Period(f"{text}-12", "M")

        low = first if start is None else bounds("start", start)[0]
        high = last if end is None else bounds("end", end)[1]
        if low > high:
            if end is None:
                message = _("start {start!r} is after the timeline's last month, {last}; choose start <= end")
            else:
                message = _("start {start!r} is after end {end!r}; choose start <= end")
            raise ValueError(message.format(start=start, end=end, last=last))
        shown = [m for m in self.months if low <= m <= high]
        if not shown:
            months = ", ".join(str(m) for m in self.months)
            raise ValueError(_("no event from {low} to {high}; the months with events are: {months}").format(
                low=low, high=high, months=months))
        return shown[0], shown[-1]

    @property
    def period(self) -> tuple[pd.Period, pd.Period]:
        """The months shown, first to last (in order, whichever menu holds the earlier one)."""
        return tuple(sorted((self.from_month.value, self.to_month.value)))

    @property
    def chosen_categories(self) -> list[str]:
        """The ids of the categories shown (the boxes show their labels)."""
        return [c for c, box in zip(self.category_names, self.category_boxes, strict=True) if box.value]

    def _filtered(self) -> pd.DataFrame:
        events = self.all_events
        keep = events["category"].isin(self.chosen_categories)
        first, last = self.period
        keep &= (events["month"] >= first) & (events["month"] <= last)
        if self.actor_menu.value:
            keep &= self._event_actors.map(lambda actors: not actors.isdisjoint(self.actor_menu.value))
        return events[keep]

    def _redraw(self, change=None) -> None:
        self.events = self._filtered()
        self.show(self._figure(), self._summary(), self._table(), _("Events shown on the timeline"))
        options = [(_(_NO_EVENT[0]), _NO_EVENT[1])] + [
            (f"{e.when} — {e.title}", e.id) for e in self.events.itertuples()
        ]
        chosen = self.event_menu.value
        self.event_menu.options = options
        self.event_menu.value = chosen if chosen in self.events["id"].tolist() else _NO_EVENT[1]

    def _figure(self) -> dict:
        events = self.events
        rows = [c for c in self.chosen_categories if (events["category"] == c).any()]  # no empty row
        same_day = events.groupby(["category", "date"], observed=True)["id"]
        offset = (same_day.cumcount() - (same_day.transform("size") - 1) / 2) * _ROW_SPREAD
        y = events["category"].map({c: len(rows) - 1 - i for i, c in enumerate(rows)}).astype(float) + offset
        traces = []
        for i, category in enumerate(self.category_names):
            mask = (events["category"] == category).to_numpy()
            if not mask.any():
                continue
            traces.append({
                "type": "scatter", "x": events["date"][mask], "y": y[mask], "name": self.category_labels[category], "mode": "markers",
                "marker": {**style(i), "size": 12, "line": {"width": 1, "color": "#333"}},
                "customdata": [[escape(t), when]
                               for t, when in zip(events["title"][mask], events["when"][mask], strict=True)],
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            })
        begin, finish = self._period_bounds()
        pad = max(pd.Timedelta(days=5), (finish - begin) * 0.02)
        return {
            "data": traces,
            "layout": layout(
                title={"text": ngettext("Timeline, {period}: {n} event", "Timeline, {period}: {n} events", len(events)).format(
                    period=self._period_text(), n=len(events))},
                height=130 + 40 * max(len(rows), 1),
                showlegend=False,  # the category is written on the vertical axis
                xaxis={
                    "type": "date", "title": {"text": _("Date")},
                    "range": [begin - pad, finish + pad],
                },
                yaxis={
                    "tickvals": list(range(len(rows))),
                    "ticktext": [self.category_labels[c] for c in reversed(rows)],
                    "range": [-0.6, len(rows) - 0.4], "zeroline": False, "fixedrange": True,
                },
            ),
        }

    def _period_bounds(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the period shown (a whole year for a month named by its year)."""
        first, last = self.period
        begin = first.start_time
        finish = (pd.Period(str(last.year), "Y") if self._year_only[last] else last).end_time.normalize()
        return begin, finish

    def _period_text(self) -> str:
        first, last = (self._month_label(m) for m in self.period)
        return first if first == last else _("{first} to {last}").format(first=first, last=last)

    def _summary(self) -> str:
        actor = _("; actor: {actors}").format(actors=", ".join(self.actor_menu.value)) if self.actor_menu.value else ""
        categories = ", ".join(self.category_labels[c] for c in self.chosen_categories) or _("none")
        count = ngettext("{n} event", "{n} events", len(self.events)).format(n=len(self.events))
        return _("{count}, {period}; categories: {categories}{actor}.").format(
            count=count, period=self._period_text(), categories=categories, actor=actor)

    def _table(self) -> pd.DataFrame:
        events = self.events
        return pd.DataFrame(
            {
                _("Date"): events["when"],
                _("Event"): events["title"],
                _("Category"): events["category"].map(self.category_labels).astype("string"),
                _("Actors"): events["actor_text"],
            }
        )

    def _show_event(self, change=None) -> None:
        event_id = self.event_menu.value
        if not event_id:
            self.event_details.value = ""
            return
        event = self.all_events.loc[self.all_events["id"] == event_id].iloc[0]
        facts = [event["when"], self.category_labels[event["category"]]]
        if pd.notna(event.get("place_id")):
            places = _datasets.load("places").set_index("id")["name"]
            facts.append(places.get(event["place_id"], event["place_id"]))
        actors = event["actor_text"]
        sources = "".join(f"<li>{escape(_datasets.cite(sid))}</li>" for sid in _datasets.split_ids(event["source_ids"]))
        self.event_details.value = (
            f"<h4>{escape(event['title'])}</h4>"
            f"<p>{' · '.join(escape(f) for f in facts)}</p>"
            f"<p>{escape(event['description'])}</p>"
            + (f"<p>{escape(_('Actors: {actors}').format(actors=actors))}</p>" if actors else "")
            + f"<p>{escape(_('Sources:'))}</p><ul>{sources}</ul>"
        )
