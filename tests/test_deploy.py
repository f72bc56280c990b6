"""docs/deploy: the Zero to JupyterHub config parses and names only keys of the chart's values schema;
the recipes name only commands and options the module has."""
from __future__ import annotations

import re

import pytest
import yaml

from rwanda_edu.cli import build_parser

from .conftest import ROOT

DEPLOY = ROOT / "docs" / "deploy"
KEYS = ROOT / "tests" / "fixtures" / "z2jh_values_keys.txt"


def chart_keys() -> set[str]:
    return {line.strip() for line in KEYS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}


def key_paths(node, prefix: str = ""):
    """Every mapping key path in ``node``; lists are values (the chart passes them on as they are)."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from key_paths(value, path)


def allowed(path: str, keys: set[str]) -> bool:
    if path in keys:
        return True
    parts = path.split(".")
    return any(".".join(parts[:n]) + ".*" in keys for n in range(1, len(parts)))


def test_config_names_only_chart_keys():
    config = yaml.safe_load((DEPLOY / "z2jh" / "config.yaml").read_text(encoding="utf-8"))
    keys = chart_keys()
    paths = list(key_paths(config))
    assert len(paths) > 40
    unknown = [p for p in paths if not allowed(p, keys)]
    assert unknown == []
    # what the recipe promises: the exchange volume, the image, nbgitpuller's default, idle culling
    assert config["singleuser"]["extraEnv"]["RWANDA_EDU_EXCHANGE"] == config["singleuser"]["storage"][
        "extraVolumeMounts"][0]["mountPath"]
    assert config["cull"]["enabled"] is True and config["cull"]["timeout"] > 0
    assert config["singleuser"]["image"]["name"]


def test_key_check_can_fail():
    keys = chart_keys()
    assert not allowed("singleuser.extraEnvironment", keys)
    assert not allowed("cull.idleTimeout", keys)
    assert allowed("hub.config.GenericOAuthenticator.client_id", keys)  # hub.config takes any traitlets class


def test_extra_config_is_python():
    config = yaml.safe_load((DEPLOY / "z2jh" / "config.yaml").read_text(encoding="utf-8"))
    for name, code in config["hub"]["extraConfig"].items():
        compile(code, name, "exec")


@pytest.mark.parametrize("page", ["tljh.md", "z2jh/README.md", "README.md"])
def test_recipes_use_real_commands_and_options(page):
    text = (DEPLOY / page).read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for line in re.findall(r"rwanda-edu ([a-z-]+)([^\n`|]*)", text):
        command, rest = line
        assert command in commands, command
        options = {o for action in commands[command]._actions for o in action.option_strings}
        for option in re.findall(r"(--[a-z-]+)", rest):
            assert option in options, f"{command} {option}"
