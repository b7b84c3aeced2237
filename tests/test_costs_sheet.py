"""costs.xlsx: its live formulas, once computed, give rule 9's values to the cent.

Two engines recompute the workbook: the ``formulas`` package (pure Python)
and, when it is installed, LibreOffice headless. The values stored with the
formulas are read as a viewer that never recalculates reads them (openpyxl's
data_only, pandas). ``visitplan.costs`` is the reference all are held to.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas
import pytest

from tests.test_costs import NOK, NOTE, line, make_visit
from visitplan.costs import compute_costs, delegate_shares, quantity
from visitplan.export import costs_sheet
from visitplan.model import Budget, Delegate, ExchangeNote, Visit
from visitplan.per_diem import unplanned_per_diems

D = Decimal
DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS = ("latgale-trondelag-2009", "vidzeme-ostfold-2009")
NAMES = ("total_cost", "eligible", "grant_share", "cofinancing", "budget_remaining")
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

EVIL = (
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+1+2",
    "-3+4",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "_x0041_",  # Excel's escape for "A": must read back as typed
)


# -- visits -------------------------------------------------------------------
#
# The halves below are exact in binary (x.125, x.375): the ``formulas``
# package rounds the float product, so 1.005 (1.00499… as a float) would come
# out 1.00 there, unlike Excel and LibreOffice. LibreOffice gets its own
# visit with such halves (``halves_visit``).


def eur_visit() -> Visit:
    return make_visit(
        (
            line("flight", "per_person", "350", category="flight"),
            line("hotel", "per_person_night", "95.5", category="accommodation"),
            line("perdiem", "per_person_day", "60", category="per_diem"),
            line("coach", "per_day", "410.25", category="transport"),
            line("room", "lump_sum", "0.125", category="venue"),  # → 0.13
            line("badges", "per_person", "0.375", category="other"),  # 1.125 → 1.13
            line("gifts", "lump_sum", "240", category="other", eligible=False),
        ),
        budget=Budget(total=D("12000"), cofinancing_rate=D("0.15")),
    )


def nok_visit() -> Visit:
    delegates = (
        Delegate("d1", "Jānis Bērziņš"),
        Delegate("d2", "Ilze Ķēniņa", travel_out=date(2009, 8, 24)),
        Delegate("d3", "Øystein Ås", travel_home=date(2009, 8, 27)),
        Delegate("d4", "Līga Ziņģe", travel_out=date(2009, 8, 25), travel_home=date(2009, 8, 26)),
    )
    return make_visit(
        (
            line("flight", "per_person", "350", category="flight"),
            line("hotel", "per_person_night", "1100", "NOK", category="accommodation"),
            line("perdiem", "per_person_day", "60", category="per_diem"),
            line("coach", "per_day", "9500", "NOK", category="transport"),
            line("interp", "per_day", "6500", "NOK", category="interpreter"),
            line("room", "lump_sum", "4500", "NOK", category="venue"),
            line("dinner", "lump_sum", "22000", "NOK", category="other", eligible=False),
            line("gifts", "lump_sum", "650", category="other", eligible=False),
        ),
        delegates=delegates,
        exchange=NOK,
        exchange_note=NOTE,
        budget=Budget(total=D("58800"), cofinancing_rate=D("0.15")),
    )


def budget_58800_visit() -> Visit:
    return make_visit(
        (
            line("flights", "per_person", "400", category="flight"),
            line("hotel", "per_person_night", "2500", category="accommodation"),
            line("per_diem", "per_person_day", "600", category="per_diem"),
        ),
        budget=Budget(total=D("58800"), cofinancing_rate=D("0.15")),
    )


def no_budget_visit() -> Visit:
    return make_visit(
        (line("a", "lump_sum", "10"), line("b", "per_person", "2.5", eligible=False)),
    )


def halves_visit() -> Visit:
    """Halves that binary floats hold just below .5: Excel's ROUND still goes up."""
    return make_visit(
        (
            line("a", "lump_sum", "1.005"),
            line("b", "lump_sum", "2.675"),
            line("c", "per_person", "0.335"),  # 3 × 0.335 = 1.005
            line("d", "lump_sum", "25", "NOK"),  # 25 × 0.1146 = 2.865
            line("e", "lump_sum", "10.005"),
        ),
        exchange=NOK,
        budget=Budget(total=D("100"), cofinancing_rate=D("0.15")),
    )


