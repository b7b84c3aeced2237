"""Read a visit folder or workbook into a validated, resolved Visit.

The reader is the one door into visitplan: everything behind it may trust the
Visit it returns (spec section 1).  So it reads every file to the end and
reports every problem at once, each named by the file, the physical row its
record starts on and the column, the way an organiser finds it in an editor
or a spreadsheet.

CSV text goes through the csv module, which keeps physical line numbers
across quoted multi-line cells; the workbook form goes through pandas, and
this is the only module that imports it.  Parsing is table-driven: a
``Schema`` per table and a ``Key`` per visit.toml setting say how each value
parses; the ``_Reader`` then checks what spans rows, tables and settings.

Nothing behind the reader has to defend itself against size: every number
has a range, every text a length and no control characters, every table and
sheet a size (spec "Ranges and text"), and a workbook is measured cell by
cell before pandas loads it, so a stray far cell cannot blow up memory.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd

from .model import (
    AUDIENCES,
    BASE,
    BASES,
    CATEGORIES,
    GOALS,
    KINDS,
    LANGUAGES,
    LOGO_TYPES,
    MEALS,
    SIGN_IN,
    STATUSES,
    Base,
    Budget,
    CostLine,
    Day,
    Delegate,
    ExchangeNote,
    Funder,
    Host,
    Kit,
    Lunch,
    Organiser,
    PerDiemRate,
    Project,
    Session,
    Transport,
    TravelTime,
    Visit,
    Window,
)
from .timegrid import hhmm, instant, local_exists, minute_of, time_of

__all__ = ["InvalidVisit", "Problem", "load_visit", "normalise_topic", "read_visit"]

ERROR = "error"
NOTE = "note"

RESERVED_HOST_IDS = frozenset({BASE})
RESERVED_SESSION_IDS = frozenset({"ride", "base", "base-start", "base-end"})

MAX_ROWS = 100_000
"""Rows of a table or workbook sheet, the header included."""
MAX_COLUMNS = 200
MAX_ENTITIES = 5_000
"""Delegates, sessions and hosts, each."""
MAX_PROGRAMME_DAYS = 92
TRAVEL_DAYS = 7
"""depart may come at most this many days before first_day, return after last_day."""
TEXT_LIMIT = 2_000
DESCRIPTION_LIMIT = 10_000
QUOTE_LIMIT = 60
"""Characters of a bad value a message quotes."""
YEARS = (1900, 2999)
"""Dates outside these years are typing errors; the bound keeps date arithmetic safe."""
MINUTES_A_DAY = 24 * 60
MAX_TRAVEL_MINUTES = MINUTES_A_DAY
MAX_ROOMS = 100
"""Sessions one host holds at once: more is a typing error, and each room costs the solver."""
MAX_SIZE = 10_000
MAX_SEATS = 1_000
MAX_AMOUNT = 1_000_000_000
MAX_RATE = 1_000_000
PHONE_LIMIT = 40
"""Characters of a phone number: the longest international number with spaces fits."""
MAX_LOGO_BYTES = 2_000_000
"""The funder's logo is printed on every sign-in sheet and certificate: a few hundred KB
at most in practice; more is the wrong file."""


# -- problems ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input (an error) or worth knowing about it (a note).

    ``row`` is the physical line (CSV, visit.toml) or sheet row (workbook)
    where the record starts, the header being 1; ``column`` is a column name
    or a dotted visit.toml key.  Either is None when it does not apply.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        place = self.file if self.row is None else f"{self.file}:{self.row}"
        column = "" if self.column is None else f" {self.column}:"
        return f"{place}:{column} {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.row or 0, self.column or "", self.message)


class InvalidVisit(Exception):
    """The input breaks the contract; ``problems`` lists every error, sorted."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted((p for p in problems if p.is_error), key=Problem.sort_key)
        super().__init__("\n".join(map(str, self.problems)))


class _Report:
    """Collects problems from every stage, so one run tells the organiser everything."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(_problem(file, row, column, message, ERROR))

    def note(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(_problem(file, row, column, message, NOTE))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def _problem(file: str, row: int | None, column: str | None, message: str, severity: str):
    """A problem safe to print: file, column and message never carry a raw control
    character, and a column name from the input is quoted like a value."""
    shown = None if column is None else _quote(column)
    return Problem(_escape(file), row, shown, _escape(message), severity)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(message: str) -> str:
    """Control characters, Unicode line separators and direction marks as escapes:
    a message stays one line and reads as written."""

    def escaped(match: re.Match[str]) -> str:
        char = match[0]
        if char in _ESCAPES:
            return _ESCAPES[char]
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _UNPRINTABLE.sub(escaped, message)


def _quote(raw: Any) -> str:
    """At most QUOTE_LIMIT characters of a value, control characters escaped, so a
    message stays short and printable whatever the input holds (spec "Ranges and text")."""
    shown = _show(raw)
    clipped = _escape(shown[:QUOTE_LIMIT])
    return clipped + "…" if len(shown) > QUOTE_LIMIT else clipped


# -- values ----------------------------------------------------------------------


class BadValue(ValueError):
    """A value that does not parse; its message says what is wrong, the caller says where."""


Parser = Callable[[Any], Any]

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)")
_ID = re.compile(r"[A-Za-z0-9_-]+")
_VISIT_ID = re.compile(r"[a-z0-9-]+")
ID_MAX = 64
"""Ids become file names, UIDs and CalDAV collection names: kept well under a
file system's 255 bytes even with the visit id in front."""
_CURRENCY = re.compile(r"[A-Z]{3}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _show(raw: Any) -> str:
    """A value as the organiser wrote it (Excel cells come back as dates and times)."""
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d %H:%M:%S" if raw.second else "%Y-%m-%d %H:%M")
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, time):
        return raw.strftime("%H:%M:%S" if raw.second else "%H:%M")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def text(raw: Any) -> str:
    return _show(raw).strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters other than a line break (LF, CR) or tab: invalid in any text."""
_BREAKS = re.compile(r" *[\t\n\r\x85\u2028\u2029][ \t\n\r\x85\u2028\u2029]*")
"""A run of line breaks and tabs with the spaces around it: it becomes one space."""
_LINE_END = re.compile(r"\r\n?|[\x85\u2028\u2029]")
_COLLAPSED = "line break or tab replaced by a space"


def _checked_text(value: str, *, lines: bool = False, limit: int = TEXT_LIMIT) -> tuple[str, bool]:
    """A text value under the spec's rules ("Ranges and text"), and whether line breaks
    or tabs were collapsed (the caller warns).  ``lines`` keeps line breaks, written
    as LF (descriptions, needs).  Raises BadValue for a control character or a value
    longer than ``limit``."""
    if found := _CONTROL.search(value):
        raise BadValue(
            f"control character U+{ord(found[0]):04X} at character {found.start() + 1:,} "
            f"of '{_quote(value)}'"
        )
    if len(value) > limit:
        raise BadValue(f"{len(value):,} characters, more than {limit:,}: '{_quote(value)}'")
    if lines:
        return _LINE_END.sub("\n", value), False
    trimmed = value.strip(" \t\n\r\x85\u2028\u2029")
    collapsed = _BREAKS.sub(" ", trimmed)
    return collapsed, collapsed != trimmed


def raw_value(raw: Any) -> Any:
    return raw


def _finite(raw: Any) -> None:
    if isinstance(raw, float) and not math.isfinite(raw):
        raise BadValue("must be a finite number")


def whole(raw: Any) -> int:
    """An exact int however large (1e308 from TOML too): ranges compare it before use."""
    _finite(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        return int(raw)
    raise BadValue("must be a whole number")


def decimal(raw: Any) -> Decimal:
    """Money and rates stay exact: a float from Excel or TOML becomes its shortest decimal."""
    _finite(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip()):
        return Decimal(raw.strip())
    raise BadValue("must be a number")


def number(raw: Any) -> float:
    """A float, once its range is checked: ``between(number, ...)`` compares the exact
    decimal first, so no huge value reaches float arithmetic."""
    return float(decimal(raw))


def positive(parse: Parser, high: int) -> Parser:
    """More than 0 and at most ``high`` (exchange rates)."""

    def parse_positive(raw: Any) -> Any:
        value = parse(raw)
        if value <= 0:
            raise BadValue("must be more than 0")
        if value > high:
            raise BadValue(f"must be at most {high:,}")
        return value

    return parse_positive


def between(parse: Parser, low: int, high: int) -> Parser:
    """``low``..``high`` inclusive.  A float parser is compared as an exact decimal
    first, so 1e400 or a 2,000-digit value is out of range, never inf or an overflow."""
    exact = decimal if parse is number else parse

    def parse_between(raw: Any) -> Any:
        value = exact(raw)
        if not low <= value <= high:
            raise BadValue(f"must be between {low:,} and {high:,}")
        return parse(raw) if exact is not parse else value

    return parse_between


def decimals(parse: Parser, places: int) -> Parser:
    """At most ``places`` decimals (amounts); run after the range, so quantize stays exact."""
    step = Decimal(1).scaleb(-places)

    def parse_places(raw: Any) -> Decimal:
        value = parse(raw)
        if value.quantize(step) != value:
            raise BadValue(f"has more than {places} decimals")
        return value

    return parse_places


def _in_years(on: date) -> date:
    low, high = YEARS
    if not low <= on.year <= high:
        raise BadValue(f"{on} is not in the years {low}..{high}")
    return on


def _calendar_date(match: re.Match[str]) -> date:
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise BadValue(f"{_quote(match[0])} is not a date") from None


def a_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        if raw.time() == time(0):
            return _in_years(raw.date())
    elif isinstance(raw, date):
        return _in_years(raw)
    elif isinstance(raw, str) and (match := _DATE.fullmatch(raw.strip())):
        return _in_years(_calendar_date(match))
    raise BadValue(f"{_quote(raw)} is not a date (write YYYY-MM-DD)")


def a_time(raw: Any) -> time:
    if isinstance(raw, time):
        return raw
    if isinstance(raw, str) and (match := _TIME.fullmatch(raw.strip())):
        try:
            return time(*(int(part) for part in match.groups() if part is not None))
        except ValueError:
            raise BadValue(f"{_quote(raw.strip())} is not a time") from None
    raise BadValue(f"{_quote(raw)} is not a time (write HH:MM)")


def a_datetime(raw: Any) -> datetime:
    """A naive local date-time; the reader localises it once the time zone is known."""
    if isinstance(raw, datetime):
        _in_years(raw.date())
        return datetime.combine(raw.date(), raw.time())
    if isinstance(raw, str) and (match := _DATETIME.fullmatch(raw.strip())):
        try:
            on, at = _calendar_date(_DATE.fullmatch(match[1])), a_time(match[2])
        except BadValue:
            raise BadValue(f"{_quote(raw.strip())} is not a date-time") from None
        return datetime.combine(_in_years(on), at)
    raise BadValue(f"{_quote(raw)} is not a date-time (write YYYY-MM-DD HH:MM)")


def yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = text(raw).casefold()
    if word in ("yes", "true"):
        return True
    if word in ("no", "false"):
        return False
    raise BadValue(f"{_quote(text(raw))} is not yes or no")


def one_of(options: tuple[str, ...]) -> Parser:
    """A word from a fixed list; `Site visit` and `site-visit` mean `site_visit`."""

    def parse_choice(raw: Any) -> str:
        word = re.sub(r"[\s-]+", "_", text(raw).casefold())
        if word in options:
            return word
        raise BadValue(f"{_quote(text(raw))} is not one of {', '.join(options)}")

    return parse_choice


def ident(raw: Any) -> str:
    value = text(raw)
    if _ID.fullmatch(value) and len(value) <= ID_MAX:
        return value
    if _ID.fullmatch(value):
        raise BadValue(
            f"'{_quote(value)}' is {len(value):,} characters: an id has at most {ID_MAX}"
        )
    raise BadValue(f"'{_quote(value)}' is not an id: use letters A-Z, digits, _ and -")


def id_list(raw: Any) -> tuple[str, ...]:
    parts = (part.strip() for part in text(raw).split(";"))
    return tuple(dict.fromkeys(ident(part) for part in parts if part))


def visit_id(raw: Any) -> str:
    value = text(raw)
    if _VISIT_ID.fullmatch(value) and len(value) <= ID_MAX:
        return value
    if _VISIT_ID.fullmatch(value):
        raise BadValue(
            f"'{_quote(value)}' is {len(value):,} characters: an id has at most {ID_MAX}"
        )
    raise BadValue(f"'{_quote(value)}' is not a visit id: use a-z, 0-9 and -")


def timezone_name(raw: Any) -> str:
    name = text(raw)
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise BadValue(f"unknown time zone '{_quote(name)}'") from None
    return name


def currency_code(raw: Any) -> str:
    code = text(raw).upper()
    if _CURRENCY.fullmatch(code):
        return code
    raise BadValue(f"'{_quote(text(raw))}' is not a currency code (three letters, such as EUR)")


def email(raw: Any) -> str:
    value = text(raw)
    if _EMAIL.fullmatch(value):
        return value
    raise BadValue(f"'{_quote(value)}' is not an email address")


_PHONE = re.compile(r"[0-9 ()./+-]+")


def phone(raw: Any) -> str:
    """A phone number as people write it: digits, spaces and ``+ ( ) - . /``."""
    value = text(raw)
    if len(value) > PHONE_LIMIT:
        raise BadValue(
            f"'{_quote(value)}' is {len(value)} characters: a phone number has at most {PHONE_LIMIT}"
        )
    if _PHONE.fullmatch(value) and sum(char.isdigit() for char in value) >= 3:
        return value
    raise BadValue(f"'{_quote(value)}' is not a phone number (digits, spaces and + ( ) - . / only)")


def normalise_topic(name: str) -> str:
    """Topics match after trimming, case folding and NFC, in the spec's order."""
    return unicodedata.normalize("NFC", name.strip().casefold())


