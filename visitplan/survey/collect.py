"""Filled questionnaires checked against the visit and turned into its new delegates.

Every file is read and every answer checked before anything is decided, so one
run lists every problem (``file:row: column: what is wrong``).  An answer
speaks only for the questions it carries: a topic or session the form did not
ask keeps the delegate's value, an interest of 0 or blank removes the topic, a
blank must-attend removes the session.  A delegate who did not answer keeps
what they had.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from visitplan.model import Delegate, Session, Visit, need_items
from visitplan.read import Problem
from visitplan.timegrid import minute_of, stay

from . import form_csv, workbook
from .answers import Answer, Given, cell_text, problem, quoted, terminal
from .questions import DIET, NEEDS, WEIGHTS, diet_text, other_needs_text, topics

TEXT_LIMIT = 2_000
YES = frozenset({"yes", "y", "jā", "ja", "x", "✓", "✔", "true", "1"})
NO = frozenset({"", "no", "n", "nē", "ne", "nei", "false", "0", "-"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Change:
    """What an answer changes for one delegate (all empty: the answer kept everything)."""

    delegate: Delegate
    added: tuple[tuple[str, int], ...] = ()
    removed: tuple[tuple[str, int], ...] = ()
    changed: tuple[tuple[str, int, int], ...] = ()
    must_added: tuple[str, ...] = ()
    must_removed: tuple[str, ...] = ()
    needs: tuple[str, str] | None = None

    @property
    def any(self) -> bool:
        return bool(
            self.added or self.removed or self.changed or self.must_added or self.must_removed
        ) or (self.needs is not None)


@dataclass(frozen=True, slots=True)
class Collected:
    """The outcome of a collection: the visit's delegates with the answers in (every
    delegate, in the visit's order), what changed per answering delegate, who did not
    answer, and the problems (when any, nothing may be written)."""

    delegates: tuple[Delegate, ...]
    changes: tuple[Change, ...]
    silent: tuple[Delegate, ...]
    problems: tuple[Problem, ...]


def collect(visit: Visit, paths: Iterable[str | Path]) -> Collected:
    """Read every file in ``paths`` (questionnaire workbooks, form exports as CSV or
    .xlsx) and apply the answers to ``visit``'s delegates."""
    answers: list[Answer] = []
    problems: list[Problem] = []
    for path in paths:
        found, trouble = read_file(Path(path), str(path))
        answers += found
        problems += trouble
    by_id = {d.id.casefold(): d for d in visit.delegates}
    first: dict[str, Given] = {}
    updated: dict[str, Delegate] = {}
    for answer in answers:
        delegate = _delegate(answer.delegate, by_id, first, problems)
        if delegate is None:
            continue
        new, trouble = apply(visit, delegate, answer)
        problems += trouble
        updated[delegate.id] = new
    delegates = tuple(updated.get(d.id, d) for d in visit.delegates)
    changes = tuple(change(d, updated[d.id]) for d in visit.delegates if d.id in updated)
    silent = tuple(d for d in visit.delegates if d.id not in updated)
    return Collected(delegates, changes, silent, tuple(problems))


