"""site/: the programme as static HTML pages, a timeline and a map.

``site/index.html`` shows the whole visit (a day-by-day timeline with one lane
per group of delegates who share that day's programme, a map of the base and
the hosts with the routes, the sessions and rides of each day, the budget),
``site/delegates/<id>.html`` one delegate's days and ``site/hosts/<id>.html``
one host's sessions with their rosters. ``site/booklet.html`` is the printable
booklet that :mod:`visitplan.export.booklet` turns into programme.pdf.
Where the plan folder holds ``evaluation.json`` (``visitplan evaluation --collect``),
``site/evaluation.html`` shows its figures and the index links it.

The pages are self-contained: one local stylesheet (the booklet inlines it),
no scripts on the site's pages, no fonts, images or tiles from anywhere, so
the folder works offline from a USB stick. Every text from the input goes
through Jinja2's autoescaping, and every printed value through
:func:`visitplan.text.clean` (no control characters). Fixed words
and dates are in the visit's ``language`` (``host_language`` on the hosts'
pages), from :mod:`visitplan.export.words` like every other output's.

On a timeline a lane is a group of delegates; items of one lane that share a
moment go to rows of their own, and the whole-delegation sessions, drawn
across the lanes, get a lane of their own when anything else happens during
them. A block is exactly as wide as its time, and lines of text that do not
fit it are cut off at its edge, never squeezed onto each other.

Like every exporter, this one only formats the views: what happens when, who
attends and who rides are worked out in :mod:`visitplan.views`.
"""

from __future__ import annotations

import json
import os
import sys
import webbrowser
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from visitplan.model import BASE, KINDS, Visit
from visitplan.views import DelegateRide, LunchItem, RideItem, SessionItem, Views

from .mapsvg import MapPlace, MapRoute, render_map
from .pages import html_environment
from .words import Words

__all__ = [
    "EVALUATION_JSON",
    "EVALUATION_PAGE",
    "SITE_DIR",
    "Words",
    "ride_key",
    "render_booklet",
    "render_site",
    "plan_files",
    "read_evaluation",
    "show",
    "write",
    "write_pages",
]

SITE_DIR = "site"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = "style.css"
EVALUATION_JSON = "evaluation.json"
"""The evaluation's figures in the plan folder (``visitplan evaluation --collect``)."""
EVALUATION_PAGE = "evaluation.html"


def hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def span(start: time, end: time) -> str:
    return f"{hhmm(start)}–{hhmm(end)}"


def ride_key(ride: RideItem) -> str:
    """The ride's identity on every page: date, from, to, depart, arrive and vehicle."""
    return "|".join(
        (
            ride.date.isoformat(),
            ride.from_,
            ride.to,
            hhmm(ride.depart),
            hhmm(ride.arrive),
            ride.vehicle,
        )
    )


def session_anchor(session: SessionItem) -> str:
    return f"s-{session.session_id}"


