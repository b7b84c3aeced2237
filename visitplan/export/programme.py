"""programme.xlsx: the visit day by day, per delegate and per host, and the plan's tables.

Sheets, in order: ``Programme`` (one block per day: sessions, rides and lunch
sittings in time order; whole-delegation sessions and rides set apart by fill),
``Delegates`` (one block per delegate: their sessions, rides and lunch), ``Hosts``
(a roster per host: one row per attendee of each session, one row per lunch
sitting there with the count and needs counted), ``Assignments`` and ``Legs``
(the spec's tables, section 2, with its exact headers).

Everything printed comes from the views; this module only lays it out. Text
is always a string cell, never a formula, and without the characters XML
cannot carry (:mod:`visitplan.export.cells`); the same views give the same
bytes. The spec's tables hold dates as ``YYYY-MM-DD`` and times as ``HH:MM``;
the other sheets write dates and fixed words as every output does
(:mod:`visitplan.export.words`), in English: this is the organiser's workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from visitplan.export.cells import save, text
from visitplan.export.words import Words, date_text, kind_word, ride_word, word
from visitplan.text import clean, one_line
from visitplan.views import DelegateRide, LunchItem, LunchSitting, RideItem, SessionItem, Views

FILE_NAME = "programme.xlsx"
PROGRAMME, DELEGATES, HOSTS, ASSIGNMENTS, LEGS = (
    "Programme",
    "Delegates",
    "Hosts",
    "Assignments",
    "Legs",
)

PROGRAMME_HEADERS = (
    "start",
    "end",
    "session / ride",
    "host",
    "address",
    "kind",
    "attendees",
    "names",
)
DELEGATE_HEADERS = ("date", "start", "end", "item", "place", "address", "details")
HOST_HEADERS = (
    "session",
    "date",
    "start",
    "end",
    "group size",
    "name",
    "role",
    "organisation",
    "needs",
    "contact",
)
ASSIGNMENT_HEADERS = ("delegate_id", "session_id", "host_id", "date", "start", "end")
LEG_HEADERS = ("delegate_id", "from", "to", "date", "depart", "arrive", "vehicle")

PROGRAMME_WIDTHS = (7, 7, 42, 26, 30, 14, 10, 44)
DELEGATE_WIDTHS = (11, 7, 7, 42, 34, 30, 28)
HOST_WIDTHS = (36, 11, 7, 7, 10, 26, 16, 28, 24, 30)
ASSIGNMENT_WIDTHS = (14, 16, 14, 11, 7, 7)
LEG_WIDTHS = (14, 14, 14, 11, 8, 8, 8)

NAMES_UP_TO = 8
"""Programme rows list the attendees' names for groups up to this size."""

LANGUAGE = "en"
"""The language of the sheets' words and dates (the spec's tables have none)."""


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


HEADER_FILL = _fill("FFD9D9D9")
HEADING_FILL = _fill("FFBDD7EE")
ALL_FILL = _fill("FFE2EFDA")
RIDE_FILL = _fill("FFFFF2CC")
LUNCH_FILL = _fill("FFFCE4D6")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write(views: Views, folder: str | Path) -> Path:
    """Write ``folder/programme.xlsx`` from the views.

    Parameters
    ----------
    views
        The plan's views (see :func:`visitplan.views.build_views`).
    folder
        The plan folder; created when missing.

    Returns
    -------
    Path
        The written file. The same views give the same bytes.
    """
    workbook = build_workbook(views)
    return save(workbook, Path(folder) / FILE_NAME, views.plan.issued)


def build_workbook(views: Views) -> Workbook:
    """programme.xlsx as an openpyxl workbook (not saved)."""
    workbook = Workbook()
    programme = workbook.active
    programme.title = PROGRAMME
    _programme(programme, views)
    _delegates(workbook.create_sheet(DELEGATES), views)
    _hosts(workbook.create_sheet(HOSTS), views)
    _assignments(workbook.create_sheet(ASSIGNMENTS), views)
    _legs(workbook.create_sheet(LEGS), views)
    title = one_line(views.visit.title)
    for sheet in workbook.worksheets:
        _page(sheet, title)
    workbook.properties.title = title
    workbook.active = 0
    return workbook


# -- sheets -------------------------------------------------------------------------


