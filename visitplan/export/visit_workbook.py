"""The one-workbook form of a visit (visit.xlsx): a blank template and a folder converter.

Organisers who live in Excel fill in one workbook instead of a folder of CSV files. The
template carries drop-down lists, date/time/number validation and a help sheet so that the
workbook comes back readable; the converter turns an existing visit folder into the same
form. Both write text cells as text, never as formulas, and write the same bytes for the
same input.

The visit sheet holds visit.toml's keys in dotted form (``lunch.minutes``, ``exchange.NOK``);
arrays such as ``objective.order`` are written as one comma-separated string
(``fairness, interest, optional``), ``project.aims`` and ``project.results`` one sentence
a line.

Beside the spec's sheets, columns and keys the template offers visitplan's inputs for
before and after the visit (docs/visit-format.md section 5): the ``per_diem`` sheet,
sessions' ``outcome`` and ``provides``, and the keys ``base.breakfast``,
``per_diem.zone`` and ``project.*``; their help lines start with "(visitplan)".
"""

from __future__ import annotations

import csv
import errno
import os
import re
import tomllib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from visitplan.model import AUDIENCES, BASES, CATEGORIES, KINDS, LANGUAGES, MEALS, STATUSES

__all__ = [
    "HELP_SHEET",
    "TABLES",
    "TABLE_NAMES",
    "VISIT_KEYS",
    "VISIT_SHEET",
    "Field",
    "write_template",
    "write_visit_workbook",
]

VISIT_SHEET = "visit"
HELP_SHEET = "help"
YES_NO = ("yes", "no")

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"

FIXED_TIMESTAMP = datetime(2009, 1, 1)
"""Written as the workbook's created/modified time and every zip member's time: same input, same bytes."""

