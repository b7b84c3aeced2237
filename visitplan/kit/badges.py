"""Name badges: A4 sheets of eight badges with cut marks.

Each badge carries the delegate's name, organisation and role and the visit's short
title, in the delegates' language (the only fixed word is none: a badge is names).
"""

from __future__ import annotations

from visitplan.export.words import Words
from visitplan.views import Views

from .common import render

NAME = "badges"
FILE = "badges.pdf"
PER_PAGE = 8


def language(views: Views) -> str:
    return views.visit.language


def html(views: Views) -> str:
    words = Words(language(views))
    people = views.visit.delegates
    pages = [people[i : i + PER_PAGE] for i in range(0, len(people), PER_PAGE)]
    return render("badges.html", views, words.language, words("badges"), pages=pages)