def _programme(ws: Worksheet, views: Views) -> None:
    _header(ws, PROGRAMME_HEADERS, PROGRAMME_WIDTHS)
    programme_days = {day.date: day.programme for day in views.visit.days}
    sittings: dict[date, list[LunchSitting]] = {}
    for sitting in views.lunches:
        sittings.setdefault(sitting.date, []).append(sitting)
    for on, day_items in views.days.items():
        items = sorted((*day_items, *sittings.get(on, ())), key=_row_order)
        heading = _day(on)
        if not programme_days.get(on, True):
            heading += " · no programme"
        _heading(ws, heading, len(PROGRAMME_HEADERS))
        if not items and programme_days.get(on, True):
            _row(ws, ("", "", "no sessions"))
        for item in items:
            if isinstance(item, SessionItem):
                names = _names(item.attendees) if item.size <= NAMES_UP_TO else ""
                values = (
                    _hm(item.start),
                    _hm(item.end),
                    item.title,
                    item.host_name,
                    item.address,
                    _kind(item.kind),
                    item.size,
                    names,
                )
                _row(ws, values, ALL_FILL if item.whole_delegation else None)
            elif isinstance(item, LunchSitting):
                values = (
                    _hm(item.start),
                    _hm(item.end),
                    _lunch_title(item),
                    item.place_name,
                    item.address,
                    word("lunch", LANGUAGE),
                    item.size,
                    _names(item.diners) if item.size <= NAMES_UP_TO else "",
                )
                _row(ws, values, LUNCH_FILL)
            else:
                names = _names(item.riders) if item.size <= NAMES_UP_TO else ""
                values = (
                    _hm(item.depart),
                    _hm(item.arrive),
                    _ride_title(item),
                    "",
                    "",
                    _ride_word(item),
                    item.size,
                    names,
                )
                _row(ws, values, RIDE_FILL)
    _finish_table(ws, len(PROGRAMME_HEADERS))


def _delegates(ws: Worksheet, views: Views) -> None:
    _header(ws, DELEGATE_HEADERS, DELEGATE_WIDTHS)
    people = {d.id: d for d in views.visit.delegates}
    for delegate_id, days in views.delegates.items():
        person = people.get(delegate_id)
        parts = [f"{person.name} ({delegate_id})" if person else delegate_id]
        if person:
            parts += [p for p in (person.role, person.organisation) if p]
        _heading(ws, " · ".join(parts), len(DELEGATE_HEADERS))
        if not days:
            _row(ws, ("", "", "", "no programme"))
        for on, items in days.items():
            for item in items:
                _delegate_row(ws, on, item)
    _finish_table(ws, len(DELEGATE_HEADERS))


def _delegate_row(ws: Worksheet, on: date, item: SessionItem | DelegateRide | LunchItem) -> None:
    day = _day(on)
    if isinstance(item, SessionItem):
        whole = word("whole_delegation", LANGUAGE).lower()
        details = _kind(item.kind) + (f" · {whole}" if item.whole_delegation else "")
        values = (
            day,
            _hm(item.start),
            _hm(item.end),
            item.title,
            item.host_name,
            item.address,
            details,
        )
        _row(ws, values, ALL_FILL if item.whole_delegation else None)
    elif isinstance(item, DelegateRide):
        ride = item.ride
        details = Words(LANGUAGE).people(ride.size)
        route = f"{ride.from_name} → {ride.to_name}"
        values = (day, _hm(ride.depart), _hm(ride.arrive), _ride_word(ride), route, "", details)
        _row(ws, values, RIDE_FILL)
    else:
        lunch = word("lunch", LANGUAGE)
        _row(ws, (day, _hm(item.start), _hm(item.end), lunch, item.place_name, "", ""))


def _hosts(ws: Worksheet, views: Views) -> None:
    _header(ws, HOST_HEADERS, HOST_WIDTHS)
    for roster in views.hosts.values():
        parts = [f"{roster.name} ({roster.host_id})"]
        parts += [p for p in (roster.address,) if p]
        _heading(ws, " · ".join(parts), len(HOST_HEADERS))
        contact = ", ".join(p for p in (roster.contact, roster.email, roster.phone) if p)
        if not roster.sessions and not roster.lunches:
            _row(ws, ("no sessions scheduled",))
        for session in roster.sessions:
            when = (session.title, _day(session.date), _hm(session.start), _hm(session.end))
            if not session.attendees:
                _row(ws, (*when, 0, "", "", "", "", contact))
            for person in session.attendees:
                values = (
                    *when,
                    session.size,
                    person.name,
                    person.role,
                    person.organisation,
                    person.needs,
                    contact,
                )
                _row(ws, values)
        for sitting in roster.lunches:
            when = (_lunch_title(sitting), _day(sitting.date), _hm(sitting.start), _hm(sitting.end))
            needs = Words(LANGUAGE).needs_counted(sitting.needs_counted)
            _row(ws, (*when, sitting.size, "", "", "", needs, contact), LUNCH_FILL)
    _finish_table(ws, len(HOST_HEADERS))


