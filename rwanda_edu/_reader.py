"""The document reader: a source document with numbered paragraphs and its glossary terms marked,
beside its easier version or reading guide when it has one."""
from __future__ import annotations

import re

import ipywidgets as w
import pandas as pd
import traitlets
from IPython.display import HTML

from . import _datasets
from ._checks import check_choice, paragraph_numbers
from ._html import date_label, escape
from ._i18n import _
from ._keyboard import keyboard_scope

_TERM_STYLE = "text-decoration:underline dotted;cursor:help"
# "¶ 3" rather than "3.", so the reader's numbers never look like a document's own numbering
_NUMBER_STYLE = "color:#555;font-size:0.85em;margin-right:0.3em;white-space:nowrap"


def read(document_id: str, paragraphs=None):
    """Document ``document_id`` to read, with its citation and rights.

    ``paragraphs`` limits the text to some paragraphs (¶ numbers as in the document):
    a range ``"3-7"`` or ``(3, 7)``, one number, or a list of numbers. The first use of
    each glossary term is marked; its definition shows on hover and in a list under the text.
    A document with an easier version or a reading guide comes as a :class:`ReaderView`,
    where the student chooses which to read (the original first); otherwise as HTML.
    """
    document = _datasets.load_document(document_id)
    numbers = paragraph_numbers(paragraphs, len(document.paragraphs))
    easier_id = _datasets.easier_version(document_id)
    if easier_id is None:
        return HTML(page(document, numbers))
    return ReaderView(document, _datasets.load_document(easier_id), numbers)


VERSIONS = ("original", "easier", "side by side")


class ReaderView(w.VBox):
    """A document and its easier version (or reading guide): the student chooses which to read.

    ``version`` is one of :data:`VERSIONS`; ``page`` shows the chosen one. ¶ numbers are the
    original's in every view: ¶ n of the easier version is about ¶ n of the original.
    """

    version = traitlets.Unicode("original")

    def __init__(self, original, easier, numbers: list[int]):
        self.original, self.easier, self.numbers = original, easier, numbers
        easier_label = _("Reading guide") if easier.kind == "reading guide" else _("Easier version")
        self.choice = w.ToggleButtons(
            options=[(_("Original"), "original"), (easier_label, "easier"), (_("Side by side"), "side by side")],
            value="original",
            description=_("Read:"),
            tooltips=[_("The document itself"), _("Written for this module"), _("Both, paragraph by paragraph")],
        )
        self.page = w.HTML()
        super().__init__([self.choice, self.page])
        self.add_class("rwanda-edu-reader-view")
        traitlets.link((self.choice, "value"), (self, "version"))
        self.observe(self._show, names="version")
        self._show()
        keyboard_scope(self)

    @traitlets.validate("version")
    def _valid_version(self, proposal):
        return check_choice("version", proposal["value"], list(VERSIONS))

    def _show(self, change=None) -> None:
        if self.version == "original":
            self.page.value = page(self.original, self.numbers)
        elif self.version == "easier":
            self.page.value = page(self.easier, self.numbers)
        else:
            self.page.value = side_by_side(self.original, self.easier, self.numbers)


def page(document, numbers: list[int]) -> str:
    """The reader's HTML for paragraphs ``numbers`` of ``document``."""
    pattern, definitions = _glossary()
    used: dict[str, str] = {}
    items = "".join(
        f'<li value="{n}"><span class="rwanda-edu-pn" style="{_NUMBER_STYLE}">¶ {n}</span> '
        f'<span class="rwanda-edu-paragraph">{mark_terms(text, pattern, definitions, used)}</span></li>'
        for n, text in _shown(document, numbers)
    )
    return _page(document, numbers, items, used)


