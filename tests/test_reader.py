"""The document reader: paragraph ranges, escaping, glossary marking that never alters the text."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import rwanda_edu
from rwanda_edu import _datasets
from rwanda_edu._reader import VERSIONS, ReaderView, mark_terms, paragraph_numbers, read, term_pattern

PARAGRAPHS = (
    "UNAMIR was created under Chapter VI of the Charter.",
    "Genocide, as the 1948 Convention defines it, and the word genocide itself.",
    "",
    "The RPF advanced; UNAMIRS and ARPF are not terms, nor is Chapter VIII.",
    "<script>alert('x')</script> & Chapter VII — Opération Turquoise.",
    "Close to 30,000 lives 🙂 in שלום text.",
)
GLOSSARY = pd.DataFrame(
    {
        "term": ["UNAMIR", "RPF", "Chapter VI", "Chapter VII", "genocide", "Opération Turquoise"],
        "definition": [
            "United Nations Assistance Mission for Rwanda",
            "Rwandan Patriotic Front",
            "Peaceful settlement",
            "Action with respect to threats to the peace",
            'Acts "intended to destroy" a group <in whole or in part>',
            "French-led operation",
        ],
        "source_ids": ["s"] * 6,
    }
)


EASIER = (
    "UNAMIR was set up under Chapter VI.",
    "A plain <b>version</b> of ¶ 2 & more.",
    "",
    "The RPF moved on.",
    "Words in <script> stay text.",
    "About 30,000 lives 🙂.",
)
DOCUMENTS = pd.DataFrame({"id": ["doc", "easy", "plain"], "adapts": ["", "doc", ""]})


def document(extent="excerpts", **changes):
    fields = dict(
        id="doc", title="A <title>", author="An Author", date=pd.Timestamp("1994-04-15"), kind="primary",
        rights="Public domain & free", source_id="s", extent=extent, note="Short excerpts <quoted>.",
        citation="An Author. “A title”. 1994.", paragraphs=PARAGRAPHS,
    )
    return _datasets.Document(**{**fields, **changes})


def easier(kind="adapted"):
    return document(id="easy", title="Easier <version>", author="this module", date=None, kind=kind,
                    rights="Module & CC BY", extent="full", note="", paragraphs=EASIER, adapts="doc")


@pytest.fixture(autouse=True)
def fake_data(request, monkeypatch):
    """Hand-made documents and glossary, except for the tests on the shipped documents.

    "plain" has no easier version; "doc" has one, "easy".
    """
    if request.cls is TestShippedDocuments:
        return
    monkeypatch.setattr(_datasets, "_load_cached", {"glossary": GLOSSARY, "documents": DOCUMENTS}.__getitem__)
    monkeypatch.setattr(_datasets, "load_document", lambda document_id: easier() if document_id == "easy" else document())


def html_of(shown) -> str:
    """The HTML a call to read shows: a page, or the page a ReaderView shows now."""
    return shown.page.value if isinstance(shown, ReaderView) else shown.data


def items(page: str) -> dict[int, str]:
    item = r'<li value="(\d+)"><span [^>]*>¶ (\d+)</span> <span class="rwanda-edu-paragraph">(.*?)</span></li>'
    found = re.findall(item, page)
    assert all(n == shown for n, shown, _ in found)  # the number shown is the paragraph's
    return {int(n): body for n, _, body in found}


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_public_name():
    assert rwanda_edu.read is read


def test_whole_document_numbers_paragraphs_by_line_and_skips_empty_lines():
    page = read("plain").data
    shown = items(page)
    assert sorted(shown) == [1, 2, 4, 5, 6]
    assert all(plain(shown[n]) == PARAGRAPHS[n - 1] for n in shown)
    assert "Showing ¶" not in page
    assert 'class="rwanda-edu-explorer rwanda-edu-reader"' in page


@pytest.mark.parametrize("paragraphs, expected", [("2-4", [2, 4]), ("5", [5]), ((4, 5), [4, 5]), ([6, 1], [1, 6]), (2, [2]), (" 1 – 2 ", [1, 2])])
def test_paragraph_ranges(paragraphs, expected):
    page = read("plain", paragraphs=paragraphs).data
    assert sorted(items(page)) == expected


def test_range_notice_names_the_paragraphs_shown():
    assert "Showing ¶ 1–2, 6 of 6." in read("plain", paragraphs=[1, 2, 6]).data


@pytest.mark.parametrize(
    "paragraphs, error, message",
    [
        ("0-2", ValueError, "no paragraph 0; valid: 1 to 6"),
        ("5-9", ValueError, "no paragraph 7; valid: 1 to 6"),
        ("three", ValueError, "not a paragraph range"),
        ((5, 2), ValueError, "selects no paragraph"),
        ([], ValueError, "selects no paragraph"),
        (2.5, TypeError, "paragraphs must be int"),
        (["1"], TypeError, "paragraph must be int"),
        (True, TypeError, "paragraphs must be int"),
    ],
)
def test_bad_paragraphs_are_refused_with_the_valid_range(paragraphs, error, message):
    with pytest.raises(error, match=message):
        paragraph_numbers(paragraphs, len(PARAGRAPHS))


def test_glossary_marking_never_alters_the_text():
    pattern = term_pattern(GLOSSARY["term"])
    definitions = dict(zip(GLOSSARY["term"], GLOSSARY["definition"], strict=True))
    for text in PARAGRAPHS:
        assert plain(mark_terms(text, pattern, definitions, {})) == text


def test_terms_are_marked_as_whole_words_with_their_escaped_definition():
    page = read("plain").data
    marked = re.findall(r'<abbr [^>]*title="([^"]*)">(.*?)</abbr>', page)
    words = [word for _, word in marked]
    # first uses only: "genocide" again in ¶ 2 is not marked; "Chapter VIII", "UNAMIRS" and "ARPF" are other words
    assert words == ["UNAMIR", "Chapter VI", "Genocide", "RPF", "Chapter VII", "Opération Turquoise"]
    assert ("Acts &quot;intended to destroy&quot; a group &lt;in whole or in part&gt;", "Genocide") in marked
    used = re.search(r"<dl>(.*)</dl>", page)[1]
    assert plain(used).startswith("Chapter VI") and used.count("<dt>") == 6


def test_html_in_the_text_and_metadata_is_escaped():
    page = read("plain").data
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "A &lt;title&gt;" in page and "Public domain &amp; free" in page


def test_citation_rights_byline_and_excerpt_notice():
    page = read("plain").data
    for part in ("An Author, 15 April 1994", "An Author. “A title”. 1994.", "Rights:", "Public domain &amp; free"):
        assert part in page
    assert "Excerpts." in page and "Short excerpts &lt;quoted&gt;." in page


def test_full_documents_carry_no_excerpt_notice(monkeypatch):
    monkeypatch.setattr(_datasets, "load_document", lambda document_id: document(extent="full"))
    assert "Excerpts." not in read("plain").data


def test_a_long_document_shows_every_paragraph_under_its_number(monkeypatch):
    long = _datasets.Document(**{**document().__dict__, "paragraphs": PARAGRAPHS * 200})
    monkeypatch.setattr(_datasets, "load_document", lambda document_id: long)
    shown = items(read("plain").data)
    assert len(shown) == 1000  # 1,200 paragraphs, 200 of them blank
    assert sorted(shown) == [n for n, text in enumerate(long.paragraphs, start=1) if text]
    assert plain(shown[1200]) == PARAGRAPHS[-1] and plain(shown[1199]) == PARAGRAPHS[-2]


class TestShippedDocuments:
    """The reader on the package's own documents."""

    @pytest.mark.parametrize("document_id", rwanda_edu.list_documents())
    def test_every_paragraph_reads_exactly_as_stored(self, document_id):
        document = rwanda_edu.load_document(document_id)
        shown = items(html_of(read(document_id)))
        assert shown, document_id
        assert {n: plain(body) for n, body in shown.items()} == {
            n: text for n, text in enumerate(document.paragraphs, start=1) if text.strip()
        }

    def test_the_cable_marks_its_key_terms(self):
        page = html_of(read("cable-1994-04-15", paragraphs="1-10"))
        assert '<abbr class="rwanda-edu-term"' in page and ">UNAMIR</abbr>" in page
        paragraphs = rwanda_edu.load_document("cable-1994-04-15").paragraphs
        assert sorted(items(page)) == [n for n in range(1, 11) if paragraphs[n - 1].strip()]

    def test_an_unknown_document_names_the_valid_ones(self):
        with pytest.raises(ValueError, match=r"did you mean 'lakin-2019'.*Valid: .*cable-1994-04-15"):
            read("lakin-2018")


