"""collect: every valid hand-in rescored into the gradebook; every hostile file rejected with a reason."""
from __future__ import annotations

import copy
import csv
import json
import os
import random

import pytest

from rwanda_edu import _questions
from rwanda_edu.cli import main
from rwanda_edu.teacher import build_bundle, collect, make_demo_class
from rwanda_edu.teacher._collect import MAX_BYTES, MAX_DEPTH, Rejected, _too_deep, guard, read_handin, unguard

from .test_demo import is_right, key_answer


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheets
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))


def load(folder) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def expected_points(question: dict, answer) -> tuple[str, float]:
    """("right" | "wrong" | "unanswered", points) of a demo answer, from the key in the bank's data and
    the kind of mistake the demo class makes (checked in test_demo), never from the scorer."""
    points = question["points"]
    if answer is None:
        return "unanswered", 0
    if is_right(question, answer):
        return "right", points
    if question["type"] in ("ordering", "matching"):  # two of n items or matches swapped
        n = len(key_answer(question))
        return "wrong", points * (n - 2) / n
    if question["type"] == "choice" and question["multiple"]:  # docs/QUESTIONS.md: right picks - wrong picks
        correct = set(key_answer(question))
        return "wrong", points * max(0, len(set(answer) & correct) - len(set(answer) - correct)) / len(correct)
    if question["type"] == "claim_check":  # docs/QUESTIONS.md: half for "partly" next to consistent or differs
        pair = {answer["verdict"], key_answer(question)}
        return "wrong", points / 2 if pair in ({"partly", "consistent"}, {"partly", "differs"}) else 0
    return "wrong", 0  # another option


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    make_demo_class(folder, 25, seed=11)
    return folder


def test_round_trip(demo_class, tmp_path):
    result = collect(demo_class, tmp_path)
    assert result.rejected == [] and len(result.accepted) == 25
    docs = {doc["student"]: doc for doc in load(demo_class).values()}
    book = read_csv(tmp_path / "gradebook.csv")
    assert sorted(r["student"] for r in book) == sorted(docs)
    counted = [c for c in book[0] if "/" in c]
    lessons = sorted({lesson for doc in docs.values() for lesson in doc["lessons"]})
    questions = {f"{lesson}/{q}": question for lesson in lessons for q, question in _questions_of(lesson)
                 if key_answer(question) is not None}
    assert counted == list(questions)
    possible = sum(question["points"] for question in questions.values())
    kinds = []
    for row in book:
        doc = docs[row["student"]]
        earned = {}
        for column, question in questions.items():
            lesson, qid = column.split("/")
            entry = doc["lessons"].get(lesson, {}).get(qid)
            kind, earned[column] = expected_points(question, entry and entry["answer"])
            assert float(row[column]) == pytest.approx(earned[column], abs=0.01), (row["student"], column, kind)
            kinds.append(kind)
        for lesson in lessons:
            assert float(row[f"{lesson} total"]) == pytest.approx(
                sum(v for c, v in earned.items() if c.startswith(lesson + "/")), abs=0.01)
        assert float(row["total"]) == pytest.approx(sum(earned.values()), abs=0.01)
        assert float(row["possible"]) == pytest.approx(possible)
        assert float(row["percent"]) == pytest.approx(100 * sum(earned.values()) / possible, abs=0.05)
    assert min(kinds.count(kind) for kind in ("right", "wrong", "unanswered")) >= 10


def _questions_of(lesson):
    return [(q["id"], q) for q in _questions.question_bank(lesson)["questions"]]


