"""Rubric marks: stored safely beside collect's output, imported all-or-nothing, added to the gradebook."""
from __future__ import annotations

import csv
import html
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from rwanda_edu import _rubric, question_types
from rwanda_edu.cli import main
from rwanda_edu.teacher import collect, make_demo_class
from rwanda_edu.teacher._key import Key
from rwanda_edu.teacher._marks import (
    CSV_COLUMNS,
    MARKS_FILE,
    MarksFileError,
    MarksStore,
    export_marks,
    import_marks,
    read_class,
)

from .conftest import ROOT

AWKWARD = [
    "<script>alert('marked')</script> <b>not bold</b> <img src=x onerror=\"alert(1)\">",
    "Très bien 👏🏾 – cite ¶ 10 next time 🇷🇼",
    "أحسنت، لكن اذكر المصدر — good, but name the source",
    'She said "untenable" and it\'s a quote; also a, comma',
    "Line one\nLine two\r\n\tindented",
    "=HYPERLINK(\"http://example.invalid\")",
]


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path, rows, header=CSV_COLUMNS) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    make_demo_class(folder / "handins", 30)
    return folder / "handins"


@pytest.fixture
def results(demo_class, tmp_path):
    out = tmp_path / "results"
    collect(demo_class, out)
    return out


def answered(results, lesson, question, n):
    """The first ``n`` students who answered ``lesson/question``."""
    rows = read_csv(results / "answers_long.csv")
    return [r["student"] for r in rows if r["lesson"] == lesson and r["question"] == question][:n]


def awkward_marks(results) -> list[list]:
    """Marks for three open questions (the capstone essay included), one awkward comment each."""
    rows = []
    plan = [("03_withdrawal_cable", "why-withdraw", ["evidence", "sourcing", "reasoning", "language"]),
            ("05_peacekeepers_who_acted", "source-lakin", ["sourcing", "reasoning"]),
            ("08_capstone", "essay", ["argument", "evidence", "sourcing", "counter-argument", "care"])]
    comments = iter(AWKWARD * 3)
    for lesson, question, criteria in plan:
        for i, student in enumerate(answered(results, lesson, question, 4)):
            for j, criterion in enumerate(criteria):
                rows.append([student, lesson, question, criterion, 1 + (i + j) % 4, next(comments) if j == 0 else ""])
    return rows


