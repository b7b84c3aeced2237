"""The figures of an evaluation: per session, per host and per question on the whole
visit, the comments, and evaluation.json.

A mean is rounded half up to two decimals, the same in evaluation.xlsx, evaluation.json and
the site; a session, host or question nobody rated has a mean of None.
evaluation.json (schema_version 1) holds exactly::

    {"schema_version": 1, "forms": <forms sent>, "responses": <forms returned>,
     "sessions": [{"session_id", "title", "host_id", "responses", "mean", "counts": {"1".."5": n}}],
     "hosts": [{"host_id", "name", "responses", "mean"}],
     "questions": [{"id", "text", "responses", "mean"}],
     "comments": [{"session_id" (null for the whole visit), "text"}]}

Question texts are in the visit's ``language``; a question's word in any language is
``evaluation_q_<id>`` of :mod:`visitplan.export.words`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from visitplan.export.words import Words
from visitplan.views import Views

from .answers import terminal
from .attendance import recipients
from .checking import Response
from .questions import QUESTIONS, SCALE

SCHEMA_VERSION = 1
JSON_FILE = "evaluation.json"


@dataclass(frozen=True, slots=True)
class Figures:
    """Ratings counted: how many, their mean, and how many gave each rating."""

    responses: int
    mean: float | None
    counts: tuple[int, ...]
    """How many gave 1, 2, 3, 4 and 5."""

    @classmethod
    def of(cls, ratings: Sequence[int]) -> Figures:
        mean = None
        if ratings:
            exact = Decimal(sum(ratings)) / Decimal(len(ratings))
            mean = float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))
        return cls(len(ratings), mean, tuple(ratings.count(n) for n in SCALE))


@dataclass(frozen=True, slots=True)
class SessionFigures:
    session_id: str
    title: str
    host_id: str
    host_name: str
    date: date
    start: time
    end: time
    figures: Figures


@dataclass(frozen=True, slots=True)
class HostFigures:
    host_id: str
    name: str
    sessions: int
    figures: Figures


@dataclass(frozen=True, slots=True)
class QuestionFigures:
    id: str
    text: str
    rated: bool
    figures: Figures
    """For a text question: responses counts the answers given; no mean."""


@dataclass(frozen=True, slots=True)
class Comment:
    session_id: str | None
    """None for an answer on the whole visit."""
    question_id: str | None
    delegate_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Summary:
    forms: int
    responses: tuple[Response, ...]
    sessions: tuple[SessionFigures, ...]
    hosts: tuple[HostFigures, ...]
    questions: tuple[QuestionFigures, ...]
    comments: tuple[Comment, ...]

    def as_json(self) -> dict:
        """evaluation.json's content."""
        return {
            "schema_version": SCHEMA_VERSION,
            "forms": self.forms,
            "responses": len(self.responses),
            "sessions": [
                {
                    "session_id": s.session_id,
                    "title": s.title,
                    "host_id": s.host_id,
                    "responses": s.figures.responses,
                    "mean": s.figures.mean,
                    "counts": {str(n): c for n, c in zip(SCALE, s.figures.counts, strict=True)},
                }
                for s in self.sessions
            ],
            "hosts": [
                {
                    "host_id": h.host_id,
                    "name": h.name,
                    "responses": h.figures.responses,
                    "mean": h.figures.mean,
                }
                for h in self.hosts
            ],
            "questions": [
                {
                    "id": q.id,
                    "text": q.text,
                    "responses": q.figures.responses,
                    "mean": q.figures.mean,
                }
                for q in self.questions
            ],
            "comments": [{"session_id": c.session_id, "text": c.text} for c in self.comments],
        }

    def json_bytes(self) -> bytes:
        text = json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n"
        return text.encode("utf-8")


def summarise(views: Views, responses: Sequence[Response]) -> Summary:
    """The figures of ``responses`` (checked) for the plan of ``views``."""
    words = Words(views.visit.language)
    ordered = tuple(sorted(responses, key=lambda r: r.delegate_id))
    sessions = tuple(
        SessionFigures(
            s.session_id,
            s.title,
            s.host_id,
            s.host_name,
            s.date,
            s.start,
            s.end,
            Figures.of([r.ratings[s.session_id] for r in ordered if s.session_id in r.ratings]),
        )
        for s in views.sessions
    )
    hosts = tuple(
        HostFigures(
            roster.host_id,
            roster.name,
            len(roster.sessions),
            Figures.of(
                [
                    r.ratings[s.session_id]
                    for s in roster.sessions
                    for r in ordered
                    if s.session_id in r.ratings
                ]
            ),
        )
        for roster in views.hosts.values()
        if roster.sessions
    )
    questions = tuple(
        QuestionFigures(
            q.id,
            q.text(words),
            q.rated,
            Figures.of([r.visit_ratings[q.id] for r in ordered if q.id in r.visit_ratings])
            if q.rated
            else Figures(
                sum(1 for r in ordered if r.visit_texts.get(q.id)), None, (0,) * len(SCALE)
            ),
        )
        for q in QUESTIONS
    )
    comments = [
        Comment(s.session_id, None, r.delegate_id, r.comments[s.session_id])
        for s in views.sessions
        for r in ordered
        if r.comments.get(s.session_id)
    ]
    comments += [
        Comment(None, q.id, r.delegate_id, r.visit_texts[q.id])
        for q in QUESTIONS
        if not q.rated
        for r in ordered
        if r.visit_texts.get(q.id)
    ]
    return Summary(len(recipients(views)), ordered, sessions, hosts, questions, tuple(comments))


def summary_lines(summary: Summary) -> list[str]:
    """What ``--collect`` prints: forms returned of sent, then each session's mean,
    every text from the input escaped for the terminal."""
    lines = [f"{len(summary.responses)} of {summary.forms} evaluation form(s) returned"]
    for s in summary.sessions:
        mean = "no ratings" if s.figures.mean is None else f"mean {s.figures.mean:.2f}"
        title = terminal(s.title)
        lines.append(
            f"  {s.date.isoformat()} {s.start:%H:%M} {s.session_id}: {title}: {mean}"
            f" ({s.figures.responses} rating(s))"
        )
    for q in summary.questions:
        if q.rated:
            mean = "no ratings" if q.figures.mean is None else f"mean {q.figures.mean:.2f}"
            lines.append(f"  visit: {q.id}: {mean} ({q.figures.responses} rating(s))")
    return lines