VALIDATED_ROWS = 1000
"""Table rows (after the header) that carry the drop-downs and validation."""


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a table sheet, or one key of the visit sheet, as the help sheet explains it.

    ``kind`` is text, date, time, datetime, whole, decimal or list (with ``choices``);
    ``low``/``high`` bound whole and decimal values. ``example`` is the template's example
    cell (None leaves it blank); ``shown_example`` is what the help sheet shows instead.
    ``expected`` says in words what a valid value looks like where the kind alone would
    say it badly (sets of meals, one item a line).
    """

    name: str
    required: str
    meaning: str
    example: object = None
    kind: str = "text"
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    shown_example: str = ""
    expected: str = ""

    @property
    def is_number(self) -> bool:
        return self.kind in ("whole", "decimal")

    @property
    def help_example(self) -> str:
        return self.shown_example or _as_text(self.example)


def _choice(name: str, required: str, meaning: str, example: str, choices: Iterable[str]) -> Field:
    return Field(name, required, meaning, example, kind="list", choices=tuple(choices))


ONE_A_LINE = "One item a line in the cell (Alt+Enter in Excel, Ctrl+Enter in Calc)."
MEAL_CHOICES = tuple("; ".join(meals) for n in (1, 2, 3) for meals in combinations(MEALS, n))
"""Every set of meals a session may provide, as the reader takes them: in MEALS order,
separated by ; (a drop-down cannot pick several items, so it offers each set)."""


VISIT_KEYS: tuple[Field, ...] = (
    Field(
        "id",
        "yes",
        "The visit's id, [a-z0-9-]+, used in file names and calendar UIDs.",
        "latgale-trondelag-2009",
    ),
    Field(
        "title",
        "yes",
        "The visit's full title.",
        "Latgale Planning Region study visit to Trøndelag",
    ),
    Field(
        "short_title", "no", "Shorter title for calendar names (default: title).", "Trøndelag 2009"
    ),
    Field(
        "timezone",
        "yes",
        "IANA time zone of the visited place; all times are local to it.",
        "Europe/Oslo",
    ),
    Field("first_day", "yes", "First programme day.", date(2009, 8, 24), kind="date"),
    Field("last_day", "yes", "Last programme day (inclusive).", date(2009, 8, 28), kind="date"),
    Field("depart", "no", "Travel day out (default: first_day).", date(2009, 8, 23), kind="date"),
    Field("return", "no", "Travel day home (default: last_day).", date(2009, 8, 29), kind="date"),
    Field(
        "day_start", "yes", "Earliest departure from the base each day.", time(8, 30), kind="time"
    ),
    Field("day_end", "yes", "Latest return to the base each day.", time(18, 0), kind="time"),
    Field(
        "slot_minutes",
        "no",
        "Minutes of the time grid (default 15); divides 60.",
        15,
        kind="whole",
        low=1,
        high=60,
    ),
    _choice("language", "no", "Language of the delegates' outputs (default en).", "lv", LANGUAGES),
    _choice("host_language", "no", "Language of the hosts' outputs (default en).", "en", LANGUAGES),
    Field("currency", "with costs", "Currency of the cost sheet (ISO code).", "EUR"),
    Field(
        "organiser.name",
        "no",
        "Organiser shown in every calendar (needs organiser.email).",
        "Latgales plānošanas reģions",
    ),
    Field(
        "organiser.email", "with organiser.name", "Organiser's e-mail address.", "info@example.lv"
    ),
    Field(
        "project.title",
        "no",
        "(visitplan) The project's title as the funder knows it, for the final report "
        "(default: title).",
        "Latgales plānošanas reģiona pieredzes apmaiņas brauciens uz Trondelāgu",
    ),
    Field(
        "project.applicant",
        "no",
        "(visitplan) The applicant, for the final report.",
        "Latgales plānošanas reģions",
    ),
    Field(
        "project.period_from",
        "no",
        "(visitplan) First day of the project period.",
        date(2009, 8, 1),
        kind="date",
    ),
    Field(
        "project.period_to",
        "with project.period_from",
        "(visitplan) Last day of the project period, not before period_from.",
        date(2009, 10, 31),
        kind="date",
    ),
    Field(
        "project.aims",
        "no",
        "(visitplan) The project's aims, for the final report.",
        "Exchange good practice between Latgale and Trøndelag.\n"
        "Build contacts with Trøndelag's municipalities.",
        expected=ONE_A_LINE,
    ),
    Field(
        "project.results",
        "no",
        "(visitplan) The planned results, set against the sessions' outcomes in the final report.",
        "A study visit for 26 representatives of Latgale.\nA memorandum of intent signed.",
        expected=ONE_A_LINE,
    ),
    Field(
        "lunch.from",
        "no",
        "Lunch window start, on the slot grid (no lunch rule when the lunch keys are empty).",
        time(11, 30),
        kind="time",
    ),
    Field(
        "lunch.to", "with lunch", "Lunch window end, on the slot grid.", time(13, 30), kind="time"
    ),
    Field(
        "lunch.minutes",
        "with lunch",
        "Length of the lunch break; at most to − from.",
        45,
        kind="whole",
        low=1,
    ),
    Field("base.name", "yes", "Where the delegation sleeps (the hotel).", "Scandic Nidelven"),
    Field("base.address", "no", "The base's address.", "Havnegata 1-3, 7010 Trondheim"),
    Field(
        "base.lat",
        "yes, unless travel gives every pair with base",
        "Latitude of the base, WGS84 degrees.",
        63.4339,
        kind="decimal",
        low=-90,
        high=90,
    ),
    Field(
        "base.lon",
        "yes, unless travel gives every pair with base",
        "Longitude of the base, WGS84 degrees.",
        10.4034,
        kind="decimal",
        low=-180,
        high=180,
    ),
    _choice(
        "base.breakfast",
        "no",
        "(visitplan) yes: the hotel includes breakfast, deducted from the per diems (default no).",
        "yes",
        YES_NO,
    ),
    Field(
        "transport.speed_kmh", "no", "Average road speed (default 60).", 60, kind="decimal", low=1
    ),
    Field(
        "transport.road_factor",
        "no",
        "Road distance per straight-line km (default 1.3).",
        1.3,
        kind="decimal",
        low=1,
    ),
    Field(
        "transport.buffer_minutes",
        "no",
        "Minutes added to every ride (default 10).",
        10,
        kind="whole",
        low=0,
    ),
    Field(
        "transport.vehicles", "no", "Vehicles available (empty: unlimited).", 1, kind="whole", low=1
    ),
    Field(
        "transport.seats", "no", "Seats per vehicle (empty: unlimited).", 30, kind="whole", low=1
    ),
    Field(
        "transport.reserved_seats",
        "no",
        "Seats taken by staff, guide, interpreter (default 0).",
        3,
        kind="whole",
        low=0,
    ),
    Field(
        "transport.walk_km",
        "no",
        "Legs up to this distance may be walked (default 0).",
        1.0,
        kind="decimal",
        low=0,
    ),
    Field("transport.walk_kmh", "no", "Walking speed (default 4.5).", 4.5, kind="decimal", low=0.1),
    Field(
        "budget.total",
        "no",
        "The project's budget, in the visit's currency.",
        58800,
        kind="decimal",
        low=0,
    ),
    Field(
        "budget.cofinancing_rate",
        "no",
        "Share of eligible costs paid by the applicant, 0..1 (default 0).",
        0.15,
        kind="decimal",
        low=0,
        high=1,
    ),
    Field(
        "exchange.NOK",
        "no",
        "One unit of the currency after the dot = this many units of the visit's currency; "
        "add one row per currency (exchange.SEK ...).",
        0.1146,
        kind="decimal",
        low=0,
    ),
    Field(
        "exchange_note.date",
        "no",
        "Date of the exchange rates, printed on the cost sheet.",
        date(2009, 8, 1),
        kind="date",
    ),
    Field(
        "exchange_note.source",
        "no",
        "Source of the exchange rates, printed on the cost sheet.",
        "Bank of Latvia reference rate",
    ),
    Field(
        "per_diem.zone",
        "with two zones on the per_diem sheet",
        "(visitplan) The zone of the per_diem sheet whose rates count.",
        "Norway",
    ),
    Field(
        "objective.order",
        "no",
        "The goals in order of importance, separated by commas (default as shown).",
        "fairness, interest, optional, vehicle_minutes, rider_minutes, idle_minutes",
    ),
)

_DELEGATES = (
    Field("id", "yes", "Unique id: letters, digits, _ and - (it becomes a file name).", "lv01"),
    Field("name", "yes", "Full name.", "Jānis Bērziņš"),
    Field("role", "no", "e.g. politician, planner, agency.", "politician"),
    Field("organisation", "no", "e.g. Daugavpils City Council.", "Daugavpils City Council"),
    Field("email", "no", "E-mail address.", "janis.berzins@example.lv"),
    Field(
        "interests",
        "no",
        "topic:weight; topic:weight, weight a whole number 1..10; a bare topic weighs 1.",
        "education:3; regional development:2; SME support",
    ),
    Field(
        "must_attend",
        "no",
        "Session ids separated by ; that this delegate attends (so they are scheduled).",
        "stfk-welcome",
    ),
    Field("needs", "no", "Diet, access or other needs, printed for hosts.", "vegetarian"),
    Field(
        "arrives",
        "no",
        "Date and time the delegate reaches the base; absent before it.",
        datetime(2009, 8, 23, 19, 30),
        kind="datetime",
    ),
    Field(
        "departs",
        "no",
        "Date and time the delegate leaves the base; absent from it on.",
        datetime(2009, 8, 29, 9, 0),
        kind="datetime",
    ),
    Field(
        "travel_out",
        "no",
        "Date of this delegate's journey out (default: depart), for costs.",
        date(2009, 8, 23),
        kind="date",
    ),
    Field(
        "travel_home",
        "no",
        "Date of this delegate's journey home (default: return), for costs.",
        date(2009, 8, 29),
        kind="date",
    ),
)

_HOSTS = (
    Field("id", "yes", "Unique id: letters, digits, _ and -; base is reserved.", "stfk"),
    Field("name", "yes", "The host institution or place.", "Sør-Trøndelag fylkeskommune"),
    Field("address", "no", "Street address.", "Erling Skakkes gate 14, 7004 Trondheim"),
    Field(
        "lat",
        "yes, unless travel gives every pair with this host",
        "Latitude, WGS84 degrees.",
        63.4305,
        kind="decimal",
        low=-90,
        high=90,
    ),
    Field(
        "lon",
        "yes, unless travel gives every pair with this host",
        "Longitude, WGS84 degrees.",
        10.3951,
        kind="decimal",
        low=-180,
        high=180,
    ),
    Field(
        "rooms",
        "no",
        "Sessions the host can hold at the same time (default 1).",
        2,
        kind="whole",
        low=1,
    ),
    Field(
        "contact",
        "no",
        "Contact person, printed for delegates and on host sheets.",
        "Kari Nordmann",
    ),
    Field("email", "no", "Contact e-mail.", "postmottak@stfk.example.no"),
    Field("phone", "no", "Contact phone.", "+47 73 00 00 00"),
)

_SESSIONS = (
    Field(
        "id",
        "yes",
        "Unique id: letters, digits, _ and -; not ride, base, base-start or base-end.",
        "stfk-welcome",
    ),
    Field(
        "title",
        "yes",
        "Title as printed in the programme.",
        "Regional development in Sør-Trøndelag",
    ),
    Field(
        "host_id", "yes", "Where it happens: a host id, or base (a meeting at the hotel).", "stfk"
    ),
    Field("minutes", "yes", "Duration, a multiple of slot_minutes.", 90, kind="whole", low=1),
    _choice("kind", "no", "What sort of session it is (default other).", "presentation", KINDS),
    Field(
        "topics",
        "no",
        "topic; topic (matched against the delegates' interests).",
        "regional development; education",
    ),
    _choice(
        "audience",
        "no",
        "all: the whole delegation attends; choice (default): delegates are assigned.",
        "choice",
        AUDIENCES,
    ),
    _choice(
        "required",
        "no",
        "yes: must be scheduled; no (default for choice): may be left out.",
        "yes",
        YES_NO,
    ),
    Field(
        "min_size",
        "no",
        "Fewest attendees of a choice session (default 1).",
        1,
        kind="whole",
        low=1,
    ),
    Field(
        "max_size",
        "no",
        "Most attendees of a choice session (default unlimited).",
        26,
        kind="whole",
        low=1,
    ),
    Field(
        "group",
        "no",
        "Choice sessions sharing a group are the same content run more than once: a delegate "
        "attends at most one of them.",
        shown_example="planning-tour",
    ),
    Field(
        "after",
        "no",
        "Session ids separated by ;: when scheduled, this session starts after each ends.",
        shown_example="stfk-welcome",
    ),
    Field("date", "no", "Pin to this date.", date(2009, 8, 24), kind="date"),
    Field("start", "no", "Pin to this start time.", time(9, 30), kind="time"),
    _choice(
        "status",
        "no",
        "tentative (default) or confirmed (needs date and start): a re-plan never moves it.",
        "tentative",
        STATUSES,
    ),
    Field(
        "description",
        "no",
        "Longer description for the programme.",
        "The county council's regional development plan and its partnership with the "
        "municipalities.",
    ),
    Field(
        "outcome",
        "no",
        "(visitplan) What came of the session, for the final report; filled in after the visit.",
        shown_example="Memorandum of intent signed by both regions",
    ),
    Field(
        "provides",
        "no",
        "(visitplan) The meals the attendees are given, deducted from their per diems.",
        kind="list",
        choices=MEAL_CHOICES,
        shown_example="lunch",
        expected="breakfast, lunch or dinner, or several in that order separated by ; "
        "(breakfast; dinner): pick from the list.",
    ),
)

_DAYS = (
    Field(
        "date",
        "yes",
        "A date between first_day and last_day with its own frame.",
        date(2009, 8, 27),
        kind="date",
    ),
    Field(
        "day_start",
        "no",
        "That day's earliest departure (empty: the visit's day_start).",
        time(7, 30),
        kind="time",
    ),
    Field(
        "day_end",
        "no",
        "That day's latest return (empty: the visit's day_end).",
        time(21, 0),
        kind="time",
    ),
    _choice("programme", "no", "yes (default), or no for a day without programme.", "yes", YES_NO),
)

_AVAILABILITY = (
    Field(
        "host_id",
        "yes",
        "A host id; a host with rows receives the delegation only inside its windows.",
        "stfk",
    ),
    Field("date", "yes", "Date of the window.", date(2009, 8, 24), kind="date"),
    Field("from", "yes", "Window start.", time(9, 0), kind="time"),
    Field("to", "yes", "Window end, after from.", time(15, 0), kind="time"),
)

_TRAVEL = (
    Field("from", "yes", "A host id or base.", "base"),
    Field("to", "yes", "A host id or base; one direction given means both.", "stfk"),
    Field("minutes", "yes", "Travel minutes by vehicle, a whole number.", 10, kind="whole", low=0),
)

_COSTS = (
    Field("id", "yes", "Unique id of the cost line.", "hotel"),
    _choice("category", "yes", "What the cost is for.", "accommodation", CATEGORIES),
    Field(
        "description",
        "no",
        "Printed on the cost sheet.",
        "Scandic Nidelven, single room with breakfast",
    ),
    _choice("basis", "yes", "What the amount is counted per.", "per_person_night", BASES),
    Field("amount", "yes", "Unit amount, a decimal ≥ 0.", 1150, kind="decimal", low=0),
    Field(
        "currency",
        "no",
        "Default: the visit's currency; otherwise converted with the exchange keys.",
        "NOK",
    ),
    _choice(
        "eligible",
        "no",
        "yes (default) or no: ineligible costs are paid by the applicant.",
        "yes",
        YES_NO,
    ),
)

_PER_DIEM = (
    Field("zone", "yes", "(visitplan) Country or zone of the rate.", "Norway"),
    Field(
        "valid_from",
        "yes",
        "(visitplan) First day the rate applies.",
        date(2009, 1, 1),
        kind="date",
    ),
    Field("rate", "yes", "(visitplan) Per diem a day, a decimal ≥ 0.", 60, kind="decimal", low=0),
    Field("currency", "no", "(visitplan) Default: the visit's currency.", "EUR"),
    *(
        Field(
            meal,
            "no",
            f"(visitplan) Share deducted for a provided {meal}, 0..1.",
            share,
            kind="decimal",
            low=0,
            high=1,
        )
        for meal, share in (("breakfast", 0.2), ("lunch", 0.3), ("dinner", 0.5))
    ),
    Field(
        "note",
        "no",
        "(visitplan) Where the rate and shares come from.",
        "Rate from the funder's rules; meal shares as Norway's state travel rates deduct.",
    ),
)
TABLES: dict[str, tuple[Field, ...]] = {
    "delegates": _DELEGATES,
    "hosts": _HOSTS,
    "sessions": _SESSIONS,
    "days": _DAYS,
    "availability": _AVAILABILITY,
    "travel": _TRAVEL,
    "costs": _COSTS,
    "per_diem": _PER_DIEM,
}
"""Every table sheet with its columns: the spec's in its order, then visitplan's per_diem."""

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


EXTENSIONS: tuple[tuple[str, Field], ...] = (
    (
        "hosts",
        Field(
            "step_free",
            "no",
            "(visitplan) yes: the host can be reached without steps (default no).",
            "yes",
        ),
    ),
    (
        "delegates",
        Field(
            "needs",
            "no",
            "(visitplan) Items separated by ; may be codes, counted for caterers and kept as "
            "rules: vegetarian, vegan, gluten_free, lactose_free, nut_allergy, halal, kosher; "
            "step_free and no_walking are also rules of the plan. Other words stay free text.",
            "vegetarian; gluten_free; needs a quiet room",
        ),
    ),
    (
        "delegates",
        Field("phone", "no", "(visitplan) The delegate's mobile phone.", "+371 2910 4411"),
    ),
    (
        "delegates",
        Field(
            "emergency_contact",
            "no",
            "(visitplan) Whom to call in an emergency, printed on the leader's day brief.",
            "Laura Ozoliņa",
        ),
    ),
    (
        "delegates",
        Field(
            "emergency_phone", "no", "(visitplan) The emergency contact's phone.", "+371 2910 4412"
        ),
    ),
    (
        VISIT_SHEET,
        Field(
            "organiser.phone",
            "no",
            "(visitplan) The organiser's phone, on the leader's day brief.",
            "+371 6542 3801",
        ),
    ),
    (
        VISIT_SHEET,
        Field(
            "base.phone",
            "no",
            "(visitplan) The hotel's phone, on the leader's day brief.",
            "+47 73 80 80 00",
        ),
    ),
    (
        VISIT_SHEET,
        Field(
            "funder.name",
            "with funder",
            "(visitplan) Who funds the visit, printed on sign-in sheets and certificates.",
            "EEA and Norway Grants",
        ),
    ),
    (
        VISIT_SHEET,
        Field(
            "funder.programme",
            "no",
            "(visitplan) The funding programme.",
            "Norwegian Financial Mechanism",
        ),
    ),
    (
        VISIT_SHEET,
        Field("funder.project_number", "no", "(visitplan) The project's number.", "LV0078"),
    ),
    (
        VISIT_SHEET,
        Field(
            "funder.credit",
            "no",
            "(visitplan) The credit line the funder asks for, printed as written.",
            "Supported by a grant from Iceland, Liechtenstein and Norway.",
        ),
    ),
    (
        VISIT_SHEET,
        Field(
            "funder.logo",
            "no",
            "(visitplan) The funder's logo: a .png, .jpg or .svg file in the visit's folder, "
            "at most 2 MB.",
            "funder-logo.svg",
        ),
    ),
    (
        VISIT_SHEET,
        _choice(
            "kit.sign_in",
            "no",
            "(visitplan) One sign-in sheet per session (default), or per day for days of "
            "whole-delegation sessions only.",
            "session",
            ("session", "day"),
        ),
    ),
)
"""What else visitplan accepts beyond the spec (docs/visit-format.md section 5): explained
on the help sheet only, not offered as the template's columns and keys."""

