"""Judging the answers against the plan: who may answer, what, and how.

Every problem is found at once, each naming file, row and column: an unknown
delegate, a second answer from one delegate, a rating that is not a whole number from
1 to 5, an answer on a session the delegate did not attend (or that is not in the
plan), a form of another visit.  A form returned untouched counts as not returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from visitplan.text import clean
from visitplan.views import Views

from .answers import Answer, Given, Problem, quoted
from .attendance import recipients
from .questions import BY_ID, HIGHEST, LOWEST


@dataclass(slots=True)
class Response:
    """One delegate's checked answers; blanks left out."""

    delegate_id: str
    source: str
    """``file:row`` it was read from."""
    ratings: dict[str, int] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    visit_ratings: dict[str, int] = field(default_factory=dict)
    visit_texts: dict[str, str] = field(default_factory=dict)


_WHOLE = re.compile(r"[+-]?\d+(\.0*)?")


def rating(value: object) -> int | None:
    """A rating as a whole number from LOWEST to HIGHEST, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        number = int(float(value.strip()))
    else:
        return None
    return number if LOWEST <= number <= HIGHEST else None


def check_answers(views: Views, answers: list[Answer]) -> tuple[list[Response], list[Problem]]:
    """The responses, and every problem in the answers (the responses count only
    when there is none)."""
    sent = set(recipients(views))
    visit_delegates = {d.id for d in views.visit.delegates}
    planned = {s.session_id: set(s.attendee_ids) for s in views.sessions}
    problems: list[Problem] = []
    responses: list[Response] = []
    first: dict[str, str] = {}
    for answer in answers:
        if answer.empty:
            continue
        place = f"{answer.file}:{answer.row}"
        if answer.visit_id is not None and answer.visit_id != views.visit.id:
            problems.append(
                Problem(
                    answer.file,
                    None,
                    None,
                    f"a form of the visit {quoted(answer.visit_id)}, not of {views.visit.id!r}",
                )
            )
            continue
        who = answer.delegate_id
        if who not in sent:
            if not who:
                why = "no delegate id"
            elif who in visit_delegates:
                why = f"{quoted(who)} attends no session in the plan: no form was sent"
            else:
                why = f"unknown delegate {quoted(who)}"
            problems.append(Problem(answer.file, answer.row, answer.column, why))
            continue
        if who in first:
            problems.append(
                Problem(
                    answer.file,
                    answer.row,
                    answer.column,
                    f"a second answer from {who!r} (the first: {first[who]})",
                )
            )
            continue
        first[who] = place
        response = Response(who, place)
        for session_id, given in answer.ratings.items():
            if _attended(answer, session_id, given, planned, problems):
                value = rating(given.value)
                if value is None:
                    problems.append(_bad_rating(answer, given))
                else:
                    response.ratings[session_id] = value
        for session_id, given in answer.comments.items():
            if _attended(answer, session_id, given, planned, problems):
                response.comments[session_id] = clean(given.value).strip()
        for question_id, given in answer.visit.items():
            question = BY_ID.get(question_id)
            if given.blank:
                continue
            if question is None:
                known = ", ".join(BY_ID)
                why = f"no question {question_id!r} (the questions: {known})"
                problems.append(Problem(answer.file, given.row, given.column, why))
            elif question.rated:
                value = rating(given.value)
                if value is None:
                    problems.append(_bad_rating(answer, given))
                else:
                    response.visit_ratings[question_id] = value
            else:
                response.visit_texts[question_id] = clean(given.value).strip()
        responses.append(response)
    return responses, problems


def _attended(
    answer: Answer,
    session_id: str,
    given: Given,
    planned: dict[str, set[str]],
    problems: list[Problem],
) -> bool:
    """Whether a filled-in answer is on a session the delegate attended (else a problem)."""
    if given.blank:
        return False
    if session_id not in planned:
        why = f"no session {session_id!r} in the plan"
    elif answer.delegate_id not in planned[session_id]:
        why = f"{answer.delegate_id!r} did not attend {session_id!r} in the plan"
    else:
        return True
    problems.append(Problem(answer.file, given.row, given.column, why))
    return False


def _bad_rating(answer: Answer, given: Given) -> Problem:
    return Problem(
        answer.file,
        given.row,
        given.column,
        f"{quoted(given.value)} is not a whole number from {LOWEST} to {HIGHEST}",
    )
