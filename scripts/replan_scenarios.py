"""How much a re-plan changes, against planning the changed visit from scratch.

For a seed visit: plan it, apply each scenario of issue 6 (a delegate drops
out, a host loses a day, a session is added, a late arrival, the visit under
way with a freeze), then re-plan against the first plan and plan from scratch,
and print a table of the delegates whose programme changed and the number of
changed attendances and moved sessions.  Every plan goes through check.

    python scripts/replan_scenarios.py data/latgale-trondelag-2009 --time-limit 20
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from visitplan.changes import diff
from visitplan.check import check_plan
from visitplan.model import Session, Window
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve
from visitplan.solve.continuity import Previous

ISSUED = datetime(2026, 1, 1, tzinfo=UTC)


def scenarios(visit, plan):
    zone = ZoneInfo(visit.timezone)
    second = visit.programme_days[1].date
    yield "delegate drops out", replace(visit, delegates=visit.delegates[:-1]), None
    held = next(
        s for s in plan.sessions if s.host_id != "base" and not visit.session(s.session_id).is_all
    )
    host, day = held.host_id, held.date
    windows = tuple(w for w in visit.windows if not (w.host_id == host and w.date == day))
    if host not in visit.windowed_hosts:
        windows += tuple(
            Window(host, d.date, d.day_start, d.day_end)
            for d in visit.programme_days
            if d.date != day
        )
    yield (
        f"{host} loses {day}",
        replace(visit, windows=windows, windowed_hosts=visit.windowed_hosts | {host}),
        None,
    )
    topic = next(t for d in visit.delegates for t, _w in d.interests)
    extra = Session("added", "Added session", held.host_id, 60, "presentation", (topic,), "choice")
    yield "session added", replace(visit, sessions=visit.sessions + (extra,)), None
    late = replace(visit.delegates[0], arrives=datetime.combine(second, time(13, 0), tzinfo=zone))
    yield "late arrival", replace(visit, delegates=(late,) + visit.delegates[1:]), None
    freeze = datetime.combine(second, time(12, 0), tzinfo=zone)
    yield "drop-out, frozen to day 2 noon", replace(visit, delegates=visit.delegates[:-1]), freeze


def measure(visit, old, new):
    rows = diff(visit, old, visit, new)
    people = {c.id for c in rows if c.who == "delegate"}
    changes = sum(1 for c in rows if c.who == "delegate" and c.item != "rides")
    moved = sum(1 for c in rows if c.who == "host" and c.why in ("moved", "removed", "new"))
    return len(people), changes + moved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("visit")
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    visit = load_visit(args.visit)
    options = SolveOptions(time_limit=args.time_limit, workers=2)
    old, _ = solve(visit, options, ISSUED)
    assert old is not None and check_plan(visit, old) == []
    print(
        "| scenario | re-plan: delegates changed | re-plan: changes | scratch: delegates changed "
        "| scratch: changes |"
    )
    print("|---|---|---|---|---|")
    for name, changed, freeze in scenarios(visit, old):
        again, report = solve(changed, replace(options, previous=Previous(old, freeze)), ISSUED)
        fresh, _ = solve(changed, options, ISSUED)
        if again is None or fresh is None:
            print(f"| {name} | {report.status} | | | |")
            continue
        assert check_plan(changed, again) == [] and check_plan(changed, fresh) == []
        a, b = measure(changed, old, again), measure(changed, old, fresh)
        print(f"| {name} | {a[0]} | {a[1]} | {b[0]} | {b[1]} |", flush=True)


if __name__ == "__main__":
    main()
