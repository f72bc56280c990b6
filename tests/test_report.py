"""report: how the class did, from collect's output; student text always escaped."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from rwanda_edu import question_types
from rwanda_edu._questions import list_banks, question_bank
from rwanda_edu.cli import main
from rwanda_edu.teacher import (
    build_bundle,
    collect,
    completion,
    hardest_questions,
    item_analysis,
    load_results,
    make_demo_class,
    open_answers,
    open_questions,
    option_choices,
    score_distribution,
    student_answers,
    write_html,
)
from rwanda_edu.teacher._report import Results, View, text_summary

SCRIPT = "<script>alert('x')</script>"
NAME = "<img src=x onerror=alert('x')> Ada"  # a name cannot hold '/'


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    paths = make_demo_class(folder / "in", 30, seed=5)
    # One student whose name and every text answer carry markup.
    doc = json.loads(paths[0].read_text(encoding="utf-8"))
    doc["student"] = NAME
    lesson, qid = next((bank, q["id"]) for bank in list_banks() for q in question_bank(bank)["questions"] if q["type"] == "text")
    entry = {"answer": f"{SCRIPT} <img src=x onerror=alert(1)>", "answered_at": doc["handed_in_at"]}
    doc["lessons"].setdefault(lesson, {})[qid] = entry
    paths[0].write_text(json.dumps(doc), encoding="utf-8")
    (folder / "in" / "broken.json").write_text("{", encoding="utf-8")
    collect(folder / "in", folder / "out")
    return load_results(folder / "out")


def handins(results) -> list[dict]:
    """The hand-ins the fixture's class wrote (the broken file left out)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((results.folder.parent / "in").glob("demo_*.json"))]


def test_completion_counts_who_started_and_who_answered_every_question(results):
    view = completion(results)
    docs = handins(results)
    expected = {}
    for lesson in list_banks():
        sizes = [len(doc["lessons"][lesson]) for doc in docs if doc["lessons"].get(lesson)]
        if sizes:
            expected[lesson] = (len(question_bank(lesson)["questions"]), len(sizes),
                                sum(size == len(question_bank(lesson)["questions"]) for size in sizes))
    table = view.table.set_index("lesson")
    assert {lesson: tuple(row) for lesson, row in table[["questions", "started", "finished"]].iterrows()} == expected
    assert any(finished < started for _, started, finished in expected.values())  # the demo class has stragglers
    lesson, (_, started, finished) = next(iter(expected.items()))
    assert table.loc[lesson, "started %"] == round(100 * started / 30, 1)
    assert table.loc[lesson, "finished %"] == round(100 * finished / 30, 1)
    assert list(view.figure.data[0].x) == list(view.table["lesson"])


def test_score_distribution_counts_every_student(results):
    view = score_distribution(results)
    assert view.table["students"].sum() == len(results.gradebook) == 30
    assert len(view.table) == 10


def made_up(gradebook: dict) -> Results:
    """Results with a hand-made gradebook (no answers, no rejected files)."""
    return Results(Path("made-up"), pd.DataFrame(gradebook), pd.DataFrame(columns=["lesson", "question"]),
                   pd.DataFrame(columns=["file", "reason"]))


def test_score_bands_include_their_lower_bound_and_100_is_in_the_top_band():
    percent = [0, 9.9, 10, 55, 89.9, 90, 100, 100]
    view = score_distribution(made_up({"student": list("abcdefgh"), "x/y": [0] * 8, "percent": percent}))
    bands = dict(zip(view.table["score band"], view.table["students"], strict=True))
    assert bands == {"0–9%": 2, "10–19%": 1, "20–29%": 0, "30–39%": 0, "40–49%": 0, "50–59%": 1,
                     "60–69%": 0, "70–79%": 0, "80–89%": 1, "90–100%": 3}
    assert view.title == "Score distribution (8 students; median 72%, lowest 0%, highest 100%)"
    assert list(view.figure.data[0].y) == list(bands.values())


