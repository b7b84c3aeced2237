"""The annexes the report lists: the plan folder's files that exist, in a fixed order.

The sign-in sheets, the participant list and the certificates are the kit's files
(``kit/``), printed only where Chromium was at hand; the workbooks are the cost
sheet, the actual attendance and the evaluation.  A file that is not there is not
listed, so the list never promises an annex the organiser cannot attach.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from visitplan.kit import FILES, KIT_DIR

CONTACTS_FILE = "contacts.vcf"

PLAN_FILES = (
    ("report_annex_sign_in", f"{KIT_DIR}/{FILES['sign_in']}"),
    ("report_annex_participants", f"{KIT_DIR}/{FILES['participants']}"),
    ("report_annex_certificates", f"{KIT_DIR}/{FILES['certificates']}"),
    ("report_annex_kit_workbook", f"{KIT_DIR}/{FILES['workbook']}"),
    ("report_annex_costs", "costs.xlsx"),
    ("report_annex_evaluation", "evaluation.xlsx"),
)
"""(word key, path in the plan folder) of every annex the plan folder may hold."""


@dataclass(frozen=True, slots=True)
class Annex:
    key: str
    """The words.py key that names the annex."""
    file: str
    """The file's name as the officer receives it (relative to the plan folder)."""


def annexes(plan_dir: Path, actuals: Path | None) -> tuple[Annex, ...]:
    """The annexes found in ``plan_dir``, then actuals.xlsx (when given) and contacts.vcf."""
    found = [Annex(key, file) for key, file in PLAN_FILES if (plan_dir / file).is_file()]
    if actuals is not None:
        found.append(Annex("report_annex_actuals", actuals.name))
    found.append(Annex("report_annex_contacts", CONTACTS_FILE))
    return tuple(found)
