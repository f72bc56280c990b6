"""Teacher tools: assign lessons, collect hand-ins, try a demo class, see the report, check the set-up.

The ``rwanda-edu`` command (``rwanda_edu/cli.py``) runs each of them; the class dashboard
notebook (``lessons/teacher/class_dashboard.ipynb``) calls the report functions.
"""
from __future__ import annotations

from ._assign import build_bundle, load_assignment
from ._check import run_checks
from ._collect import collect
from ._demo import make_demo_class
from ._report import (
    completion,
    hardest_questions,
    item_analysis,
    load_results,
    open_answers,
    open_questions,
    option_choices,
    score_distribution,
    student_answers,
    write_html,
)

__all__ = [
    "build_bundle",
    "collect",
    "completion",
    "hardest_questions",
    "item_analysis",
    "load_assignment",
    "load_results",
    "make_demo_class",
    "open_answers",
    "open_questions",
    "option_choices",
    "run_checks",
    "score_distribution",
    "student_answers",
    "write_html",
]
