"""Shared test set-up: every test writes answers into its own temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from rwanda_edu._jsonschema import jsonschema

ROOT = Path(__file__).resolve().parent.parent

# Load jsonschema without its URI grammar (seconds to build) before a test module imports nbformat;
# `make test-unit` leaves out the nbval plugin, which would import nbformat first.
jsonschema()


@pytest.fixture(autouse=True)
def answers_dir(tmp_path, monkeypatch) -> Path:
    """A fresh answers folder per test, so no test sees another's answers or the user's."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("RWANDA_EDU_ANSWERS", str(folder))
    monkeypatch.delenv("RWANDA_EDU_HIDE_CORRECTNESS", raising=False)
    return folder
