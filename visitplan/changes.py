"""What a re-plan changed, person by person, for the change report.

Compares two plans (and the visit each was made for) without the solver:
every delegate and host who is affected gets rows saying what was, what is,
and why (removed, moved, new; rides and lunch breaks changed; a host's
attendees changed).  The same rows go into plan.json, changes.xlsx and the
terminal summary, so each row says where and when in full: a ride by date,
times and the names of its places, a lunch break by date, times and place.

A delegate the re-plan drops is not in the new visit; their name comes from
the earlier visit when the caller has it, else from the names the earlier
plan folder keeps (:func:`earlier_names`), else the row carries the id alone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path

from .model import Visit
from .plan import Change, LunchBreak, Plan

NAMES_KEY = "names"
"""The key of plan.json under which a plan folder keeps its people's names."""


def earlier_names(folder: str | Path | None) -> dict[str, dict[str, str]]:
    """``{"delegates": {id: name}, "hosts": {id: name}}`` of an earlier plan folder.

    Read from its plan.json (written by :mod:`visitplan.export.plan_json`);
    empty for a folder whose plan.json predates the names or cannot be read,
    as the names only make the report friendlier."""
    if folder is None:
        return {}
    path = Path(folder)
    path = path / "plan.json" if path.is_dir() else path
    try:
        data = json.loads(path.read_text(encoding="utf-8")).get(NAMES_KEY, {})
        return {
            who: {str(k): str(v) for k, v in data.get(who, {}).items()}
            for who in ("delegates", "hosts")
        }
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def names_of(visit: Visit) -> dict[str, dict[str, str]]:
    """The names a plan folder keeps for a later re-plan's report (see :func:`earlier_names`)."""
    return {
        "delegates": {d.id: d.name for d in visit.delegates},
        "hosts": {h.id: h.name for h in visit.hosts},
    }


def _when(on: date, start: time, end: time, place: str) -> str:
    return f"{on} {start:%H:%M}–{end:%H:%M} at {place}"


def _place(visit: Visit, place: str) -> str:
    try:
        return visit.place_name(place)
    except KeyError:
        return place


class _Names:
    """Names of delegates and hosts: the new visit first, then the earlier ones."""

    def __init__(
        self, old_visit: Visit, visit: Visit, earlier: Mapping[str, Mapping[str, str]]
    ) -> None:
        self.delegates = dict(earlier.get("delegates", {}))
        self.hosts = dict(earlier.get("hosts", {}))
        for v in (old_visit, visit):
            self.delegates.update((d.id, d.name) for d in v.delegates)
            self.hosts.update((h.id, h.name) for h in v.hosts)

    def delegate(self, delegate_id: str) -> str:
        """The name, or "" when nobody knows it (the row then shows the id alone)."""
        return self.delegates.get(delegate_id, "")

    def host(self, host_id: str) -> str:
        return self.hosts.get(host_id, "")


def diff(
    old_visit: Visit,
    old: Plan,
    visit: Visit,
    new: Plan,
    earlier: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Change, ...]:
    """Every change between ``old`` and ``new``, per delegate and per host.

    ``earlier`` holds the earlier plan's names (:func:`earlier_names`), for the
    people ``old_visit`` does not know (a re-plan given only the new visit)."""
    names = _Names(old_visit, visit, earlier or {})
    rows = _delegate_changes(old_visit, old, visit, new, names)
    rows += _host_changes(old_visit, old, visit, new, names)
    return tuple(sorted(rows, key=lambda c: (c.who, c.id, c.item, c.why)))


def _reason_removed(visit: Visit, new: Plan, delegate_id: str, session_id: str) -> str:
    if delegate_id not in {d.id for d in visit.delegates}:
        return "no longer in the delegation"
    if session_id not in {s.id for s in visit.sessions}:
        return "session cancelled"
    if session_id not in {s.session_id for s in new.sessions}:
        return "session dropped from the programme"
    return "assigned to other sessions"


