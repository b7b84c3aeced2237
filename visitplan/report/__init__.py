"""The funder's final report, drafted from a plan folder: report.docx and contacts.vcf.

``visitplan report PLAN_DIR`` reads what the visit left behind (the plan and its
views, costs.xlsx's named cells, and when they exist evaluation.json, an actuals.xlsx
and the kit's files) and drafts what the funder asks for: the project, participants,
the programme day by day, hosts and contacts, planned results against the sessions'
outcomes, the budget planned against actual, the evaluation and the annexes.  The
officer's format is Word, so the report is a .docx the organiser finishes by hand.

Modules: :mod:`.figures` reads the workbooks' figures, :mod:`.evaluation` the
evaluation's summary, :mod:`.annexes` finds the annexes, :mod:`.content` decides what
the report says, :mod:`.docx_writer` lays it out and :mod:`.vcard` writes the cards.
Everything is read and checked before anything is written; both files then take their
place each in one rename, under the plan folder's lock.  The organiser finishes the
draft where it lies, so a file edited since visitplan wrote it is never replaced
unless forced (:mod:`.guard`).
"""

from __future__ import annotations

from pathlib import Path

from visitplan.folders import replace_file, target_lock
from visitplan.model import LANGUAGES, Visit
from visitplan.plan import Plan
from visitplan.views import build_views

from .annexes import CONTACTS_FILE, annexes
from .content import Report, report_content
from .docx_writer import docx_bytes
from .errors import ReportError
from .evaluation import read_evaluation
from .figures import actual_figures, cost_figures
from .guard import RECORD_FILE, EditedFiles, edited, record_text
from .vcard import contacts_vcf

__all__ = [
    "CONTACTS_FILE",
    "REPORT_FILE",
    "EditedFiles",
    "ReportError",
    "draft_report",
    "write_report",
]

REPORT_FILE = "report.docx"


def draft_report(
    plan_dir: Path, visit: Visit, plan: Plan, *, actuals: Path | None, language: str
) -> tuple[Report, bytes]:
    """The report's content and the contacts file, from everything in ``plan_dir``.

    Raises ReportError for an unknown language, a missing or foreign costs.xlsx (when
    the visit has costs), an actuals.xlsx of another visit or plan, or a damaged
    evaluation.json."""
    if language not in LANGUAGES:
        raise ReportError(f"--lang: {language!r} is not one of {', '.join(LANGUAGES)}")
    views = build_views(visit, plan)
    costs = cost_figures(plan_dir / "costs.xlsx") if visit.costs else None
    actual = None
    if actuals is not None:
        actual = actual_figures(actuals, visit.id, visit.title, costs, len(plan.assignments))
    evaluation = read_evaluation(plan_dir)
    found = annexes(plan_dir, actuals)
    report = report_content(views, language, costs, actual, evaluation, found)
    return report, contacts_vcf(views, language)


def write_report(
    plan_dir: str | Path,
    visit: Visit,
    plan: Plan,
    *,
    actuals: str | Path | None = None,
    language: str | None = None,
    out: str | Path | None = None,
    force: bool = False,
) -> tuple[Path, Path]:
    """Write ``report.docx`` and ``contacts.vcf`` into ``out`` (default ``plan_dir``).

    ``language`` defaults to the visit's.  Nothing is written when the input cannot
    make a report (ReportError), or when either file there was edited since visitplan
    wrote it (EditedFiles) unless ``force``.  Returns the two paths."""
    plan_dir = Path(plan_dir)
    folder = Path(out) if out is not None else plan_dir
    report, contacts = draft_report(
        plan_dir,
        visit,
        plan,
        actuals=Path(actuals) if actuals is not None else None,
        language=language or visit.language,
    )
    files = {REPORT_FILE: docx_bytes(report), CONTACTS_FILE: contacts}
    with target_lock(folder):
        folder.mkdir(parents=True, exist_ok=True)
        changed = () if force else edited(folder, files)
        if changed:
            raise EditedFiles(changed)
        paths = tuple(_put(folder / name, data) for name, data in files.items())
        _put(folder / RECORD_FILE, record_text(files))
    return paths[0], paths[1]


def _put(path: Path, data: bytes) -> Path:
    """Write ``path`` whole or not at all."""
    replace_file(path, data)
    return path