def _assignments(ws: Worksheet, views: Views) -> None:
    _header(ws, ASSIGNMENT_HEADERS, ASSIGNMENT_WIDTHS)
    for a in views.plan.assignments:
        values = (a.delegate_id, a.session_id, a.host_id, a.date.isoformat(), _hm(a.start))
        _row(ws, (*values, _hm(a.end)), wrap=False)
    _finish_table(ws, len(ASSIGNMENT_HEADERS))


def _legs(ws: Worksheet, views: Views) -> None:
    _header(ws, LEG_HEADERS, LEG_WIDTHS)
    for g in views.plan.legs:
        values = (g.delegate_id, g.from_, g.to, g.date.isoformat(), _hm(g.depart))
        _row(ws, (*values, _hm(g.arrive), g.vehicle), wrap=False)
    _finish_table(ws, len(LEG_HEADERS))


# -- layout -------------------------------------------------------------------------


def _header(ws: Worksheet, labels: Sequence[str], widths: Sequence[float]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = text(ws.cell(1, column), label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(column)].width = width


_LAST_ROW: WeakKeyDictionary[Worksheet, int] = WeakKeyDictionary()
"""Per sheet, the last row ``_heading`` or ``_row`` wrote."""


def _next_row(ws: Worksheet) -> int:
    """The row below the last one written: ``ws.max_row`` scans every cell, which made
    the programme of 1,000 delegates (110,000 cells) take minutes to write."""
    last = _LAST_ROW.get(ws)
    row = (ws.max_row if last is None else last) + 1
    _LAST_ROW[ws] = row
    return row


def _heading(ws: Worksheet, label: str, columns: int) -> None:
    row = _next_row(ws)
    for column in range(1, columns + 1):
        cell = ws.cell(row, column)
        cell.fill = HEADING_FILL
        cell.font = BOLD
    text(ws.cell(row, 1), label)


def _row(
    ws: Worksheet,
    values: Sequence[object],
    fill: PatternFill | None = None,
    *,
    wrap: bool = True,
) -> None:
    row = _next_row(ws)
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row, column)
        if isinstance(value, int):
            cell.value = value
        elif value != "":
            text(cell, value)
        if wrap:
            cell.alignment = WRAP
        if fill is not None:
            cell.fill = fill


def _finish_table(ws: Worksheet, columns: int) -> None:
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(ws.max_row, 1)}"


def _page(ws: Worksheet, title: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = _header_text(title)
    ws.oddFooter.right.text = "&P / &N"


# -- formatting ---------------------------------------------------------------------


def _hm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _day(on: date) -> str:
    return date_text(on, LANGUAGE)


def _kind(kind: str) -> str:
    return kind_word(kind, LANGUAGE)


def _names(people: Sequence) -> str:
    return ", ".join(p.name for p in people)


def _ride_word(ride: RideItem) -> str:
    return ride_word(ride.vehicle, LANGUAGE)


def _lunch_title(sitting: LunchSitting) -> str:
    """``Lunch: 10 delegates`` (no names: the count is what a caterer needs)."""
    return f"{word('lunch', LANGUAGE)}: {Words(LANGUAGE).people(sitting.size)}"


def _row_order(item: SessionItem | RideItem | LunchSitting) -> tuple:
    """A day's rows in time order: rides, then sessions, then lunch at the same moment."""
    rank = 2 if isinstance(item, LunchSitting) else 0 if isinstance(item, RideItem) else 1
    return (item.start, item.end, rank)


def _ride_title(ride: RideItem) -> str:
    return f"{_ride_word(ride)}: {ride.from_name} → {ride.to_name}"


def _header_text(title: str) -> str:
    """A page header: ``&`` starts a code there, so a literal one is doubled."""
    return clean(title).replace("&", "&&")[:200]
