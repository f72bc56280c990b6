"""Flesch–Kincaid grade level of an English text, with syllables counted by pyphen's hyphenation dictionary.

grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

Words are runs of letters (apostrophes and hyphens inside a word keep it whole) or of digits; a number
counts as one syllable, as it does in the usual tools. A sentence ends at ``.``, ``!`` or ``?`` followed
by a space or the end of the text, except after a single letter (``U.S.``, ``A.``) or a common
abbreviation (``Mr.``, ``e.g.``). A text without a sentence end counts as one sentence.
"""
from __future__ import annotations

import functools
import re

import pyphen

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d[\d,.]*\d|\d")
_END = re.compile(r"(\S*?)[.!?]+[\"”’)\]]*(?=\s|$)")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "vs", "cf", "para", "paras", "gen", "lt", "col", "maj", "capt"}


@functools.cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US", left=1, right=1)


@functools.cache
def syllables(word: str) -> int:
    """Syllables in one word: pyphen's hyphenation points plus one (a number counts as one)."""
    if word[0].isdigit():
        return 1
    parts = re.split(r"['’\-]", word.lower())
    return sum(len(_dictionary().positions(part)) + 1 for part in parts if part)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> int:
    """How many sentences ``text`` has (at least one when it has any word)."""
    count = 0
    for match in _END.finditer(text):
        before = match.group(1).strip("(“\"‘'").lower()
        if (len(before) == 1 and before.isalpha()) or before in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+[a-z]", before):
            continue
        count += 1
    return max(count, 1 if words(text) else 0)


def grade(text: str) -> float:
    """The Flesch–Kincaid grade level of ``text`` (ValueError for a text without words)."""
    found = words(text)
    if not found:
        raise ValueError("a text without words has no reading level")
    return 0.39 * len(found) / sentences(text) + 11.8 * sum(map(syllables, found)) / len(found) - 15.59
