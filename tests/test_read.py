"""The reader keeps the input contract of spec section 1, and says where it is broken."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from visitplan.model import Day, Window
from visitplan.read import InvalidVisit, Problem, load_visit, read_visit

VISITS = Path(__file__).parent / "visits"
TINY = VISITS / "tiny"
DATA = Path(__file__).parent.parent / "data"
OSLO = ZoneInfo("Europe/Oslo")

Edit = Callable[[Path], None]


# -- editing a copy of the tiny visit ---------------------------------------------


def replace(file: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / file
        content = path.read_text("utf-8")
        assert old in content, f"{old!r} not in {file}"
        path.write_text(content.replace(old, new, 1), "utf-8")

    return edit


def append(file: str, line: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / file
        path.write_text(path.read_text("utf-8") + line + "\n", "utf-8")

    return edit


def everywhere(old: str, new: str) -> Edit:
    """Replace in every file of the visit (to move its dates, say)."""

    def edit(folder: Path) -> None:
        for path in folder.iterdir():
            path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    return edit


def delete(file: str) -> Edit:
    return lambda folder: (folder / file).unlink()


def write(file: str, data: bytes) -> Edit:
    return lambda folder: (folder / file).write_bytes(data)


def tiny_copy(tmp_path: Path, *edits: Edit) -> Path:
    folder = tmp_path / "visit"
    shutil.copytree(TINY, folder)
    for edit in edits:
        edit(folder)
    return folder


def errors_of(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems if problem.is_error]


# -- the workbook form, built from the tiny folder --------------------------------


def _cell(value: str) -> object:
    """Typed like a spreadsheet: real Excel dates, times, date-times and numbers;
    an impossible date stays text, as Excel keeps it."""
    for pattern, parse in (
        (r"\d{4}-\d{2}-\d{2}", date.fromisoformat),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", datetime.fromisoformat),
        (r"\d{2}:\d{2}", time.fromisoformat),
    ):
        if re.fullmatch(pattern, value):
            try:
                return parse(value)
            except ValueError:
                return value
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    return value or None


def _settings_rows(folder: Path) -> list[tuple[str, object]]:
    def flatten(table: dict, prefix: str = ""):
        for key, value in table.items():
            if isinstance(value, dict):
                yield from flatten(value, f"{prefix}{key}.")
            elif isinstance(value, list):
                yield f"{prefix}{key}", ", ".join(value)
            elif isinstance(value, str):
                yield f"{prefix}{key}", _cell(value)
            else:
                yield f"{prefix}{key}", value

    document = tomllib.loads((folder / "visit.toml").read_text("utf-8"))
    return list(flatten(document))


def build_workbook(
    folder: Path,
    path: Path,
    settings: dict[str, object] | None = None,
    without: tuple[str, ...] = (),
) -> list[str]:
    """Write folder's visit as one workbook; returns the visit sheet's keys in row order."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "visit"
    sheet.append(["key", "value"])
    rows = [(key, (settings or {}).get(key, value)) for key, value in _settings_rows(folder)]
    for row in rows:
        sheet.append(list(row))
    for table in sorted(folder.glob("*.csv")):
        if table.stem in without:
            continue
        sheet = book.create_sheet(table.stem)
        records = csv.reader(io.StringIO(table.read_text("utf-8"), newline=""))
        for number, cells in enumerate(record for record in records if record):
            sheet.append(cells if number == 0 else [_cell(cell) for cell in cells])
    book.save(path)
    return [key for key, _ in rows]


def tiny_workbook(tmp_path: Path, sheet: str | None = None, **cells: object) -> Path:
    """The tiny visit as visit.xlsx, with ``cells`` (such as XFD1048576="x") set on ``sheet``."""
    path = tmp_path / "visit.xlsx"
    build_workbook(TINY, path)
    if sheet is not None:
        book = openpyxl.load_workbook(path)
        if sheet not in book.sheetnames:
            book.create_sheet(sheet)
        for cell, value in cells.items():
            book[sheet][cell] = value
        book.save(path)
    return path


# -- reading a valid visit -----------------------------------------------------------


