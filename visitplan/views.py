"""Itinerary views: the plan seen per day, per delegate and per host.

Built once from a Visit and a Plan by :func:`build_views`; every exporter
(programme.xlsx, calendars, ...) formats these and works nothing out on its
own, so all outputs agree on names, groupings and order.

A *ride* is the set of plan legs with the same date, from, to, depart, arrive
and vehicle (spec rule 7); its riders are the delegates of those legs. In a
delegate's itinerary each of their rides is a :class:`DelegateRide` that also
names the stops it runs between (a session id, ``base-start`` or
``base-end``) and its number ``n`` in that chain, as calendar UIDs need.

Lunch breaks that are not a meal session are also seen from the place where they
are eaten: a :class:`LunchSitting` is the delegates who lunch at one place from one
time to another on one date, so a host's page, calendar and sheet, and the
caterers' counts, say how many eat there and which needs (:data:`NEED_CODES`)
they bring, without naming anyone.

Ordering is fixed: dates ascending; within a date by start, end, then rides
before sessions before lunch, then ids; attendees and riders by delegate id;
delegates and hosts by id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time

from visitplan.model import BASE, NEED_CODES, Visit
from visitplan.plan import Leg, Plan
from visitplan.timegrid import minute_of, time_of
from visitplan.travel import TravelTable

BASE_START = "base-start"
BASE_END = "base-end"

__all__ = [
    "BASE_END",
    "BASE_START",
    "Attendee",
    "DayItem",
    "DelegateRide",
    "EmptyDrive",
    "HostRoster",
    "ItineraryItem",
    "LunchItem",
    "LunchSitting",
    "RideItem",
    "SessionItem",
    "Views",
    "build_views",
    "need_counts",
]


@dataclass(frozen=True, slots=True)
class Attendee:
    """A delegate as hosts see them."""

    delegate_id: str
    name: str
    role: str = ""
    organisation: str = ""
    needs: str = ""
    email: str = ""
    need_codes: tuple[str, ...] = ()
    """The codes of NEED_CODES in ``needs``, in that order."""
    phone: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""


def need_counts(people: Iterable[Attendee]) -> tuple[tuple[str, int], ...]:
    """How many of ``people`` bring each need code, in NEED_CODES order, codes nobody
    brings left out: what a caterer or host prepares for, without names."""
    counts = dict.fromkeys(NEED_CODES, 0)
    for person in people:
        for code in person.need_codes:
            counts[code] += 1
    return tuple((code, n) for code, n in counts.items() if n)


@dataclass(frozen=True, slots=True)
class SessionItem:
    """One scheduled session with its place and attendees."""

    session_id: str
    title: str
    kind: str
    host_id: str
    host_name: str
    address: str
    date: date
    start: time
    end: time
    whole_delegation: bool
    """An ``audience = all`` session."""
    attendees: tuple[Attendee, ...]
    description: str = ""

    @property
    def attendee_ids(self) -> tuple[str, ...]:
        return tuple(a.delegate_id for a in self.attendees)

    @property
    def size(self) -> int:
        return len(self.attendees)

    @property
    def needs_counted(self) -> tuple[tuple[str, int], ...]:
        return need_counts(self.attendees)


@dataclass(frozen=True, slots=True)
class RideItem:
    """One ride: the legs sharing date, from, to, depart, arrive and vehicle."""

    date: date
    from_: str
    to: str
    from_name: str
    to_name: str
    depart: time
    arrive: time
    vehicle: str
    """``"1"``..``"N"``, ``"walk"``, or ``""`` when the visit numbers no vehicles."""
    riders: tuple[Attendee, ...]

    @property
    def rider_ids(self) -> tuple[str, ...]:
        return tuple(a.delegate_id for a in self.riders)

    @property
    def start(self) -> time:
        return self.depart

    @property
    def end(self) -> time:
        return self.arrive

    @property
    def walked(self) -> bool:
        return self.vehicle == "walk"

    @property
    def size(self) -> int:
        return len(self.riders)


@dataclass(frozen=True, slots=True)
class DelegateRide:
    """A ride in one delegate's itinerary, with the stops of its chain (spec section 2).

    ``from_stop``/``to_stop`` are the sessions the delegate leaves and reaches
    (``base-start``/``base-end`` at the ends of the day); ``n`` numbers the
    delegate's rides of that chain from 1.
    """

    ride: RideItem
    from_stop: str
    to_stop: str
    n: int

    @property
    def date(self) -> date:
        return self.ride.date

    @property
    def start(self) -> time:
        return self.ride.depart

    @property
    def end(self) -> time:
        return self.ride.arrive

    @property
    def item_id(self) -> str:
        """``ride:<date>:<from stop>:<to stop>:<n>``, the item part of a calendar UID."""
        return f"ride:{self.ride.date.isoformat()}:{self.from_stop}:{self.to_stop}:{self.n}"


@dataclass(frozen=True, slots=True)
class LunchItem:
    """A delegate's lunch break that is not a meal session they attend."""

    date: date
    start: time
    end: time
    place: str
    place_name: str
    session_id: str = ""


