"""Calendars of a plan (spec section 2): the programme, one per delegate, one per host.

::

    calendars/programme.ics           every scheduled session
    calendars/delegates/<id>.ics      a delegate's sessions, rides and lunch breaks
    calendars/hosts/<id>.ics          a host's sessions, with the attendee list, and the
                                      lunches eaten there, with the count and needs

Why it is built the way it is:

* **Fixed in time.** Every DTSTART/DTEND carries ``TZID=<the visit's zone>``
  and the file holds that VTIMEZONE, written with yearly RRULE observances
  (Outlook shifts zones defined by long RDATE lists by an hour).  The rules
  are derived from zoneinfo's transitions around the visit's years and
  expanded again to prove they give exactly those transitions; a zone whose
  rules cannot be written that way gets one observance per transition.
* **Stable.** A UID is ``<visit id>/<item>/<recipient>@visitplan``: the item
  is a session id, a ride's ``ride:<date>:<from stop>:<to stop>:<n>`` or
  ``lunch:<date>``; the recipient is ``programme``, ``delegate-<id>`` or
  ``host-<id>``.  Never a title, a time or a random number, so the same item
  planned again for the same person keeps its UID.  DTSTAMP is the plan's
  issue time; the same plan gives byte-identical files.
* **Ready for updates.** For a re-plan, ``views.previous_calendars`` holds
  the earlier plan's files: an event keeps its UID and its SEQUENCE while
  what it says (:func:`fingerprint`: time, place, status, title and
  description, so a host's attendee list too) stays, and goes one up when
  it changes.  An event of an earlier file that the new plan no longer
  has stays in that file as ``STATUS:CANCELLED`` with the next SEQUENCE and
  its last summary, times and place (once cancelled it is not raised
  again); a delegate or host no longer in the plan keeps a file holding
  all their events cancelled.  A first issue is all 0.  :func:`calendars`
  also takes ``previous`` (see :func:`read_previous`) to fix SEQUENCE
  numbers without earlier files.

* **Safe text.** Every text goes through :mod:`visitplan.text`: names, titles and
  places on one line (a line break would end a content line in the calendar
  name or a parameter), descriptions with their line breaks escaped, and
  no control character anywhere.

icalendar is used only in this module (architecture.md).
"""

from __future__ import annotations

import calendar as _calendar
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from visitplan.model import BASE, Visit
from visitplan.views import DelegateRide, LunchItem, LunchSitting, SessionItem, Views

from ..text import clean, one_line
from .words import Words, kind_word, ride_word, word

__all__ = [
    "CALENDARS",
    "HASH_PROPERTY",
    "PRODID",
    "CalendarResources",
    "PreviousEvent",
    "caldav_resources",
    "calendars",
    "fingerprint",
    "read_previous",
    "uid",
    "vtimezone",
    "write",
]

CALENDARS = "calendars"
PRODID = "-//visitplan//visitplan//EN"
UID_DOMAIN = "visitplan"
HASH_PROPERTY = "X-VISITPLAN-HASH"
"""Carried by CalDAV objects only: the hash of the object without it and without its DTSTAMP,
to compare with the server (a re-plan's new issue time alone rewrites nothing)."""

SEP = " — "
ARROW = " → "


# -- the public API -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviousEvent:
    """An event as last issued: its SEQUENCE and :func:`fingerprint`."""

    sequence: int
    fingerprint: str