def extreme_visit() -> Visit:
    """The largest amounts, rates and counts the input allows: figures up to ~1e21."""
    delegates = tuple(Delegate(f"d{i:04}", f"Delegate {i}") for i in range(5000))
    delegates = (replace(delegates[0], travel_out=date(2009, 6, 1)), *delegates[1:])
    return make_visit(
        (
            line("max", "per_person_day", "1000000000", "XXX", category="flight"),
            line("odd", "lump_sum", "999999999.9999", "YYY", category="venue"),
            line("people", "per_person", "123456789.1234", category="per_diem"),
            line("cents", "per_day", "4321.1234", "NOK", category="transport"),
            line("nights", "per_person_night", "0.0001", eligible=False),
        ),
        delegates=delegates,
        exchange=(("NOK", D("0.1146")), ("XXX", D("1000000")), ("YYY", D("999999.999999"))),
        budget=Budget(total=D("10000000000"), cofinancing_rate=D("0.15")),
        first_day=date(2009, 6, 1),
        last_day=date(2009, 8, 31),  # 92 programme days
        depart=date(2009, 5, 25),
        return_=date(2009, 9, 7),  # a week either side: 106 trip days
    )


def injection_visit() -> Visit:
    delegates = tuple(
        Delegate(f"-{i}", text, travel_out=date(2009, 8, 24)) for i, text in enumerate(EVIL)
    )
    lines = tuple(
        line(f"-{i}", "per_person", "10", description=text) for i, text in enumerate(EVIL)
    )
    return make_visit(
        lines,
        delegates=delegates,
        title="=1+2",
        exchange=NOK,
        exchange_note=ExchangeNote(date(2009, 8, 1), "@SUM(A1)"),
    )


def seed_visit(name: str) -> Visit:
    read = pytest.importorskip("visitplan.read")
    folder = DATA / name
    if not (folder / "visit.toml").exists():
        pytest.skip(f"seed visit {name} not written yet")
    return read.load_visit(folder)


CASES = {
    "eur": eur_visit,
    "nok": nok_visit,
    "budget_58800": budget_58800_visit,
    "no_budget": no_budget_visit,
    "injection": injection_visit,
}
SEED_CASES = {name: (lambda name=name: seed_visit(name)) for name in SEEDS}


# -- reading computed workbooks -------------------------------------------------


def line_row(visit: Visit, line_id: str) -> int:
    return 2 + [x.id for x in visit.costs].index(line_id)


def assert_cents(value, expected: Decimal, what: str) -> None:
    assert value is not None and not isinstance(value, str), f"{what}: {value!r}"
    assert abs(float(value) - float(expected)) < 1e-6, f"{what}: {value!r} != {expected}"


class Computed:
    """Values of a recomputed workbook, by sheet and cell or by defined name."""

    def __init__(self, cells: dict[tuple[str, str], object], names: dict[str, object]):
        self.cells = cells
        self.names = names

    def cell(self, sheet: str, ref: str):
        return self.cells.get((sheet.upper(), ref.replace("$", "")))

    def assert_rule_9(self, visit: Visit) -> None:
        summary = compute_costs(visit)
        for amount in summary.lines:
            row = line_row(visit, amount.line.id)
            assert_cents(self.cell("Costs", f"J{row}"), amount.amount, f"line {amount.line.id}")
        expected = {
            "total_cost": summary.total_cost,
            "eligible": summary.eligible,
            "grant_share": summary.grant_share,
            "cofinancing": summary.cofinancing,
            "budget_remaining": summary.budget_remaining,
        }
        for name, value in expected.items():
            if value is None:
                assert name not in self.names
            else:
                assert_cents(self.names[name], value, name)
        assert_cents(self.cell("Budget", "B3"), summary.eligible, "eligible")
        self.assert_per_diems(visit, summary)
        for row, share in enumerate(delegate_shares(visit), start=2):  # in delegates' order
            assert self.cell("Per delegate", f"E{row}") == share.trip_days
            assert self.cell("Per delegate", f"F{row}") == share.nights
            for column, (line_id, amount) in enumerate(share.amounts, start=7):
                ref = f"{openpyxl.utils.get_column_letter(column)}{row}"
                assert_cents(
                    self.cell("Per delegate", ref), amount, f"{share.delegate.id} {line_id}"
                )

    def assert_per_diems(self, visit: Visit, summary) -> None:
        """Per diems without a plan (hotel breakfasts only): each day's amount, their
        total (per_diem_total) and the Costs row that feeds the totals."""
        if not visit.per_diem_rates:
            assert "per_diem_total" not in self.names
            return
        assert_cents(self.names["per_diem_total"], summary.per_diem_total, "per_diem_total")
        per_diem_row = 2 + len(visit.costs)
        assert_cents(self.cell("Costs", f"J{per_diem_row}"), summary.per_diem_total, "per diems")
        first = costs_sheet.ROW_PD_RATES_HEADER + len(visit.per_diem_rates) + 3
        days = unplanned_per_diems(visit)
        assert summary.per_diem_days == len(days) > 0
        for row, day in enumerate(days, start=first):
            assert self.cell("Per diems", f"A{row}") == day.delegate_id
            assert_cents(self.cell("Per diems", f"J{row}"), day.amount, f"{day} amount")


