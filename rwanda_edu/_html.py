"""Escaping, dates and text alternatives shared by every view: nobody's text is ever live HTML."""
from __future__ import annotations

import html
from typing import Any

import pandas as pd


def escape(text: object) -> str:
    """Escape any value for HTML (quotes included); ``None`` becomes an empty string."""
    return "" if text is None else html.escape(str(text), quote=True)


def date_label(date: pd.Timestamp, precision: str = "day") -> str:
    """``date`` as a reader writes it: "6 April 1994", "April 1994" or "1994"."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


def table_html(df: pd.DataFrame, caption: str, *, max_rows: int | None = None) -> str:
    """An HTML table of ``df`` with every header and cell escaped, used as a chart's text alternative."""
    rows = df if max_rows is None else df.head(max_rows)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in rows.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in record) + "</tr>"
        for record in rows.itertuples(index=False, name=None)
    )
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f"<p>{len(df) - max_rows} more rows not shown.</p>"
    return (
        f'<table class="rwanda-edu-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
    )


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)