def write(views: Views, folder: str | Path) -> None:
    """Write ``calendars/`` into the plan folder."""
    folder = Path(folder)
    for relative, data in calendars(views).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def calendars(
    views: Views, previous: Mapping[str, PreviousEvent] | None = None
) -> dict[str, bytes]:
    """Every calendar file of the plan, as ``{path relative to the plan folder: bytes}``.

    Parameters
    ----------
    views
        The plan's views; for a re-plan ``views.previous_calendars`` holds the
        earlier plan's calendar files, whose UIDs keep their SEQUENCE or get
        the next one, and whose events gone from the plan stay as cancelled.
    previous
        UID to the event as last issued, for a re-plan: an event whose
        fingerprint (what it says) changed gets the next SEQUENCE.
        Read from ``views.previous_calendars`` when None; given, it wins over
        them.  Missing UIDs: SEQUENCE 0.

    Raises
    ------
    ValueError
        A previous calendar file that is not iCalendar.
    """
    visit = views.visit
    earlier = _read_previous_files(views.previous_calendars)
    known = {u: e.previous for f in earlier.values() for u, e in f.events.items()}
    known.update(previous or {})
    moments = [t for f in earlier.values() for e in f.events.values() for t in (e.start, e.end)]
    zone = _Zone.of(views, moments)
    issued = _utc(views.plan.issued)
    title = visit.display_title
    wanted: dict[str, tuple[str, list[_Event], str]] = {}

    language = visit.language
    wanted[f"{CALENDARS}/programme.ics"] = (
        f"{title}{SEP}{word('programme', language)}",
        [_programme_session(views, s, language) for s in views.sessions],
        "programme",
    )
    for delegate_id, days in views.delegates.items():
        events: list[_Event] = []
        for items in days.values():
            for item in items:
                events.append(_delegate_item(views, delegate_id, item, language))
        wanted[f"{CALENDARS}/delegates/{delegate_id}.ics"] = (
            f"{title}{SEP}{_delegate_name(visit, delegate_id)}",
            events,
            f"delegate-{delegate_id}",
        )
    host_language = visit.host_language
    for host_id, roster in views.hosts.items():
        if host_id == BASE:
            continue  # the hotel is nobody's host: its sessions are in the other calendars
        wanted[f"{CALENDARS}/hosts/{host_id}.ics"] = (
            f"{title}{SEP}{roster.name}",
            [_host_session(views, s, host_language) for s in roster.sessions]
            + [_host_lunch(views, sitting, host_language) for sitting in roster.lunches],
            f"host-{host_id}",
        )
    for relative, before in earlier.items():
        if relative not in wanted:  # a delegate or host no longer in the plan
            wanted[relative] = (before.name, [], "")

    files: dict[str, bytes] = {}
    for relative, (name, events, recipient) in wanted.items():
        before = earlier.get(relative)
        files[relative] = _render(
            name,
            events,
            zone,
            issued,
            recipient,
            visit,
            known,
            before.events if before is not None else {},
        )
    return dict(sorted(files.items()))


def uid(visit_id: str, item: str, recipient: str) -> str:
    """The UID of ``item`` (a session id, a ride item id ...) in ``recipient``'s calendar."""
    return f"{visit_id}/{item}/{recipient}@{UID_DOMAIN}"


def fingerprint(
    start: datetime,
    end: datetime,
    location: str,
    status: str,
    summary: str = "",
    description: str = "",
) -> str:
    """What makes an update worth a new SEQUENCE: whatever the recipient reads of the event.

    The UTC times, the place, the status, the title and the description (which
    holds a host's attendee list and a delegate's companions): a client that
    keeps the copy with the highest SEQUENCE must not keep an outdated list."""
    parts = (_utc_text(start), _utc_text(end), location, status.upper(), summary, description)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


def read_previous(files: Iterable[bytes]) -> dict[str, PreviousEvent]:
    """UID to :class:`PreviousEvent` for every event of earlier calendar files (for a re-plan)."""
    found: dict[str, PreviousEvent] = {}
    for data in files:
        for event in _issued_events(Calendar.from_ical(data)):
            found.setdefault(event.uid, event.previous)
    return found


@dataclass(frozen=True, slots=True)
class CalendarResources:
    """One calendar file cut into CalDAV objects (RFC 4791: one UID each, no METHOD).

    ``objects`` maps a resource name (``<hash of the UID>.ics``) to its bytes;
    ``hashes`` maps it to the value of its ``X-VISITPLAN-HASH`` property, the
    hash of the object without that line and without its DTSTAMP, which a
    server keeps however it re-serialises the object.  An event a re-plan
    leaves as it was keeps its hash, so it is not rewritten for the new
    issue time alone.
    """

    name: str
    objects: Mapping[str, bytes]
    hashes: Mapping[str, str]


