"""Sign-in sheets: the attendance lists funders and auditors ask for.

One sheet per scheduled session, pre-filled with each expected attendee (name,
organisation, role) and a signature column, then blank rows for walk-ins.  With
``[kit] sign_in = "day"`` a day whose sessions are all whole-delegation sessions with
the same attendees gets one sheet for the day instead.  Each (delegate, session) pair
of the plan is on exactly one sheet.  Every sheet carries the visit's title and the
funder's name and credit line; its number (``Sheet 3 of 12``) is printed at the top of
every page it fills.  In the delegates' language: they sign it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from visitplan.export.words import Words
from visitplan.views import Attendee, SessionItem, Views

from .common import Table, hhmm, render

NAME = "sign_in"
FILE = "sign-in.pdf"
BLANK_ROWS = 4
"""Rows left blank under the expected attendees, for walk-ins."""


@dataclass(frozen=True, slots=True)
class SignInSheet:
    number: int
    date: date
    sessions: tuple[SessionItem, ...]
    attendees: tuple[Attendee, ...]

    @property
    def start(self) -> time:
        return self.sessions[0].start

    @property
    def end(self) -> time:
        return max(s.end for s in self.sessions)

    @property
    def session_ids(self) -> str:
        return "; ".join(s.session_id for s in self.sessions)


def language(views: Views) -> str:
    return views.visit.language


def sheets(views: Views) -> tuple[SignInSheet, ...]:
    """The sheets in date and time order, numbered from 1."""
    by_day = views.visit.kit.sign_in == "day"
    groups: list[tuple[date, tuple[SessionItem, ...]]] = []
    days: dict[date, list[SessionItem]] = {}
    for session in views.sessions:
        days.setdefault(session.date, []).append(session)
    for on, sessions in days.items():
        if by_day and _one_sheet_for_the_day(sessions):
            groups.append((on, tuple(sessions)))
        else:
            groups.extend((on, (s,)) for s in sessions)
    return tuple(
        SignInSheet(n, on, sessions, sessions[0].attendees)
        for n, (on, sessions) in enumerate(groups, start=1)
    )


def _one_sheet_for_the_day(sessions: list[SessionItem]) -> bool:
    """Only whole-delegation sessions, all with the same attendees: one signature says it."""
    first = sessions[0].attendee_ids
    return all(s.whole_delegation and s.attendee_ids == first for s in sessions)


def html(views: Views) -> str:
    words = Words(language(views))
    all_sheets = sheets(views)
    return render(
        "sign_in.html",
        views,
        words.language,
        words("sign_in_sheet"),
        sheets=all_sheets,
        total=len(all_sheets),
        blank_rows=BLANK_ROWS,
    )


def table(views: Views) -> Table:
    """kit.xlsx ``Sign-in``: one row per expected attendee of each sheet, then its blank rows."""
    w = Words(language(views))
    header = (
        w("sign_in_sheet"),
        w("date"),
        w("time"),
        "session_id",
        w("session"),
        w("host"),
        "delegate_id",
        w("name"),
        w("organisation"),
        w("role"),
        w("signature"),
    )
    rows: list[tuple[object, ...]] = []
    for sheet in sheets(views):
        title = " / ".join(s.title for s in sheet.sessions)
        host = " / ".join(dict.fromkeys(s.host_name for s in sheet.sessions))
        head = (
            sheet.number,
            sheet.date.isoformat(),
            f"{hhmm(sheet.start)}–{hhmm(sheet.end)}",
            sheet.session_ids,
            title,
            host,
        )
        for person in sheet.attendees:
            rows.append(
                (*head, person.delegate_id, person.name, person.organisation, person.role, "")
            )
        rows.extend((*head, "", "", "", "", "") for _ in range(BLANK_ROWS))
    return Table("Sign-in", header, rows, (8, 11, 12, 18, 40, 28, 12, 26, 30, 14, 24))
