"""The file-format framework: a named, versioned JSON document with a JSON Schema per version.

A :class:`Format` reads a document (bytes or parsed JSON): it checks the ``format`` name,
refuses a ``schema_version`` newer than it knows (:class:`TooNewError`) or older than its
oldest upgrader (:class:`TooOldError`), validates the document against the schema of its own
version, upgrades it step by step to the current version, and checks what a JSON Schema cannot
say (``check``). It writes a document as JSON bytes. Problems are plain sentences that name
the field, for a student's notice, a teacher's ``rejected.csv`` or a command's error.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from .._checks import check_choice
from .._i18n import N_, _
from .._jsonschema import jsonschema

MAX_PROBLEMS = 20  # a document with more problems is described by its first ones
SCHEMAS = Path(str(resources.files(__package__) / "schemas"))

_REGISTRY: dict[str, Format] = {}
_JSON_TYPES = {dict: N_("an object"), list: N_("a list"), str: N_("text"), int: N_("a number"), float: N_("a number"),
               bool: N_("true/false"), type(None): N_("null")}
_SCHEMA_TYPES = {"object": N_("an object"), "array": N_("a list"), "string": N_("text"), "number": N_("a number"),
                 "integer": N_("a whole number"), "boolean": N_("true or false"), "null": N_("null")}


class FormatError(ValueError):
    """A file that is not a valid document of its format; ``problems`` lists why."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems if problems is not None else [message]


class TooNewError(FormatError):
    """A document written by a newer version of the module (a higher ``schema_version``)."""


class TooOldError(FormatError):
    """A document of a ``schema_version`` older than any this module can upgrade."""


Upgrader = Callable[[dict], dict]
Check = Callable[[dict], Iterator[str]]
Quick = Callable[[dict], bool]


