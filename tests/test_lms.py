"""export: grade files that Canvas and Moodle import as they are, matched to a class list."""
from __future__ import annotations

import csv
import re

import pytest

from rwanda_edu.cli import main
from rwanda_edu.teacher import collect, make_demo_class
from rwanda_edu.teacher._lms import CANVAS_COLUMNS, CANVAS_POINTS_ROW, export_grades


def rows_of(path, bom=False):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lms")
    make_demo_class(folder / "handins", 10)
    collect(folder / "handins", folder / "results")
    return folder / "results"


@pytest.fixture
def students(results):
    with open(results / "gradebook.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def roster(path, names, *, extra=()):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Login", "Email", "Section", "ID"])
        for i, name in enumerate(names):
            writer.writerow([name, f"s{i:03d}", f"s{i:03d}@school.example", "History 10A", str(1000 + i)])
        writer.writerows(extra)
    return path


def test_canvas_follows_the_gradebook_import_rules(results, students, tmp_path):
    path = roster(tmp_path / "roster.csv", list(students))
    out = tmp_path / "canvas.csv"
    assert main(["export", str(results), "--format", "canvas", "--roster", str(path), "--out", str(out)]) == 0
    rows = rows_of(out)
    # the identity columns, in Canvas's order, then one assignment column
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] == CANVAS_COLUMNS
    assert len(rows[0]) == 6 and rows[0][5]
    # the points-possible row of Canvas's own export, read-only for the identity columns
    assert rows[1] == [CANVAS_POINTS_ROW, "", "", "", "", "100"]
    body = rows[2:]
    assert len(body) == len(students)
    for row in body:
        assert len(row) == 6
        assert re.fullmatch(r"s\d{3}", row[3]) and row[1].isdigit()  # each student found by login and id
        assert 0 <= float(row[5]) <= 100
        assert row[5] == students[row[0]]["percent"]


def test_moodle_has_an_identifier_column_and_one_grade_item(results, students, tmp_path):
    path = roster(tmp_path / "roster.csv", list(students))
    out = tmp_path / "moodle.csv"
    assert main(["export", str(results), "--format", "moodle", "--roster", str(path), "--out", str(out)]) == 0
    rows = rows_of(out)
    assert rows[0] == ["Full name", "Username", "Email address", rows[0][3]]
    emails = [row[2] for row in rows[1:]]
    assert len(set(emails)) == len(emails) == len(students)  # one row per user, mapped by e-mail
    assert all(re.fullmatch(r"s\d{3}@school\.example", e) for e in emails)  # exactly as on the class list
    assert all(0 <= float(row[3]) <= 100 for row in rows[1:])


def test_names_that_match_no_one_are_reported_with_close_matches(results, students, tmp_path, capsys):
    names = list(students)
    typo = names[0].replace("demo", "dmeo")
    path = roster(tmp_path / "roster.csv", [typo, *names[1:]], extra=[["Absent Student", "s900", "s900@school.example", "", ""]])
    out = tmp_path / "grades.csv"
    assert main(["export", str(results), "--format", "csv", "--roster", str(path), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert f"{names[0]!r} (did you mean {typo!r}" in printed
    assert "No hand-in collected for: " in printed and "Absent Student" in printed
    rows = rows_of(out, bom=True)
    assert len(rows) == len(names)  # header + every matched student; the unmatched one left out
    assert names[0] not in {row[0] for row in rows}


@pytest.mark.parametrize("content, message", [
    ("who,mark\nA,1\n", "missing column(s) name, login, email"),
    ("name,login,email\n,s1,a@b.example\n", "row 2: the name is empty"),
    ("name,login,email\nAda,s1,not-an-email\n", "row 2: 'not-an-email' is not an e-mail address"),
    ("name,login,email\nAda,s1,a@b.example\n ada ,s2,c@d.example\n", "row 3: 'ada' is already in row 2"),
])
def test_a_bad_class_list_is_refused(results, tmp_path, capsys, content, message):
    path = tmp_path / "roster.csv"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "grades.csv"
    assert main(["export", str(results), "--format", "canvas", "--roster", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_canvas_needs_a_login_for_everyone(results, students, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(f"name,login,email\n{next(iter(students))},,x@y.example\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Canvas finds students by their login"):
        export_grades(results, "canvas", path, tmp_path / "out.csv")
