"""The stored documents are their sources, verbatim; the module's easier versions and reading guides keep the
originals' paragraphs and rights; the claims, glossary, people and places tables hold what they promise.

The seeds (``../shared/seeds``) are not part of the repository, so the comparison goes through
``tests/fixtures/seed_fingerprints.json``: for each stored paragraph, the seed line it comes from and
the offset and sha256 of each of its pieces (an excerpt's pieces are separated by `` […] ``) in that
line. Every run checks the stored documents against the fingerprints; where the seeds are present,
it also checks that the fingerprints are the ones the seeds give. After a deliberate change to a
document, regenerate them from the seeds with ``python -m tests.test_documents_text``.

A document that is not among the seeds (Rwanda's statements of 1994 and 2017) was read in a published
article that quotes it or in its own publication: the fingerprints keep the sha256 of each of its
paragraphs as read, and the source id of the text it was read in.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import rwanda_edu

from .conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
FINGERPRINTS = Path(__file__).parent / "fixtures" / "seed_fingerprints.json"
REGENERATE = "if the documents were changed on purpose, run: python -m tests.test_documents_text"
# Which seed file each stored document is taken from (see the seeds' README).
SEED_OF = {
    "lakin-2019": "000_cfa67a427f677959.txt",
    "dallaire-2014": "001_151b5a75c8155d24.txt",
    "cardot-essay": "002_c8eda7757b440c11.txt",
    "cable-1994-04-15": "003_7b586f3c1424ed7d.txt",
    "cable-teaching-card": "003_7b586f3c1424ed7d.txt",
}
# Documents that are not among the seeds: for each paragraph, the source id of the text it was read in
# (a published article that quotes it, or the document's own publication).
QUOTED_IN = {
    "rwanda-sc-1994-11-08": ["ap-1994-11-09-tribunal", "price-2007"],
    "rwanda-un-kwibuka23": ["rwanda-un-kwibuka23-2017", "rwanda-un-kwibuka23-2017"],
}
OMISSION = " […] "
ALL_DOCUMENTS = rwanda_edu.list_documents()
# The documents themselves, without the module's easier versions and reading guides of them.
DOCUMENTS = [d for d in ALL_DOCUMENTS if not rwanda_edu.load_document(d).adapts]
ADAPTED = [d for d in ALL_DOCUMENTS if d not in DOCUMENTS]


def document_path(document_id: str) -> Path:
    docs = rwanda_edu.load_documents().set_index("id")
    return ROOT / "data" / str(docs.loc[document_id, "path"])


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seed_lines(document_id: str, seeds: Path) -> list[str]:
    return (seeds / SEED_OF[document_id]).read_text(encoding="utf-8").splitlines()


def fingerprint(document_id: str, seeds: Path) -> dict:
    """The seed fingerprint of a stored document; fails naming the first paragraph not verbatim from the seed."""
    lines = seed_lines(document_id, seeds)
    paragraphs, last = [], (-1, 0)  # (seed line, offset) of the previous piece
    for number, paragraph in enumerate(rwanda_edu.load_document(document_id).paragraphs, 1):
        pieces = paragraph.split(OMISSION)
        homes = [i for i, line in enumerate(lines) if pieces[0] in line]
        assert homes, f"{document_id} ¶{number} is not in the seed: {paragraph[:80]!r}"
        line = next((i for i in homes if (i, 0) > last), None)
        assert line is not None, f"{document_id} ¶{number} is out of the seed's order"
        offset, entry = 0, [line]
        for piece in pieces:  # an excerpt's pieces come from one seed paragraph, in order
            found = lines[line].find(piece, offset)
            assert found >= 0, f"{document_id} ¶{number}: {piece[:60]!r} is not in seed line {line + 1} after the previous piece"
            entry += [found, sha256(lines[line][found:found + len(piece)])]
            offset = found + len(piece)
        paragraphs.append(entry)
        last = (line, offset)
    seed = SEED_OF[document_id]
    return {"seed": seed, "seed_sha256": hashlib.sha256((seeds / seed).read_bytes()).hexdigest(), "paragraphs": paragraphs}


def guiding_questions(seeds: Path) -> list[str]:
    """sha256 of the teaching card's two guiding questions (the seed's bullet lines)."""
    lines = seed_lines("cable-teaching-card", seeds)
    return [sha256(line.strip(" •\u00a0")) for line in lines if line.strip().startswith("•")]


def fingerprints(seeds: Path) -> dict:
    """Everything in tests/fixtures/seed_fingerprints.json, computed from ``seeds``."""
    return {
        "about": "Fingerprints of the seed text that data/documents/<id>.txt reproduce verbatim. Each paragraph: "
                 "its seed line (0-based), then the offset in that line and the sha256 of each of its pieces "
                 "(split at ' […] '). Generated from ../shared/seeds by: python -m tests.test_documents_text",
        "documents": {d: fingerprint(d, seeds) for d in DOCUMENTS if d in SEED_OF},
        "guiding_questions": guiding_questions(seeds),
        "quoted": {document_id: quoted_fingerprint(document_id) for document_id in QUOTED_IN},
    }


def quoted_fingerprint(document_id: str) -> dict:
    """A document read as quoted in articles: each paragraph's article (source id) and sha256."""
    paragraphs = rwanda_edu.load_document(document_id).paragraphs
    assert len(paragraphs) == len(QUOTED_IN[document_id]), f"{document_id}: name the article of each paragraph"
    return {"paragraphs": [[source, sha256(text)] for source, text in zip(QUOTED_IN[document_id], paragraphs, strict=True)]}


