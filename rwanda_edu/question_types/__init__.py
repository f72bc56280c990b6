"""The question types, one module each, found by name: ``get("choice")``.

Each module of this package defines one :class:`QuestionType` (its schema fragment, checks,
scoring, plain-text answer and demo answer) and registers it with :func:`register`; its widget
is ``rwanda_edu.widgets.<name>``. The bank schema (``questions/schema.json``) is the common part
written by hand plus every type's fragment, assembled by :func:`bank_schema` (``make schema``
writes it; a test keeps the file equal to it). How to add a type: docs/ARCHITECTURE.md.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any, TypeVar

from .._checks import check_choice
from .._i18n import _
from ._base import NOT_ANSWERED, QuestionType

__all__ = ["NOT_ANSWERED", "QuestionType", "bank_schema", "get", "names", "register"]

SCHEMA_FILE = resources.files("rwanda_edu") / "questions" / "schema.json"

_REGISTRY: dict[str, QuestionType] = {}
T = TypeVar("T", bound=type[QuestionType])


def register(cls: T) -> T:
    """Class decorator: make question type ``cls`` available under ``cls.name``."""
    if cls.name in _REGISTRY:
        raise ValueError(f"question type {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


def names() -> list[str]:
    """The registered type names, in registration order (the order the docs list them)."""
    return list(_REGISTRY)


def get(name: object) -> QuestionType:
    """The question type called ``name``; a ValueError names the valid ones."""
    return _REGISTRY[check_choice(_("question type"), name, _REGISTRY)]


def bank_schema(common: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema of a question bank: ``common`` (default: ``questions/schema.json``) with the
    type enum, the per-type rules and the per-type fragments taken from the registered types."""
    schema = json.loads(json.dumps(common)) if common is not None else json.loads(SCHEMA_FILE.read_text("utf-8"))
    defs = schema["$defs"]
    question = defs["question"]
    for rule in question.get("allOf", []):  # drop the fragments the file had, then add the registry's
        defs.pop(rule["then"]["$ref"].split("/")[-1], None)
    question["properties"]["type"] = {"enum": names()}
    question["allOf"] = [
        {"if": {"properties": {"type": {"const": t.name}}}, "then": {"$ref": f"#/$defs/{t.definition()}"}}
        for t in _REGISTRY.values()
    ]
    for t in _REGISTRY.values():
        defs[t.definition()] = t.schema
    return schema


def write_schema() -> None:
    """Rewrite ``questions/schema.json`` from the registered types (``make schema``)."""
    schema = json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"
    with resources.as_file(SCHEMA_FILE) as path:
        path.write_text(schema, encoding="utf-8")


# The built-in types, in the order the authoring guide lists them (registration happens on import).
from . import choice, text, ordering, matching, source_analysis, claim_check, decision  # noqa: E402, F401, I001
