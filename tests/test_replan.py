"""Re-planning a changed visit (spec section 4): every rule kept, confirmed
sessions unmoved, and no more change than planning from scratch would make."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from visitplan.changes import diff
from visitplan.check import check_plan
from visitplan.model import Session, Window
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve
from visitplan.solve.continuity import Previous

DATA = Path(__file__).resolve().parent.parent / "data"
ISSUED = datetime(2009, 9, 1, 8, 0, tzinfo=UTC)
REISSUED = datetime(2009, 9, 15, 8, 0, tzinfo=UTC)


def _solve(visit, previous=None):
    options = SolveOptions(workers=1, seed=0, deterministic_time=2.0, previous=previous)
    plan, report = solve(visit, options, REISSUED if previous else ISSUED)
    assert plan is not None, report.diagnosis
    assert check_plan(visit, plan) == []
    return plan


def _delegates_changed(visit, old, new) -> int:
    return len(
        {c.id for c in diff(visit, old, visit, new) if c.who == "delegate" and c.item != "rides"}
    )


@pytest.fixture(scope="module")
def vidzeme():
    visit = load_visit(DATA / "vidzeme-ostfold-2009")
    return visit, _solve(visit)


def _replan_and_compare(visit, old, changed, freeze=None):
    """The re-plan keeps every rule and changes no more delegates than a fresh plan."""
    again = _solve(changed, Previous(old, freeze))
    fresh = _solve(changed)
    assert _delegates_changed(changed, old, again) <= _delegates_changed(changed, old, fresh)
    return again


def test_a_dropped_delegate_leaves_everyone_else_as_they_were(vidzeme):
    visit, old = vidzeme
    gone = visit.delegates[-1].id
    changed = replace(visit, delegates=visit.delegates[:-1])
    new = _replan_and_compare(visit, old, changed)
    assert gone not in {a.delegate_id for a in new.assignments}
    rows = diff(changed, old, changed, new)
    assert any(c.id == gone and c.why == "removed" for c in rows)
    others = {
        (a.delegate_id, a.session_id, a.date, a.start)
        for a in old.assignments
        if a.delegate_id != gone
    }
    assert others <= {(a.delegate_id, a.session_id, a.date, a.start) for a in new.assignments}


def test_a_host_that_loses_a_day_gets_its_sessions_moved():
    """On the Latgale seed: the Vidzeme sessions are pinned to their days."""
    visit = load_visit(DATA / "latgale-trondelag-2009")
    old = _solve(visit)

    def without_day(held):
        host, day = held.host_id, held.date
        windows = tuple(w for w in visit.windows if not (w.host_id == host and w.date == day))
        if host not in visit.windowed_hosts:  # it received all week: now every day but that one
            windows += tuple(
                Window(host, d.date, d.day_start, d.day_end)
                for d in visit.programme_days
                if d.date != day
            )
        return replace(visit, windows=windows, windowed_hosts=visit.windowed_hosts | {host})

    options = SolveOptions(workers=1, deterministic_time=1.0)
    for held in old.sessions:  # the first host whose loss of that day leaves a plannable visit
        if held.host_id == "base" or visit.session(held.session_id).is_all:
            continue
        changed = without_day(held)
        if solve(changed, options, ISSUED)[0] is not None:
            break
    else:
        pytest.fail("no host of the seed can lose a day and keep the visit plannable")
    new = _replan_and_compare(visit, old, changed)
    assert all(not (s.host_id == held.host_id and s.date == held.date) for s in new.sessions)


def test_an_added_session_changes_only_who_attends_it(vidzeme):
    visit, old = vidzeme
    topics = visit.delegates[0].interests[0][0]
    extra = Session(
        "extra", "Extra: planning data", "ofk", 60, "presentation", (topics,), "choice", False, 1, 4
    )
    changed = replace(visit, sessions=visit.sessions + (extra,))
    new = _replan_and_compare(visit, old, changed)
    moved = {
        c.item for c in diff(changed, old, changed, new) if c.who == "delegate" and c.why == "moved"
    }
    assert moved == set()


def test_a_late_arrival_misses_only_what_comes_before(vidzeme):
    visit, old = vidzeme
    late = visit.delegates[0]
    second = visit.programme_days[1].date
    arrives = datetime.combine(second, time(13, 0), tzinfo=ZoneInfo(visit.timezone))
    changed = replace(visit, delegates=(replace(late, arrives=arrives),) + visit.delegates[1:])
    new = _replan_and_compare(visit, old, changed)
    mine = [a for a in new.assignments if a.delegate_id == late.id]
    assert all((a.date, a.start) >= (second, time(13, 0)) for a in mine)


def test_confirmed_sessions_never_move():
    visit = load_visit(Path(__file__).parent / "visits" / "tiny")
    old = _solve(visit)
    confirmed = [s.id for s in visit.sessions if s.status == "confirmed"]
    assert confirmed
    changed = replace(visit, delegates=visit.delegates[:-1])
    new = _solve(changed, Previous(old))
    before = {s.session_id: (s.date, s.start) for s in old.sessions}
    after = {s.session_id: (s.date, s.start) for s in new.sessions}
    for sid in confirmed:
        assert after[sid] == before[sid]


def test_freeze_keeps_everything_that_started_before_it(vidzeme):
    visit, old = vidzeme
    zone = ZoneInfo(visit.timezone)
    second = visit.programme_days[1].date
    freeze = datetime.combine(second, time(12, 0), tzinfo=zone)
    gone = visit.delegates[-1].id
    changed = replace(visit, delegates=visit.delegates[:-1])
    new = _solve(changed, Previous(old, freeze))

    def started(rows, when):
        return {r for r in rows if datetime.combine(r.date, when(r), tzinfo=zone) < freeze}

    keep = lambda rows: {r for r in rows if r.delegate_id != gone}  # noqa: E731
    assert started(keep(old.assignments), lambda a: a.start) == started(
        new.assignments, lambda a: a.start
    )
    assert started(keep(old.legs), lambda g: g.depart) == started(new.legs, lambda g: g.depart)
    assert {s for s in old.sessions if datetime.combine(s.date, s.start, tzinfo=zone) < freeze} == {
        s for s in new.sessions if datetime.combine(s.date, s.start, tzinfo=zone) < freeze
    }


def test_a_confirmed_session_that_cannot_stay_is_named():
    visit = load_visit(Path(__file__).parent / "visits" / "tiny")
    old = _solve(visit)
    sid = next(s.id for s in visit.sessions if s.status == "confirmed")
    session = visit.session(sid)
    blocker = Session(
        "blocker",
        "Hotel closed",
        session.host_id,
        300,
        "other",
        (),
        "all",
        True,
        pin_date=session.pin_date,
        pin_start=time(8, 30),
    )
    changed = replace(visit, sessions=visit.sessions + (blocker,))
    options = SolveOptions(
        workers=1, deterministic_time=2.0, previous=Previous(old), explain_seconds=10
    )
    plan, report = solve(changed, options, REISSUED)
    assert plan is None and report.status == "INFEASIBLE"
    assert any(sid in line for line in report.diagnosis)
