"""Fault tests of the answer store through real processes.

- A writer recording answers is killed with SIGKILL at random moments, over
  ``$RWANDA_EDU_FAULT_CYCLES`` cycles (default 200): the store must always be readable
  and hold every answer whose ``record()`` had returned (the writer acknowledges each one).
  The writer says "begin" before each ``record()`` and "ack" after it, so the test counts
  the kills that interrupted a write, and requires at least half of them to have done so.
- 2 and 4 processes record into one store at once: no answer is lost.
- A question widget is killed right after its status says an answer is saved (its writes go through
  the store's writer thread, on a slowed disk): the answer is on disk.

Writers are forked from one long-lived Python process that has already imported the
package, so a cycle costs a fork, not a Python start-up.
"""
from __future__ import annotations

import inspect
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from rwanda_edu import responses
from rwanda_edu.formats import ANSWERS
from rwanda_edu.responses import ResponseStore

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork and SIGKILL (POSIX)"),
              pytest.mark.slow]  # kills writers many times

CYCLES = int(os.environ.get("RWANDA_EDU_FAULT_CYCLES", "200"))
LESSON = "03_withdrawal_cable"
TEXT = "Amahoro <script>alert(1)</script> 🕊️ שלום \"quoted\"\n"
ESSAY = "Umuryango n'amahoro; ubumwe. " * 3500  # about 100 KB, rewritten with every record


def answer(qid: str) -> str:
    return f"{qid}: {TEXT}"


WRITER = f"""
import json, os, sys
from rwanda_edu.responses import ResponseStore

TEXT = {TEXT!r}
{inspect.getsource(answer)}

def records(path, prefix, count):
    store = ResponseStore(path)  # created after the fork: nothing shared with the parent
    i = 0
    while count is None or i < count:
        qid = f"{{prefix}}-{{i}}"
        os.write(1, f"begin {{qid}}\\n".encode())
        store.record({LESSON!r}, qid, answer(qid))
        os.write(1, f"ack {{qid}}\\n".encode())  # one write: lines from several writers never mix
        i += 1

for line in sys.stdin:
    cmd = json.loads(line)
    pids, (go, ready) = [], os.pipe()
    for w in range(cmd["writers"]):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(ready)
                os.read(go, 1)  # wait until the parent has announced the pids
                records(cmd["path"], f"{{cmd['prefix']}}-w{{w}}", cmd["count"])
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    os.write(1, ("pids " + " ".join(map(str, pids)) + "\\n").encode())
    os.close(ready)
    os.close(go)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    os.write(1, ("done " + " ".join(map(str, codes)) + "\\n").encode())
"""


class Writers:
    """The long-lived process that forks writers on request and reports their acknowledgements."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WRITER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def start(self, path, prefix: str, writers: int = 1, count: int | None = None) -> list[int]:
        self.proc.stdin.write(json.dumps({"path": str(path), "prefix": prefix, "writers": writers,
                                          "count": count}) + "\n")
        self.proc.stdin.flush()
        return [int(p) for p in self._line("pids").split()]

    def ack(self) -> str:
        """The question id of the next acknowledged answer."""
        while True:
            kind, qid = self._line("begin", "ack").split()
            if kind == "ack":
                return qid

    def finish(self) -> tuple[list[str], list[str], list[int]]:
        """The question ids acknowledged, those begun but never acknowledged, and the writers' exit codes."""
        acked, begun = [], []
        while True:
            kind, *rest = self._line("begin", "ack", "done").split()
            if kind == "done":
                return acked, [qid for qid in begun if qid not in acked], [int(c) for c in rest]
            (acked if kind == "ack" else begun).append(rest[0])

    def _line(self, *kinds: str) -> str:
        line = self.proc.stdout.readline()
        if not line.startswith(kinds):
            raise RuntimeError(f"writer process said {line!r}; expected a line starting with {kinds}")
        return line.removeprefix(kinds[0]).strip() if len(kinds) == 1 else line.strip()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def writers():
    w = Writers()
    yield w
    w.close()


def _check_store(path) -> dict:
    """The store's answers, after checking the file parses and is valid without any repair."""
    doc = json.loads(path.read_bytes())
    assert ANSWERS.problems(doc) == []
    store = ResponseStore(path)
    answers = store.answers(LESSON)
    assert store.notice is None
    return answers


