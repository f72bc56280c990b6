"""rwanda_edu: classroom notebooks on the 1994 genocide against the Tutsi in Rwanda and UN peacekeeping.

A notebook needs one object::

    from rwanda_edu import Lesson
    lesson = Lesson("03_withdrawal_cable")
    lesson.read("cable-1994-04-15")
    lesson.ask("why-withdraw")

The datasets load as typed DataFrames: ``list_datasets()``, ``load_events()``, ``load_document(id)`` …
Widgets and charts import ipywidgets and plotly only when first used.
"""
from __future__ import annotations

import importlib

from ._datasets import LOADERS, cite, describe, list_datasets, list_documents, load, load_document, split_ids

__version__ = "0.1.0"

# Names served lazily, so that importing the package stays light: name -> module.
_LAZY = {
    "Lesson": "._lesson",
    "ask": "._widgets",
    "quiz": "._widgets",
    "timeline": "._timeline",
    "strength_chart": "._charts",
    "places_map": "._map",
    "read": "._reader",
    "ResponseStore": ".responses",
    "sign_in": ".responses",
    "hand_in": ".responses",
}

globals().update(LOADERS)

__all__ = [
    "cite",
    "describe",
    "list_datasets",
    "list_documents",
    "load",
    "load_document",
    "split_ids",
    *LOADERS,
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rwanda_edu' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
