"""Generate seeded benchmark visits and time the planner on them.

``python scripts/benchmark.py [--sizes S,M] [--family regular|blocks] [--time-limit 60]
[--reference | --no-reference] [--reference-time-limit S] [--workers 2] [--seed 1] [--out DIR]``

For each size the script writes a visit folder in the format of the spec's
section 1 (into a temporary folder unless ``--out`` is given, then into
``DIR/<size>``), reads it back through ``visitplan.read`` (a generated visit
the reader rejects is a failure of this script, printed in full), solves it,
checks the plan against the rules with ``check_plan`` and prints one row of a
markdown table.  Each size runs in a fresh process of this script, so the
peak memory (``ru_maxrss``) is that size's alone; an exception in one size is
reported in its row and the next size still runs.

With ``--reference`` (the default for ``--family blocks``) the two-stage
reference planner (``scripts/reference_planner``, CP-SAT-built models solved by
HiGHS, one thread) plans the same visit in a process of its own with
``--reference-time-limit`` seconds (default: the ``--time-limit``), and its row
follows visitplan's, the ``planner`` column telling them apart.  Its plan goes
through ``check_plan`` too; its goals are counted on its plan, and a bound in
brackets is the bound given its own timetable (``?``: a goal it did not reach).
A visit outside its premises (a lunch rule, a fleet, ``all`` sessions) reads
``n/a``.

The generator (``generate``) is importable and deterministic: the same size and
seed write byte-identical files.  Sizes:

====  =========  ========  =====  ====
size  delegates  sessions  hosts  days
====  =========  ========  =====  ====
S     20         30        8      5
M     200        150       40     5
L     1000       600       150    10
XL    2000       1500      300    10
====  =========  ========  =====  ====

Structure: hosts spread within about 30 km of the base (a fifth within 1 km,
so legs can be walked), 1-3 rooms; about half of the hosts farther out
receive the delegation only in windows on some days; ten topics; delegates
interested in 2-4 of them with weights 1-10; sessions of 45-120 minutes, one
``all`` session a day at the base or a central host (date pinned), about a
tenth required, a few repeated runs sharing a group; lunch 11:30-13:30 for 45
minutes; ceil(delegates / 8) minibuses of 16 seats with 1 reserved for a guide
(a delegation split over parallel sessions at several hosts travels in small
groups; ``--delegates-per-vehicle 25`` gives the coach-sized fleet of the seed
visits, under which every day runs as one convoy, and ``0`` no fleet limit:
as many minibuses as the rides need); about 5 %
of delegates arrive late.

The block family (``generate_blocks``, ``--family blocks``), the same sizes: every
session is a 90-minute choice session (about 5 % required, 8 % run twice as one
group, none pinned); each day has four blocks 08:30-10:00, 10:30-12:00,
13:00-14:30 and 15:00-16:30 inside a frame of 08:00-17:00; each host opens, per
day, the whole day (08:30-16:30), a morning (08:30-12:00), an afternoon
(13:00-16:30) or not at all (availability.csv), with 1-2 rooms; hosts lie within
7 km of the base, so any ride takes at most 30 minutes with the buffer and a
timetable at block starts can always be ridden; no [lunch], no vehicles or seats
(unlimited transport), ``[objective] order`` with interest first; seats for about
three sessions a delegate a day; about 5 % of delegates arrive late, 3 % leave
early on the last day and 3 % must attend a required session on their topics.
visitplan may start sessions at any slot; the reference only at block starts.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# -- sizes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    name: str
    delegates: int
    sessions: int
    hosts: int
    days: int


SIZES: dict[str, Size] = {
    "S": Size("S", 20, 30, 8, 5),
    "M": Size("M", 200, 150, 40, 5),
    "L": Size("L", 1000, 600, 150, 10),
    "XL": Size("XL", 2000, 1500, 300, 10),
}

# -- the fixed parts of every generated visit -----------------------------------------

FIRST_DAY = date(2027, 9, 6)  # a Monday
DAY_START = 8 * 60 + 30
DAY_END = 17 * 60 + 30
SLOT = 15
BASE_LAT, BASE_LON = 63.4339, 10.4034
EARTH_KM_PER_DEGREE = 6371.0 * math.pi / 180
ROAD_FACTOR = 1.3
SPEED_KMH = 60
SEATS = 16
RESERVED_SEATS = 1
DELEGATES_PER_VEHICLE = 8
WALK_KM = 1.0

TOPICS = (
    "Regional development",
    "Education",
    "SMEs",
    "Tourism",
    "Public transport",
    "Renewable energy",
    "Health care",
    "Culture",
    "Agriculture",
    "Digital services",
)
TOPIC_WEIGHTS = (10, 8, 8, 6, 6, 5, 4, 4, 3, 3)

KINDS = ("presentation", "site_visit", "workshop", "round_table")
KIND_WEIGHTS = (5, 3, 2, 2)
KIND_WORDS = {
    "presentation": "presentation",
    "site_visit": "site visit",
    "workshop": "workshop",
    "round_table": "round table",
}
MINUTES = (45, 60, 75, 90, 105, 120)
MINUTE_WEIGHTS = (2, 5, 2, 4, 1, 2)

MALE_FIRST = (
    "Jānis",
    "Andris",
    "Edgars",
    "Kārlis",
    "Māris",
    "Aivars",
    "Gints",
    "Uldis",
    "Raimonds",
    "Artūrs",
    "Ģirts",
    "Normunds",
    "Valdis",
    "Oskars",
    "Roberts",
)
FEMALE_FIRST = (
    "Līga",
    "Ilze",
    "Inese",
    "Dace",
    "Anita",
    "Kristīne",
    "Sanita",
    "Ieva",
    "Zane",
    "Baiba",
    "Ināra",
    "Agnese",
    "Māra",
    "Daiga",
    "Evija",
)
SURNAMES = (  # (male, female)
    ("Bērziņš", "Bērziņa"),
    ("Kalniņš", "Kalniņa"),
    ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"),
    ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"),
    ("Pētersons", "Pētersone"),
    ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"),
    ("Eglītis", "Eglīte"),
    ("Ābols", "Ābola"),
    ("Šmits", "Šmite"),
    ("Ķēniņš", "Ķēniņa"),
    ("Lācis", "Lāce"),
    ("Žagars", "Žagare"),
)
ROLES = ("politician", "planner", "agency", "entrepreneur", "researcher", "teacher")
ORGANISATIONS = (
    "Latgale Planning Region",
    "Daugavpils City Council",
    "Rēzekne City Council",
    "Ludza Municipality",
    "Krāslava Municipality",
    "Preiļi Municipality",
    "Balvi Municipality",
    "Latgale Special Economic Zone",
    "Daugavpils University",
    "Rēzekne Academy of Technologies",
    "Latvian Investment and Development Agency",
    "Ministry of Smart Administration and Regional Development",
)
NEEDS = ("vegetarian", "gluten-free", "step-free access", "lactose-free", "halal")

PLACES = (
    "Trondheim",
    "Stjørdal",
    "Malvik",
    "Melhus",
    "Skaun",
    "Klæbu",
    "Orkland",
    "Levanger",
    "Frosta",
    "Selbu",
    "Børsa",
    "Hommelvik",
    "Ranheim",
    "Byåsen",
    "Heimdal",
    "Tiller",
    "Lade",
    "Moholt",
    "Leinstrand",
    "Flatåsen",
    "Saupstad",
    "Hell",
    "Lånke",
    "Støren",
)
INSTITUTIONS = (
    "kommune",
    "næringshage",
    "videregående skole",
    "bibliotek",
    "kulturhus",
    "helsehus",
    "energiverk",
    "havn",
    "innovasjonssenter",
    "bondelag",
    "kollektivterminal",
    "reiselivslag",
    "kunnskapspark",
    "folkehøgskole",
    "museum",
)
STREETS = ("gata", "veien", "vegen", "allé", "bakken")

HEADERS = {
    "delegates": (
        "id",
        "name",
        "role",
        "organisation",
        "email",
        "interests",
        "must_attend",
        "needs",
        "arrives",
        "departs",
    ),
    "hosts": ("id", "name", "address", "lat", "lon", "rooms", "contact", "email", "phone"),
    "sessions": (
        "id",
        "title",
        "host_id",
        "minutes",
        "kind",
        "topics",
        "audience",
        "required",
        "min_size",
        "max_size",
        "group",
        "after",
        "date",
        "start",
        "status",
        "description",
    ),
    "availability": ("host_id", "date", "from", "to"),
    "travel": ("from", "to", "minutes"),
}


# -- the generator ---------------------------------------------------------------------


@dataclass
class _Host:
    id: str
    name: str
    lat: float
    lon: float
    km: float
    rooms: int
    central: bool
    windows: dict[int, list[tuple[int, int]]]  # day index -> windows (minutes), empty: none
    capacity: int  # session minutes it can still take (windowed hosts)
    row: list[str]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _grid(rng: random.Random, low: int, high: int) -> int:
    """A random minute on the slot grid in [low, high]."""
    return SLOT * rng.randint(math.ceil(low / SLOT), high // SLOT)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _place(rng: random.Random, km: float) -> tuple[float, float]:
    """A point about ``km`` from the base in a random direction, to 5 decimals (about 1 m)."""
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = km * math.cos(bearing) / EARTH_KM_PER_DEGREE
    dlon = km * math.sin(bearing) / (EARTH_KM_PER_DEGREE * math.cos(math.radians(BASE_LAT)))
    return round(BASE_LAT + dlat, 5), round(BASE_LON + dlon, 5)


def _windows(rng: random.Random, days: int) -> dict[int, list[tuple[int, int]]]:
    """Windows on some days, each long enough for any session and the ride both ways.

    They start no earlier than 09:30 and end by 16:00, so a host 30 km away
    (under an hour's ride with the buffer) can hold a 120-minute session in
    each window and the delegation is back inside the 17:30 frame.
    """
    count = rng.randint(max(1, days * 2 // 5), max(1, days * 4 // 5))
    chosen = sorted(rng.sample(range(days), count))
    windows: dict[int, list[tuple[int, int]]] = {}
    for k in chosen:
        if rng.random() < 0.25:  # a morning and an afternoon
            morning_from = _grid(rng, 9 * 60 + 30, 10 * 60)
            morning_to = _grid(rng, morning_from + 150, 12 * 60 + 30)
            afternoon_from = _grid(rng, morning_to + 30, 13 * 60 + 30)
            windows[k] = [(morning_from, morning_to), (afternoon_from, 16 * 60)]
        else:
            start = _grid(rng, 9 * 60 + 30, 11 * 60 + 30)
            end = min(16 * 60, _grid(rng, start + 180, start + 390))
            windows[k] = [(start, end)]
    return windows


def _host_names(rng: random.Random) -> list[str]:
    names = [f"{place} {kind}" for place in PLACES for kind in INSTITUTIONS]
    rng.shuffle(names)
    return names


def _host_row(
    rng: random.Random, hid: str, name: str, lat: float, lon: float, rooms: int
) -> list[str]:
    """A hosts.csv row: the given place and rooms, an invented address, contact and phone."""
    street = f"{rng.choice(PLACES)}{rng.choice(STREETS)} {rng.randint(1, 120)}"
    address = f"{street}, {7000 + rng.randint(10, 990)} {name.split()[0]}"
    contact = (
        f"{rng.choice(('Kari', 'Ola', 'Ingrid', 'Bjørn', 'Åse', 'Håkon', 'Siri', 'Øystein'))} "
        f"{rng.choice(('Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Lie', 'Dahl', 'Støen', 'Aas'))}"
    )
    email = f"post@{hid}.example.no" if rng.random() < 0.7 else ""
    phone = f"+47 {rng.randint(70, 79)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return [hid, name, address, f"{lat:.5f}", f"{lon:.5f}", str(rooms), contact, email, phone]


def _hosts(rng: random.Random, size: Size) -> list[_Host]:
    n = size.hosts
    near = max(1, n // 5)  # walkable from the base
    central = max(1, n // 10)  # a short ride away
    names = _host_names(rng)
    hosts: list[_Host] = []
    for i in range(n):
        if i < near:
            km, is_central = rng.uniform(0.2, 0.85), True
        elif i < near + central:
            km, is_central = rng.uniform(1.2, 3.0), True
        else:
            km, is_central = 3.0 + 27.0 * rng.random() ** 1.5, False
        lat, lon = _place(rng, km)
        rooms = rng.choice((2, 2, 3)) if is_central else rng.choice((1, 1, 1, 2, 2, 3))
        name = names[i] if i < len(names) else f"{names[i % len(names)]} {i // len(names) + 1}"
        hid = f"h{i + 1:03d}"
        row = _host_row(rng, hid, name, lat, lon, rooms)
        hosts.append(
            _Host(
                id=hid,
                name=name,
                lat=lat,
                lon=lon,
                km=_haversine_km(BASE_LAT, BASE_LON, lat, lon),
                rooms=rooms,
                central=is_central,
                windows={},
                capacity=0,
                row=row,
            )
        )
    # About half of all hosts receive only in windows, chosen among the outer ones.
    outer = [h for h in hosts if not h.central]
    for host in rng.sample(outer, min(len(outer), round(n / 2))):
        host.windows = _windows(rng, size.days)
        minutes = sum(b - a for spans in host.windows.values() for a, b in spans)
        host.capacity = minutes * host.rooms * 2 // 3  # leave slack for rides and ordering
    return hosts


def _drive_minutes(km: float) -> int:
    return math.ceil(round(60 * ROAD_FACTOR * km / SPEED_KMH, 6))


def _pick_host(rng: random.Random, hosts: Sequence[_Host], minutes: int) -> _Host:
    """A host for a choice session: central hosts a little more often; windowed ones while room."""
    while True:
        host = rng.choices(hosts, weights=[3 if h.central else 2 for h in hosts])[0]
        if not host.windows:
            return host
        if host.capacity >= minutes:  # central hosts never have windows: this loop ends
            host.capacity -= minutes
            return host


def _topics(rng: random.Random, count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        topic = rng.choices(TOPICS, weights=TOPIC_WEIGHTS)[0]
        if topic not in chosen:
            chosen.append(topic)
    return chosen


def _sessions(rng: random.Random, size: Size, hosts: list[_Host], days: list[date]) -> list[list]:
    n_all = min(size.days, max(1, size.sessions // 5), size.sessions)
    n_choice = size.sessions - n_all
    central = [h for h in hosts if h.central]
    rows: list[list] = []

    # One `all` session a day on evenly spread days: the welcome at the base on
    # the first day (pinned 09:00), the closing round table at the base on the
    # last, the others at central hosts; each pinned to its date.
    all_days = sorted({round(i * size.days / n_all) for i in range(n_all)})
    for number, k in enumerate(all_days, start=1):
        sid = f"all-{number:02d}"
        when = days[k].isoformat()
        if number == 1:
            row = [sid, "Welcome and programme overview", "base", "60", "ceremony", ""]
            rows.append([*row, "all", "", "", "", "", "", when, "09:00", "", "Sveicināti!"])
            continue
        if number == n_all and n_all > 2:
            row = [sid, "Closing round table", "base", "90", "round_table", "Regional development"]
            rows.append([*row, "all", "", "", "", "", "", when, "", "", ""])
            continue
        host = rng.choice(central)
        topic = _topics(rng, 1)[0]
        minutes = rng.choice((60, 75, 90))
        title = f"{topic} in Trøndelag: plenary at {host.name}"
        row = [sid, title, host.id, str(minutes), "presentation", topic]
        rows.append([*row, "all", "yes", "", "", "", "", when, "", "", ""])

    # Choice sessions: about as many seats a day as 2.5 sessions per delegate.
    per_day = max(1.0, n_choice / size.days)
    typical = size.delegates * 2.5 / per_day
    number = 0
    while number < n_choice:
        number += 1
        sid = f"s{number:04d}"
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        minutes = rng.choices(MINUTES, weights=MINUTE_WEIGHTS)[0]
        topics = _topics(rng, rng.choice((1, 1, 2)))
        host = _pick_host(rng, hosts, minutes)
        min_size = rng.randint(1, max(1, min(5, size.delegates // 4)))
        max_size = round(typical * rng.uniform(0.6, 1.4))
        max_size = min(size.delegates, max(min_size + 2, max_size))
        title = f"{topics[0]}: {KIND_WORDS[kind]} at {host.name}"
        topic_text = "; ".join(topics)
        repeat = n_choice - number >= 1 and rng.random() < 0.08
        if repeat and host.windows:
            repeat = host.capacity >= minutes
        required = not repeat and rng.random() < 0.1
        group = f"g-{sid}" if repeat else ""
        row = [sid, title, host.id, str(minutes), kind, topic_text, "choice"]
        row += ["yes" if required else "", str(min_size), str(max_size), group, "", "", "", ""]
        rows.append([*row, ""])
        if repeat:
            number += 1
            if host.windows:
                host.capacity -= minutes
            again = [f"s{number:04d}", f"{title} (second run)", host.id, str(minutes), kind]
            again += [topic_text, "choice", "", str(min_size), str(max_size), group]
            rows.append([*again, "", "", "", "", ""])
    return rows


def _delegates(rng: random.Random, size: Size, days: list[date]) -> list[list[str]]:
    late = set(rng.sample(range(size.delegates), round(size.delegates * 0.05)))
    rows = []
    for i in range(size.delegates):
        did = f"d{i + 1:04d}"
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.5:
            name = f"{rng.choice(MALE_FIRST)} {surname[0]}"
        else:
            name = f"{rng.choice(FEMALE_FIRST)} {surname[1]}"
        count = rng.randint(2, 4)
        weights = {topic: rng.randint(1, 10) for topic in _topics(rng, count)}
        interests = "; ".join(f"{topic}:{weight}" for topic, weight in weights.items())
        email = f"{did}@example.lv" if rng.random() < 0.7 else ""
        needs = rng.choice(NEEDS) if rng.random() < 0.1 else ""
        arrives = ""
        if i in late:
            day = days[0] if len(days) == 1 or rng.random() < 0.7 else days[1]
            minute = rng.randint(9 * 60, 15 * 60)  # off the grid: a flight lands when it lands
            arrives = f"{day.isoformat()} {_hhmm(minute)}"
        row = [did, name, rng.choice(ROLES), rng.choice(ORGANISATIONS), email, interests]
        rows.append([*row, "", needs, arrives, ""])
    return rows


def _availability(hosts: list[_Host], days: list[date]) -> list[list[str]]:
    return [
        [h.id, days[k].isoformat(), _hhmm(a), _hhmm(b)]
        for h in hosts
        for k, spans in sorted(h.windows.items())
        for a, b in spans
    ]


def _travel(rng: random.Random, hosts: list[_Host]) -> list[list[str]]:
    """Known times for a few outer hosts: a slow road or a ferry, slower than the estimate."""
    outer = [h for h in hosts if not h.central]
    chosen = sorted(
        rng.sample(outer, min(len(outer), max(1, len(hosts) // 20))), key=lambda h: h.id
    )
    return [["base", h.id, str(_drive_minutes(h.km) + rng.randint(5, 15))] for h in chosen]


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _toml_head(
    origin: str, visit_id: str, label: str, short: str, days: list[date], frame: tuple
) -> str:
    """visit.toml's keys and organiser, the same for both families but for the names."""
    return f"""# Generated by scripts/benchmark.py: {origin}.
id = "{visit_id}"
title = "Latgale Planning Region study visit to Trøndelag ({label})"
short_title = "{short}"
timezone = "Europe/Oslo"
first_day = {days[0].isoformat()}
last_day = {days[-1].isoformat()}
depart = {(days[0] - timedelta(days=1)).isoformat()}
return = {(days[-1] + timedelta(days=1)).isoformat()}
day_start = "{_hhmm(frame[0])}"
day_end = "{_hhmm(frame[1])}"
slot_minutes = {SLOT}
language = "lv"
host_language = "en"
currency = "EUR"

[organiser]
name = "Latgales plānošanas reģions"
email = "info@example.lv"

"""


def _toml_base_and_road() -> str:
    """The base and the road, the same for both families; the fleet follows in each."""
    return f"""[base]
name = "Scandic Nidelven"
address = "Havnegata 1-3, 7010 Trondheim"
lat = {BASE_LAT}
lon = {BASE_LON}

[transport]
speed_kmh = {SPEED_KMH}
road_factor = {ROAD_FACTOR}
buffer_minutes = 10
"""


def _visit_toml(size: Size, seed: int, days: list[date], per_vehicle: int) -> str:
    fleet = f"vehicles = {math.ceil(size.delegates / per_vehicle)}\n" if per_vehicle else ""
    head = _toml_head(
        f"size {size.name}, seed {seed}",
        f"benchmark-{size.name.lower()}-{abs(seed)}",
        f"benchmark {size.name}, seed {seed}",
        f"Benchmark {size.name}",
        days,
        (DAY_START, DAY_END),
    )
    lunch = '[lunch]\nfrom = "11:30"\nto = "13:30"\nminutes = 45\n\n'
    return f"""{head}{lunch}{_toml_base_and_road()}{fleet}seats = {SEATS}
reserved_seats = {RESERVED_SEATS}
walk_km = {WALK_KM}
walk_kmh = 4.5
"""


def generate(
    size: Size | str,
    seed: int,
    folder: str | Path,
    delegates_per_vehicle: int = DELEGATES_PER_VEHICLE,
) -> Path:
    """Write a visit folder of ``size`` (a name in SIZES or a Size) into ``folder``.

    The fleet is ceil(delegates / ``delegates_per_vehicle``) vehicles; 0 sets no fleet
    limit (as many vehicles of the same seats as the rides need).

    The folder is created if needed; the six files are overwritten.  The same
    size and seed always write the same bytes.
    """
    if isinstance(size, str):
        size = SIZES[size.upper()]
    if size.sessions < 1 or size.hosts < 1 or size.days < 1 or size.delegates < 1:
        raise ValueError(f"size {size.name}: every count must be at least 1")
    rng = random.Random(f"visitplan-benchmark/{size.name}/{size.delegates}/{size.sessions}/{seed}")
    days = [FIRST_DAY + timedelta(days=k) for k in range(size.days)]
    hosts = _hosts(rng, size)
    sessions = _sessions(rng, size, hosts, days)
    delegates = _delegates(rng, size, days)
    travel = _travel(rng, hosts)
    files = {
        "visit.toml": _visit_toml(size, seed, days, delegates_per_vehicle),
        "delegates.csv": _csv_text(HEADERS["delegates"], delegates),
        "hosts.csv": _csv_text(HEADERS["hosts"], [h.row for h in hosts]),
        "sessions.csv": _csv_text(HEADERS["sessions"], sessions),
        "availability.csv": _csv_text(HEADERS["availability"], _availability(hosts, days)),
        "travel.csv": _csv_text(HEADERS["travel"], travel),
    }
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content.encode("utf-8"))
    return folder