def write_fingerprints(seeds: Path = SEEDS) -> None:
    text = json.dumps(fingerprints(seeds), indent=1, ensure_ascii=False)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)  # a paragraph a line
    FINGERPRINTS.write_text(text + "\n", encoding="utf-8")


@functools.cache
def recorded() -> dict:
    return json.loads(FINGERPRINTS.read_text(encoding="utf-8"))


def test_every_document_has_a_seed_or_the_articles_that_quote_it_and_fingerprints():
    assert sorted(SEED_OF) == sorted(recorded()["documents"])
    assert sorted(QUOTED_IN) == sorted(recorded()["quoted"])
    assert sorted(DOCUMENTS) == sorted([*SEED_OF, *QUOTED_IN])


@pytest.mark.parametrize("document_id", QUOTED_IN)
def test_quoted_paragraphs_are_as_read_and_name_their_article(document_id):
    stored = recorded()["quoted"][document_id]["paragraphs"]
    paragraphs = rwanda_edu.load_document(document_id).paragraphs
    assert [[source, sha256(text)] for source, text in zip(QUOTED_IN[document_id], paragraphs, strict=False)] == stored, (
        f"{document_id}: the text differs from what was read; {REGENERATE}"
    )
    sources = rwanda_edu.load_sources().set_index("id")
    row = rwanda_edu.load_documents().set_index("id").loc[document_id]
    for source in set(QUOTED_IN[document_id]) - {row["source_id"]}:  # read in another text: the note says which
        author = sources.loc[source, "author"].split()[-1]
        assert author in row["note"], f"{document_id}: the note must say the text was read in {source}"
        assert row["source_id"] in sources.loc[source, "note"] or document_id in sources.loc[row["source_id"], "note"]


@pytest.mark.parametrize("document_id", ALL_DOCUMENTS)
def test_text_file_is_one_paragraph_per_line(document_id):
    raw = document_path(document_id).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), "the file must end with exactly one newline"
    for number, line in enumerate(text.split("\n")[:-1], 1):
        assert line, f"{document_id}: blank line {number}"
        assert line == line.strip(" \t\u00a0"), f"{document_id}: spaces around line {number}"