def caldav_resources(data: bytes, cancelled: bool = False) -> CalendarResources:
    """Cut a calendar file written by :func:`write` into objects for a CalDAV collection.

    A ``STATUS:CANCELLED`` event is left out unless ``cancelled``: on a
    server an event gone from the plan is deleted, which every client shows.
    """
    source = Calendar.from_ical(data)
    name = str(source.get("X-WR-CALNAME", source.get("NAME", "")))
    zones = list(source.walk("VTIMEZONE"))
    objects: dict[str, bytes] = {}
    hashes: dict[str, str] = {}
    for event in source.walk("VEVENT"):
        if not cancelled and _status(event) == CANCELLED:
            continue
        single = _calendar_shell(method=False)
        for zone in zones:
            single.add_component(zone)
        single.add_component(event)
        lines = single.to_ical().split(b"\r\n")  # DTSTAMP is short: never folded
        digest = hashlib.sha256(
            b"\r\n".join(line for line in lines if not line.startswith(b"DTSTAMP"))
        ).hexdigest()
        event.add(HASH_PROPERTY, digest)
        resource = hashlib.sha256(str(event["UID"]).encode("utf-8")).hexdigest()[:32] + ".ics"
        objects[resource] = single.to_ical()
        hashes[resource] = digest
    return CalendarResources(name, dict(sorted(objects.items())), dict(sorted(hashes.items())))


# -- events -------------------------------------------------------------------------


_SESSION, _RIDE, _LUNCH = 1, 0, 2  # rides before sessions before lunch, as in the views


@dataclass(frozen=True, slots=True)
class _Event:
    item: str
    on: date
    start: time
    end: time
    summary: str
    location: str
    geo: tuple[float, float] | None
    description: str
    categories: tuple[str, ...]
    rank: int


def _programme_session(views: Views, s: SessionItem, language: str) -> _Event:
    lines = [_kind_line(s, language), *_text_lines(s.description)]
    lines += _contact_lines(views, s.host_id, language)
    lines.append(f"{word('group_size', language)}: {s.size}")
    if s.attendees:
        names = ", ".join(a.name for a in s.attendees)
        lines.append(f"{word('attendees', language)}: {names}")
    return _session_event(views, s, lines)


def _host_session(views: Views, s: SessionItem, language: str) -> _Event:
    visit = views.visit
    lines = [f"{word('delegation', language)}: {visit.title}", _kind_line(s, language)]
    lines += _text_lines(s.description)
    lines.append(f"{word('group_size', language)}: {s.size}")
    if s.attendees:
        lines.append(f"{word('attendees', language)}:")
    for a in s.attendees:
        who = ", ".join(part for part in (a.name, a.role, a.organisation) if part)
        needs = "; ".join(_text_lines(a.needs))
        if needs:
            who += f" ({word('needs', language).lower()}: {needs})"
        lines.append(f"- {who}")
    if visit.organiser is not None:
        lines.append(
            f"{word('organiser', language)}: {visit.organiser.name}, {visit.organiser.email}"
        )
    return _session_event(views, s, lines)


def _host_lunch(views: Views, sitting: LunchSitting, language: str) -> _Event:
    """A lunch the host serves: how many eat and their needs counted, never names (a second
    sitting that day gets the item ``lunch:<date>:2``)."""
    words = Words(language)
    count = f"{word('lunch', language)}{SEP}{words.people(sitting.size)}"
    lines = [f"{word('delegation', language)}: {views.visit.title}", count]
    if sitting.needs_counted:
        lines.append(f"{word('needs', language)}: {words.needs_counted(sitting.needs_counted)}")
    return _Event(
        item=f"lunch:{sitting.date.isoformat()}",
        on=sitting.date,
        start=sitting.start,
        end=sitting.end,
        summary=count,
        location=_place(views.visit, sitting.place, sitting.place_name, sitting.address),
        geo=_geo(views.visit, sitting.place),
        description="\n".join(lines),
        categories=("lunch",),
        rank=_LUNCH,
    )


def _delegate_item(
    views: Views, delegate_id: str, item: SessionItem | DelegateRide | LunchItem, language: str
) -> _Event:
    if isinstance(item, SessionItem):
        return _delegate_session(views, delegate_id, item, language)
    if isinstance(item, DelegateRide):
        return _delegate_ride(views, delegate_id, item, language)
    return _delegate_lunch(views, item, language)