def test_hardest_questions_are_the_lowest_averages_first():
    lesson = "02_warnings"
    first, second = [q for q in question_bank(lesson)["questions"] if question_types.get(q["type"]).scored][:2]
    p1, p2 = first["points"], second["points"]
    results = made_up({
        "student": ["a", "b", "c", "d"],
        f"{lesson}/{first['id']}": [p1, p1, 0, p1],  # 75 %, three with full marks
        f"{lesson}/{second['id']}": [0, 0, p2 / 2, 0],  # 12.5 %, nobody with full marks
    })
    table = hardest_questions(results).table
    assert list(table["question"]) == [f"{lesson}/{second['id']}", f"{lesson}/{first['id']}"]
    assert list(table["average %"]) == [12.5, 75.0]
    assert list(table["full marks"]) == [0, 3] and list(table["students"]) == [4, 4]
    assert list(hardest_questions(results, n=1).table["question"]) == [f"{lesson}/{second['id']}"]


def test_hardest_questions_in_the_demo_class(results):
    table = hardest_questions(results, n=5).table
    assert len(table) == 5
    assert list(table["average %"]) == sorted(table["average %"])
    assert set(table["question"]) <= set(results.counted)


def test_open_answers_side_by_side(results):
    questions = open_questions(results)
    assert questions
    question = questions[0]
    view = open_answers(results, question)
    lesson, qid = question.split("/")
    expected = results.answers[(results.answers["lesson"] == lesson) & (results.answers["question"] == qid)]
    assert sorted(view.table["student"]) == sorted(expected["student"])
    with pytest.raises(ValueError, match="Valid:"):
        open_answers(results, "nope/nope")


def test_student_answers(results):
    student = NAME
    view = student_answers(results, student)
    assert len(view.table) == (results.answers["student"] == student).sum()
    with pytest.raises(ValueError, match="unknown student"):
        student_answers(results, "Nobody")


