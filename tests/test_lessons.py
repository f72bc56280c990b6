"""Structure of every lesson notebook: the shared template, one-line code cells, ids that exist.

The template (docs/ARCHITECTURE.md, lessons/): a title cell with what you'll learn, time and
prerequisites (and a content note where the lesson touches mass violence), the set-up cell,
key terms, content with questions and at least one explorer or reader, the quiz, summary,
what's next and sources. Every code cell after the set-up is one call on ``lesson``.
"""
from __future__ import annotations

import ast
import re

import nbformat
import pytest

from rwanda_edu import _datasets
from rwanda_edu._questions import list_banks, question_bank
from rwanda_edu._checks import paragraph_numbers
from rwanda_edu._timeline import timeline

from .conftest import ROOT

LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
SECTIONS = [
    "## What you'll learn",
    "## Key terms",
    "## Check your understanding",
    "## Summary",
    "## What's next",
    "## Sources used in this lesson",
]
METHODS = {"ask", "quiz", "read", "timeline", "strength_chart", "map", "key_terms", "sources", "sign_in", "hand_in", "feedback"}
EXPLORERS = {"read", "timeline", "strength_chart", "map"}
VIOLENCE = re.compile(r"genocide|killing|killed|massacre|murder", re.IGNORECASE)


class Lesson:
    """One notebook, parsed: its cells, the section each cell is in, and its calls on ``lesson``."""

    def __init__(self, path):
        self.id = path.stem
        self.nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        self.cells = self.nb.cells
        self.markdown = [c.source for c in self.cells if c.cell_type == "markdown"]
        self.headings = [line for text in self.markdown for line in text.splitlines() if line.startswith("## ")]
        code = [i for i, c in enumerate(self.cells) if c.cell_type == "code"]
        self.setup_index = code[0] if code else None
        self.calls = [(self.section(i), *parse_call(self.cells[i].source)) for i in code[1:]]

    def section(self, index: int) -> str | None:
        """The last ``## `` heading above cell ``index``."""
        found = None
        for cell in self.cells[:index]:
            if cell.cell_type == "markdown":
                found = next((line for line in reversed(cell.source.splitlines()) if line.startswith("## ")), found)
        return found

    def called(self, method: str) -> list[tuple[str | None, list, dict]]:
        return [(section, args, kwargs) for section, name, args, kwargs in self.calls if name == method]


