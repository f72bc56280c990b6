"""The set-up promises: two commands, Binder pins matching the package, CI calling the README's command."""
from __future__ import annotations

import re
import sys

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_binder_pins_every_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed = {_name(r) for r in project["dependencies"] if "python_version <" not in r}
    pins = {}
    for line in (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert "==" in line, f"binder/requirements.txt should pin exact versions: {line}"
            pins[_name(line)] = line
    assert needed <= set(pins), f"not pinned for Binder: {sorted(needed - set(pins))}"
    assert (ROOT / "binder" / "postBuild").read_text().count("pip install") == 1


def test_readme_shows_the_two_commands_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make lab", "make test"]
    assert "labpath=lessons%2F00_start_here.ipynb" in readme


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci and ci.rstrip().endswith("make test")
