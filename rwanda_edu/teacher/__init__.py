"""Teacher tools: assign lessons, collect hand-ins, mark open answers, return feedback, export grades, see the
report, check the set-up.

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
    "write_feedback": "._feedback",
    "marking_view": "._marking",  # imports ipywidgets: only when a notebook asks for it
    **dict.fromkeys(["MarksStore", "export_marks", "import_marks"], "._marks"),
    **dict.fromkeys(
        ["completion", "essay_totals", "hardest_questions", "item_analysis", "load_results", "open_answers",
         "open_questions", "option_choices", "rubric_averages", "score_distribution", "student_answers", "write_html"],
        "._report"),
}


__all__ = [
    "MarksStore",
    "build_bundle",
    "collect",
    "completion",
    "essay_totals",
    "export_marks",
    "hardest_questions",
    "import_marks",
    "item_analysis",
    "load_assignment",
    "load_results",
    "make_demo_class",
    "marking_view",
    "open_answers",
    "open_questions",
    "option_choices",
    "rubric_averages",
    "run_checks",
    "score_distribution",
    "student_answers",
    "write_feedback",
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
