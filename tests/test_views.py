"""The itinerary views: per day, per delegate and per host, worked out once from Visit + Plan."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from tests.checkfixtures import DAY1, DAY2, hm, make_plan, make_visit
from visitplan.views import DelegateRide, LunchItem, RideItem, SessionItem, build_views


def views():
    return build_views(make_visit(), make_plan())


def test_every_scheduled_session_is_on_its_day_once():
    v = views()
    plan = make_plan()
    listed = [
        (item.session_id, on)
        for on, items in v.days.items()
        for item in items
        if isinstance(item, SessionItem)
    ]
    assert sorted(listed) == sorted((s.session_id, s.date) for s in plan.sessions)
    assert [s.session_id for s in v.sessions] == [
        "s-open",
        "s-ntnu-a",
        "s-fylke",
        "s-ntnu-b",
        "s-meal",
    ]


def test_session_carries_place_kind_and_attendees():
    v = views()
    opening = next(s for s in v.sessions if s.session_id == "s-open")
    assert opening.host_name == "Trondheim kommune"
    assert opening.kind == "ceremony"
    assert opening.whole_delegation
    assert opening.attendee_ids == ("d01", "d02")
    assert [a.name for a in opening.attendees] == ["Anna Bērziņa", "Jānis Ozoliņš"]
    meal = next(s for s in v.sessions if s.session_id == "s-meal")
    assert meal.host_name == "Scandic Nidelven"  # the base, by visit.place_name


def test_legs_sharing_date_places_times_and_vehicle_are_one_ride():
    v = views()
    plan = make_plan()
    keys = {(g.date, g.from_, g.to, g.depart, g.arrive, g.vehicle) for g in plan.legs}
    assert len(v.rides) == len(keys)
    walk = next(r for r in v.rides if (r.from_, r.to, r.date) == ("base", "kommune", DAY1))
    assert walk.rider_ids == ("d01", "d02")
    assert walk.walked
    assert (walk.from_name, walk.to_name) == ("Scandic Nidelven", "Trondheim kommune")
    to_fylke = next(r for r in v.rides if r.to == "fylke")
    assert to_fylke.rider_ids == ("d02", "d03")
    assert to_fylke.vehicle == "1"
    every_leg = sorted((d, r.date, r.from_, r.to) for r in v.rides for d in r.rider_ids)
    assert every_leg == sorted((g.delegate_id, g.date, g.from_, g.to) for g in plan.legs)


def test_day_items_are_in_time_order_and_every_day_is_listed():
    v = views()
    assert list(v.days) == [DAY1, DAY2]
    for items in v.days.values():
        starts = [(i.start, i.end) for i in items]
        assert starts == sorted(starts)
        assert all(isinstance(i, SessionItem | RideItem) for i in items)


def test_delegate_itinerary_holds_sessions_rides_and_lunch_in_order():
    v = views()
    d01 = v.delegates["d01"]
    assert list(d01) == [DAY1, DAY2]
    kinds = [type(i).__name__ for i in d01[DAY1]]
    assert kinds == [
        "DelegateRide",
        "SessionItem",
        "DelegateRide",
        "SessionItem",
        "LunchItem",
        "DelegateRide",
    ]
    lunch = next(i for i in d01[DAY1] if isinstance(i, LunchItem))
    assert (lunch.start, lunch.end, lunch.place_name) == (hm("11:45"), hm("12:30"), "NTNU")
    # the meal session is the break on day 2: listed once, as the session
    assert [type(i).__name__ for i in d01[DAY2]] == ["SessionItem"]
    assert set(v.delegates) == {"d01", "d02", "d03"}
    assert list(v.delegates["d03"]) == [DAY1, DAY2]  # arrives day 1 at 13:00


def test_delegate_rides_name_their_chain_stops():
    v = views()
    rides = [i.item_id for i in v.delegates["d02"][DAY1] if isinstance(i, DelegateRide)]
    assert rides == [
        "ride:2009-08-24:base-start:s-open:1",
        "ride:2009-08-24:s-open:s-fylke:1",  # via a rest at the base
        "ride:2009-08-24:s-open:s-fylke:2",
        "ride:2009-08-24:s-fylke:base-end:1",
    ]
    day2 = [i.item_id for i in v.delegates["d03"][DAY2] if isinstance(i, DelegateRide)]
    assert day2 == ["ride:2009-08-25:base-start:s-ntnu-b:1", "ride:2009-08-25:s-ntnu-b:s-meal:1"]


def test_host_roster_lists_sessions_with_attendee_details():
    visit = make_visit()
    delegates = tuple(
        replace(d, organisation="Daugavpils City Council", needs="vegetarian")
        if d.id == "d03"
        else d
        for d in visit.delegates
    )
    v = build_views(replace(visit, delegates=delegates), make_plan())
    assert list(v.hosts) == ["base", "fylke", "kommune", "ntnu"]
    ntnu = v.hosts["ntnu"]
    assert [s.session_id for s in ntnu.sessions] == ["s-ntnu-a", "s-ntnu-b"]
    fylke = v.hosts["fylke"].sessions[0]
    assert fylke.size == 2
    ingrid = fylke.attendees[1]
    assert (ingrid.name, ingrid.role, ingrid.organisation, ingrid.needs) == (
        "Ingrid Sørås",
        "agency",
        "Daugavpils City Council",
        "vegetarian",
    )
    assert v.hosts["base"].name == "Scandic Nidelven"


def test_host_without_sessions_still_has_a_roster():
    plan = make_plan()
    plan = replace(
        plan,
        sessions=tuple(s for s in plan.sessions if s.host_id != "fylke"),
        assignments=tuple(a for a in plan.assignments if a.host_id != "fylke"),
    )
    v = build_views(make_visit(), plan)
    assert v.hosts["fylke"].sessions == ()


def test_views_do_not_depend_on_the_plan_order():
    plan = make_plan()
    shuffled = replace(
        plan,
        sessions=plan.sessions[::-1],
        assignments=plan.assignments[::-1],
        legs=plan.legs[::-1],
        lunches=plan.lunches[::-1],
    )
    assert build_views(make_visit(), shuffled) == views()


def test_views_import_no_spreadsheet_or_solver():
    code = (
        "import sys, visitplan.views; "
        "bad = [m for m in ('openpyxl', 'ortools', 'pandas') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
