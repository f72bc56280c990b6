"""``Lesson``: the one object a lesson notebook uses; each method is one interactive cell."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from IPython.display import HTML

from . import _datasets
from ._checks import check_choice, check_choices
from ._html import escape
from ._i18n import N_, _

if TYPE_CHECKING:  # the views import ipywidgets and plotly only when a cell shows them
    import ipywidgets

    from ._charts import ChartView
    from ._timeline import Timeline
    from .widgets import QuestionWidget, Quiz


class Lesson:
    """The interactive pieces of lesson ``lesson_id`` (e.g. ``"03_withdrawal_cable"``)."""

    def __init__(self, lesson_id: str):
        from ._questions import list_banks

        self.id = check_choice("lesson", lesson_id, list_banks())

    def __repr__(self) -> str:
        return f"Lesson({self.id!r})"

    # Questions and answers
    def ask(self, question_id: str) -> QuestionWidget:
        """Question ``question_id`` of this lesson; the answer is saved as soon as it is given."""
        from .widgets import ask

        return ask(self.id, question_id)

    def quiz(self) -> Quiz:
        """The end-of-lesson quiz: every question of the lesson marked ``quiz = true``."""
        from .widgets import quiz

        return quiz(self.id)

    def sign_in_box(self) -> ipywidgets.VBox:
        """Name entry: the name the student's answers are saved and handed in under."""
        from .widgets import sign_in_widget

        return sign_in_widget()

    def hand_in_button(self) -> ipywidgets.VBox:
        """A button that writes the hand-in files (JSON for the teacher, HTML to read)."""
        from .widgets import hand_in_widget

        return hand_in_widget()

    def feedback(self):
        """Your teacher's marks and comments on this lesson, once they have returned your work."""
        from ._feedback import feedback_view

        return feedback_view(self.id)

    # Sources and explorers
    def read(self, document_id: str, paragraphs: str | int | Iterable[int] | None = None) -> HTML:
        """The reader for a source document, optionally only some paragraphs (``"4-6"``)."""
        from ._reader import read

        return read(document_id, paragraphs=paragraphs)

    def timeline(self, categories: str | Iterable[str] | None = None, actors: str | Iterable[str] | None = None,
                 start: int | str | None = None, end: int | str | None = None) -> Timeline:
        """The timeline explorer, as :func:`rwanda_edu.timeline`: ``categories`` and ``actors`` (one or a
        list; default all), ``start`` and ``end`` (a year ``1994`` or a month ``"1994-04"``)."""
        from ._timeline import timeline

        return timeline(categories=categories, actors=actors, start=start, end=end)

    def strength_chart(self) -> ChartView:
        """UNAMIR's authorized and deployed strength, October 1993 to March 1996."""
        from ._charts import strength_chart

        return strength_chart()

    def map(self, highlight: str | Iterable[str] | None = None, kinds: str | Iterable[str] | None = None) -> ChartView:
        """The offline map of places in Rwanda and its neighbours, as :func:`rwanda_edu.places_map`:
        ``highlight`` (place ids drawn larger and labelled), ``kinds`` (kinds of place; default all)."""
        from ._map import places_map

        return places_map(highlight=highlight, kinds=kinds)

    def key_terms(self, *terms: str) -> HTML:
        """Definitions of ``terms`` from the glossary: in plain words, then exact with their sources.

        Each term also shows its French and Kinyarwanda names where the glossary has them.
        """
        glossary = _datasets.load("glossary").set_index("term")
        if not terms:
            raise ValueError(_("name at least one glossary term. Valid: {valid}").format(valid=", ".join(glossary.index)))
        check_choices(_("glossary term"), terms, glossary.index.tolist())
        sources = _datasets.load("sources").set_index("id")
        items = "".join(
            f"<dt>{escape(term)}{_other_languages(glossary.loc[term], sources)}</dt>"
            f'<dd><p class="rwanda-edu-plain"><strong>{escape(_("In plain words:"))}</strong> '
            f'{escape(glossary.at[term, "plain"])}</p>'
            f'<p class="rwanda-edu-exact"><strong>{escape(_("Exact definition:"))}</strong> '
            f'{escape(glossary.at[term, "definition"])}'
            f' <span class="rwanda-edu-cite">({escape(_short_sources(glossary.at[term, "source_ids"], sources))})'
            "</span></p></dd>"
            for term in terms
        )
        return HTML(f'<dl class="rwanda-edu-key-terms">{items}</dl>')

    def sources(self, *source_ids: str) -> HTML:
        """Full citations of the sources this lesson uses."""
        if not source_ids:
            valid = ", ".join(_datasets.load("sources")["id"])
            raise ValueError(_("name at least one source id. Valid: {valid}").format(valid=valid))
        items = "".join(f"<li>{escape(_datasets.cite(sid))}</li>" for sid in source_ids)
        # Long addresses wrap, so the list never needs a scrollbar (which keyboard users could not reach).
        return HTML(f'<ol class="rwanda-edu-sources" style="overflow-wrap:anywhere">{items}</ol>')


_LANGUAGES = (("fr", N_("French")), ("rw", N_("Kinyarwanda")))


def _other_languages(row, sources) -> str:
    """`` · French: … · Kinyarwanda: …`` for a glossary row, each in its language, with the sources that attest them."""
    names = [
        f'{escape(_(label))}: <span lang="{code}">{escape(row[code])}</span>'
        for code, label in _LANGUAGES
        if isinstance(row[code], str) and row[code]
    ]
    if not names:
        return ""
    cite = escape(_short_sources(row["translation_source_ids"], sources))
    return f' <span class="rwanda-edu-languages">· {" · ".join(names)} <span class="rwanda-edu-cite">({cite})</span></span>'


def _short_sources(cell: object, sources) -> str:
    """``source: `` and the author (or title) of each source id in ``cell``, from ``sources`` indexed by id."""
    names = []
    for sid in _datasets.split_ids(cell):
        row = sources.loc[sid]
        names.append(row["author"] if isinstance(row["author"], str) and row["author"] else row["title"])
    return _("source: {names}").format(names="; ".join(dict.fromkeys(names)))  # each author once