_GENERAL_NOTES = (
    ("dates", "YYYY-MM-DD, or a date cell."),
    ("times", "HH:MM local wall-clock time in the visit's time zone, or a time cell."),
    ("date-times", "YYYY-MM-DD HH:MM, or a date-time cell."),
    ("ids", "Letters, digits, _ and -, unique within their sheet ignoring case."),
    ("lists", "Several ids or topics in one cell are separated by ;."),
    (
        "sheets",
        "days, availability, travel and costs may stay empty; delete the example rows "
        "you do not need. Claiming no per diems, delete the per_diem sheet and empty "
        "per_diem.zone. An empty value on the visit sheet means the key is absent.",
    ),
)


# -- the template -------------------------------------------------------------------------


def write_template(path: str | os.PathLike[str], *, replace: bool = False) -> Path:
    """Write the blank input workbook for organisers and return its path.

    Each table sheet has a bold, frozen header row, one example row and validation on its
    columns; the visit sheet lists every visit.toml key; the help sheet explains them all.
    An existing file is kept (``FileExistsError``) unless ``replace``: it may be a
    template an organiser has filled in.
    """
    workbook = Workbook()
    visit_sheet = workbook.active
    visit_sheet.title = VISIT_SHEET
    _fill_visit_template(visit_sheet)
    for name, fields in TABLES.items():
        _fill_table_template(workbook.create_sheet(name), fields)
    _fill_help(workbook.create_sheet(HELP_SHEET))
    return _save(workbook, path, replace)


