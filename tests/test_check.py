"""check_plan judges by section 3: a valid plan passes, each broken rule is named."""

from __future__ import annotations

import ast
import random
from dataclasses import replace
from pathlib import Path

import pytest

from visitplan import check
from visitplan.check import Violation, check_plan
from visitplan.model import Day, Lunch, TravelTime, Window
from visitplan.plan import Plan, plan_from_dict, plan_to_dict

from .checkfixtures import (
    DAY1,
    DAY2,
    add,
    attend,
    find_assignment,
    find_leg,
    find_lunch,
    find_session,
    hm,
    leg,
    local,
    lunch_break,
    make_plan,
    make_visit,
    move_session,
    scheduled,
    swap,
    with_delegate,
    with_session,
)


@pytest.fixture
def visit():
    return make_visit()


@pytest.fixture
def plan():
    return make_plan()


def only(rule: int, violations: list[Violation], *words: str) -> list[Violation]:
    """Assert the violations are all of one rule and one of them names every word."""
    assert violations, f"expected a rule {rule} violation, got none"
    assert {v.rule for v in violations} == {rule}, "\n".join(map(str, violations))
    return named(rule, violations, *words)


def named(rule: int, violations: list[Violation], *words: str) -> list[Violation]:
    """Assert some violation of the rule names every word; return those of the rule."""
    of_rule = [v for v in violations if v.rule == rule]
    assert any(all(w in v.message for w in words) for v in of_rule), "\n".join(map(str, violations))
    return of_rule


def d01_at_ntnu_on_day2(plan: Plan, session_id: str, start: str, end: str) -> Plan:
    """d01 also attends a session at ntnu on day 2, sharing d03's rides there and back."""
    session = scheduled(session_id, "ntnu", DAY2, start, end)
    plan = add(
        plan,
        attend("d01", session),
        leg("d01", "base>ntnu", DAY2, "09:00", "09:15"),
        leg("d01", "ntnu>base", DAY2, "11:00", "11:15"),
    )
    if session not in plan.sessions:
        plan = add(plan, session)
    return plan


# -- the valid plan and the report format ----------------------------------------------


def test_hand_built_plan_keeps_every_rule(visit, plan):
    assert check_plan(visit, plan) == []


def test_violation_reads_as_rule_and_message():
    violation = Violation(5, "delegate d07 on 2009-08-25 has no ride from ntnu to base")
    assert str(violation) == "rule 5: delegate d07 on 2009-08-25 has no ride from ntnu to base"


def test_violations_come_sorted_and_independent_of_row_order(visit, plan):
    broken = replace(plan, lunches=(), legs=plan.legs[1:])  # any broken plan
    shuffled = list(broken.legs)
    random.Random(7).shuffle(shuffled)
    found = check_plan(visit, broken)
    assert found == sorted(found)
    assert check_plan(visit, replace(broken, legs=tuple(reversed(shuffled)))) == found


def test_json_round_trip_keeps_the_verdict(visit, plan):
    broken = swap(plan, find_lunch(plan, "d01", DAY1))
    for candidate in (plan, broken):
        again = plan_from_dict(plan_to_dict(candidate))
        assert check_plan(visit, again) == check_plan(visit, candidate)


