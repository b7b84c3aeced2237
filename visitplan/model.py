"""The visit as frozen value objects.

Everything the reader accepts ends up here, already validated and resolved:
defaults filled in, days expanded, availability windows merged and clipped.
Ids are the strings from the input; the solver maps them to indices itself.
Times are wall-clock times in the visit's time zone (``Visit.timezone``);
``arrives``/``departs`` are timezone-aware datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

BASE = "base"
"""The place id of the base (the hotel); reserved in hosts.csv."""

KINDS = (
    "presentation",
    "site_visit",
    "workshop",
    "round_table",
    "ceremony",
    "meal",
    "other",
)
AUDIENCES = ("all", "choice")
STATUSES = ("tentative", "confirmed")
CATEGORIES = (
    "flight",
    "accommodation",
    "per_diem",
    "transport",
    "interpreter",
    "venue",
    "insurance",
    "other",
)
BASES = ("per_person", "per_person_day", "per_person_night", "per_day", "lump_sum")
MEALS = ("breakfast", "lunch", "dinner")
"""Meals a session may provide (sessions.csv ``provides``) and a per diem deducts for."""
LANGUAGES = ("lv", "en", "nb")
ACCESS_NEEDS = ("no_walking", "step_free")
"""Codes in a delegate's ``needs`` that the plan keeps as rules, not only prints:
``no_walking`` (never a walked leg) and ``step_free`` (only step-free hosts)."""
DIET_NEEDS = (
    "vegetarian",
    "vegan",
    "gluten_free",
    "lactose_free",
    "nut_allergy",
    "halal",
    "kosher",
)
"""Codes in a delegate's ``needs`` that caterers' counts add up (the kit)."""
NEED_CODES = DIET_NEEDS + ACCESS_NEEDS
"""Every code ``needs`` may carry; any other item is free text, printed as written."""
SIGN_IN = ("session", "day")
"""``[kit] sign_in``: one sign-in sheet per scheduled session, or per day for days
whose sessions are all whole-delegation sessions."""

GOALS = (
    "fairness",
    "interest",
    "optional",
    "vehicle_minutes",
    "rider_minutes",
    "idle_minutes",
)


@dataclass(frozen=True, slots=True)
class Delegate:
    id: str
    name: str
    role: str = ""
    organisation: str = ""
    email: str = ""
    interests: tuple[tuple[str, int], ...] = ()
    """(normalised topic, weight 1..10), sorted by topic."""
    must_attend: tuple[str, ...] = ()
    needs: str = ""
    arrives: datetime | None = None
    departs: datetime | None = None
    travel_out: date | None = None
    travel_home: date | None = None
    phone: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""

    @property
    def access(self) -> frozenset[str]:
        """The codes of ACCESS_NEEDS named in ``needs``; other needs are only printed."""
        return frozenset(code for code in self.need_codes if code in ACCESS_NEEDS)

    @property
    def need_codes(self) -> frozenset[str]:
        """The codes of NEED_CODES named in ``needs`` (see :func:`need_code`)."""
        codes = (need_code(item) for item in need_items(self.needs))
        return frozenset(code for code in codes if code)

    @property
    def other_needs(self) -> tuple[str, ...]:
        """The items of ``needs`` that are no code, as written: printed, never counted."""
        return tuple(item for item in need_items(self.needs) if not need_code(item))

    def weight(self, topic: str) -> int:
        for name, weight in self.interests:
            if name == topic:
                return weight
        return 0


def need_items(needs: str) -> tuple[str, ...]:
    """The items of a ``needs`` text: separated by ``;``, ``,`` or a line break, trimmed."""
    return tuple(item.strip() for item in re.split(r"[;,\n]", needs) if item.strip())


def need_code(item: str) -> str:
    """The code of NEED_CODES an item names, or ``""``.

    Matched after case folding, with a hyphen or space standing for the underscore
    (``Gluten-free`` is ``gluten_free``), as organisers type them."""
    code = re.sub(r"[\s\-_]+", "_", item.strip().casefold())
    return code if code in NEED_CODES else ""


@dataclass(frozen=True, slots=True)
class Host:
    id: str
    name: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    rooms: int = 1
    contact: str = ""
    email: str = ""
    phone: str = ""
    step_free: bool = False
    """hosts.csv ``step_free`` (yes/no, default no): a delegate who needs ``step_free``
    attends only sessions at such hosts (the base always counts as step-free)."""


@dataclass(frozen=True, slots=True)
class Window:
    """A time a host can receive the delegation, merged and clipped to the day's frame."""

    host_id: str
    date: date
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Day:
    """One calendar date between first_day and last_day with its resolved frame."""

    date: date
    day_start: time
    day_end: time
    programme: bool = True


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    title: str
    host_id: str
    minutes: int
    kind: str = "other"
    topics: tuple[str, ...] = ()
    """Normalised topics (trimmed, case-folded, NFC)."""
    audience: str = "choice"
    required: bool = False
    min_size: int = 1
    max_size: int | None = None
    group: str = ""
    after: tuple[str, ...] = ()
    pin_date: date | None = None
    pin_start: time | None = None
    status: str = "tentative"
    description: str = ""
    provides: tuple[str, ...] = ()
    """sessions.csv ``provides``: the MEALS its attendees are given, in MEALS order; each
    is deducted from their per diem that day (visitplan.per_diem)."""
    outcome: str = ""
    """What came of the session (the memorandum signed), for the final report."""

    @property
    def is_all(self) -> bool:
        return self.audience == "all"

    @property
    def must_schedule(self) -> bool:
        """Required or whole-delegation; must_attend adds more (see Visit.must_schedule)."""
        return self.required or self.is_all