def test_held_out_check(demo_class, tmp_path, capsys):
    """Demo class of 30 → collect → import awkward marks → collect again → gradebook sums → feedback → refusal."""
    results, marks_csv = tmp_path / "results", tmp_path / "marks.csv"
    assert main(["collect", str(demo_class), "--out", str(results)]) == 0
    rows = awkward_marks(results)
    write_csv(marks_csv, rows)
    assert main(["marks", str(results), "--import", str(marks_csv)]) == 0
    assert main(["collect", str(demo_class), "--out", str(results)]) == 0

    expected: dict[tuple[str, str], int] = {}
    for student, lesson, question, _criterion, level, _comment in rows:
        expected[(student, f"{lesson}/{question}")] = expected.get((student, f"{lesson}/{question}"), 0) + level
    gradebook = {r["student"]: r for r in read_csv(results / "gradebook.csv")}
    assert len(gradebook) == 30
    for (student, column), total in expected.items():
        assert int(gradebook[student][column]) == total
    for student, row in gradebook.items():  # the totals include the marks
        marked = sum(v for (s, _), v in expected.items() if s == student)
        auto = sum(float(v or 0) for c, v in row.items() if "/" in c and (student, c) not in expected)
        assert float(row["total"]) == pytest.approx(auto + marked, abs=0.05)  # cells are rounded to 2 places
    long = read_csv(results / "answers_long.csv")
    essay = next(r for r in long if r["question"] == "essay" and (r["student"], "08_capstone/essay") in expected)
    assert essay["mark"] == str(expected[(essay["student"], "08_capstone/essay")])
    assert "argument=" in essay["levels"]

    feedback = tmp_path / "feedback"
    assert main(["feedback", str(results), "--out", str(feedback)]) == 0
    pages = sorted(feedback.glob("*.html"))
    assert len(pages) == 30 and len(list(feedback.glob("*.json"))) == 30
    text = "".join(p.read_bytes().decode("utf-8") for p in pages)  # bytes: "\r\n" kept as written
    for comment in AWKWARD:
        assert html.escape(comment, quote=True) in text, comment
    assert "<script>alert('marked')" not in text and "<img src=x" not in text
    files = [json.loads(p.read_text(encoding="ascii")) for p in feedback.glob("*.json")]
    given = {item.get("comment") for doc in files for items in doc["lessons"].values() for item in items.values()}
    assert set(AWKWARD) <= given  # stored exactly

    stored = (results / MARKS_FILE).read_bytes()
    bad = tmp_path / "bad.csv"
    student = rows[0][0]
    write_csv(bad, [[student, "03_withdrawal_cable", "why-withdraw", "evidence", 2, "fine"],
                    ["Nobody Anyone", "03_withdrawal_cable", "why-withdraw", "evidence", 3, ""],
                    [student, "03_withdrawal_cable", "why-withdraw", "reasoning", 7, ""]])
    run = subprocess.run([sys.executable, "-m", "rwanda_edu.cli", "marks", str(results), "--import", str(bad)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    assert "row 3: unknown student 'Nobody Anyone'" in run.stderr
    assert "row 4: level '7' is not a level" in run.stderr
    assert "nothing was stored" in run.stderr
    assert (results / MARKS_FILE).read_bytes() == stored


@pytest.mark.parametrize("row, reason", [
    (["Nobody", "03_withdrawal_cable", "why-withdraw", "evidence", "3", ""], "unknown student 'Nobody'"),
    (["{s}", "03_withdrawl_cable", "why-withdraw", "evidence", "3", ""], "did you mean '03_withdrawal_cable'"),
    (["{s}", "03_withdrawal_cable", "why-withdrew", "evidence", "3", ""], "did you mean 'why-withdraw'"),
    (["{s}", "03_withdrawal_cable", "quiz-somalia", "evidence", "3", ""], "auto-scored, not marked with a rubric"),
    (["{s}", "03_withdrawal_cable", "why-withdraw", "argument", "3", ""], "unknown criterion 'argument'"),
    (["{s}", "08_capstone", "essay", "language", "3", ""], "unknown criterion 'language'"),
    (["{s}", "03_withdrawal_cable", "why-withdraw", "evidence", "0", ""], "level '0' is not a level"),
    (["{s}", "03_withdrawal_cable", "why-withdraw", "evidence", "2.5", ""], "level '2.5' is not a level"),
    (["{s}", "03_withdrawal_cable", "why-withdraw", "evidence", "", ""], "give both a criterion and a level"),
])
def test_a_bad_row_is_named_and_nothing_is_stored(results, tmp_path, row, reason):
    student = answered(results, "03_withdrawal_cable", "why-withdraw", 1)[0]
    good = tmp_path / "good.csv"
    write_csv(good, [[student, "03_withdrawal_cable", "why-withdraw", "evidence", 4, "first"]])
    import_marks(results, good)
    before = (results / MARKS_FILE).read_bytes()
    bad = tmp_path / "bad.csv"
    write_csv(bad, [[student, "03_withdrawal_cable", "why-withdraw", "evidence", 1, "changed"],
                    [c.format(s=student) for c in row]])
    with pytest.raises(MarksFileError) as error:
        import_marks(results, bad)
    assert "row 3: " in str(error.value) and reason in str(error.value)
    assert len(error.value.problems) == 1
    assert (results / MARKS_FILE).read_bytes() == before


def test_a_file_without_the_columns_is_refused(results, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    write_csv(bad, [["x", "y"]], header=["name", "mark"])
    assert main(["marks", str(results), "--import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "missing column(s) student, lesson, question, criterion, level, comment" in err
    assert not (results / MARKS_FILE).exists()


def test_one_comment_per_question_and_a_comment_alone(results, tmp_path):
    student = answered(results, "02_warnings", "source-cardot", 1)[0]
    path = tmp_path / "m.csv"
    write_csv(path, [[student, "02_warnings", "source-cardot", "", "", "Comment only"]])
    assert import_marks(results, path) == 1
    mark = MarksStore(results).get(student, "02_warnings", "source-cardot")
    assert mark.levels == {} and mark.comment == "Comment only"
    write_csv(path, [[student, "02_warnings", "source-cardot", "evidence", 2, "one"],
                     [student, "02_warnings", "source-cardot", "sourcing", 2, "two"]])
    with pytest.raises(MarksFileError, match="row 3: a second, different comment"):
        import_marks(results, path)


def test_export_then_import_gives_back_the_same_marks(results, tmp_path):
    path = tmp_path / "m.csv"
    write_csv(path, awkward_marks(results))
    import_marks(results, path)
    before = {(s, lesson, q): (m.levels, m.comment) for s, lesson, q, m in MarksStore(results).items()}
    exported = tmp_path / "exported.csv"
    assert export_marks(results, exported) == len(before)
    (results / MARKS_FILE).unlink()
    import_marks(results, exported)
    after = {(s, lesson, q): (m.levels, m.comment) for s, lesson, q, m in MarksStore(results).items()}
    assert after == before
    assert {c for _, c in before.values()} == set(AWKWARD)


def test_marks_survive_a_new_collect_and_follow_the_student(demo_class, results, tmp_path):
    student = answered(results, "03_withdrawal_cable", "why-withdraw", 1)[0]
    path = tmp_path / "m.csv"
    write_csv(path, [[f"  {student.upper()} ", "03_withdrawal_cable", "why-withdraw", "reasoning", 3, "ok"]])
    import_marks(results, path)
    collect(demo_class, results)
    row = next(r for r in read_csv(results / "gradebook.csv") if r["student"] == student)
    assert row["03_withdrawal_cable/why-withdraw"] == "3"
    others = [r["03_withdrawal_cable/why-withdraw"] for r in read_csv(results / "gradebook.csv") if r["student"] != student]
    assert set(others) == {""}  # not marked yet: empty, and not counted in "possible"


def test_a_claim_check_keeps_its_score_and_gets_a_rubric_column(results, tmp_path, demo_class):
    student = answered(results, "03_withdrawal_cable", "check-cable-claim", 1)[0]
    path = tmp_path / "m.csv"
    write_csv(path, [[student, "03_withdrawal_cable", "check-cable-claim", "evidence", 4, ""]])
    import_marks(results, path)
    collect(demo_class, results)
    row = next(r for r in read_csv(results / "gradebook.csv") if r["student"] == student)
    assert row["03_withdrawal_cable/check-cable-claim (rubric)"] == "4"
    assert row["03_withdrawal_cable/check-cable-claim"] in ("0", "1")


def test_a_changed_answer_is_noted_by_collect(demo_class, results, tmp_path):
    student = answered(results, "03_withdrawal_cable", "why-withdraw", 1)[0]
    store = MarksStore(results)
    store.set(student, "03_withdrawal_cable", "why-withdraw", {"evidence": 2}, "", "an older answer")
    summary = collect(demo_class, results).summary()
    assert "changed since they were marked" in summary and student in summary


def test_a_damaged_marks_file_is_set_aside_not_overwritten(results):
    (results / MARKS_FILE).write_text('{"format": "rwanda_edu.marks", "schema_version": 1, "marks": [', encoding="utf-8")
    store = MarksStore(results)
    student = read_class(results).students[0]
    store.set(student, "08_capstone", "essay", {"care": 3}, "", "text")
    aside = list(results.glob("marks.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8").endswith("[")
    assert "kept as" in store.notice
    assert MarksStore(results).get(student, "08_capstone", "essay").levels == {"care": 3}


@pytest.mark.parametrize("levels, comment, named", [
    ({"evidence": 7}, "", "7"),
    ({"clarity": 2}, "", "clarity"),
    ({"evidence": 2}, "x" * 10_001, "10001 characters"),
])
def test_an_invalid_mark_is_refused_and_nothing_changes(results, levels, comment, named):
    student = read_class(results).students[0]
    store = MarksStore(results)
    store.set(student, "08_capstone", "essay", {"care": 3}, "Kept", "text")
    before = (results / MARKS_FILE).read_bytes()
    with pytest.raises(ValueError, match="nothing was stored") as refused:
        store.set(student, "08_capstone", "essay", levels, comment, "text")
    assert named in str(refused.value)
    assert (results / MARKS_FILE).read_bytes() == before
    for reader in (store, MarksStore(results)):  # the store's cached copy and the file agree
        assert reader.get(student, "08_capstone", "essay").levels == {"care": 3}
        assert reader.bank("08_capstone", "essay") == ["Kept"]


def test_a_file_damaged_after_it_was_read_is_set_aside(results):
    student = read_class(results).students[0]
    store = MarksStore(results)
    store.set(student, "08_capstone", "essay", {"care": 3}, "", "text")
    (results / MARKS_FILE).write_text('{"format": "rwanda_edu.marks", "schema_version": 1, "marks": [', encoding="utf-8")
    store.set(student, "08_capstone", "essay", {"care": 2}, "", "text")
    assert len(list(results.glob("marks.corrupt-*.json"))) == 1 and "kept as" in store.notice
    assert MarksStore(results).get(student, "08_capstone", "essay").levels == {"care": 2}


def _mark_many(results, student, lesson, questions):
    store = MarksStore(results)
    for question in questions:
        store.set(student, lesson, question, {"reasoning": 3}, f"comment on {question}", "text")


@pytest.mark.slow  # two marking processes
def test_two_teachers_marking_at_once_lose_nothing(results):
    students = read_class(results).students
    questions = ["cable-sourcing", "why-withdraw", "talking-points", "risk-to-lives"]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_mark_many, args=(results, s, "03_withdrawal_cable", questions)) for s in students[:2]]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    stored = {(s, q) for s, _, q, _ in MarksStore(results).items()}
    assert stored == {(s, q) for s in students[:2] for q in questions}
    assert len(MarksStore(results).bank("03_withdrawal_cable", "why-withdraw")) == 1
    doc = json.loads((results / MARKS_FILE).read_text(encoding="ascii"))
    assert doc["format"] == "rwanda_edu.marks" and doc["schema_version"] == 1


def test_markable_questions_follow_the_question_types():
    key = Key()
    for lesson in key.lessons():
        for question in key.questions(lesson).values():
            rubric = _rubric.rubric_of(question)
            assert (rubric is not None) == question_types.get(question["type"]).written
    assert _rubric.rubric_of(key.questions("08_capstone")["essay"]) == "capstone"
    assert _rubric.criterion_ids("open") == ["evidence", "sourcing", "reasoning", "language"]
    assert _rubric.criterion_ids("capstone") == ["argument", "evidence", "sourcing", "counter-argument", "care"]


def test_the_rubrics_match_the_teacher_guide():
    """Each criterion's level descriptors are the guide's table, word for word."""
    readme = (ROOT / "lessons" / "teacher" / "README.md").read_text(encoding="utf-8")
    for rubric, heading in (("open", "## Marking open answers"), ("capstone", "## The capstone rubric")):
        section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
        table = [line for line in section.splitlines() if line.startswith("| **")]
        assert len(table) == len(_rubric.criteria(rubric))
        for line, criterion in zip(table, _rubric.criteria(rubric), strict=True):
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert cells[0] == f"**{criterion['label']}**"
            assert cells[1:] == [criterion["levels"][str(level)] for level in (4, 3, 2, 1)]


def test_report_shows_criterion_averages_and_essay_totals(results, tmp_path):
    from rwanda_edu.teacher import essay_totals, load_results, rubric_averages, write_html
    from rwanda_edu.teacher._report import text_summary

    rows = awkward_marks(results)
    write_csv(tmp_path / "m.csv", rows)
    import_marks(results, tmp_path / "m.csv")
    loaded = load_results(results)
    table = rubric_averages(loaded).table.set_index(["rubric", "criterion"])
    sourcing = [r[4] for r in rows if r[3] == "sourcing" and r[1] != "08_capstone"]
    assert table.loc[("open", "Sourcing and context"), "average level"] == round(sum(sourcing) / len(sourcing), 1)
    assert table.loc[("open", "Sourcing and context"), "answers marked"] == len(sourcing)
    essays: dict[str, int] = {}
    for student, lesson, _q, _c, level, _comment in rows:
        if lesson == "08_capstone":
            essays[student] = essays.get(student, 0) + level
    totals = essay_totals(loaded).table.set_index("essay total")["essays"]
    assert totals.sum() == len(essays)
    assert all(totals[t] == list(essays.values()).count(t) for t in set(essays.values()))
    summary = text_summary(loaded)
    average = table.loc[("open", "Sourcing and context"), "average level"]
    assert f"Sourcing and context {average:g} of 4" in summary
    page = write_html(loaded, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Average level per rubric criterion" in page and "Capstone essay totals" in page


def test_two_teachers_marking_the_same_answer_keep_each_others_levels(results):
    student = read_class(results).students[0]
    first, second = MarksStore(results), MarksStore(results)
    first.amend(student, "03_withdrawal_cable", "why-withdraw", "text", criterion="evidence", level=3)
    second.amend(student, "03_withdrawal_cable", "why-withdraw", "text", criterion="language", level=2,
                 order=["evidence", "sourcing", "reasoning", "language"])
    second.amend(student, "03_withdrawal_cable", "why-withdraw", "text", comment="Both kept")
    mark = first.get(student, "03_withdrawal_cable", "why-withdraw")
    assert mark.levels == {"evidence": 3, "language": 2} and mark.comment == "Both kept"
    first.amend(student, "03_withdrawal_cable", "why-withdraw", "text", criterion="evidence", level=None)
    assert first.get(student, "03_withdrawal_cable", "why-withdraw").levels == {"language": 2}


def test_every_problem_of_a_row_is_named(results, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, [["Nobody", "03_withdrawal_cable", "why-withdraw", "evidence", "7", ""],
                     ["Nobody", "09_nothing", "x", "kindness", "", ""]])
    with pytest.raises(MarksFileError) as error:
        import_marks(results, path)
    first, second = error.value.problems
    assert first.startswith("row 2: unknown student 'Nobody'") and "level '7' is not a level" in first
    assert "unknown lesson '09_nothing'" in second and "unknown criterion 'kindness'" in second
    assert "give both a criterion and a level" in second


def test_the_dashboard_shows_the_marks_beside_the_answers(demo_class, results, tmp_path):
    from rwanda_edu.teacher import load_results, open_answers, student_answers

    student = answered(results, "03_withdrawal_cable", "why-withdraw", 1)[0]
    write_csv(tmp_path / "m.csv", [[student, "03_withdrawal_cable", "why-withdraw", "evidence", 3, AWKWARD[0]]])
    import_marks(results, tmp_path / "m.csv")
    collect(demo_class, results)
    loaded = load_results(results)
    row = open_answers(loaded, "03_withdrawal_cable/why-withdraw").table.set_index("student").loc[student]
    assert row["levels"] == "evidence=3" and row["comment"] == AWKWARD[0]
    mine = student_answers(loaded, student).table
    assert list(mine.loc[mine["question"] == "why-withdraw", "mark"]) == ["3"]


WRITER = """
import os, sys
from rwanda_edu.teacher._marks import MarksStore
store, students = MarksStore(sys.argv[1]), sys.argv[3:]
for i in range(10_000):
    student = students[i % len(students)]
    question = ("why-withdraw", "risk-to-lives", "talking-points")[i % 3]
    store.set(student, "03_withdrawal_cable", question, {"evidence": 1 + i % 4}, f"{sys.argv[2]}-{i} 🕊️", "text")
    os.write(1, f"{student}\\t{question}\\t{sys.argv[2]}-{i} 🕊️\\n".encode())
"""


@pytest.mark.slow  # kills a marking process many times
@pytest.mark.skipif(not hasattr(os, "kill"), reason="needs SIGKILL")
def test_a_marker_killed_at_any_moment_loses_no_acknowledged_mark(results):
    students = read_class(results).students[:5]
    rng = random.Random(7)
    for cycle in range(6):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(results), str(cycle), *students],
                                  stdout=subprocess.PIPE, cwd=ROOT)
        first = writer.stdout.readline()  # the first mark is stored: from here on, kill it at any moment
        time.sleep(rng.random() * 0.5)
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        acked = {}
        for line in (first + out).decode().splitlines():
            student, question, comment = line.split("\t")
            acked[(student, question)] = comment  # the last acknowledged comment of each answer
        assert acked, "the writer was killed before it stored a mark: give it more time"
        store = MarksStore(results)
        for (student, question), comment in acked.items():
            stored = store.get(student, "03_withdrawal_cable", question).comment
            assert stored.split("-")[0] == str(cycle) and int(stored.split("-")[1].split()[0]) >= int(comment.split("-")[1].split()[0])
        assert store.notice is None and not list(results.glob("marks.corrupt-*"))