@dataclass(frozen=True, slots=True)
class LunchSitting:
    """Delegates lunching at one place from ``start`` to ``end`` on one date (not a meal
    session: those are sessions).  ``place`` is a host id, ``base``, or ``""`` when the
    plan names no place."""

    date: date
    start: time
    end: time
    place: str
    place_name: str
    address: str
    diners: tuple[Attendee, ...]

    @property
    def size(self) -> int:
        return len(self.diners)

    @property
    def needs_counted(self) -> tuple[tuple[str, int], ...]:
        return need_counts(self.diners)


@dataclass(frozen=True, slots=True)
class EmptyDrive:
    """A vehicle driving without delegates (spec rule 7): from the base to its first ride,
    between rides that do not meet, and back to the base after its last ride.
    It takes ``minutes`` between ``leave`` and ``arrive`` (for the drive back to the
    base, ``arrive`` is ``leave`` + ``minutes``)."""

    date: date
    vehicle: str
    from_: str
    to: str
    from_name: str
    to_name: str
    leave: time
    arrive: time
    minutes: int | None
    """The travel minutes; None where the visit gives no way to compute them."""

    @property
    def start(self) -> time:
        return self.leave

    @property
    def end(self) -> time:
        return self.arrive


RouteItem = RideItem | EmptyDrive


DayItem = SessionItem | RideItem
ItineraryItem = SessionItem | DelegateRide | LunchItem


@dataclass(frozen=True, slots=True)
class HostRoster:
    """A host (or the base, when sessions are held there) and its sessions in time order."""

    host_id: str
    name: str
    address: str
    contact: str
    email: str
    phone: str
    sessions: tuple[SessionItem, ...]
    lunches: tuple[LunchSitting, ...] = ()
    """The lunch sittings at this place, by date and time."""


@dataclass(frozen=True, slots=True)
class Views:
    """Everything the exporters print, worked out once.

    Attributes
    ----------
    visit
        The visit.
    plan
        The plan in canonical order (``Plan.sorted()``).
    sessions
        Every scheduled session, by date and time.
    rides
        Every ride, by date and time.
    days
        Every visit day (and any other date the plan uses) to its sessions and
        rides in time order; a day without programme maps to ``()``.
    delegates
        Every delegate id to their dates with items, each to their sessions,
        rides and lunch breaks in time order.
    hosts
        Every host id, and ``base`` when sessions are held at the base, to its roster.
    lunches
        Every lunch sitting (not a meal session), by date, start, end and place.
    routes
        Every numbered vehicle and date it drives to its rides and empty drives in
        order: what a driver's sheet prints.
    previous_calendars
        For a re-plan: the earlier plan folder's calendar files, by path relative to
        that folder (``calendars/delegates/d01.ics`` ...); empty for a first plan.
    """

    visit: Visit
    plan: Plan
    sessions: tuple[SessionItem, ...]
    rides: tuple[RideItem, ...]
    days: Mapping[date, tuple[DayItem, ...]]
    delegates: Mapping[str, Mapping[date, tuple[ItineraryItem, ...]]]
    hosts: Mapping[str, HostRoster]
    previous_calendars: Mapping[str, bytes] = field(default_factory=dict)
    lunches: tuple[LunchSitting, ...] = ()
    routes: Mapping[tuple[str, date], tuple[RouteItem, ...]] = field(default_factory=dict)

    def itinerary(self, delegate_id: str) -> Mapping[date, tuple[ItineraryItem, ...]]:
        return self.delegates[delegate_id]


