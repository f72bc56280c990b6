"""demo-class: fictional, varied, valid hand-ins drawn from the real question banks."""
from __future__ import annotations

import functools
import json
import random

import pytest

import rwanda_edu
from rwanda_edu import _questions, question_types
from rwanda_edu.cli import main
from rwanda_edu.responses import validate_handin
from rwanda_edu.teacher import make_demo_class


@functools.cache
def _verdicts() -> dict[str, str]:
    claims = rwanda_edu.load_claims()
    return dict(zip(claims["claim_id"], claims["verdict"].astype(str), strict=True))


def key_answer(question: dict):
    """The answer the bank's own data marks right, read without the scorer; None if not auto-scored."""
    kind = question["type"]
    if kind == "choice":
        correct = sorted(o["id"] for o in question["options"] if o["correct"])
        return correct if question["multiple"] else correct[0]
    if kind == "ordering":
        return [item["id"] for item in question["items"]]
    if kind == "matching":
        return {pair["id"]: pair["id"] for pair in question["pairs"]}
    if kind == "claim_check":
        return _verdicts()[question["claim"]]
    return None


def is_right(question: dict, answer) -> bool:
    """Whether ``answer`` is the key's answer (for a claim check: its verdict)."""
    if question["type"] == "claim_check":
        return answer.get("verdict") == key_answer(question)
    return (sorted(answer) if isinstance(answer, list) and question["type"] == "choice" else answer) == key_answer(question)


def misplaced(question: dict, answer) -> int:
    """Items (ordering) or matches (matching) that differ from the key."""
    key = key_answer(question)
    if question["type"] == "ordering":
        return sum(given != expected for given, expected in zip(answer, key, strict=True))
    return sum(answer.get(left) != right for left, right in key.items())


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
                result = _questions.score(question, entry["answer"])  # raises if the answer does not fit
                empty = _questions.score(question, None)  # (0, points) for an auto-scored question, else None
                if empty is None:
                    assert result is None, (lesson, qid)
                else:
                    assert 0 <= result[0] <= result[1] == empty[1] > 0, (lesson, qid, result)
                assert _questions.format_answer(question, entry["answer"]).strip()


def test_completion_and_correctness_vary(demo):
    counts = {sum(len(e) for e in doc["lessons"].values()) for doc in demo}
    assert len(counts) > 5
    right = []
    for doc in demo:
        for lesson, entries in doc["lessons"].items():
            for qid, entry in entries.items():
                question = _questions.get_question(lesson, qid)
                if key_answer(question) is not None:
                    right.append(is_right(question, entry["answer"]))
    assert 0.45 < sum(right) / len(right) < 0.85  # each student is right 35-95 % of the time


AUTO_SCORED = [q for lesson in _questions.list_banks() for q in _questions.question_bank(lesson)["questions"]
               if key_answer(q) is not None]


@pytest.mark.parametrize("question", AUTO_SCORED, ids=lambda q: q["id"])
def test_a_right_answer_is_the_key_and_a_mistake_is_the_kind_promised(question):
    rng = random.Random(question["id"])
    for _ in range(10):
        assert is_right(question, question_types.get(question["type"]).demo_answer(rng, question, True))
        wrong = question_types.get(question["type"]).demo_answer(rng, question, False)
        assert not is_right(question, wrong)
        if question["type"] in ("ordering", "matching"):
            assert misplaced(question, wrong) == 2
        elif question["type"] == "choice" and question["multiple"]:
            correct = set(key_answer(question))
            assert set(wrong) & correct < correct and len(set(wrong) - correct) <= 1


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
