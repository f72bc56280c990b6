"""Chart views shared by the explorers, and the UNAMIR strength chart.

Every chart is a plotly figure shown in an ``ipywidgets.Output`` as plotly's mimetype (its
JSON, drawn by the JupyterLab extension in plotly's wheel), beside a "Text version": a summary
sentence and a table. The figure is set as the widget's output in one state update rather than
captured with ``with output: display(...)``: headless runners (nbclient, so ``nbconvert
--execute``, papermill, Jupyter Book) mimic a captured output by sending the output back to the
kernel, which can leave them waiting out the whole cell timeout after the cell has finished.
plotly is imported only when a chart is drawn.
"""
from __future__ import annotations

import functools
import json
from importlib import resources

import ipywidgets as widgets
import pandas as pd

from . import _datasets
from ._html import date_label, escape, table_html
from ._i18n import N_, _
from ._jsonschema import jsonschema
from ._keyboard import keyboard_scope

# Okabe-Ito colours, safe for the common colour-vision deficiencies; yellow last (weak on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
# Marker shapes paired with the colours, so no category is told apart by colour alone.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "triangle-down", "star", "hexagon", "x")
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14}


def style(index: int) -> dict:
    """Colour and marker symbol of the ``index``-th series."""
    return {"color": PALETTE[index % len(PALETTE)], "symbol": SYMBOLS[index % len(SYMBOLS)]}


def layout(**overrides) -> dict:
    """The house layout of every figure, with ``overrides``."""
    return {
        "template": "plotly_white",
        "font": FONT,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "hoverlabel": {"font": FONT},
        **overrides,
    }


def present_categories(column: pd.Series) -> list[str]:
    """The values that occur in ``column``, in the order of its categories (else sorted)."""
    present = set(column.dropna())
    return [c for c in getattr(column.dtype, "categories", sorted(present)) if c in present]


def text_version(summary: str, table: pd.DataFrame, caption: str) -> str:
    """A chart's text alternative: an escaped summary sentence and table, in a "Text version" section."""
    return (
        f"<details><summary>{escape(_('Text version'))}</summary>"
        f"<p>{escape(summary)}</p>{table_html(table, caption)}</details>"
    )


class ChartView(widgets.VBox):
    """A figure in an ``Output`` with its text alternative; ``show`` replaces both.

    Figures are drawn from plain dicts (plotly's JSON form): building plotly's figure objects would
    validate every property, most of the time a chart takes. ``figure`` is the figure last shown as a
    plotly ``Figure``, built when first asked for. The box carries the CSS classes the browser tests look for.
    """

    def __init__(self, controls=(), below=()):
        self._figure_json: dict | None = None
        self._figure_object = None
        self.chart = widgets.Output()
        self.chart.add_class("rwanda-edu-chart")
        self.text_alternative = widgets.HTML()
        self.text_alternative.add_class("rwanda-edu-text-alternative")
        super().__init__([*controls, self.chart, *below, self.text_alternative])
        self.add_class("rwanda-edu-explorer")
        if controls:
            keyboard_scope(self)

    @property
    def figure(self):
        """The figure last shown, as a plotly ``Figure`` (``None`` before any)."""
        if self._figure_object is None and self._figure_json is not None:
            import plotly.graph_objects as go

            self._figure_object = go.Figure(self._figure_json)
        return self._figure_object

    def show(self, figure: dict, summary: str, table: pd.DataFrame, caption: str) -> None:
        """Show ``figure`` (``{"data": [...], "layout": {...}}``) and its text alternative."""
        self._figure_json, self._figure_object = figure, None
        self.chart.outputs = (figure_output(figure),)
        self.text_alternative.value = text_version(summary, table, caption)


def figure_output(figure: dict) -> dict:
    """``figure`` as a notebook display output: its JSON under plotly's mimetype (what plotly's notebook
    renderer shows), its title as plain text for a front end without plotly."""
    from plotly.io.json import to_json_plotly

    layout = figure.get("layout", {})
    if isinstance(layout.get("template"), str):
        layout = {**layout, "template": _template(layout["template"])}
    bundle = {"application/vnd.plotly.v1+json": json.loads(to_json_plotly({**figure, "layout": layout}))}
    text = _("Chart: {title}. Its text version is below.").format(title=layout.get("title", {}).get("text", ""))
    return {"output_type": "display_data", "data": {**bundle, "text/plain": text}, "metadata": {}}


@functools.cache
def _template(name: str) -> dict:
    """plotly's template ``name`` as JSON, read from plotly's package data (or, failing that, through plotly.io)."""
    try:
        return json.loads(resources.files("plotly").joinpath(f"package_data/templates/{name}.json").read_text("utf-8"))
    except (FileNotFoundError, ModuleNotFoundError):
        jsonschema()  # plotly.io imports it (through nbformat): load it the fast way first
        import plotly.io as pio

        return pio.templates[name].to_plotly_json()