def build_views(
    visit: Visit, plan: Plan, previous_calendars: Mapping[str, bytes] | None = None
) -> Views:
    """The per-day, per-delegate and per-host views of a plan.

    Parameters
    ----------
    visit
        The visit the plan was made for.
    plan
        The plan; its order does not matter.
    previous_calendars
        For a re-plan, the earlier plan's calendar files (see ``Views``).
    """
    plan = plan.sorted()
    attendees = _attendees(visit)
    sessions = _sessions(visit, plan, attendees)
    rides = _rides(visit, plan.legs, attendees)
    days = _days(visit, sessions, rides)
    delegates = _delegates(visit, plan, sessions, rides)
    lunches = _lunch_sittings(visit, delegates, attendees)
    hosts = _hosts(visit, sessions, lunches)
    return Views(
        visit,
        plan,
        sessions,
        rides,
        days,
        delegates,
        hosts,
        dict(previous_calendars or {}),
        lunches,
        _routes(visit, rides),
    )


# -- building ---------------------------------------------------------------------


def _attendees(visit: Visit) -> dict[str, Attendee]:
    return {
        d.id: Attendee(
            d.id,
            d.name,
            d.role,
            d.organisation,
            d.needs,
            d.email,
            tuple(code for code in NEED_CODES if code in d.need_codes),
            d.phone,
            d.emergency_contact,
            d.emergency_phone,
        )
        for d in visit.delegates
    }


def _sessions(visit: Visit, plan: Plan, attendees: dict[str, Attendee]) -> tuple[SessionItem, ...]:
    by_session: dict[str, list[str]] = defaultdict(list)
    for a in plan.assignments:
        by_session[a.session_id].append(a.delegate_id)
    known = {s.id: s for s in visit.sessions}
    items = []
    for scheduled in plan.sessions:
        session = known.get(scheduled.session_id)
        ids = sorted(set(by_session.get(scheduled.session_id, ())))
        items.append(
            SessionItem(
                session_id=scheduled.session_id,
                title=session.title if session else scheduled.session_id,
                kind=session.kind if session else "other",
                host_id=scheduled.host_id,
                host_name=_place_name(visit, scheduled.host_id),
                address=_address(visit, scheduled.host_id),
                date=scheduled.date,
                start=scheduled.start,
                end=scheduled.end,
                whole_delegation=bool(session and session.is_all),
                attendees=tuple(attendees.get(i) or Attendee(i, i) for i in ids),
                description=session.description if session else "",
            )
        )
    return tuple(sorted(items, key=_session_key))


def _rides(
    visit: Visit, legs: tuple[Leg, ...], attendees: dict[str, Attendee]
) -> tuple[RideItem, ...]:
    riders: dict[tuple, set[str]] = defaultdict(set)
    for g in legs:
        riders[_ride_key(g)].add(g.delegate_id)
    rides = [
        RideItem(
            date=on,
            from_=origin,
            to=destination,
            from_name=_place_name(visit, origin),
            to_name=_place_name(visit, destination),
            depart=depart,
            arrive=arrive,
            vehicle=vehicle,
            riders=tuple(attendees.get(i) or Attendee(i, i) for i in sorted(ids)),
        )
        for (on, depart, arrive, origin, destination, vehicle), ids in riders.items()
    ]
    return tuple(sorted(rides, key=_ride_sort_key))


def _days(
    visit: Visit, sessions: tuple[SessionItem, ...], rides: tuple[RideItem, ...]
) -> dict[date, tuple[DayItem, ...]]:
    items: dict[date, list[DayItem]] = {day.date: [] for day in visit.days}
    for item in (*sessions, *rides):
        items.setdefault(item.date, []).append(item)
    return {on: tuple(sorted(items[on], key=_item_key)) for on in sorted(items)}