def side_by_side(original, easier, numbers: list[int]) -> str:
    """The two documents in two columns, one row per ¶ number (the original's)."""
    pattern, definitions = _glossary()
    used: dict[str, str] = {}
    easier_text = dict(_shown(easier, numbers))
    rows = "".join(
        f'<tr><th scope="row" class="rwanda-edu-pn" style="{_NUMBER_STYLE};vertical-align:top">¶ {n}</th>'
        f'<td class="rwanda-edu-paragraph" style="vertical-align:top;padding:0 1em 0.6em 0">{mark_terms(text, pattern, definitions, used)}</td>'
        f'<td class="rwanda-edu-easier" style="vertical-align:top;padding:0 0 0.6em 0">{escape(easier_text.get(n, ""))}</td></tr>'
        for n, text in _shown(original, numbers)
    )
    table = (
        '<table class="rwanda-edu-side-by-side" style="border-collapse:collapse;text-align:left">'
        f'<thead><tr><th scope="col">¶</th><th scope="col">{escape(original.title)}</th>'
        f'<th scope="col">{escape(easier.title)}</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return _page(original, numbers, "", used, body=table, extra=_about(easier), width="72em")


def _shown(document, numbers: list[int]) -> list[tuple[int, str]]:
    return [(n, document.paragraphs[n - 1]) for n in numbers if n <= len(document.paragraphs) and document.paragraphs[n - 1].strip()]


def _glossary() -> tuple[re.Pattern | None, dict[str, str]]:
    glossary = _datasets.load("glossary")
    return term_pattern(glossary["term"]), _definitions(glossary)


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
    return dict(zip(glossary["term"], glossary["definition"].fillna(""), strict=True))


def _glossary_term(found: str, definitions: dict[str, str]) -> str:
    if found in definitions:
        return found
    return next(term for term in definitions if term.casefold() == found.casefold())


def _page(document, numbers: list[int], items: str, used: dict[str, str], body: str = "", extra: str = "",
          width: str = "46em") -> str:
    count = len(document.paragraphs)
    whole = len(numbers) == count
    shown = "" if whole else "<p><em>{}</em></p>".format(
        escape(_("Showing ¶ {paragraphs} of {count}.").format(paragraphs=_ranges(numbers), count=count)))
    date = date_label(document.date) if isinstance(document.date, pd.Timestamp) else document.date
    byline = ", ".join(escape(part) for part in (document.author, date) if part)
    notice = ""
    if document.adapts:
        notice = f'<p class="rwanda-edu-notice">{_adapted_notice(document.kind)}</p>'
    elif document.extent and document.extent != "full":
        notice = (
            f'<p class="rwanda-edu-notice"><strong>{escape(_("Excerpts."))}</strong> {escape(document.note or document.extent)}</p>'
        )
    terms = ""
    if used:
        entries = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in sorted(used.items()))
        summary = escape(_("Key terms in this text ({n})").format(n=len(used)))
        terms = f"<details><summary>{summary}</summary><dl>{entries}</dl></details>"
    body = body or f'<ol class="rwanda-edu-paragraphs" style="list-style:none;padding-left:0">{items}</ol>'
    return (
        f'<div class="rwanda-edu-explorer rwanda-edu-reader" style="max-width:{width};line-height:1.6">'
        f"<h3>{escape(document.title)}</h3>"
        f"<p>{byline}</p>{notice}{shown}"
        f"{body}{terms}"
        f'<p class="rwanda-edu-cite"><strong>{escape(_("Source:"))}</strong> {escape(document.citation)}</p>'
        f'<p class="rwanda-edu-rights"><strong>{escape(_("Rights:"))}</strong> {escape(document.rights)}</p>{extra}'
        "</div>"
    )


def _about(easier) -> str:
    """What the second column of the side-by-side view is, and its rights."""
    return (
        f'<p class="rwanda-edu-notice">{_adapted_notice(easier.kind)} '
        f"<strong>{escape(_('Rights of the second column:'))}</strong> {escape(easier.rights)}</p>"
    )


def _adapted_notice(kind: str) -> str:
    """What an easier version or a reading guide is, and how to cite it (HTML)."""
    if kind == "reading guide":
        return f"<strong>{escape(_('Reading guide'))}</strong>. " + escape(_(
            "Written for this module: it is not the text. For each paragraph it says what the paragraph does and "
            "explains hard words; ¶ n here is about ¶ n of the original. Read it beside the original, and quote "
            "only the original."
        ))
    return f"<strong>{escape(_('Easier version'))}</strong>. " + escape(_(
        "Written for this module in plain English: it keeps the facts of the original and its ¶ numbers. "
        "Quote and cite the original, never this version."
    ))


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1–3, 7"``."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