class TestEasierVersion:
    """A document with an easier version: the student chooses; the original comes first; ¶ numbers stay."""

    def test_the_original_is_shown_first_and_the_choice_is_offered(self):
        view = read("doc")
        assert isinstance(view, ReaderView) and view.version == "original" == view.choice.value
        assert [value for _, value in view.choice.options] == list(VERSIONS)
        assert {n: plain(body) for n, body in items(view.page.value).items()} == {
            n: text for n, text in enumerate(PARAGRAPHS, 1) if text
        }

    def test_choosing_the_easier_version_shows_it_under_the_original_numbers(self):
        view = read("doc", paragraphs="2-5")
        view.choice.value = "easier"
        assert view.version == "easier"
        shown = items(view.page.value)
        assert sorted(shown) == [2, 4, 5]
        assert {n: plain(body) for n, body in shown.items()} == {2: EASIER[1], 4: EASIER[3], 5: EASIER[4]}
        assert "Easier version</strong>" in view.page.value and "Showing ¶ 2–5 of 6." in view.page.value
        view.version = "original"
        assert view.choice.value == "original" and plain(items(view.page.value)[2]) == PARAGRAPHS[1]

    def test_side_by_side_pairs_each_paragraph_with_its_easier_version(self):
        view = read("doc")
        view.version = "side by side"
        rows = re.findall(r"<tr><th [^>]*>¶ (\d+)</th><td [^>]*>(.*?)</td><td [^>]*>(.*?)</td></tr>", view.page.value)
        assert [(int(n), plain(a), plain(b)) for n, a, b in rows] == [
            (n, PARAGRAPHS[n - 1], EASIER[n - 1]) for n in (1, 2, 4, 5, 6)
        ]

    def test_every_version_is_escaped(self):
        view = read("doc")
        for version in VERSIONS:
            view.version = version
            page = view.page.value
            assert "<script>" not in page and "<b>" not in page and "<version>" not in page and "<title>" not in page
        assert "A plain &lt;b&gt;version&lt;/b&gt; of ¶ 2 &amp; more." in page and "Module &amp; CC BY" in page

    def test_a_reading_guide_is_named_as_one(self, monkeypatch):
        monkeypatch.setattr(_datasets, "load_document", lambda i: easier("reading guide") if i == "easy" else document())
        view = read("doc")
        assert ("Reading guide", "easier") in view.choice.options
        view.version = "easier"
        assert "<strong>Reading guide</strong>" in view.page.value and "it is not the text" in view.page.value

    def test_an_unknown_version_names_the_valid_ones(self):
        view = read("doc")
        with pytest.raises(ValueError, match=r"did you mean 'easier'.*Valid: original, easier, side by side"):
            view.version = "easy"
        assert view.version == "original"

    def test_a_document_without_an_easier_version_is_a_plain_page(self):
        assert not isinstance(read("plain"), ReaderView)
