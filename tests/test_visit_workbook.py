"""The one-workbook form: the organisers' template and the folder converter."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from visitplan.export.visit_workbook import (
    HELP_SHEET,
    TABLES,
    VISIT_KEYS,
    write_template,
    write_visit_workbook,
)
from visitplan.model import Budget, CostLine, Day, Lunch, PerDiemRate, Project, Window

DATA = Path(__file__).resolve().parent.parent / "data"
LATGALE = DATA / "latgale-trondelag-2009"
VIDZEME = DATA / "vidzeme-ostfold-2009"
VIDZEME_XLSX = DATA / "vidzeme-ostfold-2009-xlsx" / "visit.xlsx"

SPEC_HEADERS = {
    "delegates": [
        "id", "name", "role", "organisation", "email", "interests", "must_attend", "needs",
        "arrives", "departs", "travel_out", "travel_home",
    ],
    "hosts": ["id", "name", "address", "lat", "lon", "rooms", "contact", "email", "phone"],
    "sessions": [
        "id", "title", "host_id", "minutes", "kind", "topics", "audience", "required",
        "min_size", "max_size", "group", "after", "date", "start", "status", "description",
    ],
    "days": ["date", "day_start", "day_end", "programme"],
    "availability": ["host_id", "date", "from", "to"],
    "travel": ["from", "to", "minutes"],
    "costs": ["id", "category", "description", "basis", "amount", "currency", "eligible"],
}  # fmt: skip

SPEC_VISIT_KEYS = [
    "id", "title", "short_title", "timezone", "first_day", "last_day", "depart", "return",
    "day_start", "day_end", "slot_minutes", "language", "host_language", "currency",
    "organiser.name", "organiser.email", "lunch.from", "lunch.to", "lunch.minutes",
    "base.name", "base.address", "base.lat", "base.lon", "transport.speed_kmh",
    "transport.road_factor", "transport.buffer_minutes", "transport.vehicles", "transport.seats",
    "transport.reserved_seats", "transport.walk_km", "transport.walk_kmh", "budget.total",
    "budget.cofinancing_rate", "exchange.NOK", "exchange_note.date", "exchange_note.source",
    "objective.order",
]  # fmt: skip

ADDED_HEADERS = {
    "sessions": ["outcome", "provides"],
    "per_diem": [
        "zone", "valid_from", "rate", "currency", "breakfast", "lunch", "dinner", "note",
    ],
}  # fmt: skip
"""visitplan's inputs for before and after the visit that the template offers too."""
TEMPLATE_HEADERS = {
    name: SPEC_HEADERS.get(name, []) + ADDED_HEADERS.get(name, [])
    for name in [*SPEC_HEADERS, "per_diem"]
}
ADDED_VISIT_KEYS = {
    "organiser.email": [
        "project.title", "project.applicant", "project.period_from", "project.period_to",
        "project.aims", "project.results",
    ],
    "base.lon": ["base.breakfast"],
    "exchange_note.source": ["per_diem.zone"],
}  # fmt: skip
"""The keys the template adds, each list after the spec's key it follows."""
TEMPLATE_VISIT_KEYS = [
    added for key in SPEC_VISIT_KEYS for added in [key, *ADDED_VISIT_KEYS.get(key, [])]
]
MEAL_SETS = (
    "breakfast,lunch,dinner,breakfast; lunch,breakfast; dinner,lunch; dinner,"
    "breakfast; lunch; dinner"
)

