"""Teacher tools: assign lessons, collect hand-ins, try a demo class, see the report, check the set-up.

The ``rwanda-edu`` command (``rwanda_edu/cli.py``) runs each of them; the class dashboard
notebook (``lessons/teacher/class_dashboard.ipynb``) calls the report functions.
"""
from __future__ import annotations

import importlib

# Each name is imported from its module when first used, so that a command loads only what it runs.
_MODULES = {
    "build_bundle": "._assign",
    "load_assignment": "._assign",
    "run_checks": "._check",
    "collect": "._collect",
    "make_demo_class": "._demo",
    **dict.fromkeys(
        ["completion", "hardest_questions", "load_results", "open_answers", "open_questions", "score_distribution",
         "student_answers", "write_html"], "._report"),
}

__all__ = [
    "build_bundle",
    "collect",
    "completion",
    "hardest_questions",
    "load_assignment",
    "load_results",
    "make_demo_class",
    "open_answers",
    "open_questions",
    "run_checks",
    "score_distribution",
    "student_answers",
    "write_html",
]


def __getattr__(name: str):
    if name in _MODULES:
        value = getattr(importlib.import_module(_MODULES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rwanda_edu.teacher' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
