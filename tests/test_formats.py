"""File formats: one schema per version, too-new and too-old files refused, older ones upgraded, today's files read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rwanda_edu import formats
from rwanda_edu.formats import FormatError, TooNewError, TooOldError
from rwanda_edu.formats._format import SCHEMAS, Format
from rwanda_edu.formats.assignment import hides_correctness, read_assignment

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize("fmt", formats.registered(), ids=lambda f: f.name)
def test_every_version_has_a_schema_that_names_its_format_and_version(fmt):
    for version in range(fmt.oldest, fmt.version + 1):
        schema = fmt.schema(version)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["properties"]["format"] == {"const": fmt.name}
        assert schema["properties"]["schema_version"] == {"const": version}
        assert {"format", "schema_version"} <= set(schema["required"])


def test_every_schema_file_belongs_to_a_format():
    owned = {f.schema_path(v).name for f in formats.registered() for v in range(f.oldest, f.version + 1)}
    assert {p.name for p in SCHEMAS.glob("*.json")} == owned


def test_the_formats_and_their_names():
    assert [f.name for f in formats.registered()] == [
        "rwanda_edu.answers", "rwanda_edu.assignment", "rwanda_edu.feedback", "rwanda_edu.handin",
        "rwanda_edu.marks", "rwanda_edu.student"]
    assert formats.get("rwanda_edu.handin") is formats.HANDIN
    with pytest.raises(ValueError, match=r"did you mean 'rwanda_edu.handin'\? Valid: rwanda_edu.answers"):
        formats.get("rwanda_edu.hand-in")


@pytest.mark.parametrize("fmt", formats.registered(), ids=lambda f: f.name)
def test_files_written_today_are_read_unchanged_and_written_back_the_same(fmt):
    raw = (FIXTURES / f"{fmt.short}.v1.json").read_bytes()
    doc = fmt.loads(raw)
    assert doc == json.loads(raw)
    assert fmt.loads(fmt.dumps(doc)) == doc


@pytest.mark.parametrize("fmt", formats.registered(), ids=lambda f: f.name)
def test_a_newer_or_older_file_is_refused_with_its_own_error(fmt):
    doc = json.loads((FIXTURES / f"{fmt.short}.v1.json").read_bytes())
    with pytest.raises(TooNewError, match=rf"schema_version is 2, but this version of the module reads {fmt.short} "
                                          "files up to version 1: update the module"):
        fmt.read({**doc, "schema_version": 2})
    with pytest.raises(TooOldError, match="schema_version is 0, older than this module can read"):
        fmt.read({**doc, "schema_version": 0})
    for version in ("1", True, None, 1.0):
        with pytest.raises(FormatError, match=r"schema_version is .*; expected 1"):
            fmt.read({**doc, "schema_version": version})
    with pytest.raises(FormatError, match=f"format is 'rwanda_edu.other'; expected '{fmt.name}'"):
        fmt.read({**doc, "format": "rwanda_edu.other"})
    assert not isinstance(FormatError("x"), (TooNewError, TooOldError))


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff\xfe", b"[" * 100_000, b"[1]", b"null"])
def test_bytes_that_are_not_a_document_raise_a_format_error(raw):
    with pytest.raises(FormatError):
        formats.ANSWERS.loads(raw)


def _versioned(tmp_path) -> Format:
    """A format of version 3 whose files of version 1 and 2 are upgraded (v1 named people "who")."""
    base = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "required": ["format", "schema_version"], "additionalProperties": False}
    for version, field in ((1, "who"), (2, "student"), (3, "students")):
        kind = {"type": "array", "items": {"type": "string"}} if version == 3 else {"type": "string"}
        schema = {**base, "properties": {"format": {"const": "rwanda_edu.toy"}, "schema_version": {"const": version},
                                         field: kind}}
        (tmp_path / f"toy.v{version}.json").write_text(json.dumps(schema), encoding="utf-8")

    def rename(doc):
        doc = {**doc, "schema_version": 2}
        if "who" in doc:
            doc["student"] = doc.pop("who")
        return doc

    def listing(doc):
        doc = {**doc, "schema_version": 3}
        if "student" in doc:
            doc["students"] = [doc.pop("student")]
        return doc

    return Format("rwanda_edu.toy", 3, upgraders={1: rename, 2: listing}, schemas=tmp_path, register=False)


def test_older_versions_are_upgraded_step_by_step(tmp_path):
    toy = _versioned(tmp_path)
    assert toy.oldest == 1
    assert toy.read({"format": "rwanda_edu.toy", "schema_version": 1, "who": "Ada"}) == {
        "format": "rwanda_edu.toy", "schema_version": 3, "students": ["Ada"]}
    assert toy.read({"format": "rwanda_edu.toy", "schema_version": 2, "student": "Ada"})["students"] == ["Ada"]
    with pytest.raises(FormatError, match="unknown field"):  # an old file is checked against its own version
        toy.read({"format": "rwanda_edu.toy", "schema_version": 1, "student": "Ada"})
    with pytest.raises(TooOldError):
        toy.read({"format": "rwanda_edu.toy", "schema_version": 0})


def test_a_version_without_an_upgrader_is_too_old(tmp_path):
    toy = _versioned(tmp_path)
    partial = Format("rwanda_edu.toy", 3, upgraders={2: toy.upgraders[2]}, schemas=tmp_path, register=False)
    assert partial.oldest == 2
    with pytest.raises(TooOldError, match=r"\(toy files of version 2 to 3\)"):
        partial.read({"format": "rwanda_edu.toy", "schema_version": 1, "who": "Ada"})


def test_a_format_name_is_defined_once():
    with pytest.raises(ValueError, match="defined twice"):
        Format("rwanda_edu.answers", 1)


# assignment.json: the teacher's and the student's side read it through the same code

def _assignment(tmp_path, **changes) -> Path:
    doc = {**json.loads((FIXTURES / "assignment.v1.json").read_text(encoding="utf-8")), **changes}
    doc = {k: v for k, v in doc.items() if v is not None}
    path = tmp_path / "assignment.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(("changes", "words"), [
    ({"lessons": None}, "missing field(s): lessons"),
    ({"count": None}, "missing field(s): count"),
    ({"lessons": None, "count": None}, "missing field(s): lessons, count"),
    ({"count": "03_withdrawal_cable/cable-date"}, "count is text, not a list"),
    ({"lessons": []}, "lessons is empty"),
    ({"due": "1 December"}, "due is '1 December'; expected a date YYYY-MM-DD"),
    ({"lessons": ["../x"]}, "lesson id (lessons/0) is not valid"),
    ({"extra": 1}, "unknown field(s): extra"),
    ({"schema_version": 7}, "update the module"),
])
def test_a_malformed_assignment_names_what_is_wrong(tmp_path, changes, words):
    path = _assignment(tmp_path, **changes)
    with pytest.raises(FormatError) as error:
        read_assignment(path)
    assert str(error.value).startswith(f"{path} is not a valid assignment file: ")
    assert words in str(error.value)


def test_a_valid_assignment_sets_what_students_see(tmp_path):
    assert read_assignment(_assignment(tmp_path))["hide_correctness"] is False
    assert hides_correctness(tmp_path) is False
    _assignment(tmp_path, hide_correctness=True)
    assert hides_correctness(tmp_path) is True
    assert hides_correctness(tmp_path / "nowhere") is False


# The quick check of the answers file and the hand-in: yes only for documents the schema accepts

TIME = "2026-11-23T10:00:00+00:00"
ODD_VALUES = ["", "a" * 101, "abc\n", "03_lesson_one", "why-withdraw", "Why", "why--withdraw", "a" * 41, "a" * 40,
              TIME, "2026-11-23T10:00:00", "2026-13-01T00:00:00Z", "2026-11-23", 1, 1.0, 0, True, None, [], {},
              {"answer": 1, "answered_at": TIME}, {"answer": 1}, {"answer": 1, "answered_at": TIME, "score": 2},
              {"why-withdraw": {"answer": "x", "answered_at": TIME}}, "rwanda_edu.handin", "rwanda_edu.answers"]


def _paths(node, path=()):
    """Every (path to a container, key) in ``node``."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        yield path, key
        yield from _paths(value, (*path, key))


