"""ResponseStore, sign-in and hand-in: exact round trips, set-aside of bad files, clear messages."""
from __future__ import annotations

import json
import os
import re
from datetime import datetime

import pytest
from filelock import FileLock

from rwanda_edu import _questions, responses
from rwanda_edu._handin import hand_in
from rwanda_edu._html import escape
from rwanda_edu.responses import ResponseStore

LESSON = "03_withdrawal_cable"
SCRIPT = '<script>alert("x")</script>'
AWKWARD = {
    "big": "Umuryango n'amahoro. " * 5000 + "end",  # 100 KB
    "emoji": "Peace 🕊️ and 👩🏾‍🏫 teachers 🇷🇼",
    "rtl": "السلام عليكم — שלום — mixed עברית and English",
    "script": SCRIPT + " & <b>bold</b> &amp;",
    "quotes": "He said \"no\", she said 'yes' `and` \\ backslash",
    "newlines": "line 1\nline 2\r\nline 3\rend\t tab\n\n",
    "nul": "before\x00after\x1b[31m",
    "surrogate": "broken pair \ud83d here",
    "empty": "",
}


def _fresh_module_state():
    """What a new kernel sees: no shared store objects, no cached sign-in."""
    responses._stores.clear()
    responses._pointer.cache_clear()


@pytest.fixture
def store(tmp_path) -> ResponseStore:
    return ResponseStore(tmp_path / "ada.json")


@pytest.mark.parametrize("kind", sorted(AWKWARD))
def test_awkward_text_round_trips_exactly_across_a_restart(store, kind):
    store.record(LESSON, "why-withdraw", AWKWARD[kind])
    assert store.answers(LESSON) == {"why-withdraw": AWKWARD[kind]}
    assert ResponseStore(store.path).answers(LESSON) == {"why-withdraw": AWKWARD[kind]}
    assert store.path.read_bytes().isascii()  # any character survives as a JSON escape


def test_every_answer_shape_round_trips(store):
    shapes = {
        "choice": "b",
        "multi": ["a", "c"],
        "ordering": ["e3", "e1", "e2"],
        "matching": {"p1": "p2", "p2": "p1"},
        "claim": {"verdict": "differs", "reasoning": AWKWARD["rtl"]},
        "number": 2.5,
        "flag": True,
        "nothing": None,
    }
    for qid, answer in shapes.items():
        store.record(LESSON, qid, answer)
    assert ResponseStore(store.path).answers(LESSON) == shapes


def test_tuples_are_saved_as_lists_and_later_answers_replace_earlier(store):
    store.record(LESSON, "order", ("e2", "e1"))
    store.record(LESSON, "order", ("e1", "e2"))
    assert ResponseStore(store.path).answers(LESSON) == {"order": ["e1", "e2"]}


def test_entry_lessons_and_student(store):
    assert store.entry(LESSON, "q1") is None and store.lessons() == [] and store.student is None
    store.record("04_hundred_days", "q1", "a")
    store.record(LESSON, "q1", "b")
    store.set_student(" Ada N. ")
    entry = ResponseStore(store.path).entry(LESSON, "q1")
    assert entry.answer == "b"
    assert datetime.fromisoformat(entry.answered_at).utcoffset().total_seconds() == 0
    assert store.lessons() == [LESSON, "04_hundred_days"]
    assert ResponseStore(store.path).student == "Ada N."


def test_returned_answers_are_copies(store):
    store.record(LESSON, "multi", ["a"])
    store.answers(LESSON)["multi"].append("b")
    store.entry(LESSON, "multi").answer.append("c")
    assert store.answers(LESSON) == {"multi": ["a"]}


def test_two_store_objects_see_each_others_answers(store):
    other = ResponseStore(store.path)
    store.record(LESSON, "q1", "first")
    assert other.answers(LESSON) == {"q1": "first"}
    other.record(LESSON, "q2", "second")
    assert store.answers(LESSON) == {"q1": "first", "q2": "second"}


def test_reads_are_cached_until_the_file_changes(store, monkeypatch):
    store.record(LESSON, "q1", "a")
    opened = []
    real_open = open
    monkeypatch.setattr(responses, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k), raising=False)
    for _ in range(5):
        store.answers(LESSON)
    assert opened == []
    ResponseStore(store.path).record(LESSON, "q2", "b")
    opened.clear()
    assert store.answers(LESSON) == {"q1": "a", "q2": "b"}
    assert store.answers(LESSON) == {"q1": "a", "q2": "b"}
    assert len(opened) == 1


