# The public names of rwanda_edu and their signatures, for type checkers and IDEs.
# rwanda_edu/__init__.py serves some lazily and generates the loaders from data/datapackage.json;
# tests/test_public_api.py checks that this file and the module agree.
import pandas as pd

from ._charts import strength_chart as strength_chart
from ._datasets import cite as cite
from ._datasets import describe as describe
from ._datasets import list_datasets as list_datasets
from ._datasets import list_documents as list_documents
from ._datasets import load as load
from ._datasets import load_document as load_document
from ._datasets import split_ids as split_ids
from ._handin import hand_in as hand_in
from ._lesson import Lesson as Lesson
from ._map import places_map as places_map
from ._reader import read as read
from ._timeline import timeline as timeline
from .responses import ResponseStore as ResponseStore
from .responses import sign_in as sign_in
from .widgets import ask as ask
from .widgets import quiz as quiz

__version__: str
__all__ = [
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

def load_claims() -> pd.DataFrame: ...
def load_documents() -> pd.DataFrame: ...
def load_events() -> pd.DataFrame: ...
def load_figures() -> pd.DataFrame: ...
def load_glossary() -> pd.DataFrame: ...
def load_people() -> pd.DataFrame: ...
def load_places() -> pd.DataFrame: ...
def load_resolutions() -> pd.DataFrame: ...
def load_sources() -> pd.DataFrame: ...
def load_unamir_strength() -> pd.DataFrame: ...
