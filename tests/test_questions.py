"""Question banks: the schema, the cross-checks, scoring and plain-text answers."""
from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest

from rwanda_edu import _datasets, _questions, question_types
from rwanda_edu._questions import QuestionBankError, format_answer, is_answered, score

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "questions"
FIXTURE = FIXTURES / "99_fixture.toml"


@pytest.fixture
def fixture_banks(monkeypatch):
    """Serve the banks in tests/fixtures/questions instead of the package's."""
    monkeypatch.setattr(_questions, "_DIR", FIXTURES)
    _questions._bank.cache_clear()
    yield
    _questions._bank.cache_clear()


@pytest.fixture
def raw() -> dict:
    """The fixture bank as parsed TOML, before defaults: each test may change it."""
    return tomllib.loads(FIXTURE.read_text(encoding="utf-8"))


def q(bank: dict, qid: str) -> dict:
    return next(x for x in bank["questions"] if x["id"] == qid)


def fixture_question(qid: str) -> dict:
    return q(_questions.read_bank(FIXTURE), qid)


# Schema and cross-checks


def test_fixture_bank_is_valid_and_covers_every_type():
    bank = _questions.read_bank(FIXTURE)
    assert {x["type"] for x in bank["questions"]} == set(question_types.names())
    assert q(bank, "order")["points"] == 1 and q(bank, "multi")["points"] == 2
    assert q(bank, "single")["multiple"] is False
    assert [o["correct"] for o in q(bank, "single")["options"]] == [True, False, False]


def _set(path, value):
    def change(bank):
        target = bank
        for key in path[:-1]:
            target = q(target, key) if isinstance(key, str) and key not in target else target[key]
        target[path[-1]] = value
    return change


def _delete(path):
    def change(bank):
        target = bank
        for key in path[:-1]:
            target = q(target, key) if isinstance(key, str) and key not in target else target[key]
        del target[path[-1]]
    return change


INVALID = {
    "missing title": (_delete(["title"]), "the bank: 'title' is a required property"),
    "unknown type": (_set(["single", "type"], "chioce"), "question 1 (id 'single'), type: 'chioce' is not one of"),
    "misspelt field": (_set(["why-withdraw", "promt"], "x"), "unknown field(s) promt; valid fields: id, min_words"),
    "bad id": (_set(["questions", 0, "id"], "Which One"), "question 1 (id 'Which One'), id: 'Which One' does not match"),
    "blank prompt": (_set(["decide", "prompt"], "   "), "id 'decide'), prompt: '   ' does not match"),
    "missing feedback": (_delete(["single", "options", 2, "feedback"]),
                         "id 'single'), options[3]: 'feedback' is a required property"),
    "points on text": (_set(["why-withdraw", "points"], 2), "(id 'why-withdraw'): unknown field(s) points;"),
    "quiz on decision": (_set(["decide", "quiz"], True), "(id 'decide'): unknown field(s) quiz;"),
    "bad kind": (_set(["source", "prompts", 0, "kind"], "analysis"), "'analysis' is not one of"),
    "bad date": (_set(["decide", "date"], "21 April 1994"), "date: '21 April 1994' does not match"),
    "one option": (_set(["single", "options", slice(1, None)], []), "id 'single'), options: [{"),
    "duplicate question id": (_set(["questions", 1, "id"], "single"), "question ids are not unique: single"),
    "duplicate option id": (_set(["single", "options", 1, "id"], "r872"), "options ids are not unique: r872"),
    "two correct": (_set(["single", "options", 1, "correct"], True), "exactly one correct option, not 2"),
    "no correct": (_set(["multi", "options", 1, "correct"], False), None),
    "decided unknown": (_set(["decide", "decided"], "adjourn"), "decided 'adjourn' is not one of the options"),
    "dates out of order": (_set(["order", "items", 0, "date"], "1995-01-01"), "dates are not"),
    "repeated right text": (_set(["match", "pairs", 1, "right"], "Peaceful settlement of disputes"),
                            "right texts repeat: Peaceful settlement of disputes"),
    "unknown document": (_set(["source", "document"], "cable-1995"), "unknown document 'cable-1995'"),
    "unknown claim": (_set(["claim", "claim"], "no-such-claim"), "unknown claim 'no-such-claim'"),
    "unknown source": (_set(["single", "sources"], ["unsc-res-872", "nope"]), "unknown source id(s) nope"),
}


