"""The document reader: a source document with numbered paragraphs and its glossary terms marked."""
from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML

from . import _datasets
from ._checks import paragraph_numbers
from ._html import date_label, escape

_TERM_STYLE = "text-decoration:underline dotted;cursor:help"
# "¶ 3" rather than "3.", so the reader's numbers never look like a document's own numbering
_NUMBER_STYLE = "color:#555;font-size:0.85em;margin-right:0.3em;white-space:nowrap"


def read(document_id: str, paragraphs=None) -> HTML:
    """Document ``document_id`` to read, with its citation and rights.

    ``paragraphs`` limits the text to some paragraphs (¶ numbers as in the document):
    a range ``"3-7"`` or ``(3, 7)``, one number, or a list of numbers. The first use of
    each glossary term is marked; its definition shows on hover and in a list under the text.
    """
    document = _datasets.load_document(document_id)
    numbers = paragraph_numbers(paragraphs, len(document.paragraphs))
    glossary = _datasets.load("glossary")
    pattern = term_pattern(glossary["term"])
    definitions = _definitions(glossary)
    used: dict[str, str] = {}
    items = []
    for n in numbers:
        text = document.paragraphs[n - 1]
        if text.strip():
            items.append(
                f'<li value="{n}"><span class="rwanda-edu-pn" style="{_NUMBER_STYLE}">¶ {n}</span> '
                f'<span class="rwanda-edu-paragraph">{mark_terms(text, pattern, definitions, used)}</span></li>'
            )
    return HTML(_page(document, numbers, "".join(items), used))


def term_pattern(terms) -> re.Pattern | None:
    """A regular expression matching any of ``terms`` as whole words, longest first.

    Terms written with two or more capitals (UNAMIR, Chapter VII) match with their exact
    case; other terms match in any case ("Genocide" at the start of a sentence).
    """
    terms = sorted({t for t in terms if isinstance(t, str) and t.strip()}, key=len, reverse=True)
    if not terms:
        return None
    alternatives = [
        re.escape(t) if sum(ch.isupper() for ch in t) >= 2 else f"(?i:{re.escape(t)})" for t in terms
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


def mark_terms(text: str, pattern: re.Pattern | None, definitions: dict[str, str], used: dict[str, str]) -> str:
    """``text`` escaped, with the first use of each glossary term wrapped in ``<abbr title="definition">``.

    Only tags are added: with them stripped and the escapes undone, the text is unchanged.
    Terms already in ``used`` (term -> definition) are not marked again; new ones are added.
    """
    if pattern is None:
        return escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        term = _glossary_term(match[0], definitions)
        if term in used:
            continue
        used[term] = definitions[term]
        out.append(escape(text[position : match.start()]))
        out.append(
            f'<abbr class="rwanda-edu-term" style="{_TERM_STYLE}" title="{escape(definitions[term])}">'
            f"{escape(match[0])}</abbr>"
        )
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def _definitions(glossary: pd.DataFrame) -> dict[str, str]:
    return dict(zip(glossary["term"], glossary["definition"].fillna("")))


def _glossary_term(found: str, definitions: dict[str, str]) -> str:
    if found in definitions:
        return found
    return next(term for term in definitions if term.casefold() == found.casefold())


def _page(document, numbers: list[int], items: str, used: dict[str, str]) -> str:
    count = len(document.paragraphs)
    whole = len(numbers) == count
    shown = "" if whole else f"<p><em>Showing ¶ {_ranges(numbers)} of {count}.</em></p>"
    date = date_label(document.date) if isinstance(document.date, pd.Timestamp) else document.date
    byline = ", ".join(escape(part) for part in (document.author, date) if part)
    notice = ""
    if document.extent and document.extent != "full":
        notice = (
            f'<p class="rwanda-edu-notice"><strong>Excerpts.</strong> {escape(document.note or document.extent)}</p>'
        )
    terms = ""
    if used:
        entries = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in sorted(used.items()))
        terms = f'<details><summary>Key terms in this text ({len(used)})</summary><dl>{entries}</dl></details>'
    return (
        '<div class="rwanda-edu-explorer rwanda-edu-reader" style="max-width:46em;line-height:1.6">'
        f"<h3>{escape(document.title)}</h3>"
        f"<p>{byline}</p>{notice}{shown}"
        f'<ol class="rwanda-edu-paragraphs" style="list-style:none;padding-left:0">{items}</ol>{terms}'
        f'<p class="rwanda-edu-cite"><strong>Source:</strong> {escape(document.citation)}</p>'
        f'<p class="rwanda-edu-rights"><strong>Rights:</strong> {escape(document.rights)}</p>'
        "</div>"
    )


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1–3, 7"``."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
