"""travel(a, b) exactly as the spec's rule 6, for the solver, views and exports."""

from __future__ import annotations

import math
from functools import cached_property

from .model import BASE, Visit

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _ceil6(value: float) -> int:
    return math.ceil(round(value, 6))


class TravelTable:
    """Minutes between places by vehicle and on foot, computed once per visit."""

    def __init__(self, visit: Visit):
        self.visit = visit

    @cached_property
    def _coordinates(self) -> dict[str, tuple[float, float] | None]:
        coords: dict[str, tuple[float, float] | None] = {}
        base = self.visit.base
        coords[BASE] = None if base.lat is None or base.lon is None else (base.lat, base.lon)
        for host in self.visit.hosts:
            coords[host.id] = None if host.lat is None or host.lon is None else (host.lat, host.lon)
        return coords

    @cached_property
    def _given(self) -> dict[tuple[str, str], int]:
        given: dict[tuple[str, str], int] = {}
        for edge in self.visit.travel:
            given[(edge.a, edge.b)] = edge.minutes
            given.setdefault((edge.b, edge.a), edge.minutes)
        return given

    def km(self, a: str, b: str) -> float | None:
        ca, cb = self._coordinates.get(a), self._coordinates.get(b)
        if ca is None or cb is None:
            return None
        return haversine_km(ca[0], ca[1], cb[0], cb[1])

    def vehicle(self, a: str, b: str) -> int:
        """Minimum minutes of a ride by vehicle, buffer included; 0 for a == b."""
        if a == b:
            return 0
        transport = self.visit.transport
        given = self._given.get((a, b))
        if given is not None:
            return given + transport.buffer_minutes
        km = self.km(a, b)
        if km is None:
            raise ValueError(f"no travel time between {a} and {b}: coordinates missing")
        drive = _ceil6(60 * transport.road_factor * km / transport.speed_kmh)
        return drive + transport.buffer_minutes

    def walk(self, a: str, b: str) -> int | None:
        """Minimum minutes on foot, or None when the pair may not be walked."""
        if a == b:
            return 0
        transport = self.visit.transport
        km = self.km(a, b)
        if km is None or km > transport.walk_km:
            return None
        return (
            _ceil6(60 * transport.road_factor * km / transport.walk_kmh) + transport.buffer_minutes
        )
