"""How the class did, from ``collect``'s output: tables, plotly charts and an HTML report.

Each view function returns a :class:`View` (a title, a DataFrame and, where useful, a plotly
figure); in a notebook a View shows its chart with the table as text alternative. Every
student's text is escaped wherever it is shown.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import _questions
from .._checks import check_choice, check_type
from .._html import escape, table_html
from .._i18n import N_, _, language
from ._collect import FILES, unguard
from ._key import Key

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")  # Okabe-Ito: safe for colour-blind readers
DEMO_STUDENTS = 30
HTML_MAX_ROWS = 200  # rows per table in the HTML report; the CSV files hold every answer
NOTHING_COUNTED = N_("no auto-scored questions were counted")  # e.g. an assignment marked by hand only
# The tables' column names are data names (``view.table``, as in collect's CSV files); these are shown translated.
COLUMN_LABELS = (
    N_("lesson"), N_("questions"), N_("started"), N_("finished"), N_("started %"), N_("finished %"),
    N_("answered % (all students)"), N_("score band"), N_("students"), N_("question"), N_("prompt"),
    N_("average %"), N_("full marks"), N_("rubric"), N_("criterion"), N_("average level"), N_("answers marked"),
    N_("essay total"), N_("essays"), N_("student"), N_("type"), N_("answer"), N_("earned"), N_("possible"),
    N_("levels"), N_("mark"), N_("comment"), N_("answered_at"), N_("file"), N_("reason"),
)

#: Item-analysis flags, in the words the report shows.
FLAG_DISTRACTOR = N_("a wrong option chosen more often than the key")
FLAG_NEGATIVE = N_("negative discrimination")
FLAG_NOBODY = N_("nobody right")
FLAG_EVERYBODY = N_("everybody right")
FLAGGED_SHOWN = 5  # flagged questions named in the text summary


@dataclass(repr=False)
class Results:
    """``collect``'s output, read back: gradebook, every answer, rejected files."""

    folder: Path
    gradebook: pd.DataFrame
    answers: pd.DataFrame
    rejected: pd.DataFrame
    demo: bool = False

    @property
    def counted(self) -> list[str]:
        """The counted questions (``lesson/question`` columns of the gradebook)."""
        return [c for c in self.gradebook.columns if "/" in c]

    def __repr__(self) -> str:
        return text_summary(self)


@dataclass
class View:
    """One part of the report: a title, a table (the text alternative) and an optional chart."""

    title: str
    table: pd.DataFrame
    figure: object = None

    def _ipython_display_(self):
        from IPython.display import HTML, display

        if self.figure is not None:
            display(self.figure)
        display(HTML(table_html(_labelled(self.table), self.title)))


def load_results(folder: str | os.PathLike | None = None) -> Results:
    """Read the folder ``collect`` wrote; ``None``: a fictional demo class of 30, collected now."""
    if folder is None:
        from ._collect import collect
        from ._demo import make_demo_class

        folder = Path(tempfile.mkdtemp(prefix="rwanda-edu-demo-"))
        make_demo_class(folder / "handins", DEMO_STUDENTS)
        collect(folder / "handins", folder / "results")
        return _read(folder / "results", demo=True)
    check_type(_("results folder"), folder, (str, os.PathLike))
    return _read(Path(folder), demo=False)


def _read(folder: Path, demo: bool) -> Results:
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            _("{folder} is not a folder written by 'rwanda-edu collect' (missing {files})").format(
                folder=folder, files=", ".join(missing))
        )
    gradebook, answers, rejected = (
        pd.read_csv(folder / name, encoding="utf-8-sig", dtype=str, keep_default_na=False).map(unguard)
        for name in FILES
    )
    numeric = [c for c in gradebook.columns if c != "student"]
    gradebook[numeric] = gradebook[numeric].apply(pd.to_numeric, errors="coerce")
    for column in ("earned", "possible"):  # empty for questions that are not auto-scored
        answers[column] = pd.to_numeric(answers[column], errors="coerce")
    return Results(folder, gradebook, answers, rejected, demo)


