"""Shared test set-up: every test writes answers into its own temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def answers_dir(tmp_path, monkeypatch) -> Path:
    """A fresh answers folder per test, so no test sees another's answers or the user's."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("RWANDA_EDU_ANSWERS", str(folder))
    monkeypatch.delenv("RWANDA_EDU_HIDE_CORRECTNESS", raising=False)
    return folder
