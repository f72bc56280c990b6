"""Argument checks whose errors say what was wrong and what is valid."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def _listing(choices: Iterable[object]) -> str:
    return ", ".join(str(c) for c in choices)


def check_choice(what: str, value: object, choices: Iterable[object]):
    """Return ``value`` if it is one of ``choices``; otherwise raise ValueError naming them."""
    choices = list(choices)
    if value in choices:
        return value
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(c) for c in choices], n=1)
        if close:
            hint = f"; did you mean {close[0]!r}?"
    raise ValueError(f"unknown {what} {value!r}{hint} Valid: {_listing(choices)}")


def check_choices(what: str, values: Iterable[object], choices: Iterable[object]) -> list:
    """Check every item of ``values`` with :func:`check_choice`; return them as a list."""
    if isinstance(values, (str, bytes)):
        values = [values]
    choices = list(choices)
    return [check_choice(what, v, choices) for v in values]


def check_type(what: str, value: object, types: type | tuple[type, ...]):
    """Return ``value`` if it is an instance of ``types``; otherwise raise TypeError."""
    if isinstance(value, types) and not (isinstance(value, bool) and bool not in _as_tuple(types)):
        return value
    names = " or ".join(t.__name__ for t in _as_tuple(types))
    raise TypeError(f"{what} must be {names}, not {type(value).__name__}")


def check_text(what: str, value: object, *, max_chars: int | None = None, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a string within the limits; otherwise raise a clear error."""
    check_type(what, value, str)
    if not allow_empty and not value.strip():
        raise ValueError(f"{what} is empty; please write something")
    if max_chars is not None and len(value) > max_chars:
        raise ValueError(f"{what} is {len(value)} characters long; the limit is {max_chars}")
    return value


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)
