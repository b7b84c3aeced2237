"""Re-planning: what the schedule model adds when an earlier plan is out.

Spec section 4: every rule first; confirmed sessions keep their date, start
and scheduling; then as few delegates as possible whose programme changes;
then as few changed attendances plus moved sessions as possible; then the
usual goals.  With ``freeze_before`` everything that started before that
moment stays exactly as it was.

A delegate's programme is the set of (session, date, start) they attend; the
rides follow from it and are re-planned with it, so a changed ride without a
changed session is not counted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..plan import Plan
from ..timegrid import minute_of
from .goals import Goal
from .variables import DAY, Context

REPLAN_GOALS = ("changed_delegates", "changes")


@dataclass(frozen=True)
class Previous:
    """The earlier plan, in the solver's minutes."""

    plan: Plan
    freeze_before: datetime | None = None


def previous_start(ctx: Context, plan: Plan) -> dict[str, int]:
    """Session id to its start on the solver's axis in the earlier plan (known days only)."""
    index = {day.date: k for k, day in enumerate(ctx.visit.days)}
    starts = {}
    for held in plan.sessions:
        if held.date in index:
            starts[held.session_id] = index[held.date] * DAY + minute_of(held.start)
    return starts


def frozen_minute(ctx: Context, moment: datetime | None) -> int | None:
    """The freeze moment on the solver's axis (None: nothing frozen)."""
    if moment is None:
        return None
    local = moment.replace(tzinfo=None) if moment.tzinfo is None else moment
    for k, day in enumerate(ctx.visit.days):
        if day.date == local.date():
            return k * DAY + local.hour * 60 + local.minute
    if local.date() < ctx.visit.days[0].date:
        return -1
    return len(ctx.visit.days) * DAY


def add(ctx: Context, previous: Previous) -> dict[str, Goal]:
    """Constraints of a re-plan and its two goals (to maximise: the negated counts)."""
    model, visit = ctx.model, ctx.visit
    before = previous_start(ctx, previous.plan)
    attended = {(a.delegate_id, a.session_id) for a in previous.plan.assignments}
    freeze = frozen_minute(ctx, previous.freeze_before)
    same: dict[str, object] = {}
    moved_terms = []
    for session in visit.sessions:
        sid = session.id
        start = ctx.start[sid]
        was = before.get(sid)
        if was is not None and was in _domain(ctx, sid):
            keep = model.NewBoolVar(f"unmoved[{sid}]")
            model.Add(start == was).WithName(f"unmoved[{sid}]").OnlyEnforceIf(keep)
            model.AddImplication(keep, ctx.scheduled[sid]).WithName(f"unmoved[{sid}]")
            differ = model.NewBoolVar(f"moved_time[{sid}]")
            model.Add(start != was).WithName(f"moved_time[{sid}]").OnlyEnforceIf(differ)
            model.AddBoolOr([keep, differ, ctx.scheduled[sid].Not()]).WithName(f"moved_time[{sid}]")
            same[sid] = keep
            moved_terms.append(1 - keep)
        elif was is not None:
            same[sid] = 0
            moved_terms.append(1)
        if session.status == "confirmed":
            guard = ctx.guard(
                f"confirmed:{sid}",
                f"confirmed session {sid} keeps its date and start"
                + (" as in the previous plan" if was is not None else ""),
            )
            model.Add(ctx.scheduled[sid] == 1).WithName(f"kept[{sid}]").OnlyEnforceIf(guard)
            if was is not None:
                if not isinstance(same[sid], int):
                    model.Add(same[sid] == 1).WithName(f"confirmed[{sid}]").OnlyEnforceIf(guard)
                else:
                    model.AddBoolOr([]).WithName(f"kept[{sid}]").OnlyEnforceIf(guard)
        if freeze is not None:
            _freeze_session(ctx, sid, was, freeze, attended, same)
    changed_by_delegate: dict[str, list] = {}
    change_terms = list(moved_terms)
    for delegate in visit.delegates:
        did = delegate.id
        for session in visit.sessions:
            sid = session.id
            x = ctx.attends.get((did, sid))
            if (did, sid) in attended:
                keep = same.get(sid, 0)
                if x is None or isinstance(keep, int):
                    changed = 1
                else:
                    stays = model.NewBoolVar(f"still_attends[{did},{sid}]")
                    model.AddBoolAnd([x, keep]).WithName(
                        f"still_attends[{did},{sid}]"
                    ).OnlyEnforceIf(stays)
                    changed = 1 - stays
            elif x is not None:
                changed = x
            else:
                continue
            change_terms.append(changed)
            changed_by_delegate.setdefault(did, []).append(changed)
    for (did, _day), changed in _lunch_changes(ctx, previous.plan).items():
        change_terms.append(changed)
        changed_by_delegate.setdefault(did, []).append(changed)
    _hint_previous(ctx, before, attended)
    delegate_terms = []
    known = {a.delegate_id for a in previous.plan.assignments}
    for did, terms in sorted(changed_by_delegate.items()):
        if did not in known:
            continue  # a delegate new to the visit has no programme to keep
        flag = model.NewBoolVar(f"programme_changed[{did}]")
        for term in terms:
            if isinstance(term, int):
                if term:
                    model.Add(flag == 1).WithName(f"programme_changed[{did}]")
            else:
                model.Add(flag >= term).WithName(f"programme_changed[{did}]")
        delegate_terms.append(flag)
    return {
        "changed_delegates": Goal("changed_delegates", -sum(delegate_terms), len(delegate_terms)),
        "changes": Goal("changes", -sum(change_terms), len(change_terms)),
    }