LIST_COLUMNS = {
    ("sessions", "kind"),
    ("sessions", "audience"),
    ("sessions", "required"),
    ("sessions", "status"),
    ("costs", "eligible"),
    ("costs", "basis"),
    ("costs", "category"),
    ("days", "programme"),
    ("sessions", "provides"),
}
DATE_COLUMNS = {
    ("delegates", "arrives"),
    ("delegates", "departs"),
    ("delegates", "travel_out"),
    ("delegates", "travel_home"),
    ("sessions", "date"),
    ("days", "date"),
    ("availability", "date"),
    ("per_diem", "valid_from"),
}
TIME_COLUMNS = {
    ("sessions", "start"),
    ("days", "day_start"),
    ("days", "day_end"),
    ("availability", "from"),
    ("availability", "to"),
}
WHOLE_COLUMNS = {
    ("sessions", "minutes"),
    ("sessions", "min_size"),
    ("sessions", "max_size"),
    ("hosts", "rooms"),
    ("travel", "minutes"),
}
DECIMAL_COLUMNS = {
    ("hosts", "lat"),
    ("hosts", "lon"),
    ("costs", "amount"),
    ("per_diem", "rate"),
    ("per_diem", "breakfast"),
    ("per_diem", "lunch"),
    ("per_diem", "dinner"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "visit.xlsx")


def validations(sheet) -> dict[str, object]:
    """The data validation covering each header's column (by header name or visit key)."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            if sheet.title == "visit":
                name = sheet.cell(cell_range.min_row, 1).value
            else:
                name = sheet.cell(1, cell_range.min_col).value
            found[name] = validation
    return found


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


# -- the template -------------------------------------------------------------------------


def test_template_has_every_sheet_with_the_spec_headers_and_the_additions(template):
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == ["visit", *SPEC_HEADERS, "per_diem", HELP_SHEET]
    for name, columns in TEMPLATE_HEADERS.items():
        assert header(workbook[name]) == columns
    assert header(workbook["visit"]) == ["key", "value", "comment"]


def test_template_visit_sheet_lists_every_key_with_an_example(template):
    sheet = openpyxl.load_workbook(template)["visit"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == TEMPLATE_VISIT_KEYS
    assert all(row[1] not in (None, "") and row[2] for row in rows)
    values = {row[0]: row[1] for row in rows}
    assert values["first_day"] == datetime(2009, 8, 24)
    assert values["day_start"] == time(8, 30)
    assert values["lunch.minutes"] == 45
    assert values["objective.order"] == (
        "fairness, interest, optional, vehicle_minutes, rider_minutes, idle_minutes"
    )
    assert values["base.breakfast"] == "yes"
    assert values["project.period_from"] == datetime(2009, 8, 1)
    assert len(values["project.aims"].split("\n")) == 2  # one aim a line


def test_template_headers_are_bold_and_frozen(template):
    workbook = openpyxl.load_workbook(template)
    for sheet in workbook:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title


def test_template_has_one_realistic_example_row_per_table(template):
    workbook = openpyxl.load_workbook(template)
    for name in TEMPLATE_HEADERS:
        sheet = workbook[name]
        assert sheet.max_row == 2, name
        row = dict(zip(header(sheet), (cell.value for cell in sheet[2]), strict=True))
        assert row[TEMPLATE_HEADERS[name][0]], name
    delegate = dict(zip(header(workbook["delegates"]), workbook["delegates"][2], strict=True))
    assert "ņ" in delegate["name"].value
    host = dict(zip(header(workbook["hosts"]), workbook["hosts"][2], strict=True))
    assert "Trøndelag" in host["name"].value


def test_template_date_and_time_cells_are_real_excel_cells(template):
    workbook = openpyxl.load_workbook(template)
    for name, column in DATE_COLUMNS | TIME_COLUMNS:
        sheet = workbook[name]
        cell = sheet.cell(2, header(sheet).index(column) + 1)
        assert cell.is_date, (name, column)
        expected = (
            ("hh:mm",) if (name, column) in TIME_COLUMNS else ("yyyy-mm-dd", "yyyy-mm-dd hh:mm")
        )
        assert cell.number_format in expected, (name, column)
    arrives = workbook["delegates"]["I2"]
    assert arrives.value == datetime(2009, 8, 23, 19, 30)
    assert arrives.number_format == "yyyy-mm-dd hh:mm"


def test_template_validates_the_listed_columns(template):
    workbook = openpyxl.load_workbook(template)
    expected_types = (
        [(c, "list") for c in LIST_COLUMNS]
        + [(c, "date") for c in DATE_COLUMNS]
        + [(c, "time") for c in TIME_COLUMNS]
        + [(c, "whole") for c in WHOLE_COLUMNS]
        + [(c, "decimal") for c in DECIMAL_COLUMNS]
    )
    for (name, column), kind in expected_types:
        validation = validations(workbook[name]).get(column)
        assert validation is not None, (name, column)
        assert validation.type == kind, (name, column)
        assert validation.showErrorMessage and validation.showInputMessage
        assert validation.prompt and validation.error
        assert str(validation.sqref).endswith("1001")
    kinds = validations(workbook["sessions"])["kind"]
    assert kinds.formula1 == ('"presentation,site_visit,workshop,round_table,ceremony,meal,other"')
    assert validations(workbook["sessions"])["required"].formula1 == '"yes,no"'
    assert validations(workbook["days"])["programme"].formula1 == '"yes,no"'
    assert validations(workbook["sessions"])["provides"].formula1 == f'"{MEAL_SETS}"'
    for meal in ("breakfast", "lunch", "dinner"):
        share = validations(workbook["per_diem"])[meal]
        assert (share.operator, share.formula1, share.formula2) == ("between", "0", "1"), meal
    assert validations(workbook["per_diem"])["rate"].operator == "greaterThanOrEqual"


def test_template_visit_sheet_validates_languages_dates_and_numbers(template):
    checks = validations(openpyxl.load_workbook(template)["visit"])
    assert checks["language"].type == "list"
    assert checks["language"].formula1 == '"lv,en,nb"'
    assert checks["host_language"].type == "list"
    assert checks["first_day"].type == "date"
    assert checks["lunch.from"].type == "time"
    assert checks["slot_minutes"].type == "whole"
    assert checks["base.lat"].type == "decimal"
    assert (checks["base.breakfast"].type, checks["base.breakfast"].formula1) == (
        "list",
        '"yes,no"',
    )
    assert checks["project.period_from"].type == "date"
    assert checks["project.period_to"].type == "date"


def test_template_messages_fit_excel_limits(template):
    for sheet in openpyxl.load_workbook(template):
        for validation in sheet.data_validations.dataValidation:
            assert len(validation.promptTitle) <= 32
            assert len(validation.errorTitle) <= 32
            assert len(validation.prompt) <= 255
            assert len(validation.error) <= 255


def test_help_sheet_describes_every_column_and_key(template):
    sheet = openpyxl.load_workbook(template)[HELP_SHEET]
    assert header(sheet) == ["sheet", "column", "required", "meaning", "example"]
    described = {(row[0], row[1]): row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for name, columns in TEMPLATE_HEADERS.items():
        for column in columns:
            row = described[(name, column)]
            assert row[2] in ("yes", "no") or row[2].startswith(("yes", "with")), row
            assert row[3] and row[4], row
    for key in TEMPLATE_VISIT_KEYS:
        assert described[("visit", key)][3], key
    assert "presentation" in described[("sessions", "kind")][3]
    for name, column in [
        ("sessions", "outcome"),
        ("sessions", "provides"),
        ("visit", "per_diem.zone"),
    ]:
        assert described[(name, column)][3].startswith("(visitplan) "), column
    assert "breakfast; dinner" in described[("sessions", "provides")][3]
    assert "One item a line" in described[("visit", "project.aims")][3]
    assert "from 0 to 1" in described[("per_diem", "lunch")][3]


def test_field_tables_are_the_spec_and_the_additions():
    assert {name: [f.name for f in fields] for name, fields in TABLES.items()} == TEMPLATE_HEADERS
    assert [f.name for f in VISIT_KEYS] == TEMPLATE_VISIT_KEYS


def test_same_input_gives_the_same_bytes(tmp_path):
    with zipfile.ZipFile(write_template(tmp_path / "a.xlsx")) as archive:
        assert {member.date_time for member in archive.infolist()} == {(2009, 1, 1, 0, 0, 0)}
    first = (tmp_path / "a.xlsx").read_bytes()
    second = write_template(tmp_path / "b.xlsx").read_bytes()
    assert first == second
    folder = tiny_folder(tmp_path / "tiny")
    one = write_visit_workbook(folder, tmp_path / "one.xlsx").read_bytes()
    two = write_visit_workbook(folder, tmp_path / "two.xlsx").read_bytes()
    assert one == two


# -- a tiny visit, as a folder and as cells ------------------------------------------------

TINY_TOML = """\
id = "tiny-2009"
title = "Tiny study visit to Trøndelag"
timezone = "Europe/Oslo"
first_day = 2009-08-24
last_day = 2009-08-25
depart = 2009-08-23
return = 2009-08-26
day_start = "08:30"
day_end = "17:00"
slot_minutes = 15
language = "lv"
host_language = "nb"
currency = "EUR"

[lunch]
from = "11:30"
to = "13:00"
minutes = 45

[base]
name = "Scandic Nidelven"
address = "Havnegata 1-3, 7010 Trondheim"
lat = 63.4339
lon = 10.4034
breakfast = true

[transport]
speed_kmh = 50
road_factor = 1.4
buffer_minutes = 5
vehicles = 2
seats = 8
reserved_seats = 1
walk_km = 0.5
walk_kmh = 4.5

[budget]
total = 10000
cofinancing_rate = 0.15

[exchange]
NOK = 0.12

[exchange_note]
date = 2009-08-01
source = "Bank of Latvia"

[objective]
order = ["interest", "fairness", "optional", "vehicle_minutes", "rider_minutes", "idle_minutes"]

[project]
title = "Pieredzes apmaiņa Trondelāgā"
applicant = "Latgales plānošanas reģions"
period_from = 2009-08-01
period_to = 2009-09-30
aims = ["Learn, from Trøndelag, how regions plan.", "Meet the hosts."]
results = ["A memorandum of intent signed."]

[per_diem]
zone = "Norway"
"""

TINY_TABLES = {
    "delegates": [
        SPEC_HEADERS["delegates"],
        ["d1", "Līga Kalniņa", "planner", "Latgales plānošanas reģions", "liga@example.lv",
         "education:3; SME support", "s1", "vegetarian", "2009-08-23 20:15", "2009-08-26 07:00",
         "2009-08-23", "2009-08-26"],
        ["d2", "Pēteris Ķuzis", "", "", "", "", "", "", "", "", "", ""],
    ],
    "hosts": [
        SPEC_HEADERS["hosts"],
        ["h1", "Trondheim kommune", "Munkegata 1, 7013 Trondheim", "63.4305", "10.3951", "2",
         "Kari Nordmann", "kari@example.no", "+47 72 54 00 00"],
    ],
    "sessions": [
        TEMPLATE_HEADERS["sessions"],
        ["s1", "Welcome at the town hall", "h1", "60", "presentation",
         "Education; regional development", "all", "yes", "", "", "", "", "2009-08-24", "09:00",
         "confirmed", "Opening", "Memorandum of intent signed;\nnext steps agreed", "lunch"],
        ["s2", "Workshop on SME support", "base", "90", "workshop", "SME support", "choice", "no",
         "1", "2", "g1", "s1", "", "", "tentative", "", "", "breakfast; dinner"],
    ],
    "days": [SPEC_HEADERS["days"], ["2009-08-25", "07:30", "16:00", "yes"]],
    "availability": [SPEC_HEADERS["availability"], ["h1", "2009-08-24", "08:30", "12:00"]],
    "travel": [SPEC_HEADERS["travel"], ["base", "h1", "15"]],
    "costs": [
        SPEC_HEADERS["costs"],
        ["c1", "accommodation", "Hotel", "per_person_night", "1000.50", "NOK", "no"],
    ],
    "per_diem": [
        TEMPLATE_HEADERS["per_diem"],
        ["Norway", "2009-01-01", "500", "NOK", "0.2", "0.3", "0.5", "Statens reiseregulativ"],
        ["Sweden", "2009-01-01", "55.5", "EUR", "0.15", "0.35", "0.5", ""],
    ],
}  # fmt: skip


def tiny_folder(folder: Path, *, semicolons: bool = False) -> Path:
    """The tiny visit as a folder; optionally as Excel saves it in lv/nb (BOM, ;, 0,5)."""
    folder.mkdir(parents=True)
    (folder / "visit.toml").write_text(TINY_TOML, encoding="utf-8")
    for name, rows in TINY_TABLES.items():
        if semicolons:
            numeric = {f.name for f in TABLES[name] if f.is_number}
            columns = rows[0]
            lines = [";".join(columns)]
            for row in rows[1:]:
                cells = [
                    value.replace(".", ",") if column in numeric else value
                    for column, value in zip(columns, row, strict=True)
                ]
                lines += [
                    ";".join(_quoted(cell, ";") for cell in cells),
                    "",
                ]  # blank lines are skipped
            text = "\ufeff" + "\r\n".join(lines) + "\r\n"
        else:
            text = "\n".join(",".join(_quoted(value, ",") for value in row) for row in rows) + "\n"
        (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    return folder


def _quoted(value: str, delimiter: str) -> str:
    return f'"{value}"' if any(c in value for c in (delimiter, '"', "\n")) else value


TINY_CELLS = {
    "visit": {
        "id": "tiny-2009",
        "title": "Tiny study visit to Trøndelag",
        "short_title": None,
        "timezone": "Europe/Oslo",
        "first_day": date(2009, 8, 24),
        "last_day": date(2009, 8, 25),
        "depart": date(2009, 8, 23),
        "return": date(2009, 8, 26),
        "day_start": time(8, 30),
        "day_end": time(17, 0),
        "slot_minutes": 15,
        "language": "lv",
        "host_language": "nb",
        "currency": "EUR",
        "organiser.name": None,
        "organiser.email": None,
        "lunch.from": time(11, 30),
        "lunch.to": time(13, 0),
        "lunch.minutes": 45,
        "base.name": "Scandic Nidelven",
        "base.address": "Havnegata 1-3, 7010 Trondheim",
        "base.lat": 63.4339,
        "base.lon": 10.4034,
        "transport.speed_kmh": 50,
        "transport.road_factor": 1.4,
        "transport.buffer_minutes": 5,
        "transport.vehicles": 2,
        "transport.seats": 8,
        "transport.reserved_seats": 1,
        "transport.walk_km": 0.5,
        "transport.walk_kmh": 4.5,
        "budget.total": 10000,
        "budget.cofinancing_rate": 0.15,
        "exchange.NOK": 0.12,
        "exchange_note.date": date(2009, 8, 1),
        "exchange_note.source": "Bank of Latvia",
        "objective.order": "interest, fairness, optional, vehicle_minutes, rider_minutes, "
        "idle_minutes",
        "base.breakfast": "yes",
        "per_diem.zone": "Norway",
        "project.title": "Pieredzes apmaiņa Trondelāgā",
        "project.applicant": "Latgales plānošanas reģions",
        "project.period_from": date(2009, 8, 1),
        "project.period_to": date(2009, 9, 30),
        "project.aims": "Learn, from Trøndelag, how regions plan.\nMeet the hosts.",
        "project.results": "A memorandum of intent signed.",
    },
    "delegates": [
        ["d1", "Līga Kalniņa", "planner", "Latgales plānošanas reģions", "liga@example.lv",
         "education:3; SME support", "s1", "vegetarian", datetime(2009, 8, 23, 20, 15),
         datetime(2009, 8, 26, 7, 0), date(2009, 8, 23), date(2009, 8, 26)],
        ["d2", "Pēteris Ķuzis"],
    ],
    "hosts": [
        ["h1", "Trondheim kommune", "Munkegata 1, 7013 Trondheim", 63.4305, 10.3951, 2,
         "Kari Nordmann", "kari@example.no", "+47 72 54 00 00"],
    ],
    "sessions": [
        ["s1", "Welcome at the town hall", "h1", 60, "presentation",
         "Education; regional development", "all", "yes", None, None, None, None,
         date(2009, 8, 24), time(9, 0), "confirmed", "Opening",
         "Memorandum of intent signed;\nnext steps agreed", "lunch"],
        ["s2", "Workshop on SME support", "base", 90, "workshop", "SME support", "choice", "no",
         1, 2, "g1", "s1", None, None, "tentative", None, None, "breakfast; dinner"],
    ],
    "days": [[date(2009, 8, 25), time(7, 30), time(16, 0), "yes"]],
    "availability": [["h1", date(2009, 8, 24), time(8, 30), time(12, 0)]],
    "travel": [["base", "h1", 15]],
    "costs": [["c1", "accommodation", "Hotel", "per_person_night", 1000.5, "NOK", "no"]],
    "per_diem": [
        ["Norway", date(2009, 1, 1), 500, "NOK", 0.2, 0.3, 0.5, "Statens reiseregulativ"],
        ["Sweden", date(2009, 1, 1), 55.5, "EUR", 0.15, 0.35, 0.5],
    ],
}  # fmt: skip


def fill_template(template: Path, out: Path) -> Path:
    """Overwrite the template's examples with TINY_CELLS, the way an organiser would."""
    workbook = openpyxl.load_workbook(template)
    visit = workbook["visit"]
    for key, value, _comment in visit.iter_rows(min_row=2):
        value.value = TINY_CELLS["visit"][key.value]
    for name in TEMPLATE_HEADERS:
        sheet = workbook[name]
        sheet.delete_rows(2, sheet.max_row)
        for row in TINY_CELLS[name]:
            sheet.append(row)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime) and cell.value.time() != time(0):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, time):
                    cell.number_format = "hh:mm"
    out.parent.mkdir(parents=True)
    workbook.save(out)
    return out