def _delegate_session(views: Views, delegate_id: str, s: SessionItem, language: str) -> _Event:
    lines = [_kind_line(s, language), *_text_lines(s.description)]
    lines += _contact_lines(views, s.host_id, language)
    if s.whole_delegation:
        lines.append(word("whole_delegation", language))
    others = [a.name for a in s.attendees if a.delegate_id != delegate_id]
    if others:
        lines.append(f"{word('also_attending', language)}: {', '.join(others)}")
    return _session_event(views, s, lines)


def _delegate_ride(views: Views, delegate_id: str, item: DelegateRide, language: str) -> _Event:
    ride = item.ride
    mode = "walk" if ride.walked else "vehicle"
    lines = [
        f"{word('from', language)}: {_place(views.visit, ride.from_, ride.from_name)}",
        f"{word('to', language)}: {_place(views.visit, ride.to, ride.to_name)}",
    ]
    others = [a.name for a in ride.riders if a.delegate_id != delegate_id]
    if others:
        lines.append(f"{word('together_with', language)}: {', '.join(others)}")
    return _Event(
        item=item.item_id,
        on=ride.date,
        start=ride.depart,
        end=ride.arrive,
        summary=f"{ride_word(ride.vehicle, language)}: {ride.from_name}{ARROW}{ride.to_name}",
        location=_place(views.visit, ride.from_, ride.from_name),
        geo=_geo(views.visit, ride.from_),
        description="\n".join(lines),
        categories=("ride", mode),
        rank=_RIDE,
    )


def _delegate_lunch(views: Views, item: LunchItem, language: str) -> _Event:
    place = _place(views.visit, item.place, item.place_name) if item.place else ""
    summary = word("lunch", language)
    return _Event(
        item=f"lunch:{item.date.isoformat()}",
        on=item.date,
        start=item.start,
        end=item.end,
        summary=f"{summary}{SEP}{item.place_name}" if item.place_name else summary,
        location=place,
        geo=_geo(views.visit, item.place) if item.place else None,
        description="",
        categories=("lunch",),
        rank=_LUNCH,
    )


def _session_event(views: Views, s: SessionItem, lines: list[str]) -> _Event:
    return _Event(
        item=s.session_id,
        on=s.date,
        start=s.start,
        end=s.end,
        summary=s.title,
        location=_place(views.visit, s.host_id, s.host_name, s.address),
        geo=_geo(views.visit, s.host_id),
        description="\n".join(line for line in lines if line),
        categories=(s.session_id, s.kind),
        rank=_SESSION,
    )


def _kind_line(s: SessionItem, language: str) -> str:
    return f"{word('kind', language)}: {kind_word(s.kind, language)}"


def _contact_lines(views: Views, host_id: str, language: str) -> list[str]:
    roster = views.hosts.get(host_id)
    if roster is None:
        return []
    parts = [p for p in (roster.contact, roster.email, roster.phone) if p]
    return [f"{word('contact', language)}: {', '.join(parts)}"] if parts else []


def _text_lines(text: str) -> list[str]:
    return [line.strip().rstrip(";,").rstrip() for line in text.splitlines() if line.strip()]


def _place(visit: Visit, place: str, name: str, address: str | None = None) -> str:
    if address is None:
        address = _address(visit, place)
    return f"{name}, {address}" if address else name


def _address(visit: Visit, place: str) -> str:
    if place == BASE:
        return visit.base.address
    try:
        return visit.host(place).address
    except KeyError:
        return ""


def _geo(visit: Visit, place: str) -> tuple[float, float] | None:
    if place == BASE:
        lat, lon = visit.base.lat, visit.base.lon
    else:
        try:
            host = visit.host(place)
        except KeyError:
            return None
        lat, lon = host.lat, host.lon
    if lat is None or lon is None:
        return None
    return (lat, lon)


def _delegate_name(visit: Visit, delegate_id: str) -> str:
    try:
        return visit.delegate(delegate_id).name
    except KeyError:
        return delegate_id


# -- rendering ------------------------------------------------------------------------


def _calendar_shell(method: bool) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", "PUBLISH")
    return cal


