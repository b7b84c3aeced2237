"""The solver-free result of planning, and its plan.json form.

A Plan says when each scheduled session happens, who attends it, every
delegate's rides and lunch breaks, and how the solve went.  It holds ids,
dates and wall-clock times only, so ``check``, the views and the exporters
can read it without knowing anything about the solver.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from .timegrid import minute_of

SCHEMA_VERSION = 1

STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "TIMEOUT", "INVALID")


@dataclass(frozen=True, slots=True)
class ScheduledSession:
    session_id: str
    host_id: str
    date: date
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Assignment:
    """One delegate attending one scheduled session (a row of the Assignments sheet)."""

    delegate_id: str
    session_id: str
    host_id: str
    date: date
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Leg:
    """One delegate on one ride (a row of the Legs sheet).

    ``vehicle`` is ``"1"``..``"N"``, ``"walk"``, or ``""`` when the visit
    numbers no vehicles.
    """

    delegate_id: str
    from_: str
    to: str
    date: date
    depart: time
    arrive: time
    vehicle: str = ""


@dataclass(frozen=True, slots=True)
class LunchBreak:
    """A delegate's lunch break; ``session_id`` names the meal session that is the break."""

    delegate_id: str
    date: date
    start: time
    end: time
    place: str
    session_id: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """What a re-plan changed for one person: one row of changes.xlsx.

    ``who`` is ``delegate`` or ``host``; ``item`` a session id or ``rides``;
    ``why`` one of ``removed``, ``moved``, ``new``, ``changed``, with ``reason``
    in words."""

    who: str
    id: str
    name: str
    item: str
    was: str
    now: str
    why: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SolveReport:
    status: str
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    first_plan_seconds: float | None = None
    seed: int = 0
    workers: int = 1
    parameters: dict[str, Any] = field(default_factory=dict)
    ortools_version: str = ""
    goals: dict[str, int] = field(default_factory=dict)
    goal_bounds: dict[str, int] = field(default_factory=dict)
    """The best each schedule goal could be, given the goals before it as found:
    the weighted ``gap`` hides a later goal's gap behind the first goal's weight."""
    diagnosis: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    visit_id: str
    timezone: str
    issued: datetime
    sessions: tuple[ScheduledSession, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    legs: tuple[Leg, ...] = ()
    lunches: tuple[LunchBreak, ...] = ()
    report: SolveReport = field(default_factory=lambda: SolveReport("FEASIBLE"))
    changes: tuple[Change, ...] = ()
    """For a re-plan: what changed against the previous plan, per person."""

    def sorted(self) -> Plan:
        """The same plan with every list in its canonical order (for stable files)."""
        return Plan(
            visit_id=self.visit_id,
            timezone=self.timezone,
            issued=self.issued,
            sessions=tuple(sorted(self.sessions, key=lambda s: (s.date, s.start, s.session_id))),
            assignments=tuple(
                sorted(
                    self.assignments, key=lambda a: (a.delegate_id, a.date, a.start, a.session_id)
                )
            ),
            legs=tuple(
                sorted(
                    self.legs,
                    key=lambda g: (
                        g.delegate_id,
                        g.date,
                        g.depart,
                        g.arrive,
                        g.from_,
                        g.to,
                        g.vehicle,
                    ),
                )
            ),
            lunches=tuple(sorted(self.lunches, key=lambda b: (b.delegate_id, b.date, b.start))),
            report=self.report,
            changes=tuple(sorted(self.changes, key=lambda c: (c.who, c.id, c.item, c.why))),
        )


# -- plan.json --------------------------------------------------------------------


def _t(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _issued(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    plan = plan.sorted()
    report = plan.report
    return {
        "schema_version": SCHEMA_VERSION,
        "visit_id": plan.visit_id,
        "timezone": plan.timezone,
        "issued": _issued(plan.issued),
        "sessions": [
            {
                "session_id": s.session_id,
                "host_id": s.host_id,
                "date": s.date.isoformat(),
                "start": _t(s.start),
                "end": _t(s.end),
            }
            for s in plan.sessions
        ],
        "assignments": [
            {
                "delegate_id": a.delegate_id,
                "session_id": a.session_id,
                "host_id": a.host_id,
                "date": a.date.isoformat(),
                "start": _t(a.start),
                "end": _t(a.end),
            }
            for a in plan.assignments
        ],
        "legs": [
            {
                "delegate_id": g.delegate_id,
                "from": g.from_,
                "to": g.to,
                "date": g.date.isoformat(),
                "depart": _t(g.depart),
                "arrive": _t(g.arrive),
                "vehicle": g.vehicle,
            }
            for g in plan.legs
        ],
        "lunches": [
            {
                "delegate_id": b.delegate_id,
                "date": b.date.isoformat(),
                "start": _t(b.start),
                "end": _t(b.end),
                "place": b.place,
                "session_id": b.session_id,
            }
            for b in plan.lunches
        ],
        "changes": [
            {
                "who": c.who,
                "id": c.id,
                "name": c.name,
                "item": c.item,
                "was": c.was,
                "now": c.now,
                "why": c.why,
                "reason": c.reason,
            }
            for c in plan.changes
        ],
        "report": {
            "status": report.status,
            "objective": report.objective,
            "best_bound": report.best_bound,
            "gap": report.gap,
            "seconds": report.seconds,
            "first_plan_seconds": report.first_plan_seconds,
            "seed": report.seed,
            "workers": report.workers,
            "parameters": report.parameters,
            "ortools_version": report.ortools_version,
            "goals": report.goals,
            "goal_bounds": report.goal_bounds,
            "diagnosis": list(report.diagnosis),
        },
    }


class PlanFormatError(ValueError):
    """There is no plan this version can read at the path given: no plan folder, no
    plan.json in it, or a plan.json that is truncated, not JSON or not a plan.  The
    message is one line an organiser can act on."""


def plan_from_dict(data: dict[str, Any]) -> Plan:
    try:
        version = data["schema_version"]
        if version != SCHEMA_VERSION:
            raise PlanFormatError(
                f"its schema_version is {version!r}, this version reads {SCHEMA_VERSION}"
            )
        r = data.get("report", {})
        report = SolveReport(
            status=r.get("status", "FEASIBLE"),
            objective=r.get("objective"),
            best_bound=r.get("best_bound"),
            gap=r.get("gap"),
            seconds=r.get("seconds", 0.0),
            first_plan_seconds=r.get("first_plan_seconds"),
            seed=r.get("seed", 0),
            workers=r.get("workers", 1),
            parameters=dict(r.get("parameters", {})),
            ortools_version=r.get("ortools_version", ""),
            goals=dict(r.get("goals", {})),
            goal_bounds=dict(r.get("goal_bounds", {})),
            diagnosis=tuple(r.get("diagnosis", ())),
        )
        return Plan(
            visit_id=data["visit_id"],
            timezone=data["timezone"],
            issued=datetime.strptime(data["issued"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
            sessions=tuple(
                ScheduledSession(
                    s["session_id"], s["host_id"], _d(s["date"]), _tm(s["start"]), _tm(s["end"])
                )
                for s in data["sessions"]
            ),
            assignments=tuple(
                Assignment(
                    a["delegate_id"],
                    a["session_id"],
                    a["host_id"],
                    _d(a["date"]),
                    _tm(a["start"]),
                    _tm(a["end"]),
                )
                for a in data["assignments"]
            ),
            legs=tuple(
                Leg(
                    g["delegate_id"],
                    g["from"],
                    g["to"],
                    _d(g["date"]),
                    _tm(g["depart"]),
                    _tm(g["arrive"]),
                    str(g.get("vehicle", "")),
                )
                for g in data["legs"]
            ),
            lunches=tuple(
                LunchBreak(
                    b["delegate_id"],
                    _d(b["date"]),
                    _tm(b["start"]),
                    _tm(b["end"]),
                    b.get("place", ""),
                    b.get("session_id", ""),
                )
                for b in data.get("lunches", [])
            ),
            report=report,
            changes=tuple(
                Change(
                    c["who"],
                    c["id"],
                    c["name"],
                    c["item"],
                    c["was"],
                    c["now"],
                    c["why"],
                    c.get("reason", ""),
                )
                for c in data.get("changes", [])
            ),
        )
    except PlanFormatError:
        raise
    except KeyError as error:
        raise PlanFormatError(f"it lacks {error.args[0]!r}") from error
    except (AttributeError, TypeError, ValueError) as error:
        reason = str(error)
        reason = reason if len(reason) <= 80 else reason[:79] + "…"
        raise PlanFormatError(f"it holds a value this version cannot read ({reason})") from error


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _tm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def dumps(plan: Plan, **extra: Any) -> str:
    """plan.json's text: the plan, then ``extra`` keys beside it (the names a plan
    folder keeps, ``export.plan_json``)."""
    data = {**plan_to_dict(plan), **extra}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def load_plan(folder: str | Path) -> Plan:
    """Read ``plan.json`` from a plan folder (or the file itself).

    Raises ``PlanFormatError``, worded for an organiser, whatever is wrong: a
    missing folder, a folder without plan.json, a file that cannot be read, or
    one that is truncated or not a plan."""
    given = Path(folder)
    path = given / "plan.json" if given.is_dir() else given
    if not given.exists():
        raise PlanFormatError(f"no plan folder at {given}")
    if given.is_dir() and not path.exists():
        raise PlanFormatError(f"{given} holds no plan.json: not a plan folder")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PlanFormatError(f"{path} is not a plan.json: not UTF-8 text") from error
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PlanFormatError(f"cannot read {path}: {reason.lower()}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFormatError(
            f"{path} is not a plan.json: truncated or not JSON "
            f"(line {error.lineno} column {error.colno})"
        ) from error
    if not isinstance(data, dict):
        raise PlanFormatError(f"{path} is not a plan.json: it holds no JSON object")
    try:
        return plan_from_dict(data)
    except PlanFormatError as error:
        raise PlanFormatError(f"{path} is not a plan this version can read: {error}") from error


def idle_minutes(plan: Plan) -> int:
    """The spec's goal 6 counted on a plan: for each delegate and day, the minutes
    from the first departure to the last return in no session, no ride and no
    lunch break.  A day without rides has no departure, hence nothing idle.

    The rides model only approximates this while it plans (how late the day's
    first ride leaves, how early the last returns); the report gives the real
    count."""
    busy: dict[tuple[str, date], list[tuple[int, int]]] = {}
    span: dict[tuple[str, date], tuple[int, int]] = {}
    for leg in plan.legs:
        key, depart, arrive = (
            (leg.delegate_id, leg.date),
            minute_of(leg.depart),
            minute_of(leg.arrive),
        )
        busy.setdefault(key, []).append((depart, arrive))
        lo, hi = span.get(key, (depart, arrive))
        span[key] = (min(lo, depart), max(hi, arrive))
    for item in (*plan.assignments, *plan.lunches):
        key = (item.delegate_id, item.date)
        busy.setdefault(key, []).append((minute_of(item.start), minute_of(item.end)))
    idle = 0
    for key, (lo, hi) in span.items():
        covered, reached = 0, lo
        for start, end in sorted(busy[key]):
            start, end = max(start, reached), min(end, hi)
            if end > start:
                covered += end - start
                reached = end
        idle += hi - lo - covered
    return idle
