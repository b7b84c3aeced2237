"""What every kit item shares: its pages, its tables and its printing.

A kit item formats the views as one self-contained HTML document (styles inline,
the funder's logo as a data URI, nothing fetched) from a template in ``templates/``,
with the fixed words of :mod:`visitplan.export.words` in the item's language; every
text from the input goes through Jinja2's autoescaping and :func:`visitplan.text.clean`.
The document is printed to PDF by the booklet's Chromium path
(:func:`visitplan.export.booklet.print_html`), so the kit and programme.pdf print alike
and skip alike where Chromium is absent.  An item whose table people tick or edit
also gives a :class:`Table`, a sheet of kit.xlsx.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from jinja2 import Environment

from visitplan.export.pages import html_environment
from visitplan.export.words import Words
from visitplan.model import Funder
from visitplan.views import Views

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet of kit.xlsx: a header row and rows of text and whole numbers."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[object, ...]] = field(default_factory=list)
    widths: tuple[float, ...] = ()


def hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def span(start: time, end: time) -> str:
    return f"{hhmm(start)}–{hhmm(end)}"


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def logo_uri(funder: Funder | None) -> str | None:
    """The funder's logo as a data URI, or None without one."""
    if funder is None or not funder.logo_data or not funder.logo_type:
        return None
    encoded = base64.b64encode(funder.logo_data).decode("ascii")
    return f"data:{funder.logo_type};base64,{encoded}"


def _environment() -> Environment:
    env = html_environment(TEMPLATES)
    env.globals.update(hhmm=hhmm, span=span)
    return env


_ENV = _environment()


def render(template: str, views: Views, language: str, title: str, **context: object) -> str:
    """The item's document: ``template`` filled with the visit, its funder and ``context``."""
    visit = views.visit
    words = Words(language)
    return _ENV.get_template(template).render(
        visit=visit,
        w=words,
        lang=words.language,
        doc_title=title,
        funder=visit.funder,
        logo=logo_uri(visit.funder),
        dates=words.span(visit.first_day, visit.last_day),
        **context,
    )


def day_of(views: Views, on: date) -> tuple[time, time]:
    """The day's frame, or the visit's for a date it does not list."""
    try:
        day = views.visit.day(on)
    except KeyError:
        return views.visit.day_start, views.visit.day_end
    return day.day_start, day.day_end