def load_visit(path: Path):
    read = pytest.importorskip("visitplan.read")
    return read.load_visit(path)


def test_filled_template_reads_back_as_the_visit_filled_in(template, tmp_path):
    filled = fill_template(template, tmp_path / "filled" / "visit.xlsx")
    visit = load_visit(filled)
    oslo = ZoneInfo("Europe/Oslo")
    assert (visit.id, visit.title, visit.timezone) == (
        "tiny-2009",
        "Tiny study visit to Trøndelag",
        "Europe/Oslo",
    )
    assert (visit.first_day, visit.last_day) == (date(2009, 8, 24), date(2009, 8, 25))
    assert (visit.depart, visit.return_) == (date(2009, 8, 23), date(2009, 8, 26))
    assert (visit.day_start, visit.day_end) == (time(8, 30), time(17, 0))
    assert (visit.language, visit.host_language, visit.currency) == ("lv", "nb", "EUR")
    assert visit.organiser is None
    assert visit.display_title == "Tiny study visit to Trøndelag"
    assert visit.lunch == Lunch(time(11, 30), time(13, 0), 45)
    assert (visit.base.name, visit.base.lat, visit.base.lon) == (
        "Scandic Nidelven",
        63.4339,
        10.4034,
    )
    transport = visit.transport
    assert (transport.speed_kmh, transport.road_factor, transport.buffer_minutes) == (50, 1.4, 5)
    assert (transport.vehicles, transport.seats, transport.reserved_seats) == (2, 8, 1)
    assert (transport.walk_km, transport.walk_kmh) == (0.5, 4.5)
    assert visit.budget == Budget(Decimal("10000"), Decimal("0.15"))
    assert visit.exchange == (("NOK", Decimal("0.12")),)
    assert visit.exchange_note.date == date(2009, 8, 1)
    assert visit.objective_order[:2] == ("interest", "fairness")

    first, second = visit.delegates
    assert (first.id, first.name, first.organisation) == (
        "d1",
        "Līga Kalniņa",
        "Latgales plānošanas reģions",
    )
    assert dict(first.interests) == {"education": 3, "sme support": 1}
    assert first.must_attend == ("s1",)
    assert first.arrives == datetime(2009, 8, 23, 20, 15, tzinfo=oslo)
    assert first.departs == datetime(2009, 8, 26, 7, 0, tzinfo=oslo)
    assert (first.travel_out, first.travel_home) == (date(2009, 8, 23), date(2009, 8, 26))
    assert (second.id, second.name, second.arrives, second.role) == (
        "d2",
        "Pēteris Ķuzis",
        None,
        "",
    )

    (host,) = visit.hosts
    assert (host.id, host.lat, host.lon, host.rooms, host.phone) == (
        "h1",
        63.4305,
        10.3951,
        2,
        "+47 72 54 00 00",
    )
    welcome, workshop = visit.sessions
    assert (welcome.minutes, welcome.audience, welcome.status) == (60, "all", "confirmed")
    assert (welcome.pin_date, welcome.pin_start) == (date(2009, 8, 24), time(9, 0))
    assert set(welcome.topics) == {"education", "regional development"}
    assert (workshop.host_id, workshop.required, workshop.group, workshop.after) == (
        "base",
        False,
        "g1",
        ("s1",),
    )
    assert (workshop.min_size, workshop.max_size) == (1, 2)
    assert visit.day(date(2009, 8, 25)) == Day(date(2009, 8, 25), time(7, 30), time(16, 0))
    assert visit.windows_of("h1", date(2009, 8, 24)) == (
        Window("h1", date(2009, 8, 24), time(8, 30), time(12, 0)),
    )
    assert {frozenset((t.a, t.b)): t.minutes for t in visit.travel} == {
        frozenset(("base", "h1")): 15
    }
    assert visit.costs == (
        CostLine(
            "c1", "accommodation", "per_person_night", Decimal("1000.5"), "NOK", "Hotel", False
        ),
    )