def compute_with_formulas(path: Path) -> Computed:
    formulas = pytest.importorskip("formulas")
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    cells, names = {}, {}
    for key, value in solution.items():
        book_sheet, _, ref = key.rpartition("!")
        sheet = book_sheet.strip("'").partition("]")[2]
        value = getattr(value, "value", value)
        if ":" in ref:
            continue
        scalar = value[0][0] if hasattr(value, "__getitem__") else value
        scalar = scalar.item() if hasattr(scalar, "item") else scalar
        if sheet:
            cells[(sheet, ref)] = scalar
        else:
            names[ref.lower()] = scalar
    return Computed(cells, names)


def read_computed_xlsx(path: Path) -> Computed:
    """Cached values of a workbook an engine has saved, read with openpyxl."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    cells = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[(sheet.title.upper(), cell.coordinate)] = cell.value
    names = {}
    for name, defined in workbook.defined_names.items():
        ((sheet, ref),) = defined.destinations
        names[name] = cells.get((sheet.upper(), ref.replace("$", "")))
    return Computed(cells, names)


def formula_cells(path: Path) -> list[tuple[str, str]]:
    """(sheet, cell) of every formula in the workbook."""
    workbook = openpyxl.load_workbook(path)
    return [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def write_sheet(visit: Visit, folder: Path, name: str = "costs") -> Path:
    path = folder / f"{name}.xlsx"
    costs_sheet.write(visit, path)
    return path


# -- (a) the formulas package -----------------------------------------------------


@pytest.mark.parametrize("case", ["eur", "nok", "budget_58800", "no_budget"])
def test_formulas_compute_rule_9_to_the_cent(case, tmp_path):
    visit = CASES[case]()
    computed = compute_with_formulas(write_sheet(visit, tmp_path))
    computed.assert_rule_9(visit)


@pytest.mark.parametrize("seed", SEEDS)
def test_formulas_compute_rule_9_for_seed_visit(seed, tmp_path):
    visit = seed_visit(seed)
    computed = compute_with_formulas(write_sheet(visit, tmp_path))
    computed.assert_rule_9(visit)


def test_budget_of_58800_gives_grant_49980_and_cofinancing_8820(tmp_path):
    computed = compute_with_formulas(write_sheet(budget_58800_visit(), tmp_path))
    assert_cents(computed.names["total_cost"], D("58800"), "total_cost")
    assert_cents(computed.names["grant_share"], D("49980"), "grant_share")
    assert_cents(computed.names["cofinancing"], D("8820"), "cofinancing")
    assert_cents(computed.names["budget_remaining"], D("0"), "budget_remaining")


def test_inputs_sheet_counts_delegates_days_and_nights(tmp_path):
    visit = nok_visit()
    computed = compute_with_formulas(write_sheet(visit, tmp_path))
    assert computed.cell("Inputs", "B4") == 4
    assert computed.cell("Inputs", "B7") == 7
    assert computed.cell("Inputs", "B8") == 7 + 6 + 5 + 2
    assert computed.cell("Inputs", "B9") == 6 + 5 + 4 + 1


def test_sheet_formulas_are_live_when_an_input_changes(tmp_path):
    visit = nok_visit()
    path = write_sheet(visit, tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook["Per delegate"]["D2"].value = date(2009, 8, 28)  # d1 goes home a day early
    workbook["Inputs"]["B6"].value = date(2009, 8, 30)  # the visit returns a day later
    workbook["Inputs"]["B15"].value = 0.125  # a new NOK rate
    workbook.save(path)
    changed = replace(
        visit,
        return_=date(2009, 8, 30),
        exchange=(("NOK", D("0.125")),),
        delegates=(
            replace(visit.delegates[0], travel_home=date(2009, 8, 28)),
            *visit.delegates[1:],
        ),
    )
    compute_with_formulas(path).assert_rule_9(changed)


# -- (a) the values stored with the formulas -----------------------------------------
#
# A viewer that does not recalculate (a mail or phone preview, pandas, a script)
# shows what the file stores: every formula cell must hold rule 9's figure.

STORED_CASES = {**CASES, "halves": halves_visit}


@pytest.fixture(scope="module")
def extreme_sheet(tmp_path_factory) -> tuple[Visit, Path, Computed]:
    """The extreme visit's sheet and its stored values, written and read once (5,000 rows)."""
    visit = extreme_visit()
    path = write_sheet(visit, tmp_path_factory.mktemp("extreme"))
    return visit, path, read_computed_xlsx(path)


