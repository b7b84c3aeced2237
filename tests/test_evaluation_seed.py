"""The Vidzeme visit's evaluation example: an online form's CSV export in
data/vidzeme-ostfold-2009/evaluation-answers/, answered on the sessions each delegate
attends in the plan that `visitplan plan data/vidzeme-ostfold-2009 --seed 0 --workers 1
--deterministic-time 2` makes (OPTIMAL).  The test plans the visit so, checks the plan
clean, says plainly when an answer no longer fits it, and collects the answers."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from visitplan.cli import main
from visitplan.outputs import write_outputs
from visitplan.read import load_visit

from .kitplans import DATA
from .solving import plan_and_check

VIDZEME = DATA / "vidzeme-ostfold-2009"
ANSWERS = VIDZEME / "evaluation-answers" / "microsoft-forms-export.csv"
LABEL = re.compile(r"(rating|comment): ([A-Za-z0-9_-]+)")


def answers() -> list[dict[str, str]]:
    with ANSWERS.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def mean(values: list[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_the_vidzeme_evaluation_answers_fit_the_plan_and_collect(tmp_path, capsys):
    visit = load_visit(VIDZEME)
    plan = plan_and_check(visit)  # seed 0, one worker, deterministic time 2 (tests/solving.py)
    attended: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        attended[a.delegate_id].add(a.session_id)

    rows = answers()
    misfits = [
        f"{row['delegate_id']} answered {label!r} but does not attend {session_id!r} in this plan"
        for row in rows
        for label, value in row.items()
        if value.strip()
        and (m := LABEL.match(label))
        and (session_id := m[2]) not in attended[row["delegate_id"]]
    ]
    assert not misfits, (
        f"{ANSWERS} no longer fits the plan of {VIDZEME.name} (seed 0, one worker, "
        "deterministic time 2): the planned attendances changed; move these answers to "
        "sessions the delegates now attend:\n  " + "\n  ".join(misfits)
    )
    assert len(rows) < len(visit.delegates), "the example has delegates who did not answer"

    plan_dir = tmp_path / "plan"
    write_outputs(visit, plan, plan_dir, pages=False, source=VIDZEME)
    assert main(["evaluation", "--collect", str(plan_dir), str(ANSWERS.parent)]) == 0
    assert f"{len(rows)} of {len(visit.delegates)} evaluation form(s) returned" in (
        capsys.readouterr().out
    )
    data = json.loads((plan_dir / "evaluation.json").read_text(encoding="utf-8"))
    assert (data["forms"], data["responses"]) == (len(visit.delegates), len(rows))
    for entry in data["sessions"]:
        label = f"rating: {entry['session_id']} (1-5)"
        given = [int(row[label]) for row in rows if row[label].strip()]
        assert (entry["responses"], entry["mean"]) == (len(given), mean(given))
    spread = {row[label] for row in rows for label in row if label.startswith("rating:")}
    assert {"2", "3", "4", "5"} <= spread, "ratings vary"
    texts = " ".join(c["text"] for c in data["comments"])
    assert all(letter in texts for letter in "āēīūčģķļņšž"), "Latvian comments, every letter"
