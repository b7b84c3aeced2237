"""The spec's section 3 (rules 1-8) as plain Python over a Visit and a Plan.

``check_plan`` is the independent judge of the solver: it shares no code
with ``solve/``, ``timegrid`` or ``travel`` (it has its own stay, grid and
travel arithmetic), so a mistake in one is not silently repeated in the
other.  It never raises on a bad plan: unknown ids, duplicates and
inconsistent rows are reported as violations too (rule 0 for structural
problems).  The delegates' access needs (``needs`` codes ``no_walking`` and
``step_free``) are kept under rules 4 and 6 by the name ``access``; a
delegate who needs step-free access is excused from an `all` session at a
host not marked step-free, as rule 3 excuses a delegate who is away.

All times are wall-clock minutes after midnight of their date (a day never
crosses midnight); every interval is half-open.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import combinations
from zoneinfo import ZoneInfo

from .model import BASE, Day, Delegate, Host, Session, Visit
from .plan import Leg, LunchBreak, Plan, ScheduledSession

__all__ = ["Violation", "check_plan"]

EARTH_RADIUS_KM = 6371.0
WALK = "walk"

Stay = tuple[float, float]


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule; ``rule`` is the spec's rule number, 0 for a malformed plan;
    ``name`` names a rule kept under that number beyond the spec's words (``access``)."""

    rule: int
    message: str
    name: str = ""

    def __str__(self) -> str:
        if self.name:
            return f"rule {self.rule} ({self.name}): {self.message}"
        return f"rule {self.rule}: {self.message}"


def check_plan(visit: Visit, plan: Plan) -> list[Violation]:
    """Every way ``plan`` breaks the rules of section 3 for ``visit``.

    Parameters
    ----------
    visit
        The validated visit the plan claims to be for.
    plan
        Any plan, possibly hand-edited or from another version.

    Returns
    -------
    list[Violation]
        Sorted by rule number, then message; empty when the plan keeps every rule.
    """
    ctx = _Context(visit, plan)
    found: set[Violation] = set()
    for rule, check in RULES:
        found.update(Violation(rule, message) for message in check(ctx))
    for rule, name, check in NAMED_RULES:
        found.update(Violation(rule, message, name) for message in check(ctx))
    return sorted(found)


# -- minutes, grid and formatting ---------------------------------------------------


def _minutes(t: time) -> float:
    """Minutes after midnight; fractional only when the time carries seconds."""
    whole = t.hour * 60 + t.minute
    if t.second or t.microsecond:
        return whole + t.second / 60 + t.microsecond / 60_000_000
    return whole


def _hhmm(minutes: float) -> str:
    """HH:MM, with :SS only for an off-grid arrival or departure that has seconds."""
    whole, seconds = divmod(round(minutes * 60), 60)
    text = f"{whole // 60:02d}:{whole % 60:02d}"
    return f"{text}:{seconds:02d}" if seconds else text


def _span(start: float, end: float) -> str:
    return f"{_hhmm(start)}-{_hhmm(end)}"


def _up(minutes: float, slot: int) -> int:
    return math.ceil(minutes / slot) * slot


def _down(minutes: float, slot: int) -> int:
    return math.floor(minutes / slot) * slot


def _overlap(a_start: float, a_end: float, b_start: float, b_end: float) -> bool:
    return a_start < b_end and b_start < a_end


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids))


# -- travel (rule 6), computed here on purpose: see the module docstring -------------


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _ceil6(value: float) -> int:
    """The spec's ceil of a product rounded to 6 decimals first (so 13.0000000001 is 13)."""
    return math.ceil(round(value, 6))


class _Travel:
    """Minimum ride minutes between places; None where the visit cannot say."""

    def __init__(self, visit: Visit):
        self.transport = visit.transport
        self.given: dict[tuple[str, str], int] = {}
        for edge in visit.travel:
            self.given[(edge.a, edge.b)] = edge.minutes
            self.given.setdefault((edge.b, edge.a), edge.minutes)
        self.coordinates: dict[str, tuple[float, float] | None] = {
            BASE: _coordinates(visit.base.lat, visit.base.lon)
        }
        for host in visit.hosts:
            self.coordinates[host.id] = _coordinates(host.lat, host.lon)

    def knows(self, place: str) -> bool:
        return place in self.coordinates

    def km(self, a: str, b: str) -> float | None:
        ca, cb = self.coordinates.get(a), self.coordinates.get(b)
        if ca is None or cb is None:
            return None
        return _haversine_km(ca, cb)

    def vehicle(self, a: str, b: str) -> int | None:
        if a == b:
            return 0
        buffer = self.transport.buffer_minutes
        if (a, b) in self.given:
            return self.given[(a, b)] + buffer
        km = self.km(a, b)
        if km is None:
            return None
        t = self.transport
        return _ceil6(60 * t.road_factor * km / t.speed_kmh) + buffer

    def walk(self, a: str, b: str) -> int | None:
        if a == b:
            return 0
        km = self.km(a, b)
        t = self.transport
        if km is None or km > t.walk_km:
            return None
        return _ceil6(60 * t.road_factor * km / t.walk_kmh) + t.buffer_minutes