@pytest.mark.parametrize(
    "answer, error, words",
    [
        ({1, 2}, TypeError, "not set"),
        (b"bytes", TypeError, "not bytes"),
        ({1: "a"}, TypeError, "keys must be text"),
        (float("nan"), ValueError, "finite number"),
        ([[[[[[[[[["deep"]]]]]]]]]], ValueError, "nested more than"),
    ],
)
def test_answers_that_are_not_json_values_are_refused(store, answer, error, words):
    with pytest.raises(error, match=words):
        store.record(LESSON, "q1", answer)
    assert not store.path.exists()


@pytest.mark.parametrize(
    "lesson, question, words",
    [("3 withdrawal", "q1", "lesson id '3 withdrawal' is not valid"), (LESSON, "Why Withdraw", "e.g. 'why-withdraw'"),
     (LESSON, "q" * 41, "at most 40"), (3, "q1", "lesson id must be str")],
)
def test_bad_ids_are_refused_with_the_rule(store, lesson, question, words):
    with pytest.raises((TypeError, ValueError), match=re.escape(words)):
        store.record(lesson, question, "a")


def test_a_lock_held_too_long_gives_a_clear_error(store, monkeypatch):
    monkeypatch.setattr(responses, "LOCK_TIMEOUT", 0.05)
    blocked = ResponseStore(store.path)
    with FileLock(f"{store.path}.lock"), pytest.raises(
            TimeoutError, match=re.escape("ada.json has been locked by another program for 0.05 s; nothing")):
            blocked.record(LESSON, "q1", "a")
    blocked.record(LESSON, "q1", "a")
    assert store.answers(LESSON) == {"q1": "a"}


def test_path_must_be_a_path():
    with pytest.raises(TypeError, match="path must be str or PathLike"):
        ResponseStore(42)


# Bad files are set aside, never overwritten

