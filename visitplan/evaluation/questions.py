"""What the evaluation asks: a rating per attended session, and the questions on the
whole visit.

Each question has an id (what forms, CSV columns and evaluation.json carry, so reading
back never depends on a translated label) and its text in every language, the word
``evaluation_q_<id>`` of :mod:`visitplan.export.words`.
"""

from __future__ import annotations

from dataclasses import dataclass

from visitplan.export.words import Words

LOWEST, HIGHEST = 1, 5
"""Every rating is a whole number from LOWEST to HIGHEST."""
SCALE = tuple(range(LOWEST, HIGHEST + 1))


@dataclass(frozen=True, slots=True)
class Question:
    """A question on the whole visit: answered by a rating, or by text."""

    id: str
    rated: bool

    def text(self, words: Words) -> str:
        return words(f"evaluation_q_{self.id}")


QUESTIONS = (
    Question("usefulness", rated=True),
    Question("organisation", rated=True),
    Question("apply", rated=False),
    Question("contacts", rated=False),
)
BY_ID = {q.id: q for q in QUESTIONS}
