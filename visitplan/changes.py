"""What a re-plan changed, person by person, for the change report.

Compares two plans (and the visit each was made for) without the solver:
every delegate and host who is affected gets rows saying what was, what is,
and why (removed, moved, new; rides changed).  The same rows go into
plan.json, changes.xlsx and the terminal summary.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Visit
from .plan import Change, Plan


def _when(date, start, end, place: str) -> str:
    return f"{date} {start:%H:%M}–{end:%H:%M} at {place}"


def _place(visit: Visit, place: str) -> str:
    try:
        return visit.place_name(place)
    except KeyError:
        return place


def _name(old_visit: Visit, visit: Visit, delegate_id: str) -> str:
    for v in (visit, old_visit):
        for d in v.delegates:
            if d.id == delegate_id:
                return d.name
    return delegate_id


def _host_name(old_visit: Visit, visit: Visit, host_id: str) -> str:
    for v in (visit, old_visit):
        for h in v.hosts:
            if h.id == host_id:
                return h.name
    return host_id


def diff(old_visit: Visit, old: Plan, visit: Visit, new: Plan) -> tuple[Change, ...]:
    """Every change between ``old`` and ``new``, per delegate and per host."""
    rows = _delegate_changes(old_visit, old, visit, new) + _host_changes(old_visit, old, visit, new)
    return tuple(sorted(rows, key=lambda c: (c.who, c.id, c.item, c.why)))


def _reason_removed(visit: Visit, new: Plan, delegate_id: str, session_id: str) -> str:
    if delegate_id not in {d.id for d in visit.delegates}:
        return "no longer in the delegation"
    if session_id not in {s.id for s in visit.sessions}:
        return "session cancelled"
    if session_id not in {s.session_id for s in new.sessions}:
        return "session dropped from the programme"
    return "assigned to other sessions"


def _delegate_changes(old_visit: Visit, old: Plan, visit: Visit, new: Plan) -> list[Change]:
    rows: list[Change] = []
    before = {(a.delegate_id, a.session_id): a for a in old.assignments}
    after = {(a.delegate_id, a.session_id): a for a in new.assignments}
    for key in sorted(before.keys() | after.keys()):
        did, sid = key
        was, now = before.get(key), after.get(key)
        name = _name(old_visit, visit, did)
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
    legs_before, legs_after = defaultdict(set), defaultdict(set)
    for leg in old.legs:
        legs_before[leg.delegate_id].add((leg.date, leg.from_, leg.to, leg.depart, leg.arrive))
    for leg in new.legs:
        legs_after[leg.delegate_id].add((leg.date, leg.from_, leg.to, leg.depart, leg.arrive))
    for did in sorted(legs_before.keys() | legs_after.keys()):
        gone = legs_before[did] - legs_after[did]
        came = legs_after[did] - legs_before[did]
        if gone or came:
            rows.append(
                Change(
                    "delegate",
                    did,
                    _name(old_visit, visit, did),
                    "rides",
                    f"{len(gone)} ride(s) no longer planned" if gone else "",
                    f"{len(came)} new or changed ride(s)" if came else "",
                    "changed",
                    "rides follow the new programme",
                )
            )
    return rows


def _host_changes(old_visit: Visit, old: Plan, visit: Visit, new: Plan) -> list[Change]:
    rows: list[Change] = []
    size_before, size_after = defaultdict(int), defaultdict(int)
    for a in old.assignments:
        size_before[a.session_id] += 1
    for a in new.assignments:
        size_after[a.session_id] += 1
    before = {s.session_id: s for s in old.sessions}
    after = {s.session_id: s for s in new.sessions}
    for sid in sorted(before.keys() | after.keys()):
        was, now = before.get(sid), after.get(sid)
        host = (now or was).host_id
        if host == "base":
            continue
        name = _host_name(old_visit, visit, host)
        if was and not now:
            text = _when(was.date, was.start, was.end, _place(old_visit, was.host_id))
            reason = "session cancelled" if sid not in {s.id for s in visit.sessions} else "dropped"
            rows.append(Change("host", host, name, sid, text, "", "removed", reason))
        elif now and not was:
            text = _when(now.date, now.start, now.end, _place(visit, now.host_id))
            text += f", {size_after[sid]} attendee(s)"
            rows.append(Change("host", host, name, sid, "", text, "new", "added to the programme"))
        else:
            moved = (was.date, was.start, was.end) != (now.date, now.start, now.end)
            if moved:
                rows.append(
                    Change(
                        "host",
                        host,
                        name,
                        sid,
                        _when(was.date, was.start, was.end, name),
                        _when(now.date, now.start, now.end, name),
                        "moved",
                        "session moved",
                    )
                )
            if size_before[sid] != size_after[sid]:
                rows.append(
                    Change(
                        "host",
                        host,
                        name,
                        sid,
                        f"{size_before[sid]} attendee(s)",
                        f"{size_after[sid]} attendee(s)",
                        "changed",
                        "group size changed",
                    )
                )
    return rows


def summary(changes: tuple[Change, ...]) -> list[str]:
    """The terminal summary: counts, then one line per affected person."""
    if not changes:
        return ["nothing changed for anybody"]
    people = defaultdict(list)
    for c in changes:
        people[(c.who, c.id, c.name)].append(c)
    delegates = sum(1 for who, _i, _n in people if who == "delegate")
    hosts = sum(1 for who, _i, _n in people if who == "host")
    lines = [f"{delegates} delegate(s) and {hosts} host(s) affected"]
    for (who, pid, name), rows in sorted(people.items()):
        parts = [f"{c.item} {c.why}" for c in rows]
        lines.append(f"  {who} {pid} ({name}): " + ", ".join(parts))
    return lines
