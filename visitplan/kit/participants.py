"""The participant list in the form funders ask for.

One row per delegate: name, organisation, role, email, arrival and departure, and the
days and nights of their trip as the cost sheet counts them (spec rule 9), then totals
by organisation and by role.  In the delegates' language, like the report it goes with.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from visitplan.costs import nights, travel_home, travel_out, trip_days
from visitplan.export.words import Words
from visitplan.views import Views

from .common import Table, render

NAME = "participants"
FILE = "participants.pdf"


@dataclass(frozen=True, slots=True)
class Participant:
    delegate_id: str
    name: str
    organisation: str
    role: str
    email: str
    arrival: str
    departure: str
    days: int
    nights: int


@dataclass(frozen=True, slots=True)
class Total:
    label: str
    people: int
    days: int
    nights: int


def language(views: Views) -> str:
    return views.visit.language


def participants(views: Views) -> tuple[Participant, ...]:
    """Every delegate of the visit by id, with the arrival and departure they gave (or
    their travel dates) in the visit's zone."""
    visit = views.visit
    words = Words(language(views))
    zone = ZoneInfo(visit.timezone)
    rows = []
    for d in visit.delegates:
        arrival = (
            words.moment(d.arrives.astimezone(zone))
            if d.arrives
            else words.day(travel_out(visit, d))
        )
        departure = (
            words.moment(d.departs.astimezone(zone))
            if d.departs
            else words.day(travel_home(visit, d))
        )
        rows.append(
            Participant(
                d.id,
                d.name,
                d.organisation,
                d.role,
                d.email,
                arrival,
                departure,
                trip_days(visit, d),
                nights(visit, d),
            )
        )
    return tuple(rows)


def totals(rows: tuple[Participant, ...], key: str) -> tuple[Total, ...]:
    """People, days and nights summed per organisation or role, by label."""
    people: Counter[str] = Counter()
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        label = getattr(row, key) or "—"
        people[label] += 1
        sums[label][0] += row.days
        sums[label][1] += row.nights
    return tuple(Total(label, people[label], *sums[label]) for label in sorted(people))


def html(views: Views) -> str:
    words = Words(language(views))
    rows = participants(views)
    return render(
        "participants.html",
        views,
        words.language,
        words("participants"),
        rows=rows,
        by_organisation=totals(rows, "organisation"),
        by_role=totals(rows, "role"),
        total=Total(
            words("total"), len(rows), sum(r.days for r in rows), sum(r.nights for r in rows)
        ),
    )


def table(views: Views) -> Table:
    w = Words(language(views))
    header = (
        "delegate_id",
        w("name"),
        w("organisation"),
        w("role"),
        w("email"),
        w("arrival"),
        w("departure"),
        w("days_count"),
        w("nights_count"),
    )
    rows = [
        (
            p.delegate_id,
            p.name,
            p.organisation,
            p.role,
            p.email,
            p.arrival,
            p.departure,
            p.days,
            p.nights,
        )
        for p in participants(views)
    ]
    return Table("Participants", header, rows, (12, 26, 30, 14, 30, 28, 28, 8, 8))
