"""Run an action once after a pause in a burst of calls (typing), and flush waiting calls on demand."""
from __future__ import annotations

import threading
from collections.abc import Callable

from .._i18n import _

_WAITING: set[Debouncer] = set()  # debouncers with a call still waiting for its pause


class Debouncer:
    """``debouncer()`` runs ``action`` ``wait`` seconds after the last of a burst of calls.

    ``flush()`` runs a waiting call at once and ``cancel()`` drops it; :func:`flush_all` flushes
    every debouncer (before a hand-in, so that no typing is left out). ``action`` runs in a
    timer thread, or in the thread that flushes.
    """

    def __init__(self, wait: float, action: Callable[[], object]):
        if wait < 0:
            raise ValueError(_("wait must be 0 or more seconds, not {wait}").format(wait=wait))
        self.wait, self.action = wait, action
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __call__(self) -> None:
        with self._lock:
            self._drop()
            timer = threading.Timer(self.wait, lambda: self._fire(timer))
            timer.daemon = True
            self._timer = timer
            _WAITING.add(self)
            timer.start()

    @property
    def waiting(self) -> bool:
        """Whether a call is waiting for its pause."""
        return self._timer is not None

    def cancel(self) -> None:
        """Drop a waiting call."""
        with self._lock:
            self._drop()

    def flush(self) -> None:
        """Run a waiting call now (nothing happens if none waits)."""
        with self._lock:
            waiting = self._timer is not None
            self._drop()
        if waiting:
            self.action()

    def _drop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        _WAITING.discard(self)

    def _fire(self, timer: threading.Timer) -> None:
        with self._lock:
            if self._timer is not timer:  # cancelled, flushed or superseded meanwhile
                return
            self._timer = None
            _WAITING.discard(self)
        self.action()


def flush_all() -> None:
    """Run every waiting call now."""
    for debouncer in list(_WAITING):
        debouncer.flush()
