"""Every lesson executes with the network cut off (a new network namespace with only loopback)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

RUNNER = r"""
import socket, sys, pathlib, tempfile, nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    sys.exit("the network is still reachable: this run would prove nothing")
except OSError:
    pass
failed = []
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    try:
        # kernel channels over local socket files: no TCP port to race for
        km = KernelManager(kernel_name="python3", transport="ipc", ip=tempfile.mktemp(prefix="kernel-"))
        NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
    except Exception as error:
        failed.append(f"{path.name}: {type(error).__name__}: {str(error)[-500:]}")
    else:
        print("ok", path.name, flush=True)
print("\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _offline_prefix() -> list[str]:
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("needs `unshare` (util-linux) and `ip` (iproute2) to cut the network off")
    prefix = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-r", "-n"]
    probe = subprocess.run([*prefix, "ip", "link", "set", "lo", "up"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"this system forbids a private network namespace: {probe.stderr.strip()}")
    return prefix


def test_every_lesson_executes_offline(tmp_path):
    prefix = _offline_prefix()
    lessons = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", lessons, ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    env = {**os.environ, "RWANDA_EDU_ANSWERS": str(tmp_path / "answers")}
    script = f'ip link set lo up && exec "{sys.executable}" -c "$0" "$1"'
    result = subprocess.run([*prefix, "sh", "-c", script, RUNNER, str(lessons)],
                            capture_output=True, text=True, env=env, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("ok ") == len(list(lessons.rglob("*.ipynb")))