def test_html_report_escapes_student_text(results, tmp_path):
    path = write_html(results, tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;img src=x onerror=alert(&#x27;x&#x27;)&gt; Ada" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "broken.json" in page
    assert "cdn" not in page.lower() and "http" not in page.lower()


def test_views_display_escaped(results, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    student_answers(results, NAME)._ipython_display_()
    html = shown[-1].data
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


def test_demo_results_when_no_folder():
    results = load_results()
    assert results.demo and len(results.gradebook) == 30
    assert isinstance(completion(results), View)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="rwanda-edu collect"):
        load_results(tmp_path)


@pytest.fixture(scope="module")
def hand_marked(tmp_path_factory):
    """A class whose assignment counts no auto-scored question (an essay marked by hand)."""
    folder = tmp_path_factory.mktemp("hand-marked")
    bundle = build_bundle(["02_warnings"], name="Essay", due="2026-12-01", out=folder / "bundle", count=[])
    make_demo_class(folder / "in", 6, seed=2)
    collect(folder / "in", folder / "out", assignment=bundle.folder / "assignment.json")
    return load_results(folder / "out")


def test_nothing_auto_scored_is_said_plainly_everywhere(hand_marked, tmp_path, capsys):
    assert hand_marked.counted == []
    distribution = score_distribution(hand_marked)
    assert distribution.title == "Score distribution: no auto-scored questions were counted, so there are no scores"
    assert distribution.figure is None and distribution.table["students"].sum() == 0
    hardest = hardest_questions(hand_marked)
    assert hardest.title == "Hardest questions: no auto-scored questions were counted"
    assert hardest.figure is None and hardest.table.empty
    student = hand_marked.gradebook["student"].iloc[0]
    assert student_answers(hand_marked, student).title == f"{student}: no auto-scored questions were counted"
    assert completion(hand_marked).table["started"].max() == 6
    assert "6 students; no auto-scored questions were counted; 0 file(s) rejected." in text_summary(hand_marked)
    page = write_html(hand_marked, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "no auto-scored questions were counted" in page and "nan" not in page.lower()
    assert main(["report", str(hand_marked.folder)]) == 0
    assert "no auto-scored questions were counted" in capsys.readouterr().out


def test_cli(results, tmp_path, capsys):
    assert main(["report", str(results.folder), "--html", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out
    assert "30 students" in out and (tmp_path / "r.html").is_file()
    assert main(["report", str(tmp_path / "nothing")]) == 2


PLANTED = {
    "04_hundred_days/quiz-912": "everybody-right",
    "02_warnings/quiz-reply": "nobody-right",
    "05_peacekeepers_who_acted/quiz-mandate": "popular-distractor",
    "06_aftermath_accountability/check-refugees": "popular-distractor",
    "07_never_again/quiz-2132": "reversed",
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A fictional class of 120 in which five questions have a known property."""
    folder = tmp_path_factory.mktemp("planted")
    make_demo_class(folder / "in", 120, seed=11, planted=PLANTED)
    collect(folder / "in", folder / "out")
    return load_results(folder / "out")


def test_item_analysis_finds_the_planted_properties(planted):
    table = item_analysis(planted).table.set_index("question")
    flags = table["flags"].to_dict()
    assert table.at["04_hundred_days/quiz-912", "difficulty"] == 1.0
    assert flags["04_hundred_days/quiz-912"] == "everybody right"
    assert table.at["02_warnings/quiz-reply", "difficulty"] == 0.0
    assert "nobody right" in flags["02_warnings/quiz-reply"]  # and so every wrong option beats the key
    for item in ("05_peacekeepers_who_acted/quiz-mandate", "06_aftermath_accountability/check-refugees"):
        assert "a wrong option chosen more often than the key" in flags[item]
    assert table.at["07_never_again/quiz-2132", "discrimination"] < -0.1
    assert "negative discrimination" in flags["07_never_again/quiz-2132"]
    # Elsewhere stronger students do better: discrimination is positive and flags are rare.
    rest = table.drop(index=list(PLANTED))
    assert (rest["discrimination"] > 0).mean() >= 0.9
    assert (rest["flags"] != "").mean() <= 0.1
    assert set(table["type"]) == {name for name in question_types.names() if question_types.get(name).scored}


def test_option_choices_name_each_option_by_its_text_in_the_bank_order(planted):
    table = option_choices(planted).table
    mandate = table[table["question"] == "05_peacekeepers_who_acted/quiz-mandate"]
    options = question_bank("05_peacekeepers_who_acted")["questions"]
    question = next(q for q in options if q["id"] == "quiz-mandate")
    assert list(mandate["text"]) == [o["text"] for o in question["options"]]
    assert list(mandate["key"]) == ["✓" if o.get("correct") else "" for o in question["options"]]
    first_wrong = next(o["text"] for o in question["options"] if not o.get("correct"))
    assert mandate.set_index("text")["chosen %"].idxmax() == first_wrong
    assert mandate["chosen %"].sum() == pytest.approx(100, abs=0.5)
    refugees = table[table["question"] == "06_aftermath_accountability/check-refugees"]
    assert list(refugees["option"]) == ["consistent", "partly", "differs", "disputed", "unverified"]
    assert refugees.set_index("option").at["partly", "key"] == "✓"


def test_the_report_names_the_flagged_questions(planted, tmp_path):
    summary = text_summary(planted)
    assert "Questions to review (item analysis): " in summary and "02_warnings/quiz-reply (" in summary
    page = write_html(planted, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Item analysis" in page and "Options chosen" in page and "negative discrimination" in page


def test_planted_properties_name_the_valid_choices(tmp_path):
    with pytest.raises(ValueError, match="everybody-right"):
        make_demo_class(tmp_path, 3, planted={"04_hundred_days/quiz-912": "too-easy"})
    with pytest.raises(ValueError, match="auto-scored question"):
        make_demo_class(tmp_path, 3, planted={"04_hundred_days/word-matters": "reversed"})