def test_answers_long_has_every_answer(demo_class, tmp_path):
    collect(demo_class, tmp_path)
    rows = read_csv(tmp_path / "answers_long.csv")
    assert list(rows[0]) == ["student", "lesson", "question", "type", "answer", "earned", "possible", "answered_at",
                             "problem", "levels", "mark", "comment"]  # the rubric marks: tests/test_marks.py
    assert {row["problem"] for row in rows} == {""}
    docs = {doc["student"]: doc for doc in load(demo_class).values()}
    assert len(rows) == sum(len(e) for doc in docs.values() for e in doc["lessons"].values())
    for row in rows:
        entry = docs[row["student"]]["lessons"][row["lesson"]][row["question"]]
        question = _questions.get_question(row["lesson"], row["question"])
        assert row["type"] == question["type"]
        assert_shows(question, entry["answer"], unguard(row["answer"]))
        assert row["answered_at"] == entry["answered_at"]
        if key_answer(question) is None:
            assert row["earned"] == row["possible"] == ""
        else:
            assert float(row["earned"]) == pytest.approx(expected_points(question, entry["answer"])[1], abs=0.01)
            assert float(row["possible"]) == question["points"]


def assert_shows(question: dict, answer, cell: str) -> None:
    """``cell`` holds, in order, every text that ``answer`` names (the student's own text included)."""
    kind = question["type"]
    if kind == "text":
        assert cell == answer
        return
    options = {o["id"]: o["text"] for o in question.get("options", [])}
    if kind == "choice":
        parts = [options[i] for i in (answer if isinstance(answer, list) else [answer])]
    elif kind == "ordering":
        parts = [{item["id"]: item["text"] for item in question["items"]}[i] for i in answer]
    elif kind == "matching":
        right = {pair["id"]: pair["right"] for pair in question["pairs"]}
        parts = [text for pair in question["pairs"] for text in (pair["left"], right[answer[pair["id"]]])]
    elif kind == "source_analysis":
        parts = [text for prompt in question["prompts"] for text in (prompt["text"], answer[prompt["id"]])]
    elif kind == "claim_check":
        parts = [_questions.VERDICTS[answer["verdict"]], answer["reasoning"]]
    else:
        parts = [options[answer["choice"]], answer["justification"]]
    at = 0
    for part in parts:
        found = cell.find(part, at)
        assert found >= 0, (question["id"], part, cell)
        at = found + len(part)


