"""report: how the class did, from collect's output; student text always escaped."""
from __future__ import annotations

import json

import pytest

from rwanda_edu._questions import list_banks, question_bank
from rwanda_edu.cli import main
from rwanda_edu.teacher import (
    collect,
    completion,
    hardest_questions,
    load_results,
    make_demo_class,
    open_answers,
    open_questions,
    score_distribution,
    student_answers,
    write_html,
)
from rwanda_edu.teacher._report import View

SCRIPT = "<script>alert('x')</script>"
NAME = "<img src=x onerror=alert('x')> Ada"  # a name cannot hold '/'


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    paths = make_demo_class(folder / "in", 30, seed=5)
    # One student whose name and every text answer carry markup.
    doc = json.loads(paths[0].read_text(encoding="utf-8"))
    doc["student"] = NAME
    lesson, qid = next((l, q["id"]) for l in list_banks() for q in question_bank(l)["questions"] if q["type"] == "text")
    entry = {"answer": f"{SCRIPT} <img src=x onerror=alert(1)>", "answered_at": doc["handed_in_at"]}
    doc["lessons"].setdefault(lesson, {})[qid] = entry
    paths[0].write_text(json.dumps(doc), encoding="utf-8")
    (folder / "in" / "broken.json").write_text("{", encoding="utf-8")
    collect(folder / "in", folder / "out")
    return load_results(folder / "out")


def test_completion(results):
    view = completion(results)
    table = view.table
    answered = results.answers.groupby("lesson")["student"].nunique()
    assert dict(zip(table["lesson"], table["started"])) == answered.to_dict()
    assert (table["finished"] <= table["started"]).all()
    assert (table["started %"] <= 100).all()
    assert list(view.figure.data[0].x) == list(table["lesson"])


def test_score_distribution(results):
    view = score_distribution(results)
    assert view.table["students"].sum() == len(results.gradebook) == 30
    assert len(view.table) == 10


def test_hardest_questions(results):
    table = hardest_questions(results, n=5).table
    assert len(table) == min(5, len(results.counted))
    assert list(table["average %"]) == sorted(table["average %"])
    worst = table.iloc[0]
    lesson, qid = worst["question"].split("/")
    answers = results.answers
    possible = answers[(answers["lesson"] == lesson) & (answers["question"] == qid)]["possible"].dropna()
    if len(possible):
        expected = results.gradebook[worst["question"]].mean() / possible.iloc[0] * 100
        assert worst["average %"] == pytest.approx(expected, abs=0.05)


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


def test_cli(results, tmp_path, capsys):
    assert main(["report", str(results.folder), "--html", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out
    assert "30 students" in out and (tmp_path / "r.html").is_file()
    assert main(["report", str(tmp_path / "nothing")]) == 2
