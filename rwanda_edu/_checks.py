"""Argument checks whose errors say what was wrong and what is valid."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ._i18n import _


def _listing(choices: Iterable[object]) -> str:
    return ", ".join(str(c) for c in choices)


def check_choice(what: str, value: object, choices: Iterable[object]):
    """Return ``value`` if it is one of ``choices``; otherwise raise ValueError naming them."""
    if isinstance(choices, (list, tuple, dict)) and isinstance(value, str) and value in choices:
        return value  # the common case, without copying the choices
    choices = list(choices)
    if value in choices:
        return value
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(c) for c in choices], n=1)
        if close:
            hint = _("; did you mean {close!r}?").format(close=close[0])
    raise ValueError(_("unknown {what} {value!r}{hint} Valid: {valid}").format(
        what=what, value=value, hint=hint, valid=_listing(choices)))


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
    raise TypeError(_("{what} must be {names}, not {kind}").format(what=what, names=names, kind=type(value).__name__))


def check_text(what: str, value: object, *, max_chars: int | None = None, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a string within the limits; otherwise raise a clear error."""
    check_type(what, value, str)
    assert isinstance(value, str)  # for the type checker: check_type raised otherwise
    if not allow_empty and not value.strip():
        raise ValueError(_("{what} is empty; please write something").format(what=what))
    if max_chars is not None and len(value) > max_chars:
        raise ValueError(_("{what} is {n} characters long; the limit is {limit}").format(
            what=what, n=len(value), limit=max_chars))
    return value


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


def paragraph_numbers(paragraphs, count: int) -> list[int]:
    """The ¶ numbers ``paragraphs`` asks for, checked against a document of ``count`` paragraphs."""
    valid = _("valid: 1 to {count}, as a number, a range such as '3-7' or (3, 7), or a list of numbers").format(
        count=count)
    if paragraphs is None:
        return list(range(1, count + 1))
    if isinstance(paragraphs, str):
        match = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?", paragraphs)
        if not match:
            raise ValueError(_("paragraphs {paragraphs!r} is not a paragraph range; {valid}").format(
                paragraphs=paragraphs, valid=valid))
        first, last = int(match[1]), int(match[2] or match[1])
        numbers: list[int] = list(range(first, last + 1))
    elif isinstance(paragraphs, tuple) and len(paragraphs) == 2:
        first, last = (check_type("paragraph", n, int) for n in paragraphs)
        numbers = list(range(first, last + 1))
    elif isinstance(paragraphs, (list, tuple, range)):
        numbers = [check_type("paragraph", n, int) for n in paragraphs]
    else:
        numbers = [check_type("paragraphs", paragraphs, int)]
    numbers = sorted(set(numbers))
    if not numbers:
        raise ValueError(_("paragraphs {paragraphs!r} selects no paragraph; {valid}").format(
            paragraphs=paragraphs, valid=valid))
    for n in numbers:
        if not 1 <= n <= count:
            raise ValueError(_("the document has no paragraph {n}; {valid}").format(n=n, valid=valid))
    return numbers