def _render(
    name: str,
    events: list[_Event],
    zone: _Zone,
    issued: datetime,
    recipient: str,
    visit: Visit,
    previous: Mapping[str, PreviousEvent],
    earlier: Mapping[str, _IssuedEvent],
) -> bytes:
    """One calendar file: the plan's ``events``, then every event of the recipient's
    earlier file (``earlier``, by UID) that the plan no longer has, cancelled."""
    cal = _calendar_shell(method=True)
    name = one_line(name)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add_component(zone.component)
    components: list[tuple[tuple, Event]] = []
    seen: dict[str, int] = {}
    ordered = sorted(
        events,
        key=lambda e: (zone.utc(e.on, e.start), zone.utc(e.on, e.end), e.rank, e.item),
    )
    for event in ordered:
        item = event.item
        seen[item] = seen.get(item, 0) + 1
        if seen[item] > 1:  # never expected; keeps UIDs unique whatever the views hold
            item = f"{item}:{seen[item]}"
        event_uid = uid(visit.id, item, recipient)
        key = (zone.utc(event.on, event.start), zone.utc(event.on, event.end), event.rank, item)
        components.append((key, _vevent(event, event_uid, zone, issued, visit, previous)))
    planned = {str(component["UID"]) for _, component in components}
    for event_uid, before in earlier.items():
        if event_uid in planned:
            continue
        key = (before.start, before.end, _GONE, event_uid)
        components.append((key, _cancelled_vevent(before, zone, issued, visit)))
    for _, component in sorted(components, key=lambda pair: pair[0]):
        cal.add_component(component)
    return cal.to_ical()


def _vevent(
    e: _Event,
    event_uid: str,
    zone: _Zone,
    issued: datetime,
    visit: Visit,
    previous: Mapping[str, PreviousEvent],
) -> Event:
    status = CONFIRMED
    e = _safe(e)
    start, end = datetime.combine(e.on, e.start), datetime.combine(e.on, e.end)
    sequence = 0
    before = previous.get(event_uid)
    if before is not None:
        now = fingerprint(
            zone.utc(e.on, e.start),
            zone.utc(e.on, e.end),
            e.location,
            status,
            e.summary,
            e.description,
        )
        sequence = before.sequence if now == before.fingerprint else before.sequence + 1
    event = Event()
    event.add("uid", event_uid)
    event.add("dtstamp", issued)
    event.add("sequence", sequence)
    event.add("dtstart", start, parameters={"TZID": zone.name})
    event.add("dtend", end, parameters={"TZID": zone.name})
    event.add("summary", e.summary)
    if e.location:
        event.add("location", e.location)
    if e.geo is not None:
        event.add("geo", e.geo)
    if e.description:
        event.add("description", e.description)
    event.add("categories", list(e.categories))
    event.add("status", status)
    event.add("transp", "OPAQUE")
    _add_organiser(event, visit)
    return event


def _safe(e: _Event) -> _Event:
    """The event with its texts fit for content lines: the one-line ones on one line, none
    with a control character (icalendar escapes line breaks in TEXT values only)."""
    return replace(
        e,
        summary=one_line(e.summary),
        location=one_line(e.location),
        description=clean(e.description),
        categories=tuple(one_line(c) for c in e.categories),
    )


def _cancelled_vevent(before: _IssuedEvent, zone: _Zone, issued: datetime, visit: Visit) -> Event:
    """An event of the earlier file that the plan no longer has, as last issued but cancelled:
    the next SEQUENCE, unless it was already cancelled then."""
    sequence = before.previous.sequence
    if before.status != CANCELLED:
        sequence += 1
    event = Event()
    event.add("uid", before.uid)
    event.add("dtstamp", issued)
    event.add("sequence", sequence)
    event.add("dtstart", zone.wall(before.start), parameters={"TZID": zone.name})
    event.add("dtend", zone.wall(before.end), parameters={"TZID": zone.name})
    event.add("summary", one_line(before.summary))
    if before.location:
        event.add("location", one_line(before.location))
    if before.geo is not None:
        event.add("geo", before.geo)
    if before.description:
        event.add("description", clean(before.description))
    if before.categories:
        event.add("categories", [one_line(c) for c in before.categories])
    event.add("status", CANCELLED)
    event.add("transp", "TRANSPARENT")
    _add_organiser(event, visit)
    return event


