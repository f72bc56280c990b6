"""The rwanda-edu command: argument handling, lab's command line, check."""
from __future__ import annotations

import json
import sys
from importlib import metadata

import jupyter_core.paths
import pytest

from rwanda_edu import cli
from rwanda_edu.teacher import _check
from rwanda_edu.teacher._lessons import START, find_lessons


def test_console_script_points_at_main():
    scripts = {ep.name: ep.value for ep in metadata.entry_points(group="console_scripts")}
    assert scripts["rwanda-edu"] == "rwanda_edu.cli:main"


def test_lab_opens_the_start_notebook(monkeypatch):
    lessons = find_lessons()
    argv = cli.lab_argv(lessons)
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={lessons}" in argv
    assert str(lessons / f"{START}.ipynb") in argv
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda argv: calls.append(argv) or 0)
    assert cli.main(["lab", "--lessons", str(lessons)]) == 0
    assert calls == [cli.lab_argv(lessons.resolve())]


def test_lab_without_lessons_says_what_to_do(tmp_path, capsys):
    assert cli.main(["lab", "--lessons", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "--lessons DIR" in err and START in err


@pytest.mark.parametrize("argv", [[], ["grade"], ["collect"], ["demo-class", "x", "--students", "many"]])
def test_usage_errors_exit_2_and_name_choices(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    if argv == ["grade"]:
        assert "invalid choice: 'grade'" in err and "collect" in err and "demo-class" in err


def test_check_passes_here(capsys):
    status = cli.main(["check"])
    out = capsys.readouterr().out
    for name in ("Python", "jupyterlab", "ipywidgets", "plotly", "pandas", "jupyterlab-plotly",
                 "@jupyter-widgets/jupyterlab-manager", "Data package", "Lessons", "Answers folder"):
        assert name in out
    assert status == (0 if "Ready for class." in out else 1)


def test_check_reports_failures_with_advice(tmp_path, monkeypatch, capsys):
    real_version = metadata.version
    monkeypatch.setattr(_check.metadata, "version", lambda name: "1.0" if name == "pandas" else real_version(name))
    config = tmp_path / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"jupyterlab-plotly": True}}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    assert cli.main(["check", "--lessons", str(tmp_path / "nowhere")]) == 1
    out = capsys.readouterr().out
    assert "FAIL  pandas: 1.0 (needs >=" in out
    assert "jupyter labextension enable jupyterlab-plotly" in out
    assert "FAIL  Lessons" in out and "--lessons DIR" in out
    assert out.count("What to do:") >= 3


def test_check_answers_folder_not_writable(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RWANDA_EDU_ANSWERS", str(blocked / "answers"))
    check = _check._answers(None)
    assert not check.ok and "RWANDA_EDU_ANSWERS" in check.advice


def test_check_reports_a_missing_anywidget_and_its_lab_extension(tmp_path, monkeypatch, capsys):
    real_version, real_path = metadata.version, jupyter_core.paths.jupyter_path

    def version(name):
        if name == "anywidget":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    labextensions = tmp_path / "labextensions"  # the other two extensions, without anywidget's
    for name in ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly"):
        (labextensions / name).mkdir(parents=True)
        (labextensions / name / "package.json").write_text(json.dumps({"name": name, "version": "1.0"}), encoding="utf-8")
    monkeypatch.setattr(_check.metadata, "version", version)
    monkeypatch.setattr(jupyter_core.paths, "jupyter_path",
                        lambda *parts: [str(labextensions)] if parts == ("labextensions",) else real_path(*parts))
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  anywidget: not installed" in out
    assert "FAIL  JupyterLab extension anywidget: not installed" in out
    assert "OK    JupyterLab extension jupyterlab-plotly: 1.0, enabled" in out
    assert ("What to do: Without it, JupyterLab cannot display the questions (their keyboard support uses it) "
            "('Error displaying widget' or an empty output). Reinstall the package that ships it: "
            "pip install --force-reinstall anywidget; then restart JupyterLab.") in out