@pytest.mark.parametrize("document_id", SEED_OF)
def test_paragraphs_are_verbatim_from_the_seed_and_in_its_order(document_id):
    stored = recorded()["documents"][document_id]
    if SEEDS.is_dir():  # the seeds are here: compare with them directly, and the fingerprints must be current
        assert fingerprint(document_id, SEEDS) == stored, f"{document_id}: the fingerprints are out of date; {REGENERATE}"
    paragraphs = rwanda_edu.load_document(document_id).paragraphs
    assert len(paragraphs) == len(stored["paragraphs"]), f"{document_id}: paragraphs added or removed; {REGENERATE}"
    previous_line = -1
    for number, (paragraph, (line, *pieces)) in enumerate(zip(paragraphs, stored["paragraphs"], strict=True), 1):
        texts, starts, hashes = paragraph.split(OMISSION), pieces[0::2], pieces[1::2]
        assert [sha256(t) for t in texts] == hashes, f"{document_id} ¶{number} is not the seed's text: {paragraph[:80]!r}"
        assert line > previous_line, f"{document_id} ¶{number} is out of the seed's order"
        ends = [start + len(text) for start, text in zip(starts, texts, strict=True)]
        assert all(start >= end for start, end in zip(starts[1:], ends, strict=False)), f"{document_id} ¶{number}: pieces out of order"
        previous_line = line


def test_excerpts_say_how_they_were_cut():
    docs = rwanda_edu.load_documents()
    for _, row in docs.iterrows():
        paragraphs = rwanda_edu.load_document(row["id"]).paragraphs
        marked = any(OMISSION in p for p in paragraphs)
        assert not marked or row["extent"] == "excerpt", f"{row['id']}: omission marks in a full text"
        if marked:
            assert "[…]" in row["note"], f"{row['id']}: the note must explain the […] marks"


def test_every_primary_and_secondary_document_has_one_easier_version_or_reading_guide():
    docs = rwanda_edu.load_documents().set_index("id")
    originals = docs[docs["kind"].isin(["primary", "secondary"])].index
    adapting = docs["adapts"].dropna()
    assert adapting.is_unique, "one easier version or reading guide per document"
    assert set(originals) <= set(adapting), f"without an easier version: {sorted(set(originals) - set(adapting))}"
    assert set(adapting) <= set(DOCUMENTS), "an easier version adapts a document, never another easier version"


@pytest.mark.parametrize("document_id", ADAPTED)
def test_an_easier_version_keeps_the_paragraphs_and_respects_the_rights(document_id):
    doc = rwanda_edu.load_document(document_id)
    original = rwanda_edu.load_document(doc.adapts)
    assert len(doc.paragraphs) == len(original.paragraphs), f"{document_id}: ¶ n must be about ¶ n of {doc.adapts}"
    assert doc.source_id == original.source_id, f"{document_id} cites the original's source"
    assert doc.kind in ("adapted", "reading guide")
    may_adapt = "public domain" in original.rights or original.rights.startswith("UN public document")
    if doc.kind == "adapted":
        assert may_adapt, f"{doc.adapts} ({original.rights}) may not be adapted: write a reading guide"
        assert doc.title.startswith("Easier version")
    else:
        assert "reading guide" in doc.title.lower()
        assert not shared_runs(doc.text, original.text), f"{document_id} copies the original: {shared_runs(doc.text, original.text)[:3]}"


def shared_runs(text: str, original: str, length: int = 7) -> list[str]:
    """Runs of ``length`` words that ``text`` shares with ``original`` (quoted words excepted)."""
    def runs(t: str) -> set[str]:
        words = re.findall(r"\w+", re.sub(r"“[^”]*”|\"[^\"]*\"", " ", t).lower())
        return {" ".join(words[i:i + length]) for i in range(len(words) - length + 1)}
    return sorted(runs(text) & runs(original))


