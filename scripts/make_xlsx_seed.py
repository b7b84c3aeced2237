"""Regenerate data/vidzeme-ostfold-2009-xlsx/visit.xlsx from the Vidzeme visit folder.

Run after editing data/vidzeme-ostfold-2009/: ``python scripts/make_xlsx_seed.py`` (with visitplan
installed, or ``PYTHONPATH=.`` from the repository root).
"""

from pathlib import Path

from visitplan.export.visit_workbook import write_visit_workbook

DATA = Path(__file__).resolve().parent.parent / "data"


def main() -> None:
    written = write_visit_workbook(
        DATA / "vidzeme-ostfold-2009",
        DATA / "vidzeme-ostfold-2009-xlsx" / "visit.xlsx",
        replace=True,
    )
    print(written)


if __name__ == "__main__":
    main()
