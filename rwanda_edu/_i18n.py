"""The module's words in the reader's language: gettext catalogs in ``rwanda_edu/locale``.

Every user-facing string goes through ``_()`` (or ``ngettext``; ``N_`` marks a string to be
translated later, where it is defined before a language is known). ``make pot`` extracts them
with Babel into ``locale/rwanda_edu.pot``; ``tests/test_i18n.py`` keeps that template current.
English is the source language. A translation is a catalog
``locale/<lang>/LC_MESSAGES/rwanda_edu.mo``, chosen with ``RWANDA_EDU_LANG`` or ``set_language``.
"""
from __future__ import annotations

import gettext
import os
from importlib import resources
from pathlib import Path

DOMAIN = "rwanda_edu"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(str(resources.files("rwanda_edu") / "locale"))

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def available_languages() -> list[str]:
    """The source language and every language with a compiled catalog."""
    found = {path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return sorted(found | {SOURCE_LANGUAGE})


def set_language(lang: str) -> None:
    """Show the module's words in ``lang`` (an id of ``available_languages()``)."""
    global _active, _language
    valid = available_languages()
    if lang not in valid:
        raise ValueError(_("unknown language {lang!r}; valid: {valid}").format(lang=lang, valid=", ".join(valid)))
    _active = (gettext.NullTranslations() if lang == SOURCE_LANGUAGE
               else gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang]))
    _language = lang


def language() -> str:
    """The active language's id, for ``lang`` attributes and dates."""
    return _language


def _(message: str) -> str:
    """``message`` in the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, in the active language."""
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (translate it with ``_`` when shown)."""
    return message


set_language(os.environ.get("RWANDA_EDU_LANG", "").strip() or SOURCE_LANGUAGE)