def _add_organiser(event: Event, visit: Visit) -> None:
    if visit.organiser is not None and visit.organiser.email:
        organiser = vCalAddress(f"mailto:{one_line(visit.organiser.email)}")
        if visit.organiser.name:
            organiser.params["CN"] = one_line(visit.organiser.name)
        event.add("organizer", organiser)


# -- the previous plan's files ------------------------------------------------------


CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
_GONE = 3  # cancelled events after the plan's events that start and end with them

_PREVIOUS_FILE = re.compile(rf"{CALENDARS}/(programme|delegates/[^/]+|hosts/[^/]+)\.ics")


@dataclass(frozen=True, slots=True)
class _IssuedEvent:
    """An event as an earlier calendar file holds it."""

    uid: str
    start: datetime
    """UTC."""
    end: datetime
    summary: str
    location: str
    geo: tuple[float, float] | None
    description: str
    categories: tuple[str, ...]
    status: str
    previous: PreviousEvent


@dataclass(frozen=True, slots=True)
class _IssuedFile:
    name: str
    events: Mapping[str, _IssuedEvent]


def _read_previous_files(files: Mapping[str, bytes]) -> dict[str, _IssuedFile]:
    """The earlier plan's programme, delegate and host files, by relative path."""
    found: dict[str, _IssuedFile] = {}
    for relative, data in sorted(files.items()):
        if not _PREVIOUS_FILE.fullmatch(relative):
            continue
        try:
            source = Calendar.from_ical(data)
            events = {}
            for event in _issued_events(source):
                events.setdefault(event.uid, event)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{relative} of the previous plan: not a calendar ({exc})") from exc
        name = str(source.get("X-WR-CALNAME", source.get("NAME", "")))
        found[relative] = _IssuedFile(name or Path(relative).stem, events)
    return found


def _issued_events(source: Calendar) -> list[_IssuedEvent]:
    found = []
    zones = {str(z["TZID"]): z for z in source.walk("VTIMEZONE")}
    for event in source.walk("VEVENT"):
        start = _instant(event, "DTSTART", zones)
        end = _instant(event, "DTEND", zones) if "DTEND" in event else start
        location = str(event.get("LOCATION", ""))
        status = _status(event)
        geo = event.get("GEO")
        categories: list[str] = []
        raw = event.get("CATEGORIES")
        for value in raw if isinstance(raw, list) else [raw] if raw is not None else []:
            categories += [str(c) for c in value.cats]
        found.append(
            _IssuedEvent(
                uid=str(event["UID"]),
                start=start,
                end=end,
                summary=str(event.get("SUMMARY", "")),
                location=location,
                geo=(float(geo.latitude), float(geo.longitude)) if geo is not None else None,
                description=str(event.get("DESCRIPTION", "")),
                categories=tuple(categories),
                status=status,
                previous=PreviousEvent(
                    int(event.get("SEQUENCE", 0)),
                    fingerprint(
                        start,
                        end,
                        location,
                        status,
                        str(event.get("SUMMARY", "")),
                        str(event.get("DESCRIPTION", "")),
                    ),
                ),
            )
        )
    return found


def _instant(event: Event, name: str, zones: Mapping[str, Timezone]) -> datetime:
    """A DTSTART/DTEND in UTC; a TZID that zoneinfo lacks is read through the file's zone."""
    prop = event[name]
    value = prop.dt
    if not isinstance(value, datetime):  # a whole day: its start in UTC
        value = datetime.combine(value, time(0))
    tzid = prop.params.get("TZID")
    if tzid is not None and (value.tzinfo is None or not isinstance(value.tzinfo, ZoneInfo)):
        try:
            value = value.replace(tzinfo=ZoneInfo(str(tzid)))
        except (KeyError, ValueError):
            if str(tzid) in zones:
                value = value.replace(tzinfo=zones[str(tzid)].to_tz(lookup_tzid=False))
    return _utc(value)


def _status(event: Event) -> str:
    return str(event.get("STATUS", CONFIRMED)).upper()


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _utc_text(moment: datetime) -> str:
    return _utc(moment).strftime("%Y%m%dT%H%M%SZ")