def assert_stores_rule_9(visit: Visit, path: Path, stored: Computed) -> None:
    stored.assert_rule_9(visit)
    for sheet, ref in formula_cells(path):
        assert stored.cell(sheet, ref) is not None, f"{sheet}!{ref} stores no value"
    counts = {"B4": "per_person", "B8": "per_person_day", "B9": "per_person_night"}
    for ref, basis in counts.items():
        assert stored.cell("Inputs", ref) == quantity(visit, basis)
    assert stored.cell("Inputs", "B7") == quantity(visit, "per_day")


@pytest.mark.parametrize("case", list(STORED_CASES))
def test_stored_values_give_rule_9_without_recalculating(case, tmp_path):
    visit = STORED_CASES[case]()
    path = write_sheet(visit, tmp_path)
    assert_stores_rule_9(visit, path, read_computed_xlsx(path))


def test_stored_values_give_rule_9_at_the_input_limits(extreme_sheet):
    assert_stores_rule_9(*extreme_sheet)


@pytest.mark.parametrize("seed", SEEDS)
def test_stored_values_give_rule_9_for_seed_visit(seed, tmp_path):
    visit = seed_visit(seed)
    read_computed_xlsx(write_sheet(visit, tmp_path)).assert_rule_9(visit)


@pytest.mark.parametrize("case", ["eur", "nok", "no_budget"])
def test_pandas_reads_the_figures(case, tmp_path):
    visit = CASES[case]()
    frames = pandas.read_excel(write_sheet(visit, tmp_path), sheet_name=None, header=None)
    summary = compute_costs(visit)
    costs, budget = frames["Costs"], frames["Budget"]
    for amount in summary.lines:
        value = costs.iloc[line_row(visit, amount.line.id) - 1, 9]
        assert_cents(value, amount.amount, amount.line.id)
    total_row = costs.index[costs[0] == "total"][0]
    assert_cents(costs.iloc[total_row, 9], summary.total_cost, "total")
    expected = {
        2: summary.total_cost,
        3: summary.eligible,
        6: summary.grant_share,
        7: summary.cofinancing,
        9: summary.budget_remaining,
    }
    for row, value in expected.items():
        if value is None:
            assert budget.shape[0] < row or pandas.isna(budget.iloc[row - 1, 1])
        else:
            assert_cents(budget.iloc[row - 1, 1], value, f"Budget row {row}")


def test_extreme_figures_are_stored_as_the_nearest_double(extreme_sheet):
    """Figures up to ~1e21 are written, read back as written, and keep their cents
    wherever a double can hold them (at most 15 significant digits)."""
    visit, _, stored = extreme_sheet
    summary = compute_costs(visit)
    figures = [(f"Costs!J{line_row(visit, x.line.id)}", x.amount) for x in summary.lines]
    figures += [
        ("total_cost", summary.total_cost),
        ("eligible", summary.eligible),
        ("grant_share", summary.grant_share),
        ("cofinancing", summary.cofinancing),
        ("budget_remaining", summary.budget_remaining),
    ]
    assert max(value for _, value in figures) > D("1e20")
    with_cents = 0
    for where, expected in figures:
        if where.startswith("Costs!"):
            value = stored.cell("Costs", where.removeprefix("Costs!"))
        else:
            value = stored.names[where]
        assert float(value) == float(expected), where
        if len(expected.as_tuple().digits) <= 15:
            assert D(repr(value)) == expected, where  # the cents survive
            with_cents += expected != expected.to_integral_value()
    assert with_cents >= 2  # the check above saw figures with cents