def test_check_shares_no_code_with_the_solver():
    tree = ast.parse(Path(check.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    inside = {name for name in imported if name.startswith(".") or name.startswith("visitplan")}
    assert inside <= {".model", ".plan", "visitplan.model", "visitplan.plan"}
    forbidden = ("ortools", "solve", "timegrid", "travel")
    assert not [name for name in imported for word in forbidden if word in name]


def test_check_travel_agrees_with_rule_6_for_every_pair(visit):
    """check computes travel itself; on the fixture's pairs it matches the expected minutes."""
    travel = check._Travel(visit)
    expected_by_vehicle = {
        ("base", "kommune"): 11,
        ("base", "ntnu"): 13,
        ("kommune", "ntnu"): 12,
        ("base", "fylke"): 60,
        ("ntnu", "fylke"): 50,
        ("kommune", "fylke"): 55,
    }
    for (a, b), minutes in expected_by_vehicle.items():
        assert travel.vehicle(a, b) == travel.vehicle(b, a) == minutes
    assert travel.vehicle("ntnu", "ntnu") == 0
    assert travel.walk("base", "kommune") == 20
    assert travel.walk("base", "ntnu") is None  # 1.6 km > walk_km
    assert travel.walk("base", "fylke") is None  # no coordinates


# -- rule 0: a plan that does not fit the visit ---------------------------------------


def test_plan_for_another_visit_is_reported(visit, plan):
    only(0, check_plan(visit, replace(plan, visit_id="someone-else")), "someone-else")


def test_unknown_ids_are_reported_never_raised(visit, plan):
    ghost = scheduled("s-ghost", "kommune", DAY1, "16:00", "17:00")
    broken = add(
        plan,
        ghost,
        attend("d99", find_session(plan, "s-open")),
        leg("d99", "base>kommune", DAY1, "08:30", "09:00", "walk"),
        lunch_break("d99", DAY1, "11:30", "12:15", "base"),
    )
    found = only(0, check_plan(visit, broken))
    assert any("s-ghost" in v.message for v in found)
    assert sum("d99" in v.message for v in found) == 3


def test_assignment_must_match_its_session_time(visit, plan):
    row = find_assignment(plan, "d01", "s-open")
    broken = swap(plan, row, replace(row, start=hm("09:15"), end=hm("10:15")))
    only(0, check_plan(visit, broken), "d01", "s-open", "09:15-10:15")


def test_assignment_to_an_unscheduled_session_is_reported(visit, plan):
    lab = scheduled("s-lab", "ntnu", DAY1, "16:00", "17:00")
    found = check_plan(visit, add(plan, attend("d01", lab)))
    only(0, found, "d01", "s-lab", "not scheduled")


def test_an_empty_plan_is_judged_not_raised(visit, plan):
    found = check_plan(visit, replace(plan, sessions=(), assignments=(), legs=(), lunches=()))
    named(1, found, "s-open", "must be scheduled")
    named(1, found, "s-fylke")
    named(1, found, "s-ntnu-b", "must_attend of d03")
    named(4, found, "d03", "must attend s-ntnu-b")


# -- rule 1: sessions scheduled once, sizes kept --------------------------------------


def test_required_session_must_be_scheduled(visit, plan):
    visit = with_session(visit, "s-lab", required=True)
    only(1, check_plan(visit, plan), "s-lab", "must be scheduled", "required")


def test_session_is_scheduled_at_most_once(visit, plan):
    again = scheduled("s-round", "kommune", DAY2, "14:00", "15:00")
    twice = add(plan, again, again, attend("d01", again))
    named(1, check_plan(visit, twice), "s-round", "scheduled 2 times")


def test_choice_session_has_no_more_than_max_size_attendees(visit, plan):
    visit = with_session(visit, "s-fylke", max_size=1)
    only(1, check_plan(visit, plan), "s-fylke", "2 attendees", "max_size 1")


def test_choice_session_has_at_least_min_size_attendees(visit, plan):
    visit = with_session(visit, "s-ntnu-a", min_size=2)
    only(1, check_plan(visit, plan), "s-ntnu-a", "1 attendees", "min_size 2")


# -- rule 2: when and where sessions happen ---------------------------------------------


def test_session_starts_on_the_slot_grid(visit, plan):
    off_grid = move_session(plan, "s-meal", DAY2, "11:50", "12:50")
    only(2, check_plan(visit, off_grid), "s-meal", "grid")


def test_session_lasts_its_minutes(visit, plan):
    longer = move_session(plan, "s-meal", DAY2, "11:45", "13:00")
    only(2, check_plan(visit, longer), "s-meal", "lasts 75 minutes, not 60")


def test_session_lies_inside_one_availability_window(visit, plan):
    narrower = replace(visit, windows=(Window("fylke", DAY1, hm("14:30"), hm("17:00")),))
    only(2, check_plan(narrower, plan), "s-fylke", "window")
    split = (
        Window("fylke", DAY1, hm("13:00"), hm("14:45")),
        Window("fylke", DAY1, hm("15:00"), hm("17:00")),
    )
    only(2, check_plan(replace(visit, windows=split), plan), "s-fylke", "window of fylke")


def test_session_lies_on_a_programme_day(visit, plan):
    days = (visit.days[0], replace(visit.days[1], programme=False))
    named(2, check_plan(replace(visit, days=days), plan), "s-meal", "day without programme")


def test_session_lies_inside_the_day_frame(visit, plan):
    days = (visit.days[0], Day(DAY2, hm("08:30"), hm("12:30")))
    named(2, check_plan(replace(visit, days=days), plan), "s-meal", "frame 08:30-12:30")


def test_host_never_holds_more_sessions_than_rooms(visit, plan):
    crowded = d01_at_ntnu_on_day2(plan, "s-lab", "09:30", "10:30")
    only(2, check_plan(visit, crowded), "host ntnu", "s-lab, s-ntnu-b", "1 room")


def test_session_starts_after_its_after_sessions_end(visit, plan):
    visit = with_session(visit, "s-ntnu-a", after=("s-fylke",))
    only(2, check_plan(visit, plan), "s-ntnu-a", "before s-fylke")


def test_unscheduled_after_session_imposes_nothing(visit, plan):
    visit = with_session(visit, "s-fylke", after=("s-open", "s-lab", "s-round"))
    assert check_plan(visit, plan) == []


def test_session_keeps_its_pinned_start(visit, plan):
    visit = with_session(visit, "s-ntnu-b", pin_start=hm("10:00"))
    only(2, check_plan(visit, plan), "s-ntnu-b", "pinned to start at 10:00")


def test_session_keeps_its_pinned_date(visit, plan):
    visit = with_session(visit, "s-open", pin_date=DAY2)
    only(2, check_plan(visit, plan), "s-open", "pinned to 2009-08-25")


def test_session_is_held_by_its_own_host(visit, plan):
    def elsewhere(row):
        return replace(row, host_id="kommune") if row.session_id == "s-meal" else row

    moved = replace(
        plan,
        sessions=tuple(map(elsewhere, plan.sessions)),
        assignments=tuple(map(elsewhere, plan.assignments)),
    )
    only(2, check_plan(visit, moved), "s-meal", "scheduled at kommune")


# -- rule 3: the whole delegation at `all` sessions ------------------------------------


def test_all_session_is_attended_by_every_delegate_who_can_be_there(visit, plan):
    missing = swap(plan, find_assignment(plan, "d02", "s-open"))
    only(3, check_plan(visit, missing), "d02", "s-open", "does not attend")


def test_late_arrival_does_not_attend_a_morning_all_session(visit, plan):
    """d03 arrives at 13:00: not eligible for the 09:00 opening, so must not attend it."""
    intruding = add(plan, attend("d03", find_session(plan, "s-open")))
    named(3, check_plan(visit, intruding), "d03", "s-open", "cannot be there")


@pytest.mark.parametrize(
    ("arrives", "eligible"),
    [("08:45", True), ("08:46", False), ("09:00", False)],
)
def test_partial_stay_is_eligible_with_time_to_come_from_the_base(visit, plan, arrives, eligible):
    """up(08:45) + up(11 min to kommune) = 09:00 reaches the 09:00 opening; 08:46 does not."""
    visit = with_delegate(visit, "d03", arrives=local(DAY1, arrives))
    found = check_plan(visit, plan)
    missed = [v for v in found if v.rule == 3 and "d03" in v.message]
    assert bool(missed) == eligible, "\n".join(map(str, found))


@pytest.mark.parametrize(("departs", "eligible"), [("10:15", True), ("10:14", False)])
def test_early_departure_is_eligible_with_time_to_go_back(visit, plan, departs, eligible):
    """10:00 end + up(11 min back) = 10:15 must not pass down(departs)."""
    visit = with_delegate(visit, "d02", departs=local(DAY1, departs))
    found = check_plan(visit, plan)
    intruding = [v for v in found if v.rule == 3 and "d02" in v.message]
    assert bool(intruding) != eligible, "\n".join(map(str, found))


# -- rule 4: what each delegate attends --------------------------------------------------


def test_delegate_attends_only_inside_their_stay(visit, plan):
    visit = with_delegate(visit, "d02", departs=local(DAY2, "12:30"))
    only(4, check_plan(visit, plan), "d02", "s-meal", "outside their stay 08:30-12:30")


def test_delegate_attends_every_must_attend_session(visit, plan):
    visit = with_delegate(visit, "d01", must_attend=("s-fylke",))
    only(4, check_plan(visit, plan), "d01", "must attend s-fylke")


def test_delegate_attends_at_most_one_session_of_a_group(visit, plan):
    twice = d01_at_ntnu_on_day2(plan, "s-ntnu-b", "09:30", "11:00")
    only(4, check_plan(visit, twice), "d01", "group ntnu-course", "s-ntnu-a, s-ntnu-b")


def test_delegate_never_in_two_places(visit, plan):
    table = scheduled("s-round", "kommune", DAY1, "09:00", "10:00")
    double = add(plan, table, attend("d02", table))
    only(4, check_plan(visit, double), "d02", "s-open", "s-round", "at once")


def test_delegate_never_rides_during_a_session(visit, plan):
    early = leg("d01", "kommune>ntnu", DAY1, "09:45", "10:15")
    riding = swap(plan, find_leg(plan, "d01", "kommune>ntnu", DAY1), early)
    named(4, check_plan(visit, riding), "d01", "kommune to ntnu", "during s-open")


# -- rule 5: rides join the stops of a delegate's day ------------------------------------


def test_delegate_rides_between_two_different_stops(visit, plan):
    stranded = swap(plan, find_leg(plan, "d01", "kommune>ntnu", DAY1))
    found = only(5, check_plan(visit, stranded))
    assert [str(v) for v in found] == [
        "rule 5: delegate d01 on 2009-08-24 has no ride from kommune to ntnu"
        " between 10:00 and 10:15"
    ]


def test_rides_between_stops_form_a_chain(visit, plan):
    no_walk_back = swap(plan, find_leg(plan, "d02", "kommune>base", DAY1))
    only(5, check_plan(visit, no_walk_back), "d02", "from kommune to fylke", "leaves from base")


def test_last_ride_reaches_the_next_stop(visit, plan):
    wandering = add(plan, leg("d01", "base>kommune", DAY1, "16:00", "16:30", "walk"))
    only(5, check_plan(visit, wandering), "d01", "last arrives at kommune")


def test_two_stops_at_the_same_place_may_be_joined_by_a_round_trip(visit, plan):
    stroll = add(
        plan,
        leg("d01", "base>kommune", DAY2, "09:00", "09:30", "walk"),
        leg("d01", "kommune>base", DAY2, "10:00", "10:30", "walk"),
    )
    assert check_plan(visit, stroll) == []


def test_no_ride_on_a_day_without_sessions(visit, plan):
    free_day = swap(plan, find_assignment(plan, "d01", "s-meal"))
    free_day = swap(free_day, find_lunch(plan, "d01", DAY2))
    free_day = add(free_day, leg("d01", "base>kommune", DAY2, "09:00", "09:30", "walk"))
    only(5, check_plan(visit, free_day), "d01", "attends no session")


def test_no_ride_outside_the_gaps_between_stops(visit, plan):
    """d03 arrives at 13:00: a morning walk lies before their first stop."""
    before_arrival = add(plan, leg("d03", "base>kommune", DAY1, "09:00", "09:30", "walk"))
    only(5, check_plan(visit, before_arrival), "d03", "outside every gap")


# -- rule 6: rides take long enough ---------------------------------------------------


def test_ride_by_vehicle_lasts_at_least_travel_time(visit, plan):
    hurried = tuple(
        replace(g, arrive=hm("16:00")) if (g.from_, g.depart) == ("fylke", hm("15:15")) else g
        for g in plan.legs
    )
    found = only(6, check_plan(visit, replace(plan, legs=hurried)), "takes 45 minutes", "60")
    assert {v.message.split()[1] for v in found} == {"d02", "d03"}


def test_walking_only_between_close_places(visit, plan):
    row = find_leg(plan, "d03", "base>ntnu", DAY2)
    plan = swap(plan, row, replace(row, vehicle="walk", arrive=hm("09:30")))
    only(6, check_plan(visit, plan), "d03", "cannot be walked", "1.60 km")


def test_walk_lasts_at_least_walking_time(visit, plan):
    row = find_leg(plan, "d01", "base>kommune", DAY1)
    plan = swap(plan, row, replace(row, depart=hm("08:45")))
    only(6, check_plan(visit, plan), "d01", "takes 15 minutes", "walking takes at least 20")


def test_ride_times_lie_on_the_slot_grid(visit, plan):
    row = find_leg(plan, "d01", "ntnu>base", DAY1)
    plan = swap(plan, row, replace(row, arrive=hm("12:44")))
    only(6, check_plan(visit, plan), "d01", "grid")


def test_ride_goes_between_known_different_places(visit, plan):
    nowhere = add(
        plan,
        leg("d02", "base>atlantis", DAY2, "08:30", "09:00"),
        leg("d02", "base>base", DAY2, "09:00", "09:15"),
    )
    found = check_plan(visit, nowhere)
    named(6, found, "d02", "unknown place atlantis")
    named(6, found, "d02", "does not go anywhere")


# -- rule 7: vehicles and seats ---------------------------------------------------------


def test_vehicle_never_does_two_rides_at_once(visit, plan):
    row = find_leg(plan, "d01", "ntnu>base", DAY1)
    plan = swap(plan, row, replace(row, depart=hm("13:30"), arrive=hm("13:45")))
    only(7, check_plan(visit, plan), "vehicle 1 on 2009-08-24", "two rides at once")


def test_vehicle_drives_empty_between_rides(visit, plan):
    """The car leaves d01 at ntnu at 10:15 and cannot fetch d02 at kommune at 10:15."""
    driven = leg("d02", "kommune>base", DAY1, "10:15", "10:30")
    plan = swap(plan, find_leg(plan, "d02", "kommune>base", DAY1), driven)
    only(7, check_plan(visit, plan), "vehicle 1", "drive empty from ntnu to kommune (12 min)")


def test_vehicle_starts_the_day_at_the_base(visit, plan):
    far = replace(visit, travel=(*visit.travel, TravelTime("base", "kommune", 100)))
    only(7, check_plan(far, plan), "vehicle 1 on 2009-08-24", "cannot reach kommune")


def test_ride_carries_no_more_delegates_than_free_seats(visit, plan):
    fylke = find_session(plan, "s-fylke")
    crowded = add(
        plan,
        attend("d01", fylke),
        leg("d01", "base>fylke", DAY1, "13:15", "14:15"),
        leg("d01", "fylke>base", DAY1, "15:15", "16:15"),
    )
    found = only(7, check_plan(visit, crowded), "3 delegates", "d01, d02, d03", "2 seats")
    assert len(found) == 2


def test_rides_carry_a_vehicle_number_of_the_fleet(visit, plan):
    row = find_leg(plan, "d01", "kommune>ntnu", DAY1)
    unnumbered = swap(plan, row, replace(row, vehicle=""))
    only(7, check_plan(visit, unnumbered), "kommune to ntnu", "no vehicle number")
    second = swap(plan, row, replace(row, vehicle="2"))
    only(7, check_plan(visit, second), "vehicle 2", "the visit has 1")


def test_unnumbered_rides_are_fine_without_vehicles_or_seats(visit, plan):
    visit = replace(visit, transport=replace(visit.transport, vehicles=None, seats=None))
    legs = tuple(g if g.vehicle == "walk" else replace(g, vehicle="") for g in plan.legs)
    assert check_plan(visit, replace(plan, legs=legs)) == []


# -- rule 8: lunch ------------------------------------------------------------------------


def test_delegate_with_sessions_over_lunch_gets_a_break(visit, plan):
    hungry = swap(plan, find_lunch(plan, "d02", DAY1))
    only(8, check_plan(visit, hungry), "d02", "2009-08-24", "no lunch break")


def test_lunch_overlaps_no_session(visit, plan):
    row = find_lunch(plan, "d01", DAY1)
    plan = swap(plan, row, replace(row, start=hm("11:30"), end=hm("12:15")))
    only(8, check_plan(visit, plan), "d01", "overlaps session s-ntnu-a")


def test_lunch_overlaps_no_ride(visit, plan):
    row = find_lunch(plan, "d02", DAY1)
    plan = swap(plan, row, replace(row, start=hm("12:45"), end=hm("13:30")))
    only(8, check_plan(visit, plan), "d02", "overlaps the ride from base to fylke")


def test_lunch_lasts_its_minutes_inside_the_window(visit, plan):
    d02 = find_lunch(plan, "d02", DAY1)
    plan = swap(plan, d02, replace(d02, end=hm("12:00")))
    d01 = find_lunch(plan, "d01", DAY1)
    plan = swap(plan, d01, replace(d01, start=hm("13:00"), end=hm("13:45")))
    found = check_plan(visit, plan)
    only(8, found, "d02", "shorter than 45 minutes")
    named(8, found, "d01", "outside the lunch window 11:30-13:30")


def test_meal_session_is_the_break_only_when_long_enough(visit, plan):
    visit = replace(visit, lunch=Lunch(hm("11:30"), hm("13:30"), 75))
    found = only(8, check_plan(visit, plan), "(meal s-meal)", "shorter than 75 minutes")
    assert {v.message.split()[1] for v in found} == {"d01", "d02", "d03"}


def test_meal_break_names_a_meal_the_delegate_attends(visit, plan):
    skipped = swap(plan, find_assignment(plan, "d01", "s-meal"))
    only(8, check_plan(visit, skipped), "d01", "which the delegate does not attend")


def test_no_lunch_rule_without_lunch(visit, plan):
    visit = replace(visit, lunch=None)
    assert check_plan(visit, replace(plan, lunches=())) == []
    assert check_plan(visit, plan) == []


def test_off_grid_arrival_with_seconds_is_judged_and_shown(visit, plan):
    """arrives may carry seconds: 13:07:30 leaves time for the 13:15 ride, 13:20:30 does not."""
    visit = with_delegate(visit, "d03", arrives=local(DAY1, "13:07").replace(second=30))
    assert check_plan(visit, plan) == []
    late = with_delegate(visit, "d03", arrives=local(DAY1, "13:20").replace(second=30))
    only(5, check_plan(late, plan), "d03", "no ride from base to fylke between 13:20:30 and 14:15")


# -- access needs (rules 4 and 6, named "access") ------------------------------------------


def with_step_free_hosts(visit, *host_ids: str):
    hosts = tuple(replace(h, step_free=h.id in host_ids) for h in visit.hosts)
    return replace(visit, hosts=hosts)


def test_delegate_who_needs_no_walking_never_walks(visit, plan):
    """d01 walks from the base to the city hall in the morning."""
    visit = with_delegate(visit, "d01", needs="vegetarian; no_walking")
    found = only(6, check_plan(visit, plan), "d01 needs no walking", "walk from base to kommune")
    assert len(found) == 1 and found[0].name == "access"
    assert str(found[0]).startswith("rule 6 (access): delegate d01 needs no walking")
    assert check_plan(with_delegate(visit, "d01", needs="vegetarian"), plan) == []


def test_delegate_who_needs_step_free_access_attends_only_step_free_hosts(visit, plan):
    """d01 attends s-open at the city hall and s-ntnu-a at NTNU on day 1, lunch at the base."""
    visit = with_step_free_hosts(with_delegate(visit, "d01", needs="step_free"), "kommune")
    found = only(4, check_plan(visit, plan), "d01 needs step-free access", "s-ntnu-a", "ntnu")
    assert len(found) == 1 and found[0].name == "access"
    assert check_plan(with_step_free_hosts(visit, "kommune", "ntnu"), plan) == []


def test_delegate_who_needs_step_free_access_is_excused_from_an_all_session_up_steps(visit, plan):
    """Without d01 at s-open (the city hall is not step-free), rule 3 misses nobody;
    d01 attending it breaks the access rule and rule 3 both."""
    visit = with_step_free_hosts(with_delegate(visit, "d01", needs="step_free"), "ntnu")
    absent = swap(plan, find_assignment(plan, "d01", "s-open"))
    assert not [v for v in check_plan(visit, absent) if v.rule in (3, 4)]
    everyone = with_delegate(visit, "d01", needs="")
    named(3, check_plan(everyone, absent), "d01", "s-open", "does not attend")
    found = check_plan(visit, plan)
    named(3, found, "d01 attends all-session s-open", "cannot be there")
    assert [v.name for v in named(4, found, "d01 needs step-free access", "s-open")] == ["access"]