def test_tiny_visit_reads_without_problems():
    visit, problems = read_visit(TINY)
    assert problems == []
    assert visit is not None
    assert [d.id for d in visit.delegates] == ["d1", "d2", "d3"]
    assert [s.id for s in visit.sessions] == ["ntnu-edu", "sme-a", "sme-b", "welcome"]


def test_names_keep_their_letters_and_multi_line_cells_their_lines():
    visit = load_visit(TINY)
    assert visit.delegate("d1").name == "Jānis Bērziņš"
    assert visit.delegate("d1").needs == "vegetarian;\nneeds a step-free entrance"
    assert visit.host("stjordal").name == "Stjørdal kommune"
    assert visit.title == "Latgales plānošanas reģions: a tiny visit to Trøndelag"


def test_windows_are_merged_and_clipped_to_the_days_frame():
    visit = load_visit(TINY)
    assert visit.windows == (
        Window("ntnu", date(2009, 8, 24), time(9, 0), time(12, 30)),
        Window("ntnu", date(2009, 8, 25), time(7, 30), time(14, 0)),
        Window("stjordal", date(2009, 8, 24), time(14, 0), time(18, 0)),
    )
    assert visit.windowed_hosts == frozenset({"ntnu", "stjordal"})


def test_days_cover_first_to_last_day_with_overrides_from_days_csv():
    visit = load_visit(TINY)
    assert visit.days == (
        Day(date(2009, 8, 24), time(8, 30), time(18, 0)),
        Day(date(2009, 8, 25), time(7, 30), time(18, 0)),
        Day(date(2009, 8, 26), time(8, 30), time(18, 0), programme=False),
    )


def test_topics_and_interests_are_normalised_and_sorted():
    visit = load_visit(TINY)
    assert visit.delegate("d1").interests == (("education", 3), ("regional development", 1))
    assert visit.delegate("d2").interests == (("education", 2), ("smes", 5))
    assert visit.session("sme-a").topics == ("smes",)
    assert visit.session("sme-b").topics == ("smes",)


def test_arrives_and_departs_are_aware_in_the_visits_zone():
    visit = load_visit(TINY)
    arrives = visit.delegate("d2").arrives
    assert arrives == datetime(2009, 8, 24, 12, 0, tzinfo=OSLO)
    assert arrives.utcoffset().total_seconds() == 2 * 3600
    assert visit.delegate("d3").departs == datetime(2009, 8, 26, 12, 0, tzinfo=OSLO)
    assert visit.delegate("d1").arrives is None


def test_money_is_decimal_in_the_line_currency():
    visit = load_visit(TINY)
    costs = {line.id: line for line in visit.costs}
    assert costs["flights"].amount == Decimal("350.50")
    assert costs["flights"].currency == "EUR"
    assert costs["dinner"].currency == "NOK"
    assert costs["dinner"].eligible is False
    assert visit.exchange == (("NOK", Decimal("0.1146")),)
    assert visit.budget.cofinancing_rate == Decimal("0.15")
    assert visit.rate("NOK") == Decimal("0.1146")


def test_defaults_follow_the_spec():
    visit = load_visit(TINY)
    welcome, sme_b = visit.session("welcome"), visit.session("sme-b")
    assert welcome.is_all and welcome.required
    assert visit.session("ntnu-edu").required
    assert not sme_b.required and sme_b.audience == "choice" and sme_b.min_size == 1
    assert sme_b.kind == "site_visit" and sme_b.status == "tentative"
    assert visit.host("stjordal").rooms == 1
    assert visit.delegate("d1").travel_out == date(2009, 8, 23)
    assert visit.delegate("d2").travel_out == date(2009, 8, 24)
    assert visit.transport.road_factor == 1.3 and visit.transport.riders_per_vehicle == 18
    assert visit.objective_order[:3] == ("interest", "fairness", "optional")
    assert visit.delegate("d1").must_attend == ("welcome",)
    assert visit.session("ntnu-edu").after == ("welcome",)


def test_semicolon_decimal_comma_bom_variant_reads_to_the_same_visit():
    semicolon, problems = read_visit(VISITS / "tiny-semicolon")
    assert problems == []
    assert semicolon == load_visit(TINY)


