"""What the teacher guide says about a question: read from ``lessons/teacher/guide/<lesson>.md``.

The guide is the one place the notes are written; the marking view shows, for a question, every
passage of its lesson's guide that names it: its block under *Open questions* (what to look for and
the exemplar), its answer-key line (a claim check's verdict) and an *About* note. A question marked
with the capstone rubric also gets the guide's *The rubric* and *Exemplars* sections.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ._lessons import find_lessons

_BLOCK_START = re.compile(r"^(\*\*)?`[a-z0-9-]+`")  # "**`qid`**" or "`qid`" opening a block
_ABOUT = re.compile(r"^\*\*About `([a-z0-9-]+)`")


@functools.cache
def _sections(lesson: str, lessons: Path | None = None) -> dict[str, str]:
    """``## heading`` -> its text, for the guide of ``lesson`` (empty when there is no guide)."""
    try:
        path = find_lessons(lessons) / "teacher" / "guide" / f"{lesson}.md"
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    sections, heading = {}, ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            sections[heading] = ""
        elif heading:
            sections[heading] += line + "\n"
    return sections


def _blocks(text: str, start: re.Pattern, bullets: bool = False) -> list[str]:
    """``text`` cut into blocks, each beginning at a line that matches ``start``.

    A block runs to the next start (blank lines included); a bullet (``bullets``) only over its indented lines.
    """
    blocks: list[str] = []
    open_ = False
    for line in text.splitlines():
        if start.match(line):
            blocks.append(line)
            open_ = True
        elif open_ and (line.startswith("  ") if bullets else line.strip()):
            blocks[-1] += "\n" + line
        elif bullets:
            open_ = False
    return blocks


_BULLET = re.compile(r"^- `[a-z0-9-]+`,")


def _names(block: str, question: str) -> bool:
    head = block.split("\n", 1)[0]
    lead = head.split(". ", 1)[0] if head.startswith("**") else head.split(" (", 1)[0]
    return f"`{question}`" in lead or f"`{question}`**" in head[:120]


def guide_notes(lesson: str, question: str, rubric: str | None = None) -> str:
    """Every passage of the guide on ``lesson/question``, as Markdown text (empty when it has none)."""
    sections = _sections(lesson)
    found = []
    for heading, text in sections.items():
        if heading.startswith("Open question"):
            found += [b for b in _blocks(text, _BLOCK_START) if _names(b, question)]
        elif heading.startswith("Answer key"):
            found += [b for b in _blocks(text, _BULLET, bullets=True) if b.startswith(f"- `{question}`,")]
        paragraphs = text.split("\n\n")
        found += [p.strip() for p in paragraphs if (m := _ABOUT.match(p.strip())) and m.group(1) == question]
    if rubric == "capstone":
        found += [f"**{h}.** {sections[h].strip()}" for h in ("The rubric", "Exemplars") if h in sections]
    return "\n\n".join(dict.fromkeys(found))
