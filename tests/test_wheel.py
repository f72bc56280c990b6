"""The wheel carries the datasets: built from the repo, installed outside it, every dataset loads."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow  # builds and installs the wheel

CHECK = """
import rwanda_edu, pathlib, sys
assert "site-packages" in rwanda_edu.__file__, rwanda_edu.__file__
for name in rwanda_edu.list_datasets():
    assert len(rwanda_edu.load(name)) > 0, name
for doc in rwanda_edu.list_documents():
    assert rwanda_edu.load_document(doc).paragraphs, doc
from rwanda_edu import _questions
for lesson in _questions.list_banks():
    _questions.question_bank(lesson)
from rwanda_edu import _rubric, formats
assert _rubric.criterion_ids("capstone") and formats.MARKS.schema()["title"] and formats.FEEDBACK.schema()["title"]
print("ok", len(rwanda_edu.list_datasets()))
"""


def run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args[:3]} failed:\n{result.stderr[-3000:]}"
    return result


def test_wheel_installed_outside_the_repo_loads_every_dataset(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(dist))
    (wheel,) = dist.glob("rwanda_edu-*.whl")

    env_dir = tmp_path / "env"
    run(sys.executable, "-m", "venv", "--without-pip", str(env_dir))
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    run(sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, str(wheel))
    # The dependencies come from the test environment, read as a plain path (its editable hook is not run).
    with open(os.path.join(site, "dependencies.pth"), "w", encoding="utf-8") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")

    out = run(str(python), "-c", CHECK, cwd=tmp_path).stdout
    assert out.startswith("ok")
