"""``check``: is this computer ready for class? Each check gives plain-language advice when it fails."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .._i18n import N_, _

PACKAGES = ("jupyterlab", "ipywidgets", "anywidget", "plotly", "pandas")
EXTENSIONS = {  # JupyterLab extension -> the package that ships it, and what needs it
    "@jupyter-widgets/jupyterlab-manager": ("jupyterlab_widgets", N_("the questions and explorers")),
    "jupyterlab-plotly": ("plotly", N_("the charts, the timeline and the map")),
    "anywidget": ("anywidget", N_("the questions (their keyboard support uses it)")),
}
INSTALL = N_("pip install --upgrade rwanda_edu (or, in the project folder: pip install -e .)")


@dataclass
class Check:
    """One check: what was checked, whether it passed, what was found, and what to do if it failed."""

    name: str
    ok: bool
    detail: str
    advice: str = ""


def run_checks(lessons: str | os.PathLike | None = None) -> list[Check]:
    """Run every check; ``lessons``: the lessons folder (default: found next to the package)."""
    requirements = _requirements()
    checks = [_python(), *(_package(name, requirements.get(name)) for name in PACKAGES)]
    checks += [_extension(name, *shipped) for name, shipped in EXTENSIONS.items()]
    checks += [_data(), _banks()]
    lessons_check, folder = _lessons(lessons)
    return [*checks, lessons_check, _answers(folder)]


def format_checks(checks: list[Check]) -> str:
    """The checks as lines of text, advice under each failure, and a verdict."""
    lines = []
    for c in checks:
        lines.append(f"{_('OK  ') if c.ok else _('FAIL')}  {c.name}: {c.detail}")
        if not c.ok:
            lines.append(_("      What to do: {advice}").format(advice=c.advice))
    failed = sum(not c.ok for c in checks)
    lines.append(_("Ready for class.") if not failed
                 else _("{n} check(s) failed; see 'What to do' above.").format(n=failed))
    return "\n".join(lines)


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    return Check("Python", sys.version_info >= (3, 10), version,
                 _("Install Python 3.10 or newer, then reinstall rwanda_edu."))


def _requirements() -> dict:
    """rwanda_edu's requirements by package name (none when running from a folder that was not installed)."""
    from packaging.requirements import Requirement

    try:
        requires = metadata.requires("rwanda_edu") or []
    except metadata.PackageNotFoundError:
        requires = []
    wanted: dict = {}
    for requirement in map(Requirement, requires):
        wanted.setdefault(requirement.name, requirement)  # the first: the install requirement, before any extra
    return wanted


def _package(name: str, wanted) -> Check:
    """Whether ``name`` is installed in a version that fits ``wanted`` (a Requirement, or None: any)."""
    from packaging.version import Version

    spec = str(wanted.specifier) if wanted else ""
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return Check(name, False, _("not installed"), _("Install it: {install}").format(install=_(INSTALL)))
    ok = wanted is None or Version(version) in wanted.specifier
    return Check(name, ok, version + ("" if ok else _(" (needs {spec})").format(spec=spec)),
                 _("Upgrade it: pip install --upgrade '{requirement}'").format(requirement=f"{name}{spec}"))


def _extension(name: str, package: str, needed_by: str) -> Check:
    from jupyter_core.paths import jupyter_config_path, jupyter_path

    found = [Path(d) / name for d in jupyter_path("labextensions") if (Path(d) / name / "package.json").is_file()]
    title = _("JupyterLab extension {name}").format(name=name)
    without = _("Without it, JupyterLab cannot display {needed_by} ('Error displaying widget' or an empty output).")\
        .format(needed_by=_(needed_by))
    advice = _("{without} Reinstall the package that ships it: pip install --force-reinstall {package}; "
               "then restart JupyterLab.").format(without=without, package=package)
    if not found:
        return Check(title, False, _("not installed"), advice)
    for config in jupyter_config_path():
        page = Path(config) / "labconfig" / "page_config.json"
        try:
            disabled = json.loads(page.read_text(encoding="utf-8")).get("disabledExtensions", {})
        except (OSError, ValueError, AttributeError):
            continue
        if (disabled.get(name) if isinstance(disabled, dict) else name in disabled):
            return Check(title, False, _("disabled in {page}").format(page=page),
                         _("{without} Enable it: jupyter labextension enable {name}; then restart JupyterLab.").format(
                             without=without, name=name))
    version = json.loads((found[0] / "package.json").read_text(encoding="utf-8")).get("version", "?")
    return Check(title, True, _("{version}, enabled").format(version=version))


def _data() -> Check:
    from .. import _datasets

    try:
        names = _datasets.list_datasets()
        for name in names:
            _datasets.load(name)
        documents = _datasets.list_documents()
        for document in documents:
            _datasets.load_document(document)
    except Exception as error:  # any failure here means the same advice: reinstall
        return Check(_("Data package"), False, _cannot_load(error), _("Reinstall: {install}").format(install=_(INSTALL)))
    return Check(_("Data package"), True, _("{datasets} datasets and {documents} documents load").format(
        datasets=len(names), documents=len(documents)))


def _banks() -> Check:
    from .. import _questions

    try:
        banks = _questions.list_banks()
        total = sum(len(_questions.question_bank(lesson)["questions"]) for lesson in banks)
    except Exception as error:  # a broken bank: same advice whatever the error
        return Check(_("Question banks"), False, _cannot_load(error),
                     _("Reinstall: {install}").format(install=_(INSTALL)))
    return Check(_("Question banks"), bool(banks), _("{lessons} lessons, {questions} questions").format(
        lessons=len(banks), questions=total), _("Reinstall: {install}").format(install=_(INSTALL)))


def _cannot_load(error: Exception) -> str:
    return _("cannot be loaded ({kind}: {error})").format(kind=type(error).__name__, error=error)


def _lessons(lessons) -> tuple[Check, Path | None]:
    from ._lessons import find_lessons, lesson_ids

    try:
        folder = find_lessons(lessons)
    except FileNotFoundError as error:
        return Check(_("Lessons"), False, str(error), _("Run this in the project folder, or pass --lessons DIR.")), None
    return Check(_("Lessons"), True, _("{n} lessons in {folder}").format(n=len(lesson_ids(folder)), folder=folder)), folder


def _answers(lessons: Path | None) -> Check:
    """Students' answers are saved in $RWANDA_EDU_ANSWERS, else in ``answers/`` next to the notebooks."""
    from ..responses import ENV

    folder = Path(os.environ[ENV]) if os.environ.get(ENV) else (lessons or Path.cwd()) / "answers"
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        return Check(_("Answers folder"), False,
                     _("{folder} is not writable ({reason})").format(folder=folder, reason=error.strerror),
                     _("Let students write there (ask IT for write access to {existing}), or set {env} to a folder "
                       "they can write.").format(existing=existing, env=ENV))
    return Check(_("Answers folder"), True, _("{folder} can be written").format(folder=folder))
