"""Caterers' and hosts' counts: how many eat where, and which needs, never who.

Per lunch place and day (the views' lunch sittings, summed over a place's sittings
that day) and per meal session: the number who eat and the need codes counted
(vegetarian, gluten-free, ...).  No name is printed: a caterer needs numbers, and a
list that leaves the hotel's kitchen need not carry personal data.  In the hosts'
language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time

from visitplan.export.words import Words
from visitplan.model import NEED_CODES
from visitplan.views import LunchSitting, Views

from .common import Table, hhmm, render

NAME = "catering"
FILE = "catering.pdf"


@dataclass(frozen=True, slots=True)
class Count:
    """How many eat at one place on one date: a lunch place, or a meal session."""

    date: date
    start: time
    end: time
    place: str
    place_name: str
    address: str
    what: str
    """``lunch``, or the meal session's id."""
    title: str
    eaters: int
    needs: tuple[tuple[str, int], ...]


def language(views: Views) -> str:
    return views.visit.host_language


def counts(views: Views) -> tuple[Count, ...]:
    """Lunch per place and date, then each meal session, by date and time."""
    words = Words(language(views))
    places: dict[tuple[date, str], list[LunchSitting]] = {}
    for sitting in views.lunches:
        places.setdefault((sitting.date, sitting.place), []).append(sitting)
    rows = []
    for (on, _place), sittings in places.items():
        needs: Counter[str] = Counter()
        for sitting in sittings:
            needs.update(dict(sitting.needs_counted))
        first = sittings[0]
        rows.append(
            Count(
                on,
                min(s.start for s in sittings),
                max(s.end for s in sittings),
                first.place,
                first.place_name,
                first.address,
                "lunch",
                words("lunch"),
                sum(s.size for s in sittings),
                tuple((code, needs[code]) for code in NEED_CODES if needs[code]),
            )
        )
    for session in views.sessions:
        if session.kind == "meal":
            rows.append(
                Count(
                    session.date,
                    session.start,
                    session.end,
                    session.host_id,
                    session.host_name,
                    session.address,
                    session.session_id,
                    session.title,
                    session.size,
                    session.needs_counted,
                )
            )
    return tuple(sorted(rows, key=lambda c: (c.date, c.start, c.place, c.what)))


def html(views: Views) -> str:
    words = Words(language(views))
    return render("catering.html", views, words.language, words("catering"), counts=counts(views))


def table(views: Views) -> Table:
    w = Words(language(views))
    header = (
        w("date"),
        w("time"),
        "place",
        w("place"),
        w("what"),
        w("count"),
        *(w.need(code) for code in NEED_CODES),
    )
    rows = []
    for c in counts(views):
        needs = dict(c.needs)
        rows.append(
            (
                c.date.isoformat(),
                f"{hhmm(c.start)}–{hhmm(c.end)}",
                c.place,
                c.place_name,
                c.title,
                c.eaters,
                *(needs.get(code, 0) for code in NEED_CODES),
            )
        )
    return Table("Catering", header, rows, (11, 12, 12, 30, 30, 8, *(10 for _ in NEED_CODES)))