def parse_call(source: str) -> tuple[str, list, dict]:
    """``lesson.method(literal, ..., key=literal)`` on one line, as (method, args, kwargs); anything else fails."""
    assert len(source.splitlines()) == 1, f"a code cell must be one line, got:\n{source}"
    body = ast.parse(source).body
    assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call), source
    call = body[0].value
    func = call.func
    assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "lesson", source
    assert func.attr in METHODS, f"lesson.{func.attr} is not one of {sorted(METHODS)}"
    try:
        args = [ast.literal_eval(a) for a in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except ValueError:
        pytest.fail(f"arguments must be plain values: {source}")
    return func.attr, args, kwargs


@pytest.fixture(params=LESSONS, ids=lambda p: p.stem)
def lesson(request) -> Lesson:
    return Lesson(request.param)


def test_every_bank_has_a_lesson_and_every_lesson_a_bank():
    assert {p.stem for p in LESSONS} == set(list_banks())


def test_metadata_is_valid_and_outputs_are_stripped(lesson):
    nbformat.validate(lesson.nb)
    assert (lesson.nb.nbformat, lesson.nb.nbformat_minor) >= (4, 5), "cells need ids (nbformat 4.5)"
    assert lesson.nb.metadata.get("kernelspec") == KERNELSPEC
    assert lesson.nb.metadata.get("language_info", {}).get("name") == "python"
    for cell in lesson.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"cell {cell.id} has outputs"


def test_title_cell_follows_the_template(lesson):
    first = lesson.cells[0]
    assert first.cell_type == "markdown"
    lines = first.source.splitlines()
    title = f"# Lesson {int(lesson.id[:2])} · {question_bank(lesson.id)['title']}"
    assert lines[0] == title, f"the first line should be {title!r}"
    learn = first.source.split("## What you'll learn", 1)
    assert len(learn) == 2, "the first cell needs '## What you'll learn'"
    bullets = re.findall(r"^- \S", learn[1].split("\n\n", 1)[0].strip(), re.MULTILINE)
    assert 3 <= len(bullets) <= 5, f"'What you'll learn' needs 3 to 5 bullets, has {len(bullets)}"
    assert re.search(r"^\*\*Time:\*\* about \d+ minutes · \*\*Before this lesson:\*\* \S", first.source, re.MULTILINE)
    if any(VIOLENCE.search(text) for text in lesson.markdown):
        assert "\n> **Content note.**" in first.source, "a lesson about mass violence opens with a content note"


def test_sections_are_in_template_order(lesson):
    positions = [lesson.headings.index(h) if h in lesson.headings else None for h in SECTIONS]
    missing = [h for h, p in zip(SECTIONS, positions) if p is None]
    assert not missing, f"missing sections: {missing}"
    assert positions == sorted(positions), f"sections out of order: {lesson.headings}"
    assert len(lesson.headings) > len(SECTIONS), "the lesson needs content sections of its own"


def test_setup_cell_loads_this_lesson(lesson):
    assert lesson.setup_index is not None and lesson.setup_index >= 2
    assert lesson.cells[lesson.setup_index].source == f'from rwanda_edu import Lesson\nlesson = Lesson("{lesson.id}")'
    before = lesson.cells[lesson.setup_index - 1]
    assert before.cell_type == "markdown" and "run" in before.source.lower(), "tell students to run the set-up cell"


def test_calls_sit_in_their_sections(lesson):
    assert [s for s, *_ in lesson.called("key_terms")] == ["## Key terms"]
    assert [s for s, *_ in lesson.called("quiz")] == ["## Check your understanding"]
    assert [s for s, *_ in lesson.called("sources")] == ["## Sources used in this lesson"]
    if lesson.called("sign_in"):
        assert lesson.id == "00_start_here", "only the start-here lesson signs students in"


def test_questions_exist_and_the_bank_is_used(lesson):
    bank = {q["id"]: q for q in question_bank(lesson.id)["questions"]}
    asked = [args[0] for _, args, _ in lesson.called("ask")]
    unknown = [q for q in asked if q not in bank]
    assert not unknown, f"not in rwanda_edu/questions/{lesson.id}.toml: {unknown}"
    assert len(asked) == len(set(asked)), "a question is asked twice"
    quiz = {q for q, question in bank.items() if question.get("quiz")}
    assert not quiz & set(asked), f"quiz questions are shown by lesson.quiz(), not asked: {quiz & set(asked)}"
    assert set(asked) | quiz == set(bank), f"questions never shown: {set(bank) - set(asked) - quiz}"
    assert len(asked) >= 3 and len({bank[q]["type"] for q in asked}) >= 2, "ask >= 3 questions of >= 2 types"
    assert 3 <= len(quiz) <= 5, f"the quiz needs 3 to 5 questions, has {len(quiz)}"
    assert {name for _, name, *_ in lesson.calls} & EXPLORERS, "use at least one explorer or document reader"


def test_data_ids_exist(lesson):
    documents = _datasets.list_documents()
    for _, args, kwargs in lesson.called("read"):
        assert args[0] in documents, f"unknown document {args[0]!r}"
        paragraph_numbers(kwargs.get("paragraphs"), len(_datasets.load_document(args[0]).paragraphs))
    terms = set(_datasets.load("glossary")["term"])
    for _, args, _ in lesson.called("key_terms"):
        assert args and set(args) <= terms, f"not in the glossary: {set(args) - terms}"
    places = set(_datasets.load("places")["id"])
    for _, _, kwargs in lesson.called("map"):
        assert set(kwargs.get("highlight", [])) <= places, f"unknown places: {set(kwargs['highlight']) - places}"
    for _, _, kwargs in lesson.called("timeline"):
        assert len(timeline(**kwargs).events), f"the timeline {kwargs} shows no event"  # raises on a bad argument


def test_sources_section_lists_what_the_lesson_uses(lesson):
    known = set(_datasets.load("sources")["id"])
    [(_, listed, _)] = lesson.called("sources")
    assert listed and set(listed) <= known, f"unknown source ids: {set(listed) - known}"
    assert len(listed) == len(set(listed)), "a source is listed twice"
    used = {_datasets.load_document(args[0]).source_id for _, args, _ in lesson.called("read")}
    for question in question_bank(lesson.id)["questions"]:
        used |= set(question.get("sources", []))
    assert used <= set(listed), f"used but not listed in the Sources section: {sorted(used - set(listed))}"
