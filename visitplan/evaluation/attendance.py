"""Who gets a form, and which sessions it lists: the plan's attendances, from the views."""

from __future__ import annotations

from visitplan.views import SessionItem, Views


def attended(views: Views, delegate_id: str) -> tuple[SessionItem, ...]:
    """The sessions the plan has ``delegate_id`` attend, in date and time order."""
    return tuple(s for s in views.sessions if delegate_id in s.attendee_ids)


def recipients(views: Views) -> tuple[str, ...]:
    """The delegates of the visit who attend at least one session: one form each."""
    attending = {i for s in views.sessions for i in s.attendee_ids}
    return tuple(sorted(d.id for d in views.visit.delegates if d.id in attending))
