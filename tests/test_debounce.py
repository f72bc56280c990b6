"""The debouncer: one call after a pause in a burst, flushed at once on demand."""
from __future__ import annotations

import threading
import time

import pytest

from rwanda_edu.widgets.debounce import Debouncer, flush_all


class Counter:
    def __init__(self):
        self.calls = 0
        self.done = threading.Event()

    def __call__(self):
        self.calls += 1
        self.done.set()


def test_a_burst_runs_the_action_once_after_the_pause():
    counter = Counter()
    debounced = Debouncer(0.2, counter)
    for _ in range(5):
        debounced()
    assert counter.calls == 0 and debounced.waiting
    assert counter.done.wait(5)
    time.sleep(0.3)
    assert counter.calls == 1 and not debounced.waiting


def test_each_call_restarts_the_pause():
    counter = Counter()
    debounced = Debouncer(0.3, counter)
    debounced()
    time.sleep(0.15)
    debounced()
    time.sleep(0.2)  # 0.35 s after the first call, 0.2 s after the second
    assert counter.calls == 0
    assert counter.done.wait(5) and counter.calls == 1


def test_flush_runs_a_waiting_call_now_and_only_once():
    counter = Counter()
    debounced = Debouncer(0.2, counter)
    debounced.flush()
    assert counter.calls == 0  # nothing waited
    debounced()
    debounced.flush()
    assert counter.calls == 1 and not debounced.waiting
    time.sleep(0.3)
    assert counter.calls == 1  # the timer it replaced does not run again


def test_cancel_drops_the_waiting_call():
    counter = Counter()
    debounced = Debouncer(0.05, counter)
    debounced()
    debounced.cancel()
    time.sleep(0.2)
    assert counter.calls == 0 and not debounced.waiting


def test_flush_all_runs_every_waiting_call():
    counters = [Counter(), Counter()]
    debouncers = [Debouncer(60, c) for c in counters]
    for debounced in debouncers:
        debounced()
    flush_all()
    assert [c.calls for c in counters] == [1, 1]
    assert not any(d.waiting for d in debouncers)


def test_a_negative_pause_is_refused():
    with pytest.raises(ValueError, match="0 or more seconds"):
        Debouncer(-1, Counter())
