"""The ``rwanda-edu`` command: open the lessons, and the teacher's tools.

Exit status: 0 success; 1 some hand-ins rejected or some checks failed; 2 usage error.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from ._i18n import _


def lab_argv(lessons: Path, notebook: Path | None = None) -> list[str]:
    """The command that opens JupyterLab on ``lessons`` at ``notebook`` (default: the start-here notebook)."""
    from .teacher._lessons import START

    notebook = notebook or lessons / f"{START}.ipynb"
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={lessons}", str(notebook)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return argv


def _lab(args) -> int:
    from .teacher._lessons import find_lessons

    argv = lab_argv(find_lessons(args.lessons).resolve())
    try:
        return subprocess.call(argv)
    except KeyboardInterrupt:
        return 0


def _assign(args) -> int:
    from .teacher._assign import build_bundle, sharing_advice

    bundle = build_bundle(
        _split(args.lessons),
        name=args.name,
        due=args.due,
        out=args.out,
        hide_correctness=args.hide_correctness,
        count=_split(args.count) if args.count is not None else None,
        lessons_dir=args.lessons_dir,
        content_repo=args.content_repo,
        binder=args.binder,
        hub=args.hub,
        branch=args.branch,
    )
    print(sharing_advice(bundle))
    if args.exchange:
        from .exchange import assignment_id, open_assignment

        area = open_assignment(args.exchange, assignment_id(bundle.assignment["name"]))
        print(_("Opened the exchange area {area}: hand-ins arrive in its inbound folder.").format(area=area))
    return 0


def _collect(args) -> int:
    from .teacher._collect import collect

    if (args.dir is None) == (args.exchange is None):
        print(_("rwanda-edu collect: error: give a hand-in folder DIR or --exchange DIR (one of the two)"),
              file=sys.stderr)
        return 2
    if args.exchange is not None:
        from .exchange import collect_exchange

        found = collect_exchange(args.exchange, args.out, assignment=args.assignment, account_prefix=args.account_prefix)
        print(found.summary())
        return 1 if found.result.rejected or found.refused else 0
    result = collect(args.dir, args.out, assignment=args.assignment)
    print(result.summary())
    return 1 if result.rejected else 0


def _release_feedback(args) -> int:
    from .exchange import release_feedback

    release = release_feedback(args.exchange, args.feedback, area=args.assignment, account_prefix=args.account_prefix)
    print(release.summary())
    return 1 if release.skipped else 0


def _lock_keys(args) -> int:
    from .keys import lock_keys

    print(lock_keys(args.group, lessons=args.lessons).summary())
    return 0


def _demo(args) -> int:
    from .teacher._demo import make_demo_class

    paths = make_demo_class(args.dir, args.students, seed=args.seed)
    print(_("Wrote {n} fictional demo hand-ins to {folder}.").format(n=len(paths), folder=args.dir))
    print(_("Next: rwanda-edu collect {folder} --out class_results").format(folder=args.dir))
    return 0


def _report(args) -> int:
    from .teacher._report import load_results, text_summary, write_html

    results = load_results(args.outdir)
    print(text_summary(results))
    if args.html:
        write_html(results, args.html)
        print(_("Wrote the report to {path}.").format(path=args.html))
    return 0


def _mark(args) -> int:
    from .teacher._lessons import find_lessons
    from .teacher._marking import RESULTS_ENV
    from .teacher._marks import read_class

    results = Path(args.results).resolve()
    read_class(results)  # a folder collect wrote, or a clear error
    lessons = find_lessons(args.lessons).resolve()
    argv = lab_argv(lessons, lessons / "teacher" / "marking.ipynb")
    try:
        return subprocess.call(argv, env={**os.environ, RESULTS_ENV: str(results)})
    except KeyboardInterrupt:
        return 0


def _marks(args) -> int:
    from .teacher._marks import export_marks, import_marks

    if args.import_file:
        count = import_marks(args.results, args.import_file)
        print(_("Stored the marks of {count} answer(s) from {file} in {results}.").format(
            count=count, file=args.import_file, results=args.results))
        print(_("Next: rwanda-edu collect HANDINS --out {results} (the gradebook then counts them), "
                "or rwanda-edu feedback {results} --out FEEDBACK").format(results=args.results))
    else:
        count = export_marks(args.results, args.export_file)
        print(_("Wrote the marks of {count} answer(s) to {file}.").format(count=count, file=args.export_file))
    return 0


def _feedback(args) -> int:
    from .teacher._feedback import write_feedback

    written = write_feedback(args.results, args.out)
    print(_("Wrote feedback for {n} student(s) to {out}: a page (.html) and a file (.json) each.").format(
        n=len(written), out=args.out))
    print(_("Give each student their two files: the .json file goes into their answers folder, where "
            "lesson.feedback() at the end of each lesson shows it."))
    return 0


def _export(args) -> int:
    from .teacher._lms import export_grades

    result = export_grades(args.results, args.format, args.roster, args.out)
    print(result.summary())
    return 1 if result.unmatched else 0


def _check(args) -> int:
    from .teacher._check import format_checks, run_checks

    checks = run_checks(lessons=args.lessons)
    print(format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``rwanda-edu`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="rwanda-edu",
        description=_("Lessons on the 1994 genocide against the Tutsi in Rwanda and UN peacekeeping, "
                      "and tools for teachers."),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("lab", help=_("open the lessons in JupyterLab"))
    p.add_argument("--lessons", metavar="DIR", help=_("the lessons folder (default: found next to the package)"))
    p.set_defaults(run=_lab)

    p = sub.add_parser("assign", help=_("build a student bundle (folder and zip) from chosen lessons"))
    p.add_argument("--lessons", required=True, help=_("lesson ids, comma-separated, e.g. 01_road_to_1994,03_withdrawal_cable"))
    p.add_argument("--name", required=True, help=_('the assignment name, e.g. "Week 3"'))
    p.add_argument("--due", required=True, help=_("due date, YYYY-MM-DD"))
    p.add_argument("--hide-correctness", action="store_true", help=_("students do not see right/wrong while answering"))
    p.add_argument("--count", metavar="Q1,Q2", help=_("questions that count (qid or lesson/qid); default: all auto-scored"))
    p.add_argument("--out", required=True, metavar="DIR", help=_("the bundle folder to create (a .zip is written next to it)"))
    p.add_argument("--lessons-dir", metavar="DIR", help=_("the lessons folder (default: found next to the package)"))
    p.add_argument("--content-repo", metavar="URL", help=_("git repository you push the bundle's files to, for a link that opens it"))
    p.add_argument("--binder", metavar="OWNER/REPO[@REF]", help=_("this module's GitHub repository: print a Binder link (needs --content-repo)"))
    p.add_argument("--hub", metavar="URL", help=_("your JupyterHub's address: print a JupyterHub link (needs --content-repo)"))
    p.add_argument("--branch", default="main", help=_("the content repository's branch the link pulls (default: main)"))
    p.add_argument("--exchange", metavar="DIR", help=_("the hub's exchange folder: open this assignment's area in it"))
    p.set_defaults(run=_assign)

    p = sub.add_parser("collect", help=_("read students' hand-ins, rescore them, write the gradebook"))
    p.add_argument("dir", metavar="DIR", nargs="?", help=_("folder holding the hand-in .json files"))
    p.add_argument("--exchange", metavar="DIR", help=_("collect from the hub's exchange folder instead: each student's "
                   "latest hand-in (earlier ones listed in OUTDIR/handins.csv)"))
    p.add_argument("--out", required=True, metavar="OUTDIR", help=_("folder for gradebook.csv, answers_long.csv, rejected.csv"))
    p.add_argument("--assignment", metavar="FILE", help=_("assignment.json from the bundle: which lessons and questions count "
                   "(with --exchange, its name also picks the assignment's area)"))
    p.add_argument("--account-prefix", default="", metavar="PREFIX", help=_("Unix account = PREFIX + hub name "
                   "(The Littlest JupyterHub: jupyter-); default: none"))
    p.set_defaults(run=_collect)

    p = sub.add_parser("release-feedback", help=_("give each student their feedback files through the hub's exchange"))
    p.add_argument("feedback", metavar="FEEDBACK", help=_("folder with a subfolder per student (hub account name), "
                   "or files named <student>.<ext>"))
    p.add_argument("--exchange", required=True, metavar="DIR", help=_("the hub's exchange folder"))
    p.add_argument("--assignment", metavar="NAME", help=_("the assignment (needed when the exchange holds several)"))
    p.add_argument("--account-prefix", default="", metavar="PREFIX", help=_("Unix account = PREFIX + hub name "
                   "(The Littlest JupyterHub: jupyter-); default: none"))
    p.set_defaults(run=_release_feedback)

    p = sub.add_parser("lock-keys", help=_("on a hub: make the answer keys readable by the teachers' group only"))
    p.add_argument("--group", required=True, help=_("the teachers' Unix group, e.g. teachers"))
    p.add_argument("--lessons", metavar="DIR", help=_("the lessons folder whose teacher/ guide to lock too (default: found "
                   "next to the package, if there)"))
    p.set_defaults(run=_lock_keys)

    p = sub.add_parser("demo-class", help=_("write fictional hand-ins to try collect and the report"))
    p.add_argument("dir", metavar="DIR", help=_("folder to write the hand-ins to"))
    p.add_argument("--students", required=True, type=int, metavar="N", help=_("number of fictional students"))
    p.add_argument("--seed", type=int, default=0, help=_("random seed (same seed, same class)"))
    p.set_defaults(run=_demo)

    p = sub.add_parser("report", help=_("summarize collect's output; optionally write an HTML report"))
    p.add_argument("outdir", metavar="OUTDIR", help=_("the folder collect wrote"))
    p.add_argument("--html", metavar="FILE", help=_("write a self-contained HTML report"))
    p.set_defaults(run=_report)

    p = sub.add_parser("mark", help=_("open the marking view in JupyterLab to mark open answers with the rubric"))
    p.add_argument("results", metavar="RESULTS", help=_("the folder collect wrote"))
    p.add_argument("--lessons", metavar="DIR", help=_("the lessons folder (default: found next to the package)"))
    p.set_defaults(run=_mark)

    p = sub.add_parser("marks", help=_("import or export rubric marks as CSV"))
    p.add_argument("results", metavar="RESULTS", help=_("the folder collect wrote"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--import", dest="import_file", metavar="FILE.csv",
                       help=_("store the marks of a CSV file (student, lesson, question, criterion, level, comment)"))
    which.add_argument("--export", dest="export_file", metavar="FILE.csv", help=_("write every stored mark to a CSV file"))
    p.set_defaults(run=_marks)

    p = sub.add_parser("feedback", help=_("write each student's feedback: a page and a file for their notebook"))
    p.add_argument("results", metavar="RESULTS", help=_("the folder collect wrote"))
    p.add_argument("--out", required=True, metavar="DIR", help=_("folder for the feedback files"))
    p.set_defaults(run=_feedback)

    p = sub.add_parser("export", help=_("grades as a CSV file that Canvas or Moodle imports"))
    p.add_argument("results", metavar="RESULTS", help=_("the folder collect wrote"))
    p.add_argument("--format", required=True, choices=["canvas", "moodle", "csv"], help=_("the learning platform's format"))
    p.add_argument("--roster", required=True, metavar="FILE.csv", help=_("class list: name, login, email (optional: id, section)"))
    p.add_argument("--out", metavar="FILE.csv", help=_("the file to write (default: grades-<format>.csv in RESULTS)"))
    p.set_defaults(run=_export)

    p = sub.add_parser("check", help=_("check this computer is ready for class"))
    p.add_argument("--lessons", metavar="DIR", help=_("the lessons folder (default: found next to the package)"))
    p.set_defaults(run=_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``rwanda-edu``; return the exit status."""
    from .exchange import ExchangeError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, FileNotFoundError, FileExistsError, NotADirectoryError, ExchangeError) as error:
        print(_("rwanda-edu {command}: error: {error}").format(command=args.command, error=error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