def _bar(x, ys: dict, title: str, x_title: str, y_title: str, horizontal: bool = False):
    import plotly.graph_objects as go

    fig = go.Figure()
    for (name, y), colour in zip(ys.items(), PALETTE, strict=False):
        fig.add_bar(
            x=y if horizontal else x, y=x if horizontal else y, name=name, marker_color=colour,
            orientation="h" if horizontal else "v",
        )
    fig.update_layout(
        title=title, xaxis_title=y_title if horizontal else x_title, yaxis_title=x_title if horizontal else y_title,
        barmode="group", template="simple_white", height=max(360, 28 * len(x)) if horizontal else 400,
    )
    return fig


def completion(results: Results) -> View:
    """Per lesson: how many students started it, finished it, and the share of its questions answered."""
    key, n = Key(), max(len(results.gradebook), 1)
    answered = results.answers.groupby(["lesson", "student"]).size()
    rows = []
    for lesson in sorted(results.answers["lesson"].unique()):
        per_student = answered.xs(lesson) if lesson in answered.index else pd.Series(dtype=int)
        size = len(key.questions(lesson)) or int(per_student.max())
        rows.append(
            {
                "lesson": lesson,
                "questions": size,
                "started": len(per_student),
                "finished": int((per_student >= size).sum()),
                "started %": round(100 * len(per_student) / n, 1),
                "finished %": round(100 * (per_student >= size).sum() / n, 1),
                "answered % (all students)": round(100 * per_student.sum() / (size * n), 1),
            }
        )
    table = pd.DataFrame(rows, columns=["lesson", "questions", "started", "finished", "started %", "finished %",
                                        "answered % (all students)"])
    title = _("Completion per lesson ({n} students)").format(n=len(results.gradebook))
    figure = _bar(list(table["lesson"]), {_("started"): table["started %"], _("finished"): table["finished %"]},
                  title, _("Lesson"), _("Students (%)"))
    return View(title, table, figure)


