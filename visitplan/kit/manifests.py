"""Vehicle manifests, drivers' sheets and who walks.

Per vehicle and day, each ride in order with its departure and arrival, from and to
with addresses, the riders by name with a tick column, and the seats used and free
(seats − reserved_seats − riders); then a driver's sheet per vehicle and day with the
whole route, the empty drives included (:attr:`visitplan.views.Views.routes`); then the
walked legs per day with who walks.  In the hosts' language: drivers are hired locally.
kit.xlsx's ``Manifests`` sheet has one row per rider per ride, as the Legs sheet has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from visitplan.export.words import Words
from visitplan.model import BASE
from visitplan.views import RideItem, RouteItem, Views

from .common import Table, hhmm, render

NAME = "manifests"
FILE = "manifests.pdf"


@dataclass(frozen=True, slots=True)
class VehicleDay:
    vehicle: str
    date: date
    rides: tuple[RideItem, ...]
    route: tuple[RouteItem, ...]


def language(views: Views) -> str:
    return views.visit.host_language


def vehicle_days(views: Views) -> tuple[VehicleDay, ...]:
    """Rides by vehicle (a number, or ``""`` where the visit numbers none) and date."""
    grouped: dict[tuple[str, date], list[RideItem]] = defaultdict(list)
    for ride in views.rides:
        if not ride.walked:
            grouped[ride.vehicle, ride.date].append(ride)
    order = sorted(grouped, key=lambda k: (k[1], _number(k[0])))
    return tuple(
        VehicleDay(vehicle, on, tuple(grouped[vehicle, on]), views.routes.get((vehicle, on), ()))
        for vehicle, on in order
    )


def walks(views: Views) -> dict[date, tuple[RideItem, ...]]:
    grouped: dict[date, list[RideItem]] = defaultdict(list)
    for ride in views.rides:
        if ride.walked:
            grouped[ride.date].append(ride)
    return {on: tuple(rides) for on, rides in sorted(grouped.items())}


def _number(vehicle: str) -> tuple[int, str]:
    return (int(vehicle), "") if vehicle.isdigit() else (10**9, vehicle)


def address(views: Views, place: str) -> str:
    if place == BASE:
        return views.visit.base.address
    try:
        return views.visit.host(place).address
    except KeyError:
        return ""


def html(views: Views) -> str:
    words = Words(language(views))
    transport = views.visit.transport
    return render(
        "manifests.html",
        views,
        words.language,
        words("manifest"),
        vehicle_days=vehicle_days(views),
        walks=walks(views),
        capacity=transport.riders_per_vehicle,
        seats=transport.seats,
        reserved=transport.reserved_seats,
        address=lambda place: address(views, place),
        is_ride=lambda item: isinstance(item, RideItem),
    )


def table(views: Views) -> Table:
    w = Words(language(views))
    header = (
        w("vehicle"),
        w("date"),
        w("depart"),
        w("arrive"),
        "from",
        w("from"),
        "to",
        w("to"),
        "delegate_id",
        w("name"),
        w("tick"),
    )
    rows: list[tuple[object, ...]] = []
    for ride in views.rides:
        for rider in ride.riders:
            rows.append(
                (
                    ride.vehicle,
                    ride.date.isoformat(),
                    hhmm(ride.depart),
                    hhmm(ride.arrive),
                    ride.from_,
                    ride.from_name,
                    ride.to,
                    ride.to_name,
                    rider.delegate_id,
                    rider.name,
                    "",
                )
            )
    return Table("Manifests", header, rows, (9, 11, 9, 9, 12, 28, 12, 28, 12, 26, 5))
