"""Every dataset against its Table Schema, its sources, and the Frictionless validator."""
from __future__ import annotations

import json
import subprocess
import sys

import frictionless
import pandas as pd
import pytest

import rwanda_edu
from rwanda_edu import _datasets

from .conftest import ROOT

DATASETS = _datasets.list_datasets()
CITATION_COLUMNS = ("source_ids", "source_id")
# Tables whose rows state facts, found in the data package by their citation column: each row must cite a source.
FACT_TABLES = [r["name"] for r in _datasets.package()["resources"]
               if any(f["name"] in CITATION_COLUMNS for f in r["schema"]["fields"])]


def fields(name):
    return _datasets.package()["resources"][DATASETS.index(name)]["schema"]["fields"]


def source_columns(df):
    return [c for c in df.columns if c in CITATION_COLUMNS or c.endswith("_source_ids")]


@pytest.mark.parametrize("name", DATASETS)
def test_columns_follow_the_schema(name):
    df = rwanda_edu.load(name)
    assert list(df.columns) == [f["name"] for f in fields(name)]
    assert len(df) > 0


@pytest.mark.parametrize("name", DATASETS)
def test_constraints_hold(name):
    df = rwanda_edu.load(name)
    for field in fields(name):
        column, constraints = df[field["name"]], field.get("constraints", {})
        if constraints.get("required"):
            assert column.notna().all(), f"{name}.{field['name']} has empty required cells"
        if constraints.get("unique"):
            assert column.dropna().is_unique, f"{name}.{field['name']} has duplicates"
        if constraints.get("enum"):
            assert isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered
            # a value outside the enum would have become NaN: compare with the raw file
            raw = pd.read_csv(ROOT / "data" / f"{name}.csv", dtype=str, keep_default_na=False)[field["name"]]
            assert column.isna().sum() == (raw == "").sum(), f"{name}.{field['name']} has values outside its enum"
        if field.get("type") == "date":
            dates = column.dropna()
            today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
            assert dates.between("1885-01-01", today).all(), f"{name}.{field['name']} has dates before 1885 or in the future"
    key = _datasets.package()["resources"][DATASETS.index(name)]["schema"].get("primaryKey")
    if key:
        assert not df.duplicated(subset=[key] if isinstance(key, str) else key).any()


@pytest.mark.parametrize("name", DATASETS)
def test_every_cited_source_exists(name):
    known = set(rwanda_edu.load_sources()["id"])
    df = rwanda_edu.load(name)
    for column in source_columns(df):
        cited = {sid for cell in df[column] for sid in rwanda_edu.split_ids(cell)}
        assert cited <= known, f"{name}.{column} cites unknown sources: {sorted(cited - known)}"


def test_every_table_but_the_sources_cites_its_rows():
    """A new table without a citation column fails here instead of escaping the check below."""
    assert set(DATASETS) - set(FACT_TABLES) == {"sources"}
    assert {"events", "resolutions", "unamir_strength", "figures", "people", "glossary", "claims", "places"} <= set(
        FACT_TABLES)


@pytest.mark.parametrize("name", FACT_TABLES)
def test_every_fact_names_a_source(name):
    df = rwanda_edu.load(name)
    column = source_columns(df)[0]
    uncited = df[df[column].map(lambda cell: not rwanda_edu.split_ids(cell))]
    assert uncited.empty, f"{name}: rows without a source: {uncited.iloc[:, 0].tolist()}"


def test_places_lie_in_the_region_or_are_marked_abroad():
    places = rwanda_edu.load_places()
    # A place whose coordinates no gazetteer confirms has none (it stays off the map), never a guessed pair.
    assert (places["lat"].isna() == places["lon"].isna()).all()
    near = places[(places["kind"] != "abroad") & places["lat"].notna()]
    # Rwanda and its neighbours: Uganda, Tanzania, Burundi and the eastern DR Congo reach beyond this box,
    # but every place the lessons name there lies inside it.
    assert near["lat"].between(-12, 5).all() and near["lon"].between(12, 41).all()


def test_documents_have_text_and_citation():
    for document_id in rwanda_edu.list_documents():
        doc = rwanda_edu.load_document(document_id)
        assert doc.paragraphs and all(p.strip() for p in doc.paragraphs)
        assert doc.citation.endswith(".")


def test_frictionless_validates_the_package():
    report = frictionless.validate(ROOT / "data" / "datapackage.json")
    errors = [f"{task.name}: {e.message}" for task in report.tasks for e in task.errors]
    assert report.valid, "\n".join(errors[:20] or [str(report.errors)])


def test_descriptor_is_what_the_loaders_read():
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == DATASETS
    for name in DATASETS:
        loader = getattr(rwanda_edu, f"load_{name}")
        assert all(f["name"] in loader.__doc__ for f in fields(name))


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match=r"did you mean 'events'\? Valid: .*resolutions"):
        rwanda_edu.load("event")
    with pytest.raises(ValueError, match=r"Valid: .*cable-1994-04-15"):
        rwanda_edu.load_document("cable")


@pytest.mark.parametrize("bad", [["cable-1994-04-15"], {"id": "x"}, None, 3])
def test_document_id_of_the_wrong_type_lists_the_valid_ones(bad):
    with pytest.raises(TypeError, match=f"document id must be str, not {type(bad).__name__}. Valid: .*lakin-2019"):
        rwanda_edu.load_document(bad)


@pytest.mark.parametrize("bad", [["events"], {"name": "events"}, None, 3])
def test_dataset_name_of_the_wrong_type_lists_the_valid_ones(bad):
    with pytest.raises(TypeError, match=rf"dataset name must be str, not {type(bad).__name__}\. Valid: .*events"):
        rwanda_edu.load(bad)


def test_load_returns_a_fresh_copy():
    first = rwanda_edu.load_events()
    first.loc[:, "title"] = "changed"
    assert (rwanda_edu.load_events()["title"] != "changed").all()


def test_import_is_light():
    code = "import sys, rwanda_edu; print(sorted(m for m in ('plotly', 'ipywidgets', 'babel') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