def score_distribution(results: Results) -> View:
    """How many students scored in each band of 10 percent (none when no question was auto-scored)."""
    percent = results.gradebook["percent"].dropna() if results.counted else pd.Series(dtype=float)
    bands = [f"{lo}–{lo + 9}%" if lo < 90 else "90–100%" for lo in range(0, 100, 10)]
    index = (percent.clip(0, 100) // 10).clip(upper=9).astype(int)
    counts = index.value_counts().reindex(range(10), fill_value=0)
    table = pd.DataFrame({"score band": bands, "students": counts.to_numpy()})
    if not results.counted:
        return View(_("Score distribution: {nothing}, so there are no scores").format(nothing=_(NOTHING_COUNTED)), table)
    stats = _("median {median}%, lowest {lowest}%, highest {highest}%").format(
        median=f"{percent.median():.0f}", lowest=f"{percent.min():.0f}", highest=f"{percent.max():.0f}",
    ) if len(percent) else _("no scores")
    title = _("Score distribution ({n} students; {stats})").format(n=len(percent), stats=stats)
    return View(title, table, _bar(bands, {_("students"): table["students"]}, title, _("Score"), _("Students")))


def hardest_questions(results: Results, n: int = 10) -> View:
    """The ``n`` counted questions with the lowest average score (unanswered counts as 0)."""
    check_type("n", n, int)
    key, gradebook = Key(), results.gradebook
    rows = []
    for column in results.counted:
        lesson, qid = column.split("/", 1)
        possible = key.possible(lesson, qid) if qid in key.questions(lesson) else None
        if not possible or gradebook.empty:
            continue
        question = key.questions(lesson)[qid]
        rows.append(
            {
                "question": column,
                "prompt": _short(question["prompt"]),
                "average %": round(100 * gradebook[column].mean() / possible, 1),
                "full marks": int((gradebook[column] >= possible).sum()),
                "students": len(gradebook),
            }
        )
    table = pd.DataFrame(rows, columns=["question", "prompt", "average %", "full marks", "students"])
    table = table.sort_values(["average %", "question"]).head(n).reset_index(drop=True)
    if not results.counted:
        return View(_("Hardest questions: {nothing}").format(nothing=_(NOTHING_COUNTED)), table)
    title = _("The {n} hardest questions (lowest average score)").format(n=len(table))
    figure = _bar(list(table["question"])[::-1], {_("average %"): list(table["average %"])[::-1]}, title,
                  _("Question"), _("Average score (%)"), horizontal=True)
    return View(title, table, figure)


def _item_scores(results: Results) -> pd.DataFrame:
    """Student × ``lesson/question`` share of the points earned, for every auto-scored answer (NaN: not answered)."""
    scored = results.answers[results.answers["possible"] > 0]
    fraction = scored["earned"] / scored["possible"]
    item = scored["lesson"] + "/" + scored["question"]
    return pd.DataFrame({"student": scored["student"], "item": item, "fraction": fraction}).pivot_table(
        index="student", columns="item", values="fraction", aggfunc="first")


def _picks(question: dict, text: str) -> list[str]:
    """The option ids (a claim check: the verdict) that ``text``, an answer as ``answers_long.csv`` gives it, names.

    Each option is written out with ``_questions.format_answer``, the code that wrote the file, and compared.
    """
    if question["type"] == "claim_check":
        first = text.split("\n", 1)[0]
        return [v for v in _questions.VERDICTS
                if _questions.format_answer(question, {"verdict": v, "reasoning": ""}).split("\n", 1)[0] == first]
    if question.get("multiple"):
        lines = set(text.split("\n"))
        return [o["id"] for o in question["options"] if _questions.format_answer(question, [o["id"]]) in lines]
    return [o["id"] for o in question["options"] if _questions.format_answer(question, o["id"]) == text]


def _choices(question: dict) -> list[tuple[str, str, bool]]:
    """``(id, text, is the key)`` of each option a student picks from, in the bank's (canonical) order."""
    if question["type"] == "claim_check":
        key = _questions.claim(question["claim"])["verdict"]
        return [(v, label, v == key) for v, label in _questions.VERDICTS.items()]
    if question["type"] == "choice":
        return [(o["id"], o["text"], o["correct"]) for o in question["options"]]
    return []  # ordering, matching: no options to count


def _option_shares(results: Results, lesson: str, qid: str, question: dict) -> dict[str, float]:
    """Option id -> share (%) of the students who answered that picked it (empty without options)."""
    if not _choices(question):
        return {}
    rows = results.answers[(results.answers["lesson"] == lesson) & (results.answers["question"] == qid)]
    picked = [set(_picks(question, text)) for text in rows["answer"]]
    return {oid: round(100 * sum(oid in p for p in picked) / len(picked), 1) if picked else 0.0
            for oid, _, _ in _choices(question)}


def item_analysis(results: Results) -> View:
    """Every auto-scored question: difficulty, discrimination and flags.

    Difficulty is the average share of the points among the students who answered (1 = all
    right); discrimination is the correlation between a student's score on the question and
    their average on the other auto-scored questions they answered (below 0: stronger
    students did worse). Flags: a wrong option chosen more often than the key (for several
    answers: than the least chosen correct option), negative discrimination, nobody right,
    everybody right.
    """
    key, scores = Key(), _item_scores(results)
    rows = []
    for item in sorted(scores.columns):
        lesson, qid = item.split("/", 1)
        question = key.questions(lesson).get(qid)
        if question is None:
            continue
        answered = scores[item].dropna()
        others = scores.drop(columns=item).loc[answered.index].mean(axis=1)
        pair = pd.DataFrame({"item": answered, "rest": others}).dropna()
        r = pair["item"].corr(pair["rest"]) if len(pair) >= 3 else float("nan")
        flags = []
        shares = _option_shares(results, lesson, qid, question)
        keyed = [shares[oid] for oid, _, right in _choices(question) if right]
        wrong = [shares[oid] for oid, _, right in _choices(question) if not right]
        if keyed and wrong and max(wrong) > min(keyed):
            flags.append(FLAG_DISTRACTOR)
        if pd.notna(r) and round(r, 2) < 0:
            flags.append(FLAG_NEGATIVE)
        if len(answered) and (answered >= 1).sum() == 0:
            flags.append(FLAG_NOBODY)
        if len(answered) and (answered >= 1).all():
            flags.append(FLAG_EVERYBODY)
        rows.append({
            "question": item,
            "type": question["type"],
            "answered": len(answered),
            "difficulty": round(float(answered.mean()), 2) if len(answered) else float("nan"),
            "discrimination": round(float(r), 2) if pd.notna(r) else float("nan"),
            "flags": "; ".join(_(flag) for flag in flags),
            "prompt": _short(question["prompt"]),
        })
    table = pd.DataFrame(rows, columns=["question", "type", "answered", "difficulty", "discrimination", "flags", "prompt"])
    flagged = int((table["flags"] != "").sum())
    return View(_("Item analysis: {n} auto-scored questions, {flagged} flagged").format(n=len(table), flagged=flagged),
                table)


def option_choices(results: Results) -> View:
    """For each choice question and claim check: the share of students who picked each option,
    by its text in the bank's order, with the key marked (a claim check's options are its verdicts)."""
    key, rows = Key(), []
    answered = results.answers[results.answers["possible"] > 0]
    for lesson, qid in sorted(set(zip(answered["lesson"], answered["question"], strict=True))):
        question = key.questions(lesson).get(qid)
        if question is None or not _choices(question):
            continue
        shares = _option_shares(results, lesson, qid, question)
        for oid, text, right in _choices(question):
            rows.append({"question": f"{lesson}/{qid}", "option": oid, "text": text, "key": "✓" if right else "",
                         "chosen %": shares[oid]})
    table = pd.DataFrame(rows, columns=["question", "option", "text", "key", "chosen %"])
    return View(_("Options chosen, per question (the key is marked ✓)"), table)


def rubric_averages(results: Results) -> View:
    """The class's average level on each rubric criterion, over every marked answer ("Sourcing 1.8 of 4")."""
    from .._rubric import criterion_label, rubric_names
    from ._marks import marks_of_class

    levels: dict[tuple[str, str], list[int]] = {}
    for rubric, mark in marks_of_class(results.folder, results.gradebook["student"].tolist()):
        for criterion, level in mark.levels.items():
            levels.setdefault((rubric, criterion), []).append(level)
    order = {name: i for i, name in enumerate(rubric_names())}
    rows = [{"rubric": rubric, "criterion": criterion_label(criterion), "average level": round(sum(v) / len(v), 1),
             "of": 4, "answers marked": len(v)}
            for (rubric, criterion), v in sorted(levels.items(), key=lambda kv: order.get(kv[0][0], 99))]
    table = pd.DataFrame(rows, columns=["rubric", "criterion", "average level", "of", "answers marked"])
    if not rows:
        return View(_("Rubric marks: no answer has been marked yet"), table)
    title = _("Average level per rubric criterion (what to reteach: the lowest)")
    labels = [f"{r['criterion']} ({r['rubric']})" for r in rows]
    figure = _bar(labels[::-1], {_("average level"): list(table["average level"])[::-1]}, title, _("Criterion"),
                  _("Average level (1 to 4)"), horizontal=True)
    return View(title, table, figure)


def essay_totals(results: Results) -> View:
    """How many capstone essays reached each total (the sum of the five criteria, out of 20)."""
    from ._marks import marks_of_class

    totals = [mark.total for rubric, mark in marks_of_class(results.folder, results.gradebook["student"].tolist())
              if rubric == "capstone" and len(mark.levels) == 5]
    table = pd.DataFrame({"essay total": list(range(5, 21)),
                          "essays": [totals.count(t) for t in range(5, 21)]})
    if not totals:
        return View(_("Capstone essays: none marked on all five criteria yet"), table)
    ordered = sorted(totals)
    title = _("Capstone essay totals ({n} essays marked; median {median} of 20, lowest {low}, highest {high})").format(
        n=len(totals), median=ordered[len(ordered) // 2], low=ordered[0], high=ordered[-1])
    return View(title, table, _bar([str(t) for t in table["essay total"]], {_("essays"): table["essays"]}, title,
                                   _("Essay total (of 20)"), _("Essays")))


def open_questions(results: Results) -> list[str]:
    """``lesson/question`` of every question that is not auto-scored and has answers."""
    rows = results.answers[results.answers["possible"].isna()]
    return sorted(set(rows["lesson"] + "/" + rows["question"]))


def open_answers(results: Results, question: str) -> View:
    """Every student's answer to ``question`` (``lesson/question``), side by side."""
    check_choice(_("open question"), question, open_questions(results))
    lesson, qid = question.split("/", 1)
    rows = results.answers[(results.answers["lesson"] == lesson) & (results.answers["question"] == qid)]
    table = rows[["student", "answer", *_marked(rows), "answered_at"]].sort_values("student").reset_index(drop=True)
    prompt = Key().questions(lesson).get(qid, {}).get("prompt", qid)
    return View(_("{question}: {prompt} ({n} answers)").format(question=question, prompt=_short(prompt, 120),
                                                               n=len(table)), table)


def student_answers(results: Results, student: str) -> View:
    """One student's full hand-in: every answer with its score."""
    check_choice("student", student, results.gradebook["student"].tolist())
    rows = results.answers[results.answers["student"] == student]
    table = rows[["lesson", "question", "type", "answer", "earned", "possible", *_marked(rows), "answered_at"]]
    table = table.reset_index(drop=True)
    if not results.counted:
        return View(f"{student}: {_(NOTHING_COUNTED)}", table)
    mark = results.gradebook.set_index("student").loc[student]
    return View(_("{student}: {total} of {possible} points ({percent}%)").format(
        student=student, total=f"{mark['total']:g}", possible=f"{mark['possible']:g}", percent=f"{mark['percent']:g}"),
        table)


def text_summary(results: Results) -> str:
    """The main figures in a few plain lines."""
    lines = [
        (_("DEMO CLASS (fictional students). ") if results.demo else "")
        + _("Results in {folder}").format(folder=results.folder),
        _("{students} students; {counted}; {rejected} file(s) rejected.").format(
            students=len(results.gradebook), rejected=len(results.rejected),
            counted=_("{n} questions counted").format(n=len(results.counted)) if results.counted
            else _(NOTHING_COUNTED)),
    ]
    if results.counted:  # otherwise the line above has said there are no scores
        lines.append(score_distribution(results).title)
    rubric = rubric_averages(results).table
    if len(rubric):
        lines.append(_("Rubric averages: {averages}").format(averages="; ".join(
            _("{criterion} {average} of 4").format(
                criterion=c + (_(" (essay)") if r == "capstone" else ""), average=f"{a:g}")
            for r, c, a in zip(rubric["rubric"], rubric["criterion"], rubric["average level"], strict=True))))
    hardest = hardest_questions(results, 3).table
    if len(hardest):
        lines.append(_("Hardest: {questions}").format(questions="; ".join(
            f"{q} ({p:g}%)" for q, p in zip(hardest["question"], hardest["average %"], strict=True))))
    items = item_analysis(results).table
    flagged = items[items["flags"] != ""]
    if len(flagged):
        first = flagged.head(FLAGGED_SHOWN)
        shown = "; ".join(f"{q} ({f})" for q, f in zip(first["question"], first["flags"], strict=True))
        more = _("; and {n} more").format(n=len(flagged) - FLAGGED_SHOWN) if len(flagged) > FLAGGED_SHOWN else ""
        lines.append(_("Questions to review (item analysis): {questions}").format(questions=shown + more))
    return "\n".join(lines)


def write_html(results: Results, path: str | os.PathLike) -> Path:
    """Write a self-contained HTML report (tables and text only; every value escaped)."""
    check_type("path", path, (str, os.PathLike))
    sections = [completion(results), score_distribution(results), hardest_questions(results),
                item_analysis(results), option_choices(results), rubric_averages(results), essay_totals(results)]
    sections += [open_answers(results, q) for q in open_questions(results)]
    if len(results.rejected):
        sections.append(View(_("Rejected files ({n})").format(n=len(results.rejected)), results.rejected))
    summary = "".join(f"<p>{escape(line)}</p>" for line in text_summary(results).splitlines())
    body = "".join(
        f"<section><h2>{escape(v.title)}</h2>{table_html(_labelled(v.table), v.title, max_rows=HTML_MAX_ROWS)}</section>"
        for v in sections
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{escape(language())}"><head><meta charset="utf-8">'
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(_('Class report'))}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.4}"
        "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;"
        "vertical-align:top;text-align:left;white-space:pre-wrap}caption{font-weight:bold;text-align:left}"
        f"</style></head><body><h1>{escape(_('Class report'))}</h1>"
        f"{summary}{body}</body></html>\n"
    )
    path = Path(path)
    path.write_text(page, encoding="utf-8", errors="replace")
    return path


def _labelled(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its column names in the active language (for display only)."""
    return table.rename(columns=lambda column: _(column) if column in COLUMN_LABELS else column)


def _marked(rows: pd.DataFrame) -> list[str]:
    """The rubric-mark columns of answers_long.csv (``levels``, ``mark``, ``comment``) that hold a mark in ``rows``."""
    return [c for c in ("levels", "mark", "comment") if c in rows.columns and (rows[c] != "").any()]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
