"""The registry of question types: one module per type, found by name, assembling the bank schema."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any, ClassVar

import pytest

from rwanda_edu import _questions, question_types, widgets
from rwanda_edu.question_types import QuestionType


def test_every_type_is_registered_in_the_order_of_the_guide():
    assert question_types.names() == [
        "choice", "text", "ordering", "matching", "source_analysis", "claim_check", "decision"]
    assert all(question_types.get(name).name == name for name in question_types.names())


def test_an_unknown_type_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"did you mean 'choice'.*Valid: choice, text, ordering"):
        question_types.get("choise")


def test_a_type_registered_twice_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        question_types.register(type(question_types.get("text")))


def test_every_type_has_a_widget():
    assert set(widgets.question._WIDGETS) == set(question_types.names())
    with pytest.raises(ValueError, match="Valid: choice"):
        widgets.widget_class("rating")


def test_the_schema_file_is_the_assembled_schema():
    on_disk = json.loads(question_types.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == question_types.bank_schema(), "run `make schema` after changing a type's schema"
    assert on_disk["$defs"]["question"]["properties"]["type"]["enum"] == question_types.names()


def test_scored_types_and_their_points_agree_with_the_schema():
    defs = question_types.bank_schema()["$defs"]
    for name in question_types.names():
        kind = question_types.get(name)
        assert ("points" in defs[kind.definition()]["properties"]) is kind.scored, name


def test_a_new_type_is_one_module(monkeypatch):
    """A type defined and registered in one place is validated, defaulted, scored and written out."""
    monkeypatch.setattr(question_types, "_REGISTRY", dict(question_types._REGISTRY))
    _questions._schema.cache_clear()

    @question_types.register
    class YesNo(QuestionType):
        name = "yes_no"
        scored = True
        schema: ClassVar[dict[str, Any]] = {"required": ["yes"], "properties": {"yes": {"type": "boolean"}, "points": {"$ref": "#/$defs/points"},
                                                       "quiz": {"type": "boolean"}}}

        def check_answer(self, question, answer):
            if not isinstance(answer, bool):
                raise TypeError("answer must be True or False")

        def fraction(self, question, answer):
            return float(answer == question["yes"])

        def is_answered(self, question, answer):
            return True

        def format_answer(self, question, answer):
            return "yes" if answer else "no"

    try:
        bank = {"lesson": "99_fixture", "title": "T", "questions": [
            {"id": "q", "type": "yes_no", "prompt": "Yes?", "yes": True}]}
        assert _questions.validate_bank(bank) == []
        question = _questions._with_defaults(bank)["questions"][0]
        assert question["points"] == 1
        assert _questions.score(question, True) == (1.0, 1.0)
        assert _questions.format_answer(question, False) == "no"
        bank["questions"][0]["colour"] = "red"
        assert any("unknown field(s) colour" in p for p in _questions.validate_bank(bank))
    finally:
        _questions._schema.cache_clear()


def test_the_teacher_side_and_the_store_load_no_views(tmp_path):
    """Dependencies run one way: scoring, collecting and the store never import a widget or a page."""
    script = textwrap.dedent(f"""
        import sys
        from rwanda_edu import _questions, responses
        from rwanda_edu.teacher import collect, make_demo_class
        for lesson in _questions.list_banks():
            _questions.question_bank(lesson)
        make_demo_class({str(tmp_path / "in")!r}, 3)
        collect({str(tmp_path / "in")!r}, {str(tmp_path / "out")!r})
        responses.sign_in("Ada N.")
        responses.write_handin(*responses.new_handin())
        loaded = sorted(m for m in sys.modules if m.startswith(("ipywidgets", "rwanda_edu.widgets", "rwanda_edu._evidence",
                                                                "rwanda_edu._handin_page", "plotly")))
        print(loaded)
    """)
    env = {"RWANDA_EDU_ANSWERS": str(tmp_path / "answers"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
