"""The public API is static for type checkers: the stub and the module agree, names mean one thing."""
from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest

import rwanda_edu
from rwanda_edu import _datasets
from rwanda_edu._lesson import Lesson

from .conftest import ROOT

STUB = Path(rwanda_edu.__file__).with_suffix(".pyi")


def stub() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def stub_all() -> list[str]:
    for node in stub().body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("the stub has no __all__")


def test_stub_and_module_export_the_same_names():
    assert stub_all() == rwanda_edu.__all__ == sorted(rwanda_edu.__all__)
    static = {"cite", "describe", "list_datasets", "list_documents", "load", "load_document", "split_ids"}
    assert set(rwanda_edu.__all__) == static | set(_datasets.LOADERS) | set(rwanda_edu._LAZY)
    assert sorted(dir(rwanda_edu)) == sorted(rwanda_edu.__all__)


def test_every_stub_import_is_the_runtime_object():
    for node in stub().body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            module = importlib.import_module(f"rwanda_edu.{node.module}")
            for alias in node.names:
                assert alias.asname == alias.name, "re-export with `import x as x`"
                assert getattr(rwanda_edu, alias.name) is getattr(module, alias.name), alias.name


def test_every_loader_is_declared_in_the_stub():
    declared = {node.name for node in stub().body if isinstance(node, ast.FunctionDef)}
    assert declared == set(_datasets.LOADERS)
    for name in declared:
        assert getattr(rwanda_edu, name) is _datasets.LOADERS[name]


def test_version_comes_from_the_package_metadata():
    assert rwanda_edu.__version__ == version("rwanda_edu")


def test_lesson_methods_spell_out_their_keywords():
    from rwanda_edu._map import places_map
    from rwanda_edu._timeline import timeline

    def keywords(function) -> list[str]:
        return [p for p in inspect.signature(function).parameters if p != "self"]

    assert keywords(Lesson.timeline) == keywords(timeline) == ["categories", "actors", "start", "end"]
    assert keywords(Lesson.map) == keywords(places_map) == ["highlight", "kinds"]


def test_no_name_means_two_things():
    """``rwanda_edu.sign_in``/``hand_in`` act on the store; the Lesson's widgets have their own names."""
    assert not hasattr(Lesson, "sign_in") and not hasattr(Lesson, "hand_in")
    assert callable(Lesson.sign_in_box) and callable(Lesson.hand_in_button)
    from rwanda_edu import _handin, responses
    from rwanda_edu.teacher import _collect

    assert rwanda_edu.sign_in is responses.sign_in and rwanda_edu.hand_in is _handin.hand_in
    assert not hasattr(responses, "HandIn") and not hasattr(_collect, "Handin")


@pytest.mark.slow
def test_type_checkers_see_the_public_api(tmp_path):
    """mypy sees real types for the lazy and generated names, and catches a misspelt one."""
    probe = tmp_path / "probe.py"
    probe.write_text(textwrap.dedent("""
        import rwanda_edu
        from rwanda_edu import Lesson
        reveal_type(rwanda_edu.load_events())
        reveal_type(Lesson("x").timeline)
        reveal_type(rwanda_edu.sign_in)
        rwanda_edu.load_evnts()
    """), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", os.devnull, "--ignore-missing-imports",
         "--follow-imports=silent", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(probe)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    lines = done.stdout.splitlines()
    assert 'Revealed type is "pandas.core.frame.DataFrame"' in lines[0]
    assert "categories: str | typing.Iterable[str] | None" in lines[1] and "rwanda_edu._timeline.Timeline" in lines[1]
    assert "-> rwanda_edu.responses.ResponseStore" in lines[2]
    assert 'Module has no attribute "load_evnts"; maybe "load_events"?' in lines[3]
