"""plan.json: the machine-readable plan with its schema_version.

Beside the plan it keeps the names of the visit's delegates and hosts, so a
later re-plan's change report can name someone the changed visit no longer
has (:func:`visitplan.changes.earlier_names`).
"""

from __future__ import annotations

from pathlib import Path

from ..changes import NAMES_KEY, names_of
from ..plan import dumps


def write(views, folder: Path) -> None:
    text = dumps(views.plan, **{NAMES_KEY: names_of(views.visit)})
    (folder / "plan.json").write_text(text, encoding="utf-8")