class Format:
    """One file format: its name, its current version, a schema per version, upgraders, one reader and writer.

    ``name``: the document's ``format`` field (``rwanda_edu.<short>``); schemas are
    ``<schemas>/<short>.v<N>.json``. ``upgraders[N]`` turns a valid version-N document into a
    version N+1 one; versions without an upgrader chain to the current one are too old.
    ``check(doc)`` yields problems of a schema-valid current document that its schema cannot
    express. ``quick(doc)``: a yes-only shortcut for a format read in bulk, true only for a current
    document that certainly fits its schema (false leaves the verdict and the reasons to the schema
    validators). ``ascii``/``indent``: how :meth:`dumps` writes it (``indent=None``: compact, for a file rewritten often).
    """

    def __init__(self, name: str, version: int, *, upgraders: dict[int, Upgrader] | None = None,
                 check: Check | None = None, quick: Quick | None = None, ascii: bool = True,
                 indent: int | None = 1, schemas: Path = SCHEMAS, register: bool = True):
        self.name, self.version = name, version
        self.upgraders = dict(upgraders or {})
        self.oldest = min([version, *(v for v in range(version - 1, 0, -1) if _chain(self.upgraders, v, version))])
        self._check, self._quick, self._ascii, self._indent, self._schemas = check, quick, ascii, indent, schemas
        if register:
            if name in _REGISTRY:
                raise ValueError(f"file format {name!r} is defined twice")
            _REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"Format({self.name!r}, version {self.version})"

    @property
    def short(self) -> str:
        return self.name.removeprefix("rwanda_edu.")

    def schema_path(self, version: int | None = None) -> Path:
        """The JSON Schema file of ``version`` (default: the current one)."""
        return self._schemas / f"{self.short}.v{self.version if version is None else version}.json"

    def schema(self, version: int | None = None) -> dict:
        return _load_schema(self.schema_path(version))

    def new(self, **fields: Any) -> dict:
        """A current document with ``fields`` (not checked)."""
        return {"format": self.name, "schema_version": self.version, **fields}

    # Reading

    def loads(self, raw: bytes | str) -> dict:
        """The document in ``raw`` (UTF-8 JSON), upgraded to the current version; raise FormatError."""
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            doc = json.loads(text.removeprefix("\ufeff"))
        except (ValueError, RecursionError) as error:
            reason = _("not UTF-8 JSON ({error})").format(error=str(error)[:200])
            raise FormatError(reason) from None
        return self.read(doc)

    def load(self, path: str | Path) -> dict:
        """The document in the file ``path``; FormatError names the file. OSError if it cannot be read."""
        try:
            return self.loads(Path(path).read_bytes())
        except FormatError as error:
            raise type(error)(f"{path}: {error}", error.problems) from None

    def read(self, doc: object) -> dict:
        """``doc`` (parsed JSON) checked and upgraded to the current version; raise FormatError otherwise."""
        version = self._version(doc)
        if isinstance(version, str):
            raise FormatError(version)
        assert isinstance(doc, dict)
        if version > self.version:
            raise TooNewError(_(
                "schema_version is {found}, but this version of the module reads {name} files up to version "
                "{version}: update the module"
            ).format(found=version, name=self.short, version=self.version))
        if version < self.oldest:
            raise TooOldError(_(
                "schema_version is {found}, older than this module can read ({name} files of version {oldest} "
                "to {version})"
            ).format(found=version, name=self.short, oldest=self.oldest, version=self.version))
        while version < self.version:
            problems = list(self._schema_problems(doc, version))
            if problems:
                raise FormatError(_summary(problems), problems)
            doc, version = self.upgraders[version](doc), version + 1
        problems = self.problems(doc)
        if problems:
            raise FormatError(_summary(problems), problems)
        return doc

    def problems(self, doc: object) -> list[str]:
        """Every problem of ``doc`` as a current document (at most 20, then "... and more"); empty when valid."""
        version = self._version(doc)
        if isinstance(version, str):
            return [version]
        if version != self.version:
            return [_("schema_version is {found!r}; expected {version}").format(found=version, version=self.version)]
        assert isinstance(doc, dict)
        found = list(_first(self._schema_problems(doc, version), MAX_PROBLEMS + 1))
        if not found and self._check is not None:
            found = list(_first(self._check(doc), MAX_PROBLEMS + 1))
        return found if len(found) <= MAX_PROBLEMS else [*found[:MAX_PROBLEMS], _("... and more")]

    def _version(self, doc: object) -> int | str:
        """The document's schema_version, or a problem that comes before it (not an object, another format)."""
        if not isinstance(doc, dict):
            return _("the document is a JSON {kind}, not an object").format(kind=_json_kind(doc))
        if doc.get("format") != self.name:
            return _("format is {found}; expected {name!r}").format(
                found=_shown(doc["format"]) if "format" in doc else _("missing"), name=self.name)
        version = doc.get("schema_version")
        if type(version) is not int:
            return _("schema_version is {found}; expected {version}").format(
                found=_shown(version) if "schema_version" in doc else _("missing"), version=self.version)
        return version

    def _schema_problems(self, doc: dict, version: int) -> Iterator[str]:
        if version == self.version and self._quick is not None and self._quick(doc):
            return
        try:
            _fast_check(self.schema_path(version))(doc)
            return
        except Exception:  # fastjsonschema's own error types; the describer says what is wrong
            pass
        describer = _describer(self.schema_path(version))
        seen = set()
        for error in describer.iter_errors(doc):
            problem = _describe(describer.schema, error)
            if problem not in seen:  # one "missing field(s)" for several missing fields
                seen.add(problem)
                yield problem

    # Writing

    def dumps(self, doc: dict) -> bytes:
        """``doc`` as the bytes of its file (ASCII JSON, or UTF-8 with a final newline)."""
        separators = (",", ":") if self._indent is None else None
        text = json.dumps(doc, ensure_ascii=self._ascii, allow_nan=False, indent=self._indent, separators=separators)
        return text.encode("ascii") if self._ascii else (text + "\n").encode("utf-8")

    def checked_dumps(self, doc: dict) -> bytes:
        """:meth:`dumps` of a document that must be valid (raise FormatError otherwise)."""
        problems = self.problems(doc)
        if problems:
            raise FormatError(_summary(problems), problems)
        return self.dumps(doc)


def get(name: str) -> Format:
    """The file format called ``name`` (e.g. ``"rwanda_edu.answers"``)."""
    return _REGISTRY[check_choice(_("file format"), name, sorted(_REGISTRY))]