# -- the time zone --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Zone:
    name: str
    info: ZoneInfo
    component: Timezone

    @classmethod
    def of(cls, views: Views, moments: Iterable[datetime] = ()) -> _Zone:
        """The visit's zone, exact through the visit's years and those of ``moments``."""
        visit = views.visit
        dates = [visit.first_day, visit.last_day, visit.depart_day, visit.return_day]
        dates += list(views.days)
        dates += [moment.astimezone(ZoneInfo(visit.timezone)).date() for moment in moments]
        return cls(
            visit.timezone,
            ZoneInfo(visit.timezone),
            vtimezone(visit.timezone, min(dates).year, max(dates).year),
        )

    def utc(self, on: date, at: time) -> datetime:
        """The instant of a wall-clock time; an ambiguous one is its first occurrence."""
        return datetime.combine(on, at, tzinfo=self.info).astimezone(UTC)

    def wall(self, moment: datetime) -> datetime:
        """The zone's wall-clock time (without tzinfo) of a UTC instant."""
        return moment.astimezone(self.info).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class _Transition:
    at: datetime
    """The first UTC second of the new offset."""
    offset_from: timedelta
    offset_to: timedelta
    name: str
    dst: bool

    @property
    def onset(self) -> datetime:
        """The wall-clock time of the change, read in the offset before it (RFC 5545)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class _Observance:
    dst: bool
    start: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rule: tuple[int, int, int] | None = None
    """(month, position of the weekday in the month: 1..5 or -1, weekday 0 = Monday)."""


def vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of an IANA zone, exact for ``first_year``..``last_year``.

    Yearly RRULE observances when the zone's transitions around those years
    follow fixed rules (checked by expanding them again), else one
    observance per transition; a zone without transitions gets one STANDARD.
    """
    component = Timezone()
    component.add("tzid", name)
    for o in _observances(name, first_year, last_year):
        part = TimezoneDaylight() if o.dst else TimezoneStandard()
        part.add("dtstart", o.start)
        part.add("tzoffsetfrom", o.offset_from)
        part.add("tzoffsetto", o.offset_to)
        if o.rule is not None:
            month, position, weekday = o.rule
            part.add(
                "rrule",
                {"freq": "yearly", "bymonth": month, "byday": f"{position}{_DAYS[weekday]}"},
            )
        part.add("tzname", o.name)
        component.add_component(part)
    return component


_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


EARLIEST = 1970
"""Rules are written as holding since the earliest year from here on for which they are true."""


@lru_cache(maxsize=32)
def _observances(name: str, first_year: int, last_year: int) -> tuple[_Observance, ...]:
    """The observances of ``name``, exact from a year before ``first_year`` through a year after
    ``last_year``, and as far back as they stay true (down to 1970), so that a reader which
    keeps the first definition it saw of a TZID still gets other years right."""
    zone = ZoneInfo(name)
    since = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 2, 1, 1, tzinfo=UTC)
    history = _transitions(zone, datetime(EARLIEST, 1, 1, tzinfo=UTC), end)
    recent = [t for t in history if t.at >= since]
    if not recent:
        before = [t for t in history if t.at < since]
        offset, tzname, dst = _state(zone, since)
        onset = before[-1].at if before else datetime(EARLIEST, 1, 1, tzinfo=UTC)
        return (_Observance(dst, (onset + offset).replace(tzinfo=None), offset, offset, tzname),)
    rules = _yearly_rules(recent, last_year + 1)
    if rules is not None:
        year = _rules_hold_since(rules, history, first_year - 1)
        return tuple(sorted((_restarted(o, year) for o in rules), key=lambda o: (o.start, o.dst)))
    offset, tzname, dst = _state(zone, since)
    first = _Observance(dst, (since + offset).replace(tzinfo=None), offset, offset, tzname)
    return (first,) + tuple(
        _Observance(t.dst, t.onset, t.offset_from, t.offset_to, t.name) for t in recent
    )


def _state(zone: ZoneInfo, moment: datetime) -> tuple[timedelta, str, bool]:
    local = moment.astimezone(zone)
    return local.utcoffset() or timedelta(0), local.tzname() or "", bool(local.dst())


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[_Transition]:
    """Every change of offset, name or DST flag in [start, end), to the second."""
    found = []
    step = timedelta(days=1)
    moment, state = start, _state(zone, start)
    while moment < end:
        following = min(moment + step, end)
        if _state(zone, following) == state:
            moment = following
            continue
        low, high = int(moment.timestamp()), int(following.timestamp())
        while high - low > 1:
            middle = (low + high) // 2
            if _state(zone, datetime.fromtimestamp(middle, UTC)) == state:
                low = middle
            else:
                high = middle
        moment = datetime.fromtimestamp(high, UTC)
        after = _state(zone, moment)
        found.append(_Transition(moment, state[0], after[0], after[1], after[2]))
        state = after
    return found