def _coordinates(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    return None if lat is None or lon is None else (lat, lon)


# -- the plan as the rules see it ----------------------------------------------------


@dataclass(frozen=True)
class _Held:
    """A scheduled session: the visit's session at the time the plan gives it."""

    session: Session
    entry: ScheduledSession
    start: float
    end: float

    @property
    def id(self) -> str:
        return self.session.id

    @property
    def host(self) -> str:
        return self.session.host_id

    @property
    def date(self) -> date:
        return self.entry.date

    def __str__(self) -> str:
        return f"{self.id} ({self.date} {_span(self.start, self.end)})"


def _leg_text(leg: Leg) -> str:
    how = "walk" if leg.vehicle == WALK else "ride"
    times = _span(_minutes(leg.depart), _minutes(leg.arrive))
    return f"{how} from {leg.from_} to {leg.to} {times}"


class _Context:
    """The visit's lookups and the plan's rows, resolved once and filtered of unknown ids.

    Rows that cannot be resolved (unknown ids, unscheduled sessions,
    duplicates) are kept out of the rules and recorded in ``broken`` for rule 0.
    """

    def __init__(self, visit: Visit, plan: Plan):
        self.visit = visit
        self.plan = plan
        self.slot = visit.slot_minutes
        self.zone = ZoneInfo(visit.timezone)
        self.travel = _Travel(visit)
        self.sessions: dict[str, Session] = {s.id: s for s in visit.sessions}
        self.delegates: dict[str, Delegate] = {d.id: d for d in visit.delegates}
        self.hosts: dict[str, Host] = {h.id: h for h in visit.hosts}
        self.days: dict[date, Day] = {d.date: d for d in visit.days}
        self.broken: list[str] = []
        self.entries: list[tuple[Session, ScheduledSession]] = []
        self.times_scheduled: Counter[str] = Counter()
        self.held: dict[str, _Held] = {}
        self.attended: dict[str, list[_Held]] = defaultdict(list)
        self.attendees: dict[str, set[str]] = defaultdict(set)
        self.legs: dict[str, list[Leg]] = defaultdict(list)
        self.lunches: dict[tuple[str, date], list[LunchBreak]] = defaultdict(list)
        self._stays: dict[tuple[str, date], Stay | None] = {}
        self._read_sessions()
        self._read_assignments()
        self._read_legs_and_lunches()

    def _read_sessions(self) -> None:
        order = sorted(
            self.plan.sessions, key=lambda s: (s.date, s.start, s.end, s.host_id, s.session_id)
        )
        for entry in order:
            session = self.sessions.get(entry.session_id)
            if session is None:
                self.broken.append(f"session {entry.session_id} is scheduled but not in the visit")
                continue
            self.entries.append((session, entry))
            self.times_scheduled[session.id] += 1
            held = _Held(session, entry, _minutes(entry.start), _minutes(entry.end))
            self.held.setdefault(session.id, held)

    def _read_assignments(self) -> None:
        order = sorted(
            self.plan.assignments,
            key=lambda a: (a.delegate_id, a.session_id, a.date, a.start, a.end, a.host_id),
        )
        for row in order:
            who, what = row.delegate_id, row.session_id
            if who not in self.delegates:
                self.broken.append(f"unknown delegate {who} is assigned to session {what}")
                continue
            if what not in self.sessions:
                self.broken.append(f"delegate {who} is assigned to unknown session {what}")
                continue
            held = self.held.get(what)
            if held is None:
                self.broken.append(f"delegate {who} is assigned to {what}, which is not scheduled")
                continue
            said = (row.host_id, row.date, _minutes(row.start), _minutes(row.end))
            if said != (held.entry.host_id, held.date, held.start, held.end):
                self.broken.append(
                    f"assignment of delegate {who} to {what} says {row.host_id} {row.date} "
                    f"{_span(said[2], said[3])} but the session is scheduled at "
                    f"{held.entry.host_id} {held}"
                )
            if who in self.attendees[what]:
                self.broken.append(f"delegate {who} is assigned to {what} more than once")
                continue
            self.attendees[what].add(who)
            self.attended[who].append(held)
        for held_list in self.attended.values():
            held_list.sort(key=lambda h: (h.date, h.start, h.end, h.id))

    def _read_legs_and_lunches(self) -> None:
        for leg in self.plan.legs:
            if leg.delegate_id not in self.delegates:
                self.broken.append(f"unknown delegate {leg.delegate_id} has a leg {_leg_text(leg)}")
                continue
            self.legs[leg.delegate_id].append(leg)
        for legs in self.legs.values():
            legs.sort(key=lambda g: (g.date, g.depart, g.arrive, g.from_, g.to, g.vehicle))
        for lunch in self.plan.lunches:
            if lunch.delegate_id not in self.delegates:
                self.broken.append(
                    f"unknown delegate {lunch.delegate_id} has a lunch break on {lunch.date}"
                )
                continue
            self.lunches[(lunch.delegate_id, lunch.date)].append(lunch)

    # -- stays (rule 3) --------------------------------------------------------------

    def local(self, moment: datetime | None) -> datetime | None:
        """A delegate's arrives/departs as a naive wall-clock time in the visit's zone."""
        if moment is None or moment.tzinfo is None:
            return moment
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def stay(self, delegate: Delegate, day: Day) -> Stay | None:
        """[max(day_start, arrives), min(day_end, departs)] on the day, or None when empty."""
        key = (delegate.id, day.date)
        if key not in self._stays:
            self._stays[key] = self._compute_stay(delegate, day)
        return self._stays[key]

    def _compute_stay(self, delegate: Delegate, day: Day) -> Stay | None:
        start, end = _minutes(day.day_start), _minutes(day.day_end)
        arrives, departs = self.local(delegate.arrives), self.local(delegate.departs)
        if arrives is not None:
            if arrives.date() > day.date:
                return None
            if arrives.date() == day.date:
                start = max(start, _minutes(arrives.time()))
        if departs is not None:
            if departs.date() < day.date:
                return None
            if departs.date() == day.date:
                end = min(end, _minutes(departs.time()))
        return (start, end) if end > start else None

    def legs_on(self, delegate_id: str, on: date) -> list[Leg]:
        return [leg for leg in self.legs.get(delegate_id, ()) if leg.date == on]

    def attended_on(self, delegate_id: str, on: date) -> list[_Held]:
        return [h for h in self.attended.get(delegate_id, ()) if h.date == on]


# -- rule 0: the plan is about this visit and its rows resolve -----------------------


def _structure(ctx: _Context) -> Iterator[str]:
    """Rows the other rules cannot judge, and a plan made for another visit."""
    if ctx.plan.visit_id != ctx.visit.id:
        yield f"plan is for visit {ctx.plan.visit_id}, not {ctx.visit.id}"
    if ctx.plan.timezone != ctx.visit.timezone:
        yield f"plan is in time zone {ctx.plan.timezone}, the visit in {ctx.visit.timezone}"
    yield from ctx.broken


# -- rule 1: what is scheduled, and how many attend ----------------------------------


def _sessions_once(ctx: _Context) -> Iterator[str]:
    """Required, `all` and must_attend sessions happen exactly once, the rest at most once."""
    for session_id in sorted(ctx.visit.must_schedule):
        if session_id in ctx.sessions and ctx.times_scheduled[session_id] == 0:
            why = _why_required(ctx, session_id)
            yield f"session {session_id} must be scheduled but is not ({why})"
    for session_id, times in sorted(ctx.times_scheduled.items()):
        if times > 1:
            yield f"session {session_id} is scheduled {times} times"
    for held in ctx.held.values():
        yield from _attendee_count(ctx, held)


def _why_required(ctx: _Context, session_id: str) -> str:
    session = ctx.sessions[session_id]
    if session.is_all:
        return "audience all"
    if session.required:
        return "required"
    wanted = [d.id for d in ctx.visit.delegates if session_id in d.must_attend]
    return f"must_attend of {_ids(wanted)}"


def _attendee_count(ctx: _Context, held: _Held) -> Iterator[str]:
    session = held.session
    if session.is_all:
        return
    count = len(ctx.attendees.get(held.id, ()))
    if count < session.min_size:
        yield f"session {held} has {count} attendees, fewer than min_size {session.min_size}"
    if session.max_size is not None and count > session.max_size:
        yield f"session {held} has {count} attendees, more than max_size {session.max_size}"


# -- rule 2: when and where a session may happen --------------------------------------


def _session_times(ctx: _Context) -> Iterator[str]:
    """Each session fits its grid, day, frame, window, pin and `after` list; rooms suffice."""
    for session, entry in ctx.entries:
        held = _Held(session, entry, _minutes(entry.start), _minutes(entry.end))
        for problem in _placement_problems(ctx, held):
            yield f"session {held} {problem}"
    yield from _rooms(ctx)


def _placement_problems(ctx: _Context, held: _Held) -> Iterator[str]:
    session, slot = held.session, ctx.slot
    if held.entry.host_id != session.host_id:
        yield f"is scheduled at {held.entry.host_id}, but its host is {session.host_id}"
    if held.start % slot or held.end % slot:
        yield f"is off the {slot}-minute grid"
    if held.end - held.start != session.minutes:
        yield f"lasts {held.end - held.start} minutes, not {session.minutes}"
    day = ctx.days.get(held.date)
    if day is None:
        yield "is not on a day of the visit"
    elif not day.programme:
        yield "is on a day without programme"
    else:
        yield from _frame_and_window_problems(ctx, held, day)
    yield from _pin_problems(held)
    yield from _after_problems(ctx, held)


def _frame_and_window_problems(ctx: _Context, held: _Held, day: Day) -> Iterator[str]:
    frame_start, frame_end = _minutes(day.day_start), _minutes(day.day_end)
    if held.start < frame_start or held.end > frame_end:
        yield f"is outside the day's frame {_span(frame_start, frame_end)}"
    windows = ctx.visit.windows_of(held.host, held.date)
    inside = any(_minutes(w.start) <= held.start and held.end <= _minutes(w.end) for w in windows)
    if not inside:
        shown = ", ".join(_span(_minutes(w.start), _minutes(w.end)) for w in windows) or "none"
        yield f"is outside every availability window of {held.host} that day ({shown})"


def _pin_problems(held: _Held) -> Iterator[str]:
    session = held.session
    if session.pin_date is not None and held.date != session.pin_date:
        yield f"is pinned to {session.pin_date}"
    if session.pin_start is not None and held.start != _minutes(session.pin_start):
        yield f"is pinned to start at {_hhmm(_minutes(session.pin_start))}"


def _after_problems(ctx: _Context, held: _Held) -> Iterator[str]:
    for before_id in held.session.after:
        before = ctx.held.get(before_id)
        if before is not None and (held.date, held.start) < (before.date, before.end):
            yield f"starts before {before} ends, but comes after it"


def _rooms(ctx: _Context) -> Iterator[str]:
    """At no moment does a host hold more sessions than its rooms (the base is unlimited)."""
    by_place: dict[tuple[str, date], list[_Held]] = defaultdict(list)
    for held in ctx.held.values():
        if held.host in ctx.hosts:
            by_place[(held.host, held.date)].append(held)
    for (host_id, on), group in sorted(by_place.items()):
        rooms = ctx.hosts[host_id].rooms
        for moment in sorted({h.start for h in group}):
            running = [h.id for h in group if h.start <= moment < h.end]
            if len(running) > rooms:
                yield (
                    f"host {host_id} on {on} holds {len(running)} sessions at {_hhmm(moment)} "
                    f"({_ids(running)}) but has {rooms} room(s)"
                )


# -- rule 3: who attends an `all` session ---------------------------------------------


def _whole_delegation(ctx: _Context) -> Iterator[str]:
    """An `all` session is attended by exactly the delegates who can be there for it."""
    for held in ctx.held.values():
        day = ctx.days.get(held.date)
        if not held.session.is_all or day is None:
            continue
        eligible = {d.id for d in ctx.visit.delegates if _eligible(ctx, d, held, day)}
        attending = ctx.attendees.get(held.id, set())
        for who in sorted(eligible - attending):
            yield f"delegate {who} can be at all-session {held} but does not attend it"
        for who in sorted(attending - eligible):
            yield f"delegate {who} attends all-session {held} but cannot be there for it"


def _eligible(ctx: _Context, delegate: Delegate, held: _Held, day: Day) -> bool:
    """Whole frame covered, or time to come from and go back to the base around the
    session; never at a host a delegate's access needs rule out (they are excused)."""
    if not _accessible(ctx, delegate, held.host):
        return False
    arrives, departs = ctx.local(delegate.arrives), ctx.local(delegate.departs)
    frame_start = datetime.combine(day.date, day.day_start)
    frame_end = datetime.combine(day.date, day.day_end)
    if (arrives is None or arrives <= frame_start) and (departs is None or departs >= frame_end):
        return True
    stay = ctx.stay(delegate, day)
    there = ctx.travel.vehicle(BASE, held.host)
    back = ctx.travel.vehicle(held.host, BASE)
    if stay is None or there is None or back is None:
        return False
    slot = ctx.slot
    if arrives is not None and _up(stay[0], slot) + _up(there, slot) > held.start:
        return False
    return departs is None or held.end + _up(back, slot) <= _down(stay[1], slot)


# -- rule 4: what one delegate attends ------------------------------------------------


def _attendance(ctx: _Context) -> Iterator[str]:
    """Inside the stay, every must_attend, one per group, never in two places at once."""
    for delegate in ctx.visit.delegates:
        attended = ctx.attended.get(delegate.id, [])
        yield from _outside_stay(ctx, delegate, attended)
        yield from _missed_must_attend(delegate, attended)
        yield from _groups_repeated(delegate, attended)
        yield from _sessions_at_once(delegate, attended)
        yield from _rides_during_sessions(ctx, delegate, attended)


def _outside_stay(ctx: _Context, delegate: Delegate, attended: list[_Held]) -> Iterator[str]:
    for held in attended:
        day = ctx.days.get(held.date)
        if day is None:
            continue
        stay = ctx.stay(delegate, day)
        if stay is None:
            yield f"delegate {delegate.id} attends {held} but is not there that day"
        elif held.start < stay[0] or held.end > stay[1]:
            yield f"delegate {delegate.id} attends {held} outside their stay {_span(*stay)}"


def _missed_must_attend(delegate: Delegate, attended: list[_Held]) -> Iterator[str]:
    ids = {h.id for h in attended}
    for session_id in delegate.must_attend:
        if session_id not in ids:
            yield f"delegate {delegate.id} must attend {session_id} but does not"


def _groups_repeated(delegate: Delegate, attended: list[_Held]) -> Iterator[str]:
    by_group: dict[str, list[str]] = defaultdict(list)
    for held in attended:
        if held.session.group:
            by_group[held.session.group].append(held.id)
    for group, ids in sorted(by_group.items()):
        if len(ids) > 1:
            many = f"{len(ids)} sessions of group {group}"
            yield f"delegate {delegate.id} attends {many}: {_ids(ids)}"


def _sessions_at_once(delegate: Delegate, attended: list[_Held]) -> Iterator[str]:
    for a, b in combinations(attended, 2):
        if a.date == b.date and _overlap(a.start, a.end, b.start, b.end):
            yield f"delegate {delegate.id} is in {a} and {b} at once"


def _rides_during_sessions(
    ctx: _Context, delegate: Delegate, attended: list[_Held]
) -> Iterator[str]:
    for held in attended:
        for leg in ctx.legs_on(delegate.id, held.date):
            if _overlap(_minutes(leg.depart), _minutes(leg.arrive), held.start, held.end):
                yield f"delegate {delegate.id} is on a {_leg_text(leg)} during {held}"


# -- rule 5: rides join a delegate's stops --------------------------------------------


@dataclass(frozen=True)
class _Gap:
    """The time between two consecutive stops of a delegate's day, and their places."""

    origin: str
    destination: str
    start: float
    end: float

    def holds(self, leg: Leg) -> bool:
        return self.start <= _minutes(leg.depart) and _minutes(leg.arrive) <= self.end


def _chains(ctx: _Context) -> Iterator[str]:
    """Each gap between stops holds a chain of rides; no ride lies outside every gap."""
    for delegate in ctx.visit.delegates:
        dates = {h.date for h in ctx.attended.get(delegate.id, ())}
        dates |= {leg.date for leg in ctx.legs.get(delegate.id, ())}
        for on in sorted(dates):
            yield from _day_chains(ctx, delegate, on)


def _day_chains(ctx: _Context, delegate: Delegate, on: date) -> Iterator[str]:
    legs = ctx.legs_on(delegate.id, on)
    attended = ctx.attended_on(delegate.id, on)
    who = f"delegate {delegate.id} on {on}"
    if not attended:
        for leg in legs:
            yield f"{who} has a {_leg_text(leg)} but attends no session that day"
        return
    gaps = _gaps(ctx, delegate, on, attended)
    in_gap: dict[_Gap, list[Leg]] = {gap: [] for gap in gaps}
    for leg in legs:
        gap = next((g for g in gaps if g.holds(leg)), None)
        if gap is None:
            yield f"{who} has a {_leg_text(leg)} outside every gap between their stops"
        else:
            in_gap[gap].append(leg)
    for gap in gaps:
        problem = _chain_problem(gap, in_gap[gap])
        if problem:
            yield f"{who} {problem}"


def _gaps(ctx: _Context, delegate: Delegate, on: date, attended: list[_Held]) -> list[_Gap]:
    """Base at the start of the stay, the attended hosts in time order, base at the end."""
    day = ctx.days.get(on)
    stay = ctx.stay(delegate, day) if day is not None else None
    if stay is None:  # attending outside the stay is rule 4's to report
        stay = (_minutes(day.day_start), _minutes(day.day_end)) if day else (0, 24 * 60)
    stops = [(BASE, stay[0], stay[0])]
    stops += [(h.host, h.start, h.end) for h in sorted(attended, key=lambda h: (h.start, h.end))]
    stops.append((BASE, stay[1], stay[1]))
    return [
        _Gap(first[0], second[0], first[2], second[1])
        for first, second in zip(stops, stops[1:], strict=False)
        if first[2] <= second[1]  # overlapping sessions are rule 4's to report
    ]


def _chain_problem(gap: _Gap, legs: list[Leg]) -> str | None:
    """Why the legs in a gap do not lead from its origin to its destination, or None."""
    between = f"between {_hhmm(gap.start)} and {_hhmm(gap.end)}"
    if not legs:
        if gap.origin == gap.destination:
            return None
        return f"has no ride from {gap.origin} to {gap.destination} {between}"
    broken = f"has rides {between} that do not lead from {gap.origin} to {gap.destination}"
    if legs[0].from_ != gap.origin:
        return f"{broken}: the first leaves from {legs[0].from_}"
    for previous, leg in zip(legs, legs[1:], strict=False):
        if leg.from_ != previous.to:
            return f"{broken}: the {_leg_text(leg)} does not leave from {previous.to}"
        if leg.depart < previous.arrive:
            return f"{broken}: the {_leg_text(leg)} leaves before the {_leg_text(previous)} arrives"
    if legs[-1].to != gap.destination:
        return f"{broken}: the last arrives at {legs[-1].to}"
    return None


# -- rule 6: each ride is long enough --------------------------------------------------


def _ride_times(ctx: _Context) -> Iterator[str]:
    """Between two known, different places, on the grid, no faster than travel() allows."""
    for delegate_id, legs in sorted(ctx.legs.items()):
        for leg in legs:
            for problem in _leg_problems(ctx, leg):
                yield f"delegate {delegate_id} on {leg.date}: {_leg_text(leg)} {problem}"


def _leg_problems(ctx: _Context, leg: Leg) -> Iterator[str]:
    depart, arrive = _minutes(leg.depart), _minutes(leg.arrive)
    if depart % ctx.slot or arrive % ctx.slot:
        yield f"is off the {ctx.slot}-minute grid"
    unknown = [p for p in (leg.from_, leg.to) if not ctx.travel.knows(p)]
    if unknown:
        yield f"names unknown place {_ids(set(unknown))}"
        return
    if leg.from_ == leg.to:
        yield "does not go anywhere"
        return
    if leg.vehicle == WALK:
        yield from _walk_problems(ctx, leg, arrive - depart)
    else:
        yield from _drive_problems(ctx, leg, arrive - depart)


def _walk_problems(ctx: _Context, leg: Leg, minutes: float) -> Iterator[str]:
    needed = ctx.travel.walk(leg.from_, leg.to)
    if needed is None:
        km = ctx.travel.km(leg.from_, leg.to)
        distance = "without coordinates" if km is None else f"{km:.2f} km apart"
        limit = ctx.travel.transport.walk_km
        yield f"cannot be walked: the places are {distance} (walk_km {limit})"
    elif minutes < needed:
        yield f"takes {minutes} minutes, but walking takes at least {needed}"


def _drive_problems(ctx: _Context, leg: Leg, minutes: float) -> Iterator[str]:
    needed = ctx.travel.vehicle(leg.from_, leg.to)
    if needed is None:
        yield "has no known travel time"
    elif minutes < needed:
        yield f"takes {minutes} minutes, but driving takes at least {needed}"


# -- rule 7: vehicles and seats --------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Ride:
    """The set of legs with the same date, places, times and vehicle."""

    date: date
    depart: float
    arrive: float
    from_: str
    to: str
    vehicle: str

    @property
    def route(self) -> str:
        return f"{self.from_}-{self.to} {_span(self.depart, self.arrive)}"

    def __str__(self) -> str:
        return (
            f"ride from {self.from_} to {self.to} on {self.date} {_span(self.depart, self.arrive)}"
        )


def _rides(ctx: _Context) -> dict[_Ride, set[str]]:
    rides: dict[_Ride, set[str]] = defaultdict(set)
    for delegate_id, legs in ctx.legs.items():
        for leg in legs:
            ride = _Ride(
                leg.date,
                _minutes(leg.depart),
                _minutes(leg.arrive),
                leg.from_,
                leg.to,
                leg.vehicle,
            )
            rides[ride].add(delegate_id)
    return rides


def _vehicles(ctx: _Context) -> Iterator[str]:
    """Numbered vehicles start at the base, ride one at a time, drive empty in time; seats hold."""
    rides = _rides(ctx)
    fleet: dict[tuple[int, date], list[_Ride]] = defaultdict(list)
    for ride in sorted(rides):
        number, problem = _vehicle_number(ctx, ride.vehicle)
        if problem:
            yield f"{ride} {problem}"
        if number is not None:
            fleet[(number, ride.date)].append(ride)
    for (number, on), schedule in sorted(fleet.items()):
        yield from _vehicle_day(ctx, number, on, schedule)
    yield from _seats(ctx, rides)


def _vehicle_number(ctx: _Context, vehicle: str) -> tuple[int | None, str | None]:
    """The vehicle's number if it has one, and what is wrong with the label if anything."""
    transport = ctx.visit.transport
    if vehicle == WALK:
        return None, None
    if vehicle == "":
        return None, ("has no vehicle number" if transport.numbered else None)
    if not (vehicle.isascii() and vehicle.isdigit()) or int(vehicle) < 1:
        return None, f"has vehicle {vehicle!r}, which is not a vehicle number"
    number = int(vehicle)
    if transport.vehicles is not None and number > transport.vehicles:
        return number, f"uses vehicle {number}, but the visit has {transport.vehicles}"
    return number, None


def _vehicle_day(ctx: _Context, number: int, on: date, schedule: list[_Ride]) -> Iterator[str]:
    which = f"vehicle {number} on {on}"
    day = ctx.days.get(on)
    first = schedule[0]
    reach = ctx.travel.vehicle(BASE, first.from_)
    if day is not None and reach is not None:
        earliest = _minutes(day.day_start) + reach
        if first.depart < earliest:
            yield (
                f"{which} cannot reach {first.from_} from the base by {_hhmm(first.depart)}: "
                f"the day starts {_hhmm(_minutes(day.day_start))} and the drive takes {reach}"
            )
    for a, b in combinations(schedule, 2):
        if _overlap(a.depart, a.arrive, b.depart, b.arrive):
            yield f"{which} does two rides at once: {a.route} and {b.route}"
    for previous, ride in zip(schedule, schedule[1:], strict=False):
        empty = ctx.travel.vehicle(previous.to, ride.from_)
        if empty is None or previous.arrive > ride.depart:
            continue
        if ride.depart < previous.arrive + empty:
            yield (
                f"{which} cannot drive empty from {previous.to} to {ride.from_} ({empty} min) "
                f"between arriving {_hhmm(previous.arrive)} and departing {_hhmm(ride.depart)}"
            )


def _seats(ctx: _Context, rides: dict[_Ride, set[str]]) -> Iterator[str]:
    limit = ctx.visit.transport.riders_per_vehicle
    if limit is None:
        return
    for ride, riders in sorted(rides.items()):
        if ride.vehicle != WALK and len(riders) > limit:
            yield (
                f"{ride} in vehicle {ride.vehicle or '(none)'} carries {len(riders)} delegates "
                f"({_ids(riders)}), more than its {limit} seats"
            )


# -- rule 8: lunch ---------------------------------------------------------------------


def _lunch(ctx: _Context) -> Iterator[str]:
    """A delegate with sessions who is there over lunch gets a break; every break given is sound."""
    if ctx.visit.lunch is None:
        return
    for (delegate_id, on), breaks in sorted(ctx.lunches.items()):
        for lunch in breaks:
            for problem in _lunch_problems(ctx, lunch):
                when = _span(_minutes(lunch.start), _minutes(lunch.end))
                yield f"delegate {delegate_id} on {on}: lunch {when} {problem}"
    for delegate in ctx.visit.delegates:
        for on in sorted({h.date for h in ctx.attended.get(delegate.id, ())}):
            if _needs_lunch(ctx, delegate, on) and not ctx.lunches.get((delegate.id, on)):
                yield f"delegate {delegate.id} on {on} has no lunch break"


def _needs_lunch(ctx: _Context, delegate: Delegate, on: date) -> bool:
    lunch, day = ctx.visit.lunch, ctx.days.get(on)
    if lunch is None or day is None or not day.programme:
        return False
    stay = ctx.stay(delegate, day)
    return stay is not None and stay[0] <= _minutes(lunch.start) and stay[1] >= _minutes(lunch.end)


def _lunch_problems(ctx: _Context, lunch: LunchBreak) -> Iterator[str]:
    if lunch.session_id:
        yield from _meal_problems(ctx, lunch)
    else:
        yield from _break_problems(ctx, lunch)


def _inside_lunch_window(ctx: _Context, start: float, end: float) -> Iterator[str]:
    rule = ctx.visit.lunch
    assert rule is not None
    window = (_minutes(rule.start), _minutes(rule.end))
    if start < window[0] or end > window[1]:
        yield f"is outside the lunch window {_span(*window)}"
    if end - start < rule.minutes:
        yield f"is shorter than {rule.minutes} minutes"


def _meal_problems(ctx: _Context, lunch: LunchBreak) -> Iterator[str]:
    """A meal session is the break only if the delegate attends it, inside the window."""
    session = ctx.sessions.get(lunch.session_id)
    held = ctx.held.get(lunch.session_id)
    if session is None or held is None:
        yield f"names {lunch.session_id}, which is not a scheduled session"
        return
    if session.kind != "meal":
        yield f"names {session.id}, which is not a meal"
    if lunch.delegate_id not in ctx.attendees.get(session.id, ()):
        yield f"names {held}, which the delegate does not attend"
    if held.date != lunch.date:
        yield f"names {held}, which is on another day"
        return
    if (_minutes(lunch.start), _minutes(lunch.end)) != (held.start, held.end):
        yield f"differs from the time of {held}"
    for problem in _inside_lunch_window(ctx, held.start, held.end):
        yield f"(meal {session.id}) {problem}"


def _break_problems(ctx: _Context, lunch: LunchBreak) -> Iterator[str]:
    """A plain break lies on the grid inside the window, clear of sessions and rides."""
    start, end = _minutes(lunch.start), _minutes(lunch.end)
    if start % ctx.slot or end % ctx.slot:
        yield f"is off the {ctx.slot}-minute grid"
    yield from _inside_lunch_window(ctx, start, end)
    for held in ctx.attended_on(lunch.delegate_id, lunch.date):
        if _overlap(start, end, held.start, held.end):
            yield f"overlaps session {held}"
    for leg in ctx.legs_on(lunch.delegate_id, lunch.date):
        if _overlap(start, end, _minutes(leg.depart), _minutes(leg.arrive)):
            yield f"overlaps the {_leg_text(leg)}"


# -- access needs (kept under rules 4 and 6): needs codes no_walking and step_free ----


ACCESS_CODES = ("no_walking", "step_free")


def _access(delegate: Delegate) -> set[str]:
    """The access codes in ``needs``: items split at ``;``, ``,`` or a line break,
    trimmed and case-folded (read here on purpose: see the module docstring)."""
    text = delegate.needs
    for separator in (",", "\n"):
        text = text.replace(separator, ";")
    return {item.strip().casefold() for item in text.split(";")} & set(ACCESS_CODES)


def _accessible(ctx: _Context, delegate: Delegate, place: str) -> bool:
    """Whether a delegate who needs step-free access may be at the place (the base is)."""
    if place == BASE or "step_free" not in _access(delegate):
        return True
    host = ctx.hosts.get(place)
    return host is None or host.step_free  # an unknown host is rule 0's to report


def _step_free(ctx: _Context) -> Iterator[str]:
    """A delegate who needs step-free access attends sessions only at step-free hosts."""
    for delegate in ctx.visit.delegates:
        for held in ctx.attended.get(delegate.id, ()):
            if not _accessible(ctx, delegate, held.host):
                yield (
                    f"delegate {delegate.id} needs step-free access but attends {held} at "
                    f"{held.host}, which is not step-free"
                )


def _no_walking(ctx: _Context) -> Iterator[str]:
    """A delegate who needs no walking has no walked leg."""
    for delegate in ctx.visit.delegates:
        if "no_walking" not in _access(delegate):
            continue
        for leg in ctx.legs.get(delegate.id, ()):
            if leg.vehicle == WALK:
                walked = _leg_text(leg)
                yield f"delegate {delegate.id} needs no walking but on {leg.date} has a {walked}"


RULES = (
    (0, _structure),
    (1, _sessions_once),
    (2, _session_times),
    (3, _whole_delegation),
    (4, _attendance),
    (5, _chains),
    (6, _ride_times),
    (7, _vehicles),
    (8, _lunch),
)
"""Rule number and check, in the spec's order; each check yields messages."""

NAMED_RULES = (
    (4, "access", _step_free),
    (6, "access", _no_walking),
)
"""Rules the spec's numbering holds beyond its words, with their names: the
delegates' access needs, attending (rule 4) and riding (rule 6)."""
