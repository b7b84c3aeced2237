"""Shortlists ranked by a placement: a delegate's list takes the sessions they can
attend where the placement put them before sessions of more interest they cannot.

d1 must attend s-m (09:00-10:00 at h1).  s-x (ports and rails: 10 for d1) is
pinned at the same hour at h2, so d1 can never attend it; s-y (ports: 5) is
free, and d3 (yards) fills it without d1.  With one choice session per day on the list, interest alone gives d1
only s-x; the placement's ranking gives s-y."""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest

from visitplan.solve import build, placement, ranking
from visitplan.solve.restrictions import Restrictions
from visitplan.solve.rules import attendance

from .solving import (
    DAY1,
    delegate,
    host,
    local,
    lunch,
    plan_and_check,
    session,
    sessions_of,
    tiny_visit,
)

NINE, ELEVEN = 9 * 60, 11 * 60


def _visit():
    return tiny_visit(
        [
            session("s-m", "h1", 60, topics=("protocol",), start="09:00"),
            session("s-x", "h2", 60, topics=("ports", "rails"), start="09:00"),
            session("s-y", "h1", 60, topics=("ports", "yards")),
        ],
        hosts=[host("h1", 0.5), host("h2", 3.0)],
        delegates=[
            delegate("d1", "ports", "rails", must_attend=("s-m",)),
            delegate("d2", "ports", "rails"),
            delegate("d3", "yards"),
        ],
        lunch_rule=lunch("11:30", "13:30", 45),
    )


@pytest.fixture(autouse=True)
def one_per_day(monkeypatch):
    """Shortlists of one session a day, on a visit taken as large (a small visit's
    whole model has no shortlist)."""
    monkeypatch.setattr(attendance, "SHORTLIST_PER_DAY", 1)
    monkeypatch.setattr(importlib.import_module("visitplan.solve.build"), "WHOLE_LARGEST", 0)


PLACED = {"s-m": (1, NINE), "s-x": (None, NINE), "s-y": (None, ELEVEN)}


def test_the_ranking_leaves_out_what_clashes_with_a_session_the_delegate_must_attend():
    tiers = ranking.rank(build(_visit()), PLACED)
    assert tiers["d1"] == {"s-y": ranking.BEST}
    assert tiers["d2"] == {"s-x": ranking.BEST, "s-y": ranking.BEST}


def test_a_dropped_session_and_one_after_the_delegate_has_left_are_not_ranked():
    visit = _visit()
    leaving = replace(visit.delegate("d2"), departs=local(DAY1, "10:30"))
    visit = replace(visit, delegates=(visit.delegate("d1"), leaving, visit.delegate("d3")))
    tiers = ranking.rank(build(visit), {**PLACED, "s-m": (1, NINE)})
    assert tiers["d2"] == {"s-x": ranking.BEST}  # s-y at 11:00 is after d2 has left
    tiers = ranking.rank(build(_visit()), {**PLACED, "s-y": (0, ELEVEN)})
    assert tiers["d1"] == {} and "s-y" not in tiers["d2"]  # s-y dropped


def test_the_best_programme_is_ranked_before_sessions_that_only_fit_alone():
    """d2 can attend s-x or s-z (both 09:00-10:00), not both: the one of more
    interest is in the best programme, the other only fits."""
    visit = tiny_visit(
        [
            session("s-x", "h2", 60, topics=("ports", "rails")),
            session("s-z", "h1", 60, topics=("ports",)),
        ],
        hosts=[host("h1", 0.5), host("h2", 3.0)],
        delegates=[delegate("d2", "ports", "rails")],
    )
    tiers = ranking.rank(build(visit), {"s-x": (None, NINE), "s-z": (None, NINE)})
    assert tiers["d2"] == {"s-x": ranking.BEST, "s-z": ranking.FITS}


def test_the_shortlist_follows_the_ranking():
    visit = _visit()
    assert attendance.truncated(build(visit))
    plain = build(visit)
    ranked = build(visit, Restrictions(ranking=ranking.rank(plain, PLACED)))
    assert ("d1", "s-x") in plain.attends and ("d1", "s-y") not in plain.attends
    assert ("d1", "s-y") in ranked.attends and ("d1", "s-x") not in ranked.attends


def test_a_timed_solve_ranks_the_shortlists_by_its_placement_and_checks_clean():
    """Through the whole solve: the placement's ranking gets d1 a session of interest."""
    plan = plan_and_check(_visit(), deterministic_time=None, time_limit=20.0, workers=1)
    assert "s-y" in sessions_of(plan, "d1")
    assert plan.report.goals["fairness"] > 0


def test_the_ranking_is_made_from_the_greedy_placement_before_any_model():
    """s-y is the one choice d1 can attend besides s-m, wherever it is placed."""
    tiers = placement.ranking_ahead(_visit())
    assert tiers is not None
    assert tiers["d1"] == {"s-y": ranking.BEST}  # s-x clashes with s-m: unranked
    assert build(_visit(), Restrictions(ranking=tiers)).candidates["s-y"] == ("d1", "d3")


def test_no_ranking_ahead_when_every_shortlist_holds_all_its_delegate_cares_for(monkeypatch):
    monkeypatch.setattr(attendance, "SHORTLIST_PER_DAY", 4)
    assert placement.ranking_ahead(_visit()) is None