def test_tampered_score_fields_are_ignored(demo_class, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    name, doc = next(iter(load(demo_class).items()))
    collect(demo_class, tmp_path / "honest")
    tampered = copy.deepcopy(doc)
    tampered["score"] = 1000
    tampered["percent"] = 100
    for entries in tampered["lessons"].values():
        for entry in entries.values():
            entry["earned"] = 99
            entry["correct"] = True
    (source / name).write_text(json.dumps(tampered), encoding="utf-8")
    result = collect(source, tmp_path / "out")
    assert result.rejected == []
    assert "score fields ignored" in result.summary()
    row = read_csv(tmp_path / "out" / "gradebook.csv")[0]
    honest_row = next(r for r in read_csv(tmp_path / "honest" / "gradebook.csv") if r["student"] == doc["student"])
    assert all(row[c] == honest_row[c] for c in row if "/" in c)


def test_duplicate_student_keeps_the_newest(demo_class, tmp_path):
    docs = load(demo_class)
    doc = next(iter(docs.values()))
    older = copy.deepcopy(doc)
    older["handed_in_at"] = "2020-01-01T00:00:00+00:00"
    older["student"] = doc["student"].upper()  # same student, other spelling
    source = tmp_path / "in"
    source.mkdir()
    (source / "a_newer.json").write_text(json.dumps(doc), encoding="utf-8")
    (source / "z_older.json").write_text(json.dumps(older), encoding="utf-8")
    result = collect(source, tmp_path / "out")
    assert [h.file for h in result.accepted] == ["a_newer.json"]
    assert result.rejected[0][0] == "z_older.json"
    assert "kept a_newer.json" in result.rejected[0][1]


def test_assignment_chooses_what_counts(demo_class, tmp_path):
    lessons = _questions.list_banks()[1:3]
    scored = [f"{lesson}/{q}" for lesson in lessons for q, question in _questions_of(lesson)
              if key_answer(question) is not None]
    bundle = build_bundle(lessons, name="Week 3", due="2026-12-01", out=tmp_path / "bundle", count=scored[:2])
    collect(demo_class, tmp_path / "out", assignment=bundle.folder / "assignment.json")
    header = read_csv(tmp_path / "out" / "gradebook.csv")[0]
    assert [c for c in header if "/" in c] == scored[:2]


def test_formula_guard_round_trips():
    for text in ["=1+2", "+x", "-5", "@a", "'=already", "'plain", "plain", "", "\tx"]:
        assert unguard(guard(text)) == text
        assert not str(guard(text)).startswith(("=", "+", "-", "@", "\t"))


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def test_nesting_check_matches_the_parsed_depth():
    rng = random.Random(4)
    tricky = ["[", "]", "{", "}", '"', "\\", '\\"', "x", "\\u005b"]

    def build(depth):
        if depth == 0:
            return "".join(rng.choice(tricky) for _ in range(rng.randrange(6)))
        inner = [build(rng.randrange(depth)) for _ in range(rng.randrange(1, 3))] + [build(depth - 1)]
        return inner if rng.random() < 0.5 else {f"k{i}]{{": v for i, v in enumerate(inner)}

    for _ in range(300):
        value = build(rng.randrange(MAX_DEPTH + 4))
        assert _too_deep(json.dumps(value, ensure_ascii=rng.random() < 0.5)) == (_depth(value) > MAX_DEPTH)


def test_every_cut_of_a_handin_is_reported_as_truncated(tmp_path):
    doc = {"format": "rwanda_edu.handin", "schema_version": 1, "student": "Zoë \u00e9", "lessons": {"01_x": {"q-1": {
        "answer": ["a", {"b": None, "c": True, "d": -12.5e3}], "answered_at": "2026-11-23T10:00:00+00:00"}}},
        "handed_in_at": "2026-11-23T10:00:00+00:00"}
    text = json.dumps(doc, ensure_ascii=True, indent=1)
    path = tmp_path / "cut.json"
    for end in range(1, len(text)):
        path.write_text(text[:end], encoding="utf-8")
        with pytest.raises(Rejected, match=r"truncated|empty"):
            read_handin(path)


# Hostile and malformed hand-ins

def hostile_files(folder, valid: dict) -> dict[str, str]:
    """Write hostile files into ``folder``; return file name -> a word the rejection reason must contain."""
    good = json.dumps(valid)
    lesson, entries = next((k, v) for k, v in valid["lessons"].items() if v)
    qid = next(iter(entries))
    expect = {}

    def write(name, data, reason):
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expect[name] = reason

    def variant(name, reason, change):
        doc = copy.deepcopy(valid)
        change(doc)
        write(name, json.dumps(doc), reason)

    write("garbage.json", "this is not json {", "JSON")
    write("truncated.json", good[: len(good) // 2], "truncated")
    write("empty.json", b"", "empty")
    write("spaces.json", "   \n ", "empty")
    write("array.json", "[1, 2, 3]", "array")
    write("string.json", '"a hand-in"', "string")
    write("null.json", "null", "null")
    write("nan.json", good.replace('"schema_version": 1', '"schema_version": NaN'), "NaN")
    write("latin1.json", good.replace('"lessons"', '"lessons", "x": "caf\xe9"').encode("latin-1", "replace"), "UTF-8")
    write("utf16.json", good.encode("utf-16"), "UTF-8")
    write("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "UTF-8")
    write("huge.json", good[:-1] + ', "pad": "' + "x" * MAX_BYTES + '"}', "too large")
    write("deep.json", "[" * 100_000 + "]" * 100_000, "nested")
    write("deep_inside.json", good.replace('"lessons"', '"deep": ' + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)
                                           + ', "lessons"'), "nested")
    variant("answers_format.json", "format", lambda d: d.update(format="rwanda_edu.answers"))
    variant("version2.json", "schema_version", lambda d: d.update(schema_version=2))
    variant("version_text.json", "schema_version", lambda d: d.update(schema_version="1"))
    variant("no_student.json", "student", lambda d: d.pop("student"))
    variant("empty_student.json", "student", lambda d: d.update(student=""))
    variant("path_student.json", "student", lambda d: d.update(student="../../etc/passwd"))
    variant("long_student.json", "student", lambda d: d.update(student="A" * 500))
    variant("no_time.json", "handed_in_at", lambda d: d.pop("handed_in_at"))
    variant("bad_time.json", "handed_in_at", lambda d: d.update(handed_in_at="yesterday"))
    variant("naive_time.json", "handed_in_at", lambda d: d.update(handed_in_at="2026-11-20T10:00:00"))
    variant("lessons_list.json", "lessons", lambda d: d.update(lessons=[1, 2]))
    variant("bad_lesson_id.json", "lesson id", lambda d: d["lessons"].update({"../../x": {}}))
    variant("extra_field.json", "unknown field", lambda d: d.update(run="import os; os.remove('x')"))
    variant("entry_no_time.json", "answered_at", lambda d: d["lessons"][lesson][qid].pop("answered_at"))
    variant("entry_not_object.json", qid, lambda d: d["lessons"][lesson].update({qid: "just text"}))

    variant("huge_name_inside.json", "unknown field", lambda d: d.update({"x" * 10_000: "y"}))
    variant("duplicate_older.json", "same student", lambda d: d.update(handed_in_at="2000-01-01T00:00:00+00:00"))
    (folder / "folder.json").mkdir()
    expect["folder.json"] = "folder"
    if hasattr(os, "symlink"):
        target = folder.parent / "outside.json"
        target.write_text(good, encoding="utf-8")
        os.symlink(target, folder / "link.json")
        os.symlink(folder / "missing-target.json", folder / "dangling.json")
        expect["link.json"] = expect["dangling.json"] = "symbolic link"
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.json")
        expect["pipe.json"] = "not a regular file"
    return expect


def test_hostile_handins_rejected_valid_ones_kept(demo_class, tmp_path, capsys):
    source = tmp_path / "class"
    source.mkdir()
    docs = load(demo_class)
    for name, doc in docs.items():
        (source / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    # Valid but awkward: a byte-order mark, brackets inside text, a lone surrogate, a formula-like name.
    extra = copy.deepcopy(next(iter(docs.values())))
    extra["student"] = '=HYPERLINK("x") 🦋'
    text_q = [(lesson, q) for lesson, e in extra["lessons"].items() for q in e
              if _questions.get_question(lesson, q)["type"] == "text"]
    if text_q:
        lesson, qid = text_q[0]
        extra["lessons"][lesson][qid]["answer"] = "[" * 200 + " \ud800 <script>alert(1)</script>"
    (source / "awkward.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(extra).encode("ascii"))
    expect = hostile_files(source, next(iter(docs.values())))
    assert len(expect) >= 30

    status = main(["collect", str(source), "--out", str(tmp_path / "out")])
    assert status == 1
    rejected = {r["file"]: r["reason"] for r in read_csv(tmp_path / "out" / "rejected.csv")}
    assert set(rejected) == set(expect)
    for name, word in expect.items():
        assert word.lower() in rejected[name].lower(), (name, rejected[name])
    students = {r["student"] for r in read_csv(tmp_path / "out" / "gradebook.csv")}
    assert {unguard(s) for s in students} == {d["student"] for d in docs.values()} | {extra["student"]}
    assert guard(extra["student"]) in students
    out = capsys.readouterr().out
    assert f"Rejected {len(expect)} file(s)" in out and "truncated.json" in out


def test_an_answer_that_no_longer_fits_costs_only_itself(demo_class, tmp_path, capsys):
    """A stale option id (e.g. after a key correction) or a malformed answer: reported, scored 0, the rest kept."""
    source = tmp_path / "class"
    source.mkdir()
    docs = load(demo_class)

    def of_type(doc, kind):
        return [(lesson, qid) for lesson, entries in doc["lessons"].items() for qid in entries
                if _questions.get_question(lesson, qid)["type"] == kind]

    name, doc = next((n, d) for n, d in docs.items() if of_type(d, "choice"))
    stale = of_type(doc, "choice")[0]
    doc["lessons"][stale[0]][stale[1]]["answer"] = "renamed-option"
    bad_shape = next(iter(of_type(doc, "ordering")), None)
    if bad_shape:  # the repr of a list is text, not a list
        doc["lessons"][bad_shape[0]][bad_shape[1]]["answer"] = "['a', 'b', 'c']"
    (source / name).write_text(json.dumps(doc), encoding="utf-8")

    assert main(["collect", str(source), "--out", str(tmp_path / "out")]) == 0
    assert read_csv(tmp_path / "out" / "rejected.csv") == []
    rows = {(r["lesson"], r["question"]): r for r in read_csv(tmp_path / "out" / "answers_long.csv")}
    assert len(rows) == sum(len(e) for e in doc["lessons"].values())  # every answer kept
    broken = [stale, bad_shape] if bad_shape else [stale]
    for item in broken:
        row = rows[item]
        question = _questions.get_question(*item)
        assert row["problem"].startswith(f"not a valid {question['type']} answer")
        assert row["earned"] == "0" and float(row["possible"]) == question["points"]
    assert "renamed-option" in rows[stale]["problem"] and rows[stale]["answer"] == "renamed-option"
    for item, row in rows.items():
        if item not in broken:
            question = _questions.get_question(*item)
            assert row["problem"] == ""
            if key_answer(question) is not None:
                expected = expected_points(question, doc["lessons"][item[0]][item[1]]["answer"])[1]
                assert float(row["earned"]) == pytest.approx(expected, abs=0.01)
    (book,) = read_csv(tmp_path / "out" / "gradebook.csv")
    assert book["/".join(stale)] == "0"
    out = capsys.readouterr().out
    assert f"{name}: {'/'.join(stale)}: not a valid choice answer" in out and "scored 0" in out


def test_a_malformed_assignment_is_a_usage_error(demo_class, tmp_path, capsys):
    bundle = build_bundle(["03_withdrawal_cable"], name="Week 3", due="2026-12-01", out=tmp_path / "bundle")
    path = bundle.folder / "assignment.json"
    for missing in ("lessons", "count"):
        doc = {k: v for k, v in bundle.assignment.items() if k != missing}
        path.write_text(json.dumps(doc), encoding="utf-8")
        assert main(["collect", str(demo_class), "--out", str(tmp_path / "x"), "--assignment", str(path)]) == 2
        err = capsys.readouterr().err
        assert f"missing field(s): {missing}" in err and str(path) in err and "Traceback" not in err


def test_exit_status_and_usage_errors(demo_class, tmp_path, capsys):
    assert main(["collect", str(demo_class), "--out", str(tmp_path / "ok")]) == 0
    assert main(["collect", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["collect", str(tmp_path / "empty"), "--out", str(tmp_path / "x")]) == 2
    assert "no hand-ins" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["collect", str(demo_class)])
    assert stop.value.code == 2


def test_a_list_written_as_text_never_shares_the_lists_mark(demo_class, tmp_path):
    """Marks are remembered per exact answer: the text "['a', 'b']" is not the list ['a', 'b'], in any order of files."""
    docs = load(demo_class)
    honest = next(d for d in docs.values() if d["lessons"].get("01_road_to_1994", {}).get("road-order"))
    right = [item["id"] for item in _questions.get_question("01_road_to_1994", "road-order")["items"]]
    honest = copy.deepcopy(honest)
    honest["lessons"]["01_road_to_1994"]["road-order"]["answer"] = right
    forged = copy.deepcopy(honest)
    forged["student"] = "Forged Copy"
    forged["lessons"]["01_road_to_1994"]["road-order"]["answer"] = repr(right)
    for order, names in enumerate([("a_honest.json", "b_forged.json"), ("b_honest.json", "a_forged.json")]):
        source = tmp_path / f"class_{order}"
        source.mkdir()
        (source / names[0]).write_text(json.dumps(honest), encoding="utf-8")
        (source / names[1]).write_text(json.dumps(forged), encoding="utf-8")
        result = collect(source, tmp_path / f"out_{order}")
        by_student = {h.student: h for h in result.accepted}
        assert by_student[honest["student"]].scores[("01_road_to_1994", "road-order")] == (1.0, 1.0)
        forged_handin = by_student.get("Forged Copy")  # rejected, or kept without that answer's mark
        assert forged_handin is None or forged_handin.scores.get(("01_road_to_1994", "road-order"), (0.0,))[0] == 0