def _fill_visit_template(sheet: Worksheet) -> None:
    _write_header(sheet, ("key", "value", "comment"))
    for row, field in enumerate(VISIT_KEYS, start=2):
        _put(sheet, row, 1, field.name)
        _put(sheet, row, 2, field.example)
        _put(sheet, row, 3, _comment(field))
        if field.expected == ONE_A_LINE:
            sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        validation = _validation(field)
        if validation is not None:
            validation.add(f"B{row}")
            sheet.add_data_validation(validation)
    _set_widths(sheet, (26, 40, 90))


def _comment(field: Field) -> str:
    return (
        field.meaning if field.required == "no" else f"Required ({field.required}). {field.meaning}"
    )


def _fill_table_template(sheet: Worksheet, fields: tuple[Field, ...]) -> None:
    _write_header(sheet, [field.name for field in fields])
    for column, field in enumerate(fields, start=1):
        letter = get_column_letter(column)
        _put(sheet, 2, column, field.example)
        sheet.column_dimensions[letter].number_format = _number_format(field.kind) or (
            TEXT_FORMAT if field.kind in ("text", "list") else "General"
        )
        validation = _validation(field)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(validation)
    _set_widths(
        sheet,
        [min(max(len(f.name), len(f.help_example)) + 3, 50) for f in fields],
    )


