"""The change report of a re-plan (visitplan.changes): every row says what, when and where.

The earlier plan is the hand-built Trøndelag plan of ``checkfixtures``; the
re-plan drops delegate d01 (and the session s-ntnu-a only they attended),
moves s-fylke and its rides a quarter of an hour later and d02's lunch half
an hour later.  Both plans are checked clean.  As ``visitplan replan`` does,
the report is made from the new visit alone plus the names the earlier plan
folder keeps.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from tests.checkfixtures import (
    DAY1,
    dropped_and_moved,
    lunch_break,
    make_plan,
    make_visit,
    swap,
)
from visitplan.changes import diff, earlier_names, names_of, summary
from visitplan.check import check_plan
from visitplan.outputs import write_outputs
from visitplan.plan import Change

DROPPED = "d01"


def replanned():
    visit, plan = dropped_and_moved()
    lunch = next(b for b in plan.lunches if b.delegate_id == "d02" and b.date == DAY1)
    plan = swap(plan, lunch, lunch_break("d02", DAY1, "12:00", "12:45", "base"))
    assert check_plan(visit, plan) == []
    return visit, plan


@pytest.fixture(scope="module")
def report():
    old_visit, old = make_visit(), make_plan()
    assert check_plan(old_visit, old) == []
    visit, new = replanned()
    return diff(visit, old, visit, new, names_of(old_visit))


def rows_of(report, who, person, item=None):
    return [c for c in report if (c.who, c.id) == (who, person) and item in (None, c.item)]


def test_changed_rides_are_listed_with_date_times_and_places(report):
    (rides,) = rows_of(report, "delegate", "d02", "rides")
    route_there, route_back = (
        "Scandic Nidelven → Trøndelag fylkeskommune",
        "Trøndelag fylkeskommune → Scandic Nidelven",
    )
    assert rides.was == (
        f"2009-08-24 13:15–14:15 {route_there} (vehicle 1); "
        f"2009-08-24 15:15–16:15 {route_back} (vehicle 1)"
    )
    assert rides.now == (
        f"2009-08-24 13:30–14:30 {route_there} (vehicle 1); "
        f"2009-08-24 15:30–16:30 {route_back} (vehicle 1)"
    )
    assert (rides.why, rides.name) == ("changed", "Jānis Ozoliņš")


def test_a_lunch_that_moved_is_listed_with_its_times_and_place(report):
    (lunch,) = rows_of(report, "delegate", "d02", "lunch")
    assert (lunch.was, lunch.now, lunch.why) == (
        "2009-08-24 11:30–12:15 at Scandic Nidelven",
        "2009-08-24 12:00–12:45 at Scandic Nidelven",
        "moved",
    )
    assert rows_of(report, "delegate", "d03", "lunch") == []  # d03's lunch stayed


def test_a_lunch_that_moved_place_only_is_listed():
    visit, old = make_visit(), make_plan()
    lunch = next(b for b in old.lunches if b.delegate_id == "d01" and b.date == DAY1)
    new = swap(old, lunch, replace(lunch, place="base"))
    assert check_plan(visit, new) == []
    (row,) = diff(visit, old, visit, new)
    assert (row.id, row.item, row.why) == ("d01", "lunch", "moved")
    assert (row.was, row.now) == (
        "2009-08-24 11:45–12:30 at NTNU",
        "2009-08-24 11:45–12:30 at Scandic Nidelven",
    )


def test_a_dropped_delegate_is_shown_by_name_and_id_once(report):
    dropped = rows_of(report, "delegate", DROPPED)
    assert dropped and {c.why for c in dropped} == {"removed"}
    assert {c.name for c in dropped} == {"Anna Bērziņa"}
    assert {c.item for c in dropped} == {"s-open", "s-ntnu-a", "s-meal"}  # no rides or lunch
    lines = summary(report)
    (line,) = [line for line in lines if line.startswith(f"  delegate {DROPPED}")]
    assert line.startswith(f"  delegate {DROPPED} (Anna Bērziņa): ")
    assert line.count(DROPPED) == 1


def test_a_dropped_delegate_nobody_can_name_is_shown_by_id_once():
    visit, new = replanned()
    rows = diff(visit, make_plan(), visit, new)
    assert {c.name for c in rows if c.id == DROPPED} == {""}
    (line,) = [line for line in summary(rows) if line.startswith(f"  delegate {DROPPED}")]
    assert line.startswith(f"  delegate {DROPPED}: ")
    assert line.count(DROPPED) == 1


def test_the_earlier_plan_folder_keeps_the_names_for_the_report(tmp_path):
    folder = write_outputs(make_visit(), make_plan(), tmp_path / "first", pages=False)
    names = earlier_names(folder)
    assert names["delegates"][DROPPED] == "Anna Bērziņa"
    assert names["hosts"]["fylke"] == "Trøndelag fylkeskommune"
    data = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    del data["names"]
    (folder / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    assert earlier_names(folder) == {"delegates": {}, "hosts": {}}
    assert earlier_names(tmp_path / "nowhere") == {}


def test_a_host_sees_who_left_its_session(report):
    (opening,) = rows_of(report, "host", "kommune", "s-open")
    assert (opening.was, opening.now) == ("2 attendee(s)", "1 attendee(s): −Anna Bērziņa")
    assert (opening.why, opening.name) == ("changed", "Trondheim kommune")


def test_a_host_sees_a_swap_of_attendees_that_keeps_the_group_size():
    visit, old = make_visit(), make_plan()
    rows = {a.delegate_id: a for a in old.assignments if a.session_id == "s-fylke"}
    new = swap(old, rows["d02"], replace(rows["d02"], delegate_id="d04"))
    visit = replace(visit, delegates=(*visit.delegates, replace(visit.delegates[0], id="d04")))
    changes = [c for c in diff(visit, old, visit, new) if c.who == "host"]
    (fylke,) = changes
    assert (fylke.item, fylke.why, fylke.reason) == ("s-fylke", "changed", "attendees changed")
    assert fylke.now == "2 attendee(s): +Anna Bērziņa, −Jānis Ozoliņš"


def test_the_summary_never_sends_control_characters_to_the_terminal():
    evil = Change("delegate", "d09", "Eve\x1b[2J\nSmith\x07", "s-open", "", "x", "new")
    (_count, line) = summary((evil,))
    assert not re.search("[\x00-\x1f\x7f]", line)
    assert line.startswith("  delegate d09 (Eve\\x1b[2J Smith\\x07): ")