def _yearly_rules(transitions: list[_Transition], last_year: int) -> tuple[_Observance, ...] | None:
    """Yearly ``BYMONTH``/``BYDAY`` rules that give exactly ``transitions``, or None."""
    if not transitions:
        return None
    groups: dict[tuple, list[_Transition]] = {}
    for t in transitions:
        onset = t.onset
        key = (
            t.dst,
            t.offset_from,
            t.offset_to,
            t.name,
            onset.month,
            onset.time(),
            onset.weekday(),
        )
        groups.setdefault(key, []).append(t)
    observances = []
    for (dst, offset_from, offset_to, name, month, _, weekday), members in groups.items():
        position = _position([t.onset.date() for t in members])
        if position is None:
            return None
        first = members[0]
        observances.append(
            _Observance(dst, first.onset, offset_from, offset_to, name, (month, position, weekday))
        )
    expanded = sorted(
        (at, o.offset_to, o.name, o.dst) for o in observances for at in _expand(o, last_year)
    )
    wanted = sorted((t.at, t.offset_to, t.name, t.dst) for t in transitions)
    if expanded != wanted:
        return None
    return tuple(sorted(observances, key=lambda o: o.start))


def _position(days: list[date]) -> int | None:
    """The one weekday position (-1 = last, else 1..5) that all ``days`` have in their month."""
    if all(d.day + 7 > _calendar.monthrange(d.year, d.month)[1] for d in days):
        return -1
    nths = {(d.day - 1) // 7 + 1 for d in days}
    return nths.pop() if len(nths) == 1 else None


def _onset(o: _Observance, year: int) -> datetime | None:
    """The wall-clock onset an RRULE observance gives in ``year`` (None: no such day)."""
    assert o.rule is not None
    month, position, weekday = o.rule
    last_day = _calendar.monthrange(year, month)[1]
    days = [n for n in range(1, last_day + 1) if date(year, month, n).weekday() == weekday]
    if position > len(days):
        return None  # no fifth such weekday this year: the rule skips it
    day = days[position if position < 0 else position - 1]
    return datetime.combine(date(year, month, day), o.start.time())


def _instants(o: _Observance, years: range) -> list[datetime]:
    """The UTC instants an RRULE observance gives in ``years``, from its DTSTART on."""
    found = []
    for year in years:
        onset = _onset(o, year)
        if onset is not None and onset >= o.start:
            found.append((onset - o.offset_from).replace(tzinfo=UTC))
    return found


def _expand(o: _Observance, last_year: int) -> list[datetime]:
    """The UTC instants an RRULE observance gives from its DTSTART through ``last_year``."""
    return _instants(o, range(o.start.year, last_year + 1))


def _rules_hold_since(
    rules: tuple[_Observance, ...], history: list[_Transition], checked_from: int
) -> int:
    """The earliest year (>= 1970) from which ``rules`` give exactly the zone's transitions."""
    by_year: dict[int, list[tuple]] = {}
    for t in history:
        by_year.setdefault(t.at.year, []).append((t.at, t.offset_to, t.name, t.dst))
    unbounded = [
        replace(o, start=datetime.combine(date(EARLIEST, 1, 1), o.start.time())) for o in rules
    ]
    year = checked_from
    while year - 1 >= EARLIEST:
        candidate = year - 1
        expected = sorted(
            (at, o.offset_to, o.name, o.dst)
            for o in unbounded
            for at in _instants(o, range(candidate - 1, candidate + 2))
            if at.year == candidate
        )
        if expected != sorted(by_year.get(candidate, [])):
            break
        year = candidate
    return year


def _restarted(o: _Observance, year: int) -> _Observance:
    """The observance with its DTSTART moved to its onset in ``year``."""
    onset = _onset(o, year)
    if onset is None or onset > o.start:
        return o
    return replace(o, start=onset)