def topic_list(raw: Any) -> tuple[str, ...]:
    topics = (normalise_topic(part) for part in text(raw).split(";"))
    return tuple(dict.fromkeys(topic for topic in topics if topic))


def interests(raw: Any) -> tuple[tuple[str, int], ...]:
    """`topic:weight; topic` -> ((topic, weight), ...) sorted by topic; a bare topic weighs 1."""
    weights: dict[str, int] = {}
    for part in text(raw).split(";"):
        if not part.strip():
            continue
        name, colon, weight = part.rpartition(":")
        if not colon:
            name, weight = part, "1"
        topic = normalise_topic(name)
        if not topic:
            raise BadValue(f"'{_quote(part.strip())}' names no topic")
        if not _INTEGER.fullmatch(weight.strip()) or not 1 <= int(weight) <= 10:
            raise BadValue(f"the weight of '{_quote(name.strip())}' must be a whole number 1..10")
        if topic in weights:
            raise BadValue(f"'{_quote(name.strip())}' appears twice")
        weights[topic] = int(weight)
    return tuple(sorted(weights.items()))


MAX_LIST_ITEMS = 50
"""Items of a list of texts ([project] aims and results): more is a typing error."""
TEXT_LISTS = frozenset({"project.aims", "project.results"})
"""Settings that are lists of sentences: a TOML array, or a workbook cell with one per line."""


def text_list(raw: Any) -> tuple[str, ...]:
    """A TOML array of texts, or one workbook cell with an item on each line."""
    items = raw if isinstance(raw, list) else _show(raw).split("\n")
    texts = tuple(text(item) for item in items if not isinstance(item, dict | list))
    if len(texts) != len(items):
        raise BadValue("must be a list of texts")
    if len(texts) > MAX_LIST_ITEMS:
        raise BadValue(f"{len(texts):,} items, more than {MAX_LIST_ITEMS}")
    if long := next((item for item in texts if len(item) > TEXT_LIMIT), None):
        raise BadValue(f"{len(long):,} characters, more than {TEXT_LIMIT:,}: '{_quote(long)}'")
    return tuple(item for item in texts if item)


def meal_list(raw: Any) -> tuple[str, ...]:
    """`breakfast; lunch; dinner`, any subset, in MEALS order (sessions.csv ``provides``)."""
    meals = set()
    for part in text(raw).split(";"):
        word = part.strip().casefold()
        if not word:
            continue
        if word not in MEALS:
            raise BadValue(f"'{_quote(part.strip())}' is not one of {', '.join(MEALS)}")
        meals.add(word)
    return tuple(meal for meal in MEALS if meal in meals)


def goal_list(raw: Any) -> tuple[str, ...]:
    """The goals in the organiser's order; goals left out follow in the default order."""
    names = raw if isinstance(raw, list) else re.split(r"[;,]", text(raw))
    goals: list[str] = []
    for name in (text(n) for n in names):
        if name not in GOALS:
            raise BadValue(f"unknown goal '{_quote(name)}' (goals: {', '.join(GOALS)})")
        if name in goals:
            raise BadValue(f"goal '{_quote(name)}' appears twice")
        goals.append(name)
    return tuple(goals) + tuple(goal for goal in GOALS if goal not in goals)