@pytest.mark.parametrize("case", INVALID)
def test_each_kind_of_invalid_bank_is_named(raw, case):
    change, expected = INVALID[case]
    if case == "no correct":  # both correct options unmarked
        _set(["multi", "options", 2, "correct"], False)(raw)
        expected = "question 2 (id 'multi'): no option has correct = true"
    change(raw)
    problems = _questions.validate_bank(raw)
    assert any(expected in p for p in problems), problems
    if "unknown field" not in expected:  # a broken field is not also reported as an unknown one
        assert not any("unknown field" in p for p in problems), problems


def test_read_bank_lists_every_problem(tmp_path, raw):
    text = FIXTURE.read_text(encoding="utf-8").replace('decided = "reduce"', 'decided = "adjourn"')
    text = text.replace('claim = "cable-resolution-909"', 'claim = "no-such-claim"')
    path = tmp_path / "99_fixture.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionBankError) as info:
        _questions.read_bank(path)
    message = str(info.value)
    assert message.startswith("99_fixture.toml: 2 problem(s)")
    assert "adjourn" in message and "no-such-claim" in message


def test_lesson_must_match_file_name(tmp_path):
    path = tmp_path / "98_other.toml"
    path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(QuestionBankError, match=re.escape("'lesson' is '99_fixture' but the file is named '98_other.toml'")):
        _questions.read_bank(path)


def test_broken_toml_is_reported(tmp_path):
    path = tmp_path / "99_fixture.toml"
    path.write_text('lesson = "99_fixture"\ntitle = "unclosed\n', encoding="utf-8")
    with pytest.raises(QuestionBankError, match=re.escape("99_fixture.toml is not valid TOML")):
        _questions.read_bank(path)


@pytest.mark.parametrize("lesson", _questions.list_banks())
def test_every_real_bank_is_valid(lesson):
    bank = _questions.read_bank(_questions._DIR / f"{lesson}.toml")  # in full, whatever checked.json says
    assert bank["lesson"] == lesson and bank["questions"]
    assert _questions.question_bank(lesson) == bank


def test_the_checked_digests_are_those_of_the_shipped_banks():
    checked = json.loads((_questions._DIR / _questions.CHECKED).read_text(encoding="utf-8"))
    current = {lesson: _questions.bank_digest((_questions._DIR / f"{lesson}.toml").read_bytes())
               for lesson in _questions.list_banks()}
    assert checked == current, "a bank, the schema or the data changed: run `make checked-banks`"


@pytest.fixture
def copied_banks(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped banks and their checked digests, served instead of the package's."""
    folder = tmp_path / "questions"
    folder.mkdir()
    for name in [*(f"{lesson}.toml" for lesson in _questions.list_banks()), _questions.CHECKED]:
        (folder / name).write_bytes((_questions._DIR / name).read_bytes())
    monkeypatch.setattr(_questions, "_DIR", folder)
    _questions._bank.cache_clear()
    yield folder
    _questions._bank.cache_clear()


def test_a_checked_bank_loads_without_being_checked_again(copied_banks, monkeypatch):
    monkeypatch.setattr(_questions, "validate_bank", lambda bank: pytest.fail("checked again"))
    lesson = _questions.list_banks()[0]
    assert _questions.question_bank(lesson)["lesson"] == lesson


def test_an_edited_bank_is_checked_in_full(copied_banks):
    lesson = _questions.list_banks()[0]
    path = copied_banks / f"{lesson}.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[[questions]]", "[[questions]]\npromt = 'x'", 1),
                    encoding="utf-8")
    with pytest.raises(QuestionBankError, match="unknown field"):
        _questions.question_bank(lesson)


def _is_the_claims_own_paragraph(item: dict, claim: dict) -> bool:
    return item.get("document") == claim["document_id"] and item.get("paragraphs") == str(claim["paragraph"])


@pytest.mark.parametrize("lesson", _questions.list_banks())
def test_every_claim_check_in_a_real_bank_shows_evidence(lesson):
    """The student judges a claim "against the evidence shown": 1 to 4 items, not only the claim's own paragraph.
    The schema and the cross-check already verify that every evidence id exists."""
    problems = []
    for question in _questions.question_bank(lesson)["questions"]:
        if question["type"] != "claim_check":
            continue
        evidence = question.get("evidence", [])
        claim = _questions.claim(question["claim"])
        if not 1 <= len(evidence) <= 4:
            problems.append(f"{question['id']}: {len(evidence)} evidence item(s), expected 1 to 4")
        elif all(_is_the_claims_own_paragraph(item, claim) for item in evidence):
            problems.append(f"{question['id']}: the only evidence is the claim's own paragraph")
    assert not problems, f"{lesson}: " + "; ".join(problems)