def test_filled_template_reads_back_the_inputs_for_before_and_after_the_visit(template, tmp_path):
    visit = load_visit(fill_template(template, tmp_path / "filled" / "visit.xlsx"))
    assert visit.project == Project(
        "Pieredzes apmaiņa Trondelāgā",
        "Latgales plānošanas reģions",
        date(2009, 8, 1),
        date(2009, 9, 30),
        ("Learn, from Trøndelag, how regions plan.", "Meet the hosts."),
        ("A memorandum of intent signed.",),
    )
    assert visit.base.breakfast is True
    assert visit.per_diem_rates == (  # per_diem.zone chose Norway's rows, not Sweden's
        PerDiemRate(
            "Norway",
            date(2009, 1, 1),
            Decimal("500"),
            "NOK",
            Decimal("0.2"),
            Decimal("0.3"),
            Decimal("0.5"),
            "Statens reiseregulativ",
        ),
    )
    welcome, workshop = visit.sessions
    assert (welcome.outcome, welcome.provides) == (
        "Memorandum of intent signed;\nnext steps agreed",
        ("lunch",),
    )
    assert (workshop.outcome, workshop.provides) == ("", ("breakfast", "dinner"))


def test_filled_template_equals_the_same_visit_as_a_folder(template, tmp_path):
    filled = fill_template(template, tmp_path / "filled" / "visit.xlsx")
    assert load_visit(filled) == load_visit(tiny_folder(tmp_path / "folder"))