# -- the timeline --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """A session or ride placed on a day's time axis, in percent of its width, in a row
    of its lane (a lane has more than one row only where its items overlap in time)."""

    left: float
    width: float
    item: SessionItem | RideItem
    row: int = 0

    @property
    def style(self) -> str:
        return f"left:{self.left:.3f}%;width:{self.width:.3f}%;--row:{self.row}"

    @property
    def is_ride(self) -> bool:
        return isinstance(self.item, RideItem)

    @property
    def start(self) -> int:
        return _minutes(self.item.start)

    @property
    def end(self) -> int:
        return _minutes(self.item.end)


@dataclass(frozen=True, slots=True)
class Lane:
    label: str
    delegates: tuple[str, ...]
    """Names of the delegates in this lane."""
    delegate_ids: tuple[str, ...]
    blocks: tuple[Block, ...]
    rows: int = 1
    whole: bool = False
    """The lane of the whole-delegation sessions, when they cannot be drawn across the others."""


@dataclass(frozen=True, slots=True)
class Tick:
    label: str
    left: float


@dataclass(frozen=True, slots=True)
class Timeline:
    lanes: tuple[Lane, ...]
    spanning: tuple[Block, ...]
    """Whole-delegation sessions, drawn across every lane."""
    ticks: tuple[Tick, ...]
    lunch: tuple[float, float] | None
    """Left and width of the lunch window, in percent."""

    @property
    def rows(self) -> int:
        """The rows of the tracks: what a block drawn across every lane has to fill."""
        return max(sum(lane.rows for lane in self.lanes), 1)

    @property
    def lines(self) -> int:
        """Lines of title that fit in a block drawn across every lane."""
        return min(self.rows, 3)

    @property
    def lunch_style(self) -> str:
        assert self.lunch is not None
        return f"left:{self.lunch[0]:.3f}%;width:{self.lunch[1]:.3f}%"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def build_timeline(views: Views, on: date) -> Timeline:
    """The day's lanes: delegates who share every session and ride that day share a lane."""
    visit = views.visit
    items = views.days.get(on, ())
    try:
        day = visit.day(on)
        frame = (_minutes(day.day_start), _minutes(day.day_end))
    except KeyError:
        frame = (_minutes(visit.day_start), _minutes(visit.day_end))
    starts = [_minutes(i.start) for i in items] + [frame[0]]
    ends = [_minutes(i.end) for i in items] + [frame[1]]
    t0 = min(starts) // 60 * 60
    t1 = -(-max(ends) // 60) * 60
    length = max(t1 - t0, 60)

    def place(item: SessionItem | RideItem) -> Block:
        left = (_minutes(item.start) - t0) / length * 100
        width = (_minutes(item.end) - _minutes(item.start)) / length * 100
        return Block(left, width, item)

    signatures: dict[tuple, list[str]] = defaultdict(list)
    for delegate_id, days in views.delegates.items():
        mine = days.get(on, ())
        signature = []
        for item in mine:
            if isinstance(item, SessionItem) and not item.whole_delegation:
                signature.append(("s", item.session_id))
            elif isinstance(item, DelegateRide):
                signature.append(("r", ride_key(item.ride)))
        if mine and (signature or any(isinstance(i, SessionItem) for i in mine)):
            signatures[tuple(signature)].append(delegate_id)

    sessions = {s.session_id: s for s in items if isinstance(s, SessionItem)}
    rides = {ride_key(r): r for r in items if isinstance(r, RideItem)}

    def first_start(signature: tuple) -> tuple:
        times = [
            _minutes(sessions[k].start) if kind == "s" else _minutes(rides[k].depart)
            for kind, k in signature
        ]
        return (min(times) if times else 24 * 60, -len(signatures[signature]))

    ordered = sorted(signatures, key=lambda s: (*first_start(s), s))
    lanes = []
    for index, signature in enumerate(ordered):
        ids = tuple(sorted(signatures[signature]))
        names = tuple(_delegate_name(visit, i) for i in ids)
        items = [sessions[key] if kind == "s" else rides[key] for kind, key in signature]
        blocks, rows = _in_rows([place(item) for item in items])
        lanes.append(Lane(_lane_label(index), names, ids, blocks, rows))
    spanning = tuple(place(s) for s in sessions.values() if s.whole_delegation)
    in_lanes = [b for lane in lanes for b in lane.blocks]
    if _overlap(spanning, spanning) or _overlap(spanning, in_lanes):
        # drawn across the lanes they would cover another block: a lane of their own
        blocks, rows = _in_rows(list(spanning))
        lanes.insert(0, Lane("", (), (), blocks, rows, whole=True))
        spanning = ()
    ticks = tuple(Tick(f"{m // 60:02d}:00", (m - t0) / length * 100) for m in range(t0, t1 + 1, 60))
    lunch = None
    if visit.lunch is not None and views.days.get(on):
        a, b = _minutes(visit.lunch.start), _minutes(visit.lunch.end)
        lunch = ((a - t0) / length * 100, (b - a) / length * 100)
    return Timeline(tuple(lanes), spanning, ticks, lunch)


def _in_rows(blocks: list[Block]) -> tuple[tuple[Block, ...], int]:
    """The blocks in time order, each in the first row where it overlaps no other block in
    time, and the number of rows used (as few as can be: intervals taken by their start)."""
    ends: list[int] = []
    placed = []
    for block in sorted(blocks, key=lambda b: (b.start, b.end)):
        row = next((r for r, end in enumerate(ends) if end <= block.start), len(ends))
        if row == len(ends):
            ends.append(block.end)
        ends[row] = block.end
        placed.append(replace(block, row=row))
    return tuple(placed), max(len(ends), 1)


def _overlap(these: Sequence[Block], those: Sequence[Block]) -> bool:
    """Whether a block of ``these`` shares a moment with a different block of ``those``."""
    return any(a is not b and a.start < b.end and b.start < a.end for a in these for b in those)


def _lane_label(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index] if index < 26 else f"{letters[index // 26 - 1]}{letters[index % 26]}"


def _delegate_name(visit: Visit, delegate_id: str) -> str:
    try:
        return visit.delegate(delegate_id).name
    except KeyError:
        return delegate_id


# -- maps ----------------------------------------------------------------------------------


def place_numbers(views: Views) -> dict[str, str]:
    """Each host on the map (used by the plan, with coordinates) numbered 1.. by name."""
    used = _used_places(views, views.sessions, views.rides)
    hosts = sorted(
        (p for p in used if p != BASE and _coordinates(views.visit, p) is not None),
        key=lambda p: (_place_name(views, p), p),
    )
    return {host_id: str(n) for n, host_id in enumerate(hosts, 1)}


def _used_places(views: Views, sessions, rides) -> list[str]:
    places = {BASE}
    places.update(s.host_id for s in sessions)
    for ride in rides:
        places.update((ride.from_, ride.to))
    return sorted(places)


def _place_name(views: Views, place: str) -> str:
    try:
        return views.visit.place_name(place)
    except KeyError:
        return place


def _coordinates(visit: Visit, place: str) -> tuple[float, float] | None:
    if place == BASE:
        spot = visit.base
    else:
        try:
            spot = visit.host(place)
        except KeyError:
            return None
    if spot.lat is None or spot.lon is None:
        return None
    return spot.lat, spot.lon


@dataclass(frozen=True, slots=True)
class MapView:
    svg: Markup
    legend: tuple[tuple[str, str, str], ...]
    """(number or ``★``, place id, name) of every place on the map."""
    missing: tuple[str, ...]
    """Names of the places the plan uses that have no coordinates."""


def build_map(
    views: Views,
    sessions,
    rides,
    *,
    words: Words,
    title: str,
    map_id: str = "",
    width: float = 640,
    height: float = 400,
    numbers: dict[str, str] | None = None,
    day_classes: dict[date, str] | None = None,
) -> MapView:
    """A map of the base and the places these sessions and rides use, with the rides' routes."""
    numbers = numbers if numbers is not None else place_numbers(views)
    places, legend, missing = [], [], []
    for place in _used_places(views, sessions, rides):
        name = _place_name(views, place)
        spot = _coordinates(views.visit, place)
        if spot is None:
            missing.append(name)
            continue
        number = numbers.get(place, "")
        places.append(MapPlace(place, name, spot[0], spot[1], place == BASE, number))
        legend.append(("★" if place == BASE else number, place, name))
    legend.sort(key=lambda row: (row[0] != "★", int(row[0]) if row[0].isdigit() else 0, row[1]))
    routes = [
        MapRoute(
            r.from_,
            r.to,
            r.walked,
            r.size,
            (day_classes or {}).get(r.date, ""),
        )
        for r in rides
    ]
    svg = render_map(
        places,
        routes,
        width=width,
        height=height,
        title=title,
        inset_title=words("city_centre"),
        map_id=map_id,
    )
    return MapView(svg, tuple(legend), tuple(missing))


# -- pages ---------------------------------------------------------------------------------


@dataclass(slots=True)
class DayView:
    date: date
    number: int
    heading: str
    anchor: str
    sessions: tuple[SessionItem, ...]
    rides: tuple[RideItem, ...]
    timeline: Timeline | None
    map: MapView | None
    colour: str = ""


@dataclass(slots=True)
class DelegateDay:
    date: date
    heading: str
    items: tuple
    leaves: str = ""
    map: MapView | None = None


@dataclass(slots=True)
class DelegatePage:
    id: str
    name: str
    role: str
    organisation: str
    needs: str
    stay: str
    days: list[DelegateDay] = field(default_factory=list)


DAY_COLOURS = ("#1f5fa8", "#b4451f", "#2f7d32", "#7b3fa0", "#a1126b", "#00707a", "#8a6100")
"""Route colours of the overview map, one per programme day (contrast ≥ 4.5 on white)."""


def _environment() -> Environment:
    env = html_environment(TEMPLATES)
    env.globals.update(hhmm=hhmm, span=span, ride_key=ride_key, anchor=session_anchor)
    return env


def _day_views(views: Views, words: Words, numbers: dict[str, str]) -> list[DayView]:
    days = []
    number = 0
    for on, items in views.days.items():
        sessions = tuple(i for i in items if isinstance(i, SessionItem))
        rides = tuple(i for i in items if isinstance(i, RideItem))
        if items:
            number += 1
        heading = words.day(on)
        day = DayView(
            date=on,
            number=number if items else 0,
            heading=heading,
            anchor=f"d-{on.isoformat()}",
            sessions=sessions,
            rides=rides,
            timeline=build_timeline(views, on) if items else None,
            map=None,
            colour=DAY_COLOURS[(number - 1) % len(DAY_COLOURS)] if items else "",
        )
        if items:
            day.map = build_map(
                views,
                sessions,
                rides,
                words=words,
                title=words("map_of", what=heading),
                width=380,
                height=260,
                numbers=numbers,
            )
        days.append(day)
    return days


def _costs(views: Views, words: Words) -> dict | None:
    visit = views.visit
    if not visit.costs and not visit.per_diem_rates:
        return None
    from visitplan.costs import compute_costs
    from visitplan.per_diem import per_diem_days, planned_stays

    try:  # per diems less the plan's meals, as costs.xlsx counts them
        summary = compute_costs(visit, per_diem_days(visit, planned_stays(visit, views.plan)))
    except (ValueError, KeyError):
        return None
    cur = summary.currency
    rows = [(words.category(c), words.money(a, cur)) for c, a in summary.subtotals]
    totals = [
        (words("total_cost"), words.money(summary.total_cost, cur)),
        (words("eligible"), words.money(summary.eligible, cur)),
        (words("grant_share"), words.money(summary.grant_share, cur)),
        (words("cofinancing"), words.money(summary.cofinancing, cur)),
    ]
    if summary.budget_total is not None and summary.budget_remaining is not None:
        totals.append((words("budget_total"), words.money(summary.budget_total, cur)))
        totals.append((words("remaining"), words.money(summary.budget_remaining, cur)))
    share = float(summary.total_cost / summary.budget_total) * 100 if summary.budget_total else None
    return {
        "rows": rows,
        "totals": totals,
        "used_percent": None if share is None else min(share, 100.0),
        "over": summary.budget_remaining is not None and summary.budget_remaining < 0,
    }


def _decimal(value: object, words: Words) -> str:
    """A mean as the page's language writes it (``4.25``, ``4,25``); a dash for none."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "–"
    text = f"{value:.2f}"
    return text if words.language == "en" else text.replace(".", ",")


def _width(value: object) -> str:
    """A mean's bar, in per cent of the top rating."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "0"
    return f"{max(0.0, min(float(value) / EVALUATION_TOP, 1.0)) * 100:.1f}"


EVALUATION_TOP = 5
"""The top rating of the evaluation's 1..5 scale."""


def _evaluation(views: Views, words: Words, data: Mapping) -> dict:
    """The evaluation page's rows from evaluation.json: the same figures, in words."""
    scheduled = {s.session_id: s for s in views.sessions}
    sessions, titles = [], {}
    for entry in data.get("sessions", ()):
        held = scheduled.get(entry.get("session_id"))
        when = f"{words.short_day(held.date)} {span(held.start, held.end)}" if held else ""
        host = views.hosts.get(entry.get("host_id"))
        titles[entry.get("session_id")] = entry.get("title", "")
        counts = entry.get("counts") or {}
        sessions.append(
            {
                "session_id": entry.get("session_id", ""),
                "when": when,
                "title": entry.get("title", ""),
                "host": host.name if host else entry.get("host_id", ""),
                "responses": entry.get("responses", 0),
                "mean": _decimal(entry.get("mean"), words),
                "width": _width(entry.get("mean")),
                "counts": [counts.get(str(n), 0) for n in range(1, EVALUATION_TOP + 1)],
            }
        )
    hosts = [
        {
            "host_id": entry.get("host_id", ""),
            "name": entry.get("name", ""),
            "responses": entry.get("responses", 0),
            "mean": _decimal(entry.get("mean"), words),
            "width": _width(entry.get("mean")),
        }
        for entry in data.get("hosts", ())
    ]
    questions = [
        {
            "id": entry.get("id", ""),
            "text": entry.get("text", ""),
            "responses": entry.get("responses", 0),
            "mean": _decimal(entry.get("mean"), words),
        }
        for entry in data.get("questions", ())
    ]
    grouped: dict[str, list[str]] = {}
    for entry in data.get("comments", ()):
        session_id = entry.get("session_id")
        about = (
            titles.get(session_id, session_id) if session_id else words("evaluation_whole_visit")
        )
        grouped.setdefault(about, []).append(entry.get("text", ""))
    return {
        "ev": {
            "forms": data.get("forms", 0),
            "responses": data.get("responses", 0),
            "comments": bool(grouped),
        },
        "sessions": sessions,
        "hosts": hosts,
        "questions": questions,
        "comments": list(grouped.items()),
        "scale": range(1, EVALUATION_TOP + 1),
    }


def _local(moment: datetime, visit: Visit, words: Words) -> str:
    """An arrival or departure in the visit's zone, written in the page's language."""
    from zoneinfo import ZoneInfo

    return words.moment(moment.astimezone(ZoneInfo(visit.timezone)))


def _delegate_pages(views: Views, words: Words, numbers: dict[str, str]) -> list[DelegatePage]:
    visit = views.visit
    ids = sorted({d.id for d in visit.delegates} | set(views.delegates))
    pages = []
    for delegate_id in ids:
        try:
            delegate = visit.delegate(delegate_id)
            name, role, organisation, needs = (
                delegate.name,
                delegate.role,
                delegate.organisation,
                delegate.needs,
            )
            stay = " – ".join(
                x
                for x in (
                    f"{words('arrives_on')} {_local(delegate.arrives, visit, words)}"
                    if delegate.arrives
                    else "",
                    f"{words('departs_on')} {_local(delegate.departs, visit, words)}"
                    if delegate.departs
                    else "",
                )
                if x
            )
        except KeyError:
            name, role, organisation, needs, stay = delegate_id, "", "", "", ""
        page = DelegatePage(delegate_id, name, role, organisation, needs, stay)
        for on, items in views.delegates.get(delegate_id, {}).items():
            rides = [i for i in items if isinstance(i, DelegateRide)]
            sessions = [i for i in items if isinstance(i, SessionItem)]
            leaves = ""
            if rides:
                first, last = rides[0].ride, rides[-1].ride
                key = "walks_from" if first.walked else "leaves_at"
                leaves = words(key, place=first.from_name, time=hhmm(first.depart))
                if first.walked is False and first.vehicle:
                    leaves += f" ({words.vehicle(first.vehicle)})"
                leaves += "; " + words("back_at", place=last.to_name, time=hhmm(last.arrive))
            day_map = None
            if sessions or rides:
                day_map = build_map(
                    views,
                    sessions,
                    [r.ride for r in rides],
                    words=words,
                    title=words("map_of", what=words.day(on)),
                    width=340,
                    height=230,
                    numbers=numbers,
                )
            page.days.append(DelegateDay(on, words.day(on), items, leaves, day_map))
        pages.append(page)
    return pages


def _base_context(views: Views, words: Words) -> dict:
    visit = views.visit
    return {
        "visit": visit,
        "w": words,
        "lang": words.language,
        "kinds": KINDS,
        "dates": words.span(visit.first_day, visit.last_day),
        "base_name": visit.base.name,
        "base_address": visit.base.address,
        "isinstance": isinstance,
        "SessionItem": SessionItem,
        "DelegateRide": DelegateRide,
        "LunchItem": LunchItem,
        "RideItem": RideItem,
    }


NAMES_UP_TO = 6
"""The booklet names a delegate's companions in groups up to this size, else counts them."""


def _with_whom(session: SessionItem, delegate_id: str, words: Words, compact: bool) -> str:
    others = [a.name for a in session.attendees if a.delegate_id != delegate_id]
    if session.whole_delegation:
        return f"{words.whole()} ({words.people(session.size)})"
    if not others:
        return ""
    if compact and len(others) > NAMES_UP_TO:
        return words.people(session.size)
    return ", ".join(others)


DOWNLOADS = {
    "programme.pdf": "pdf",
    "programme.xlsx": "workbook",
    "costs.xlsx": "cost_sheet",
    "calendars/programme.ics": "calendar",
    "evaluation.xlsx": "evaluation",
}
"""Files of the plan folder the index offers for download, when they are there,
and the word each is offered by."""


def render_site(
    views: Views,
    beside: frozenset[str] = frozenset(),
    evaluation: Mapping | None = None,
) -> dict[str, str]:
    """Every page of the site: its path relative to ``site/`` to its text.

    ``beside`` holds the paths of the plan folder's files, relative to it: pages
    link only those, so no link leads nowhere (a PDF Chromium failed to print,
    a visit without costs, the hotel, which has no host calendar).  With
    ``evaluation`` (evaluation.json's content) the site gets its evaluation page."""
    env = _environment()
    words = Words(views.visit.language)
    host_words = Words(views.visit.host_language)
    numbers = place_numbers(views)
    days = _day_views(views, words, numbers)
    day_classes = {d.date: f"day-{d.number}" for d in days if d.number}
    overview = build_map(
        views,
        views.sessions,
        views.rides,
        words=words,
        title=words("map_of", what=views.visit.display_title),
        map_id="map",
        width=1000,
        height=420,
        numbers=numbers,
        day_classes=day_classes,
    )
    delegates = _delegate_pages(views, words, numbers)
    base = _base_context(views, words)
    pages: dict[str, str] = {}
    pages[STYLESHEET] = env.get_template("style.css").render(day_colours=DAY_COLOURS, kinds=KINDS)
    pages["index.html"] = env.get_template("index.html").render(
        **base,
        css="style.css",
        root="",
        days=days,
        overview=overview,
        costs=_costs(views, words),
        delegates=delegates,
        hosts=[h for h in views.hosts.values()],
        numbers=numbers,
        n_sessions=len(views.sessions),
        n_rides=len(views.rides),
        n_hosts=sum(1 for h in views.hosts.values() if h.host_id != BASE and h.sessions),
        downloads=[(name, words(key)) for name, key in DOWNLOADS.items() if name in beside],
        evaluation=EVALUATION_PAGE if evaluation is not None else None,
    )
    if evaluation is not None:
        pages[EVALUATION_PAGE] = env.get_template("evaluation.html").render(
            **base,
            css="style.css",
            root="",
            **_evaluation(views, words, evaluation),
            workbook="evaluation.xlsx" if "evaluation.xlsx" in beside else None,
        )
    for page in delegates:
        pages[f"delegates/{page.id}.html"] = env.get_template("delegate.html").render(
            **base,
            css="../style.css",
            root="../",
            page=page,
            with_whom=lambda s, d=page.id: _with_whom(s, d, words, False),
            hosts=views.hosts,
            calendar=_linked(f"calendars/delegates/{page.id}.ics", beside),
        )
    host_base = _base_context(views, host_words)
    for host_id, roster in views.hosts.items():
        pages[f"hosts/{host_id}.html"] = env.get_template("host.html").render(
            **host_base,
            css="../style.css",
            root="../",
            host=roster,
            calendar=_linked(f"calendars/hosts/{host_id}.ics", beside),
        )
    pages["booklet.html"] = _render_booklet(env, views, words, days, delegates, numbers)
    return pages


def _linked(relative: str, beside: frozenset[str]) -> str | None:
    """The link from a page in site/<folder>/ to a file of the plan folder, if it is there."""
    return f"../../{relative}" if relative in beside else None


def render_booklet(views: Views) -> str:
    """booklet.html: cover, one page per day with programme, one page per delegate; CSS inline."""
    env = _environment()
    words = Words(views.visit.language)
    numbers = place_numbers(views)
    days = _day_views(views, words, numbers)
    delegates = _delegate_pages(views, words, numbers)
    return _render_booklet(env, views, words, days, delegates, numbers)


def _render_booklet(env, views, words, days, delegates, numbers) -> str:
    day_classes = {d.date: f"day-{d.number}" for d in days if d.number}
    cover_map = build_map(
        views,
        views.sessions,
        views.rides,
        words=words,
        title=words("map_of", what=views.visit.display_title),
        width=720,
        height=440,
        numbers=numbers,
        day_classes=day_classes,
    )
    booklet_days = []
    for day in days:
        if not day.number:
            continue
        small = build_map(
            views,
            day.sessions,
            day.rides,
            words=words,
            title=words("map_of", what=day.heading),
            width=300,
            height=230,
            numbers=numbers,
        )
        booklet_days.append(replace(day, map=small))
    css = env.get_template("style.css").render(day_colours=DAY_COLOURS, kinds=KINDS)
    whom = {page.id: (lambda s, d=page.id: _with_whom(s, d, words, True)) for page in delegates}
    return env.get_template("booklet.html").render(
        **_base_context(views, words),
        inline_css=Markup(css.replace("</", "<\\/")),
        days=booklet_days,
        delegates=delegates,
        cover_map=cover_map,
        n_sessions=len(views.sessions),
        hosts=views.hosts,
        whom=whom,
    )


def plan_files(folder: str | os.PathLike[str]) -> frozenset[str]:
    """The paths of the files in a plan folder, relative to it: what pages may link."""
    return frozenset(
        path.relative_to(folder).as_posix() for path in Path(folder).rglob("*") if path.is_file()
    )


def read_evaluation(folder: str | os.PathLike[str]) -> dict | None:
    """``folder/evaluation.json``'s content, or None where there is none that can be read
    (an unreadable one is left out of the site, as a missing one is)."""
    try:
        data = json.loads((Path(folder) / EVALUATION_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("schema_version") == 1 else None


def write_pages(pages: Mapping[str, str], root: Path) -> None:
    """Write rendered pages (path relative to ``root`` to text) into ``root``."""
    for relative, text in pages.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write(views: Views, folder: str | os.PathLike[str]) -> Path:
    """Write ``folder/site/`` from the views; returns the path of index.html.

    Written after the plan folder's other files, whose downloads it links; with the
    evaluation page when ``folder`` holds evaluation.json."""
    root = Path(folder) / SITE_DIR
    pages = render_site(views, plan_files(folder), read_evaluation(folder))
    write_pages(pages, root)
    return root / "index.html"


# -- show ------------------------------------------------------------------------------------


def _has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def show(plan_dir: str | os.PathLike[str]) -> int:
    """Open ``PLAN_DIR/site/index.html`` in the default browser, or print its path.

    A machine without a graphical browser (a server, CI) gets the path, so the
    page can be copied or opened elsewhere. Returns the exit status: 0, or 1
    when the plan folder has no site.
    """
    index = Path(plan_dir).resolve() / SITE_DIR / "index.html"
    if not index.is_file():
        print(f"error: {index} does not exist (plan with the site first)", file=sys.stderr)
        return 1
    opened = False
    if _has_display():
        try:
            opened = webbrowser.open(index.as_uri())
        except webbrowser.Error:
            opened = False
    if opened:
        print(f"opened {index}")
    else:
        print(index)
    return 0