# The API others use


def test_banks_are_served_and_copied(fixture_banks):
    assert _questions.list_banks() == ["99_fixture"]
    bank = _questions.question_bank("99_fixture")
    bank["questions"].clear()
    assert _questions.question_bank("99_fixture")["questions"]
    assert _questions.get_question("99_fixture", "decide")["decided"] == "reduce"


def test_unknown_lesson_and_question_name_the_valid_ones(fixture_banks):
    with pytest.raises(ValueError, match="unknown lesson '99_fixtures'; did you mean '99_fixture'"):
        _questions.question_bank("99_fixtures")
    with pytest.raises(ValueError, match=r"did you mean 'single'.*Valid: single, multi, why-withdraw"):
        _questions.get_question("99_fixture", "singel")
    with pytest.raises(TypeError, match="lesson id must be str"):
        _questions.question_bank(3)


# Scoring


def test_single_choice_scores_the_correct_option():
    question = fixture_question("single")
    assert score(question, "r872") == (1.0, 1.0)
    assert score(question, "r912") == (0.0, 1.0)
    assert score(question, None) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("picked", "earned"),
    [(["r912", "r918"], 2.0), (["r918"], 1.0), (["r912", "r872"], 0.0), (["r872"], 0.0), (["r912", "r918", "r872"], 1.0)],
)
def test_multiple_choice_subtracts_wrong_picks(picked, earned):
    assert score(fixture_question("multi"), picked) == (earned, 2.0)


def test_ordering_scores_items_in_their_place():
    question = fixture_question("order")
    right = [i["id"] for i in question["items"]]
    assert score(question, right) == (1.0, 1.0)
    swapped = [right[1], right[0], *right[2:]]
    assert score(question, swapped) == ((len(right) - 2) / len(right), 1.0)
    assert score(question, right[::-1]) == (0.0, 1.0)


def test_matching_scores_each_pair():
    question = fixture_question("match")
    ids = [p["id"] for p in question["pairs"]]
    assert score(question, {i: i for i in ids}) == (1.0, 1.0)
    crossed = {ids[0]: ids[1], ids[1]: ids[0], ids[2]: ids[2]}
    assert score(question, crossed) == pytest.approx((1 / 3, 1.0))
    assert score(question, {ids[0]: ids[0]}) == pytest.approx((1 / 3, 1.0))


def test_claim_check_scores_the_verdict_against_the_claims_dataset():
    question = fixture_question("claim")
    claims = _datasets.load("claims").set_index("claim_id")
    verdict = str(claims.at[question["claim"], "verdict"])
    assert score(question, {"verdict": verdict, "reasoning": ""}) == (1.0, 1.0)
    for other in _questions.VERDICTS:
        expected = _questions.verdict_credit(other, verdict)
        assert score(question, {"verdict": other, "reasoning": "because"}) == (expected, 1.0)
    assert {score(question, {"verdict": v, "reasoning": ""})[0] for v in _questions.VERDICTS} == {0.0, 0.5, 1.0}


@pytest.mark.parametrize(("given", "key", "credit"), [
    ("consistent", "consistent", 1.0), ("partly", "partly", 1.0), ("disputed", "disputed", 1.0),
    ("partly", "consistent", 0.5), ("consistent", "partly", 0.5), ("partly", "differs", 0.5), ("differs", "partly", 0.5),
    ("consistent", "differs", 0.0), ("differs", "consistent", 0.0), ("partly", "disputed", 0.0),
    ("partly", "unverified", 0.0), ("disputed", "unverified", 0.0), ("unverified", "partly", 0.0), (None, "partly", 0.0),
])
def test_a_partly_verdict_next_to_the_key_earns_half(given, key, credit):
    assert _questions.verdict_credit(given, key) == credit


def test_claim_verdicts_are_those_of_the_dataset():
    assert set(_datasets.load("claims")["verdict"].dropna().astype(str)) <= set(_questions.VERDICTS)


@pytest.mark.parametrize("qid", ["why-withdraw", "source", "decide"])
def test_open_questions_are_not_auto_scored(qid):
    assert score(fixture_question(qid), None) is None


