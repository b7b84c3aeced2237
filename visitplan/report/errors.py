"""The one error the report raises for input it cannot use."""


class ReportError(Exception):
    """The plan folder, a workbook or an option cannot make a report: nothing is written
    (``visitplan report`` exits 2 with this message)."""