def test_columns_widen_to_show_the_largest_figures(extreme_sheet, tmp_path):
    """A column too narrow for a number shows ####: money columns grow to fit theirs."""
    visit, path, _ = extreme_sheet
    widths = {}
    for name, written in (("nok", write_sheet(nok_visit(), tmp_path)), ("extreme", path)):
        workbook = openpyxl.load_workbook(written)
        widths[name] = {
            (sheet.title, letter): dimension.width
            for sheet in workbook.worksheets
            for letter, dimension in sheet.column_dimensions.items()
        }
    assert widths["nok"][("Costs", "J")] == 18  # ordinary figures keep the usual width
    assert widths["nok"][("Budget", "B")] == 20
    # A width counts digits of the default font; "EUR" and the separators take about 3 more.
    digits = len(f"{compute_costs(visit).total_cost:.2f}") - 1
    assert widths["extreme"][("Costs", "J")] >= digits + 3 + 1
    assert widths["extreme"][("Budget", "B")] >= digits + 3 + 1


# -- (b) LibreOffice headless ---------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# LibreOffice keeps the values stored in an .xlsx unless told to recalculate on
# loading ("Never recalculate" by default); this profile setting tells it to.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(program: str, workbooks, out: Path, profile: Path) -> None:
    """LibreOffice recomputes every workbook into ``out`` in one start (a start takes
    seconds), with a fresh profile at ``profile`` that recalculates on loading."""
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--calc",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *map(str, workbooks),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def with_stale_values(path: Path, target: Path) -> Path:
    """A copy of the workbook whose every stored formula value is 0."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"</f><v>[^<]*</v>", b"</f><v>0</v>", data)
            copy.writestr(info, data)
    return target


LIBREOFFICE_CASES = CASES | {"halves": halves_visit, "extreme": extreme_visit} | SEED_CASES


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory) -> dict[str, tuple[Visit, Path, Path] | BaseException]:
    """Every case's sheet recomputed by LibreOffice in one run (one start takes seconds).

    Each case maps to (visit, the sheet as written, LibreOffice's recomputed
    copy). A case that could not be built maps to its exception (a skip, or an
    error the case's test re-raises), so one broken seed fails only its own test.
    The case ``stale`` is ``nok`` with every stored value set to 0.
    """
    program = soffice()
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    source, out, profile = folder / "in", folder / "out", folder / "profile"
    source.mkdir()
    results: dict[str, tuple[Visit, Path, Path] | BaseException] = {}
    written = []
    for name, make in LIBREOFFICE_CASES.items():
        try:
            visit = make()
            written.append(write_sheet(visit, source, name))
        except (Exception, pytest.skip.Exception) as problem:
            results[name] = problem
            continue
        results[name] = (visit, written[-1], out / f"{name}.xlsx")
    if not isinstance(results["nok"], BaseException):
        visit, path, _ = results["nok"]
        written.append(with_stale_values(path, source / "stale.xlsx"))
        results["stale"] = (visit, written[-1], out / "stale.xlsx")
    recalculate(program, written, out, profile)
    return results


def libreoffice_case(libreoffice, case: str) -> tuple[Visit, Path, Path]:
    result = libreoffice[case]
    if isinstance(result, BaseException):
        raise result
    visit, written, recomputed = result
    assert recomputed.exists(), f"LibreOffice wrote no {recomputed.name}"
    return visit, written, recomputed


@pytest.mark.parametrize("case", ["eur", "nok", "budget_58800", "no_budget", "halves", *SEEDS])
def test_libreoffice_computes_rule_9_to_the_cent(case, libreoffice):
    visit, _, recomputed = libreoffice_case(libreoffice, case)
    read_computed_xlsx(recomputed).assert_rule_9(visit)


def test_libreoffice_recalculates_rather_than_reading_stored_values(libreoffice):
    """Without this the test above would only read back the values the sheet stores."""
    visit, _, recomputed = libreoffice_case(libreoffice, "stale")
    read_computed_xlsx(recomputed).assert_rule_9(visit)


@pytest.mark.parametrize("case", [*CASES, "halves", "extreme", *SEEDS])
def test_libreoffice_agrees_with_the_stored_values(case, libreoffice):
    """Every formula cell: LibreOffice's result is the value stored with the formula.

    To the cent; figures past 15 digits (``extreme``), where a double holds no
    cents, to 1e-14 of their size.
    """
    _, written, recomputed = libreoffice_case(libreoffice, case)
    stored, computed = read_computed_xlsx(written), read_computed_xlsx(recomputed)
    cells = formula_cells(written)
    assert cells
    for sheet, ref in cells:
        value, expected = computed.cell(sheet, ref), stored.cell(sheet, ref)
        assert expected is not None, f"{sheet}!{ref} stores no value"
        if isinstance(expected, int | float):
            assert isinstance(value, int | float), (sheet, ref, value)
            assert math.isclose(value, expected, rel_tol=1e-14, abs_tol=1e-3), (sheet, ref)
        else:
            assert value == expected, (sheet, ref)


def test_libreoffice_keeps_injected_text_as_text(libreoffice):
    visit, _, recomputed = libreoffice_case(libreoffice, "injection")
    computed = read_computed_xlsx(recomputed)
    for i, text in enumerate(EVIL):
        assert computed.cell("Costs", f"A{2 + i}") == f"-{i}"
        assert computed.cell("Costs", f"C{2 + i}") == text
        assert computed.cell("Per delegate", f"B{2 + i}") == text
    assert computed.cell("Inputs", "B2") == "=1+2"
    computed.assert_rule_9(visit)


# -- (c) text from the input stays text -------------------------------------------


def test_injected_text_is_written_as_strings(tmp_path):
    path = write_sheet(injection_visit(), tmp_path)
    workbook = openpyxl.load_workbook(path)
    costs, people = workbook["Costs"], workbook["Per delegate"]
    for i, text in enumerate(EVIL):
        for cell, value in (
            (costs[f"A{2 + i}"], f"-{i}"),
            (costs[f"C{2 + i}"], text),
            (people[f"A{2 + i}"], f"-{i}"),
            (people[f"B{2 + i}"], text),
            (people.cell(1, 7 + i), f"-{i}"),
        ):
            assert cell.data_type == "s", cell.coordinate
            assert cell.value == value
    assert workbook["Inputs"]["B2"].data_type == "s"
    assert workbook["Inputs"]["B2"].value == "=1+2"
    assert workbook["Inputs"]["C15"].value == "@SUM(A1)"


def test_no_formula_in_the_xml_holds_input_text(tmp_path):
    path = write_sheet(injection_visit(), tmp_path)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            root = ElementTree.fromstring(archive.read(name))
            for formula in root.iter(f"{MAIN_NS}f"):
                assert "HYPERLINK" not in (formula.text or "")
                assert "cmd" not in (formula.text or "")
                assert "1+" not in (formula.text or "")


def test_control_characters_never_reach_the_xml(tmp_path):
    controls = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
    visit = make_visit(
        (line("x", "lump_sum", "1", description=f"a{controls}b _x0007_"),),
        delegates=(Delegate("d1", f"N{controls}o"),),
        title=f"T{controls}",
    )
    path = write_sheet(visit, tmp_path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            xml = archive.read(name).decode("utf-8")
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", xml), name
            ElementTree.fromstring(xml)  # well-formed
    workbook = openpyxl.load_workbook(path)
    assert workbook["Costs"]["C2"].value == "ab _x0007_"
    assert workbook["Per delegate"]["B2"].value == "No"
    assert workbook["Inputs"]["B2"].value == "T"
    with zipfile.ZipFile(path) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    assert "_x005F_x0007_" in strings  # escaped, so Excel shows the text as typed


def test_formulas_engine_reads_injected_text_verbatim(tmp_path):
    visit = injection_visit()
    computed = compute_with_formulas(write_sheet(visit, tmp_path))
    for i, text in enumerate(EVIL):
        assert computed.cell("Costs", f"C{2 + i}") == text
        assert computed.cell("Per delegate", f"B{2 + i}") == text
    computed.assert_rule_9(visit)


# -- (d) names, protection, inputs ------------------------------------------------


def test_workbook_names_point_at_the_budget_cells(tmp_path):
    workbook = openpyxl.load_workbook(write_sheet(nok_visit(), tmp_path))
    names = workbook.defined_names
    assert sorted(names) == sorted(NAMES)
    expected = {
        "total_cost": "'Budget'!$B$2",
        "eligible": "'Budget'!$B$3",
        "grant_share": "'Budget'!$B$6",
        "cofinancing": "'Budget'!$B$7",
        "budget_remaining": "'Budget'!$B$9",
    }
    for name, reference in expected.items():
        assert names[name].attr_text == reference
        assert names[name].localSheetId is None
    budget = workbook["Budget"]
    assert budget["A2"].value == "total cost"
    assert budget["A3"].value == "eligible costs"
    assert budget["A6"].value == "grant share"
    assert budget["A7"].value == "co-financing"
    assert budget["A9"].value == "budget remaining"
    assert budget["B7"].value == "=ROUND(B2-B6,2)"
    assert budget["B9"].value == "=B8-B2"
    assert all(not sheet.defined_names for sheet in workbook.worksheets)


def test_budget_remaining_is_named_only_with_a_budget_total(tmp_path):
    workbook = openpyxl.load_workbook(write_sheet(no_budget_visit(), tmp_path))
    assert sorted(workbook.defined_names) == sorted(NAMES[:4])
    assert workbook["Budget"]["B9"].value is None


def test_costs_rows_hold_live_formulas(tmp_path):
    visit = nok_visit()
    workbook = openpyxl.load_workbook(write_sheet(visit, tmp_path))
    costs = workbook["Costs"]
    assert [c.value for c in costs[1]] == [
        "id",
        "category",
        "description",
        "basis",
        "unit amount",
        "currency",
        "rate",
        "quantity",
        "eligible",
        "amount (EUR)",
    ]
    hotel = line_row(visit, "hotel")
    assert costs[f"G{hotel}"].value == "='Inputs'!$B$15"
    assert costs[f"H{hotel}"].value == "='Inputs'!$B$9"
    assert costs[f"J{hotel}"].value == f"=ROUND(E{hotel}*G{hotel}*H{hotel},2)"
    flight = line_row(visit, "flight")
    assert costs[f"G{flight}"].value == 1
    assert costs[f"H{flight}"].value == "='Inputs'!$B$4"
    assert costs[f"J{flight}"].number_format == '#,##0.00 "EUR"'
    assert costs[f"E{hotel}"].number_format == '#,##0.00 "NOK"'
    formulas = [c.value for c in costs["J"] if isinstance(c.value, str)]
    assert any(f.startswith("=ROUND(SUMIF(") for f in formulas)


def test_sheets_are_protected_with_inputs_unlocked(tmp_path):
    visit = nok_visit()
    workbook = openpyxl.load_workbook(write_sheet(visit, tmp_path))
    assert workbook.calculation.fullCalcOnLoad is True
    assert workbook.sheetnames == ["Inputs", "Costs", "Budget", "Per delegate"]
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet is True
        assert not sheet.protection.password
        assert sheet.freeze_panes is not None
    rows = range(2, 2 + len(visit.costs))
    people = range(2, 2 + len(visit.delegates))
    inputs = (
        [("Inputs", ref) for ref in ("B5", "B6", "B10", "B11", "B15")]
        + [("Costs", f"{column}{row}") for column in "EI" for row in rows]
        + [("Per delegate", f"{column}{row}") for column in "CD" for row in people]
    )
    computed = (
        [("Inputs", ref) for ref in ("B2", "B4", "B7", "B8", "B9", "B14")]
        + [("Costs", f"{column}{row}") for column in "ABGHJ" for row in rows]
        + [("Budget", f"B{row}") for row in range(2, 10)]
        + [("Per delegate", f"{column}{row}") for column in "ABEFG" for row in people]
    )
    fill = "FF" + costs_sheet.INPUT_COLOUR.removeprefix("#")
    for sheet, ref in inputs:
        cell = workbook[sheet][ref]
        assert cell.protection.locked is False, (sheet, ref)
        assert cell.fill.fill_type == "solid" and cell.fill.start_color.rgb == fill, (sheet, ref)
    for sheet, ref in computed:
        cell = workbook[sheet][ref]
        assert cell.protection.locked is True, (sheet, ref)
        assert cell.fill.fill_type is None, (sheet, ref)


def test_the_same_visit_gives_the_same_bytes(tmp_path):
    first = write_sheet(nok_visit(), tmp_path, "first")
    second = write_sheet(nok_visit(), tmp_path, "second")
    assert first.read_bytes() == second.read_bytes()


def test_currency_without_rate_is_refused_before_writing(tmp_path):
    visit = make_visit((line("x", "lump_sum", "1", "SEK"),), exchange=NOK)
    with pytest.raises(ValueError, match="SEK"):
        write_sheet(visit, tmp_path)
    assert not (tmp_path / "costs.xlsx").exists()