@pytest.mark.parametrize(
    ("qid", "answer", "error", "message"),
    [
        ("single", "r999", ValueError, "unknown option 'r999'.*Valid: r872, r912, r955"),
        ("multi", "r912", TypeError, "must be list, not str"),
        ("multi", ["r912", "r912"], ValueError, "names an option twice"),
        ("order", ["arusha", "res-872"], ValueError, "must list every item once"),
        ("match", {"chapter-vi": "chapter-v"}, ValueError, "did you mean 'chapter-vi'"),
        ("match", ["chapter-vi"], TypeError, "must be dict"),
        ("claim", {"verdict": "true", "reasoning": ""}, ValueError, "unknown verdict 'true'.*Valid: consistent"),
        ("decide", {"choice": "reduce", "why": "x"}, ValueError, "unknown part of the decision answer 'why'"),
        ("source", {"who": 3}, TypeError, "answer to prompt 'who' must be str"),
        ("why-withdraw", ["text"], TypeError, "must be str"),
    ],
)
def test_answers_that_do_not_fit_are_refused(qid, answer, error, message):
    question = fixture_question(qid)
    with pytest.raises(error, match=message):
        is_answered(question, answer)
    with pytest.raises(error, match=message):
        format_answer(question, answer)


def test_score_refuses_what_is_not_a_question():
    with pytest.raises(TypeError, match="question must be Mapping"):
        score("single", "r872")
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        score({"id": "x", "type": "essay", "prompt": "p"}, "text")


@pytest.mark.parametrize(
    ("qid", "partial", "complete"),
    [
        ("single", None, "r912"),
        ("multi", [], ["r872"]),
        ("why-withdraw", "  \n", "Because"),
        ("match", {"chapter-vi": "ictr"}, {"chapter-vi": "ictr", "chapter-vii": "chapter-vii", "ictr": "chapter-vi"}),
        ("source", {"who": "The State Department", "words": " "}, {"who": "The State Department", "words": "only"}),
        ("claim", {"verdict": "differs", "reasoning": ""}, {"verdict": "differs", "reasoning": "The date"}),
        ("decide", {"choice": None, "justification": "Lives"}, {"choice": "reinforce", "justification": "Lives"}),
    ],
)
def test_is_answered_needs_every_part(qid, partial, complete):
    question = fixture_question(qid)
    assert not is_answered(question, partial)
    assert is_answered(question, complete)


# Plain-text answers


def test_format_answer_is_plain_text_in_the_question_order():
    order = fixture_question("order")
    ids = [i["id"] for i in order["items"]][::-1]
    lines = format_answer(order, ids).splitlines()
    assert lines[0] == f"1. {order['items'][-1]['text']}" and len(lines) == len(ids)
    assert format_answer(fixture_question("single"), "r912") == "Resolution 912"
    assert format_answer(fixture_question("multi"), ["r912", "r918"]) == "- Resolution 912\n- Resolution 918"
    match = format_answer(fixture_question("match"), {"ictr": "chapter-vi"})
    assert "ICTR → Peaceful settlement of disputes" in match and "Chapter VI → (not answered)" in match
    decision = format_answer(fixture_question("decide"), {"choice": "reduce", "justification": ""})
    assert decision == "Choice: Reduce UNAMIR to a small group\nJustification: (not answered)"
    claim = format_answer(fixture_question("claim"), {"verdict": "disputed", "reasoning": "x"})
    assert claim == f"Verdict: {_questions.VERDICTS['disputed']}\nReasoning: x"
    source = format_answer(fixture_question("source"), {"who": "Washington"})
    assert source.startswith("Sourcing: Who wrote the cable") and "Washington" in source


@pytest.mark.parametrize("qid", ["single", "why-withdraw", "order", "match", "source", "claim", "decide"])
def test_unanswered_formats_as_not_answered(qid):
    assert format_answer(fixture_question(qid), None) == question_types.NOT_ANSWERED


def test_student_text_is_kept_exactly():
    text = "<script>alert(1)</script> ✊🏾 مرحبا\n" + "x" * 100_000
    assert format_answer(fixture_question("why-withdraw"), text) == text
    assert is_answered(fixture_question("why-withdraw"), text)


def test_a_raw_bank_is_not_changed_by_validation(raw):
    before = copy.deepcopy(raw)
    assert _questions.validate_bank(raw) == []
    assert raw == before


def test_the_authoring_guide_examples_are_valid():
    guide = (Path(__file__).parent.parent / "docs" / "QUESTIONS.md").read_text(encoding="utf-8")
    examples = [b for b in re.findall(r"```toml\n(.*?)```", guide, re.S) if b.startswith("[[questions]]")]
    bank = tomllib.loads('lesson = "03_withdrawal_cable"\ntitle = "Examples"\n' + "\n".join(examples))
    assert {x["type"] for x in bank["questions"]} == set(question_types.names())
    assert _questions.validate_bank(bank) == []