def registered() -> list[Format]:
    """Every file format the module defines, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def _chain(upgraders: dict[int, Upgrader], start: int, end: int) -> bool:
    return all(v in upgraders for v in range(start, end))


def _first(items: Iterator[str], n: int) -> Iterator[str]:
    for count, item in enumerate(items):
        if count >= n:
            return
        yield item


def _summary(problems: list[str]) -> str:
    more = _(" (and {n} more)").format(n=len(problems) - 3) if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more


# JSON Schema: loading, one validator per schema file, problems in plain words


@functools.cache
def _load_schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _schema_file(name: str) -> dict:
    """A schema a format may refer to by file name: a format's, or the question bank's (``questions.json``)."""
    if name == "questions.json":
        return _load_schema(Path(str(resources.files("rwanda_edu") / "questions" / "schema.json")))
    return _load_schema(SCHEMAS / name)


def _inline(node: Any, base: str) -> Any:
    """``node`` with every ``$ref`` replaced by what it refers to (the schemas are not recursive).

    Fields beside a ``$ref`` (a ``title``, a ``description``) are kept over the referenced ones.
    """
    if isinstance(node, list):
        return [_inline(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {key: _inline(value, base) for key, value in node.items()}
    name, _hash, pointer = node["$ref"].partition("#")
    name = name or base
    target: Any = _schema_file(name)
    for step in filter(None, pointer.split("/")):
        target = target[step]
    rest = {key: value for key, value in node.items() if key != "$ref"}
    return {**_inline(target, name), **_inline(rest, base)}


@functools.cache
def _fast_check(path: Path) -> Callable[[object], object]:
    """A fast yes/no check of a schema file (fastjsonschema): all a valid document needs."""
    import fastjsonschema

    schema = _inline(_load_schema(path), path.name)
    return fastjsonschema.compile({k: v for k, v in schema.items() if k != "$schema"},
                                  formats={"date-time": _is_time, "date": _is_date})


@functools.cache
def _describer(path: Path) -> Any:
    """A validator that lists every problem of a document (jsonschema), built only for a document that fails."""
    js = jsonschema()
    schema = _inline(_load_schema(path), path.name)
    js.Draft202012Validator.check_schema(schema)
    checker = js.FormatChecker(formats=())
    checker.checks("date-time")(_is_time)
    checker.checks("date")(_is_date)
    return js.Draft202012Validator(schema, format_checker=checker)


def _is_time(value: object) -> bool:
    """An ISO 8601 time with a time zone (other types are left to ``type``)."""
    try:
        return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_date(value: object) -> bool:
    try:
        return not isinstance(value, str) or (len(value) == 10 and bool(date.fromisoformat(value)))
    except ValueError:
        return False


def _json_kind(value: object) -> str:
    return {dict: "object", list: "list", str: "string", int: "number", float: "number", bool: "true/false",
            type(None): "null"}.get(type(value), type(value).__name__)


def _shown(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title(schema: dict, schema_path) -> str | None:
    """The last ``title`` on the way to a keyword in ``schema``."""
    title, node = None, schema
    for step in list(schema_path)[:-1]:
        node = node[step]
        if isinstance(node, dict) and "title" in node:
            title = node["title"]
    return title


def _describe(schema: dict, error) -> str:
    """One validation error as a sentence naming where it is."""
    path = "/".join(str(p) for p in error.absolute_path)
    subject = path or _("the document")
    where = f"{path}: " if path else ""
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in value if name not in instance]
        return where + _("missing field(s): {names}").format(names=", ".join(missing))
    if kind in ("additionalProperties", "unevaluatedProperties"):
        known = set(error.schema.get("properties", {}))
        extra = sorted(_shown(str(k)).strip("'\"") for k in instance if k not in known)
        return where + _("unknown field(s): {names}").format(names=", ".join(extra))
    if kind == "type":
        expected = _(" or ").join(_(_SCHEMA_TYPES.get(t, t)) for t in ([value] if isinstance(value, str) else value))
        return _("{subject} is {kind}, not {expected}").format(
            subject=subject, kind=_(_JSON_TYPES.get(type(instance), type(instance).__name__)), expected=expected)
    if kind in ("const", "enum"):
        valid = repr(value) if kind == "const" else ", ".join(map(repr, value))
        return _("{subject} is {found}; valid: {valid}").format(subject=subject, found=_shown(instance), valid=valid)
    if kind == "format":
        expected = {"date-time": _("an ISO 8601 time with a time zone"), "date": _("a date YYYY-MM-DD")}.get(value, value)
        return _("{subject} is {found}; expected {expected}").format(
            subject=subject, found=_shown(str(instance)), expected=expected)
    name = _title(schema, error.schema_path)
    if name is not None and "propertyNames" in error.schema_path:  # a key of the object at ``path``
        subject = f"{where}{name} {_shown(instance)}"
    elif name is not None:
        subject = f"{name} ({path})" if path else name
    if kind == "pattern":
        hint = f" ({error.schema['description']})" if "description" in error.schema else ""
        return _("{subject} is not valid: it must match {pattern}{hint}").format(
            subject=subject, pattern=value, hint=hint)
    if kind == "maxLength":
        return _("{subject} is {n} characters long; the limit is {limit}").format(
            subject=subject, n=len(instance), limit=value)
    if kind == "minLength" or (kind == "minItems" and value == 1):
        return _("{subject} is empty").format(subject=subject)
    return f"{subject}: {error.message}"
