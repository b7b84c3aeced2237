"""The interest questionnaire, both ways: ``visitplan survey``.

Out: one workbook per delegate and ``survey.csv``, the header an online form is
built from (:mod:`.write_survey`).  Back: filled workbooks and form exports
read into answers (:mod:`.workbook`, :mod:`.form_csv`), checked against the
visit all at once (:mod:`.collect`), and written into the visit's delegates
(:mod:`.write_visit`).  Answers are told apart by ids (the delegate's, the
sessions', the topics themselves), never by translated labels, so a Latvian
workbook reads back the same as an English one.

The package reads the visit (``visitplan.read``) and writes spreadsheets; it
never sees the solver, the plan or the views.
"""

from __future__ import annotations

from .collect import Collected, collect
from .write_survey import write_survey
from .write_visit import write_in_place, write_new_visit

__all__ = ["Collected", "collect", "write_in_place", "write_new_visit", "write_survey"]