def _mutated(doc: dict, data) -> dict:
    doc = json.loads(json.dumps(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        path, key = paths[data.draw(st.integers(0, len(paths) - 1))]
        container = doc
        for step in path:
            container = container[step]
        action = data.draw(st.sampled_from(["replace", "delete", "rename", "add"]))
        value = json.loads(json.dumps(data.draw(st.sampled_from(ODD_VALUES) | st.text(max_size=12))))  # a copy
        if action == "replace":
            container[key] = value
        elif isinstance(container, dict) and action == "delete":
            del container[key]
        elif isinstance(container, dict) and isinstance(value, str):
            if action == "rename":
                container[value] = container.pop(key)
            else:
                container[value] = json.loads(json.dumps(container[key]))
    return doc


def _schema_accepts(fmt: Format, doc: dict) -> bool:
    from rwanda_edu.formats._format import _describer, _fast_check

    try:
        _fast_check(fmt.schema_path())(doc)
        return True
    except Exception:
        return not any(True for _ in _describer(fmt.schema_path()).iter_errors(doc))


@pytest.mark.parametrize("fmt", [formats.ANSWERS, formats.HANDIN], ids=lambda f: f.name)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_quick_check_says_yes_only_to_what_the_schema_accepts(fmt, data):
    from rwanda_edu.formats.answers import _fits

    doc = json.loads((FIXTURES / f"{fmt.short}.v1.json").read_bytes())
    doc["lessons"]["08_capstone"] = {"final-claim": {"answer": {"verdict": "partly", "reasoning": "…"},
                                                     "answered_at": TIME}, "plan": {"answer": "", "answered_at": TIME}}
    assert _fits(fmt, doc) and _schema_accepts(fmt, doc)
    changed = _mutated(doc, data)
    if _fits(fmt, changed):
        assert _schema_accepts(fmt, changed), changed


def test_demo_hand_ins_pass_the_quick_check(tmp_path):
    """Valid hand-ins take the quick path (collect reads a class of them), and the problems are still found."""
    from rwanda_edu.formats.answers import _fits
    from rwanda_edu.teacher import make_demo_class

    make_demo_class(tmp_path, 5, seed=3)
    for path in sorted(tmp_path.glob("*.json")):
        doc = json.loads(path.read_bytes())
        assert _fits(formats.HANDIN, doc), path.name
        assert formats.HANDIN.problems(doc) == []
        lesson, entries = next(iter(doc["lessons"].items()))
        question, entry = next(iter(entries.items()))
        entry["answered_at"] = "2026-11-23T10:00:00"
        assert not _fits(formats.HANDIN, doc)
        assert formats.HANDIN.problems(doc) == [
            f"lessons/{lesson}/{question}/answered_at is '2026-11-23T10:00:00'; expected an ISO 8601 time with a time "
            "zone"]


@pytest.mark.parametrize("fmt", [formats.ANSWERS, formats.HANDIN], ids=lambda f: f.name)
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_the_quick_check_agrees_with_the_schema_on_each_field(fmt, value):
    from rwanda_edu.formats.answers import _fits

    def doc() -> dict:
        return json.loads((FIXTURES / f"{fmt.short}.v1.json").read_bytes())

    entry = {"answer": [1], "answered_at": TIME}
    cases = [{**doc(), field: value} for field in doc()]
    if isinstance(value, str):
        cases += [{**doc(), "lessons": {value: {"why-withdraw": entry}}},
                  {**doc(), "lessons": {"03_withdrawal_cable": {value: entry}}}]
    cases += [{**doc(), "lessons": {"03_withdrawal_cable": {"why-withdraw": value}}},
              {**doc(), "lessons": {"03_withdrawal_cable": {"why-withdraw": {**entry, "answered_at": value}}}},
              {**doc(), "lessons": {"03_withdrawal_cable": value}}]
    for case in cases:  # the version is checked before the schema: 1.0 passes the schema's "const": 1
        assert _fits(fmt, case) == (_schema_accepts(fmt, case) and fmt._version(case) == 1), case