def test_workbook_reads_to_the_same_visit(tmp_path):
    build_workbook(TINY, tmp_path / "tiny.xlsx")
    visit, problems = read_visit(tmp_path / "tiny.xlsx")
    assert problems == []
    assert visit == load_visit(TINY)


def test_folder_holding_only_a_workbook_reads_it(tmp_path):
    build_workbook(TINY, tmp_path / "visit.xlsx")
    assert load_visit(tmp_path) == load_visit(TINY)


def test_workbook_problems_name_sheet_and_row(tmp_path):
    keys = build_workbook(TINY, tmp_path / "visit.xlsx", settings={"lunch.minutes": "forty"})
    visit, problems = read_visit(tmp_path / "visit.xlsx")
    row = keys.index("lunch.minutes") + 2
    assert visit is None
    assert errors_of(problems) == [
        f"visit.xlsx[visit]:{row}: lunch.minutes: must be a whole number"
    ]


def test_workbook_cells_are_checked_like_csv_cells(tmp_path):
    folder = tiny_copy(tmp_path, replace("delegates.csv", "2009-08-24 12:00", "2027-02-30 12:00"))
    build_workbook(folder, tmp_path / "visit.xlsx")
    _, problems = read_visit(tmp_path / "visit.xlsx")
    assert errors_of(problems) == [
        "visit.xlsx[delegates]:3: arrives: 2027-02-30 12:00 is not a date-time"
    ]


def test_workbook_without_a_required_sheet(tmp_path):
    build_workbook(TINY, tmp_path / "visit.xlsx", without=("sessions",))
    _, problems = read_visit(tmp_path / "visit.xlsx")
    assert errors_of(problems) == ["visit.xlsx: missing sheet 'sessions'"]


# -- every validation class, one mutation each ------------------------------------------

D2_ARRIVES = "2009-08-24 12:00"
GOALS = "fairness, interest, optional, vehicle_minutes, rider_minutes, idle_minutes"

