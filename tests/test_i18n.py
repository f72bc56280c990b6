"""The message catalog: every user-facing string is in the template; words, dates and lang attributes follow
the active language, never the machine's locale."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from rwanda_edu import _i18n

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "rwanda_edu" / "locale" / "rwanda_edu.pot"


def extracted() -> set[str]:
    messages = extract_from_dir(ROOT / "rwanda_edu", method_map=[("**.py", "python")])
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in messages}


def test_the_template_holds_every_string_in_the_code():
    with TEMPLATE.open("rb") as f:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    in_code = extracted()
    assert in_code - catalog == set(), "strings missing from the template: run `make pot`"
    assert catalog - in_code == set(), "the template has strings no longer in the code: run `make pot`"


def test_an_unknown_language_names_the_valid_ones():
    with pytest.raises(ValueError, match="valid: en"):
        _i18n.set_language("xx")


def test_english_is_the_source_language():
    _i18n.set_language("en")
    assert _i18n.language() == "en"
    assert _i18n._("Hand in") == "Hand in"
    assert _i18n.ngettext("one answer", "{n} answers", 2) == "{n} answers"


def test_the_template_holds_several_hundred_strings():
    with TEMPLATE.open("rb") as f:
        entries = [m for m in read_po(f) if m.id]
    assert len(entries) >= 500  # 561 when this floor was set: a drop means strings left the catalog


HANDIN = {
    "format": "rwanda_edu.handin", "schema_version": 1, "student": "Ada N.",
    "handed_in_at": "2026-12-06T10:00:00+00:00",
    "lessons": {"03_withdrawal_cable": {"why-withdraw": {"answer": "x", "answered_at": "2026-04-06T09:30:00+00:00"}}},
}


def test_month_names_do_not_follow_the_machines_locale():
    # Babel reads LC_TIME/LC_ALL/LANG when no locale is given, and strftime follows setlocale:
    # either would write "avril"/"décembre" here.
    code = (
        "import locale, json, datetime, pandas as pd\n"
        "try:\n    locale.setlocale(locale.LC_ALL, '')\nexcept locale.Error:\n    pass\n"
        "from rwanda_edu._html import date_label, time_label\n"
        "from rwanda_edu._handin_page import render\n"
        "print(json.dumps([date_label(pd.Timestamp('1994-04-06')), date_label(pd.Timestamp('1994-04-06'), 'month'),"
        " time_label(datetime.datetime.fromisoformat('2026-12-06T10:00:00+00:00')),"
        f" render({HANDIN!r})]))\n"
    )
    env = {**os.environ, "LC_ALL": "fr_FR.UTF-8", "LC_TIME": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8", "LANGUAGE": "fr"}
    env.pop("RWANDA_EDU_LANG", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    day, month, moment, page = json.loads(done.stdout)
    assert (day, month, moment) == ("6 April 1994", "April 1994", "06 December 2026, 10:00 UTC")
    assert "06 April 2026" in page and '<html lang="en">' in page


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A small French catalog, made active: the module's words, dates and lang attributes follow it."""
    catalog = Catalog(locale="fr", domain=_i18n.DOMAIN)
    catalog.add("Class report", "Rapport de classe")
    catalog.add("Text version", "Version texte")
    catalog.add("score band", "tranche de score")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{_i18n.DOMAIN}.mo").open("wb") as f:
        write_mo(f, catalog)
    monkeypatch.setattr(_i18n, "LOCALE_DIR", tmp_path)
    _i18n.set_language("fr")
    yield
    _i18n.set_language("en")


def test_dates_and_lang_attributes_follow_the_active_language(french, tmp_path):
    import pandas as pd

    from rwanda_edu._charts import text_version
    from rwanda_edu._handin_page import render
    from rwanda_edu._html import date_label
    from rwanda_edu.teacher import load_results
    from rwanda_edu.teacher._report import write_html

    assert _i18n.language() == "fr" and _i18n.available_languages() == ["en", "fr"]
    assert date_label(pd.Timestamp("1994-04-06")) == "6 avril 1994"
    assert date_label(pd.Timestamp("1994-04-06"), "month") == "avril 1994"
    page = render(HANDIN)
    assert '<html lang="fr">' in page and "6 avril 2026" in page
    assert "<summary>Version texte</summary>" in text_version("s", pd.DataFrame({"a": [1]}), "c")
    report = write_html(load_results(), tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in report and "<h1>Rapport de classe</h1>" in report
    assert '<th scope="col">tranche de score</th>' in report  # the table keeps its data name: "score band"


# Where a string is shown to a reader: an exception's message, these keyword arguments (widgets, argparse)
# and these keys of a figure's dicts (plotly).
SHOWN_KEYWORDS = {"description", "tooltip", "tooltips", "placeholder", "title", "text", "hovertext", "caption", "help",
                  "label"}
SHOWN_KEYS = {"text", "title", "hovertext", "name", "hovertemplate"}
WRAPPERS = {"_", "ngettext", "N_"}
# Messages in English on purpose: Python's own AttributeError wording, and errors only a developer adding
# a file format or a question type meets when the package is imported.
ENGLISH_ON_PURPOSE = ("has no attribute", "is defined twice", "is registered twice")


def _words(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values)
    else:
        return []
    return re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]*>|%\{[^}]*\}", " ", text))


def unwrapped_messages(path: Path) -> list[tuple[int, str]]:
    """Strings of two words or more in an exception's message or a shown label that no ``_()`` wraps."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def ancestors(node):
        while node in parents:
            node = parents[node]
            yield node

    def wrapped(node) -> bool:
        return any(isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id in WRAPPERS
                   for a in ancestors(node))

    def shown(node) -> bool:
        parent = parents.get(node)
        if isinstance(parent, ast.keyword):
            return parent.arg in SHOWN_KEYWORDS
        if isinstance(parent, ast.Dict) and node in parent.values:
            key = parent.keys[parent.values.index(node)]
            return isinstance(key, ast.Constant) and key.value in SHOWN_KEYS
        for a in ancestors(node):
            if isinstance(a, ast.Raise):
                return True
            if isinstance(a, (ast.FunctionDef, ast.Lambda)):
                return False
        return False

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(parents.get(node), ast.JoinedStr):
            continue  # a piece of an f-string: the f-string is checked whole
        if len(_words(node)) >= 2 and shown(node) and not wrapped(node):
            text = ast.unparse(node)
            if not any(phrase in text for phrase in ENGLISH_ON_PURPOSE):
                found.append((node.lineno, text[:80]))
    return sorted(found)


def test_messages_and_labels_go_through_gettext():
    found = [f"{path.relative_to(ROOT)}:{line}: {text}"
             for path in sorted((ROOT / "rwanda_edu").rglob("*.py")) for line, text in unwrapped_messages(path)]
    assert found == [], "wrap these in _() (rwanda_edu._i18n), then run `make pot`"


def test_the_scan_finds_an_unwrapped_message(tmp_path):
    path = tmp_path / "example.py"
    path.write_text('def f(w, x):\n    w.Button(description="Hand in now")\n    w.Label(value=_("Fine as it is"))\n'
                    '    w.Button(description=_("Save"), tooltip="Saves your answer")\n'
                    '    raise ValueError(f"{x} is not a lesson")\n', encoding="utf-8")
    assert unwrapped_messages(path) == [(2, "'Hand in now'"), (4, "'Saves your answer'"),
                                        (5, "f'{x} is not a lesson'")]