def _delegates(
    visit: Visit, plan: Plan, sessions: tuple[SessionItem, ...], rides: tuple[RideItem, ...]
) -> dict[str, dict[date, tuple[ItineraryItem, ...]]]:
    ids = {d.id for d in visit.delegates}
    ids.update(a.delegate_id for a in plan.assignments)
    ids.update(g.delegate_id for g in plan.legs)
    ids.update(b.delegate_id for b in plan.lunches)
    attended: dict[tuple[str, date], list[SessionItem]] = defaultdict(list)
    for session in sessions:
        for delegate_id in session.attendee_ids:
            attended[delegate_id, session.date].append(session)
    ridden: dict[tuple[str, date], list[RideItem]] = defaultdict(list)
    for ride in rides:
        for delegate_id in ride.rider_ids:
            ridden[delegate_id, ride.date].append(ride)
    lunches: dict[tuple[str, date], list[LunchItem]] = defaultdict(list)
    for b in plan.lunches:
        meal_attended = any(s.session_id == b.session_id for s in attended[b.delegate_id, b.date])
        if b.session_id and meal_attended:
            continue  # the meal session is the break and is already listed
        place_name = _place_name(visit, b.place) if b.place else ""
        lunches[b.delegate_id, b.date].append(
            LunchItem(b.date, b.start, b.end, b.place, place_name, b.session_id)
        )

    result: dict[str, dict[date, tuple[ItineraryItem, ...]]] = {}
    for delegate_id in sorted(ids):
        dates = sorted({on for (who, on) in (*attended, *ridden, *lunches) if who == delegate_id})
        days: dict[date, tuple[ItineraryItem, ...]] = {}
        for on in dates:
            day_sessions = attended.get((delegate_id, on), [])
            day_rides = _chain(day_sessions, ridden.get((delegate_id, on), []))
            items = [*day_sessions, *day_rides, *lunches.get((delegate_id, on), [])]
            days[on] = tuple(sorted(items, key=_item_key))
        result[delegate_id] = days
    return result


def _chain(sessions: list[SessionItem], rides: list[RideItem]) -> list[DelegateRide]:
    """Each ride with the stops it runs between and its number in that chain."""
    ordered = sorted(sessions, key=_session_key)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    result = []
    for ride in sorted(rides, key=_ride_sort_key):
        before = [s for s in ordered if s.end <= ride.depart]
        after = [s for s in ordered if s.start >= ride.arrive]
        from_stop = before[-1].session_id if before else BASE_START
        to_stop = after[0].session_id if after else BASE_END
        counts[from_stop, to_stop] += 1
        result.append(DelegateRide(ride, from_stop, to_stop, counts[from_stop, to_stop]))
    return result


def _lunch_sittings(
    visit: Visit,
    delegates: dict[str, dict[date, tuple[ItineraryItem, ...]]],
    attendees: dict[str, Attendee],
) -> tuple[LunchSitting, ...]:
    """The delegates' lunch breaks (meal sessions aside) grouped by date, time and place."""
    diners: dict[tuple, list[str]] = defaultdict(list)
    for delegate_id, days in delegates.items():
        for items in days.values():
            for item in items:
                if isinstance(item, LunchItem):
                    diners[item.date, item.start, item.end, item.place].append(delegate_id)
    sittings = [
        LunchSitting(
            on,
            start,
            end,
            place,
            _place_name(visit, place) if place else "",
            _address(visit, place) if place else "",
            tuple(attendees.get(i) or Attendee(i, i) for i in sorted(ids)),
        )
        for (on, start, end, place), ids in diners.items()
    ]
    return tuple(sorted(sittings, key=lambda s: (s.date, s.start, s.end, s.place)))


