"""What a delegate's days hold (``solve.hours``): every plan's choice sessions, each
with its share of the rides, fit in it, and the ``all`` sessions and the rides
between places make the bounds tighter."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from visitplan.check import check_plan
from visitplan.solve.build import every_pair, sessions_only
from visitplan.solve.hours import Hours
from visitplan.solve.relaxation import Relaxation
from visitplan.solve.seats import Seats

from .checkfixtures import hm
from .solving import (
    DAY1,
    PLANNED,
    delegate,
    host,
    local,
    plan_and_check,
    session,
    solve_visit,
    tiny_visit,
)
from .test_solve import small_visits, solver_examples


def _hours(visit) -> Hours:
    return Hours.of(sessions_only(visit), [s for s in visit.sessions if not s.is_all])


def test_an_all_session_takes_its_minutes_from_those_it_keeps():
    """The welcome (90 minutes at 10:00) lies inside every day's span of choice
    sessions: d1, there all day, loses it; d2, who arrives at 12:00, need not attend."""
    choice = session("s1", "h1", 60)
    welcome = session("welcome", "base", 90, audience="all", start="10:00")
    delegates = [
        delegate("d1", "planning"),
        delegate("d2", "planning", arrives=local(DAY1, "12:00")),
    ]
    without = _hours(tiny_visit([choice], delegates=delegates)).usable
    usable = _hours(tiny_visit([choice, welcome], delegates=delegates)).usable
    assert usable["d1"] == without["d1"] - 90
    assert usable["d2"] == without["d2"]


def test_the_rides_between_places_tighten_the_bounds():
    """Two one-hour sessions at hosts 4 km apart in a two-hour day: d1 can attend
    only one.  Counting minutes alone, both fit; with the ride into each host
    charged, the relaxation proves the plan's 5 and the count is below 10."""
    visit = tiny_visit(
        [session("s1", "h1", 60), session("s2", "h2", 60)],
        delegates=[delegate("d1", "planning")],
        hosts=[host("h1", 0.5), host("h2", 4.5)],
        frame=("09:00", "11:30"),
    )
    hours = _hours(visit)
    assert hours.minutes["s1"] > 60 and hours.minutes["s2"] > 60
    assert hours.minutes["s1"] + hours.minutes["s2"] > hours.usable["d1"]
    plan = plan_and_check(visit)
    assert plan.report.goals["interest"] == 5
    relaxation = Relaxation.of(every_pair(visit))
    assert relaxation.bound("interest", {}, {"max_time_in_seconds": 5.0}) == 5
    assert 5 <= Seats.of(sessions_only(visit)).interest(5) < 10


@st.composite
def visits_with_a_welcome(draw):
    """A small visit with an ``all`` session (at the base or a host, pinned or not),
    sometimes a delegate who arrives late or leaves early, and a day that may end
    early, so that the hours bind."""
    visit = draw(small_visits())
    end = hm(draw(st.sampled_from(["11:30", "13:00", "18:00"])))
    visit = replace(visit, day_end=end, days=tuple(replace(d, day_end=end) for d in visit.days))
    place = draw(st.sampled_from(["base", *(h.id for h in visit.hosts)]))
    start = draw(st.sampled_from([None, "09:00", "10:30", "14:00"]))
    welcome = session(
        "welcome", place, draw(st.sampled_from([30, 60, 90])), audience="all", start=start
    )
    delegates = list(visit.delegates)
    late = draw(st.sampled_from([None, ("arrives", "11:00"), ("departs", "15:00")]))
    if late is not None:
        delegates[0] = replace(delegates[0], **{late[0]: local(DAY1, late[1])})
    return replace(visit, sessions=(*visit.sessions, welcome), delegates=tuple(delegates))


@solver_examples(20)
@given(visit=visits_with_a_welcome())
def test_every_plan_fits_in_the_hours(visit):
    """For every delegate of a checked plan, their choice sessions with their rides
    charged fit in what ``hours`` says their days hold, and the bounds made from it
    are never below the plan."""
    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status not in PLANNED:
        return
    assert check_plan(visit, plan) == []
    hours = _hours(visit)
    for d in visit.delegates:
        mine = [a.session_id for a in plan.assignments if a.delegate_id == d.id]
        taken = sum(hours.minutes[sid] for sid in mine if not visit.session(sid).is_all)
        assert taken <= hours.usable[d.id] + 1e-9, (d.id, mine)
    seats = Seats.of(sessions_only(visit))
    assert seats.interest(report.goals["interest"]) >= report.goals["interest"]
    assert seats.fairness() >= report.goals["fairness"]
    relaxation = Relaxation.of(every_pair(visit))
    if relaxation is not None:
        bound = relaxation.bound("interest", {}, {"max_time_in_seconds": 5.0})
        assert bound is None or bound >= report.goals["interest"]