def _fill_help(sheet: Worksheet) -> None:
    _write_header(sheet, ("sheet", "column", "required", "meaning", "example"))
    rows: list[tuple[str, str, str, str, str]] = [
        ("(all)", topic, "", text, "") for topic, text in _GENERAL_NOTES
    ]
    rows += [
        (VISIT_SHEET, f.name, f.required, _help_meaning(f), f.help_example) for f in VISIT_KEYS
    ]
    for name, fields in TABLES.items():
        rows += [(name, f.name, f.required, _help_meaning(f), f.help_example) for f in fields]
    rows += [(name, f.name, f.required, _help_meaning(f), f.help_example) for name, f in EXTENSIONS]
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
        sheet.cell(row, 4).alignment = Alignment(wrap_text=True, vertical="top")
    _set_widths(sheet, (14, 26, 24, 80, 40))


def _help_meaning(field: Field) -> str:
    expected = _expectation(field)
    return f"{field.meaning} {expected}" if expected else field.meaning


# -- validation ---------------------------------------------------------------------------

_FIRST_DATE = to_excel(date(2000, 1, 1))
_LAST_DATE = to_excel(date(2100, 12, 31))
_LAST_MINUTE = repr(1439 / 1440)


def _expectation(field: Field) -> str:
    """What a valid value looks like, in words, or '' for free text."""
    if field.expected:
        return field.expected
    if field.kind == "list":
        return "One of: " + ", ".join(field.choices) + "."
    if field.kind == "date":
        return "A date, YYYY-MM-DD."
    if field.kind == "time":
        return "A time, HH:MM."
    if field.kind == "datetime":
        return "A date and time, YYYY-MM-DD HH:MM."
    if field.is_number:
        noun = "A whole number" if field.kind == "whole" else "A number"
        if field.low is not None and field.high is not None:
            return f"{noun} from {_number_text(field.low)} to {_number_text(field.high)}."
        if field.low is not None:
            return f"{noun} ≥ {_number_text(field.low)}."
        return f"{noun}."
    return ""


