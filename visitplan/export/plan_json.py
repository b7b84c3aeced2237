"""plan.json: the machine-readable plan with its schema_version.

Beside the plan it keeps the names of the visit's delegates and hosts, so a
later re-plan's change report can name someone the changed visit no longer
has (:func:`visitplan.changes.earlier_names`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..changes import NAMES_KEY, names_of
from ..plan import plan_to_dict


def write(views, folder: Path) -> None:
    data = plan_to_dict(views.plan)
    data[NAMES_KEY] = names_of(views.visit)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    (folder / "plan.json").write_text(text, encoding="utf-8")
