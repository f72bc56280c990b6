"""Loaders for the curated data package, driven by ``data/datapackage.json``.

The descriptor and its Table Schemas are the single source of truth: they give each
loader its column types, its categories and its docstring, and the tests check the
CSV files against them.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from ._checks import check_choice, check_type
from ._i18n import _

_DATA = resources.files("rwanda_edu.data")


@functools.cache
def package() -> dict:
    """The data package descriptor, with every resource's schema inlined."""
    descriptor = json.loads(_DATA.joinpath("datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if isinstance(resource.get("schema"), str):
            resource["schema"] = json.loads(_DATA.joinpath(resource["schema"]).read_text(encoding="utf-8"))
    return descriptor


def _resource(name: str) -> dict:
    check_choice("dataset", name, list_datasets())
    return next(r for r in package()["resources"] if r["name"] == name)


def list_datasets() -> list[str]:
    """Names of the datasets, in the order of the data package."""
    return [r["name"] for r in package()["resources"]]


def describe(name: str) -> pd.DataFrame:
    """The columns of dataset ``name``: field name, type and description."""
    fields = _resource(name)["schema"]["fields"]
    return pd.DataFrame(
        {
            "column": [f["name"] for f in fields],
            "type": [f.get("type", "string") for f in fields],
            "description": [f.get("description", "") for f in fields],
        }
    )


def labels(name: str, column: str) -> dict[str, str]:
    """The label a reader sees for each value of ``column`` in dataset ``name`` (the field's
    ``categories``); a value without a label is shown as itself."""
    fields = {f["name"]: f for f in _resource(name)["schema"]["fields"]}
    check_choice("column", column, list(fields))
    return {c["value"]: c["label"] for c in fields[column].get("categories", []) if isinstance(c, dict)}


@functools.cache
def _load_cached(name: str) -> pd.DataFrame:
    resource = _resource(name)
    fields = resource["schema"]["fields"]
    with _DATA.joinpath(resource["path"]).open("rb") as f:  # bytes: line ends inside cells kept as written
        df = pd.read_csv(f, encoding="utf-8", dtype=str, keep_default_na=False, na_values=[""])
    for field in fields:
        column, kind = field["name"], field.get("type", "string")
        if column not in df.columns:
            continue
        enum = field.get("constraints", {}).get("enum")
        if enum:
            df[column] = pd.Categorical(df[column], categories=enum, ordered=True)
        elif kind == "date":
            df[column] = pd.to_datetime(df[column], format="%Y-%m-%d")
        elif kind == "integer":
            df[column] = pd.to_numeric(df[column]).astype("Int64")
        elif kind == "number":
            df[column] = pd.to_numeric(df[column]).astype("float64")
        elif kind == "boolean":
            df[column] = df[column].map({"true": True, "false": False}).astype("boolean")
        else:
            df[column] = df[column].astype("string")
    return df


def load(name: str) -> pd.DataFrame:
    """Dataset ``name`` as a typed DataFrame (dates as datetime, categories as ordered Categorical).

    Loading is cached; each call returns a fresh copy, so changing it never changes the next load.
    """
    if not isinstance(name, str):  # checked before the cache, which needs a hashable name
        raise TypeError(_("dataset name must be str, not {kind}. Valid: {names}").format(
            kind=type(name).__name__, names=", ".join(list_datasets())))
    return _load_cached(name).copy()



def split_ids(cell: object) -> list[str]:
    """The ids in a multi-valued cell such as ``source_ids`` (separated by ``;``)."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):  # type: ignore[call-overload]
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def cite(source_id: str) -> str:
    """A one-line citation of source ``source_id``: author, title, publisher, date, url."""
    return _cite(check_type(_("source id"), source_id, str))


@functools.cache
def _cite(source_id: str) -> str:
    sources = _load_cached("sources")
    check_choice(_("source id"), source_id, sources["id"].tolist())
    row = sources.loc[sources["id"] == source_id].iloc[0]
    parts = [row.get("author"), _quoted(row.get("title")), row.get("publisher"), row.get("date"), row.get("url")]
    return ". ".join(str(p) for p in parts if isinstance(p, str) and p) + "."


def _quoted(title: object) -> str | None:
    """A title in double quotation marks; quotation marks inside it become single ones."""
    if not isinstance(title, str) or not title:
        return None
    return "“" + re.sub(r'"([^"]*)"', "‘\\1’", title) + "”"


@dataclass(frozen=True)
class Document:
    """A source document: its metadata, its citation and its numbered paragraphs (¶ 1 = ``paragraphs[0]``)."""

    id: str
    title: str
    author: str
    date: pd.Timestamp | None
    kind: str
    rights: str
    source_id: str
    extent: str
    note: str
    citation: str
    paragraphs: tuple[str, ...]
    adapts: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def list_documents() -> list[str]:
    """Ids of the documents: the sources, then the module's easier versions and reading guides of them."""
    return _load_cached("documents")["id"].tolist()


def easier_version(document_id: str) -> str | None:
    """Id of the easier version or reading guide of document ``document_id``, or None if it has none."""
    docs = _load_cached("documents")
    found = docs.loc[docs["adapts"] == document_id, "id"]
    return str(found.iloc[0]) if len(found) else None


def load_document(document_id: str) -> Document:
    """Document ``document_id`` with its text split into numbered paragraphs."""
    if not isinstance(document_id, str):  # checked before the cache, which needs a hashable id
        raise TypeError(_("document id must be str, not {kind}. Valid: {ids}").format(
            kind=type(document_id).__name__, ids=", ".join(list_documents())))

    return _load_document(document_id)


@functools.cache
def _load_document(document_id: str) -> Document:
    docs = _load_cached("documents")
    check_choice("document", document_id, docs["id"].tolist())
    row = docs.loc[docs["id"] == document_id].iloc[0]
    text = _DATA.joinpath(row["path"]).read_text(encoding="utf-8")
    date = row["date"] if pd.notna(row["date"]) else None

    def value(column: str) -> str:
        v = row.get(column)
        return "" if v is None or pd.isna(v) else str(v)

    return Document(
        id=document_id,
        title=value("title"),
        author=value("author"),
        date=date,
        kind=value("kind"),
        rights=value("rights"),
        source_id=value("source_id"),
        extent=value("extent"),
        note=value("note"),
        citation=cite(value("source_id")),
        paragraphs=tuple(text.splitlines()),
        adapts=value("adapts"),
    )


def _make_loader(name: str):
    def loader() -> pd.DataFrame:
        return load(name)

    resource = _resource(name)
    columns = "\n".join(
        f"    {f['name']} ({f.get('type', 'string')}): {f.get('description', '')}" for f in resource["schema"]["fields"]
    )
    loader.__name__ = loader.__qualname__ = f"load_{name}"
    loader.__doc__ = f"{resource.get('title', name)}: {resource.get('description', '')}\n\nColumns:\n{columns}\n"
    return loader


LOADERS = {f"load_{name}": _make_loader(name) for name in list_datasets()}