@dataclass(frozen=True, slots=True)
class TravelTime:
    """Organiser-given vehicle minutes between two places (host ids or ``base``), both ways."""

    a: str
    b: str
    minutes: int


@dataclass(frozen=True, slots=True)
class Transport:
    speed_kmh: float = 60.0
    road_factor: float = 1.3
    buffer_minutes: int = 10
    vehicles: int | None = None
    seats: int | None = None
    reserved_seats: int = 0
    walk_km: float = 0.0
    walk_kmh: float = 4.5

    @property
    def riders_per_vehicle(self) -> int | None:
        """Delegates one vehicle may carry, or None when seats are not limited."""
        if self.seats is None:
            return None
        return self.seats - self.reserved_seats

    @property
    def numbered(self) -> bool:
        """Whether rides carry vehicle numbers (spec section 2, Legs)."""
        return self.vehicles is not None or self.seats is not None


@dataclass(frozen=True, slots=True)
class Lunch:
    start: time
    end: time
    minutes: int


@dataclass(frozen=True, slots=True)
class Base:
    name: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    phone: str = ""
    breakfast: bool = False
    """``[base] breakfast``: the hotel includes breakfast, deducted from the per diem of
    every day after a night there."""


@dataclass(frozen=True, slots=True)
class Organiser:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Funder:
    """``[funder]``: who pays, as the kit's sign-in sheets and certificates credit them."""

    name: str
    programme: str = ""
    project_number: str = ""
    credit: str = ""
    """The credit line the funder asks for, printed as written."""
    logo: str = ""
    """The logo's file name inside the visit folder, as written."""
    logo_data: bytes = field(default=b"", repr=False)
    """The logo file's bytes (PNG, JPEG or SVG), read with the visit."""

    @property
    def logo_type(self) -> str:
        """The logo's media type, from its file name."""
        suffix = self.logo.rsplit(".", 1)[-1].casefold() if "." in self.logo else ""
        return LOGO_TYPES.get(suffix, "")


@dataclass(frozen=True, slots=True)
class Project:
    """``[project]``: what the visit was for, as the funder's final report says it."""

    title: str = ""
    """The project's title as the funder knows it (default: the visit's title)."""
    applicant: str = ""
    period_from: date | None = None
    period_to: date | None = None
    aims: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    """The planned results, in the organiser's order."""


LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "svg": "image/svg+xml"}
"""The logo files a funder may give, by suffix, with their media type."""


@dataclass(frozen=True, slots=True)
class Kit:
    """``[kit]``: how the field kit is cut."""

    sign_in: str = "session"
    """``session`` or ``day`` (see SIGN_IN)."""


@dataclass(frozen=True, slots=True)
class Budget:
    total: Decimal | None = None
    cofinancing_rate: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ExchangeNote:
    date: date | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class CostLine:
    id: str
    category: str
    basis: str
    amount: Decimal
    currency: str
    description: str = ""
    eligible: bool = True


