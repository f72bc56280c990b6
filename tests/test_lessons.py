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
from rwanda_edu._checks import paragraph_numbers
from rwanda_edu._questions import list_banks, question_bank
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
METHODS = {"ask", "quiz", "read", "timeline", "strength_chart", "map", "key_terms", "sources", "sign_in_box",
           "hand_in_button", "feedback"}
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
    missing = [h for h, p in zip(SECTIONS, positions, strict=True) if p is None]
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
    if lesson.called("sign_in_box"):
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


# --- Timing: every lesson's stated time follows from its reading load, its tasks and its discussion ---------------
# The model (lessons/teacher/README.md, "How the lessons are timed"): words read at a reader's pace, words written at
# a writer's pace, a little time per question and per explorer, set-up and hand-in, and the discussion the guide
# budgets. Sections whose heading ends with "(homework)" are timed apart: they are set for home, not class.
HOMEWORK = "(homework)"
PACE = {  # words per minute for prose and questions, for documents and evidence, for writing; minutes per item
    "fluent": {"prose": 180, "documents": 130, "writing": 12, "item": 0.5, "explorer": 2, "frame": 3},  # per chart
    "ell": {"prose": 110, "documents": 80, "writing": 8, "item": 0.75, "explorer": 3, "frame": 4},
}
WRITING = {"source_analysis": 30, "claim_check": 40, "decision": 50}  # words per sub-prompt, reasoning, justification


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", re.sub(r"<[^>]+>", " ", text)))


def _question_load(question: dict) -> tuple[int, int, int]:
    """(words read as prose, words read as evidence, words written) for one question."""
    from rwanda_edu._evidence import evidence_html

    shown, evidence = 0, 0
    for key, value in question.items():
        if key in ("id", "type", "lesson", "sources", "correct", "decided", "date", "quiz", "min_words"):
            continue
        if isinstance(value, str):
            shown += _words(value) // (2 if key in ("feedback", "explanation", "outcome") else 1)
        elif isinstance(value, list) and value and isinstance(value[0], dict) and key != "evidence":
            shown += sum(_question_load(part)[0] for part in value)
        elif isinstance(value, list):
            shown += sum(_words(v) for v in value if isinstance(v, str))
    if question.get("evidence"):
        evidence += _words(evidence_html(question["evidence"]))
    if question.get("claim"):
        claims = _datasets.load("claims").set_index("claim_id")
        shown += _words(claims.at[question["claim"], "quote"])
        evidence += _words(claims.at[question["claim"], "what_the_record_says"]) // 2  # revealed after the answer
    kind = question.get("type")
    written = question.get("min_words", 0) if kind == "text" else WRITING.get(kind, 0)
    if kind == "source_analysis":
        written *= len(question.get("prompts", []))
    return shown, evidence, written


def reading_load(lesson: Lesson, homework: bool = False) -> dict[str, int]:
    """What a student reads and writes in class (or, with ``homework``, at home) in ``lesson``."""
    bank = {q["id"]: q for q in question_bank(lesson.id)["questions"]}
    glossary = _datasets.load("glossary").set_index("term")
    glossary = glossary["plain"].fillna("") + " " + glossary["definition"]  # key terms show both
    load = dict.fromkeys(["prose", "documents", "terms", "questions", "evidence", "writing", "items", "explorers"], 0)
    for index, cell in enumerate(lesson.cells):
        section = lesson.section(index) or ""
        if section.rstrip().endswith(HOMEWORK) != homework:
            continue
        if cell.cell_type == "markdown":
            load["prose"] += _words(cell.source)
            continue
        if index == lesson.setup_index:
            continue
        name, args, kwargs = parse_call(cell.source)
        questions = []
        if name == "read":
            document = _datasets.load_document(args[0])
            numbers = paragraph_numbers(kwargs.get("paragraphs"), len(document.paragraphs))
            load["documents"] += sum(_words(document.paragraphs[n - 1]) for n in numbers)
        elif name in ("timeline", "map", "strength_chart"):
            load["explorers"] += 1
        elif name == "key_terms":
            load["terms"] += sum(_words(glossary[t]) for t in args)
        elif name == "ask":
            questions = [bank[args[0]]]
        elif name == "quiz":
            questions = [q for q in bank.values() if q.get("quiz")]
        for question in questions:
            shown, evidence, written = _question_load(question)
            load["questions"] += shown
            load["evidence"] += evidence
            load["writing"] += written
            load["items"] += 1
    return load


