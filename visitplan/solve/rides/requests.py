"""What the rides of a day must do, and the one fitter of a ride into a window.

A request is delegates who must get from one stop to the next inside a time
window (``days`` makes them from a Schedule); the model (``planner``), the
greedy rule (``greedy``) and the timing (``timing``) all take requests and
give ``DayRides``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    """Delegates who must get from ``origin`` to ``dest`` inside [earliest, latest]."""

    origin: str
    dest: str
    earliest: int  # minutes after midnight
    latest: int
    members: tuple[str, ...]
    first_of_day: bool
    last_of_day: bool
    lunch: tuple[int, int, int] | None = None
    """(earliest start, latest end, minutes) of a lunch break to fit beside the ride."""
    on_foot: bool = True
    """False when a member has the access need ``no_walking``: only by vehicle."""


@dataclass
class DayRides:
    legs: list[tuple[str, str, str, int, int, str]] = field(default_factory=list)
    lunches: dict[str, int] = field(default_factory=dict)
    vehicle_minutes: int = 0
    rider_minutes: int = 0


class RideFailure(Exception):
    """No assignment of rides to vehicles exists for a day with this schedule
    (``days``: every such day, when the failures of several are reported at once)."""

    def __init__(self, k: int, status: str, days: tuple[int, ...] | None = None):
        days = days or (k,)
        which = ", ".join(str(d) for d in days)
        super().__init__(
            f"rides of day{'s' if len(days) > 1 else ''} {which} could not be planned ({status})"
        )
        self.k = k
        self.status = status
        self.days = days

    @classmethod
    def of_days(cls, failures: list[RideFailure]) -> RideFailure:
        """One failure for all the days that failed, the first day's status kept."""
        days = tuple(sorted({d for failure in failures for d in failure.days}))
        return cls(failures[0].k, failures[0].status, days)


def group_requests(raw: list[tuple]) -> list[Request]:
    """Delegates with the same stops, window and lunch need become one request."""
    groups: dict[tuple, list[str]] = {}
    for origin, dest, earliest, latest, did, first, last, lunch in raw:
        groups.setdefault((origin, dest, earliest, latest, first, last, lunch), []).append(did)
    return [
        Request(o, d, e, lt, tuple(sorted(m)), first, last, lunch)
        for (o, d, e, lt, first, last, lunch), m in sorted(
            groups.items(), key=lambda kv: repr(kv[0])
        )
    ]


def fit(req: Request, length: int, slot: int) -> tuple[int, int | None] | None:
    """A depart (and lunch start) for one ride of ``length`` inside the request's window.

    The first ride of a day leaves as late as it can, any other as early."""
    departs = list(range(req.earliest, req.latest - length + 1, slot))
    if req.first_of_day:
        departs.reverse()
    for depart in departs:
        if req.lunch is None:
            return depart, None
        lo, hi, minutes = req.lunch
        for start in range(lo, hi - minutes + 1, slot):
            if start + minutes <= depart or depart + length <= start:
                return depart, start
    return None
