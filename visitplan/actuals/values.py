"""The few kinds of value the actuals hold, parsed with a message that says what is wrong."""

from __future__ import annotations

import re
from datetime import date, datetime

from .records import quote

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
YES = ("yes", "true")
NO = ("no", "false")


class BadValue(ValueError):
    """A value that does not parse; its message says what is wrong, the caller says where."""


def ident(raw: object) -> str:
    value = str(raw).strip()
    if _ID.fullmatch(value):
        return value
    raise BadValue(f"'{quote(value)}' is not an id: use letters A-Z, digits, _ and -")


def yes_no(raw: object) -> bool:
    word = str(raw).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise BadValue(f"'{quote(str(raw).strip())}' is not yes or no")


def a_date(raw: object) -> date:
    """A date as YYYY-MM-DD text, or a date cell of a workbook."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if match := _DATE.fullmatch(text):
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    raise BadValue(f"'{quote(text)}' is not a date (write YYYY-MM-DD)")