def _delegate_changes(
    old_visit: Visit, old: Plan, visit: Visit, new: Plan, names: _Names
) -> list[Change]:
    rows: list[Change] = []
    before = {(a.delegate_id, a.session_id): a for a in old.assignments}
    after = {(a.delegate_id, a.session_id): a for a in new.assignments}
    for key in sorted(before.keys() | after.keys()):
        did, sid = key
        was, now = before.get(key), after.get(key)
        name = names.delegate(did)
        if was and not now:
            text = _when(was.date, was.start, was.end, _place(old_visit, was.host_id))
            reason = _reason_removed(visit, new, did, sid)
            rows.append(Change("delegate", did, name, sid, text, "", "removed", reason))
        elif now and not was:
            text = _when(now.date, now.start, now.end, _place(visit, now.host_id))
            rows.append(
                Change("delegate", did, name, sid, "", text, "new", "added to the programme")
            )
        elif (was.date, was.start, was.end, was.host_id) != (
            now.date,
            now.start,
            now.end,
            now.host_id,
        ):
            rows.append(
                Change(
                    "delegate",
                    did,
                    name,
                    sid,
                    _when(was.date, was.start, was.end, _place(old_visit, was.host_id)),
                    _when(now.date, now.start, now.end, _place(visit, now.host_id)),
                    "moved",
                    "session moved",
                )
            )
    staying = {d.id for d in visit.delegates}
    rows += _ride_changes(old_visit, old, visit, new, names, staying)
    rows += _lunch_changes(old_visit, old, visit, new, names, staying)
    return rows


def _ride_changes(
    old_visit: Visit, old: Plan, visit: Visit, new: Plan, names: _Names, staying: set[str]
) -> list[Change]:
    """One row per delegate whose rides changed: the rides gone and the rides new, in full.

    A ride is its date, places, times and vehicle (spec rule 7): a new vehicle
    number is a change the delegate needs to know."""

    def ride(leg) -> tuple:
        return (leg.date, leg.depart, leg.arrive, leg.from_, leg.to, leg.vehicle)

    legs_before, legs_after = defaultdict(set), defaultdict(set)
    for leg in old.legs:
        legs_before[leg.delegate_id].add(ride(leg))
    for leg in new.legs:
        legs_after[leg.delegate_id].add(ride(leg))
    rows = []
    for did in sorted((legs_before.keys() | legs_after.keys()) & staying):
        gone = sorted(legs_before[did] - legs_after[did])
        came = sorted(legs_after[did] - legs_before[did])
        if gone or came:
            rows.append(
                Change(
                    "delegate",
                    did,
                    names.delegate(did),
                    "rides",
                    "; ".join(_ride_text(old_visit, r) for r in gone),
                    "; ".join(_ride_text(visit, r) for r in came),
                    "changed",
                    "rides follow the new programme",
                )
            )
    return rows


def _ride_text(visit: Visit, ride: tuple) -> str:
    on, depart, arrive, origin, destination, vehicle = ride
    how = "on foot" if vehicle == "walk" else f"vehicle {vehicle}" if vehicle else "by vehicle"
    route = f"{_place(visit, origin)} → {_place(visit, destination)}"
    return f"{on} {depart:%H:%M}–{arrive:%H:%M} {route} ({how})"


def _lunch_changes(
    old_visit: Visit, old: Plan, visit: Visit, new: Plan, names: _Names, staying: set[str]
) -> list[Change]:
    """One row per delegate and day whose lunch break moved in time or place, came or went."""

    def by_day(plan: Plan) -> dict[tuple[str, date], LunchBreak]:
        return {(b.delegate_id, b.date): b for b in plan.lunches if b.delegate_id in staying}

    before, after = by_day(old), by_day(new)
    rows = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was and now and (was.start, was.end, was.place) == (now.start, now.end, now.place):
            continue
        did = key[0]
        was_text = _lunch_text(old_visit, was) if was else ""
        now_text = _lunch_text(visit, now) if now else ""
        why = "moved" if was and now else "removed" if was else "new"
        reason = {
            "moved": "lunch break moved",
            "removed": "no lunch break that day",
            "new": "lunch break added",
        }[why]
        rows.append(
            Change("delegate", did, names.delegate(did), "lunch", was_text, now_text, why, reason)
        )
    return rows