def _domain(ctx: Context, sid: str) -> set[int]:
    values = set()
    proto = ctx.model.Proto().variables[ctx.start[sid].Index()]
    bounds = list(proto.domain)
    for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
        if hi - lo > 10 * DAY:
            return set(range(lo, hi + 1))
        values.update(range(lo, hi + 1))
    return values


def _freeze_session(ctx: Context, sid: str, was, freeze: int, attended, same) -> None:
    """Sessions that started before the freeze stay as they were, with the same people;
    nothing else may start before it."""
    model = ctx.model
    if was is not None and was < freeze:
        guard = ctx.guard(f"frozen:{sid}", f"session {sid} started before the freeze and stays")
        model.Add(ctx.start[sid] == was).WithName(f"frozen[{sid}]").OnlyEnforceIf(guard)
        model.Add(ctx.scheduled[sid] == 1).WithName(f"kept[{sid}]").OnlyEnforceIf(guard)
        for delegate in ctx.visit.delegates:
            x = ctx.attends.get((delegate.id, sid))
            if (delegate.id, sid) in attended:
                if x is None:
                    model.AddBoolOr([]).WithName(f"kept[{sid}]").OnlyEnforceIf(guard)
                else:
                    model.Add(x == 1).WithName(f"frozen[{delegate.id},{sid}]").OnlyEnforceIf(guard)
            elif x is not None:
                model.Add(x == 0).WithName(f"frozen[{delegate.id},{sid}]").OnlyEnforceIf(guard)
    else:
        model.Add(ctx.start[sid] >= freeze).WithName(f"after_freeze[{sid}]").OnlyEnforceIf(
            ctx.scheduled[sid]
        )


def _lunch_changes(ctx: Context, plan: Plan) -> dict:
    """Per (delegate, day): 1 − "the lunch break is where and when it was".

    A lunch break kept keeps the rides around it, which the spec counts as
    part of a delegate's programme."""
    index = {day.date: k for k, day in enumerate(ctx.visit.days)}
    changes = {}
    for lunch in plan.lunches:
        k = index.get(lunch.date)
        key = (lunch.delegate_id, k)
        start = ctx.lunch_start.get(key)
        if start is None or lunch.session_id:
            continue
        place = ctx.lunch_place.get(key, {}).get(lunch.place)
        if place is None:
            changes[key] = 1
            continue
        same = ctx.model.NewBoolVar(f"lunch_kept[{lunch.delegate_id},{lunch.date}]")
        ctx.model.Add(start == k * DAY + minute_of(lunch.start)).WithName(
            f"lunch_kept[{lunch.delegate_id},{lunch.date}]"
        ).OnlyEnforceIf(same)
        ctx.model.AddImplication(same, place).WithName(
            f"lunch_kept[{lunch.delegate_id},{lunch.date}]"
        )
        ctx.model.AddImplication(same, ctx.lunch_by_meal[key].Not()).WithName(
            f"lunch_kept[{lunch.delegate_id},{lunch.date}]"
        )
        changes[key] = 1 - same
    return changes


def _hint_previous(ctx: Context, before: dict[str, int], attended) -> None:
    """Start the search from the earlier plan where it still fits."""
    model = ctx.model
    for sid, start in before.items():
        if sid in ctx.start:
            model.AddHint(ctx.start[sid], start)
            model.AddHint(ctx.scheduled[sid], 1)
    for (did, sid), x in ctx.attends.items():
        model.AddHint(x, 1 if (did, sid) in attended else 0)