def test_sigkill_at_random_moments_loses_no_acknowledged_answer(writers, tmp_path):
    path = tmp_path / "student.json"
    ResponseStore(path).record(LESSON, "essay", ESSAY)
    rng = random.Random(1994)
    acked_total, in_flight_saved, mid_write, started = 0, 0, 0, time.perf_counter()
    record_time = 0.005  # running estimate, so that kills land inside a record() on any machine
    for cycle in range(CYCLES):
        (pid,) = writers.start(path, f"c{cycle}")
        acked, last = [], time.perf_counter()
        for _ in range(rng.randrange(4)):  # let 0-3 records finish, then kill during the next one
            acked.append(writers.ack())
            now = time.perf_counter()
            record_time, last = 0.8 * record_time + 0.2 * (now - last), now
        time.sleep(rng.uniform(0, 1.5 * record_time))
        os.kill(pid, signal.SIGKILL)
        more, in_flight, codes = writers.finish()
        acked += more
        assert codes == [-signal.SIGKILL]
        assert len(in_flight) <= 1  # the writer records one answer at a time
        answers = _check_store(path)
        assert answers["essay"] == ESSAY
        lost = [qid for qid in acked if answers.get(qid) != answer(qid)]
        assert lost == [], f"cycle {cycle}: acknowledged answers lost: {lost}"
        extra = sorted(q for q in answers if q.startswith(f"c{cycle}-") and q not in acked)
        assert set(extra) <= set(in_flight), f"cycle {cycle}: saved answers that were never begun: {extra}"
        if in_flight:
            assert answers.get(in_flight[0]) in (None, answer(in_flight[0]))  # all of the new answer, or none
        acked_total += len(acked)
        in_flight_saved += len(extra)
        mid_write += bool(in_flight)
    elapsed = time.perf_counter() - started
    assert mid_write >= CYCLES / 2, f"only {mid_write} of {CYCLES} kills landed inside a record()"
    assert list(tmp_path.glob("*.corrupt-*")) == []
    assert len(list(tmp_path.glob(".student.json.*.tmp"))) <= 1  # at most the last killed writer's
    print(f"\n{CYCLES} SIGKILL cycles in {elapsed:.2f} s ({elapsed / CYCLES * 1000:.1f} ms/cycle): "
          f"{mid_write} kills inside a record(); {acked_total} acknowledged answers, 0 lost; "
          f"{in_flight_saved} unacknowledged in-flight answers saved; "
          f"record() took about {record_time * 1000:.1f} ms")


@pytest.mark.parametrize("count", [2, 4])
def test_processes_recording_at_once_lose_nothing(writers, tmp_path, count):
    path = tmp_path / "student.json"
    per_writer, started = 40, time.perf_counter()
    writers.start(path, "p", writers=count, count=per_writer)
    acked, in_flight, codes = writers.finish()
    elapsed = time.perf_counter() - started
    assert codes == [0] * count and in_flight == []
    assert len(acked) == count * per_writer
    answers = _check_store(path)
    assert sorted(answers) == sorted(acked)
    assert all(answers[qid] == answer(qid) for qid in acked)
    print(f"\n{count} processes x {per_writer} answers in {elapsed:.2f} s, 0 lost")


SHOWN_SAVED = """
import os, sys, time
from rwanda_edu import responses
from rwanda_edu.widgets import ask

real_write = responses._write_atomic
def slow_write(path, data):  # a slow disk: an answer shown as saved too early would not be on it yet
    time.sleep(0.05)
    real_write(path, data)
responses._write_atomic = slow_write

widget = ask("00_start_here", "practice-wonder")
for i in range(1, 10_000):
    widget.text.value = f"answer {i}"
    widget.save()  # at once, not after the typing pause
    while "saved" not in widget.status.value:  # the status says saved only once the answer is on disk
        time.sleep(0.001)
    os.write(1, f"shown saved {i}\\n".encode())
"""


def test_an_answer_shown_as_saved_survives_a_kill(tmp_path):
    """The widget redraws before the answer is written; once its status says "saved", SIGKILL loses nothing."""
    rng = random.Random(7)
    for cycle in range(3):
        folder = tmp_path / f"answers-{cycle}"
        child = subprocess.Popen([sys.executable, "-c", SHOWN_SAVED], stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "RWANDA_EDU_ANSWERS": str(folder)})
        target = rng.randrange(3, 25)
        for line in child.stdout:
            shown = int(line.split()[-1])
            if shown >= target:
                break
        child.send_signal(signal.SIGKILL)
        child.wait()
        stored = json.loads((folder / responses.UNNAMED).read_text(encoding="utf-8"))
        answer = stored["lessons"]["00_start_here"]["practice-wonder"]["answer"]
        assert int(answer.split()[-1]) >= shown, f"shown as saved: answer {shown}; on disk: {answer!r}"