BAD_FILES = {
    "truncated": b'{"format": "rwanda_edu.answers", "schema_version": 1, "student": null, "lessons": {"03_w',
    "binary": bytes(range(256)) * 4,
    "version as text": json.dumps({"format": "rwanda_edu.answers", "schema_version": "1", "student": None,
                                   "lessons": {}}).encode(),
    "older version": json.dumps({"format": "rwanda_edu.answers", "schema_version": 0, "student": None,
                                 "lessons": {}}).encode(),
    "not an object": b"[1, 2, 3]",
    "empty": b"",
    "nan answer": b'{"format": "rwanda_edu.answers", "schema_version": 1, "student": null, "lessons": '
                  b'{"03_withdrawal_cable": {"q1": {"answer": NaN, "answered_at": "2026-11-23T10:00:00+00:00"}}}}',
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_set_aside_with_its_bytes_and_a_notice(store, kind):
    store.path.write_bytes(BAD_FILES[kind])
    assert store.answers(LESSON) == {}  # reading alone sets it aside
    aside = list(store.path.parent.glob("ada.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == BAD_FILES[kind]
    assert store.notice.startswith("Your saved answers file could not be read; it was kept as ")
    assert aside[0].name in store.notice and "New answers are being saved" in store.notice
    store.record(LESSON, "q1", "new")
    assert ResponseStore(store.path).answers(LESSON) == {"q1": "new"}


NEWER = "was written by a newer version of the module; ask your teacher to update it."


@pytest.mark.parametrize("version", [2, 99])
def test_a_file_from_a_newer_module_is_set_aside_with_its_own_notice(store, version):
    newer = json.dumps({"format": "rwanda_edu.answers", "schema_version": version, "student": "Ada",
                        "lessons": {LESSON: {"q1": {"answer": "mine", "answered_at": "2026-11-23T10:00:00+00:00",
                                                     "revealed_at": "2026-11-23T10:01:00+00:00"}}}}).encode()
    store.path.write_bytes(newer)
    store.record(LESSON, "q2", "new")  # a write: the newer file is moved aside first, never overwritten
    (aside,) = store.path.parent.glob("ada.corrupt-*.json")
    assert aside.read_bytes() == newer
    assert store.notice == (f"Your saved answers file {NEWER} The file was kept as {aside.name}, unchanged. "
                            "New answers are being saved.")
    assert "could not be read" not in store.notice
    assert ResponseStore(store.path).answers(LESSON) == {"q2": "new"}


def test_a_sign_in_from_a_newer_module_is_set_aside_with_its_own_notice(answers_dir):
    responses.sign_in("Ada").record(LESSON, "q1", "kept")
    newer = json.dumps({"format": "rwanda_edu.student", "schema_version": 2, "student": "Ada", "class": "S3"}).encode()
    (answers_dir / responses.POINTER).write_bytes(newer)
    _fresh_module_state()
    store = responses.current_store()
    assert store.path.name == responses.UNNAMED
    assert store.notice.startswith(f"Your sign-in {NEWER} It was kept as student.corrupt-")
    assert [p.read_bytes() for p in answers_dir.glob("student.corrupt-*.json")] == [newer]
    assert responses.sign_in("Ada").answers(LESSON) == {"q1": "kept"}


def test_a_bad_file_found_while_recording_is_set_aside_too(store):
    store.record(LESSON, "q1", "old")
    store.path.write_bytes(b"{not json")
    other = ResponseStore(store.path)
    other.record(LESSON, "q2", "new")
    assert other.notice and other.answers(LESSON) == {"q2": "new"}
    assert [p.read_bytes() for p in store.path.parent.glob("ada.corrupt-*.json")] == [b"{not json"]


def test_set_aside_files_never_replace_each_other(store):
    for n in range(3):
        store.path.write_bytes(b"junk %d" % n)
        ResponseStore(store.path).answers(LESSON)
    kept = sorted(p.read_bytes() for p in store.path.parent.glob("ada.corrupt-*.json"))
    assert kept == [b"junk 0", b"junk 1", b"junk 2"]


def test_temporary_files_of_a_killed_writer_are_removed(store):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    stale = store.path.parent / ".ada.json.x1y2.tmp"
    stale.write_bytes(b'{"half": ')
    unrelated = store.path.parent / ".other.json.x1y2.tmp"
    unrelated.write_bytes(b"keep")
    store.record(LESSON, "q1", "a")
    assert not stale.exists() and unrelated.exists()


# Names and sign-in


@pytest.mark.parametrize(
    "name, words",
    [
        ("", "it is empty"),
        ("   \t", "it is empty"),
        ("x" * 500, "500 characters long; please use at most 100"),
        ("ada/../../etc", "cannot contain '/'"),
        ("C:\\Users\\ada", "cannot contain '\\\\'"),
        ("ada..n", "cannot contain '..'"),
        ("ada\x07n", "control character (U+0007)"),
        ("ada\nnn", "control character (U+000A)"),
    ],
)
def test_unusable_names_get_a_clear_message(name, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        responses.validate_student_name(name)


def test_name_must_be_text():
    with pytest.raises(TypeError, match="name must be str, not NoneType"):
        responses.validate_student_name(None)


@pytest.mark.parametrize("name", ["Ada N.", "Uwase Mukamana", "Ngũgĩ wa Thiong'o", "مريم", "李华", "Jean-Paul", "x" * 100])
def test_names_in_any_script_are_welcome(name):
    assert responses.validate_student_name(f"  {name} ") == name


def test_sign_in_adopts_answers_given_before_it(answers_dir):
    before = responses.current_store()
    assert before.path == answers_dir / responses.UNNAMED and responses.current_student() is None
    before.record(LESSON, "q1", AWKWARD["emoji"])
    store = responses.sign_in(" Uwase Mukamana ")
    assert store.path.parent == answers_dir and re.fullmatch(r"uwase-mukamana-[0-9a-f]{6}\.json", store.path.name)
    assert store.answers(LESSON) == {"q1": AWKWARD["emoji"]} and store.student == "Uwase Mukamana"
    assert not (answers_dir / responses.UNNAMED).exists()
    _fresh_module_state()  # another notebook, or the kernel restarted
    assert responses.current_student() == "Uwase Mukamana"
    assert responses.current_store().answers(LESSON) == {"q1": AWKWARD["emoji"]}


def test_answers_recorded_unnamed_after_sign_in_are_adopted_later(answers_dir):
    responses.sign_in("Ada")
    late = ResponseStore(answers_dir / responses.UNNAMED)  # a notebook that missed the sign-in
    late.record(LESSON, "q2", "late")
    assert responses.current_store().answers(LESSON) == {"q2": "late"}


def test_adoption_keeps_the_later_of_two_answers(answers_dir):
    answers_dir.mkdir()
    unnamed = {"format": responses.FORMAT, "schema_version": 1, "student": None, "lessons": {LESSON: {
        "q1": {"answer": "old unnamed", "answered_at": "2020-01-01T00:00:00+00:00"},
        "q2": {"answer": "only unnamed", "answered_at": "2020-01-01T00:00:00+00:00"},
        "q3": {"answer": "newer unnamed", "answered_at": "2999-01-01T00:00:00+00:00"}}}}
    (answers_dir / responses.UNNAMED).write_text(json.dumps(unnamed))
    named = ResponseStore(answers_dir / f"{responses._slug('Ada')}.json")
    named.record(LESSON, "q1", "named")
    named.record(LESSON, "q3", "named")
    assert responses.sign_in("Ada").answers(LESSON) == {"q1": "named", "q2": "only unnamed", "q3": "newer unnamed"}


def test_names_get_their_own_files_and_case_does_not_matter(answers_dir):
    ada = responses.sign_in("Ada")
    assert responses.sign_in("ADA").path == ada.path
    assert responses.sign_in("Adà").path != ada.path
    assert responses.sign_in("مريم").path.name.startswith("student-")
    assert responses.current_student() == "مريم"


def test_a_bad_sign_in_record_is_set_aside_and_answers_stay_safe(answers_dir):
    responses.sign_in("Ada").record(LESSON, "q1", "kept")
    (answers_dir / responses.POINTER).write_bytes(b"\xff\xfe garbage")
    _fresh_module_state()
    store = responses.current_store()
    assert store.path.name == responses.UNNAMED and "sign-in could not be read" in store.notice
    assert responses.sign_in("Ada").answers(LESSON) == {"q1": "kept"}


def test_answers_dir_follows_the_environment(monkeypatch, tmp_path):
    assert responses.answers_dir() == tmp_path / "answers"
    monkeypatch.delenv(responses.ENV)
    monkeypatch.chdir(tmp_path)
    assert responses.answers_dir() == tmp_path / "answers"
    monkeypatch.setenv(responses.ENV, str(tmp_path / "elsewhere"))
    assert responses.answers_dir() == tmp_path / "elsewhere"


# Hand-in


def test_hand_in_writes_valid_json_and_an_escaped_page(answers_dir):
    store = responses.sign_in("Ada <b>N.")
    for kind, text in AWKWARD.items():
        store.record(LESSON, kind, text)
    store.record("04_hundred_days", "order", ["e2", "e1"])
    paths = hand_in()
    assert re.fullmatch(r"handin-ada-b-n-[0-9a-f]{6}-\d{8}-\d{6}\.json", paths.json_path.name)
    assert paths.html_path == paths.json_path.with_suffix(".html") and paths.json_path.parent == answers_dir
    doc = json.loads(paths.json_path.read_bytes())
    assert responses.validate_handin(doc) == []
    assert doc["format"] == "rwanda_edu.handin" and doc["student"] == "Ada <b>N."
    assert {q: e["answer"] for q, e in doc["lessons"][LESSON].items()} == AWKWARD
    page = paths.html_path.read_text(encoding="utf-8")  # valid UTF-8 even with the lone surrogate
    assert SCRIPT not in page and "<b>" not in page and "<script" not in page
    for kind in ("script", "emoji", "rtl", "quotes", "big"):
        assert escape(AWKWARD[kind]) in page
    assert escape(AWKWARD["surrogate"].replace("\ud83d", "\ufffd")) in page
    assert "Answers of Ada &lt;b&gt;N." in page
    assert page.index(LESSON) < page.index("04_hundred_days")
    assert escape(json.dumps(["e2", "e1"], indent=2)) in page  # unknown question: the raw answer


def test_hand_in_page_uses_the_question_bank(tmp_path, monkeypatch):
    bank = {"lesson": LESSON, "title": "The <withdrawal> cable", "questions": [
        {"id": "second", "type": "text", "prompt": "Why <i>withdraw</i>?"},
        {"id": "first", "type": "choice", "prompt": "Pick one", "multiple": False,
         "options": [{"id": "a", "text": "Option <A>", "correct": True}]}]}
    monkeypatch.setattr(_questions, "question_bank", lambda lesson: bank if lesson == LESSON else 1 / 0)
    store = ResponseStore(tmp_path / "s.json")
    store.set_student("Ada")
    store.record(LESSON, "first", "a")
    store.record(LESSON, "second", SCRIPT)
    page = hand_in(store, tmp_path / "out").html_path.read_text(encoding="utf-8")
    assert "The &lt;withdrawal&gt; cable" in page and "Why &lt;i&gt;withdraw&lt;/i&gt;?" in page
    assert "Option &lt;A&gt;" in page and escape(SCRIPT) in page
    assert page.index("Why &lt;i&gt;") < page.index("Pick one")  # the bank's order


def test_hand_in_needs_a_name(tmp_path):
    store = ResponseStore(tmp_path / "s.json")
    store.record(LESSON, "q1", "a")
    with pytest.raises(ValueError, match="sign in with your name"):
        hand_in(store)
    with pytest.raises(TypeError, match="store must be ResponseStore"):
        hand_in(str(store.path))


def _handin(**changes) -> dict:
    doc = {"format": "rwanda_edu.handin", "schema_version": 1, "student": "Ada", "handed_in_at":
           "2026-11-23T10:00:00+00:00", "lessons": {LESSON: {"q1": {"answer": ["a", {"b": 1}],
                                                                     "answered_at": "2026-11-23T09:00:00+00:00"}}}}
    return {**doc, **changes}


@pytest.mark.parametrize(
    "doc, words",
    [
        ([], "JSON list, not an object"),
        (_handin(format="rwanda_edu.answers"), "format is 'rwanda_edu.answers'"),
        (_handin(schema_version="1"), "schema_version is '1'"),
        (_handin(schema_version=True), "schema_version is True"),
        (_handin(student=None), "student is null, not text"),
        (_handin(student="a/b"), "student: Your name cannot contain '/'"),
        (_handin(student=" Ada"), "spaces around it"),
        (_handin(handed_in_at="yesterday"), "handed_in_at is 'yesterday'"),
        (_handin(handed_in_at="2026-11-23T10:00:00"), "with a time zone"),
        (_handin(score=100), "unknown field(s): score"),
        ({k: v for k, v in _handin().items() if k != "student"}, "missing field(s): student"),
        (_handin(lessons=[]), "lessons is a list"),
        (_handin(lessons={"../etc": {}}), "lesson id '../etc' is not valid"),
        (_handin(lessons={LESSON: []}), "a list, not an object"),
        (_handin(lessons={LESSON: {"Q 1": {"answer": "a", "answered_at": "2026-11-23T09:00:00+00:00"}}}),
         "question id 'Q 1'"),
        (_handin(lessons={LESSON: {"q1": {"answer": "a"}}}), f"lessons/{LESSON}/q1: missing field(s): answered_at"),
        (_handin(lessons={LESSON: {"q1": {"answer": "a", "answered_at": "2026-11-23T09:00:00+00:00",
                                          "score": 1}}}), f"lessons/{LESSON}/q1: unknown field(s): score"),
        (_handin(lessons={LESSON: {"q1": {"answer": "a", "answered_at": 5}}}), "answered_at is a number, not text"),
        (_handin(lessons={LESSON: {"q1": {"answer": "a", "answered_at": "5"}}}),
         "answered_at is '5'; expected an ISO 8601 time with a time zone"),
        (_handin(lessons={LESSON: {"q1": {"answer": float("inf"), "answered_at": "2026-11-23T09:00:00+00:00"}}}),
         "finite number"),
        (_handin(lessons={LESSON: {"q1": {"answer": [[[[[[[[[[1]]]]]]]]]], "answered_at": "2026-11-23T09:00:00+00:00"}}}),
         "nested more than"),
        (_handin(lessons={LESSON: {"q1": {"answer": ("a",), "answered_at": "2026-11-23T09:00:00+00:00"}}}),
         "not a plain JSON value"),
    ],
)
def test_validate_handin_names_each_problem(doc, words):
    assert responses.validate_handin(_handin()) == []
    problems = responses.validate_handin(doc)
    assert any(words in p for p in problems), problems


def test_validate_handin_reports_a_bounded_list():
    lessons = {f"{n:02d}_x": [] for n in range(60)}
    problems = responses.validate_handin(_handin(lessons=lessons))
    assert len(problems) == 21 and problems[-1] == "... and more"


def test_store_files_are_written_atomically_without_leftovers(store):
    store.record(LESSON, "q1", "a")
    assert sorted(os.listdir(store.path.parent)) == ["ada.json", "ada.json.lock"]
