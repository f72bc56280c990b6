"""Escaping, dates and text alternatives shared by every view: nobody's text is ever live HTML."""
from __future__ import annotations

import datetime
import html
from typing import Any

import pandas as pd

from ._i18n import _, language, ngettext


def escape(text: object) -> str:
    """Escape any value for HTML (quotes included); ``None`` becomes an empty string."""
    return "" if text is None else html.escape(str(text), quote=True)


def date_label(date: datetime.date, precision: str = "day") -> str:
    """``date`` as a reader writes it: "6 April 1994", "April 1994" or "1994".

    Month names are those of the active language (``_i18n.language()``, from Babel's CLDR data),
    never those of the machine's locale.
    """
    if precision == "year":
        return str(date.year)
    from babel.dates import format_date  # on first use: import rwanda_edu stays light

    return format_date(date, "LLLL y" if precision == "month" else "d MMMM y", locale=language())


def time_label(moment: datetime.datetime) -> str:
    """``moment`` as "06 December 2026, 10:00 UTC" ("UTC+0100" at another offset), month in the active language."""
    from babel.dates import format_date

    offset = moment.strftime("%z")  # digits and a sign only: no locale
    return _("{date}, {time} UTC{offset}").format(
        date=format_date(moment, "dd MMMM y", locale=language()), time=f"{moment:%H:%M}",
        offset="" if offset == "+0000" else offset)


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
        hidden = len(df) - max_rows
        more = f"<p>{escape(ngettext('{n} more row not shown.', '{n} more rows not shown.', hidden).format(n=hidden))}</p>"
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