def _routes(
    visit: Visit, rides: tuple[RideItem, ...]
) -> dict[tuple[str, date], tuple[RouteItem, ...]]:
    """Each numbered vehicle's day: the base at day_start, its rides, the drives between."""
    runs: dict[tuple[str, date], list[RideItem]] = defaultdict(list)
    for ride in rides:
        if ride.vehicle and not ride.walked:
            runs[ride.vehicle, ride.date].append(ride)
    table = TravelTable(visit)
    routes = {}
    for (vehicle, on), driven in runs.items():
        try:
            day_start = visit.day(on).day_start
        except KeyError:
            day_start = visit.day_start
        items: list[RouteItem] = []
        here, free = BASE, day_start
        for ride in driven:
            if ride.from_ != here:
                items.append(_empty(visit, table, vehicle, on, here, ride.from_, free, ride.depart))
            items.append(ride)
            here, free = ride.to, ride.arrive
        if here != BASE:
            items.append(_empty(visit, table, vehicle, on, here, BASE, free, None))
        routes[vehicle, on] = tuple(items)
    return {key: routes[key] for key in sorted(routes, key=lambda k: (k[1], _number(k[0])))}


def _empty(
    visit: Visit,
    table: TravelTable,
    vehicle: str,
    on: date,
    origin: str,
    destination: str,
    leave: time,
    arrive: time | None,
) -> EmptyDrive:
    try:
        minutes: int | None = table.vehicle(origin, destination)
    except (ValueError, KeyError):
        minutes = None
    if arrive is None:
        end = minute_of(leave) + (minutes or 0)
        arrive = time_of(min(end, 24 * 60 - 1))
    return EmptyDrive(
        on,
        vehicle,
        origin,
        destination,
        _place_name(visit, origin),
        _place_name(visit, destination),
        leave,
        arrive,
        minutes,
    )


def _number(vehicle: str) -> tuple[int, str]:
    return (int(vehicle), "") if vehicle.isdigit() else (10**9, vehicle)


def _hosts(
    visit: Visit, sessions: tuple[SessionItem, ...], lunches: tuple[LunchSitting, ...]
) -> dict[str, HostRoster]:
    at: dict[str, list[SessionItem]] = defaultdict(list)
    for session in sessions:
        at[session.host_id].append(session)
    eat: dict[str, list[LunchSitting]] = defaultdict(list)
    for sitting in lunches:
        eat[sitting.place].append(sitting)
    rosters = {
        h.id: HostRoster(
            h.id,
            h.name,
            h.address,
            h.contact,
            h.email,
            h.phone,
            tuple(at[h.id]),
            tuple(eat[h.id]),
        )
        for h in visit.hosts
    }
    for host_id in at:
        if host_id not in rosters:  # the base, or a host the visit does not know
            rosters[host_id] = HostRoster(
                host_id,
                _place_name(visit, host_id),
                _address(visit, host_id),
                "",
                "",
                "",
                tuple(at[host_id]),
                tuple(eat[host_id]),
            )
    return {host_id: rosters[host_id] for host_id in sorted(rosters)}


# -- names and order ------------------------------------------------------------------


def _place_name(visit: Visit, place: str) -> str:
    try:
        return visit.place_name(place)
    except KeyError:
        return place


def _address(visit: Visit, place: str) -> str:
    if place == BASE:
        return visit.base.address
    try:
        return visit.host(place).address
    except KeyError:
        return ""


def _ride_key(g: Leg) -> tuple:
    return (g.date, g.depart, g.arrive, g.from_, g.to, g.vehicle)


def _session_key(s: SessionItem) -> tuple:
    return (s.date, s.start, s.end, s.session_id)


def _ride_sort_key(r: RideItem) -> tuple:
    return (r.date, r.depart, r.arrive, r.from_, r.to, r.vehicle)


_RANK = {DelegateRide: 0, RideItem: 0, SessionItem: 1, LunchItem: 2}


def _item_key(item: DayItem | ItineraryItem) -> tuple:
    if isinstance(item, SessionItem):
        detail: tuple = (item.session_id,)
    elif isinstance(item, RideItem):
        detail = (item.from_, item.to, item.vehicle)
    elif isinstance(item, DelegateRide):
        detail = (item.ride.from_, item.ride.to, item.ride.vehicle)
    else:
        detail = (item.place,)
    return (item.start, item.end, _RANK[type(item)], detail)
