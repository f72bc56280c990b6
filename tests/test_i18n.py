"""The message catalog: every user-facing string is in the template, and languages are checked."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
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
