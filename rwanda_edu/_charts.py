"""Chart views shared by the explorers, and the UNAMIR strength chart.

Every chart is a plotly figure shown in an ``ipywidgets.Output`` with plotly's default
(mimetype) renderer, beside a "Text version": a summary sentence and a table.
plotly is imported only when a chart is drawn.
"""
from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from . import _datasets
from ._html import escape, table_html

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


def date_label(date: pd.Timestamp, precision: str = "day") -> str:
    """``date`` as a reader writes it: "6 April 1994", "April 1994" or "1994"."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


def text_version(summary: str, table: pd.DataFrame, caption: str) -> str:
    """A chart's text alternative: an escaped summary sentence and table, in a "Text version" section."""
    return (
        "<details><summary>Text version</summary>"
        f"<p>{escape(summary)}</p>{table_html(table, caption)}</details>"
    )


class ChartView(widgets.VBox):
    """A figure in an ``Output`` with its text alternative; ``show`` replaces both.

    ``figure`` is the figure last shown; the box carries the CSS classes the browser tests look for.
    """

    def __init__(self, controls=(), below=()):
        self.figure = None
        self.chart = widgets.Output()
        self.chart.add_class("rwanda-edu-chart")
        self.text_alternative = widgets.HTML()
        self.text_alternative.add_class("rwanda-edu-text-alternative")
        super().__init__([*controls, self.chart, *below, self.text_alternative])
        self.add_class("rwanda-edu-explorer")

    def show(self, figure, summary: str, table: pd.DataFrame, caption: str) -> None:
        self.figure = figure
        self.chart.clear_output(wait=True)
        with self.chart:
            display(figure)
        self.text_alternative.value = text_version(summary, table, caption)


def strength_chart() -> ChartView:
    """UNAMIR's authorized and deployed strength, October 1993 to March 1996.

    Authorized and deployed strength are step lines; where sources give a range for the
    deployed strength, the range is drawn as error bars. Dotted vertical lines mark the
    Security Council resolutions that changed the authorized strength.
    """
    import plotly.graph_objects as go

    strength = _datasets.load("unamir_strength").sort_values("date", kind="stable")
    changes = _authorizing_resolutions(strength)
    deployed = strength.dropna(subset=["deployed"])
    low = deployed["deployed_low"] if "deployed_low" in deployed else deployed["deployed"]
    high = deployed["deployed_high"] if "deployed_high" in deployed else deployed["deployed"]
    figure = go.Figure(
        [
            _step(go, strength.dropna(subset=["authorized"]), "authorized", "Authorized", 0, "solid"),
            _step(go, deployed, "deployed", "Deployed", 1, "dash").update(
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (high - deployed["deployed"]).astype(float).tolist(),
                    "arrayminus": (deployed["deployed"] - low).astype(float).tolist(),
                    "color": PALETTE[1],
                }
            ),
        ],
        layout=layout(
            title={"text": "UNAMIR: authorized and deployed strength, October 1993 – March 1996"},
            xaxis={"title": {"text": "Date"}},
            yaxis={"title": {"text": "Personnel"}, "rangemode": "tozero", "tickformat": ","},
            legend={"orientation": "h", "y": -0.15},
            margin={"l": 10, "r": 10, "t": 90, "b": 10},
        ),
    )
    for i, row in enumerate(changes.itertuples(index=False)):
        figure.add_vline(x=row.date, line={"dash": "dot", "color": "#555555", "width": 1})
        figure.add_annotation(
            x=row.date, y=1.0 + 0.06 * (i % 2), yref="paper", yanchor="bottom", showarrow=False,
            text=f"Res. {row.resolution}", font={"size": 12},
            hovertext=escape(f"Resolution {row.resolution}, {date_label(row.date)}"),
        )
    view = ChartView()
    view.show(figure, _strength_summary(strength, changes), _strength_table(strength), "UNAMIR strength by date")
    return view


def _step(go, frame: pd.DataFrame, column: str, name: str, index: int, dash: str):
    return go.Scatter(
        x=frame["date"], y=frame[column].astype(float), name=name, mode="lines+markers",
        line={"shape": "hv", "color": PALETTE[index], "dash": dash, "width": 3},
        marker={"symbol": SYMBOLS[index], "size": 8, "color": PALETTE[index]},
        hovertemplate=f"{name}: %{{y:,}}<br>%{{x|%-d %B %Y}}<extra></extra>",
    )


def _authorizing_resolutions(strength: pd.DataFrame) -> pd.DataFrame:
    """Resolutions in the chart's period whose authorized personnel differ from the one before."""
    resolutions = _datasets.load("resolutions").dropna(subset=["authorized_personnel"]).sort_values("date")
    changed = resolutions["authorized_personnel"].ne(resolutions["authorized_personnel"].shift())
    within = resolutions["date"].between(strength["date"].min(), strength["date"].max())
    return resolutions.loc[changed & within, ["resolution", "date", "authorized_personnel"]]


def _strength_summary(strength: pd.DataFrame, changes: pd.DataFrame) -> str:
    first, last = strength["date"].min(), strength["date"].max()
    steps = "; ".join(
        f"Resolution {r.resolution} ({date_label(r.date)}): {int(r.authorized_personnel):,}"
        for r in changes.itertuples(index=False)
    )
    return (
        f"UNAMIR's authorized and deployed strength from {date_label(first)} to {date_label(last)}. "
        f"Authorized strength set by Security Council resolutions: {steps}. "
        "The table lists every figure with its sources; ranges mean the sources differ."
    )


def _strength_table(strength: pd.DataFrame) -> pd.DataFrame:
    table = strength.copy()
    table["date"] = table["date"].map(date_label)
    return table.drop(columns=[c for c in table.columns if c not in _STRENGTH_COLUMNS]).rename(columns=_STRENGTH_COLUMNS)


_STRENGTH_COLUMNS = {
    "date": "Date",
    "authorized": "Authorized",
    "deployed": "Deployed",
    "deployed_low": "Deployed (low)",
    "deployed_high": "Deployed (high)",
    "note": "Note",
    "source_ids": "Sources",
}