CASES = [
    # files, sheets, columns, rows
    ("missing visit.toml", [delete("visit.toml")], "visit.toml: file is missing"),
    ("missing delegates", [delete("delegates.csv")], "delegates.csv: file is missing"),
    ("missing hosts", [delete("hosts.csv")], "hosts.csv: file is missing"),
    ("missing sessions", [delete("sessions.csv")], "sessions.csv: file is missing"),
    (
        "missing column",
        [replace("sessions.csv", ",minutes,", ",length,")],
        "sessions.csv:1: minutes: missing column",
    ),
    (
        "column twice",
        [replace("hosts.csv", ",phone\n", ",phone,name\n")],
        "hosts.csv:1: name: column appears twice",
    ),
    ("empty file", [write("delegates.csv", b"")], "delegates.csv: empty: no header row"),
    (
        "header without rows",
        [write("delegates.csv", (TINY / "delegates.csv").read_bytes().splitlines(True)[0])],
        "delegates.csv: no rows below the header",
    ),
    ("only separators", [append("hosts.csv", ",,,,")], "hosts.csv:4: empty row: only separators"),
    (
        "more cells than columns",
        [replace("delegates.csv", "2009-08-26 12:00,,", "2009-08-26 12:00,,,x")],
        "delegates.csv:6: more cells than the header's 12 columns: a value in column 13",
    ),
    (
        "not UTF-8",
        [write("hosts.csv", (TINY / "hosts.csv").read_text("utf-8").encode("latin-1"))],
        "hosts.csv:2: not UTF-8 text: save the file as UTF-8",
    ),
    (
        "not TOML",
        [replace("visit.toml", "minutes = 45", "minutes = ")],
        "visit.toml:24: not TOML: Invalid value",
    ),
    (
        "missing key",
        [replace("visit.toml", 'timezone = "Europe/Oslo"\n', "")],
        "visit.toml: timezone: missing",
    ),
    # ids
    (
        "duplicate id ignoring case",
        [replace("delegates.csv", "d3,", "D1,")],
        "delegates.csv:6: id: duplicate id 'D1' (row 2 has 'd1'; ids ignore case)",
    ),
    (
        "bad id",
        [replace("delegates.csv", "d3,", "d 3,")],
        "delegates.csv:6: id: 'd 3' is not an id: use letters A-Z, digits, _ and -",
    ),
    (
        "reserved host id",
        [append("hosts.csv", "Base,The hotel,,63.43,10.40,,,,")],
        "hosts.csv:4: id: 'Base' is reserved",
    ),
    (
        "reserved session id",
        [replace("sessions.csv", "sme-b,", "Ride,")],
        "sessions.csv:5: id: 'Ride' is reserved",
    ),
    (
        "visit id",
        [replace("visit.toml", '"tiny-trondelag"', '"Tiny Trøndelag"')],
        "visit.toml:2: id: 'Tiny Trøndelag' is not a visit id: use a-z, 0-9 and -",
    ),
    # references
    (
        "unknown host",
        [replace("sessions.csv", "ntnu,90", "NTNU,90")],
        "sessions.csv:3: host_id: unknown host 'NTNU' (did you mean 'ntnu'?)",
    ),
    (
        "unknown must_attend",
        [replace("delegates.csv", ",welcome,", ",welcom,")],
        "delegates.csv:2: must_attend: unknown session 'welcom'",
    ),
    (
        "unknown after",
        [replace("sessions.csv", "1,10,,welcome", "1,10,,nowhere")],
        "sessions.csv:3: after: unknown session 'nowhere'",
    ),
    (
        "after itself",
        [replace("sessions.csv", "1,10,,welcome", "1,10,,ntnu-edu")],
        "sessions.csv:3: after: 'ntnu-edu' cannot come after itself",
    ),
    (
        "unknown availability host",
        [replace("availability.csv", "stjordal,", "steinkjer,")],
        "availability.csv:6: host_id: unknown host 'steinkjer'",
    ),
    (
        "unknown travel place",
        [append("travel.csv", "ntnu,levanger,20")],
        "travel.csv:4: to: unknown place 'levanger'",
    ),
    (
        "all session with a group",
        [replace("sessions.csv", "all,,,,,,2009", "all,,,,plenary,,2009")],
        "sessions.csv:2: group: an `all` session takes no group",
    ),
    (
        "must_attend two of a group",
        [replace("delegates.csv", ",welcome,", ",welcome;sme-a;sme-b,")],
        "delegates.csv:2: must_attend: 'sme-a' and 'sme-b' are both in group 'sme': "
        "a delegate attends at most one",
    ),
    # dates and times
    (
        "impossible date",
        [replace("availability.csv", "ntnu,2009-08-24,09:00", "ntnu,2027-02-30,09:00")],
        "availability.csv:2: date: 2027-02-30 is not a date",
    ),
    (
        "impossible time",
        [replace("availability.csv", "09:00,11:00", "09:00,25:00")],
        "availability.csv:2: to: 25:00 is not a time",
    ),
    (
        "malformed time",
        [replace("days.csv", "2009-08-25,07:30", "2009-08-25,12:5")],
        "days.csv:2: day_start: 12:5 is not a time (write HH:MM)",
    ),
    (
        "impossible date-time",
        [replace("delegates.csv", D2_ARRIVES, "2009-08-24 25:00")],
        "delegates.csv:4: arrives: 2009-08-24 25:00 is not a date-time",
    ),
    (
        "spring-forward gap",
        [
            everywhere("2009-08-", "2009-03-"),
            replace("visit.toml", "return = 2009-03-27", "return = 2009-03-28"),
            replace("delegates.csv", "2009-03-24 12:00", "2009-03-29 02:30"),
        ],
        "delegates.csv:4: arrives: 2009-03-29 02:30 does not exist in Europe/Oslo (clocks go forward)",
    ),
    (
        "arrives after departs",
        [
            replace(
                "delegates.csv", "4,,,,2009-08-26 12:00", "4,,,2009-08-26 13:00,2009-08-26 12:00"
            )
        ],
        "delegates.csv:6: departs: 2009-08-26 12:00 is not after arrives 2009-08-26 13:00",
    ),
    (
        "travel home before travel out",
        [replace("delegates.csv", "2009-08-24,\n", "2009-08-24,2009-08-22\n")],
        "delegates.csv:4: travel_home: 2009-08-22 is before travel_out 2009-08-24",
    ),
    (
        "unknown time zone",
        [replace("visit.toml", "Europe/Oslo", "Europe/Olso")],
        "visit.toml:5: timezone: unknown time zone 'Europe/Olso'",
    ),
    (
        "first day after last day",
        [
            replace("visit.toml", "last_day = 2009-08-26", "last_day = 2009-08-20"),
            replace("visit.toml", "return = 2009-08-27", "return = 2009-08-21"),
        ],
        "visit.toml:7: last_day: 2009-08-20 is before first_day 2009-08-24",
    ),
    (
        "depart after first day",
        [replace("visit.toml", "depart = 2009-08-23", "depart = 2009-08-25")],
        "visit.toml:8: depart: 2009-08-25 is after first_day 2009-08-24",
    ),
    (
        "return before last day",
        [replace("visit.toml", "return = 2009-08-27", "return = 2009-08-25")],
        "visit.toml:9: return: 2009-08-25 is before last_day 2009-08-26",
    ),
    # the slot grid
    (
        "pin off the grid",
        [replace("sessions.csv", "09:00,confirmed", "09:05,confirmed")],
        "sessions.csv:2: start: 09:05 is not on the 15-minute grid",
    ),
    (
        "frame off the grid",
        [replace("visit.toml", '"08:30"', '"08:40"')],
        "visit.toml:10: day_start: 08:40 is not on the 15-minute grid",
    ),
    (
        "window off the grid",
        [replace("availability.csv", "09:00,11:00", "09:10,11:00")],
        "availability.csv:2: from: 09:10 is not on the 15-minute grid",
    ),
    (
        "minutes off the grid",
        [replace("sessions.csv", "stjordal,120,site_visit,SMEs", "stjordal,100,site_visit,SMEs")],
        "sessions.csv:4: minutes: 100 is not a positive multiple of 15",
    ),
    (
        "zero minutes",
        [replace("sessions.csv", "base,30,", "base,0,")],
        "sessions.csv:2: minutes: 0 is not a positive multiple of 15",
    ),
    (
        "slot not dividing 60",
        [replace("visit.toml", "slot_minutes = 15", "slot_minutes = 7")],
        "visit.toml:12: slot_minutes: 7 does not divide 60",
    ),
    # availability and days
    (
        "window ends before it starts",
        [replace("availability.csv", "09:00,11:00", "11:00,09:00")],
        "availability.csv:2: to: 09:00 is not after from 11:00",
    ),
    (
        "window outside the visit",
        [replace("availability.csv", "ntnu,2009-08-24,09:00", "ntnu,2009-08-27,09:00")],
        "availability.csv:2: date: 2009-08-27 is outside first_day..last_day (2009-08-24..2009-08-26)",
    ),
    (
        "window on a day without programme",
        [replace("availability.csv", "ntnu,2009-08-24,09:00", "ntnu,2009-08-26,09:00")],
        "availability.csv:2: date: 2009-08-26 is a day without programme",
    ),
    (
        "days.csv date outside the visit",
        [replace("days.csv", "2009-08-26,,,no", "2009-08-29,,,no")],
        "days.csv:3: date: 2009-08-29 is outside first_day..last_day (2009-08-24..2009-08-26)",
    ),
    (
        "days.csv frame ends before it starts",
        [replace("days.csv", "2009-08-25,07:30,", "2009-08-25,18:00,")],
        "days.csv:2: day_end: 18:00 is not after day_start 18:00",
    ),
    (
        "days.csv date twice",
        [append("days.csv", "2009-08-25,,,")],
        "days.csv:4: date: 2009-08-25 is already on row 2",
    ),
    (
        "programme not yes or no",
        [replace("days.csv", ",,,no", ",,,nope")],
        "days.csv:3: programme: nope is not yes or no",
    ),
    # lunch
    (
        "lunch off the grid",
        [replace("visit.toml", '"11:30"', '"11:40"')],
        "visit.toml:22: lunch.from: 11:40 is not on the 15-minute grid",
    ),
    (
        "lunch outside the frame",
        [replace("visit.toml", '"11:30"', '"07:30"')],
        "visit.toml:22: lunch.from: the window 07:30–13:30 is outside the daily frame 08:30–18:00",
    ),
    (
        "lunch window too short",
        [replace("visit.toml", '"13:30"', '"12:00"')],
        "visit.toml:23: lunch.to: the window 11:30–12:00 is shorter than 45 minutes",
    ),
    (
        "lunch without minutes",
        [replace("visit.toml", "minutes = 45\n", "")],
        "visit.toml:21: lunch.minutes: missing",
    ),
    (
        "lunch minutes not a number",
        [replace("visit.toml", "minutes = 45", 'minutes = "forty"')],
        "visit.toml:24: lunch.minutes: must be a whole number",
    ),
    # words from fixed lists
    (
        "unknown kind",
        [replace("sessions.csv", "presentation", "lecture")],
        "sessions.csv:3: kind: lecture is not one of presentation, site_visit, workshop, round_table, ceremony, meal, other",
    ),
    (
        "unknown audience",
        [replace("sessions.csv", ",all,", ",everyone,")],
        "sessions.csv:2: audience: everyone is not one of all, choice",
    ),
    (
        "required not yes or no",
        [replace("sessions.csv", ",yes,", ",maybe,")],
        "sessions.csv:3: required: maybe is not yes or no",
    ),
    (
        "unknown status",
        [replace("sessions.csv", "confirmed", "final")],
        "sessions.csv:2: status: final is not one of tentative, confirmed",
    ),
    (
        "unknown basis",
        [replace("costs.csv", "lump_sum", "lump")],
        "costs.csv:4: basis: lump is not one of per_person, per_person_day, per_person_night, per_day, lump_sum",
    ),
    (
        "unknown category",
        [replace("costs.csv", "flights,flight,", "flights,plane,")],
        "costs.csv:2: category: plane is not one of flight, accommodation, per_diem, transport, interpreter, venue, insurance, other",
    ),
    (
        "unknown language",
        [replace("visit.toml", 'language = "lv"', 'language = "de"')],
        "visit.toml:13: language: de is not one of lv, en, nb",
    ),
    # sessions
    (
        "confirmed without a pin",
        [replace("sessions.csv", ",2009-08-24,09:00,confirmed", ",,09:00,confirmed")],
        "sessions.csv:2: status: confirmed needs date and start",
    ),
    (
        "pin on a day without programme",
        [replace("sessions.csv", ",2009-08-24,09:00,confirmed", ",2009-08-26,09:00,confirmed")],
        "sessions.csv:2: date: 2009-08-26 is a day without programme",
    ),
    (
        "must_attend pinned outside the stay",
        [replace("delegates.csv", 'EDUCATION:2",,', 'EDUCATION:2",welcome,')],
        "delegates.csv:4: must_attend: 'welcome' is pinned to 2009-08-24 09:00, outside this delegate's stay",
    ),
    (
        "min_size above max_size",
        [replace("sessions.csv", ",1,10,", ",11,10,")],
        "sessions.csv:3: min_size: 11 is more than max_size 10",
    ),
    (
        "min_size below 1",
        [replace("sessions.csv", "choice,,2,", "choice,,0,")],
        "sessions.csv:4: min_size: must be between 1 and 10,000",
    ),
    (
        "max_size below 1",
        [replace("sessions.csv", ",1,10,", ",1,0,")],
        "sessions.csv:3: max_size: must be between 1 and 10,000",
    ),
    # places and travel
    (
        "latitude out of range",
        [replace("hosts.csv", "63.4190", "95")],
        "hosts.csv:2: lat: must be between -90 and 90",
    ),
    (
        "longitude out of range",
        [replace("hosts.csv", "10.4022", "200")],
        "hosts.csv:2: lon: must be between -180 and 180",
    ),
    (
        "latitude without longitude",
        [replace("hosts.csv", "63.4190,10.4022", "63.4190,")],
        "hosts.csv:2: lon: missing: lat is given",
    ),
    (
        "host without coordinates or travel",
        [replace("travel.csv", "stjordal,ntnu,40\n", "")],
        "hosts.csv:3: lat: no coordinates, and travel.csv has no minutes to ntnu",
    ),
    (
        "base without coordinates or travel",
        [replace("visit.toml", "lat = 63.4339\nlon = 10.4034\n", "")],
        "visit.toml:26: base.lat: no coordinates, and travel.csv has no minutes to ntnu",
    ),
    (
        "travel pair twice",
        [append("travel.csv", "base,stjordal,30")],
        "travel.csv:4: to: base → stjordal is already given on row 2",
    ),
    (
        "travel to the same place",
        [append("travel.csv", "ntnu,ntnu,0")],
        "travel.csv:4: to: from and to are the same place",
    ),
    (
        "travel minutes negative",
        [replace("travel.csv", ",35", ",-5")],
        "travel.csv:2: minutes: must be between 0 and 1,440",
    ),
    (
        "travel minutes fractional",
        [replace("travel.csv", ",35", ",35.5")],
        "travel.csv:2: minutes: must be a whole number",
    ),
    # people
    (
        "interest weight above 10",
        [replace("delegates.csv", "Education:3", "Education:11")],
        "delegates.csv:2: interests: the weight of 'Education' must be a whole number 1..10",
    ),
    (
        "interest weight fractional",
        [replace("delegates.csv", "Education:3", "Education:2.5")],
        "delegates.csv:2: interests: the weight of 'Education' must be a whole number 1..10",
    ),
    (
        "email",
        [replace("delegates.csv", "janis@example.lv", "janis")],
        "delegates.csv:2: email: 'janis' is not an email address",
    ),
    (
        "organiser without email",
        [replace("visit.toml", 'email = "info@example.lv"\n', "")],
        "visit.toml:17: organiser.email: missing: the calendars' organiser needs an email",
    ),
    # money
    (
        "currency without a rate",
        [replace("costs.csv", "1150,NOK,", "1150,SEK,")],
        "costs.csv:3: currency: no exchange rate for SEK: add exchange.SEK",
    ),
    (
        "costs without a visit currency",
        [replace("visit.toml", 'currency = "EUR"\n', "")],
        "visit.toml: currency: missing: costs.csv needs the currency of the cost sheet",
    ),
    (
        "negative amount",
        [replace("costs.csv", "350.50", "-350.50")],
        "costs.csv:2: amount: must be between 0 and 1,000,000,000",
    ),
    (
        "amount not a number",
        [replace("costs.csv", "350.50", "lots")],
        "costs.csv:2: amount: must be a number",
    ),
    (
        "exchange rate not positive",
        [replace("visit.toml", "NOK = 0.1146", "NOK = 0")],
        "visit.toml:44: exchange.NOK: must be more than 0",
    ),
    # transport and objective
    (
        "no seat left",
        [replace("visit.toml", "reserved_seats = 2", "reserved_seats = 20")],
        "visit.toml:37: transport.reserved_seats: 20 leaves no seat of 20 for delegates",
    ),
    (
        "speed not positive",
        [replace("visit.toml", "speed_kmh = 60", "speed_kmh = 0")],
        "visit.toml:33: transport.speed_kmh: must be between 1 and 300",
    ),
    (
        "no vehicles",
        [replace("visit.toml", "vehicles = 1", "vehicles = 0")],
        "visit.toml:35: transport.vehicles: must be between 1 and 500",
    ),
    (
        "unknown goal",
        [replace("visit.toml", '"fairness"]', '"fun"]')],
        f"visit.toml:51: objective.order: unknown goal 'fun' (goals: {GOALS})",
    ),
    (
        "goal twice",
        [replace("visit.toml", '"fairness"]', '"interest"]')],
        "visit.toml:51: objective.order: goal 'interest' appears twice",
    ),
]