@dataclass(frozen=True, slots=True)
class PerDiemRate:
    """One row of per_diem.csv: a zone's daily rate from ``valid_from`` on, with the
    share of it deducted for each meal provided (0..1)."""

    zone: str
    valid_from: date
    rate: Decimal
    currency: str
    breakfast: Decimal = Decimal(0)
    lunch: Decimal = Decimal(0)
    dinner: Decimal = Decimal(0)
    note: str = ""

    def share(self, meal: str) -> Decimal:
        """The deduction share of one of MEALS."""
        return {"breakfast": self.breakfast, "lunch": self.lunch, "dinner": self.dinner}[meal]


@dataclass(frozen=True, slots=True)
class Visit:
    id: str
    title: str
    timezone: str
    first_day: date
    last_day: date
    day_start: time
    day_end: time
    base: Base
    short_title: str = ""
    depart: date | None = None
    return_: date | None = None
    slot_minutes: int = 15
    language: str = "en"
    host_language: str = "en"
    currency: str = "EUR"
    organiser: Organiser | None = None
    funder: Funder | None = None
    project: Project | None = None
    kit: Kit = field(default_factory=Kit)
    lunch: Lunch | None = None
    transport: Transport = field(default_factory=Transport)
    budget: Budget | None = None
    exchange: tuple[tuple[str, Decimal], ...] = ()
    exchange_note: ExchangeNote | None = None
    objective_order: tuple[str, ...] = GOALS
    delegates: tuple[Delegate, ...] = ()
    hosts: tuple[Host, ...] = ()
    sessions: tuple[Session, ...] = ()
    days: tuple[Day, ...] = ()
    """Every date first_day..last_day, in order, with its frame."""
    windows: tuple[Window, ...] = ()
    windowed_hosts: frozenset[str] = frozenset()
    """Hosts that gave availability rows: they receive only inside ``windows``."""
    travel: tuple[TravelTime, ...] = ()
    costs: tuple[CostLine, ...] = ()
    per_diem_rates: tuple[PerDiemRate, ...] = ()
    """per_diem.csv's rows of the visit's zone (``[per_diem] zone``, or the file's only
    zone), sorted by valid_from; empty without per_diem.csv."""
    _lookup: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        lookup = {
            "delegate": {d.id: d for d in self.delegates},
            "host": {h.id: h for h in self.hosts},
            "session": {s.id: s for s in self.sessions},
            "day": {d.date: d for d in self.days},
            "must_schedule": frozenset(
                {s.id for s in self.sessions if s.must_schedule}.union(
                    *(d.must_attend for d in self.delegates)
                )
            ),
        }
        object.__setattr__(self, "_lookup", lookup)

    # -- lookups -------------------------------------------------------------
    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    @property
    def depart_day(self) -> date:
        return self.depart or self.first_day

    @property
    def return_day(self) -> date:
        return self.return_ or self.last_day

    def delegate(self, delegate_id: str) -> Delegate:
        return self._lookup["delegate"][delegate_id]

    def host(self, host_id: str) -> Host:
        return self._lookup["host"][host_id]

    def session(self, session_id: str) -> Session:
        return self._lookup["session"][session_id]

    def day(self, on: date) -> Day:
        return self._lookup["day"][on]

    @property
    def programme_days(self) -> tuple[Day, ...]:
        return tuple(day for day in self.days if day.programme)

    def windows_of(self, host_id: str, on: date) -> tuple[Window, ...]:
        """The host's windows on a programme day; the whole frame for unrestricted hosts."""
        day = self.day(on)
        if not day.programme:
            return ()
        if host_id != BASE and host_id in self.windowed_hosts:
            return tuple(w for w in self.windows if w.host_id == host_id and w.date == on)
        return (Window(host_id, on, day.day_start, day.day_end),)

    def rooms_of(self, host_id: str) -> int | None:
        """Sessions the place can hold at once; None for the base (unlimited)."""
        if host_id == BASE:
            return None
        return self.host(host_id).rooms

    def place_name(self, place: str) -> str:
        return self.base.name if place == BASE else self.host(place).name

    def rate(self, currency: str) -> Decimal:
        """Units of the visit currency per unit of ``currency``."""
        if currency == self.currency:
            return Decimal(1)
        return dict(self.exchange)[currency]

    @property
    def must_schedule(self) -> frozenset[str]:
        """Sessions rule 1 requires: required, whole-delegation or in a must_attend list
        (counted once: the model's goals ask for each session)."""
        return self._lookup["must_schedule"]