def _validation(field: Field) -> DataValidation | None:
    if field.kind == "list":
        validation = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"')
    elif field.kind in ("date", "datetime"):
        validation = DataValidation(
            type="date", operator="between", formula1=str(_FIRST_DATE), formula2=str(_LAST_DATE)
        )
    elif field.kind == "time":
        validation = DataValidation(
            type="time", operator="between", formula1="0", formula2=_LAST_MINUTE
        )
    elif field.is_number:
        validation = DataValidation(type=field.kind)
        if field.low is not None and field.high is not None:
            validation.operator = "between"
            validation.formula1 = _number_text(field.low)
            validation.formula2 = _number_text(field.high)
        elif field.low is not None:
            validation.operator = "greaterThanOrEqual"
            validation.formula1 = _number_text(field.low)
    else:
        return None
    expected = _expectation(field)
    validation.allow_blank = True
    validation.showInputMessage = True
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.promptTitle = field.name[:32]
    validation.prompt = _clip(f"{field.meaning} {expected}", 255)
    validation.errorTitle = _clip(f"Invalid {field.name}", 32)
    validation.error = _clip(f"{field.name}: {expected}", 255)
    return validation


def _clip(text: str, limit: int) -> str:
    """Excel refuses prompts and titles longer than its limits (32 and 255 characters)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


# -- the converter ------------------------------------------------------------------------


def write_visit_workbook(
    visit_folder: str | os.PathLike[str], path: str | os.PathLike[str], *, replace: bool = False
) -> Path:
    """Convert a visit folder (visit.toml and CSV files) into one visit.xlsx; return its path.

    Values are copied as they are: every column (extra ones too) and every key, dates and
    times as the strings they were. Numbers in numeric columns become number cells (decimal
    commas of semicolon-separated files turned into points); arrays become one
    comma-separated string. Optional tables that are absent get no sheet. An existing
    file is kept (``FileExistsError``) unless ``replace``.
    """
    folder = Path(visit_folder)
    with (folder / "visit.toml").open("rb") as handle:
        settings = tomllib.load(handle)
    workbook = Workbook()
    visit_sheet = workbook.active
    visit_sheet.title = VISIT_SHEET
    _write_header(visit_sheet, ("key", "value"))
    for row, (key, value) in enumerate(_dotted(settings), start=2):
        _put(visit_sheet, row, 1, key)
        _put(visit_sheet, row, 2, value)
    _fit_widths(visit_sheet)
    for name, fields in TABLES.items():
        table = folder / f"{name}.csv"
        if table.is_file():
            _copy_table(workbook.create_sheet(name), table, fields)
    return _save(workbook, path, replace)


def _dotted(table: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    """visit.toml's keys in document order, nested tables as dotted keys."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _dotted(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            separator = "\n" if prefix == "project." else ", "  # [project]: a sentence a line
            yield f"{prefix}{key}", separator.join(_as_text(item) for item in value)
        elif isinstance(value, datetime | time) and value.tzinfo is not None:
            yield f"{prefix}{key}", value.isoformat()  # Excel cells have no time zone
        else:
            yield f"{prefix}{key}", value


