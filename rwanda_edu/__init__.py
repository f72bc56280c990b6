"""rwanda_edu: classroom notebooks on the 1994 genocide against the Tutsi in Rwanda and UN peacekeeping.

A notebook needs one object::

    from rwanda_edu import Lesson
    lesson = Lesson("03_withdrawal_cable")
    lesson.read("cable-1994-04-15")
    lesson.ask("why-withdraw")

The datasets load as typed DataFrames: ``list_datasets()``, ``load_events()``, ``load_document(id)`` …
Widgets and charts import ipywidgets and plotly only when first used. The names and signatures
of this module are declared in ``__init__.pyi`` for type checkers (a test keeps the two equal).
"""
from __future__ import annotations

import importlib

from ._datasets import LOADERS, cite, describe, list_datasets, list_documents, load, load_document, split_ids

# Names served lazily, so that importing the package stays light: name -> module.
_LAZY = {
    "Lesson": "._lesson",
    "ask": ".widgets",
    "quiz": ".widgets",
    "timeline": "._timeline",
    "strength_chart": "._charts",
    "places_map": "._map",
    "read": "._reader",
    "ResponseStore": ".responses",
    "sign_in": ".responses",
    "hand_in": "._handin",
}

globals().update(LOADERS)

__all__ = [  # literal names, so that type checkers see them; a test checks them against LOADERS and _LAZY
    "Lesson",
    "ResponseStore",
    "ask",
    "cite",
    "describe",
    "hand_in",
    "list_datasets",
    "list_documents",
    "load",
    "load_claims",
    "load_document",
    "load_documents",
    "load_events",
    "load_figures",
    "load_glossary",
    "load_people",
    "load_places",
    "load_resolutions",
    "load_sources",
    "load_unamir_strength",
    "places_map",
    "quiz",
    "read",
    "sign_in",
    "split_ids",
    "strength_chart",
    "timeline",
]


def _version() -> str:
    """The installed package's version (read on first use: the metadata lookup costs a noticeable part of the import)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rwanda_edu")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rwanda_edu' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
