"""What the questionnaire asks, taken from the visit: its topics with the sessions
that carry them, the sessions a delegate may insist on, and a delegate's answers
as they stand now (the pre-filled values).

The stable labels of :func:`interest_label` and friends name each question by
ids, so the export of a form built from them reads back whatever language the
form was written in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from visitplan.model import DIET_NEEDS, Delegate, Session, Visit, need_code, need_items

DELEGATE_ID = "delegate_id"
NEEDS = "needs"
DIET = "diet"
WEIGHTS = range(0, 11)
"""The answers of an interest question: 0 (not interested) to 10."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of the visit and the sessions that carry it, in the visit's order."""

    name: str
    sessions: tuple[Session, ...]


def in_programme_order(sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    """Pinned sessions first, by date and time, as the programme will run; then the rest."""
    return tuple(
        sorted(
            sessions,
            key=lambda s: (
                s.pin_date is None,
                s.pin_date or 0,
                s.pin_start is None,
                s.pin_start or 0,
            ),
        )
    )


def topics(visit: Visit) -> tuple[Topic, ...]:
    """The union of the sessions' topics, sorted, each with the sessions carrying it."""
    carriers: dict[str, list[Session]] = {}
    for session in in_programme_order(visit.sessions):
        for topic in session.topics:
            carriers.setdefault(topic, []).append(session)
    return tuple(Topic(name, tuple(carriers[name])) for name in sorted(carriers))


def choice_sessions(visit: Visit) -> tuple[Session, ...]:
    """The sessions a must_attend answer may name: all but whole-delegation ones."""
    return tuple(session for session in in_programme_order(visit.sessions) if not session.is_all)


def diet_text(delegate: Delegate) -> str:
    """The delegate's dietary needs (items with a code of DIET_NEEDS), as written."""
    return "; ".join(item for item in need_items(delegate.needs) if _is_diet(item))


def other_needs_text(delegate: Delegate) -> str:
    """Every other item of the delegate's needs (access, free text), as written."""
    return "; ".join(item for item in need_items(delegate.needs) if not _is_diet(item))


def _is_diet(item: str) -> bool:
    return need_code(item) in DIET_NEEDS


# -- the stable labels of survey.csv ----------------------------------------------------


def interest_label(topic: str) -> str:
    return f"interest: {topic} (0-10)"


def must_attend_label(session_id: str) -> str:
    return f"must_attend: {session_id}"


def header(visit: Visit) -> tuple[str, ...]:
    """survey.csv's header: the delegate, one question per topic and choice session,
    needs and diet."""
    return (
        DELEGATE_ID,
        *(interest_label(topic.name) for topic in topics(visit)),
        *(must_attend_label(session.id) for session in choice_sessions(visit)),
        NEEDS,
        DIET,
    )


_INTEREST = re.compile(r"interest\s*:\s*(.+?)(?:\s*\(\s*0\s*[-–]\s*10\s*\))?")
_MUST_ATTEND = re.compile(r"must[_ ]attend\s*:\s*(.+)")


@dataclass(frozen=True, slots=True)
class Question:
    """What a column of a form export asks: ``kind`` is one of delegate_id, interest,
    must_attend, needs, diet; ``key`` the topic or session id."""

    kind: str
    key: str = ""


def question_of(label: str) -> Question | None:
    """The question a column label asks, matched after trimming and case folding;
    None for a column a form tool adds (Timestamp, Email, ...)."""
    folded = unicodedata.normalize("NFC", " ".join(label.split()).casefold())
    if folded in (DELEGATE_ID, NEEDS, DIET):
        return Question(folded)
    if match := _INTEREST.fullmatch(folded):
        return Question("interest", match[1].strip())
    if match := _MUST_ATTEND.fullmatch(folded):
        return Question("must_attend", match[1].strip())
    return None
