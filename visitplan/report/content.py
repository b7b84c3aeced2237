"""What the final report says, as plain values: headings, paragraphs, lists and tables.

:func:`report_content` decides every word and figure of the report from the plan's
views, the workbooks' named cells, the evaluation's summary and the annexes found;
:mod:`.docx_writer` only lays the blocks out.  So a test (or another writer) can read
the report's content without opening Word.

Money figures are the workbooks' stored values (:mod:`.figures`), formatted, never
added up or rounded here: every amount in the report is a cell of costs.xlsx or
actuals.xlsx.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from visitplan.export.words import Words
from visitplan.model import BASE, Visit
from visitplan.views import SessionItem, Views

from .annexes import Annex
from .evaluation import Evaluation, Rated
from .figures import COMPARED, Figures

NONE = "—"
"""What a table cell says where there is no figure."""


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1
    """0 is the document's title; 1 a section; 2 a part of one."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Items:
    """A numbered list."""

    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()
    """The columns' shares of the text width (equal when empty)."""
    numbers: tuple[int, ...] = ()
    """Columns that hold figures (right-aligned)."""


Block = Heading | Paragraph | Items | Table


@dataclass(frozen=True, slots=True)
class Report:
    """The report: its blocks in order and the document's properties."""

    title: str
    author: str
    language: str
    issued: datetime
    blocks: tuple[Block, ...]


def report_content(
    views: Views,
    language: str,
    costs: Figures | None,
    actuals: Figures | None,
    evaluation: Evaluation | None,
    annexes: tuple[Annex, ...],
) -> Report:
    """The report of the plan in ``views``, in ``language`` (lv, en or nb)."""
    w = Words(language)
    visit = views.visit
    blocks: list[Block] = [
        Heading(f"{w('report_title')}: {visit.title}", 0),
        Paragraph(w("report_draft_note"), italic=True),
        *_project(visit, w),
        *_participants(visit, w),
        *_programme(views, w, actuals),
        *_hosts(views, w),
        *_results(views, w),
        *_budget(visit, w, costs, actuals),
        *_evaluation(w, evaluation),
        *_annexes(w, annexes),
    ]
    author = visit.organiser.name if visit.organiser else ""
    return Report(
        f"{w('report_title')}: {visit.title}", author, w.language, views.plan.issued, tuple(blocks)
    )


def _project(visit: Visit, w: Words) -> Iterator[Block]:
    project, funder = visit.project, visit.funder
    rows = [
        (w("report_project_title"), project.title if project and project.title else visit.title)
    ]
    if project and project.applicant:
        rows.append((w("report_applicant"), project.applicant))
    if funder is not None:
        rows.append((w("funder"), funder.name))
        if funder.programme:
            rows.append((w("report_funding_programme"), funder.programme))
        if funder.project_number:
            rows.append((w("project_number"), funder.project_number))
    if project and project.period_from and project.period_to:
        rows.append((w("report_period"), w.span(project.period_from, project.period_to)))
    rows.append((w("report_visit_dates"), w.span(visit.depart_day, visit.return_day)))
    if visit.organiser is not None and visit.organiser.name:
        rows.append((w("organiser"), visit.organiser.name))
    yield Heading(w("report_project"))
    yield Table(("", ""), tuple(rows), widths=(1, 2))
    if project and project.aims:
        yield Heading(w("report_aims"), 2)
        yield Items(project.aims)
    if project and project.results:
        yield Heading(w("report_planned_results"), 2)
        yield Items(project.results)


def _participants(visit: Visit, w: Words) -> Iterator[Block]:
    people = sorted(
        visit.delegates,
        key=lambda d: (_collated(d.organisation), _collated(d.role), _collated(d.name), d.id),
    )
    yield Heading(w("report_participants"))
    yield Table(
        (w("organisation"), w("name"), w("role")),
        tuple((d.organisation, d.name, d.role) for d in people),
        widths=(3, 3, 2),
    )
    counts: dict[str, int] = {}
    for delegate in people:
        counts[delegate.organisation] = counts.get(delegate.organisation, 0) + 1
    yield Heading(w("by_organisation"), 2)
    yield Table(
        (w("organisation"), w("people_count")),
        (*((name or NONE, str(n)) for name, n in counts.items()), (w("total"), str(len(people)))),
        widths=(3, 1),
        numbers=(1,),
    )


def _programme(views: Views, w: Words, actuals: Figures | None) -> Iterator[Block]:
    yield Heading(w("report_programme_held"))
    if actuals is not None:
        planned, actual = actuals.get("planned_attendances"), actuals.get("actual_attendances")
        yield Paragraph(
            w("report_attendances_line", planned=_count(planned), actual=_count(actual))
        )
    for on, items in views.days.items():
        sessions = [item for item in items if isinstance(item, SessionItem)]
        if not sessions:
            continue
        yield Heading(w.day(on), 2)
        yield Table(
            (w("time"), w("session"), w("where"), w("attendees")),
            tuple(
                (
                    f"{s.start:%H:%M}–{s.end:%H:%M}",
                    s.title,
                    s.host_name,
                    w("whole_delegation") if s.whole_delegation else str(s.size),
                )
                for s in sessions
            ),
            widths=(2, 6, 4, 2),
        )