def read_file(path: Path, shown: str) -> tuple[list[Answer], list[Problem]]:
    """The answers in one file: a questionnaire workbook, or a form's export."""
    if not path.is_file():
        return [], [problem(shown, None, None, "no such file")]
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return form_csv.read_csv(path, shown)
    if suffix == ".xlsx":
        try:
            book = workbook.open_book(path)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
            return [], [
                problem(shown, None, None, f"not readable as a workbook: {terminal(error)}")
            ]
        if workbook.is_survey(book):
            return workbook.read(book, shown)
        sheet = book.worksheets[0]  # a form tool's .xlsx export (Microsoft Forms)
        rows = [
            (number, list(cells))
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        return form_csv.read_table(rows, f"{shown}[{sheet.title}]")
    return [], [problem(shown, None, None, "neither a workbook (.xlsx) nor a form export (.csv)")]


def _delegate(
    given: Given, by_id: dict[str, Delegate], first: dict[str, Given], problems: list[Problem]
) -> Delegate | None:
    """The delegate an answer is for, or None after saying why it is none."""
    key = cell_text(given.value)
    if not key:
        problems.append(given.problem("names no delegate"))
        return None
    delegate = by_id.get(key.casefold())
    if delegate is None:
        problems.append(given.problem(f"unknown delegate {quoted(key)}"))
        return None
    if delegate.id in first:
        earlier = first[delegate.id]
        problems.append(
            given.problem(
                f"a second answer for {quoted(delegate.id)}; the first is "
                f"{terminal(earlier.file)}:{earlier.row}"
            )
        )
        return None
    first[delegate.id] = given
    return delegate


def apply(visit: Visit, delegate: Delegate, answer: Answer) -> tuple[Delegate, list[Problem]]:
    """``delegate`` with ``answer`` in, and the problems of the answer."""
    problems: list[Problem] = []
    known_topics = {topic.name for topic in topics(visit)}
    sessions = {s.id.casefold(): s for s in visit.sessions}
    weights = dict(delegate.interests)
    must = list(delegate.must_attend)
    texts: dict[str, str] = {}
    ticked: list[tuple[Session, Given]] = []
    for given in answer.given:
        kind, key = given.question.kind, given.question.key
        if kind == "interest":
            weight = _weight(given, problems)
            topic = unicodedata.normalize("NFC", key.strip().casefold())
            if weight and topic not in known_topics:
                problems.append(given.problem(f"{quoted(key)} is not a topic of the visit"))
            elif weight:
                weights[topic] = weight
            elif weight == 0:
                weights.pop(topic, None)
        elif kind == "must_attend":
            choice = _yes(given, problems)
            session = sessions.get(key.casefold())
            if choice and session is None:
                problems.append(given.problem(f"session {quoted(key)} is no longer in the visit"))
            elif choice and session.is_all:
                problems.append(
                    given.problem(
                        f"{quoted(session.id)} is for the whole delegation: no choice to make"
                    )
                )
            elif choice:
                ticked.append((session, given))
                if session.id not in must:
                    must.append(session.id)
            elif choice is False and session is not None and session.id in must:
                must.remove(session.id)
        elif kind in (NEEDS, DIET):
            value = _text(given, problems)
            if value is not None:
                texts[kind] = value
    problems += _groups(ticked) + _stays(visit, delegate, ticked)
    new = replace(
        delegate,
        interests=tuple(sorted(weights.items())),
        must_attend=tuple(must),
        needs=_needs(delegate, texts),
    )
    return new, problems


def _weight(given: Given, problems: list[Problem]) -> int | None:
    """0..10, 0 for a blank cell; None (and a problem) for anything else."""
    value: Any = given.value
    if isinstance(value, bool):
        value = None if value is False else "yes"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = cell_text(value)
    if not shown:
        return 0
    if isinstance(value, int) or re.fullmatch(r"[+-]?\d+", shown):
        weight = int(shown)
        if weight in WEIGHTS:
            return weight
    problems.append(given.problem(f"{quoted(value)} is not a whole number from 0 to 10"))
    return None


def _yes(given: Given, problems: list[Problem]) -> bool | None:
    value = cell_text(given.value).casefold()
    if value in YES or given.value is True:
        return True
    if value in NO or given.value is False:
        return False
    problems.append(given.problem(f"{quoted(given.value)} is not yes or blank"))
    return None


def _text(given: Given, problems: list[Problem]) -> str | None:
    value = cell_text(given.value)
    if found := _CONTROL.search(value):
        problems.append(
            given.problem(f"control character U+{ord(found[0]):04X} in {quoted(value)}")
        )
        return None
    if len(value) > TEXT_LIMIT:
        problems.append(
            given.problem(f"{len(value):,} characters, more than {TEXT_LIMIT:,}: {quoted(value)}")
        )
        return None
    return value


def _groups(ticked: list[tuple[Session, Given]]) -> list[Problem]:
    """A delegate insists on at most one session of a group (the same content again)."""
    problems, first = [], {}
    for session, given in ticked:
        if not session.group:
            continue
        if session.group in first:
            problems.append(
                given.problem(
                    f"{quoted(first[session.group])} and {quoted(session.id)} are the same "
                    f"content (group {quoted(session.group)}): choose one"
                )
            )
        else:
            first[session.group] = session.id
    return problems


def _stays(visit: Visit, delegate: Delegate, ticked: list[tuple[Session, Given]]) -> list[Problem]:
    """A session pinned outside the delegate's stay can never be attended."""
    problems = []
    for session, given in ticked:
        on = session.pin_date
        if on is None or on not in {day.date for day in visit.programme_days}:
            continue
        bounds = stay(visit, delegate, visit.day(on))
        start = None if session.pin_start is None else minute_of(session.pin_start)
        inside = bounds is not None and (
            start is None or (bounds[0] <= start and start + session.minutes <= bounds[1])
        )
        if not inside:
            problems.append(
                given.problem(f"{quoted(session.id)} is on {on}, outside this delegate's stay")
            )
    return problems


def _needs(delegate: Delegate, texts: dict[str, str]) -> str:
    """The needs column: diet and other needs as answered (a question not asked keeps
    its part); the old text as written when the items are the same."""
    diet = texts.get(DIET, diet_text(delegate))
    other = texts.get(NEEDS, other_needs_text(delegate))
    joined = "; ".join(part for part in (diet, other) if part)
    if sorted(need_items(joined)) == sorted(need_items(delegate.needs)):
        return delegate.needs
    return joined


def change(old: Delegate, new: Delegate) -> Change:
    before, after = dict(old.interests), dict(new.interests)
    return Change(
        new,
        added=tuple((t, w) for t, w in sorted(after.items()) if t not in before),
        removed=tuple((t, w) for t, w in sorted(before.items()) if t not in after),
        changed=tuple(
            (t, before[t], w) for t, w in sorted(after.items()) if t in before and before[t] != w
        ),
        must_added=tuple(s for s in new.must_attend if s not in old.must_attend),
        must_removed=tuple(s for s in old.must_attend if s not in new.must_attend),
        needs=None if old.needs == new.needs else (old.needs, new.needs),
    )
