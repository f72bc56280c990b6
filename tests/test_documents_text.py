"""The stored documents are the seeds, verbatim; the claims, glossary, people and places tables hold what they promise.

The seeds (``../shared/seeds``) are not part of the repository, so the comparison goes through
``tests/fixtures/seed_fingerprints.json``: for each stored paragraph, the seed line it comes from and
the offset and sha256 of each of its pieces (an excerpt's pieces are separated by `` […] ``) in that
line. Every run checks the stored documents against the fingerprints; where the seeds are present,
it also checks that the fingerprints are the ones the seeds give. After a deliberate change to a
document, regenerate them from the seeds with ``python -m tests.test_documents_text``.
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
OMISSION = " […] "
DOCUMENTS = rwanda_edu.list_documents()


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
        "documents": {document_id: fingerprint(document_id, seeds) for document_id in DOCUMENTS},
        "guiding_questions": guiding_questions(seeds),
    }


def write_fingerprints(seeds: Path = SEEDS) -> None:
    text = json.dumps(fingerprints(seeds), indent=1, ensure_ascii=False)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)  # a paragraph a line
    FINGERPRINTS.write_text(text + "\n", encoding="utf-8")


@functools.cache
def recorded() -> dict:
    return json.loads(FINGERPRINTS.read_text(encoding="utf-8"))


def test_every_document_has_a_seed_and_fingerprints():
    assert sorted(SEED_OF) == sorted(DOCUMENTS) == sorted(recorded()["documents"])


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_text_file_is_one_paragraph_per_line(document_id):
    raw = document_path(document_id).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), "the file must end with exactly one newline"
    for number, line in enumerate(text.split("\n")[:-1], 1):
        assert line, f"{document_id}: blank line {number}"
        assert line == line.strip(" \t\u00a0"), f"{document_id}: spaces around line {number}"


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_paragraphs_are_verbatim_from_the_seed_and_in_its_order(document_id):
    stored = recorded()["documents"][document_id]
    if SEEDS.is_dir():  # the seeds are here: compare with them directly, and the fingerprints must be current
        assert fingerprint(document_id, SEEDS) == stored, f"{document_id}: the fingerprints are out of date; {REGENERATE}"
    paragraphs = rwanda_edu.load_document(document_id).paragraphs
    assert len(paragraphs) == len(stored["paragraphs"]), f"{document_id}: paragraphs added or removed; {REGENERATE}"
    previous_line = -1
    for number, (paragraph, (line, *pieces)) in enumerate(zip(paragraphs, stored["paragraphs"]), 1):
        texts, starts, hashes = paragraph.split(OMISSION), pieces[0::2], pieces[1::2]
        assert [sha256(t) for t in texts] == hashes, f"{document_id} ¶{number} is not the seed's text: {paragraph[:80]!r}"
        assert line > previous_line, f"{document_id} ¶{number} is out of the seed's order"
        ends = [start + len(text) for start, text in zip(starts, texts)]
        assert all(start >= end for start, end in zip(starts[1:], ends)), f"{document_id} ¶{number}: pieces out of order"
        previous_line = line


def test_excerpts_say_how_they_were_cut():
    docs = rwanda_edu.load_documents()
    for _, row in docs.iterrows():
        paragraphs = rwanda_edu.load_document(row["id"]).paragraphs
        marked = any(OMISSION in p for p in paragraphs)
        assert not marked or row["extent"] == "excerpt", f"{row['id']}: omission marks in a full text"
        if marked:
            assert "[…]" in row["note"], f"{row['id']}: the note must explain the […] marks"


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
    assert set(claims["document_id"]) == set(DOCUMENTS)


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