def _copy_table(sheet: Worksheet, table: Path, fields: tuple[Field, ...]) -> None:
    rows = _read_csv(table)
    if not rows:
        return
    header, *records = rows
    _write_header(sheet, header)
    numeric = {f.name for f in fields if f.is_number}
    numeric_columns = {i for i, name in enumerate(header) if name.strip() in numeric}
    decimal_comma = _delimiter(table) == ";"
    for row, record in enumerate(records, start=2):
        for index, text in enumerate(record):
            value: object = text
            if index in numeric_columns:
                value = _number(text, decimal_comma)
            _put(sheet, row, index + 1, value)
    _fit_widths(sheet)


def _read_csv(table: Path) -> list[list[str]]:
    """The table's rows, header first, BOM removed and blank lines skipped."""
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=_delimiter(table)))
    return [row for row in rows if any(cell.strip() for cell in row)]


def _delimiter(table: Path) -> str:
    """Semicolon when the header line has more semicolons than commas (Excel's lv/nb saves)."""
    with table.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
    return ";" if header.count(";") > header.count(",") else ","


_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")


def _number(text: str, decimal_comma: bool) -> object:
    """int or Decimal for a plain number, else the text unchanged (the reader judges it)."""
    candidate = text.strip()
    if decimal_comma:
        candidate = candidate.replace(",", ".")
    if _INTEGER.fullmatch(candidate):
        return int(candidate)
    if _DECIMAL.fullmatch(candidate):
        return Decimal(candidate)
    return text


