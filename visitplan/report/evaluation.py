"""The evaluation's summary, read from ``PLAN_DIR/evaluation.json`` (``visitplan evaluation
--collect`` writes it beside evaluation.xlsx).

Only what the report prints is kept: forms sent and returned, each session's and each
whole-visit question's responses and mean.  A file that is there but not of the known
shape is refused (the report would otherwise print a wrong summary); an absent file
means no evaluation section.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ReportError

FILE = "evaluation.json"
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Rated:
    """A session or a question on the whole visit: its responses and mean (1–5)."""

    id: str
    text: str
    responses: int
    mean: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    forms: int
    responses: int
    sessions: tuple[Rated, ...]
    questions: tuple[Rated, ...]


def read_evaluation(plan_dir: Path) -> Evaluation | None:
    """The summary in ``plan_dir/evaluation.json``, or None when there is none."""
    path = plan_dir / FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"schema_version is not {SCHEMA_VERSION}")
        return Evaluation(
            forms=_count(data["forms"]),
            responses=_count(data["responses"]),
            sessions=tuple(_rated(item, "session_id", "title") for item in data["sessions"]),
            questions=tuple(_rated(item, "id", "text") for item in data.get("questions", [])),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReportError(f"{path}: not an evaluation summary ({error})") from None


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def _rated(item: dict[str, Any], key: str, text: str) -> Rated:
    mean = item.get("mean")
    if mean is not None:
        if isinstance(mean, bool) or not isinstance(mean, int | float) or not math.isfinite(mean):
            raise ValueError(f"mean {mean!r} is not a number")
        mean = float(mean)
    return Rated(str(item[key]), str(item.get(text, "")), _count(item["responses"]), mean)
