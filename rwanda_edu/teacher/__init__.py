"""Teacher tools: assign lessons, collect hand-ins, mark open answers, return feedback, export grades, see the
report, check the set-up.

The ``rwanda-edu`` command (``rwanda_edu/cli.py``) runs each of them; the class dashboard
notebook (``lessons/teacher/class_dashboard.ipynb``) calls the report functions.
"""
from __future__ import annotations

from ._assign import build_bundle, load_assignment
from ._check import run_checks
from ._collect import collect
from ._demo import make_demo_class
from ._feedback import write_feedback
from ._marks import MarksStore, export_marks, import_marks
from ._report import (
    completion,
    essay_totals,
    hardest_questions,
    item_analysis,
    load_results,
    open_answers,
    open_questions,
    option_choices,
    rubric_averages,
    score_distribution,
    student_answers,
    write_html,
)


def __getattr__(name: str):
    if name == "marking_view":  # imports ipywidgets: only when a notebook asks for it
        from ._marking import marking_view

        return marking_view
    raise AttributeError(f"module 'rwanda_edu.teacher' has no attribute {name!r}")


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
