"""The evidence a claim check puts before the student: rows of the data package and
paragraphs of the source documents, each with its citation and none with a verdict.

An evidence item in a question bank names one thing:
``{document = "cable-1994-04-15", paragraphs = "12-14"}``, ``{event = "<event id>"}``,
``{resolution = 912}`` or ``{figure = "<figure id>"}``; the claim_check type
(``rwanda_edu.question_types.claim_check``) checks that it exists, this view shows it.
"""
from __future__ import annotations

import pandas as pd

from . import _datasets
from ._checks import paragraph_numbers
from ._html import date_label, escape
from ._i18n import _
from .question_types.claim_check import EVIDENCE_TABLES, evidence_kind


def _row(kind: str, value) -> dict:
    dataset, column = EVIDENCE_TABLES[kind]
    table = _datasets._load_cached(dataset)
    return table.loc[table[column] == value].iloc[0].to_dict()


def _sources(source_ids) -> str:
    cited = "; ".join(escape(_datasets.cite(s)) for s in _datasets.split_ids(source_ids))
    label = _("Source: {sources}").format(sources=cited)
    return f'<br><small class="rwanda-edu-evidence-source">{label}</small>' if cited else ""


def _number(value) -> str:
    return f"{int(value):,}"


def _figure(row: dict) -> str:
    low, high = row["low"], row["high"]
    if pd.isna(high):
        amount = _("at least {low}").format(low=_number(low))
    elif low == high:
        amount = _number(low)
    else:
        amount = _("{low} to {high}").format(low=_number(low), high=_number(high))
    note = f" {escape(row['note'])}" if pd.notna(row.get("note")) else ""
    return f"<strong>{escape(row['measure'])}:</strong> {amount} {escape(row['unit'])}.{note}"


def _item(item: dict) -> str:
    kind = evidence_kind(item)
    if kind == "document":
        document = _datasets.load_document(item["document"])
        numbers = paragraph_numbers(item.get("paragraphs"), len(document.paragraphs))
        quoted = "".join(f"<p>¶ {n} {escape(document.paragraphs[n - 1])}</p>" for n in numbers)
        return (f"<blockquote>{quoted}</blockquote>"
                f'<small class="rwanda-edu-evidence-source">{escape(document.citation)}</small>')
    if kind == "event":
        row = _row("event", item["event"])
        when = date_label(row["date"], row["date_precision"])
        return f"<strong>{escape(when)}: {escape(row['title'])}.</strong> {escape(row['description'])}" + _sources(
            row["source_ids"])
    if kind == "resolution":
        row = _row("resolution", item["resolution"])
        facts = [_("adopted {date}").format(date=date_label(row["date"]))]
        if pd.notna(row.get("chapter")):
            facts.append(_("Chapter {chapter}").format(chapter=row["chapter"]))
        if pd.notna(row.get("authorized_personnel")):
            facts.append(_("authorized personnel: {n}").format(n=_number(row["authorized_personnel"])))
        title = _("Security Council resolution {number}").format(number=int(row["resolution"]))
        return (f"<strong>{title}</strong> ({escape(', '.join(facts))}): "
                f"{escape(row['summary'])}" + _sources(row["source_ids"]))
    row = _row("figure", item["figure"])
    return _figure(row) + _sources(row["source_ids"])


def evidence_html(items) -> str:
    """The evidence ``items`` as a list to weigh, every text escaped and every item cited."""
    if not items:
        return ""
    entries = "".join(f"<li>{_item(item)}</li>" for item in items)
    heading = _("Evidence to weigh")
    return f'<div class="rwanda-edu-evidence"><p><strong>{heading}</strong></p><ul>{entries}</ul></div>'
