"""plan.json: the machine-readable plan with its schema_version."""

from __future__ import annotations

from pathlib import Path

from ..plan import dumps


def write(views, folder: Path) -> None:
    (folder / "plan.json").write_text(dumps(views.plan), encoding="utf-8")
