"""The cells of actuals.xlsx: text always as text, formulas always with their value.

XlsxWriter writes a formula together with the value it computes, so a viewer that
never recalculates (a mail preview, openpyxl's data_only, pandas) shows the figures;
Excel and LibreOffice recompute them all the same.  Text from the input is written as
a string cell, never a formula, and without the characters XML cannot carry.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from visitplan.text import clean

EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "0"
RATE_FORMAT = "0.0000##"
PERCENT_FORMAT = "0.00%"


def money_format(currency: str) -> str:
    return f'#,##0.00 "{re.sub(r"[^A-Za-z0-9]", "", currency)}"'


def ref(column: int, row: int) -> str:
    """A1 reference of a 1-based column and row."""
    return f"{xl_col_to_name(column - 1)}{row}"


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def cells(sheet: str, column: str, first: int, last: int) -> str:
    """An absolute range of one column on another sheet."""
    return f"{quoted(sheet)}!${column}${first}:${column}${last}"


def number(value: Decimal | int) -> float | int:
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


class Sheet:
    """One worksheet written by A1 reference, with a few fixed styles."""

    def __init__(self, book: Book, name: str):
        self.book = book
        self.name = name
        self.ws: Worksheet = book.workbook.add_worksheet(name)

    def text(self, at: str, value: object, style: str = "") -> None:
        """A string cell (an empty text leaves the cell empty)."""
        shown = clean(value)
        if shown:
            self.ws.write_string(at, shown, self.book.style(style))
        else:
            self.ws.write_blank(at, None, self.book.style(style))

    def number(self, at: str, value: Decimal | int | None, style: str = "count") -> None:
        if value is None:
            self.ws.write_blank(at, None, self.book.style(style))
        else:
            self.ws.write_number(at, number(value), self.book.style(style))

    def date(self, at: str, value: date | None) -> None:
        if value is None:
            self.ws.write_blank(at, None, self.book.style("date"))
        else:
            self.ws.write_number(at, (value - EXCEL_EPOCH).days, self.book.style("date"))

    def formula(self, at: str, formula: str, value: Decimal | int, style: str = "count") -> None:
        """A live formula with its value stored."""
        self.ws.write_formula(at, formula, self.book.style(style), number(value))

    def header(self, row: int, labels: tuple[str, ...]) -> None:
        for column, label in enumerate(labels, start=1):
            self.text(ref(column, row), label, "header")

    def widths(self, *widths: float) -> None:
        for column, width in enumerate(widths):
            self.ws.set_column(column, column, width)


class Book:
    """The workbook and its styles: money in the visit's currency, dates, counts, headers."""

    def __init__(self, target, currency: str):
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._styles = {
            "": None,
            "header": {"bold": True, "valign": "top"},
            "bold": {"bold": True},
            "count": {"num_format": COUNT_FORMAT},
            "date": {"num_format": DATE_FORMAT},
            "rate": {"num_format": RATE_FORMAT},
            "percent": {"num_format": PERCENT_FORMAT},
            "money": {"num_format": money_format(currency)},
            "bold money": {"num_format": money_format(currency), "bold": True},
        }
        self._made: dict[str, object] = {}

    def sheet(self, name: str) -> Sheet:
        return Sheet(self, name)

    def style(self, name: str):
        properties = self._styles[name]
        if properties is None:
            return None
        if name not in self._made:
            self._made[name] = self.workbook.add_format(properties)
        return self._made[name]

    def name(self, name: str, sheet: str, at: str) -> None:
        """A workbook-level name for one cell."""
        column, row = re.fullmatch(r"([A-Z]+)(\d+)", at).groups()
        self.workbook.define_name(name, f"={quoted(sheet)}!${column}${row}")
