"""actuals.xlsx recomputed by LibreOffice: every formula's stored value is what it
computes, to the cent, for the Vidzeme cases, the kit's ticks and the Latgale seed's
actual.csv against a plan of it; and the seed's differences are the ones it records."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from tests.test_costs_sheet import (
    read_computed_xlsx,
    recalculate,
    soffice,
    with_stale_values,
)
from visitplan.actuals import compare, read_actuals
from visitplan.actuals.differences import differences
from visitplan.actuals.sheet import write
from visitplan.cli import main
from visitplan.plan import dumps
from visitplan.read import load_visit

from .actualcases import HEADER, case, names, no_show_and_late_csv, run, signed_kit
from .solving import plan_and_check

SEED = Path(__file__).resolve().parents[1] / "data" / "latgale-trondelag-2009"


@cache
def latgale():
    visit = load_visit(SEED)
    return visit, plan_and_check(visit, deterministic_time=1.0)


@dataclass(frozen=True)
class Recomputed:
    written: Path
    recomputed: Path


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory) -> dict[str, Recomputed]:
    """Each case's workbook and LibreOffice's recomputed copy, all in one run."""
    program = soffice()
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("actuals-libreoffice")
    source, out, profile = folder / "in", folder / "out", folder / "profile"
    source.mkdir()
    c = case()
    gone = c.visit.delegates[2].id
    gone_rows = "".join(
        f"{gone},{a.session_id},no,,\n" for a in c.plan.assignments if a.delegate_id == gone
    )
    written = {
        "as_planned": run(c.visit, c.plan, HEADER, source, "as_planned")[1],
        "changed": run(c.visit, c.plan, no_show_and_late_csv(c), source, "changed")[1],
        "gone": run(c.visit, c.plan, HEADER + gone_rows, source, "gone")[1],
    }
    kit = signed_kit(
        c,
        folder,
        unsigned={(c.absent, s) for s in c.missed},
        walk_ins={"Ola Nordmann": c.missed[0]},
    )
    comparison = compare(c.visit, c.plan, read_actuals(c.visit, c.plan, kit))
    write(comparison, source / "kit.xlsx")
    written["kit"] = source / "kit.xlsx"
    visit, plan = latgale()
    comparison = compare(visit, plan, read_actuals(visit, plan, SEED / "actual.csv"))
    write(comparison, source / "seed.xlsx")
    written["seed"] = source / "seed.xlsx"
    written["stale"] = with_stale_values(written["changed"], source / "stale.xlsx")
    recalculate(program, written.values(), out, profile)
    return {name: Recomputed(path, out / path.name) for name, path in written.items()}


def formula_cells(path: Path) -> list[tuple[str, str]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    return [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("name", ["as_planned", "changed", "gone", "kit", "seed"])
def test_libreoffice_computes_every_stored_value_to_the_cent(libreoffice, name):
    result = libreoffice[name]
    assert result.recomputed.exists(), f"LibreOffice wrote no {result.recomputed.name}"
    stored, computed = read_computed_xlsx(result.written), read_computed_xlsx(result.recomputed)
    cells = formula_cells(result.written)
    assert len(cells) > 50
    for sheet, at in cells:
        value, expected = computed.cell(sheet, at), stored.cell(sheet, at)
        assert expected is not None, f"{sheet}!{at} stores no value"
        assert isinstance(value, int | float), (sheet, at, value)
        assert math.isclose(value, expected, abs_tol=0.005), (sheet, at, value, expected)
    assert set(stored.names) == set(computed.names)
    for key in ("total_cost", "grant_share", "cofinancing", "per_diem_total", "attendances"):
        for side in ("planned", "actual"):
            assert math.isclose(
                computed.names[f"{side}_{key}"], stored.names[f"{side}_{key}"], abs_tol=0.005
            ), f"{side}_{key}"


def test_libreoffice_recalculates_rather_than_reading_stored_values(libreoffice):
    """Without this the test above could pass on values LibreOffice merely kept."""
    stale = read_computed_xlsx(libreoffice["stale"].recomputed)
    right = read_computed_xlsx(libreoffice["changed"].written)
    assert right.names["actual_total_cost"] != 0
    for name, value in right.names.items():
        assert math.isclose(stale.names[name], value, abs_tol=0.005), name


def test_the_seed_actual_csv_records_a_late_arrival_a_missed_day_and_a_skipped_session(
    tmp_path, capsys
):
    visit, plan = latgale()
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "plan.json").write_text(dumps(plan), encoding="utf-8")
    code = main(["actuals", str(SEED), str(folder), str(SEED / "actual.csv")])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    comparison = compare(visit, plan, read_actuals(visit, plan, SEED / "actual.csv"))
    people = {p.delegate_id: p for p in comparison.people}
    late = people["d10"]
    assert (late.planned_out, late.actual_out) == (visit.depart_day, date(2009, 8, 24))
    assert people["d07"].no_show_days == (date(2009, 8, 25),)
    assert "stj" in people["d13"].missing and people["d13"].no_show_days == ()
    assert "dinner" in people["d05"].missing
    changes = {(d.delegate_id, d.change.split(":")[0]) for d in differences(comparison)}
    assert ("d05", "per diem") in changes  # the dinner not eaten raises that day's per diem
    figures = names(folder / "actuals.xlsx")
    assert figures["actual_total_cost"] < figures["planned_total_cost"]
    assert figures["actual_attendances"] == figures["planned_attendances"] - 4