def test_unfilled_template_is_a_valid_example_visit(template):
    visit = load_visit(template)
    assert visit.id == "latgale-trondelag-2009"
    assert visit.delegates[0].name == "Jānis Bērziņš"


# -- the converter ------------------------------------------------------------------------


@pytest.mark.parametrize("semicolons", [False, True], ids=["commas", "semicolons"])
def test_converted_tiny_folder_reads_as_the_same_visit(tmp_path, semicolons):
    folder = tiny_folder(tmp_path / "tiny", semicolons=semicolons)
    workbook = write_visit_workbook(folder, tmp_path / "tiny-xlsx" / "visit.xlsx")
    assert load_visit(workbook) == load_visit(folder)


def test_converted_latgale_folder_round_trips_its_project_per_diems_and_outcomes(tmp_path):
    workbook = write_visit_workbook(LATGALE, tmp_path / "latgale" / "visit.xlsx")
    shutil.copyfile(LATGALE / "funder-logo.svg", workbook.parent / "funder-logo.svg")
    converted, folder = load_visit(workbook), load_visit(LATGALE)
    assert converted == folder
    assert len(converted.project.aims) == 4 and len(converted.project.results) == 6
    assert converted.base.breakfast is True
    assert converted.per_diem_rates[0].zone == "Norway"
    assert converted.session("sign").outcome.startswith("Memorandum of intent")
    assert any(session.provides for session in converted.sessions)
    book = openpyxl.load_workbook(workbook)
    keys = dict(book["visit"].iter_rows(min_row=2, values_only=True))
    assert keys["project.aims"].split("\n") == list(folder.project.aims)
    assert header(book["per_diem"]) == TEMPLATE_HEADERS["per_diem"]


