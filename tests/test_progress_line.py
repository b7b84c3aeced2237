"""The live line counts goals as the summary does: optional sessions left out, no
solver words ("bound", "gap") and no negative numbers (issue 15 item 19)."""

from __future__ import annotations

import re

from .solving import delegate, host, plan_and_check, session, tiny_visit


def test_the_live_line_counts_optional_sessions_left_out_in_plain_words(capsys):
    # Two optional sessions clash for the one room: at least one is left out.
    visit = tiny_visit(
        [
            session("a", "h", minutes=300, topics=("planning",)),
            session("b", "h", minutes=300, topics=("planning",)),
        ],
        delegates=[delegate("d1", "planning")],
        hosts=[host("h")],
    )
    plan = plan_and_check(visit, progress=True)
    left_out = 2 - len(plan.sessions)
    line = capsys.readouterr().err
    assert "bound" not in line and "gap" not in line
    assert not re.search(r"(?<![\w-])-\d", line), line
    optional = re.findall(r"optional: (\d+) so far, (\d+) at best possible", line)
    assert optional, line
    found, could = map(int, optional[-1])
    assert found == left_out == 1
    assert could <= found