@pytest.mark.parametrize(
    ("edits", "expected"), [pytest.param(e, x, id=name) for name, e, x in CASES]
)
def test_each_invalid_input_is_reported_where_it_is(tmp_path, edits, expected):
    visit, problems = read_visit(tiny_copy(tmp_path, *edits))
    assert visit is None
    assert errors_of(problems) == [expected]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("visit.toml", "minutes = 45", 'minutes = "forty"'),
        replace("delegates.csv", D2_ARRIVES, "2027-02-30 12:00"),
        replace("sessions.csv", "base,30,", "base,20,"),
        replace("costs.csv", "1150,NOK,", "1150,SEK,"),
        replace("availability.csv", "09:00,11:00", "11:00,09:00"),
    )
    with pytest.raises(InvalidVisit) as raised:
        load_visit(folder)
    assert [str(problem) for problem in raised.value.problems] == [
        "availability.csv:2: to: 09:00 is not after from 11:00",
        "costs.csv:3: currency: no exchange rate for SEK: add exchange.SEK",
        "delegates.csv:4: arrives: 2027-02-30 12:00 is not a date-time",
        "sessions.csv:2: minutes: 20 is not a positive multiple of 15",
        "visit.toml:24: lunch.minutes: must be a whole number",
    ]
    assert (
        str(raised.value).splitlines()[0] == "availability.csv:2: to: 09:00 is not after from 11:00"
    )


