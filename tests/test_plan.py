"""The goals counted on a plan itself (the spec's section 4), independent of the solver."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time

import pytest

from visitplan.plan import (
    Assignment,
    Leg,
    LunchBreak,
    Plan,
    PlanFormatError,
    dumps,
    idle_minutes,
    load_plan,
)

DAY = date(2009, 8, 24)
NEXT = date(2009, 8, 25)


def at(text: str) -> time:
    return time.fromisoformat(text)


def plan_of(legs=(), assignments=(), lunches=()) -> Plan:
    return Plan(
        "v",
        "Europe/Oslo",
        datetime(2009, 8, 1, tzinfo=UTC),
        assignments=tuple(assignments),
        legs=tuple(legs),
        lunches=tuple(lunches),
    )


def leg(did, frm, to, depart, arrive, on=DAY):
    return Leg(did, frm, to, on, at(depart), at(arrive), "1")


def attends(did, sid, start, end, on=DAY):
    return Assignment(did, sid, "h", on, at(start), at(end))


def test_idle_minutes_are_the_gaps_between_first_departure_and_last_return():
    day = plan_of(
        legs=[
            leg("d1", "base", "a", "08:30", "08:50"),
            leg("d1", "a", "b", "10:30", "10:45"),
            leg("d1", "b", "base", "15:00", "15:20"),
        ],
        assignments=[attends("d1", "s1", "09:00", "10:30"), attends("d1", "s2", "11:00", "12:00")],
        lunches=[LunchBreak("d1", DAY, at("12:30"), at("13:15"), "b")],
    )
    # 08:50–09:00 (10), 10:45–11:00 (15), 12:00–12:30 (30), 13:15–15:00 (105)
    assert idle_minutes(day) == 160


def test_a_day_without_rides_has_nothing_idle_and_days_add_up():
    only_sessions = plan_of(assignments=[attends("d1", "s1", "09:00", "10:00")])
    assert idle_minutes(only_sessions) == 0
    two_days = plan_of(
        legs=[
            leg("d1", "base", "a", "08:30", "08:50"),
            leg("d1", "a", "base", "10:00", "10:20"),
            leg("d2", "base", "a", "09:00", "09:20", NEXT),
            leg("d2", "a", "base", "11:00", "11:20", NEXT),
        ],
        assignments=[
            attends("d1", "s1", "09:00", "10:00"),
            attends("d2", "s1", "09:30", "10:30", NEXT),
        ],
    )
    # d1: 08:50–09:00 (10); d2: 09:20–09:30 (10) and 10:30–11:00 (30)
    assert idle_minutes(two_days) == 50


def test_overlapping_busy_times_are_counted_once():
    """A lunch eaten during a walk's slack, or a ride leaving as a session ends."""
    day = plan_of(
        legs=[leg("d1", "base", "a", "08:30", "09:00"), leg("d1", "a", "base", "11:00", "11:30")],
        assignments=[attends("d1", "s1", "08:45", "10:00")],
        lunches=[LunchBreak("d1", DAY, at("09:45"), at("10:30"), "a")],
    )
    # busy 08:30–10:30, idle 10:30–11:00
    assert idle_minutes(day) == 30


# -- reading plan.json: one line an organiser can act on --------------------------------


def written(folder, plan: Plan | None = None):
    """A plan folder holding ``plan`` (or a small one) as plan.json; its plan.json path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.json"
    path.write_text(dumps(plan or plan_of(assignments=[attends("d1", "s1", "09:00", "10:00")])))
    return path


def test_a_plan_folder_reads_back_as_the_plan_it_holds(tmp_path):
    plan = plan_of(legs=[leg("d1", "base", "a", "08:30", "08:50")])
    path = written(tmp_path / "plan", plan)
    assert load_plan(path.parent) == plan.sorted() == load_plan(path)


def test_a_truncated_plan_json_is_named_with_its_line_and_column(tmp_path):
    path = written(tmp_path / "plan")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(PlanFormatError) as caught:
        load_plan(path.parent)
    message = str(caught.value)
    found = re.fullmatch(
        re.escape(f"{path} is not a plan.json: truncated or not JSON ")
        + r"\(line (\d+) column (\d+)\)",
        message,
    )
    assert found, message
    lines = path.read_text(encoding="utf-8").splitlines()
    line, column = int(found[1]), int(found[2])
    assert 1 <= line <= len(lines) + 1 and column >= 1


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda data: data.pop("visit_id"), "it lacks 'visit_id'"),
        (lambda data: data.update(schema_version=99), "its schema_version is 99"),
        (lambda data: data["sessions"].append({"session_id": 3}), "it lacks 'host_id'"),
        (lambda data: data.update(issued="yesterday"), "cannot read (time data 'yesterday'"),
    ],
    ids=["no visit id", "another schema", "a session without host", "a bad issue time"],
)
def test_a_plan_json_that_is_not_a_plan_says_what_is_wrong(tmp_path, damage, words):
    path = written(tmp_path / "plan")
    data = json.loads(path.read_text(encoding="utf-8"))
    damage(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanFormatError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert message.startswith(f"{path} is not a plan this version can read: ")
    assert words in message and "\n" not in message


def test_what_is_not_a_plan_folder_is_named_as_such(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(PlanFormatError, match=f"^no plan folder at {re.escape(str(missing))}$"):
        load_plan(missing)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PlanFormatError, match="holds no plan.json: not a plan folder$"):
        load_plan(empty)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(PlanFormatError, match="is not a plan.json: it holds no JSON object$"):
        load_plan(listed)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00PK")
    with pytest.raises(PlanFormatError, match="is not a plan.json: not UTF-8 text$"):
        load_plan(binary)