@pytest.mark.skipif(not VIDZEME.is_dir(), reason="the Vidzeme visit folder is not there yet")
def test_converted_vidzeme_folder_reads_as_the_same_visit(tmp_path):
    workbook = write_visit_workbook(VIDZEME, tmp_path / "vidzeme" / "visit.xlsx")
    assert load_visit(workbook) == load_visit(VIDZEME)


@pytest.mark.skipif(not VIDZEME_XLSX.is_file(), reason="the Vidzeme workbook seed is not there yet")
def test_vidzeme_workbook_seed_is_current(tmp_path):
    """data/vidzeme-ostfold-2009-xlsx is regenerated by scripts/make_xlsx_seed.py."""
    fresh = write_visit_workbook(VIDZEME, tmp_path / "visit.xlsx")
    seed, expected = openpyxl.load_workbook(VIDZEME_XLSX), openpyxl.load_workbook(fresh)
    assert seed.sheetnames == expected.sheetnames
    for sheet in expected:
        assert list(seed[sheet.title].values) == list(sheet.values), sheet.title


def test_converter_copies_keys_and_tables_faithfully(tmp_path):
    folder = tiny_folder(tmp_path / "tiny")
    with (folder / "hosts.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")  # a trailing blank line
    extra = folder / "delegates.csv"
    lines = extra.read_text(encoding="utf-8").splitlines()
    extra.write_text(
        "\n".join([lines[0] + ",shirt", lines[1] + ",L", lines[2] + ",M"]) + "\n", encoding="utf-8"
    )
    workbook = openpyxl.load_workbook(write_visit_workbook(folder, tmp_path / "visit.xlsx"))
    assert workbook.sheetnames == ["visit", *TEMPLATE_HEADERS]
    visit = {key: value for key, value in workbook["visit"].iter_rows(min_row=2, values_only=True)}
    assert header(workbook["visit"]) == ["key", "value"]
    assert visit["lunch.minutes"] == 45
    assert visit["base.lat"] == 63.4339
    assert visit["exchange.NOK"] == 0.12
    assert visit["first_day"] == datetime(2009, 8, 24)
    assert visit["day_start"] == "08:30"
    assert visit["objective.order"] == (
        "interest, fairness, optional, vehicle_minutes, rider_minutes, idle_minutes"
    )
    assert visit["project.aims"] == "Learn, from Trøndelag, how regions plan.\nMeet the hosts."
    assert visit["base.breakfast"] is True
    delegates = workbook["delegates"]
    assert header(delegates) == [*SPEC_HEADERS["delegates"], "shirt"]
    assert [row[-1] for row in delegates.iter_rows(min_row=2, values_only=True)] == ["L", "M"]
    assert delegates["I2"].value == "2009-08-23 20:15"
    assert workbook["hosts"].max_row == 2
    assert list(workbook["sessions"].iter_rows(min_row=2, max_row=2, values_only=True))[0][:4] == (
        "s1",
        "Welcome at the town hall",
        "h1",
        60,
    )