def minutes(load: dict[str, int], reader: str, frame: bool = True) -> int:
    """Minutes of reading, writing and interaction for ``load`` at ``reader``'s pace (discussion not included)."""
    pace = PACE[reader]
    time = (
        (load["prose"] + load["terms"] + load["questions"]) / pace["prose"]
        + (load["documents"] + load["evidence"]) / pace["documents"]
        + load["writing"] / pace["writing"]
        + load["items"] * pace["item"]
        + load["explorers"] * pace["explorer"]
        + (pace["frame"] if frame else 0)
    )
    return round(time)


def _readme_timing() -> dict[str, list[str]]:
    """The rows of the timing table in the teacher README, by two-digit lesson number."""
    text = (ROOT / "lessons" / "teacher" / "README.md").read_text(encoding="utf-8")
    section = text.split("## How the lessons are timed", 1)[1]
    rows = re.findall(r"^\| (\d\d) · [^|]+\|(.*)\|$", section, re.MULTILINE)
    return {number: [cell.strip().strip("*") for cell in cells.split("|")] for number, cells in rows}


def _guide(lesson: Lesson) -> str:
    return (ROOT / "lessons" / "teacher" / "guide" / f"{lesson.id}.md").read_text(encoding="utf-8")


def _stated_minutes(lesson: Lesson) -> int:
    return int(re.search(r"\*\*Time:\*\* about (\d+) minutes", lesson.cells[0].source)[1])


def test_the_stated_time_is_the_same_in_the_lesson_its_guide_and_the_readme(lesson):
    stated = _stated_minutes(lesson)
    guide = _guide(lesson)
    assert int(re.search(r"\*\*Time:\*\* about (\d+) minutes", guide)[1]) == stated, "guide header"
    budget = re.search(r"^\| \*\*In class\*\* \| \*\*(\d+) min\*\* \| \*\*(\d+) min\*\* \|$", guide, re.MULTILINE)
    assert budget and int(budget[1]) == stated, "the guide's time budget"
    row = _readme_timing()[lesson.id[:2]]
    in_class, ell = row[4], row[5]
    assert int(in_class) == stated and int(ell) == int(budget[2]), "the README's timing table"
    readme = (ROOT / "lessons" / "teacher" / "README.md").read_text(encoding="utf-8")
    sequence = re.search(rf"^\| {int(lesson.id[:2])} \| [^|]+\| (\d+) min", readme, re.MULTILINE)
    assert sequence and int(sequence[1]) == stated, "the README's lesson sequence"
    plan = guide.split("## Timing plan", 1)[1].split("\n## ", 1)[0]
    periods = re.split(r"\*\*Period \d\*\*", plan)
    ends = [re.findall(r"^\| \d+–(\d+) \|", period, re.MULTILINE) for period in periods]
    assert sum(int(found[-1]) for found in ends if found) == stated, "the guide's timing plan ends at the stated time"


def test_the_stated_time_follows_from_the_reading_load(lesson):
    """Recompute the model: a lesson whose text or questions grow must be re-timed (README, guide, header)."""
    words, _writing, fluent, discussion, _in_class, ell, homework = _readme_timing()[lesson.id[:2]]
    load = reading_load(lesson)
    read = sum(load[k] for k in ("prose", "terms", "questions", "documents", "evidence"))
    assert abs(read - int(words.replace(",", ""))) <= 0.1 * read, f"words to read: measured {read}"
    assert abs(minutes(load, "fluent") - int(fluent)) <= 3, f"reading and tasks: measured {minutes(load, 'fluent')}"
    assert abs(minutes(load, "fluent") + int(discussion) - _stated_minutes(lesson)) <= 5
    assert abs(minutes(load, "ell") + int(discussion) - int(ell)) <= 5
    assert int(discussion) >= 5, "every lesson budgets time to talk"
    set_for_home = any(h.rstrip().endswith(HOMEWORK) for h in lesson.headings)
    assert (homework != "–") == set_for_home
    assert ("**Homework:**" in lesson.cells[0].source) == set_for_home