# -- cells and files ----------------------------------------------------------------------


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Write one cell; text always stays text (a leading = would otherwise be a formula)."""
    if value is None or value == "":
        return
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        return
    number_format = _number_format(_kind_of(value))
    if number_format:
        cell.number_format = number_format


def _kind_of(value: object) -> str:
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    return "other"


def _number_format(kind: str) -> str | None:
    return {"date": DATE_FORMAT, "time": TIME_FORMAT, "datetime": DATETIME_FORMAT}.get(kind)


def _as_text(value: object) -> str:
    """A value as the help sheet and the visit sheet's arrays show it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_header(sheet: Worksheet, names: Iterable[str]) -> None:
    bold = Font(bold=True)
    for column, name in enumerate(names, start=1):
        _put(sheet, 1, column, name)
        sheet.cell(1, column).font = bold
    sheet.freeze_panes = "A2"


def _set_widths(sheet: Worksheet, widths: Iterable[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _fit_widths(sheet: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = len(_as_text(cell.value))
                widths[cell.column] = max(widths.get(cell.column, 0), length)
    _set_widths(
        sheet,
        [min(max(widths.get(c, 0) + 2, 8), 60) for c in range(1, sheet.max_column + 1)],
    )


_ZIP_TIME = FIXED_TIMESTAMP.timetuple()[:6]


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose members all carry the same timestamp."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            zinfo.compress_type = self.compression
            zinfo.external_attr = 0o600 << 16
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes worksheets from temporary files, whose times would leak in."""
        data = Path(filename).read_bytes()
        self.writestr(arcname or Path(filename).name, data, compress_type, compresslevel)


def _save(workbook: Workbook, path: str | os.PathLike[str], replace: bool) -> Path:
    """Save with fixed timestamps, through a temporary file in the same folder so no
    half-written workbook stays and an existing one is either kept whole or replaced
    whole.  Without ``replace`` an existing file is kept (``FileExistsError``), also
    one that appears while the workbook is written."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValueError(f"{target}: a workbook's name ends in .xlsx")
    if target.exists() and not replace:
        raise FileExistsError(errno.EEXIST, "the file exists", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.properties.creator = "visitplan"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    workbook.active = 0
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with _FixedTimeZip(temporary, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(workbook, archive).save()
        if replace:
            os.replace(temporary, target)
        else:
            _place_new(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _place_new(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target`` unless that name is taken: a hard link
    fails on an existing name in one step; where the file system has no hard links,
    the name is checked just before the rename."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(errno.EEXIST, "the file exists", str(target)) from None
        os.replace(temporary, target)
