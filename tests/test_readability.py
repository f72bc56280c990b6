"""Reading levels (Flesch–Kincaid grade): every easier version and reading guide at grade 9 or below,
the glossary's plain definitions at grade 10 or below; and the measure itself tells hard text from easy."""
from __future__ import annotations

import statistics

import pytest

import rwanda_edu

from .readability import grade, sentences, syllables, words

DOCUMENTS = rwanda_edu.load_documents()
EASIER = DOCUMENTS.loc[DOCUMENTS["adapts"].notna(), "id"].tolist()


@pytest.mark.parametrize("document_id", EASIER)
def test_every_easier_version_and_reading_guide_reads_at_grade_9_or_below(document_id):
    level = grade(rwanda_edu.load_document(document_id).text)
    assert level <= 9, f"{document_id} reads at grade {level:.1f}"


def test_the_originals_are_harder_than_their_easier_versions():
    for document_id in EASIER:
        original = rwanda_edu.load_document(document_id).adapts
        assert grade(rwanda_edu.load_document(original).text) > grade(rwanda_edu.load_document(document_id).text) + 3


def test_every_plain_definition_reads_at_grade_10_or_below():
    glossary = rwanda_edu.load_glossary()
    assert glossary["plain"].notna().all(), f"no plain definition: {glossary.loc[glossary['plain'].isna(), 'term'].tolist()}"
    levels = {row.term: grade(row.plain) for row in glossary.itertuples()}
    assert statistics.median(levels.values()) <= 10
    hard = {term: round(level, 1) for term, level in levels.items() if level > 10}
    assert not hard, f"plain definitions above grade 10: {hard}"


def test_plain_definitions_are_easier_than_the_exact_ones():
    glossary = rwanda_edu.load_glossary()
    exact = statistics.median(grade(text) for text in glossary["definition"])
    plain = statistics.median(grade(text) for text in glossary["plain"])
    assert plain + 3 < exact


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The cat sat on the mat.", 1),
        ("The U.S. Mission in New York. Mr. Smith said no. Is it? Yes!", 4),
        ("No full stop at the end", 1),
        ("“Troops were withdrawn,” he said. “We should have done more.”", 2),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("word, expected", [("cat", 1), ("peacekeeping", 3), ("humanitarian", 6), ("1994", 1), ("self-defence", 3)])
def test_syllables(word, expected):
    assert syllables(word) == expected


def test_words_keep_apostrophes_hyphens_and_numbers_whole():
    assert words("Rwanda's troop-contributing countries sent 2,548 troops.") == [
        "Rwanda's", "troop-contributing", "countries", "sent", "2,548", "troops",
    ]


def test_grade_rises_with_long_sentences_and_long_words():
    easy = "The UN sent troops. They had a small job. They could not stop the killing."
    hard = ("The international community's deliberations concerning the authorization of a substantially "
            "reinforced peacekeeping operation were characterized by considerable institutional hesitation.")
    assert grade(easy) < 4 < 16 < grade(hard)
    with pytest.raises(ValueError, match="without words"):
        grade(" … ")