def strength_chart() -> ChartView:
    """UNAMIR's authorized and deployed strength, October 1993 to March 1996.

    The authorized strength is a step line that holds each level until the next one; the
    deployed strength is shown as the counts the sources give, and as a vertical bar from
    the lowest to the highest figure where the sources differ. Dotted vertical lines mark
    the Security Council resolutions that changed the authorized strength.
    """
    strength = _datasets.load("unamir_strength").sort_values("date", kind="stable").reset_index(drop=True)
    first, last = _ends(strength)
    authorized = strength.dropna(subset=["authorized"])
    if pd.isna(last.authorized):  # the last level holds until the end of the period
        authorized = pd.concat([authorized, strength.tail(1).assign(authorized=authorized["authorized"].iloc[-1])])
    deployed = strength.dropna(subset=["deployed"])
    ranges = strength.dropna(subset=["deployed_low", "deployed_high"])
    range_labels = [
        f"{_when(row)}: {row.deployed_low:,}–{row.deployed_high:,}" for row in ranges.itertuples(index=False)
    ]
    changes = _authorizing_resolutions(strength)
    figure = {
        "data": [
            _series(authorized, "authorized", _("Authorized"), 0, "lines+markers"),
            _series(deployed, "deployed", _("Deployed (count in the sources)"), 1, "markers"),
            {
                "type": "scatter",
                "x": [d for d in ranges["date"] for d in (d, d, None)],
                "y": [v for low, high in zip(ranges["deployed_low"], ranges["deployed_high"], strict=True)
                      for v in (low, high, None)],
                "customdata": [label for label in range_labels for _ in range(3)],
                "name": _("Deployed (range where the sources differ)"), "mode": "lines+markers",
                "line": {"color": PALETTE[2], "width": 6},
                "marker": {"symbol": "line-ew-open", "size": 16, "color": PALETTE[2], "line": {"width": 3}},
                "hovertemplate": _("Deployed, sources differ") + "<br>%{customdata}<extra></extra>",
            },
        ],
        "layout": layout(
            title={"text": _("UNAMIR: authorized and deployed strength, {first} – {last}").format(
                first=date_label(first.date, "month"), last=date_label(last.date, "month"))},
            xaxis={"title": {"text": _("Date")}},
            yaxis={"title": {"text": _("Personnel")}, "rangemode": "tozero", "tickformat": ","},
            legend={"orientation": "h", "y": -0.2},
            margin={"l": 10, "r": 10, "t": 110, "b": 10},
            height=520,
            # a dotted vertical line and a label at each resolution that changed the authorized strength
            shapes=[{"type": "line", "x0": row.date, "x1": row.date, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
                     "line": {"dash": "dot", "color": "#555555", "width": 1}} for row in changes.itertuples(index=False)],
            annotations=[
                {"x": row.date, "y": 1.0 + 0.07 * (i % 2), "yref": "paper", "yanchor": "bottom", "showarrow": False,
                 "text": _("Res. {number}").format(number=row.resolution), "font": {"size": 12},
                 "hovertext": escape(_("Resolution {number}, {date}: {authorized} authorized").format(
                     number=row.resolution, date=_when(row, "day"), authorized=f"{row.authorized:,}"))}
                for i, row in enumerate(changes.itertuples(index=False))
            ],
        ),
    }
    view = ChartView()
    view.show(figure, _strength_summary(strength, changes), _strength_table(strength), _("UNAMIR strength by date"))
    return view


def _when(row, precision: str | None = None) -> str:
    return date_label(row.date, precision or row.date_precision)


def _series(frame: pd.DataFrame, column: str, name: str, index: int, mode: str) -> dict:
    return {
        "type": "scatter", "x": frame["date"], "y": frame[column].astype(float), "name": name, "mode": mode,
        "line": {"shape": "hv", "color": PALETTE[index], "width": 3},
        "marker": {"symbol": SYMBOLS[index], "size": 8 if "lines" in mode else 12, "color": PALETTE[index]},
        "customdata": [_when(row) for row in frame.itertuples(index=False)],
        "hovertemplate": f"{name}: %{{y:,}}<br>%{{customdata}}<extra></extra>",
    }


def _authorizing_resolutions(strength: pd.DataFrame) -> pd.DataFrame:
    """The UNAMIR resolutions adopted on a date when the authorized strength changed."""
    levels = strength.dropna(subset=["authorized"])
    steps = levels.loc[levels["authorized"].ne(levels["authorized"].shift()).fillna(True), ["date", "authorized"]]
    resolutions = _datasets.load("resolutions")
    resolutions = resolutions.loc[resolutions["mission"] == "UNAMIR", ["resolution", "date"]]
    return steps.merge(resolutions, on="date").sort_values("date", kind="stable")


def _ends(strength: pd.DataFrame) -> tuple:
    rows = list(strength.iloc[[0, -1]].itertuples(index=False))
    return rows[0], rows[1]


def _strength_summary(strength: pd.DataFrame, changes: pd.DataFrame) -> str:
    first, last = _ends(strength)
    steps = "; ".join(
        _("Resolution {number} ({date}): {authorized}").format(
            number=r.resolution, date=_when(r, "day"), authorized=f"{r.authorized:,}")
        for r in changes.itertuples(index=False)
    )
    return _(
        "UNAMIR's authorized and deployed strength from {first} to {last}. "
        "Authorized strength set by Security Council resolutions: {steps}. "
        "The table lists every figure with its sources; a low and a high figure mean the sources differ."
    ).format(first=_when(first), last=_when(last), steps=steps)


def _strength_table(strength: pd.DataFrame) -> pd.DataFrame:
    table = strength.assign(date=[date_label(d, p) for d, p in zip(strength["date"], strength["date_precision"], strict=True)])
    return table[[c for c in _STRENGTH_COLUMNS if c in table]].rename(columns=lambda c: _(_STRENGTH_COLUMNS[c]))


_STRENGTH_COLUMNS = {
    "date": N_("Date"),
    "authorized": N_("Authorized"),
    "deployed": N_("Deployed"),
    "deployed_low": N_("Deployed (low)"),
    "deployed_high": N_("Deployed (high)"),
    "note": N_("Note"),
    "source_ids": N_("Sources"),
}
