"""What every question type declares and does: the model side of a type (no widgets here).

A type is a subclass of :class:`QuestionType` in its own module of this package, registered
with :func:`rwanda_edu.question_types.register`. Its widget lives in ``rwanda_edu.widgets``
under the same name, so the teacher side can score answers without loading ipywidgets.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from .._checks import check_choice, check_type
from .._i18n import N_, _

#: How a missing part of an answer is written out (translate with ``_`` when shown).
NOT_ANSWERED = N_("(not answered)")


class QuestionType:
    """One kind of question: its schema fragment, checks, scoring, text form and demo answer.

    Class attributes: ``name`` (the bank's ``type`` value), ``scored`` (auto-scored, so it has
    ``points`` and may be in the quiz), ``parts`` (the field listing its sub-items, each with an
    ``id`` unique in the question, or ``None``) and ``schema`` (the JSON Schema of the type's own
    fields; ``schema_key`` names it in the bank schema's ``$defs``). ``closed``: answers are
    drawn from a few options, so the teacher side remembers their marks. ``written``: the answer
    has the student's own words, which the teacher marks with a rubric (``rwanda_edu._rubric``).
    """

    name: ClassVar[str]
    scored: ClassVar[bool] = False
    closed: ClassVar[bool] = False
    written: ClassVar[bool] = False
    parts: ClassVar[str | None] = None
    schema: ClassVar[dict[str, Any]]
    schema_key: ClassVar[str | None] = None

    @classmethod
    def definition(cls) -> str:
        """The key of the type's fragment in the bank schema's ``$defs``."""
        return cls.schema_key or cls.name

    # Authoring: the bank
    def defaults(self, question: dict) -> None:
        """Fill in the fields an author may leave out (``points`` and ``quiz`` of a scored type)."""
        if self.scored:
            question.setdefault("points", 1)
            question.setdefault("quiz", False)

    def cross_check(self, question: Mapping) -> list[str]:
        """What the schema cannot check, as messages; the base checks that part ids are unique."""
        if self.parts is None:
            return []
        ids = part_ids(question, self.parts)
        if len(set(ids)) != len(ids):
            return [_("{field} ids are not unique: {ids}").format(field=self.parts, ids=duplicates(ids))]
        return []

    def withhold_key(self, question: dict) -> None:
        """Remove the answer key from ``question``, for the student edition of a bank (``rwanda_edu.keys``):
        the base removes the ``explanation``."""
        question.pop("explanation", None)

    # Answers
    def check_answer(self, question: Mapping, answer: object) -> None:
        """Raise TypeError/ValueError unless ``answer`` (not ``None``) has this type's raw form."""
        raise NotImplementedError

    def fraction(self, question: Mapping, answer: Any) -> float:
        """The share of the points a checked answer earns (scored types only)."""
        raise NotImplementedError

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        """Whether a checked answer is complete."""
        raise NotImplementedError

    def format_answer(self, question: Mapping, answer: Any) -> str:
        """A checked, non-empty answer as plain text (never HTML)."""
        raise NotImplementedError

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        """A raw answer for the fictional class: the key's answer when ``right``, else a plausible mistake."""
        raise NotImplementedError


# Helpers shared by the types


def part_ids(question: Mapping, field: str) -> list[str]:
    """The ids of the question's sub-items in ``field`` (options, items, pairs, prompts)."""
    return [item["id"] for item in question[field]]


def keyed_parts(question: Mapping, answer: object, field: str, kind: str) -> dict:
    """``answer`` checked to be a dict whose keys are ids of ``question[field]`` (a ``kind``: pair, prompt)."""
    ids = part_ids(question, field)
    # The message is written only for an answer that fails (this runs for every answer collected).
    parts = answer if isinstance(answer, dict) else check_type(_("answer to {id!r}").format(id=question["id"]),
                                                               answer, dict)
    for key in parts:
        check_choice(kind, key, ids)
    return parts


def filled(value: object) -> bool:
    """Whether ``value`` is text that is not blank."""
    return isinstance(value, str) and bool(value.strip())


def or_not_answered(value: object) -> str:
    """``value`` if it is non-empty text, else the words for a missing answer."""
    return value if isinstance(value, str) and value else _(NOT_ANSWERED)


def duplicates(ids: Iterable[object]) -> str:
    """The values that occur more than once in ``ids``, each once, in order."""
    seen: set[object] = set()
    repeated: list[str] = []
    for i in ids:
        if i in seen and str(i) not in repeated:
            repeated.append(str(i))
        seen.add(i)
    return ", ".join(repeated)


class PickAndReasons(QuestionType):
    """A type answered by a pick (``PICK``) and written reasons (``WORDS``), then a reveal.

    The raw answer is ``{PICK: id, WORDS: text}`` plus ``"revealed": true`` once the student
    has opened what the record says.
    """

    written = True
    PICK: ClassVar[str]
    WORDS: ClassVar[str]

    def picks(self, question: Mapping) -> list[str]:
        """The values the pick may take."""
        raise NotImplementedError

    def check_answer(self, question: Mapping, answer: object) -> None:
        # Messages are written only for an answer that fails (this runs for every answer collected).
        parts = answer if isinstance(answer, dict) else check_type(_("answer to {id!r}").format(id=question["id"]),
                                                                   answer, dict)
        for key in parts:
            if key not in (self.PICK, self.WORDS, "revealed"):
                check_choice(_("part of the {type} answer").format(type=self.name), key,
                             [self.PICK, self.WORDS, "revealed"])
        if parts.get(self.PICK) is not None:
            check_choice(self.PICK, parts[self.PICK], self.picks(question))
        check_type(self.WORDS, parts.get(self.WORDS, ""), str)
        check_type("revealed", parts.get("revealed", False), bool)

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        return answer.get(self.PICK) is not None and filled(answer.get(self.WORDS))