def test_unknown_column_is_a_note_not_an_error(tmp_path):
    folder = tiny_copy(tmp_path, replace("hosts.csv", ",phone\n", ",phone,parking\n"))
    visit, problems = read_visit(folder)
    assert visit == load_visit(TINY)
    assert problems == [Problem("hosts.csv", 1, "parking", "unknown column: ignored", "note")]


def test_window_outside_the_frame_is_ignored_with_a_note(tmp_path):
    folder = tiny_copy(tmp_path, append("availability.csv", "ntnu,2009-08-24,18:00,20:00"))
    visit, problems = read_visit(folder)
    assert visit == load_visit(TINY)
    assert [str(p) for p in problems] == [
        "availability.csv:7: the window 18:00–20:00 lies outside the day's frame 08:30–18:00: ignored"
    ]
    assert problems[0].severity == "note"


def test_host_whose_only_window_is_clipped_away_still_counts_as_windowed(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace(
            "availability.csv", "stjordal,2009-08-24,14:00,20:00", "stjordal,2009-08-24,18:00,20:00"
        ),
    )
    visit, _ = read_visit(folder)
    assert "stjordal" in visit.windowed_hosts
    assert visit.windows_of("stjordal", date(2009, 8, 24)) == ()


def test_inline_tables_and_dotted_keys_read_like_tables(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("visit.toml", '[lunch]\nfrom = "11:30"\nto = "13:30"\nminutes = 45\n', ""),
        replace(
            "visit.toml",
            '[organiser]\nname = "Latgales plānošanas reģions"\nemail = "info@example.lv"\n',
            'organiser = { name = "Latgales plānošanas reģions", email = "info@example.lv" }\n'
            'lunch.from = "11:30"\nlunch.to = "13:30"\nlunch.minutes = 45\n',
        ),
    )
    visit, problems = read_visit(folder)
    assert problems == []
    assert visit == load_visit(TINY)


def test_problem_prints_as_file_row_column_message():
    assert str(Problem("delegates.csv", 7, "arrives", "2027-02-30 is not a date")) == (
        "delegates.csv:7: arrives: 2027-02-30 is not a date"
    )
    assert str(Problem("visit.toml", None, "lunch.minutes", "must be a whole number")) == (
        "visit.toml: lunch.minutes: must be a whole number"
    )
    assert str(Problem("hosts.csv", None, None, "file is missing")) == "hosts.csv: file is missing"


def test_a_path_that_is_not_a_visit(tmp_path):
    visit, problems = read_visit(tmp_path / "nowhere")
    assert visit is None
    assert errors_of(problems) == [f"{tmp_path / 'nowhere'}: no such folder or file"]


@pytest.mark.parametrize("name", ["latgale-trondelag-2009", "vidzeme-ostfold-2009"])
def test_bundled_seed_visits_read_without_errors(name):
    folder = DATA / name
    if not folder.exists():
        pytest.skip(f"{folder} is not written yet")
    visit, problems = read_visit(folder)
    assert errors_of(problems) == []
    assert visit is not None and visit.id == name