# -- schemas ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """How one column parses; ``field`` names the model field when it differs.

    Text rules (spec "Ranges and text"): ``lines`` keeps line breaks (descriptions,
    needs), elsewhere they become a space; ``limit`` caps the length; ``checked``
    False leaves both to a later stage (the visit sheet's values, checked as settings).
    """

    name: str
    parse: Parser = text
    required: bool = False
    numeric: bool = False
    field: str | None = None
    lines: bool = False
    limit: int = TEXT_LIMIT
    checked: bool = True


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    needs_rows: bool = False


DELEGATES = Schema(
    "delegates",
    (
        Column("id", ident, required=True),
        Column("name", required=True),
        Column("role"),
        Column("organisation"),
        Column("email", email),
        Column("interests", interests),
        Column("must_attend", id_list),
        Column("needs", lines=True),
        Column("arrives", a_datetime),
        Column("departs", a_datetime),
        Column("travel_out", a_date),
        Column("travel_home", a_date),
        Column("phone", phone),
        Column("emergency_contact"),
        Column("emergency_phone", phone),
    ),
    required=True,
    needs_rows=True,
)
HOSTS = Schema(
    "hosts",
    (
        Column("id", ident, required=True),
        Column("name", required=True),
        Column("address"),
        Column("lat", between(number, -90, 90), numeric=True),
        Column("lon", between(number, -180, 180), numeric=True),
        Column("rooms", between(whole, 1, MAX_ROOMS), numeric=True),
        Column("contact"),
        Column("email", email),
        Column("phone"),
        Column("step_free", yes_no),
    ),
    required=True,
)
SESSIONS = Schema(
    "sessions",
    (
        Column("id", ident, required=True),
        Column("title", required=True),
        Column("host_id", ident, required=True),
        Column("minutes", whole, required=True, numeric=True),
        Column("kind", one_of(KINDS)),
        Column("topics", topic_list),
        Column("audience", one_of(AUDIENCES)),
        Column("required", yes_no),
        Column("min_size", between(whole, 1, MAX_SIZE), numeric=True),
        Column("max_size", between(whole, 1, MAX_SIZE), numeric=True),
        Column("group"),
        Column("after", id_list),
        Column("date", a_date, field="pin_date"),
        Column("start", a_time, field="pin_start"),
        Column("status", one_of(STATUSES)),
        Column("description", lines=True, limit=DESCRIPTION_LIMIT),
        Column("outcome", lines=True, limit=DESCRIPTION_LIMIT),
        Column("provides", meal_list),
    ),
    required=True,
    needs_rows=True,
)
DAYS = Schema(
    "days",
    (
        Column("date", a_date, required=True),
        Column("day_start", a_time),
        Column("day_end", a_time),
        Column("programme", yes_no),
    ),
)
AVAILABILITY = Schema(
    "availability",
    (
        Column("host_id", ident, required=True),
        Column("date", a_date, required=True),
        Column("from", a_time, required=True),
        Column("to", a_time, required=True),
    ),
)
TRAVEL = Schema(
    "travel",
    (
        Column("from", ident, required=True, field="a"),
        Column("to", ident, required=True, field="b"),
        Column("minutes", between(whole, 0, MAX_TRAVEL_MINUTES), required=True, numeric=True),
    ),
)
COSTS = Schema(
    "costs",
    (
        Column("id", ident, required=True),
        Column("category", one_of(CATEGORIES), required=True),
        Column("description", lines=True, limit=DESCRIPTION_LIMIT),
        Column("basis", one_of(BASES), required=True),
        Column("amount", decimals(between(decimal, 0, MAX_AMOUNT), 4), required=True, numeric=True),
        Column("currency", currency_code),
        Column("eligible", yes_no),
    ),
)
SHARE = decimals(between(decimal, 0, 1), 4)
"""A per-diem deduction share: 0..1, at most 4 decimals."""
PER_DIEM = Schema(
    "per_diem",
    (
        Column("zone", required=True),
        Column("valid_from", a_date, required=True),
        Column("rate", decimals(between(decimal, 0, MAX_AMOUNT), 4), required=True, numeric=True),
        Column("currency", currency_code),
        Column("breakfast", SHARE, numeric=True),
        Column("lunch", SHARE, numeric=True),
        Column("dinner", SHARE, numeric=True),
        Column("note", lines=True, limit=DESCRIPTION_LIMIT),
    ),
)
"""per_diem.csv (visitplan's addition): dated per-diem rates and meal deduction shares."""
SCHEMAS = (DELEGATES, HOSTS, SESSIONS, DAYS, AVAILABILITY, TRAVEL, COSTS, PER_DIEM)
COUNTED = ("delegates", "hosts", "sessions")
"""Tables holding at most MAX_ENTITIES rows."""

VISIT_SHEET = Schema(
    "visit",
    (
        Column("key", required=True),
        Column("value", raw_value, checked=False),
        Column("comment", lines=True, limit=DESCRIPTION_LIMIT),
    ),
    required=True,
)
"""The workbook's settings sheet; the organisers' template adds a comment per key."""
TEMPLATE_SHEETS = frozenset({"help"})
"""Sheets the organisers' template carries beside the visit: skipped without a note."""


@dataclass(frozen=True, slots=True)
class Key:
    """One visit.toml setting, by its dotted name."""

    name: str
    parse: Parser = text
    required: bool = False


KEYS = (
    Key("id", visit_id, required=True),
    Key("title", required=True),
    Key("short_title"),
    Key("timezone", timezone_name, required=True),
    Key("first_day", a_date, required=True),
    Key("last_day", a_date, required=True),
    Key("depart", a_date),
    Key("return", a_date),
    Key("day_start", a_time, required=True),
    Key("day_end", a_time, required=True),
    Key("slot_minutes", between(whole, 1, 60)),
    Key("language", one_of(LANGUAGES)),
    Key("host_language", one_of(LANGUAGES)),
    Key("currency", currency_code),
    Key("organiser.name"),
    Key("organiser.email", email),
    Key("organiser.phone", phone),
    Key("funder.name"),
    Key("funder.programme"),
    Key("funder.project_number"),
    Key("funder.credit"),
    Key("funder.logo"),
    Key("project.title"),
    Key("project.applicant"),
    Key("project.period_from", a_date),
    Key("project.period_to", a_date),
    Key("project.aims", text_list),
    Key("project.results", text_list),
    Key("kit.sign_in", one_of(SIGN_IN)),
    Key("lunch.from", a_time),
    Key("lunch.to", a_time),
    Key("lunch.minutes", between(whole, 1, MINUTES_A_DAY)),
    Key("base.name", required=True),
    Key("base.address"),
    Key("base.lat", between(number, -90, 90)),
    Key("base.lon", between(number, -180, 180)),
    Key("base.phone", phone),
    Key("base.breakfast", yes_no),
    Key("per_diem.zone"),
    Key("transport.speed_kmh", between(number, 1, 300)),
    Key("transport.road_factor", between(number, 1, 5)),
    Key("transport.buffer_minutes", between(whole, 0, 240)),
    Key("transport.vehicles", between(whole, 1, 500)),
    Key("transport.seats", between(whole, 1, MAX_SEATS)),
    Key("transport.reserved_seats", between(whole, 0, MAX_SEATS - 1)),
    Key("transport.walk_km", between(number, 0, 20)),
    Key("transport.walk_kmh", between(number, 1, 10)),
    Key("budget.total", between(decimal, 0, 10_000_000_000)),
    Key("budget.cofinancing_rate", between(decimal, 0, 1)),
    Key("exchange_note.date", a_date),
    Key("exchange_note.source"),
    Key("objective.order", goal_list),
)
EXCHANGE = "exchange."


# -- raw sources -----------------------------------------------------------------


@dataclass(slots=True)
class RawTable:
    """A table as cells, before parsing; ``header_row`` is None for an empty file."""

    file: str
    header_row: int | None
    columns: tuple[str, ...]
    records: list[tuple[int, dict[str, Any]]]
    decimal_comma: bool = False


@dataclass(slots=True)
class RawSettings:
    """visit.toml flattened to dotted keys, with the line of each key and table."""

    file: str
    values: dict[str, Any]
    lines: dict[str, int]


@dataclass(slots=True)
class _Source:
    """What was found at the path: settings and tables, None where unreadable."""

    settings: RawSettings | None
    tables: dict[str, RawTable | None] = field(default_factory=dict)
    workbook: str | None = None
    folder: Path | None = None
    """The folder files named in the settings are relative to (the funder's logo)."""

    def report_missing(self, name: str, report: _Report) -> None:
        if self.workbook is None:
            report.error(f"{name}.csv", None, None, "file is missing")
        else:
            report.error(self.workbook, None, None, f"missing sheet '{name}'")


def _open(path: Path, report: _Report) -> _Source | None:
    if path.is_dir():
        has_toml = (path / "visit.toml").exists()
        if not has_toml and (path / "visit.xlsx").is_file():
            return _read_workbook(path / "visit.xlsx", report)
        if has_toml and (path / "visit.xlsx").exists():
            report.note("visit.xlsx", None, None, "ignored: the folder has visit.toml")
        return _read_folder(path, report)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        return _read_workbook(path, report)
    if path.is_file():
        report.error(path.name, None, None, "is neither a visit folder nor an .xlsx workbook")
    else:
        report.error(str(path), None, None, "no such folder or file")
    return None


def _read_folder(folder: Path, report: _Report) -> _Source:
    toml_path = folder / "visit.toml"
    if toml_path.exists():
        settings = _read_toml(toml_path, report)
    else:
        settings = None
        report.error("visit.toml", None, None, "file is missing")
    source = _Source(settings, folder=folder)
    for schema in SCHEMAS:
        path = folder / f"{schema.name}.csv"
        if path.exists():
            source.tables[schema.name] = _read_csv(path, report)
    return source


def _decode(path: Path, report: _Report) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.error(path.name, line, None, "not UTF-8 text: save the file as UTF-8")
        return None


def _read_toml(path: Path, report: _Report) -> RawSettings | None:
    content = _decode(path, report)
    if content is None:
        return None
    try:
        document = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        report.error(path.name, int(line[1]) if line else None, None, f"not TOML: {message}")
        return None
    return RawSettings(path.name, dict(_flatten(document)), _toml_lines(content))


def _flatten(document: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in document.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


_TOML_TABLE = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]")
_TOML_KEY = re.compile(r"\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _toml_lines(content: str) -> dict[str, int]:
    """Where each key and table is written, so problems can name the line (tomllib does not)."""

    def dotted(raw: str) -> str:
        return ".".join(part.strip().strip("\"'") for part in raw.split("."))

    lines: dict[str, int] = {}
    table = ""
    for number_, line in enumerate(content.splitlines(), start=1):
        if match := _TOML_TABLE.match(line):
            table = dotted(match[1]) + "."
            lines.setdefault(table[:-1], number_)
        elif match := _TOML_KEY.match(line):
            lines.setdefault(table + dotted(match[1]), number_)
    return lines


def _read_csv(path: Path, report: _Report) -> RawTable | None:
    content = _decode(path, report)
    if content is None:
        return None
    header = next((line for line in content.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = _csv_rows(path.name, content, delimiter, report)
    if rows is None:
        return None
    return _raw_table(path.name, rows, report, decimal_comma=delimiter == ";", csv_file=True)


def _csv_rows(
    file: str, content: str, delimiter: str, report: _Report
) -> list[tuple[int, list[Any]]] | None:
    """Records with the physical line each starts on; blank lines skipped, `,,,` reported.

    None when the file holds more than MAX_ROWS records: the rest is not read.
    """
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                if len(rows) == MAX_ROWS:
                    report.error(file, start, None, f"more than {MAX_ROWS:,} rows")
                    return None
                rows.append((start, [_clean(cell) for cell in cells]))
            elif len(cells) > 1:
                report.error(file, start, None, "empty row: only separators")
    except csv.Error as exc:
        report.error(file, reader.line_num, None, f"not readable as CSV: {exc}")
    return rows


_TRIM = "".join(
    char
    for char in map(chr, range(0x3001))
    if char.isspace() and (char in " \t\n\r" or ord(char) > 0x9F)
)
"""Whitespace trimmed from a cell's ends: not the control characters Python counts
as space (U+001C..U+001F), which the text rules reject instead of hiding."""


def _clean(cell: Any) -> Any:
    """Trimmed value, or None for an empty cell (pandas gives NaN or NaT for those)."""
    if isinstance(cell, str):
        return cell.strip(_TRIM) or None
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NaT:
        return None
    return cell


def _column_letters(number_: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD: the spreadsheet's name for a column."""
    letters = ""
    while number_:
        number_, remainder = divmod(number_ - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _raw_table(
    file: str,
    rows: list[tuple[int, list[Any]]],
    report: _Report,
    *,
    decimal_comma: bool = False,
    csv_file: bool = False,
) -> RawTable | None:
    """Cells by column name.  A column with an empty header (Excel saves trailing ones)
    is ignored while it holds no value; a value under it is an error naming the cell
    (in CSV, a cell past the header's columns usually means an unquoted separator).
    None when the header is wider than MAX_COLUMNS."""
    if not rows:
        return RawTable(file, None, (), [], decimal_comma)
    header_row, header = rows[0]
    names = [text(cell).casefold() if cell is not None else "" for cell in header]
    while names and not names[-1]:
        names.pop()
    if len(names) > MAX_COLUMNS:
        report.error(file, header_row, None, f"more than {MAX_COLUMNS} columns")
        return None
    seen: set[str] = set()
    for name in names:
        if name in seen:
            report.error(file, header_row, name, "column appears twice")
        if name:
            seen.add(name)
    records = []
    for row, cells in rows[1:]:
        values: dict[str, Any] = {}
        stray: int | None = None
        for index, cell in enumerate(cells):
            name = names[index] if index < len(names) else ""
            if name:
                values.setdefault(name, cell)
            elif cell is not None and stray is None:
                stray = index + 1
        if stray is not None:
            report.error(file, row, None, _unnamed_cell(stray, row, len(names), csv_file))
        records.append((row, values))
    return RawTable(file, header_row, tuple(n for n in names if n), records, decimal_comma)


def _unnamed_cell(column: int, row: int, width: int, csv_file: bool) -> str:
    if not csv_file:
        return f"cell {_column_letters(column)}{row} holds a value, but its column has no header"
    if column > width:
        return f"more cells than the header's {width} columns: a value in column {column}"
    return f"column {column} holds a value, but has no header"


def _read_workbook(path: Path, report: _Report) -> _Source | None:
    """The workbook's visit sheets, each measured cell by cell before pandas loads it."""
    book = path.name
    known = {schema.name for schema in SCHEMAS} | {"visit"}
    try:
        titles, extents = _measure_sheets(path, known)
    except Exception as exc:  # a broken workbook fails in zipfile or openpyxl alike
        report.error(book, None, None, f"not readable as a workbook: {_reason(exc)}")
        return None
    for name in sorted(set(titles) - known - TEMPLATE_SHEETS):
        report.note(book, None, None, f"sheet '{_quote(name)}' is not part of a visit: ignored")
    source = _Source(None, workbook=book, folder=path.parent)
    wanted: dict[str, int] = {}
    for name, extent in extents.items():
        if isinstance(extent, str):
            report.error(
                f"{book}[{name}]",
                _cell_row(extent),
                None,
                f"a value at cell {extent} lies outside {MAX_ROWS:,} rows × {MAX_COLUMNS} columns",
            )
            source.tables[name] = None
        else:
            wanted[name] = extent
    try:
        frames = _load_sheets(path, {name: titles[name] for name in wanted}, wanted)
    except Exception as exc:  # the measuring pass read it, so this is rare
        report.error(book, None, None, f"not readable as a workbook: {_reason(exc)}")
        return None
    for schema in SCHEMAS:
        if schema.name in frames:
            rows = _frame_rows(frames[schema.name])
            source.tables[schema.name] = _raw_table(f"{book}[{schema.name}]", rows, report)
    if "visit" in frames:
        source.settings = _sheet_settings(f"{book}[visit]", _frame_rows(frames["visit"]), report)
    elif "visit" not in titles:
        report.error(book, None, None, "missing sheet 'visit'")
    source.tables.pop("visit", None)
    return source


def _reason(exc: Exception) -> str:
    """Why a workbook does not open, in words even when the library gives none."""
    return _quote(str(exc).strip() or type(exc).__name__)


def _cell_row(cell: str) -> int:
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _measure_sheets(path: Path, known: set[str]) -> tuple[dict[str, str], dict[str, int | str]]:
    """The sheet titles by folded name, and for each known sheet its extent: the last
    row holding a value, or the name of the first cell holding a value outside
    MAX_ROWS × MAX_COLUMNS.

    openpyxl streams each sheet in read-only mode with its recorded dimension
    dropped, so a row comes back only as wide as its last written cell, a gap of
    empty rows costs next to nothing, and reading stops at the first value out of
    bounds.  pandas, given such a sheet, pads every row to the widest one: a value
    at XFD1048576 would make that 17 billion cells.
    """
    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        titles: dict[str, str] = {}
        for title in book.sheetnames:
            titles.setdefault(str(title).strip().casefold(), title)
        extents = {name: _extent(book[titles[name]]) for name in sorted(known & set(titles))}
    finally:
        book.close()
    return titles, extents


def _extent(sheet: Any) -> int | str:
    sheet.reset_dimensions()
    last = 0
    for number_, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not values:  # a row missing from the file
            continue
        filled = [index for index, value in enumerate(values, start=1) if _filled(value)]
        if not filled:
            continue
        if number_ > MAX_ROWS:
            return f"{_column_letters(filled[0])}{number_}"
        if filled[-1] > MAX_COLUMNS:
            far = next(index for index in filled if index > MAX_COLUMNS)
            return f"{_column_letters(far)}{number_}"
        last = number_
    return last


def _load_sheets(path: Path, titles: dict[str, str], rows: dict[str, int]) -> dict[str, Any]:
    """The measured sheets as frames of raw cells, read no further than their last value.

    keep_default_na=False: a delegate called Nan or a need written N/A stays text.
    """
    if not titles:
        return {}
    with pd.ExcelFile(path, engine="openpyxl") as workbook:
        return {
            name: pd.read_excel(
                workbook,
                sheet_name=title,
                header=None,
                dtype=object,
                keep_default_na=False,
                nrows=max(rows[name], 1),
            )
            for name, title in titles.items()
        }


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip(_TRIM))


def _frame_rows(frame: pd.DataFrame) -> list[tuple[int, list[Any]]]:
    """Sheet rows with their numbers (header=None keeps leading and blank rows in place)."""
    rows = []
    for index, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        cells = [_clean(value) for value in values]
        if any(cell is not None for cell in cells):
            rows.append((index, cells))
    return rows


def _sheet_settings(file: str, rows: list[tuple[int, list[Any]]], report: _Report) -> RawSettings:
    settings = RawSettings(file, {}, {})
    raw = _raw_table(file, rows, report)
    if raw is None:
        return settings
    for row in _parse_table(VISIT_SHEET, raw, report):
        key, value = row.get("key"), row.get("value")
        if key is None or value is None:
            continue
        if key in settings.values:
            row.fail("key", f"'{_quote(key)}' appears twice (also row {settings.lines[key]})")
            continue
        settings.values[key] = value
        settings.lines[key] = row.row
    return settings


# -- parsed rows and settings ------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One record: its parsed non-empty, valid cells, and where to report about it."""

    file: str
    row: int
    values: dict[str, Any]
    report: _Report
    rejected: set[str] = field(default_factory=set)

    def get(self, column: str, default: Any = None) -> Any:
        return self.values.get(column, default)

    def given(self, column: str) -> bool:
        """Whether the cell holds anything, valid or not."""
        return column in self.values or column in self.rejected

    def fail(self, column: str | None, message: str) -> None:
        self.report.error(self.file, self.row, column, message)

    def note(self, column: str | None, message: str) -> None:
        self.report.note(self.file, self.row, column, message)

    def reject(self, column: str, message: str) -> None:
        """Report a parsed value as invalid and drop it, so later checks skip it."""
        self.fail(column, message)
        self.values.pop(column, None)
        self.rejected.add(column)

    def fields(self, schema: Schema) -> dict[str, Any]:
        """Keyword arguments for the model class: empty cells take the dataclass default."""
        return {
            column.field or column.name: self.values[column.name]
            for column in schema.columns
            if column.name in self.values
        }


@dataclass(slots=True)
class _Table:
    """A table's parsed rows; ``complete`` when it exists with every required column,
    so references into it can be checked without flagging each one as unknown."""

    rows: list[Row]
    complete: bool


def _parse_table(schema: Schema, raw: RawTable, report: _Report) -> list[Row]:
    if raw.header_row is None:
        report.error(raw.file, None, None, "empty: no header row")
        return []
    known = {column.name for column in schema.columns}
    for name in raw.columns:
        if name not in known:
            report.note(raw.file, raw.header_row, name, "unknown column: ignored")
    for column in schema.columns:
        if column.required and column.name not in raw.columns:
            report.error(raw.file, raw.header_row, column.name, "missing column")
    rows = [_parse_record(schema, raw, number_, cells, report) for number_, cells in raw.records]
    if schema.needs_rows and not rows:
        report.error(raw.file, None, None, "no rows below the header")
    return rows


def _parse_record(
    schema: Schema, raw: RawTable, number_: int, cells: dict[str, Any], report: _Report
) -> Row:
    row = Row(raw.file, number_, {}, report)
    for column in schema.columns:
        value = cells.get(column.name)
        if value is None:
            if column.required and column.name in raw.columns:
                row.fail(column.name, "missing")
            continue
        try:
            if column.checked and isinstance(value, str):
                value, collapsed = _checked_text(value, lines=column.lines, limit=column.limit)
                if collapsed:
                    row.note(column.name, _COLLAPSED)
            if column.numeric and raw.decimal_comma and isinstance(value, str):
                value = value.replace(",", ".")
            row.values[column.name] = column.parse(value)
        except BadValue as exc:
            row.fail(column.name, str(exc))
            row.rejected.add(column.name)
    return row


class _Settings:
    """The visit's settings, parsed key by key; problems name the key's line when known."""

    def __init__(self, raw: RawSettings | None, report: _Report):
        self.report = report
        self.file = raw.file if raw else "visit.toml"
        self.lines = raw.lines if raw else {}
        self.written = set(raw.values) if raw else set()
        """Keys the organiser wrote, valid or not: presence checks use these, not ``values``."""
        self.values: dict[str, Any] = {}
        self.read = raw is not None
        if raw is not None:
            self._parse(raw)

    def _parse(self, raw: RawSettings) -> None:
        keys = {key.name: key for key in KEYS}
        for name, value in raw.values.items():
            if name.startswith(EXCHANGE):
                self._parse_rate(name, value)
            elif name not in keys:
                self.report.note(self.file, self.row_of(name), name, "unknown key: ignored")
        for key in KEYS:
            if key.name in raw.values:
                self._parse_value(key.name, key.parse, raw.values[key.name])
            elif key.required:
                self.fail(key.name, "missing")

    def _parse_value(self, name: str, parse: Parser, value: Any) -> None:
        try:
            self.values[name] = parse(self._checked(name, value))
        except BadValue as exc:
            self.fail(name, str(exc))

    def _checked(self, name: str, value: Any, *, item: bool = False) -> Any:
        """The text rules for a setting's text, or each text of a list (objective.order).
        A workbook cell of TEXT_LISTS keeps its line breaks: they separate the items."""
        if isinstance(value, list):
            return [self._checked(name, part, item=True) for part in value]
        if not isinstance(value, str):
            return value
        if name in TEXT_LISTS and not item:
            return _checked_text(value, lines=True, limit=DESCRIPTION_LIMIT)[0]
        value, collapsed = _checked_text(value)
        if collapsed:
            self.report.note(self.file, self.row_of(name), name, _COLLAPSED)
        return value

    def _parse_rate(self, name: str, value: Any) -> None:
        code = name[len(EXCHANGE) :]
        if not _CURRENCY.fullmatch(code):
            self.fail(name, f"'{_quote(code)}' is not a currency code (three capital letters)")
        else:
            self._parse_value(name, positive(decimal, MAX_RATE), value)

    def row_of(self, key: str) -> int | None:
        """The key's line, else the line of its [table], else None."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def fail(self, key: str, message: str) -> None:
        self.report.error(self.file, self.row_of(key), key, message)

    def section(self, table: str) -> dict[str, Any]:
        """{field: value} of the keys under ``[table]``."""
        prefix = table + "."
        return {k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)}

    def given(self, table: str) -> bool:
        """Whether the organiser wrote anything under ``[table]``, valid or not."""
        return any(key.startswith(table + ".") for key in self.written)


# -- the reader --------------------------------------------------------------------


class _Reader:
    """Checks what spans rows, tables and settings, then builds the Visit.

    Every check runs on whatever parsed, so one run reports every problem; a
    check whose inputs failed to parse is skipped instead of piling up
    follow-on errors.
    """

    def __init__(self, source: _Source, report: _Report):
        self.report = report
        self.source = source
        self.settings = _Settings(source.settings, report)
        self.tables = {schema.name: self._table(schema) for schema in SCHEMAS}
        self.first: dict[str, dict[str, Row]] = {}
        self.slot: int | None = None
        self.days: dict[date, Day] | None = None
        self.windows: list[Window] = []
        self.logo = b""
        self.per_diem_rates: tuple[PerDiemRate, ...] = ()

    def _table(self, schema: Schema) -> _Table:
        if schema.name not in self.source.tables:
            if schema.required:
                self.source.report_missing(schema.name, self.report)
            return _Table([], complete=not schema.required)
        raw = self.source.tables[schema.name]
        if raw is None:
            return _Table([], complete=False)
        rows = _parse_table(schema, raw, self.report)
        if schema.name in COUNTED and len(rows) > MAX_ENTITIES:
            row = rows[MAX_ENTITIES].row
            message = f"more than {MAX_ENTITIES:,} {schema.name}"
            self.report.error(raw.file, row, None, message)
            return _Table([], complete=False)
        required = {column.name for column in schema.columns if column.required}
        return _Table(rows, complete=raw.header_row is not None and required <= set(raw.columns))

    def read(self) -> Visit | None:
        self._check_settings()
        self._check_ids()
        self.days = self._resolve_days()
        self.windows = self._resolve_windows()
        self._check_hosts()
        self._check_sessions()
        self._check_delegates()
        self._check_travel()
        self._check_coordinates()
        self._check_costs()
        self.per_diem_rates = self._check_per_diem()
        if self.report.has_errors:
            return None
        return self._build()

    # -- settings ----------------------------------------------------------------

    def _check_settings(self) -> None:
        s = self.settings
        slot = s.get("slot_minutes", 15)
        if slot > 0 and 60 % slot == 0:
            self.slot = slot
        elif "slot_minutes" in s.values:
            s.fail("slot_minutes", f"{slot} does not divide 60")
        for key in ("day_start", "day_end", "lunch.from", "lunch.to"):
            if key in s.values:
                self._check_grid(s.fail, key, s.get(key))
        self._check_order(s, "day_start", "day_end")
        for given, missing in (("base.lat", "base.lon"), ("base.lon", "base.lat")):
            if given in s.written and missing not in s.written:
                s.fail(missing, f"missing: {given} is given")
        self._check_dates()
        self._check_lunch()
        if s.given("organiser") and "organiser.email" not in s.written:
            s.fail("organiser.email", "missing: the calendars' organiser needs an email")
        if s.given("funder") and "funder.name" not in s.written:
            s.fail("funder.name", "missing: the kit credits the funder by name")
        self.logo = self._read_logo()
        self._check_project()
        seats, reserved = s.get("transport.seats"), s.get("transport.reserved_seats", 0)
        if seats is not None and seats <= reserved:
            s.fail(
                "transport.reserved_seats", f"{reserved} leaves no seat of {seats} for delegates"
            )
        if s.read and "costs" in self.source.tables and "currency" not in s.written:
            s.fail("currency", "missing: costs.csv needs the currency of the cost sheet")
        elif s.read and "per_diem" in self.source.tables and "currency" not in s.written:
            s.fail("currency", "missing: per_diem.csv needs the currency of the cost sheet")

    def _check_project(self) -> None:
        """The project period runs forward and holds the trip (a note when it does not)."""
        s = self.settings
        self._check_date_order(s, "project.period_from", "project.period_to")
        start, end = s.get("project.period_from"), s.get("project.period_to")
        depart = s.get("depart", s.get("first_day"))
        return_ = s.get("return", s.get("last_day"))
        if start is not None and depart is not None and depart < start:
            message = f"{start} is after the trip's first day {depart}: the visit is outside it"
            self.report.note(
                s.file, s.row_of("project.period_from"), "project.period_from", message
            )
        if end is not None and return_ is not None and end < return_:
            message = f"{end} is before the trip's last day {return_}: the visit is outside it"
            self.report.note(s.file, s.row_of("project.period_to"), "project.period_to", message)

    def _read_logo(self) -> bytes:
        """The funder's logo file: inside the visit folder, PNG, JPEG or SVG, not too big."""
        s, name = self.settings, self.settings.get("funder.logo")
        if not name:
            return b""
        suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
        if suffix not in LOGO_TYPES:
            s.fail("funder.logo", f"'{_quote(name)}' is not a .png, .jpg or .svg file")
            return b""
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts or self.source.folder is None:
            s.fail("funder.logo", f"'{_quote(name)}' is not a file name inside the visit folder")
            return b""
        path = self.source.folder / relative
        if not path.is_file():
            s.fail("funder.logo", f"'{_quote(name)}': no such file in the visit folder")
            return b""
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            s.fail(
                "funder.logo", f"'{_quote(name)}' is {size:,} bytes, more than {MAX_LOGO_BYTES:,}"
            )
            return b""
        return path.read_bytes()

    def _check_grid(self, fail: Callable[[str, str], None], column: str, at: time) -> None:
        if self.slot and (at.second or at.microsecond or minute_of(at) % self.slot):
            fail(column, f"{_show(at)} is not on the {self.slot}-minute grid")

    @staticmethod
    def _check_order(where: _Settings | Row, start_key: str, end_key: str) -> None:
        """end_key comes strictly after start_key: times and date-times."""
        start, end = where.get(start_key), where.get(end_key)
        if start is not None and end is not None and end <= start:
            where.fail(end_key, f"{_show(end)} is not after {start_key} {_show(start)}")

    @staticmethod
    def _check_date_order(where: _Settings | Row, first_key: str, last_key: str) -> None:
        """last_key is first_key or later: a one-day visit or trip is fine."""
        first, last = where.get(first_key), where.get(last_key)
        if first is not None and last is not None and last < first:
            where.fail(last_key, f"{last} is before {first_key} {first}")

    def _check_dates(self) -> None:
        s = self.settings
        first, last = s.get("first_day"), s.get("last_day")
        self._check_date_order(s, "first_day", "last_day")
        if first is not None and last is not None and first <= last:
            days = (last - first).days + 1
            if days > MAX_PROGRAMME_DAYS:
                s.fail(
                    "last_day",
                    f"{days:,} programme days from first_day {first}; at most {MAX_PROGRAMME_DAYS}",
                )
        travel = timedelta(days=TRAVEL_DAYS)
        if first is not None and (depart := s.get("depart", first)) is not None:
            if depart > first:
                s.fail("depart", f"{depart} is after first_day {first}")
            elif depart < first - travel:
                s.fail(
                    "depart", f"{depart} is more than {TRAVEL_DAYS} days before first_day {first}"
                )
        if last is not None and (return_ := s.get("return", last)) is not None:
            if return_ < last:
                s.fail("return", f"{return_} is before last_day {last}")
            elif return_ > last + travel:
                s.fail("return", f"{return_} is more than {TRAVEL_DAYS} days after last_day {last}")

    def _check_lunch(self) -> None:
        s = self.settings
        if not s.given("lunch"):
            return
        for key in ("lunch.from", "lunch.to", "lunch.minutes"):
            if key not in s.written:
                s.fail(key, "missing")
        start, end, minutes = s.get("lunch.from"), s.get("lunch.to"), s.get("lunch.minutes")
        if minutes is not None:
            self._check_minutes(s.fail, "lunch.minutes", minutes)
        if start is None or end is None:
            return
        day_start, day_end = s.get("day_start"), s.get("day_end")
        if end <= start:
            s.fail("lunch.to", f"{_show(end)} is not after lunch.from {_show(start)}")
        elif minutes is not None and minute_of(end) - minute_of(start) < minutes:
            s.fail(
                "lunch.to",
                f"the window {hhmm(start)}–{hhmm(end)} is shorter than {minutes} minutes",
            )
        if (
            day_start is not None
            and day_end is not None
            and not day_start <= start < end <= day_end
        ):
            s.fail(
                "lunch.from",
                f"the window {hhmm(start)}–{hhmm(end)} is outside the daily frame "
                f"{hhmm(day_start)}–{hhmm(day_end)}",
            )

    def _check_minutes(self, fail: Callable[[str, str], None], column: str, minutes: int) -> None:
        if (problem := self._minutes_problem(minutes)) is not None:
            fail(column, problem)

    def _minutes_problem(self, minutes: int) -> str | None:
        if minutes <= 0 or (self.slot and minutes % self.slot):
            grid = f" of {self.slot}" if self.slot else ""
            return f"{_quote(minutes)} is not a positive multiple{grid}"
        return None

    def _check_session_minutes(self, row: Row, longest: int) -> None:
        """One slot up to the longest daily frame; a bad length is dropped, so no later
        check does arithmetic with it."""
        minutes = row.get("minutes")
        if minutes is None:
            return
        problem = self._minutes_problem(minutes)
        if problem is None and minutes > longest:
            problem = (
                f"{_quote(minutes)} is longer than the longest daily frame ({longest} minutes)"
            )
        if problem is not None:
            row.reject("minutes", problem)

    def _longest_frame(self) -> int:
        """Minutes of the longest programme day's frame (a whole day while days are unknown)."""
        days = list(self.days.values()) if self.days else []
        frames = [
            minute_of(day.day_end) - minute_of(day.day_start)
            for day in [day for day in days if day.programme] or days
        ]
        return max((frame for frame in frames if frame > 0), default=MINUTES_A_DAY)

    # -- days and windows ----------------------------------------------------------

    def _resolve_days(self) -> dict[date, Day] | None:
        """Every date first_day..last_day with its frame; None when the settings do not allow it."""
        s = self.settings
        first, last = s.get("first_day"), s.get("last_day")
        start, end = s.get("day_start"), s.get("day_end")
        if first is None or last is None or start is None or end is None or first > last:
            return None
        if (last - first).days >= MAX_PROGRAMME_DAYS:
            return None
        days = {on: Day(on, start, end) for on in _dates(first, last)}
        listed: dict[date, int] = {}
        for row in self.tables["days"].rows:
            on = row.get("date")
            if on is None or not self._within_visit(row, "date", on):
                continue
            if on in listed:
                row.fail("date", f"{on} is already on row {listed[on]}")
                continue
            listed[on] = row.row
            for column in ("day_start", "day_end"):
                if column in row.values:
                    self._check_grid(row.fail, column, row.values[column])
            day = Day(
                on, row.get("day_start", start), row.get("day_end", end), row.get("programme", True)
            )
            if day.day_end <= day.day_start:
                row.fail(
                    "day_end", f"{hhmm(day.day_end)} is not after day_start {hhmm(day.day_start)}"
                )
            days[on] = day
        return days

    def _within_visit(self, row: Row, column: str, on: date) -> bool:
        first, last = self.settings.get("first_day"), self.settings.get("last_day")
        if first <= on <= last:
            return True
        row.fail(column, f"{on} is outside first_day..last_day ({first}..{last})")
        return False

    def _programme_day(self, row: Row, column: str, on: date | None) -> Day | None:
        """The programme day ``on``, reporting dates outside the visit or without programme."""
        if on is None or self.days is None or not self._within_visit(row, column, on):
            return None
        day = self.days[on]
        if not day.programme:
            row.fail(column, f"{on} is a day without programme")
            return None
        return day

    def _resolve_windows(self) -> list[Window]:
        """Availability rows clipped to their day's frame, then merged per host and date."""
        hosts = self._ids("hosts")
        spans: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
        for row in self.tables["availability"].rows:
            host, start, end = row.get("host_id"), row.get("from"), row.get("to")
            if host is not None:
                self._check_ref(row, "host_id", host, hosts, "host")
            for column in ("from", "to"):
                if column in row.values:
                    self._check_grid(row.fail, column, row.values[column])
            self._check_order(row, "from", "to")
            day = self._programme_day(row, "date", row.get("date"))
            if host is None or day is None or start is None or end is None or end <= start:
                continue
            low = max(minute_of(start), minute_of(day.day_start))
            high = min(minute_of(end), minute_of(day.day_end))
            if high <= low:
                row.note(
                    None,
                    f"the window {hhmm(start)}–{hhmm(end)} lies outside the day's frame "
                    f"{hhmm(day.day_start)}–{hhmm(day.day_end)}: ignored",
                )
                continue
            spans[(host, day.date)].append((low, high))
        return [
            Window(host, on, time_of(low), time_of(high))
            for (host, on), found in sorted(spans.items())
            for low, high in _merge(found)
        ]

    # -- ids and references ----------------------------------------------------------

    def _ids(self, table: str) -> set[str] | None:
        """The ids a reference may name, or None when the table is too broken to tell."""
        return set(self.first[table]) if self.tables[table].complete else None

    def _places(self) -> set[str] | None:
        hosts = self._ids("hosts")
        return None if hosts is None else hosts | {BASE}

    @staticmethod
    def _check_ref(row: Row, column: str, ref: str, known: set[str] | None, what: str) -> bool:
        if known is None or ref in known:
            return True
        hint = next((k for k in sorted(known) if k.casefold() == ref.casefold()), None)
        suggestion = f" (did you mean '{_quote(hint)}'?)" if hint else ""
        row.fail(column, f"unknown {what} '{_quote(ref)}'{suggestion}")
        return False

    def _check_ids(self) -> None:
        """Ids are unique ignoring case, since they become file names.

        ``first`` keeps the row of each valid id: what references may name.
        """
        reserved = {"hosts": RESERVED_HOST_IDS, "sessions": RESERVED_SESSION_IDS}
        for table in ("delegates", "hosts", "sessions", "costs"):
            first: dict[str, Row] = {}
            folded: dict[str, Row] = {}
            for row in self.tables[table].rows:
                id_ = row.get("id")
                if id_ is None:
                    continue
                if id_.casefold() in reserved.get(table, ()):
                    row.fail("id", f"'{_quote(id_)}' is reserved")
                elif (earlier := folded.get(id_.casefold())) is not None:
                    same = earlier.get("id")
                    also = (
                        f"also row {earlier.row}"
                        if same == id_
                        else f"row {earlier.row} has '{_quote(same)}'"
                    )
                    row.fail("id", f"duplicate id '{_quote(id_)}' ({also}; ids ignore case)")
                else:
                    first[id_] = folded[id_.casefold()] = row
            self.first[table] = first

    # -- tables ----------------------------------------------------------------------

    def _check_hosts(self) -> None:
        for row in self.tables["hosts"].rows:
            for given, missing in (("lat", "lon"), ("lon", "lat")):
                if given in row.values and not row.given(missing):
                    row.fail(missing, f"missing: {given} is given")

    def _check_sessions(self) -> None:
        places, sessions = self._places(), self._ids("sessions")
        longest = self._longest_frame()
        for row in self.tables["sessions"].rows:
            if (host := row.get("host_id")) is not None:
                self._check_ref(row, "host_id", host, places, "host")
            self._check_session_minutes(row, longest)
            low, high = row.get("min_size"), row.get("max_size")
            if low is not None and high is not None and low > high:
                row.fail("min_size", f"{low} is more than max_size {high}")
            if row.get("audience") == "all":
                if row.get("group"):
                    row.fail("group", "an `all` session takes no group")
                if row.get("required") is False:
                    row.note("required", "an `all` session is always required")
            for ref in row.get("after", ()):
                if ref == row.get("id"):
                    row.fail("after", f"'{_quote(ref)}' cannot come after itself")
                else:
                    self._check_ref(row, "after", ref, sessions, "session")
            self._programme_day(row, "date", row.get("date"))
            if (start := row.get("start")) is not None:
                self._check_grid(row.fail, "start", start)
            if row.get("status") == "confirmed" and not {"date", "start"} <= set(row.values):
                row.fail("status", "confirmed needs date and start")

    def _check_delegates(self) -> None:
        sessions = self.first["sessions"]
        known = self._ids("sessions")
        for row in self.tables["delegates"].rows:
            self._check_stay_bounds(row)
            self._check_date_order(row, "travel_out", "travel_home")
            attends = [
                ref
                for ref in row.get("must_attend", ())
                if self._check_ref(row, "must_attend", ref, known, "session")
            ]
            self._check_groups(row, [sessions[ref] for ref in attends if ref in sessions])
            for ref in attends:
                if ref in sessions:
                    self._check_pin_in_stay(row, sessions[ref])

    def _check_stay_bounds(self, row: Row) -> None:
        """arrives and departs lie from depart − 1 day to return + 1 day, exist in the
        visit's zone and come in that order."""
        zone = self.settings.get("timezone")
        bounds = self._stay_dates()
        for column in ("arrives", "departs"):
            moment = row.get(column)
            if moment is None:
                continue
            if bounds is not None and not bounds[0] <= moment.date() <= bounds[1]:
                row.reject(
                    column,
                    f"{_show(moment)} is outside depart − 1 day .. return + 1 day "
                    f"({bounds[0]}..{bounds[1]})",
                )
            elif zone is not None and not local_exists(_localise(moment, zone)):
                row.fail(column, f"{_show(moment)} does not exist in {zone} (clocks go forward)")
        self._check_order(row, "arrives", "departs")

    def _stay_dates(self) -> tuple[date, date] | None:
        """The dates a delegate's arrives and departs may fall on, when the settings tell."""
        s = self.settings
        first, last = s.get("first_day"), s.get("last_day")
        if first is None or last is None or last < first:
            return None
        day = timedelta(days=1)
        return s.get("depart", first) - day, s.get("return", last) + day

    @staticmethod
    def _check_groups(row: Row, sessions: list[Row]) -> None:
        by_group: dict[str, str] = {}
        for session in sessions:
            group = session.get("group")
            if not group or session.get("audience") == "all":
                continue
            if group in by_group:
                row.fail(
                    "must_attend",
                    f"'{_quote(by_group[group])}' and '{_quote(session.get('id'))}' are both "
                    f"in group '{_quote(group)}': "
                    "a delegate attends at most one",
                )
            else:
                by_group[group] = session.get("id")

    def _check_pin_in_stay(self, row: Row, session: Row) -> None:
        """A must_attend session pinned outside the delegate's stay can never be attended.

        Rule 3's stay on naive local times: ``timegrid.stay`` needs a built Visit,
        and this check runs before one exists.
        """
        on, start, minutes = session.get("date"), session.get("start"), session.get("minutes")
        if on is None or self.days is None or on not in self.days:
            return
        day = self.days[on]
        stay_start = max(datetime.combine(on, day.day_start), row.get("arrives") or datetime.min)
        stay_end = min(datetime.combine(on, day.day_end), row.get("departs") or datetime.max)
        if start is None or minutes is None:
            inside, pin = stay_start < stay_end, f"{on}"
        else:
            begins = datetime.combine(on, start)
            inside, pin = (
                stay_start <= begins and begins + timedelta(minutes=minutes) <= stay_end,
                f"{on} {hhmm(start)}",
            )
        if not inside:
            row.fail(
                "must_attend",
                f"'{_quote(session.get('id'))}' is pinned to {pin}, outside this delegate's stay",
            )

    def _check_travel(self) -> None:
        places = self._places()
        first: dict[tuple[str, str], int] = {}
        for row in self.tables["travel"].rows:
            a, b = row.get("from"), row.get("to")
            if a is None or b is None:
                continue
            known = self._check_ref(row, "from", a, places, "place")
            known = self._check_ref(row, "to", b, places, "place") and known
            if a == b:
                row.fail("to", "from and to are the same place")
            elif (a, b) in first:
                row.fail("to", f"{a} → {b} is already given on row {first[(a, b)]}")
            elif known:
                first[(a, b)] = row.row

    def _check_coordinates(self) -> None:
        """A place without coordinates needs travel.csv minutes to every other place."""
        if not self.tables["hosts"].complete or not self.tables["travel"].complete:
            return
        pairs = {frozenset((row.get("from"), row.get("to"))) for row in self.tables["travel"].rows}
        hosts = self.first["hosts"]
        places = [BASE, *sorted(hosts)]

        def lacking(place: str) -> str | None:
            missing = [
                other
                for other in places
                if other != place and frozenset((place, other)) not in pairs
            ]
            if missing:
                return f"no coordinates, and travel.csv has no minutes to {', '.join(missing)}"
            return None

        s = self.settings
        if s.read and not {"base.lat", "base.lon"} & s.written and (message := lacking(BASE)):
            s.fail("base.lat", message)
        for host_id, row in hosts.items():
            if not (row.given("lat") or row.given("lon")) and (message := lacking(host_id)):
                row.fail("lat", message)

    def _check_costs(self) -> None:
        currency = self.settings.get("currency")
        rates = {key[len(EXCHANGE) :] for key in self.settings.written if key.startswith(EXCHANGE)}
        for row in self.tables["costs"].rows:
            line_currency = row.get("currency", currency)
            if currency is not None and line_currency not in {currency, *rates}:
                row.fail(
                    "currency",
                    f"no exchange rate for {line_currency}: add exchange.{line_currency}",
                )

    def _check_per_diem(self) -> tuple[PerDiemRate, ...]:
        """per_diem.csv: each (zone, valid_from) once, one zone chosen, and the zone's
        rates convertible and covering every trip day; a costs.csv per_diem line beside
        it would claim per diems twice. Returns the zone's rates sorted by valid_from."""
        s = self.settings
        table = self.tables.get("per_diem")
        if "per_diem" not in self.source.tables or (table.complete and not table.rows):
            # a header alone (the template's sheet emptied) claims no per diems
            if "per_diem.zone" in s.written:
                s.fail("per_diem.zone", "per_diem.csv is missing: the zone names its rates")
            return ()
        self._check_beside_per_diem()
        zones: dict[str, str] = {}
        seen: dict[tuple[str, date], int] = {}
        for row in self.tables["per_diem"].rows:
            zone, valid_from = row.get("zone"), row.get("valid_from")
            if zone is None:
                continue
            zones.setdefault(_fold(zone), zone)
            if valid_from is not None and (_fold(zone), valid_from) in seen:
                earlier = seen[(_fold(zone), valid_from)]
                row.fail("valid_from", f"{zone} {valid_from} is already on row {earlier}")
            elif valid_from is not None:
                seen[(_fold(zone), valid_from)] = row.row
        chosen = self._per_diem_zone(zones)
        if chosen is None:
            return ()
        rows = sorted(
            (r for r in self.tables["per_diem"].rows if _fold(r.get("zone") or "") == chosen),
            key=lambda r: (r.get("valid_from") or date.max, r.row),
        )
        currency = s.get("currency")
        rates = {key[len(EXCHANGE) :] for key in s.written if key.startswith(EXCHANGE)}
        for row in rows:
            rate_currency = row.get("currency", currency)
            if currency is not None and rate_currency not in {currency, *rates}:
                row.fail(
                    "currency",
                    f"no exchange rate for {rate_currency}: add exchange.{rate_currency}",
                )
        self._check_per_diem_covers_trip(rows)
        return tuple(self._per_diem_rate(row) for row in rows)

    def _check_beside_per_diem(self) -> None:
        """What per_diem.csv changes in the other tables: no per_diem cost line, and a
        note for a meal that provides nothing."""
        for row in self.tables["costs"].rows:
            if row.get("category") == "per_diem":
                row.fail(
                    "category",
                    "a per_diem line beside per_diem.csv would claim per diems twice: "
                    "remove the line (per_diem.csv computes them per delegate and day)",
                )
        for row in self.tables["sessions"].rows:
            if row.get("kind") == "meal" and not row.given("provides"):
                row.note("provides", "a meal that provides nothing deducts nothing from per diems")

    def _per_diem_zone(self, zones: dict[str, str]) -> str | None:
        """The folded zone whose rates count: ``[per_diem] zone``, or the file's only one."""
        s = self.settings
        zone_key = s.get("per_diem.zone")
        if zone_key is not None:
            if self.tables["per_diem"].complete and _fold(zone_key) not in zones:
                known = ", ".join(sorted(zones.values())) or "none"
                s.fail(
                    "per_diem.zone", f"'{_quote(zone_key)}' is not a zone of per_diem.csv ({known})"
                )
                return None
            return _fold(zone_key)
        if len(zones) > 1:
            s.fail(
                "per_diem.zone",
                f"missing: per_diem.csv holds {len(zones)} zones "
                f"({', '.join(sorted(zones.values()))}); say which with [per_diem] zone",
            )
            return None
        return next(iter(zones), None)

    def _per_diem_file(self) -> str:
        raw = self.source.tables.get("per_diem")
        return raw.file if raw is not None else "per_diem.csv"

    def _check_per_diem_covers_trip(self, rows: list[Row]) -> None:
        """Every trip day needs a rate: the earliest travel_out is on or after the zone's
        earliest valid_from."""
        if not rows or rows[0].get("valid_from") is None:
            return
        earliest = rows[0]
        start = earliest.get("valid_from")
        s = self.settings
        depart = s.get("depart", s.get("first_day"))
        outs = []
        for row in self.tables["delegates"].rows:
            if (out := row.get("travel_out")) is not None:
                outs.append((out, f"delegate {row.get('id')}'s travel_out"))
            elif depart is not None and not row.given("travel_out"):
                outs.append((depart, f"delegate {row.get('id')} leaves on depart"))
        late = [(day, who) for day, who in outs if day < start]
        if late:
            day, who = min(late)
            earliest.fail(
                "valid_from",
                f"trip day {day} ({who}) is before the earliest valid_from {start} of zone "
                f"{_quote(earliest.get('zone'))}: add a rate valid from {day} or earlier",
            )

    def _per_diem_rate(self, row: Row) -> PerDiemRate:
        fields = row.fields(PER_DIEM)
        fields.setdefault("currency", self.settings.get("currency", "EUR"))
        return PerDiemRate(**fields)

    # -- the Visit ---------------------------------------------------------------------

    def _build(self) -> Visit:
        s = self.settings
        first_day, last_day = s.get("first_day"), s.get("last_day")
        depart, return_ = s.get("depart", first_day), s.get("return", last_day)
        availability = self.tables["availability"].rows
        return Visit(
            id=s.get("id"),
            title=s.get("title"),
            short_title=s.get("short_title", ""),
            timezone=s.get("timezone"),
            first_day=first_day,
            last_day=last_day,
            depart=depart,
            return_=return_,
            day_start=s.get("day_start"),
            day_end=s.get("day_end"),
            slot_minutes=self.slot,
            language=s.get("language", "en"),
            host_language=s.get("host_language", "en"),
            currency=s.get("currency", "EUR"),
            organiser=self._organiser(),
            funder=self._funder(),
            project=_optional(Project, self.settings.section("project")),
            kit=Kit(**s.section("kit")),
            lunch=self._lunch(),
            base=Base(**s.section("base")),
            transport=Transport(**s.section("transport")),
            budget=_optional(Budget, s.section("budget")),
            exchange=tuple(sorted(s.section("exchange").items())),
            exchange_note=_optional(ExchangeNote, s.section("exchange_note")),
            objective_order=s.get("objective.order", GOALS),
            delegates=self._delegates(depart, return_),
            hosts=_sorted(Host(**row.fields(HOSTS)) for row in self.tables["hosts"].rows),
            sessions=_sorted(self._session(row) for row in self.tables["sessions"].rows),
            days=tuple(self.days.values()),
            windows=tuple(self.windows),
            windowed_hosts=frozenset(row.get("host_id") for row in availability),
            travel=tuple(
                sorted(
                    (TravelTime(**row.fields(TRAVEL)) for row in self.tables["travel"].rows),
                    key=lambda edge: (edge.a, edge.b),
                )
            ),
            costs=_sorted(self._cost_line(row) for row in self.tables["costs"].rows),
            per_diem_rates=self.per_diem_rates,
        )

    def _organiser(self) -> Organiser | None:
        organiser = self.settings.section("organiser")
        if not organiser:
            return None
        return Organiser(
            name=organiser.get("name", ""),
            email=organiser["email"],
            phone=organiser.get("phone", ""),
        )

    def _funder(self) -> Funder | None:
        funder = self.settings.section("funder")
        if not funder:
            return None
        return Funder(**funder, logo_data=self.logo)

    def _lunch(self) -> Lunch | None:
        lunch = self.settings.section("lunch")
        if not lunch:
            return None
        return Lunch(start=lunch["from"], end=lunch["to"], minutes=lunch["minutes"])

    def _delegates(self, depart: date, return_: date) -> tuple[Delegate, ...]:
        zone = self.settings.get("timezone")
        delegates = []
        for row in self.tables["delegates"].rows:
            fields = row.fields(DELEGATES)
            for column in ("arrives", "departs"):
                if column in fields:
                    fields[column] = _localise(fields[column], zone)
            fields.setdefault("travel_out", depart)
            fields.setdefault("travel_home", return_)
            delegates.append(Delegate(**fields))
        return _sorted(delegates)

    @staticmethod
    def _session(row: Row) -> Session:
        fields = row.fields(SESSIONS)
        fields["required"] = fields.get("audience") == "all" or fields.get("required", False)
        return Session(**fields)

    def _cost_line(self, row: Row) -> CostLine:
        fields = row.fields(COSTS)
        fields.setdefault("currency", self.settings.get("currency", "EUR"))
        return CostLine(**fields)


# -- small helpers ------------------------------------------------------------------


def _dates(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Touching or overlapping spans become one."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _localise(moment: datetime, zone: str) -> datetime:
    return instant(zone, moment.date(), moment.time())


def _fold(name: str) -> str:
    """A per-diem zone as it is matched: trimmed, case-folded, NFC."""
    return unicodedata.normalize("NFC", name.strip().casefold())


def _optional(cls: type, values: dict[str, Any]) -> Any:
    return cls(**values) if values else None


def _sorted(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=lambda item: item.id))


# -- public API -------------------------------------------------------------------------


def read_visit(path: str | Path) -> tuple[Visit | None, list[Problem]]:
    """Read a visit folder, a folder holding only visit.xlsx, or a .xlsx workbook.

    Returns
    -------
    (visit, problems)
        ``visit`` is None when any problem is an error.  ``problems`` holds
        every error and note found, sorted by file, row and column; notes
        (unknown columns, windows outside the frame) never block the visit.
    """
    report = _Report()
    source = _open(Path(path), report)
    visit = _Reader(source, report).read() if source is not None else None
    return visit, sorted(report.problems, key=Problem.sort_key)


def load_visit(path: str | Path) -> Visit:
    """Like ``read_visit``, but raises InvalidVisit listing every error."""
    visit, problems = read_visit(path)
    if visit is None:
        raise InvalidVisit(problems)
    return visit
