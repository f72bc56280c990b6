"""The Lesson object: the one thing a notebook imports."""
from __future__ import annotations

import pytest

import rwanda_edu
from rwanda_edu import Lesson
from rwanda_edu._questions import list_banks


def test_every_lesson_with_a_bank_opens():
    assert list_banks(), "no question banks found"
    for lesson_id in list_banks():
        assert Lesson(lesson_id).id == lesson_id


def test_unknown_lesson_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"did you mean '03_withdrawal_cable'\?.*Valid: 00_start_here"):
        Lesson("03_withdrawl_cable")


def test_key_terms_show_definitions_and_sources_escaped():
    glossary = rwanda_edu.load_glossary()
    term = "UNAMIR"
    html = Lesson("00_start_here").key_terms(term).data
    definition = glossary.loc[glossary["term"] == term, "definition"].iloc[0]
    assert rwanda_edu._html.escape(definition) in html
    assert "source:" in html


def test_key_terms_show_the_plain_definition_and_the_french_and_kinyarwanda_names():
    glossary = rwanda_edu.load_glossary().set_index("term")
    html = Lesson("00_start_here").key_terms("genocide", "cable").data
    escape = rwanda_edu._html.escape
    for term in ("genocide", "cable"):
        assert f"<strong>In plain words:</strong> {escape(glossary.at[term, 'plain'])}</p>" in html
        assert f"<strong>Exact definition:</strong> {escape(glossary.at[term, 'definition'])}" in html
    assert f'<span lang="fr">{escape(glossary.at["genocide", "fr"])}</span>' in html
    assert f'<span lang="rw">{escape(glossary.at["genocide", "rw"])}</span>' in html
    assert "Rwanda Correctional Service" in html  # where the Kinyarwanda name is attested
    cable = html[html.index("<dt>cable"):]
    assert "French:" not in cable and "Kinyarwanda:" not in cable  # no name where none is attested


def test_key_terms_reject_unknown_terms_with_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown glossary term 'UNAMlR'.*Valid:"):
        Lesson("00_start_here").key_terms("UNAMlR")


def test_sources_are_full_citations():
    html = Lesson("03_withdrawal_cable").sources("state-cable-1994-04-15").data
    assert "U.S. Department of State" in html and "1994-04-15" in html
    with pytest.raises(ValueError, match="unknown source id"):
        Lesson("03_withdrawal_cable").sources("no-such-source")


@pytest.mark.parametrize("call", ["key_terms", "sources"])
def test_an_empty_list_names_the_valid_choices(call):
    with pytest.raises(ValueError, match=r"name at least one .*Valid: "):
        getattr(Lesson("00_start_here"), call)()


def test_key_terms_name_each_author_once():
    html = Lesson("00_start_here").key_terms("UNAMIR").data  # four resolutions, one author
    assert html.count("United Nations Security Council") == 1