def _hosts(views: Views, w: Words) -> Iterator[Block]:
    yield Heading(w("report_hosts"))
    rows = []
    for host_id, roster in views.hosts.items():
        if host_id == BASE or not roster.sessions:
            continue
        place = _lines(roster.name, roster.address)
        contact = _lines(roster.contact, roster.email, roster.phone)
        held = _lines(*(f"{w.short_day(s.date)}: {s.title}" for s in roster.sessions))
        rows.append((place, contact, held))
    yield Table((w("host"), w("contact"), w("sessions")), tuple(rows), widths=(4, 4, 7))


def _results(views: Views, w: Words) -> Iterator[Block]:
    project = views.visit.project
    yield Heading(w("report_results"))
    if project and project.results:
        yield Heading(w("report_planned_results"), 2)
        yield Items(project.results)
    yield Heading(w("report_outcomes"), 2)
    outcomes = [
        (s, views.visit.session(s.session_id).outcome)
        for s in views.sessions
        if views.visit.session(s.session_id).outcome
    ]
    if not outcomes:
        yield Paragraph(w("report_no_outcomes"))
        return
    yield Table(
        (w("date"), w("session"), w("report_outcome")),
        tuple((w.short_day(s.date), s.title, outcome) for s, outcome in outcomes),
        widths=(2, 4, 5),
    )


def _budget(
    visit: Visit, w: Words, costs: Figures | None, actuals: Figures | None
) -> Iterator[Block]:
    yield Heading(w("report_budget"))
    if costs is None:
        yield Paragraph(w("report_no_costs"))
        return
    money = _Money(w, visit.currency)
    rows = []
    for name in COMPARED:
        planned = costs.get(name)
        if planned is None and actuals is not None:
            planned = actuals.get(f"planned_{name}")
        actual = actuals.get(f"actual_{name}") if actuals is not None else None
        if planned is None and actual is None:
            continue
        rows.append((w(f"report_{name}"), money(planned), money(actual)))
    header = (w("report_item"), w("report_planned"), w("report_actual"))
    yield Table(header, tuple(rows), widths=(3, 2, 2), numbers=(1, 2))
    sources = "costs.xlsx" + (", actuals.xlsx" if actuals is not None else "")
    yield Paragraph(w("report_figures_from", files=sources), italic=True)


def _evaluation(w: Words, evaluation: Evaluation | None) -> Iterator[Block]:
    if evaluation is None:
        return
    yield Heading(w("report_evaluation"))
    yield Paragraph(w("report_forms_line", responses=evaluation.responses, forms=evaluation.forms))
    header = (w("session"), w("report_responses"), w("report_mean"))
    if evaluation.sessions:
        yield Table(header, _rated_rows(w, evaluation.sessions), widths=(5, 1, 1), numbers=(1, 2))
    if evaluation.questions:
        yield Heading(w("report_whole_visit"), 2)
        header = (w("report_question"), *header[1:])
        yield Table(header, _rated_rows(w, evaluation.questions), widths=(5, 1, 1), numbers=(1, 2))


def _rated_rows(w: Words, rated: tuple[Rated, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple((r.text or r.id, str(r.responses), _mean(w, r.mean)) for r in rated)


def _annexes(w: Words, annexes: tuple[Annex, ...]) -> Iterator[Block]:
    yield Heading(w("report_annexes"))
    yield Items(tuple(f"{w(annex.key)} ({annex.file})" for annex in annexes))


class _Money:
    """An amount as the report prints it, or the dash where there is none."""

    def __init__(self, w: Words, currency: str) -> None:
        self.w, self.currency = w, currency

    def __call__(self, amount: Decimal | None) -> str:
        return NONE if amount is None else self.w.money(amount, self.currency)


def _lines(*texts: str) -> str:
    """The texts that are not empty, one a line (a table cell's line breaks)."""
    return "\n".join(text for text in texts if text)


def _collated(text: str) -> tuple[str, str]:
    """A sort key that puts Ē with E and Ø with O, as a reader looks a name up."""
    base = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in base if not unicodedata.combining(c)).replace("ø", "o")
    return letters.replace("æ", "ae").replace("å", "a"), text


def _count(value: Decimal | None) -> str:
    return NONE if value is None else f"{value:f}".removesuffix(".0")


def _mean(w: Words, mean: float | None) -> str:
    if mean is None:
        return NONE
    text = f"{mean:.1f}"
    return text if w.language == "en" else text.replace(".", ",")