def _lunch_text(visit: Visit, lunch: LunchBreak) -> str:
    place = _place(visit, lunch.place) if lunch.place else "(no place)"
    return _when(lunch.date, lunch.start, lunch.end, place)


def _host_changes(
    old_visit: Visit, old: Plan, visit: Visit, new: Plan, names: _Names
) -> list[Change]:
    rows: list[Change] = []
    attendees_before, attendees_after = defaultdict(set), defaultdict(set)
    for a in old.assignments:
        attendees_before[a.session_id].add(a.delegate_id)
    for a in new.assignments:
        attendees_after[a.session_id].add(a.delegate_id)
    before = {s.session_id: s for s in old.sessions}
    after = {s.session_id: s for s in new.sessions}
    for sid in sorted(before.keys() | after.keys()):
        was, now = before.get(sid), after.get(sid)
        host = (now or was).host_id
        if host == "base":
            continue
        name = names.host(host)
        if was and not now:
            text = _when(was.date, was.start, was.end, _place(old_visit, was.host_id))
            reason = "session cancelled" if sid not in {s.id for s in visit.sessions} else "dropped"
            rows.append(Change("host", host, name, sid, text, "", "removed", reason))
        elif now and not was:
            text = _when(now.date, now.start, now.end, _place(visit, now.host_id))
            text += f", {len(attendees_after[sid])} attendee(s)"
            rows.append(Change("host", host, name, sid, "", text, "new", "added to the programme"))
        else:
            moved = (was.date, was.start, was.end) != (now.date, now.start, now.end)
            if moved:
                place = name or host
                rows.append(
                    Change(
                        "host",
                        host,
                        name,
                        sid,
                        _when(was.date, was.start, was.end, place),
                        _when(now.date, now.start, now.end, place),
                        "moved",
                        "session moved",
                    )
                )
            then, now_ids = attendees_before[sid], attendees_after[sid]
            if then != now_ids:
                came = ", ".join(f"+{names.delegate(d) or d}" for d in sorted(now_ids - then))
                gone = ", ".join(f"−{names.delegate(d) or d}" for d in sorted(then - now_ids))
                detail = ", ".join(part for part in (came, gone) if part)
                reason = "group size changed" if len(then) != len(now_ids) else "attendees changed"
                rows.append(
                    Change(
                        "host",
                        host,
                        name,
                        sid,
                        f"{len(then)} attendee(s)",
                        f"{len(now_ids)} attendee(s): {detail}",
                        "changed",
                        reason,
                    )
                )
    return rows


def summary(changes: tuple[Change, ...]) -> list[str]:
    """The terminal summary: counts, then one line per affected person, named once.

    Every text from the input is put on one line without control characters,
    so no name can break the summary or drive the terminal."""
    if not changes:
        return ["nothing changed for anybody"]
    people = defaultdict(list)
    for c in changes:
        people[(c.who, c.id, c.name)].append(c)
    delegates = len({pid for who, pid, _n in people if who == "delegate"})
    hosts = len({pid for who, pid, _n in people if who == "host"})
    lines = [f"{delegates} delegate(s) and {hosts} host(s) affected"]
    for (who, pid, name), rows in sorted(people.items()):
        parts = [f"{_terminal(c.item)} {c.why}" for c in rows]
        named = f"{_terminal(pid)} ({_terminal(name)})" if name and name != pid else _terminal(pid)
        lines.append(f"  {who} {named}: " + ", ".join(parts))
    return lines


def _terminal(text: str) -> str:
    """``text`` on one line, every control character shown escaped, never sent raw."""
    flat = " ".join(text.split())
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in flat
    )