def test_teaching_card_keeps_its_guiding_questions_verbatim():
    questions = recorded()["guiding_questions"]
    if SEEDS.is_dir():
        assert guiding_questions(SEEDS) == questions, f"the fingerprints are out of date; {REGENERATE}"
    card = {sha256(paragraph) for paragraph in rwanda_edu.load_document("cable-teaching-card").paragraphs}
    assert len(questions) == 2 and set(questions) <= card


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return rwanda_edu.load_claims()


def test_claims_quote_their_paragraph_verbatim(claims):
    for _, claim in claims.iterrows():
        paragraphs = rwanda_edu.load_document(str(claim["document_id"])).paragraphs
        number = int(claim["paragraph"])
        assert 1 <= number <= len(paragraphs), f"{claim['claim_id']}: no paragraph {number}"
        assert claim["quote"] in paragraphs[number - 1], f"{claim['claim_id']}: quote not in ¶{number}"
        assert OMISSION.strip() not in claim["quote"], f"{claim['claim_id']}: a quote may not span an omission"


def test_claims_cover_every_document_and_verdict(claims):
    assert len(claims) >= 24
    assert set(claims["verdict"].dropna()) == set(claims["verdict"].cat.categories)
    assert set(claims["document_id"]) <= set(DOCUMENTS)
    assert set(SEED_OF) <= set(claims["document_id"])


def test_glossary_has_the_required_terms():
    terms = set(rwanda_edu.load_glossary()["term"])
    required = {"UNAMIR", "RPF", "Interahamwe", "RTLM", "Chapter VI", "Chapter VII", "genocide", "R2P", "ICTR",
                "Arusha Accords", "Opération Turquoise", "Brahimi Report"}
    assert required <= terms, f"missing: {sorted(required - terms)}"


def test_glossary_see_also_names_glossary_terms():
    glossary = rwanda_edu.load_glossary()
    terms = set(glossary["term"])
    for _, row in glossary.iterrows():
        unknown = set(rwanda_edu.split_ids(row["see_also"])) - terms
        assert not unknown, f"{row['term']}: see_also names unknown terms {sorted(unknown)}"


def test_glossary_french_and_kinyarwanda_terms_name_where_they_are_attested():
    glossary = rwanda_edu.load_glossary()
    sources = rwanda_edu.load_sources().set_index("id")
    for row in glossary.itertuples():
        cited = rwanda_edu.split_ids(row.translation_source_ids)
        translated = [t for t in (row.fr, row.rw) if isinstance(t, str)]
        assert bool(cited) == bool(translated), f"{row.term}: French or Kinyarwanda terms and their sources go together"
        own = set(rwanda_edu.split_ids(row.source_ids))
        texts = [f"{sources.loc[s, 'title']} {sources.loc[s, 'note']}".lower() for s in cited if s not in own]
        for term in translated:  # each term appears in the title or note of a source named for it, or is the term's own
            word = term.split(" (")[0].lower()
            assert any(word in text for text in texts) or own & set(cited), f"{row.term}: no source named attests {term!r}"
    terms = glossary.set_index("term")
    assert "Jenoside yakorewe Abatutsi" in terms.loc["genocide", "rw"] and terms.loc["Kwibuka", "rw"] == "Kwibuka"
    assert terms.loc["ICTR", "fr"].startswith("Tribunal pénal international pour le Rwanda")


def test_genocide_is_defined_by_the_convention_in_its_own_words():
    definition = rwanda_edu.load_glossary().set_index("term").loc["genocide", "definition"]
    assert ("with intent to destroy, in whole or in part, a national, ethnical, racial or religious group, as such"
            in definition)


def test_every_place_the_timeline_names_exists():
    places = set(rwanda_edu.load_places()["id"])
    named = set(rwanda_edu.load_events()["place_id"].dropna())
    assert named <= places, f"unknown places: {sorted(named - places)}"


if __name__ == "__main__":  # python -m tests.test_documents_text: regenerate the fingerprints from the seeds
    write_fingerprints()
    print(f"Wrote {FINGERPRINTS.relative_to(ROOT)} from {SEEDS}")