# -- the block family ------------------------------------------------------------------
#
# Sessions in four 90-minute blocks a day, hosts open whole or half days, no lunch
# rule, unlimited transport and interest as the first goal (issue 18).  Every host
# lies within BLOCK_HOST_KM of the base, so any two places are at most 30 minutes
# apart by vehicle (buffer included): a timetable that starts every session at a
# block start can always be ridden, from the base at 08:00, between blocks and back
# by 17:00.

BLOCK_DAY_START = 8 * 60
BLOCK_DAY_END = 17 * 60
BLOCK_MINUTES = 90
BLOCKS = (
    (8 * 60 + 30, 10 * 60),
    (10 * 60 + 30, 12 * 60),
    (13 * 60, 14 * 60 + 30),
    (15 * 60, 16 * 60 + 30),
)
"""(start, end) of the day's blocks in minutes after midnight; the gaps are 30, 60 and 30."""
BLOCK_HOST_KM = 7.0
"""Two hosts at most 14 km apart: ceil(1.3 × 14) + 10 = 29 minutes ≤ the 30-minute gap."""
OPENINGS = {  # name: (weight, windows in minutes)
    "whole": (4, ((BLOCKS[0][0], BLOCKS[3][1]),)),
    "morning": (2, ((BLOCKS[0][0], BLOCKS[1][1]),)),
    "afternoon": (2, ((BLOCKS[2][0], BLOCKS[3][1]),)),
    "closed": (2, ()),
}
SEATS_PER_DELEGATE_DAY = 3.0
"""Seats offered a day per delegate, of the four blocks they could fill."""
BLOCK_OBJECTIVE = (
    "interest",
    "fairness",
    "optional",
    "vehicle_minutes",
    "rider_minutes",
    "idle_minutes",
)


