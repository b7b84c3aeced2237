"""Certificates of attendance: one page per delegate who attended a session.

Each lists the sessions attended with their dates, hours and hosts, the total hours,
the visit and its funder (with the credit line and logo), and a signature line for
the organiser.  In the delegates' language.
"""

from __future__ import annotations

from dataclasses import dataclass

from visitplan.export.words import Words
from visitplan.views import SessionItem, Views

from .common import minutes_between, render

NAME = "certificates"
FILE = "certificates.pdf"


@dataclass(frozen=True, slots=True)
class Certificate:
    delegate_id: str
    name: str
    organisation: str
    role: str
    sessions: tuple[SessionItem, ...]

    @property
    def minutes(self) -> int:
        return sum(minutes_between(s.start, s.end) for s in self.sessions)


def language(views: Views) -> str:
    return views.visit.language


def certificates(views: Views) -> tuple[Certificate, ...]:
    known = {d.id: d for d in views.visit.delegates}
    result = []
    for delegate_id, days in views.delegates.items():
        sessions = tuple(i for items in days.values() for i in items if isinstance(i, SessionItem))
        if not sessions:
            continue
        person = known.get(delegate_id)
        name, organisation, role = (
            (person.name, person.organisation, person.role) if person else (delegate_id, "", "")
        )
        result.append(Certificate(delegate_id, name, organisation, role, sessions))
    return tuple(result)


def html(views: Views) -> str:
    words = Words(language(views))
    return render(
        "certificates.html",
        views,
        words.language,
        words("certificate"),
        certificates=certificates(views),
        organiser=views.visit.organiser,
        minutes=minutes_between,
    )