@pytest.mark.parametrize("lesson_id", ["03_withdrawal_cable", "05_peacekeepers_who_acted", "07_never_again"])
def test_the_long_lessons_fit_a_period_once_homework_is_set_apart(lesson_id):
    lesson = Lesson(ROOT / "lessons" / f"{lesson_id}.ipynb")
    assert _stated_minutes(lesson) <= 60
    assert minutes(reading_load(lesson, homework=True), "fluent", frame=False) > 0


# --- What the history review asked the lessons to teach (issue 14) ---------------------------------------------
def _text(lesson_id: str) -> str:
    return "\n".join(Lesson(ROOT / "lessons" / f"{lesson_id}.ipynb").markdown)


def test_lesson_4_says_who_avoided_the_word_genocide_and_who_pressed_for_it():
    text = _text("04_hundred_days")
    assert "governments and the Security Council avoided the word" not in text
    assert "Governments avoided the word" not in text
    for member in ("Czech Republic", "Spain", "New Zealand", "Nigeria"):
        assert member in text
    decision = {q["id"]: q for q in question_bank("04_hundred_days")["questions"]}["decision-21-april"]
    assert "interim government" in decision["context"] and "interim government" in text


def test_lesson_1_gives_the_exile_at_its_scale():
    text = _text("01_road_to_1994")
    assert "tens of thousands" not in text.lower()
    assert "120,000" in text and "200,000" in text and "half" in text
    order = {q["id"]: q for q in question_bank("01_road_to_1994")["questions"]}["road-order"]
    assert not any("tens of thousands" in item["text"] for item in order["items"])


@pytest.mark.parametrize("lesson_id, needed", [
    ("05_peacekeepers_who_acted", ["Abarinzi b'Igihango", "Hakizimana", "Mukandanga"]),
    ("06_aftermath_accountability", ["Bisesero", "Duclert", "Muse", "Macron", "27 May 2021", "gacaca", "2012"]),
    ("07_never_again", ["Kwibuka", "7 April", "100 days"]),
])
def test_the_rwandan_strand_and_france_are_taught(lesson_id, needed):
    text = _text(lesson_id)
    missing = [word for word in needed if word not in text]
    assert not missing, f"{lesson_id} does not teach {missing}"


def test_new_questions_ask_about_rescuers_france_gacaca_and_kwibuka():
    asked = {lesson.stem: [args[0] for _, args, _ in Lesson(lesson).called("ask")] for lesson in LESSONS}
    assert "rwandan-rescuers" in asked["05_peacekeepers_who_acted"]
    assert {"france-two-reports", "gacaca-and-ictr"} <= set(asked["06_aftermath_accountability"])
    assert "kwibuka-remember" in asked["07_never_again"]


def test_testimony_comes_with_a_content_note():
    first = Lesson(ROOT / "lessons" / "05_peacekeepers_who_acted.ipynb").cells[0].source
    assert "survivors, rescuers" in first and "without graphic detail" in first


def test_the_teacher_readme_does_not_miscount_the_documents():
    readme = (ROOT / "lessons" / "teacher" / "README.md").read_text(encoding="utf-8")
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
    count = len(_datasets.list_documents())
    stated = re.findall(r"\bof the (two|three|four|five|six|seven|eight) (?:source )?documents\b", readme, re.IGNORECASE)
    for number in stated:  # "three of the four documents contain ...": the count of the data's documents
        assert words[number.lower()] == count, f"the README says 'of the {number} documents'; the data has {count}"
    assert "Three of the source documents (`data/documents.csv`)" in readme


def test_guide_05_no_longer_treats_the_butare_orphanage_as_fact():
    guide = (ROOT / "lessons" / "teacher" / "guide" / "05_peacekeepers_who_acted.md").read_text(encoding="utf-8")
    assert "protected \"through the final" not in guide
    assert "lakin-butare-orphanage" in guide
