"""The group leader's day brief: one A4 page per day with programme.

Where each group of delegates is (delegates who share the day's every session, ride
and lunch share a group), where the delegation splits and comes together again,
every departure with its meeting point, the hosts' contacts, the lunch places with
counts and needs, and the emergency information: the organiser's and the hotel's
phones and each delegate's emergency contact where given.  In the delegates'
language: the leader travels with them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from visitplan.export.words import Words
from visitplan.model import BASE, Delegate
from visitplan.views import (
    DelegateRide,
    HostRoster,
    ItineraryItem,
    LunchItem,
    LunchSitting,
    RideItem,
    SessionItem,
    Views,
)

from .common import hhmm, render

NAME = "day_brief"
FILE = "day-brief.pdf"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    names: tuple[str, ...]
    items: tuple[ItineraryItem, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One session, ride or lunch of the day, once, with the groups in it."""

    item: ItineraryItem
    groups: tuple[str, ...]
    everyone: bool


@dataclass(frozen=True, slots=True)
class Brief:
    date: date
    groups: tuple[Group, ...]
    steps: tuple[Step, ...]
    moments: tuple[str, ...]
    """Where the delegation splits and comes together, in words, in time order."""
    departures: tuple[RideItem, ...]
    hosts: tuple[HostRoster, ...]
    lunches: tuple[LunchSitting, ...]
    meals: tuple[SessionItem, ...]
    contacts: tuple[Delegate, ...]
    """Delegates present that day who gave a phone or an emergency contact."""


def language(views: Views) -> str:
    return views.visit.language


def briefs(views: Views) -> tuple[Brief, ...]:
    words = Words(language(views))
    result = []
    for on, items in views.days.items():
        if not items:
            continue
        present = {d: days[on] for d, days in views.delegates.items() if days.get(on)}
        sessions = [i for i in items if isinstance(i, SessionItem)]
        hosts = tuple(
            views.hosts[h]
            for h in dict.fromkeys(s.host_id for s in sessions)
            if h in views.hosts and h != BASE
        )
        known = {d.id: d for d in views.visit.delegates}
        contacts = tuple(
            known[d]
            for d in sorted(present)
            if d in known and (known[d].phone or known[d].emergency_contact)
        )
        groups = _groups(views, present)
        result.append(
            Brief(
                on,
                groups,
                _steps(groups),
                _moments(present, words),
                tuple(i for i in items if isinstance(i, RideItem)),
                hosts,
                tuple(s for s in views.lunches if s.date == on),
                tuple(s for s in sessions if s.kind == "meal"),
                contacts,
            )
        )
    return tuple(result)


def _signature(item: ItineraryItem) -> tuple:
    if isinstance(item, SessionItem):
        return ("s", item.session_id)
    if isinstance(item, DelegateRide):
        r = item.ride
        return ("r", r.depart, r.arrive, r.from_, r.to, r.vehicle)
    return ("l", item.start, item.end, item.place)


def _groups(views: Views, present: dict[str, tuple[ItineraryItem, ...]]) -> tuple[Group, ...]:
    by_signature: dict[tuple, list[str]] = defaultdict(list)
    for delegate_id, items in present.items():
        by_signature[tuple(_signature(i) for i in items)].append(delegate_id)
    ordered = sorted(by_signature.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    groups = []
    for n, (_, ids) in enumerate(ordered):
        label = LETTERS[n] if n < len(LETTERS) else str(n + 1)
        names = tuple(_name(views, d) for d in sorted(ids))
        groups.append(Group(label, names, present[sorted(ids)[0]]))
    return tuple(groups)


def _steps(groups: tuple[Group, ...]) -> tuple[Step, ...]:
    """The day's items in time order, each once, with the labels of the groups in it."""
    found: dict[tuple, tuple[ItineraryItem, list[str]]] = {}
    for group in groups:
        for item in group.items:
            key = _signature(item)
            found.setdefault(key, (item, []))[1].append(group.label)
    steps = [
        Step(item, tuple(labels), len(labels) == len(groups)) for item, labels in found.values()
    ]
    return tuple(sorted(steps, key=lambda s: (s.item.start, s.item.end, s.groups)))


def _name(views: Views, delegate_id: str) -> str:
    try:
        return views.visit.delegate(delegate_id).name
    except KeyError:
        return delegate_id


def _where(item: ItineraryItem) -> tuple[object, str]:
    """What a delegate is doing during an item, and the place it happens at."""
    if isinstance(item, SessionItem):
        return ("s", item.session_id), item.host_name
    if isinstance(item, DelegateRide):
        r = item.ride
        return ("r", r.depart, r.from_, r.to, r.vehicle), r.to_name
    return ("l", item.place, item.start), item.place_name


def _moments(present: dict[str, tuple[ItineraryItem, ...]], words: Words) -> tuple[str, ...]:
    """When the delegates present go different ways, and when they are all together again.

    At each moment an item starts or ends, every delegate inside their day (first item
    to last) is in a session, on a ride, at lunch or free; the delegation is together
    when all of them are in the same one."""
    if len(present) < 2:
        return ()
    moments = sorted({t for items in present.values() for i in items for t in (i.start, i.end)})
    lines: list[str] = []
    together: bool | None = None
    for at in moments[:-1]:
        doing: set = set()
        place = ""
        for items in present.values():
            if not items or at < items[0].start or at >= items[-1].end:
                continue
            current = next((i for i in items if i.start <= at < i.end), None)
            if current is None:
                doing.add(("free",))
            else:
                what, place = _where(current)
                doing.add(what)
        now = len(doing) <= 1
        if together is not None and now != together:
            if now:
                lines.append(words("joins", time=hhmm(at), place=place))
            else:
                lines.append(words("splits", time=hhmm(at)))
        together = now if doing else together
    return tuple(lines) if lines else (words("together_all_day"),)


def html(views: Views) -> str:
    words = Words(language(views))
    return render(
        "day_brief.html",
        views,
        words.language,
        words("day_brief"),
        briefs=briefs(views),
        organiser=views.visit.organiser,
        base=views.visit.base,
        is_session=lambda i: isinstance(i, SessionItem),
        is_ride=lambda i: isinstance(i, DelegateRide),
        is_lunch=lambda i: isinstance(i, LunchItem),
    )
