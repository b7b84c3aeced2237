"""Every number, date and count has the range of spec "Ranges and text": a value
outside it is invalid input named by file, row and column, never a crash, a hang
or unbounded memory (issue 15 items 3, 7, 10 and 17)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from visitplan.cli import main
from visitplan.read import read_visit

from .test_read import DATA, build_workbook, errors_of, replace, tiny_copy

FIRST_DAY = date(2009, 8, 24)


def last_day(days: int):
    """A visit of ``days`` programme days; return defaults to last_day."""
    last = FIRST_DAY + timedelta(days=days - 1)
    return [
        replace("visit.toml", "last_day = 2009-08-26", f"last_day = {last}"),
        replace("visit.toml", "return = 2009-08-27\n", ""),
    ]


def many_rows(file: str, header: str, row: str, count: int):
    """``file`` with ``count`` rows made from ``row`` (``{n}`` numbers them)."""

    def edit(folder: Path) -> None:
        lines = [header, *(row.format(n=n) for n in range(count))]
        (folder / file).write_text("\n".join(lines) + "\n", "utf-8")

    return edit


RANGES = [
    # item 3: vehicles
    (
        "vehicles with 20 digits",
        [replace("visit.toml", "vehicles = 1", "vehicles = 99999999999999999999")],
        "visit.toml:35: transport.vehicles: must be between 1 and 500",
    ),
    (
        "vehicles 1e308",
        [replace("visit.toml", "vehicles = 1", "vehicles = 1e308")],
        "visit.toml:35: transport.vehicles: must be between 1 and 500",
    ),
    (
        "vehicles 501",
        [replace("visit.toml", "vehicles = 1", "vehicles = 501")],
        "visit.toml:35: transport.vehicles: must be between 1 and 500",
    ),
    # item 7: extreme numbers
    (
        "buffer minutes 1e20",
        [replace("visit.toml", "buffer_minutes = 10", "buffer_minutes = 1e20")],
        "visit.toml:34: transport.buffer_minutes: must be between 0 and 240",
    ),
    (
        "buffer minutes 241",
        [replace("visit.toml", "buffer_minutes = 10", "buffer_minutes = 241")],
        "visit.toml:34: transport.buffer_minutes: must be between 0 and 240",
    ),
    (
        "travel minutes 1e20",
        [replace("travel.csv", ",35", ",100000000000000000000")],
        "travel.csv:2: minutes: must be between 0 and 1,440",
    ),
    (
        "travel minutes 1441",
        [replace("travel.csv", ",35", ",1441")],
        "travel.csv:2: minutes: must be between 0 and 1,440",
    ),
    (
        "max_size 1e20",
        [replace("sessions.csv", ",1,10,", ",1,100000000000000000000,")],
        "sessions.csv:3: max_size: must be between 1 and 10,000",
    ),
    (
        "min_size 10001",
        [replace("sessions.csv", "choice,,2,", "choice,,10001,")],
        "sessions.csv:4: min_size: must be between 1 and 10,000",
    ),
    (
        "seats 1e308",
        [replace("visit.toml", "seats = 20", "seats = 1e308")],
        "visit.toml:36: transport.seats: must be between 1 and 1,000",
    ),
    (
        "reserved seats negative",
        [replace("visit.toml", "reserved_seats = 2", "reserved_seats = -1")],
        "visit.toml:37: transport.reserved_seats: must be between 0 and 999",
    ),
    (
        "speed 1e-300",
        [replace("visit.toml", "speed_kmh = 60", "speed_kmh = 1e-300")],
        "visit.toml:33: transport.speed_kmh: must be between 1 and 300",
    ),
    (
        "speed 301",
        [replace("visit.toml", "speed_kmh = 60", "speed_kmh = 301")],
        "visit.toml:33: transport.speed_kmh: must be between 1 and 300",
    ),
    (
        "speed infinite",
        [replace("visit.toml", "speed_kmh = 60", "speed_kmh = inf")],
        "visit.toml:33: transport.speed_kmh: must be a finite number",
    ),
    (
        "speed not a number",
        [replace("visit.toml", "speed_kmh = 60", "speed_kmh = nan")],
        "visit.toml:33: transport.speed_kmh: must be a finite number",
    ),
    (
        "road factor 1e308",
        [replace("visit.toml", "speed_kmh = 60\n", "speed_kmh = 60\nroad_factor = 1e308\n")],
        "visit.toml:34: transport.road_factor: must be between 1 and 5",
    ),
    (
        "road factor below 1",
        [replace("visit.toml", "speed_kmh = 60\n", "speed_kmh = 60\nroad_factor = 0.5\n")],
        "visit.toml:34: transport.road_factor: must be between 1 and 5",
    ),
    (
        "walk km 21",
        [replace("visit.toml", "speed_kmh = 60\n", "speed_kmh = 60\nwalk_km = 21\n")],
        "visit.toml:34: transport.walk_km: must be between 0 and 20",
    ),
    (
        "walk speed 11",
        [replace("visit.toml", "speed_kmh = 60\n", "speed_kmh = 60\nwalk_kmh = 11\n")],
        "visit.toml:34: transport.walk_kmh: must be between 1 and 10",
    ),
    (
        "exchange rate 1e308",
        [replace("visit.toml", "NOK = 0.1146", "NOK = 1e308")],
        "visit.toml:44: exchange.NOK: must be at most 1,000,000",
    ),
    (
        "amount with 26 digits",
        [replace("costs.csv", "350.50", "12345678901234567890123456")],
        "costs.csv:2: amount: must be between 0 and 1,000,000,000",
    ),
    (
        "amount with 5 decimals",
        [replace("costs.csv", "350.50", "350.12345")],
        "costs.csv:2: amount: has more than 4 decimals",
    ),
    (
        "budget above ten billion",
        [replace("visit.toml", "total = 20000", "total = 10000000001")],
        "visit.toml:40: budget.total: must be between 0 and 10,000,000,000",
    ),
    (
        "lunch minutes 1e20",
        [replace("visit.toml", "minutes = 45", "minutes = 1e20")],
        "visit.toml:24: lunch.minutes: must be between 1 and 1,440",
    ),
    (
        "slot minutes 1e20",
        [replace("visit.toml", "slot_minutes = 15", "slot_minutes = 100000000000000000000")],
        "visit.toml:12: slot_minutes: must be between 1 and 60",
    ),
    (
        "rooms 101",
        [replace("hosts.csv", "10.4022,2,", "10.4022,101,")],
        "hosts.csv:2: rooms: must be between 1 and 100",
    ),
    (
        "rooms 0",
        [replace("hosts.csv", "10.4022,2,", "10.4022,0,")],
        "hosts.csv:2: rooms: must be between 1 and 100",
    ),
    (
        "pinned must-attend session of 150,000,000,000,000 minutes",
        [replace("sessions.csv", "base,30,", "base,150000000000000,")],
        "sessions.csv:2: minutes: 150000000000000 is longer than the longest daily frame "
        "(630 minutes)",
    ),
    (
        "session longer than the longest frame",
        [replace("sessions.csv", "ntnu,90,", "ntnu,645,")],
        "sessions.csv:3: minutes: 645 is longer than the longest daily frame (630 minutes)",
    ),
    (
        "arrives in year 1",
        [replace("delegates.csv", "2009-08-24 12:00", "0001-01-01 00:30")],
        "delegates.csv:4: arrives: 0001-01-01 is not in the years 1900..2999",
    ),
    (
        "arrives long before depart",
        [replace("delegates.csv", "2009-08-24 12:00", "2009-08-21 23:00")],
        "delegates.csv:4: arrives: 2009-08-21 23:00 is outside depart − 1 day .. "
        "return + 1 day (2009-08-22..2009-08-28)",
    ),
    (
        "departs long after return",
        [replace("delegates.csv", "2009-08-26 12:00", "2009-08-29 00:00")],
        "delegates.csv:6: departs: 2009-08-29 00:00 is outside depart − 1 day .. "
        "return + 1 day (2009-08-22..2009-08-28)",
    ),
    # item 10: the visit's length
    (
        "a visit of 11,000 days",
        last_day(11_000),
        "visit.toml:7: last_day: 11,000 programme days from first_day 2009-08-24; at most 92",
    ),
    (
        "a visit of 93 days",
        last_day(93),
        "visit.toml:7: last_day: 93 programme days from first_day 2009-08-24; at most 92",
    ),
    (
        "depart eight days early",
        [replace("visit.toml", "depart = 2009-08-23", "depart = 2009-08-16")],
        "visit.toml:8: depart: 2009-08-16 is more than 7 days before first_day 2009-08-24",
    ),
    (
        "return eight days late",
        [replace("visit.toml", "return = 2009-08-27", "return = 2009-09-03")],
        "visit.toml:9: return: 2009-09-03 is more than 7 days after last_day 2009-08-26",
    ),
    (
        "first day in year 10000 minus one",
        [replace("visit.toml", "first_day = 2009-08-24", "first_day = 9999-12-31")],
        "visit.toml:6: first_day: 9999-12-31 is not in the years 1900..2999",
    ),
    # counts
    (
        "5,001 delegates",
        [many_rows("delegates.csv", "id,name", "p{n},Person {n}", 5_001)],
        "delegates.csv:5002: more than 5,000 delegates",
    ),
    (
        "a table of 100,001 rows",
        [
            many_rows(
                "availability.csv", "host_id,date,from,to", "ntnu,2009-08-24,09:00,11:00", 100_000
            )
        ],
        "availability.csv:100001: more than 100,000 rows",
    ),
    (
        "a header of 201 columns",
        [
            replace(
                "hosts.csv", ",phone\n", ",phone," + ",".join(f"x{n}" for n in range(192)) + "\n"
            )
        ],
        "hosts.csv:1: more than 200 columns",
    ),
]


@pytest.mark.parametrize(
    ("edits", "expected"), [pytest.param(e, x, id=name) for name, e, x in RANGES]
)
def test_a_value_out_of_range_is_one_problem_where_it_is(tmp_path, edits, expected):
    visit, problems = read_visit(tiny_copy(tmp_path, *edits))
    assert visit is None
    assert errors_of(problems) == [expected]


IN_RANGE = [
    ("the most vehicles", [replace("visit.toml", "vehicles = 1", "vehicles = 500")]),
    ("the most seats", [replace("visit.toml", "seats = 20", "seats = 1000")]),
    ("no buffer", [replace("visit.toml", "buffer_minutes = 10", "buffer_minutes = 0")]),
    ("amount with 4 decimals", [replace("costs.csv", "350.50", "350.1234")]),
    ("a session as long as the longest frame", [replace("sessions.csv", "ntnu,90,", "ntnu,630,")]),
    ("a visit of 92 days", last_day(92)),
    (
        "depart seven days early",
        [replace("visit.toml", "depart = 2009-08-23", "depart = 2009-08-17")],
    ),
    (
        "arrives the day before depart",
        [replace("delegates.csv", "2009-08-24 12:00", "2009-08-22 00:00")],
    ),
    (
        "5,000 delegates",
        [many_rows("delegates.csv", "id,name", "p{n},Person {n}", 5_000)],
    ),
]


@pytest.mark.parametrize("edits", [pytest.param(e, id=name) for name, e in IN_RANGE])
def test_a_value_at_the_edge_of_its_range_is_valid(tmp_path, edits):
    visit, problems = read_visit(tiny_copy(tmp_path, *edits))
    assert errors_of(problems) == []
    assert visit is not None


def test_numbers_in_range_keep_their_exact_values(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("costs.csv", "350.50", "350.1234"),
        replace("visit.toml", "NOK = 0.1146", "NOK = 1000000"),
        replace("visit.toml", "vehicles = 1", "vehicles = 500"),
    )
    visit, _ = read_visit(folder)
    assert {line.id: line.amount for line in visit.costs}["flights"] == Decimal("350.1234")
    assert visit.rate("NOK") == Decimal(1_000_000)
    assert visit.transport.vehicles == 500


def test_validate_exits_2_naming_file_row_and_column_of_each_extreme_value(tmp_path, capsys):
    folder = tiny_copy(
        tmp_path,
        replace("visit.toml", "vehicles = 1", "vehicles = 99999999999999999999"),
        replace("visit.toml", "speed_kmh = 60\n", "speed_kmh = 60\nroad_factor = 1e308\n"),
        replace("sessions.csv", "base,30,", "base,150000000000000,"),
        replace("delegates.csv", "2009-08-24 12:00", "0001-01-01 00:30"),
    )
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "visit.toml:36: transport.vehicles: must be between 1 and 500" in err
    assert "visit.toml:34: transport.road_factor: must be between 1 and 5" in err
    assert "sessions.csv:2: minutes: 150000000000000 is longer than" in err
    assert "delegates.csv:4: arrives: 0001-01-01 is not in the years" in err
    assert "4 problem(s)" in err


def test_validate_rejects_a_visit_of_11000_days(tmp_path, capsys):
    assert main(["validate", str(tiny_copy(tmp_path, *last_day(11_000)))]) == 2
    assert "visit.toml:7: last_day: 11,000 programme days" in capsys.readouterr().err


# -- item 17: hosts' step_free -------------------------------------------------------


def with_step_free(ntnu: str) -> list:
    return [
        replace("hosts.csv", ",phone\n", ",phone,step_free\n"),
        replace("hosts.csv", "+47 73 59 50 00\n", f"+47 73 59 50 00,{ntnu}\n"),
    ]


def test_hosts_step_free_is_read_and_defaults_to_no(tmp_path):
    visit, problems = read_visit(tiny_copy(tmp_path, *with_step_free("yes")))
    assert problems == []
    assert visit.host("ntnu").step_free is True
    assert visit.host("stjordal").step_free is False


def test_hosts_step_free_is_read_from_the_workbook_too(tmp_path):
    build_workbook(tiny_copy(tmp_path, *with_step_free("Yes")), tmp_path / "visit.xlsx")
    visit, problems = read_visit(tmp_path / "visit.xlsx")
    assert problems == []
    assert visit.host("ntnu").step_free is True
    assert visit.host("stjordal").step_free is False


def test_hosts_step_free_must_be_yes_or_no(tmp_path):
    visit, problems = read_visit(tiny_copy(tmp_path, *with_step_free("ramp")))
    assert visit is None
    assert errors_of(problems) == ["hosts.csv:2: step_free: ramp is not yes or no"]


def test_delegates_access_needs_come_from_needs(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("delegates.csv", ',"SMEs:5;EDUCATION:2",,,', ',"SMEs:5",,"Step_free; halal",'),
    )
    visit, problems = read_visit(folder)
    assert errors_of(problems) == []
    assert visit.delegate("d2").access == frozenset({"step_free"})
    assert visit.delegate("d3").access == frozenset()


def test_bundled_workbook_visit_reads_without_errors():
    visit, problems = read_visit(DATA / "vidzeme-ostfold-2009-xlsx")
    assert errors_of(problems) == []
    assert visit is not None
