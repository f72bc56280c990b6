"""demo-class: fictional, varied, valid hand-ins drawn from the real question banks."""
from __future__ import annotations

import json

import pytest

from rwanda_edu import _questions
from rwanda_edu.cli import main
from rwanda_edu.responses import validate_handin
from rwanda_edu.teacher import make_demo_class


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    paths = make_demo_class(folder, 40, seed=3)
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def test_every_handin_is_valid_and_fictional(demo):
    assert len(demo) == 40
    for doc in demo:
        assert validate_handin(doc) == []
        assert "(demo " in doc["student"]
    assert len({doc["student"] for doc in demo}) == 40


def test_answers_come_from_the_banks_and_score(demo):
    for doc in demo:
        for lesson, entries in doc["lessons"].items():
            for qid, entry in entries.items():
                question = _questions.get_question(lesson, qid)
                _questions.score(question, entry["answer"])  # raises if the answer does not fit


def test_completion_and_correctness_vary(demo):
    counts = {sum(len(e) for e in doc["lessons"].values()) for doc in demo}
    assert len(counts) > 5
    fractions = []
    for doc in demo:
        for lesson, entries in doc["lessons"].items():
            for qid, entry in entries.items():
                result = _questions.score(_questions.get_question(lesson, qid), entry["answer"])
                if result is not None:
                    fractions.append(result[0] / result[1])
    assert 1.0 in fractions and 0.0 in fractions


def test_free_text_has_script_emoji_and_rtl(demo):
    texts = json.dumps(demo, ensure_ascii=False)
    assert "<script>" in texts
    assert "😢" in texts or "🤔" in texts
    assert "أعتقد" in texts


def test_same_seed_same_class(tmp_path):
    a = make_demo_class(tmp_path / "a", 5, seed=7)
    b = make_demo_class(tmp_path / "b", 5, seed=7)
    c = make_demo_class(tmp_path / "c", 5, seed=8)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


@pytest.mark.parametrize("students", [0, -1, 10_001])
def test_bad_class_size(tmp_path, students):
    with pytest.raises(ValueError, match="between 1 and 10000"):
        make_demo_class(tmp_path, students)


def test_cli(tmp_path, capsys):
    assert main(["demo-class", str(tmp_path / "c"), "--students", "3", "--seed", "1"]) == 0
    assert len(list((tmp_path / "c").glob("*.json"))) == 3
    assert "rwanda-edu collect" in capsys.readouterr().out
    assert main(["demo-class", str(tmp_path / "d"), "--students", "0"]) == 2
    assert "between 1 and" in capsys.readouterr().err