def test_converter_reads_semicolons_decimal_commas_and_bom(tmp_path):
    folder = tiny_folder(tmp_path / "tiny", semicolons=True)
    workbook = openpyxl.load_workbook(write_visit_workbook(folder, tmp_path / "visit.xlsx"))
    hosts = workbook["hosts"]
    assert header(hosts) == SPEC_HEADERS["hosts"]  # no BOM in "id"
    assert [cell.value for cell in hosts[2]][:6] == ["h1", "Trondheim kommune",
                                                    "Munkegata 1, 7013 Trondheim", 63.4305,
                                                    10.3951, 2]  # fmt: skip
    assert workbook["costs"]["E2"].value == 1000.5
    assert workbook["sessions"].max_row == 3  # blank lines skipped
    assert workbook["delegates"]["B2"].value == "Līga Kalniņa"


def test_optional_tables_absent_from_the_folder_get_no_sheet(tmp_path):
    folder = tiny_folder(tmp_path / "tiny")
    for name in ("days", "availability", "travel", "costs", "per_diem"):
        (folder / f"{name}.csv").unlink()
    workbook = openpyxl.load_workbook(write_visit_workbook(folder, tmp_path / "visit.xlsx"))
    assert workbook.sheetnames == ["visit", "delegates", "hosts", "sessions"]