@dataclass
class _BlockHost:
    id: str
    rooms: int
    openings: list[str]  # per day index, a key of OPENINGS
    capacity: int  # sessions it can still take, with a third kept free
    row: list[str]


def _block_hosts(rng: random.Random, size: Size) -> list[_BlockHost]:
    names = _host_names(rng)
    names_a_day = [name for name, (weight, _w) in OPENINGS.items() for _ in range(weight)]
    hosts = []
    for i in range(size.hosts):
        km = (
            rng.uniform(0.2, 1.0)
            if i < max(1, size.hosts // 5)
            else rng.uniform(1.0, BLOCK_HOST_KM)
        )
        lat, lon = _place(rng, km)
        rooms = rng.choice((1, 1, 2))
        name = names[i] if i < len(names) else f"{names[i % len(names)]} {i // len(names) + 1}"
        hid = f"h{i + 1:03d}"
        row = _host_row(rng, hid, name, lat, lon, rooms)
        openings = [rng.choice(names_a_day) for _ in range(size.days)]
        if all(opening == "closed" for opening in openings):
            openings[rng.randrange(size.days)] = "whole"
        blocks = sum(
            sum(1 for a, b in BLOCKS if any(lo <= a and b <= hi for lo, hi in OPENINGS[o][1]))
            for o in openings
        )
        hosts.append(_BlockHost(hid, rooms, openings, blocks * rooms * 2 // 3, row))
    return hosts


def _block_sessions(rng: random.Random, size: Size, hosts: list[_BlockHost]) -> list[list[str]]:
    """Choice sessions of 90 minutes, none pinned; a few required, a few run twice."""
    typical = size.delegates * SEATS_PER_DELEGATE_DAY / max(1.0, size.sessions / size.days)
    rows: list[list[str]] = []

    def pick() -> _BlockHost:
        open_hosts = [h for h in hosts if h.capacity > 0]
        if not open_hosts:
            raise ValueError(f"size {size.name}: more sessions than the hosts can hold")
        host = rng.choice(open_hosts)
        host.capacity -= 1
        return host

    while len(rows) < size.sessions:
        sid = f"s{len(rows) + 1:04d}"
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        topics = _topics(rng, rng.choice((1, 1, 2)))
        host = pick()
        min_size = rng.randint(1, max(1, min(5, size.delegates // 4)))
        max_size = round(typical * rng.uniform(0.6, 1.4))
        max_size = min(size.delegates, max(min_size + 2, max_size))
        repeat = size.sessions - len(rows) >= 2 and host.capacity > 0 and rng.random() < 0.08
        required = not repeat and rng.random() < 0.05
        title = f"{topics[0]}: {KIND_WORDS[kind]} at {host.row[1]}"
        row = [sid, title, host.id, str(BLOCK_MINUTES), kind, "; ".join(topics), "choice"]
        group = f"g-{sid}" if repeat else ""
        rows.append(
            [*row, "yes" if required else "", str(min_size), str(max_size), group] + [""] * 5
        )
        if repeat:
            host.capacity -= 1
            again = [f"s{len(rows) + 1:04d}", f"{title} (second run)", *row[2:]]
            rows.append([*again, "", str(min_size), str(max_size), group] + [""] * 5)
    return rows


def _block_delegates(
    rng: random.Random, size: Size, days: list[date], sessions: list[list[str]]
) -> list[list[str]]:
    """About 5 % arrive late, 3 % leave early on the last day, 3 % must attend a required
    session on their topics (only delegates who stay the whole visit)."""
    late = set(rng.sample(range(size.delegates), round(size.delegates * 0.05)))
    early = set(rng.sample(range(size.delegates), round(size.delegates * 0.03))) - late
    required = [(row[0], row[5].split("; "), int(row[9])) for row in sessions if row[7] == "yes"]
    bound: Counter[str] = Counter()
    rows = []
    for i in range(size.delegates):
        did = f"d{i + 1:04d}"
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.5:
            name = f"{rng.choice(MALE_FIRST)} {surname[0]}"
        else:
            name = f"{rng.choice(FEMALE_FIRST)} {surname[1]}"
        weights = {topic: rng.randint(1, 10) for topic in _topics(rng, rng.randint(2, 4))}
        interests = "; ".join(f"{topic}:{weight}" for topic, weight in weights.items())
        email = f"{did}@example.lv" if rng.random() < 0.7 else ""
        needs = rng.choice(NEEDS) if rng.random() < 0.1 else ""
        arrives = departs = must = ""
        if i in late:
            day = days[0] if len(days) == 1 or rng.random() < 0.7 else days[1]
            arrives = f"{day.isoformat()} {_hhmm(rng.randint(9 * 60, 15 * 60))}"  # off the grid
        elif i in early:
            departs = f"{days[-1].isoformat()} {_hhmm(rng.randint(12 * 60, 16 * 60))}"
        elif rng.random() < 0.03:
            liked = [
                s
                for s, topics, most in required
                if set(topics) & set(weights) and bound[s] < most // 2
            ]
            if liked:
                must = rng.choice(liked)
                bound[must] += 1
        row = [did, name, rng.choice(ROLES), rng.choice(ORGANISATIONS), email, interests]
        rows.append([*row, must, needs, arrives, departs])
    return rows


def _block_availability(hosts: list[_BlockHost], days: list[date]) -> list[list[str]]:
    return [
        [h.id, days[k].isoformat(), _hhmm(a), _hhmm(b)]
        for h in hosts
        for k, opening in enumerate(h.openings)
        for a, b in OPENINGS[opening][1]
    ]


def _block_visit_toml(size: Size, seed: int, days: list[date]) -> str:
    order = ", ".join(f'"{goal}"' for goal in BLOCK_OBJECTIVE)
    head = _toml_head(
        f"block family, size {size.name}, seed {seed}",
        f"benchmark-blocks-{size.name.lower()}-{abs(seed)}",
        f"block benchmark {size.name}, seed {seed}",
        f"Block benchmark {size.name}",
        days,
        (BLOCK_DAY_START, BLOCK_DAY_END),
    )
    return f"""{head}{_toml_base_and_road()}
[objective]
order = [{order}]
"""


def generate_blocks(size: Size | str, seed: int, folder: str | Path) -> Path:
    """Write a block-family visit of ``size`` into ``folder`` (five files, no travel.csv).

    The same size and seed always write the same bytes.
    """
    if isinstance(size, str):
        size = SIZES[size.upper()]
    if size.sessions < 1 or size.hosts < 1 or size.days < 1 or size.delegates < 1:
        raise ValueError(f"size {size.name}: every count must be at least 1")
    rng = random.Random(f"visitplan-blocks/{size.name}/{size.delegates}/{size.sessions}/{seed}")
    days = [FIRST_DAY + timedelta(days=k) for k in range(size.days)]
    hosts = _block_hosts(rng, size)
    sessions = _block_sessions(rng, size, hosts)
    delegates = _block_delegates(rng, size, days, sessions)
    files = {
        "visit.toml": _block_visit_toml(size, seed, days),
        "delegates.csv": _csv_text(HEADERS["delegates"], delegates),
        "hosts.csv": _csv_text(HEADERS["hosts"], [h.row for h in hosts]),
        "sessions.csv": _csv_text(HEADERS["sessions"], sessions),
        "availability.csv": _csv_text(HEADERS["availability"], _block_availability(hosts, days)),
    }
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content.encode("utf-8"))
    return folder


# -- one size, in its own process -------------------------------------------------------

ISSUED = datetime(2027, 1, 1, tzinfo=UTC)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def run_size(size: Size, args: argparse.Namespace, note=None) -> dict:
    """Generate, read, solve and check one size; everything that happens goes in the result.

    ``note(result)``, when given, is called at each stage, so a process killed
    mid-way still tells how far it got.
    """
    note = note or (lambda _result: None)
    result: dict = {
        "size": size.name,
        "delegates": size.delegates,
        "sessions": size.sessions,
        "hosts": size.hosts,
        "days": size.days,
        "planner": _planner(args),
        "status": "ERROR",
    }
    with tempfile.TemporaryDirectory(
        prefix=f"visitplan-bench-{size.name}-", ignore_cleanup_errors=True
    ) as scratch:
        folder = Path(args.out) / size.name if args.out else Path(scratch) / size.name
        started = time.monotonic()
        try:
            _stages(size, args, folder, result, note)
        except (Exception, MemoryError):
            result["error"] = traceback.format_exc()
        finally:
            result.setdefault("seconds", round(time.monotonic() - started, 3))
            result["peak_mb"] = _peak_mb()
            note(result)
    return result


def _stages(size: Size, args: argparse.Namespace, folder: Path, result: dict, note) -> None:
    started = time.monotonic()
    result["stage"] = "generating"
    note(result)
    if _family(args) == "blocks":
        generate_blocks(size, args.seed, folder)
    else:
        generate(size, args.seed, folder, args.delegates_per_vehicle)
    from visitplan.read import read_visit

    result["stage"] = "reading"
    note(result)
    visit, problems = read_visit(folder)
    result["read_seconds"] = round(time.monotonic() - started, 3)
    for problem in problems:
        print(f"{size.name}: {problem}", file=sys.stderr)
    if visit is None:
        result["status"] = "INVALID INPUT"
        result["error"] = "\n".join(str(p) for p in problems if p.is_error)
        result["stage"] = "done"
        return
    result.update(
        delegates=len(visit.delegates),
        sessions=len(visit.sessions),
        hosts=len(visit.hosts),
        days=len(visit.days),
    )
    if args.no_solve:
        result["status"] = "generated"
        result["stage"] = "done"
        return
    if _planner(args) == "reference":
        _reference(visit, args, result, note)
        return
    from visitplan.check import check_plan
    from visitplan.solve import SolveOptions, solve

    options = SolveOptions(
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers,
        progress=args.progress,
    )
    result["stage"] = "solving"
    note(result)
    plan, report = solve(visit, options, ISSUED)
    result.update(
        status=report.status,
        first_plan_seconds=report.first_plan_seconds,
        seconds=report.seconds,
        objective=report.objective,
        bound=report.best_bound,
        gap=report.gap,
        goals=report.goals,
        goal_bounds=report.goal_bounds,
        diagnosis=list(report.diagnosis),
    )
    if plan is not None:
        result["stage"] = "checking"
        note(result)
        violations = check_plan(visit, plan)
        result["check"] = "pass" if not violations else f"{len(violations)} violations"
        result["violations"] = [str(v) for v in violations[:20]]
        result["measured"] = _measured(visit, plan)
    result["stage"] = "done"


def _family(args: argparse.Namespace) -> str:
    return getattr(args, "family", "regular")


def _planner(args: argparse.Namespace) -> str:
    return getattr(args, "planner", "visitplan")


def _reference_package():
    """The reference planner beside this script (scripts/reference_planner)."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import reference_planner

    return reference_planner


def _measured(visit, plan) -> dict | None:
    """Section 4's goals counted on the plan by the reference's own code, so both rows
    are measured alike; None when the reference planner cannot be imported."""
    try:
        return _reference_package().measure(visit, plan)
    except ImportError:
        return None


def _reference(visit, args: argparse.Namespace, result: dict, note) -> None:
    """The two-stage reference planner on the same visit, sessions at block starts."""
    reference = _reference_package()
    result["stage"] = "solving"
    note(result)
    options = reference.ReferenceOptions(time_limit=args.reference_time_limit, seed=args.seed)
    try:
        found = reference.plan_reference(visit, BLOCKS, options)
    except reference.NotApplicable as error:
        result.update(status="n/a", reasons=list(error.reasons), stage="done")
        return
    attendance = found.attendance
    unsettled = [
        g
        for g in ("fairness", "interest", "optional")
        if not (attendance and attendance.proven.get(g))
    ]
    result.update(
        status=found.status,
        first_plan_seconds=found.first_plan_seconds,
        seconds=round(found.seconds, 3),
        objective=found.goals.get("interest"),
        bound=attendance.bounds.get("interest") if attendance else None,
        goals=found.goals,
        goal_bounds=dict(attendance.bounds) if attendance else {},
        unsettled=unsettled,
        timetable_proven=bool(found.timetable and found.timetable.outcome.proven),
    )
    if found.plan is not None:
        violations = found.violations
        result["check"] = "pass" if not violations else f"{len(violations)} violations"
        result["violations"] = [str(v) for v in violations[:20]]
    result["stage"] = "done"


# -- the table ----------------------------------------------------------------------------

COLUMNS = (
    "size",
    "planner",
    "delegates",
    "sessions",
    "hosts",
    "days",
    "status",
    "time to first plan (s)",
    "total seconds",
    "objective",
    "bound",
    "gap",
    "fairness / interest / optional left out (could be)",
    "peak memory (MB)",
    "check",
)


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.{digits}f}"
    return str(int(value))


def _goals(result: dict) -> str:
    """The schedule goals, each with its own bound where it is not proven (``?``: the
    reference stopped before it searched that goal)."""
    goals, bounds = result.get("goals") or {}, result.get("goal_bounds") or {}
    unsettled = result.get("unsettled") or ()
    parts = []
    for name in ("fairness", "interest", "optional"):
        if name not in goals:
            return "-"
        bound = bounds.get(name)
        unproven = bound is not None and bound != goals[name]
        shown = f" ({bound})" if unproven else " (?)" if name in unsettled and bound is None else ""
        parts.append(f"{goals[name]}{shown}")
    return " / ".join(parts)


def _row(result: dict) -> list[str]:
    gap = result.get("gap")
    check = result.get("check", "-")
    if "error" in result and result["status"] not in ("INVALID INPUT", "KILLED", "CRASHED"):
        check = "exception"
    return [
        result["size"],
        result.get("planner", "visitplan"),
        str(result["delegates"]),
        str(result["sessions"]),
        str(result["hosts"]),
        str(result["days"]),
        result["status"],
        _number(result.get("first_plan_seconds")),
        _number(result.get("seconds")),
        _number(result.get("objective"), 0),
        _number(result.get("bound"), 0),
        "-" if gap is None else f"{100 * gap:.2f} %",
        _goals(result),
        _number(result.get("peak_mb")),
        check,
    ]


def table(results: Sequence[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(_row(r)) + " |" for r in results]
    return "\n".join(lines)


def _details(results: Sequence[dict]) -> str:
    """What a row cannot hold: errors, violations, diagnoses."""
    parts = []
    for r in results:
        who = f"{r['size']} {r.get('planner', 'visitplan')}"
        if r.get("error"):
            parts.append(f"### {who}: {r['status']}\n\n```\n{r['error'].rstrip()}\n```")
        if r.get("violations"):
            listed = "\n".join(f"- {v}" for v in r["violations"])
            parts.append(f"### {who}: check found {r['check']} (first 20)\n\n{listed}")
        if r.get("diagnosis"):
            listed = "\n".join(f"- {d}" for d in r["diagnosis"])
            parts.append(f"### {who}: solver diagnosis\n\n{listed}")
        if r.get("reasons"):
            parts.append(f"### {who}: not applicable: {'; '.join(r['reasons'])}")
        measured, goals = r.get("measured"), r.get("goals") or {}
        if measured and any(measured[g] != goals.get(g) for g in measured):
            parts.append(f"### {who}: the plan counts {measured}, the report says {goals}")
    return "\n\n".join(parts)


def _child(
    size: Size, args: argparse.Namespace, timeout: float, planner: str = "visitplan"
) -> dict:
    """Run one size in a fresh interpreter (its own peak memory); a crash or hang is a row too.

    The child writes its result file at every stage; ``os.wait4`` gives the
    child's own peak memory even when it had to be killed.
    """
    with tempfile.TemporaryDirectory(prefix="visitplan-bench-result-") as scratch:
        result_file = Path(scratch) / "result.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--sizes",
            size.name,
            "--time-limit",
            str(args.time_limit),
            "--workers",
            str(args.workers),
            "--seed",
            str(args.seed),
            "--delegates-per-vehicle",
            str(args.delegates_per_vehicle),
            "--memory-limit",
            str(args.memory_limit),
            "--one",
            str(result_file),
        ]
        command += ["--family", args.family, "--planner", planner]
        command += ["--reference-time-limit", str(args.reference_time_limit)]
        if args.out:
            command += ["--out", str(args.out)]
        if args.no_solve:
            command.append("--no-solve")
        if args.progress:
            command.append("--progress")
        started = time.monotonic()
        process = subprocess.Popen(command)
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
                killed = True
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.2)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = round(time.monotonic() - started, 3)
        result = {
            "size": size.name,
            "planner": planner,
            "delegates": size.delegates,
            "sessions": size.sessions,
            "hosts": size.hosts,
            "days": size.days,
            "stage": "starting",
        }
        if result_file.exists():
            result = json.loads(result_file.read_text(encoding="utf-8"))
        if killed:
            result.update(
                status="KILLED",
                seconds=elapsed,
                error=f"killed after {timeout:.0f} s while {result['stage']}",
            )
        elif result.get("stage") not in ("done", None) and "error" not in result:
            result.update(
                status="CRASHED",
                seconds=elapsed,
                error=f"the process ended with code {process.returncode} while "
                f"{result['stage']} (see its output above)",
            )
        if killed or "peak_mb" not in result:
            result["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
        return result


def _default_memory_limit() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 3 // 4 // 2**20
    except (ValueError, OSError):
        return 0


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M", help="comma-separated: S, M, L, XL (default S,M)")
    parser.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds for each visitplan solve"
    )
    parser.add_argument(
        "--family",
        choices=("regular", "blocks"),
        default="regular",
        help="regular: the spec's full rules (lunch, a fleet); blocks: four 90-minute blocks "
        "a day, no lunch, unlimited transport, interest first (default regular)",
    )
    parser.add_argument(
        "--reference",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also run the two-stage reference planner on each visit, in its own process "
        "(default: on for --family blocks; n/a on visits outside its premises)",
    )
    parser.add_argument(
        "--reference-time-limit",
        type=float,
        help="seconds for the reference planner (default: the --time-limit)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="generator and solver seed")
    parser.add_argument("--out", help="write the visit folders into DIR/<size> (kept)")
    parser.add_argument(
        "--delegates-per-vehicle",
        type=int,
        default=DELEGATES_PER_VEHICLE,
        help=f"fleet = ceil(delegates / N) vehicles (default {DELEGATES_PER_VEHICLE}); "
        "0: no fleet limit",
    )
    parser.add_argument(
        "--memory-limit",
        type=int,
        default=_default_memory_limit(),
        help="address-space cap in MB for each size's process (default 3/4 of RAM; 0: none)",
    )
    parser.add_argument("--no-solve", action="store_true", help="only generate and read back")
    parser.add_argument("--progress", action="store_true", help="show the solver's progress")
    parser.add_argument(
        "--timeout",
        type=float,
        help="seconds before a size's process is killed (default 4 x time limit + 300)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one size, write JSON here
    parser.add_argument(  # internal: which planner the --one process runs
        "--planner", choices=("visitplan", "reference"), default="visitplan", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    names = [name.strip().upper() for name in args.sizes.split(",") if name.strip()]
    unknown = [name for name in names if name not in SIZES]
    if unknown or not names:
        parser.error(f"unknown size {', '.join(unknown)}; sizes: {', '.join(SIZES)}")
    if args.delegates_per_vehicle < 0:
        parser.error("--delegates-per-vehicle must be 0 (no fleet limit) or more")
    args.size_list = [SIZES[name] for name in names]
    if args.reference is None:
        args.reference = args.family == "blocks"
    if args.reference_time_limit is None:
        args.reference_time_limit = args.time_limit
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.one:
        if args.memory_limit > 0:
            cap = args.memory_limit * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        target = Path(args.one)

        def note(result: dict) -> None:
            partial = target.with_suffix(".part")
            partial.write_text(json.dumps(result, default=str), encoding="utf-8")
            partial.replace(target)

        note(run_size(args.size_list[0], args, note))
        return 0
    planners = ["visitplan", "reference"] if args.reference and not args.no_solve else ["visitplan"]
    results = []
    for size in args.size_list:
        for planner in planners:
            limit = args.time_limit if planner == "visitplan" else args.reference_time_limit
            timeout = args.timeout or 4 * limit + 300
            print(
                f"-- size {size.name}, {planner}: generate, read, solve, check ...",
                file=sys.stderr,
                flush=True,
            )
            result = _child(size, args, timeout, planner)
            print(
                f"-- size {size.name}, {planner}: {result['status']} {result.get('check', '')}",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
    print(table(results))
    details = _details(results)
    if details:
        print()
        print(details)
    broken = any(
        r["status"] in ("INVALID INPUT", "ERROR", "CRASHED")
        or r.get("error")
        or r.get("violations")
        for r in results
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