def injected_folder(folder: Path) -> Path:
    """The tiny visit with a delegate and a session title that spreadsheets would run."""
    tiny_folder(folder)
    delegates = folder / "delegates.csv"
    delegates.write_text(
        delegates.read_text(encoding="utf-8").replace(
            "Pēteris Ķuzis", '"=HYPERLINK(""http://evil"",""x"")"'
        ),
        encoding="utf-8",
    )
    sessions = folder / "sessions.csv"
    sessions.write_text(
        sessions.read_text(encoding="utf-8").replace("Welcome at the town hall", "+cmd"),
        encoding="utf-8",
    )
    return folder


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = write_visit_workbook(injected_folder(tmp_path / "tiny"), tmp_path / "visit.xlsx")
    workbook = openpyxl.load_workbook(path)
    name = workbook["delegates"]["B3"]
    title = workbook["sessions"]["B2"]
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil","x")', "s")
    assert (title.value, title.data_type) == ("+cmd", "s")
    assert all(
        cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


def test_text_that_looks_like_a_formula_reads_back_unchanged(tmp_path):
    path = write_visit_workbook(injected_folder(tmp_path / "tiny"), tmp_path / "visit.xlsx")
    visit = load_visit(path)
    assert visit.delegate("d2").name == '=HYPERLINK("http://evil","x")'
    assert visit.session("s1").title == "+cmd"
