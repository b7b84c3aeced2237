"""Per diems (rule 9 as docs/visit-format.md section 5 extends it): the rate valid on
each trip day, less the shares of the meals provided, on a tiny visit whose figures are
worked out by hand here, and held equal to the cent across visitplan.per_diem,
``visitplan costs`` and costs.xlsx recomputed by LibreOffice.

The expected amounts below are computed from the inputs with the rule written out,
ROUND(rate × exchange rate × (1 − MIN(1, Σ shares)), 2), over the meals each day has
by hand; nothing is taken from the code under test.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.test_costs_sheet import (
    compute_with_formulas,
    read_computed_xlsx,
    recalculate,
    soffice,
    with_stale_values,
)
from visitplan.check import check_plan
from visitplan.cli import main
from visitplan.costs import compute_costs
from visitplan.export import costs_sheet
from visitplan.export.visit_workbook import write_visit_workbook
from visitplan.outputs import write_outputs
from visitplan.per_diem import (
    PLANNED_MEALS,
    Stay,
    per_diem_days,
    planned_stays,
    visit_stays,
)
from visitplan.plan import Assignment, Plan, ScheduledSession, dumps
from visitplan.read import load_visit

D = Decimal
NOK = D("0.1146")
SHARES = {"breakfast": D("0.2"), "lunch": D("0.3"), "dinner": D("0.5")}
OLD_RATE, NEW_RATE, RAISED = D("520"), D("560"), date(2009, 8, 27)

VISIT_TOML = """\
id = "per-diem-tiny"
title = "Per diems: a tiny visit to Trøndelag"
timezone = "Europe/Oslo"
first_day = 2009-08-24
last_day = 2009-08-28
depart = 2009-08-23
return = 2009-08-29
day_start = "08:00"
day_end = "20:00"
currency = "EUR"

[base]
name = "Scandic Nidelven"
lat = 63.4339
lon = 10.4034
breakfast = true

[per_diem]
zone = "norway"

[exchange]
NOK = 0.1146
SEK = 0.09

[budget]
total = 5000
cofinancing_rate = 0.15
"""
FILES = {
    "visit.toml": VISIT_TOML,
    "delegates.csv": (
        "id,name,arrives,departs,travel_out,travel_home\n"
        "d1,Jānis Bērziņš,,,,\n"
        "d2,Līga Ziņģe,2009-08-25 10:00,2009-08-26 20:00,2009-08-25,2009-08-26\n"
    ),
    "hosts.csv": "id,name,lat,lon\nntnu,NTNU,63.4190,10.4020\n",
    "sessions.csv": (
        "id,title,host_id,minutes,kind,audience,date,start,provides\n"
        "bfast,Working breakfast with the mayor,base,60,meal,choice,2009-08-24,08:00,breakfast\n"
        "lunch,Lunch with the county council,base,60,meal,all,2009-08-25,12:00,lunch\n"
        "dinner,Dinner with the hosts,base,120,meal,choice,2009-08-26,18:00,Dinner\n"
        "talk,Regional development in Trøndelag,base,60,presentation,all,2009-08-27,10:00,\n"
    ),
    "costs.csv": (
        "id,category,description,basis,amount,currency,eligible\n"
        "flight,flight,Riga–Trondheim,per_person,350,EUR,yes\n"
        "hotel,accommodation,Single room incl. breakfast,per_person_night,1100,NOK,yes\n"
    ),
    "per_diem.csv": (
        "zone,valid_from,rate,currency,breakfast,lunch,dinner,note\n"
        "Norway,2009-01-01,520,NOK,0.2,0.3,0.5,test rate\n"
        "Norway,2009-08-27,560,NOK,0.2,0.3,0.5,raised from 27 August\n"
        "Sweden,2009-01-01,450,SEK,0.15,0.35,0.35,another zone: not counted\n"
    ),
}

MEALS_BY_HAND = {
    # d1 travels 23..29 August: a hotel breakfast after every night; the breakfast
    # session on the 24th is the same breakfast, counted once.
    ("d1", date(2009, 8, 23)): (),
    ("d1", date(2009, 8, 24)): ("breakfast",),
    ("d1", date(2009, 8, 25)): ("breakfast", "lunch"),
    ("d1", date(2009, 8, 26)): ("breakfast", "dinner"),
    ("d1", date(2009, 8, 27)): ("breakfast",),
    ("d1", date(2009, 8, 28)): ("breakfast",),
    ("d1", date(2009, 8, 29)): ("breakfast",),
    # d2 comes on the 25th (no night before it: no breakfast) and eats the lunch.
    ("d2", date(2009, 8, 25)): ("lunch",),
    ("d2", date(2009, 8, 26)): ("breakfast",),
}
"""The meals of the plan below, worked out by hand."""


def by_hand(on: date, meals: tuple[str, ...], shares=SHARES) -> Decimal:
    rate = NEW_RATE if on >= RAISED else OLD_RATE
    deduction = min(D(1), sum((shares[meal] for meal in meals), D(0)))
    return (rate * NOK * (1 - deduction)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def write_folder(folder: Path, **changes: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {**FILES, **changes}.items():
        if content is not None:
            (folder / name).write_text(content, encoding="utf-8")
    return folder


def the_plan(visit) -> Plan:
    """d1 attends all four sessions, d2 the lunch (all at the hotel: no rides); checked."""
    times = {
        "bfast": (date(2009, 8, 24), time(8), time(9)),
        "lunch": (date(2009, 8, 25), time(12), time(13)),
        "dinner": (date(2009, 8, 26), time(18), time(20)),
        "talk": (date(2009, 8, 27), time(10), time(11)),
    }
    attends = {"d1": ("bfast", "lunch", "dinner", "talk"), "d2": ("lunch",)}
    plan = Plan(
        visit_id=visit.id,
        timezone=visit.timezone,
        issued=datetime(2009, 8, 1, 12, tzinfo=UTC),
        sessions=tuple(ScheduledSession(s, "base", *times[s]) for s in times),
        assignments=tuple(
            Assignment(d, s, "base", *times[s]) for d, ids in attends.items() for s in ids
        ),
    )
    assert check_plan(visit, plan) == []
    return plan


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "visit")


@pytest.fixture
def plan_folder(folder: Path, tmp_path: Path) -> Path:
    out = tmp_path / "plan"
    out.mkdir()
    (out / "plan.json").write_text(dumps(the_plan(load_visit(folder))), encoding="utf-8")
    return out


# -- the rule -----------------------------------------------------------------------


def test_provided_lunch_and_hotel_breakfasts_are_deducted_by_hand(folder):
    visit = load_visit(folder)
    days = per_diem_days(visit, planned_stays(visit, the_plan(visit)))
    assert {(d.delegate_id, d.date): d.meals for d in days} == MEALS_BY_HAND
    for day in days:
        expected = by_hand(day.date, MEALS_BY_HAND[(day.delegate_id, day.date)])
        assert day.amount == expected, (day.delegate_id, day.date)
        assert day.exchange_rate == NOK and day.currency == "NOK" and day.zone == "Norway"
    summary = compute_costs(visit, days)
    total = sum(by_hand(on, meals) for (_, on), meals in MEALS_BY_HAND.items())
    assert summary.per_diem_total == total
    assert summary.subtotal("per_diem") == total
    lines = sum((line.amount for line in summary.lines), D(0))
    assert summary.total_cost == lines + total
    assert summary.eligible == lines + total  # every line here is eligible, and per diems are
    assert summary.budget_remaining == D(5000) - lines - total


def test_rate_that_changes_mid_visit_applies_from_its_valid_from(folder):
    visit = load_visit(folder)
    days = per_diem_days(visit, visit_stays(visit))
    rates = {(d.delegate_id, d.date): d.rate for d in days}
    assert rates[("d1", date(2009, 8, 26))] == OLD_RATE
    assert rates[("d1", date(2009, 8, 27))] == NEW_RATE
    assert {rates[("d1", date(2009, 8, n))] for n in (23, 24, 25, 26)} == {OLD_RATE}
    assert {rates[("d1", date(2009, 8, n))] for n in (27, 28, 29)} == {NEW_RATE}
    for day in days:
        assert day.amount == by_hand(day.date, day.meals)


def test_without_a_plan_only_hotel_breakfasts_are_deducted(folder):
    visit = load_visit(folder)
    days = per_diem_days(visit, visit_stays(visit))
    for day in days:
        assert day.meals == (() if day.date == arrives_on(day.delegate_id) else ("breakfast",))
    assert compute_costs(visit).per_diem_total == sum(d.amount for d in days)


def test_days_out_earn_no_per_diem(folder):
    visit = load_visit(folder)
    stays = planned_stays(visit, the_plan(visit))
    away = frozenset({date(2009, 8, 25), date(2009, 8, 26)})
    stays["d1"] = replace(stays["d1"], days_out=away)
    days = per_diem_days(visit, stays)
    assert [d.date for d in days if d.delegate_id == "d1"] == [
        date(2009, 8, n) for n in (23, 24, 27, 28, 29)
    ]
    assert len([d for d in days if d.delegate_id == "d2"]) == 2  # d2 keeps both days


def test_deduction_is_at_most_the_whole_rate(folder):
    visit = load_visit(folder)
    heavy = {"breakfast": D("0.5"), "lunch": D("0.5"), "dinner": D("0.5")}
    rates = tuple(replace(r, breakfast=D("0.5"), lunch=D("0.5")) for r in visit.per_diem_rates)
    visit = replace(visit, per_diem_rates=rates)
    on = date(2009, 8, 25)
    stay = Stay(date(2009, 8, 23), date(2009, 8, 29), {on: frozenset({"lunch", "dinner"})})
    (day,) = [d for d in per_diem_days(visit, {"d1": stay}) if d.date == on]
    assert day.deduction == 1 and day.amount == 0
    assert by_hand(on, ("breakfast", "lunch", "dinner"), heavy) == 0


# -- `visitplan costs`, costs.xlsx and LibreOffice agree to the cent -------------------------


def printed_figure(out: str, label: str) -> Decimal:
    """The last amount on the line ``visitplan costs`` starts with ``label``."""
    line = next(line for line in out.splitlines() if line.startswith(label))
    amounts = [t for t in line.split() if re.fullmatch(r"-?[\d,]+\.\d\d", t)]
    return D(amounts[-1].replace(",", ""))


def arrives_on(delegate_id: str) -> date:
    """The travel_out of the hand-worked delegates: no hotel breakfast that day."""
    return date(2009, 8, 23) if delegate_id == "d1" else date(2009, 8, 25)


def test_costs_command_deducts_the_plans_meals_with_the_plan_folder(folder, plan_folder, capsys):
    assert main(["costs", str(folder), str(plan_folder)]) == 0
    out = capsys.readouterr().out
    total = sum(by_hand(on, meals) for (_, on), meals in MEALS_BY_HAND.items())
    assert printed_figure(out, "per diems") == total
    assert "meals of the sessions each delegate attends" in out
    assert main(["costs", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "only hotel breakfasts are deducted" in out
    hotel_only = sum(
        by_hand(on, () if on == arrives_on(who) else ("breakfast",)) for who, on in MEALS_BY_HAND
    )
    assert printed_figure(out, "per diems") == hotel_only


def test_costs_command_refuses_a_plan_of_another_visit(folder, plan_folder, capsys):
    toml = folder / "visit.toml"
    toml.write_text(VISIT_TOML.replace("per-diem-tiny", "another-visit"), encoding="utf-8")
    assert main(["costs", str(folder), str(plan_folder)]) == 2
    assert "not of another-visit" in capsys.readouterr().err


def per_diem_rows(sheet) -> dict[tuple[str, date], int]:
    rows = {}
    for row in range(1, sheet.max_row + 1):
        when = sheet[f"C{row}"].value
        if isinstance(when, datetime):
            rows[(sheet[f"A{row}"].value, when.date())] = row
    return rows


def test_sheet_has_a_live_row_per_delegate_day(folder, tmp_path):
    visit = load_visit(folder)
    days = per_diem_days(visit, planned_stays(visit, the_plan(visit)))
    path = tmp_path / "costs.xlsx"
    costs_sheet.write(visit, path, days, PLANNED_MEALS)
    book = openpyxl.load_workbook(path)
    sheet = book["Per diems"]
    rows = per_diem_rows(sheet)
    assert set(rows) == set(MEALS_BY_HAND)
    for key, row in rows.items():
        flags = [sheet[f"{c}{row}"].value for c in "FGH"]
        assert flags == [int(m in MEALS_BY_HAND[key]) for m in ("breakfast", "lunch", "dinner")]
        assert sheet[f"D{row}"].value.startswith("=LOOKUP(C")
        assert sheet[f"I{row}"].value.startswith("=MIN(1,")
        assert sheet[f"J{row}"].value == f"=ROUND(D{row}*E{row}*(1-I{row}),2)"
        assert sheet[f"F{row}"].protection.locked is False  # a meal flag is an input
    assert "per_diem_total" in book.defined_names
    assert sheet["B2"].value == PLANNED_MEALS


def test_sheet_recomputes_when_a_meal_flag_changes(folder, tmp_path):
    """The formulas are live: untick d2's lunch and the amount is the whole rate."""
    visit = load_visit(folder)
    days = per_diem_days(visit, planned_stays(visit, the_plan(visit)))
    path = tmp_path / "costs.xlsx"
    costs_sheet.write(visit, path, days, PLANNED_MEALS)
    book = openpyxl.load_workbook(path)
    row = per_diem_rows(book["Per diems"])[("d2", date(2009, 8, 25))]
    book["Per diems"][f"G{row}"].value = 0
    book.save(path)
    computed = compute_with_formulas(path)
    assert abs(computed.cell("Per diems", f"J{row}") - float(by_hand(date(2009, 8, 25), ()))) < 1e-9
    total = sum(by_hand(on, meals) for (_, on), meals in MEALS_BY_HAND.items())
    total += by_hand(date(2009, 8, 25), ()) - by_hand(date(2009, 8, 25), ("lunch",))
    assert abs(computed.names["per_diem_total"] - float(total)) < 1e-9


HALVES = (
    "zone,valid_from,rate,currency,breakfast,lunch,dinner,note\n"
    "Norway,2009-01-01,55.55,EUR,0.15,0.3,0.45,halves: 55.55 × 0.7 = 38.885\n"
    "Norway,2009-08-27,25,NOK,0,0.3,0.5,halves: 25 × 0.1146 = 2.865\n"
)
"""Rates whose exact amounts end in half a cent, which a binary float holds just below."""


@pytest.fixture(scope="module")
def recomputed(tmp_path_factory):
    """The planned sheets (the hand-worked rates and HALVES), their stored values zeroed,
    recomputed by LibreOffice in one run: {name: (visit, days, written, recomputed)}."""
    program = soffice()
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    base = tmp_path_factory.mktemp("per-diem-libreoffice")
    cases, stale = {}, []
    for name, changes in (("hand", {}), ("halves", {"per_diem.csv": HALVES})):
        visit = load_visit(write_folder(base / name, **changes))
        days = per_diem_days(visit, planned_stays(visit, the_plan(visit)))
        written = base / f"{name}.xlsx"
        costs_sheet.write(visit, written, days, PLANNED_MEALS)
        stale.append(with_stale_values(written, base / f"{name}-stale.xlsx"))
        cases[name] = (visit, days, written, base / "out" / f"{name}-stale.xlsx")
    profile = base / "profile"
    recalculate(program, stale, base / "out", profile)
    return cases


def test_libreoffice_rounds_half_cents_as_rule_9(recomputed):
    """Each amount LibreOffice computes is per_diem_days' to the cent, halves included."""
    visit, days, written, path = recomputed["halves"]
    computed = read_computed_xlsx(path)
    rows = per_diem_rows(openpyxl.load_workbook(written)["Per diems"])
    halves = 0
    for day in days:
        exact = day.rate * day.exchange_rate * (1 - day.deduction)
        halves += exact * 1000 % 10 == 5
        value = computed.cell("Per diems", f"J{rows[(day.delegate_id, day.date)]}")
        assert abs(value - float(day.amount)) < 1e-9, (day, value)
    assert halves >= 2  # the check above saw amounts that end in half a cent
    summary = compute_costs(visit, days)
    assert abs(computed.names["per_diem_total"] - float(summary.per_diem_total)) < 1e-9


def test_libreoffice_computes_each_per_diem_to_the_cent(recomputed, capsys, tmp_path):
    visit, days, written, path = recomputed["hand"]
    computed = read_computed_xlsx(path)
    rows = per_diem_rows(openpyxl.load_workbook(written)["Per diems"])
    for (who, on), meals in MEALS_BY_HAND.items():
        value = computed.cell("Per diems", f"J{rows[(who, on)]}")
        assert abs(value - float(by_hand(on, meals))) < 1e-9, (who, on, value)
    summary = compute_costs(visit, days)
    for name in ("per_diem_total", "total_cost", "grant_share", "cofinancing", "budget_remaining"):
        expected = getattr(summary, name)
        assert abs(computed.names[name] - float(expected)) < 1e-9, name
    total = sum(by_hand(on, meals) for (_, on), meals in MEALS_BY_HAND.items())
    assert abs(computed.names["per_diem_total"] - float(total)) < 1e-9
    # `visitplan costs VISIT PLAN_DIR` prints the same figures.
    folder = write_folder(tmp_path / "visit")
    plan_dir = tmp_path / "plan"
    plan_dir.mkdir()
    (plan_dir / "plan.json").write_text(dumps(the_plan(visit)), encoding="utf-8")
    assert main(["costs", str(folder), str(plan_dir)]) == 0
    out = capsys.readouterr().out
    for label, name in (
        ("per diems", "per_diem_total"),
        ("total cost", "total_cost"),
        ("grant share", "grant_share"),
        ("co-financing", "cofinancing"),
        ("budget remaining", "budget_remaining"),
    ):
        assert abs(float(printed_figure(out, label)) - computed.names[name]) < 1e-9, label


# -- reading ------------------------------------------------------------------------------


def test_provides_breakfast_and_zone_are_read(folder):
    visit = load_visit(folder)
    assert visit.session("dinner").provides == ("dinner",)
    assert visit.session("talk").provides == ()
    assert visit.base.breakfast is True
    assert [(r.zone, r.valid_from) for r in visit.per_diem_rates] == [
        ("Norway", date(2009, 1, 1)),
        ("Norway", RAISED),
    ]


def test_workbook_form_reads_as_the_same_visit(folder, tmp_path):
    workbook = write_visit_workbook(folder, tmp_path / "xlsx" / "visit.xlsx")
    assert load_visit(workbook) == load_visit(folder)


def test_meal_providing_nothing_is_noted(folder, capsys):
    sessions = FILES["sessions.csv"].replace(",Dinner\n", ",\n")
    write_folder(folder, **{"sessions.csv": sessions})
    assert main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "note: sessions.csv:4: provides: a meal that provides nothing" in err


BAD = {
    "unknown provides": (
        {"sessions.csv": FILES["sessions.csv"].replace(",Dinner\n", ",supper\n")},
        "sessions.csv:4: provides: 'supper' is not one of breakfast, lunch, dinner",
    ),
    "share out of 0..1": (
        {"per_diem.csv": FILES["per_diem.csv"].replace("520,NOK,0.2,0.3", "520,NOK,0.2,1.3")},
        "per_diem.csv:2: lunch: must be between 0 and 1",
    ),
    "duplicate row": (
        {"per_diem.csv": FILES["per_diem.csv"] + "NORWAY,2009-08-27,580,NOK,,,,\n"},
        "per_diem.csv:5: valid_from: NORWAY 2009-08-27 is already on row 3",
    ),
    "day before the earliest valid_from": (
        {"per_diem.csv": FILES["per_diem.csv"].replace("Norway,2009-01-01", "Norway,2009-08-24")},
        "per_diem.csv:2: valid_from: trip day 2009-08-23 (delegate d1 leaves on depart) "
        "is before the earliest valid_from 2009-08-24",
    ),
    "per_diem line beside per_diem.csv": (
        {"costs.csv": FILES["costs.csv"] + "pd,per_diem,,per_person_day,60,EUR,yes\n"},
        "costs.csv:4: category: a per_diem line beside per_diem.csv would claim per diems twice",
    ),
    "two zones without [per_diem] zone": (
        {"visit.toml": VISIT_TOML.replace('[per_diem]\nzone = "norway"\n', "")},
        "visit.toml: per_diem.zone: missing: per_diem.csv holds 2 zones (Norway, Sweden)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_per_diem_input_exits_2_naming_file_row_and_column(case, folder, tmp_path, capsys):
    changes, message = BAD[case]
    write_folder(folder, **changes)
    out = tmp_path / "out"
    assert main(["plan", str(folder), "--out", str(out), "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    assert main(["costs", str(folder)]) == 2


def test_every_bad_per_diem_input_is_reported_at_once(folder, capsys):
    """Five problems in three files, one run: each named, nothing else needed to find them."""
    per_diem = (
        FILES["per_diem.csv"].replace(
            "Norway,2009-01-01,520,NOK,0.2,0.3", "Norway,2009-08-24,520,NOK,0.2,1.3"
        )
        + "NORWAY,2009-08-27,580,NOK,,,,\n"
    )
    write_folder(
        folder,
        **{
            "sessions.csv": FILES["sessions.csv"].replace(",Dinner\n", ",supper\n"),
            "per_diem.csv": per_diem,
            "costs.csv": FILES["costs.csv"] + "pd,per_diem,,per_person_day,60,EUR,yes\n",
        },
    )
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    for case in (
        "unknown provides",
        "share out of 0..1",
        "duplicate row",
        "day before the earliest valid_from",
        "per_diem line beside per_diem.csv",
    ):
        assert BAD[case][1] in err, case
    assert "5 problem(s)" in err


# -- the plan folder -------------------------------------------------------------------------


def stored_names(path: Path) -> dict[str, object]:
    return read_computed_xlsx(path).names


def test_plan_folder_costs_deduct_the_plans_meals(folder, tmp_path):
    visit = load_visit(folder)
    out = write_outputs(visit, the_plan(visit), tmp_path / "plan", pages=False)
    names = stored_names(out / "costs.xlsx")
    total = sum(by_hand(on, meals) for (_, on), meals in MEALS_BY_HAND.items())
    assert abs(names["per_diem_total"] - float(total)) < 1e-9
    book = openpyxl.load_workbook(out / "costs.xlsx")
    assert book["Per diems"]["B2"].value == PLANNED_MEALS


def test_per_diems_alone_give_a_cost_sheet(folder, tmp_path):
    (folder / "costs.csv").unlink()
    visit = load_visit(folder)
    out = write_outputs(visit, the_plan(visit), tmp_path / "plan", pages=False)
    names = stored_names(out / "costs.xlsx")
    total = sum(by_hand(on, meals) for (_, on), meals in MEALS_BY_HAND.items())
    assert abs(names["total_cost"] - float(total)) < 1e-9
    assert abs(names["per_diem_total"] - float(total)) < 1e-9


# -- the seed visits ---------------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("seed", ["latgale-trondelag-2009", "vidzeme-ostfold-2009"])
def test_seed_visits_count_per_diems_less_hotel_breakfasts(seed):
    visit = load_visit(DATA / seed)
    (rate,) = visit.per_diem_rates
    assert rate.note and visit.base.breakfast
    assert not [line for line in visit.costs if line.category == "per_diem"]
    days = per_diem_days(visit, visit_stays(visit))
    for day in days:
        first = day.date == next(d for d in visit.delegates if d.id == day.delegate_id).travel_out
        share = D(0) if first else rate.breakfast
        assert day.amount == (rate.rate * (1 - share)).quantize(D("0.01"), ROUND_HALF_UP)
    expected = sum(
        d.travel_home.toordinal() - d.travel_out.toordinal() + 1 for d in visit.delegates
    )
    assert len(days) == expected


def test_latgale_dinner_after_the_signing_is_deducted_from_those_who_attend_it():
    """The seed's dinner provides dinner: a delegate eating it that day keeps the rate
    less breakfast and dinner (planned_stays on a checked plan is tested above)."""
    visit = load_visit(DATA / "latgale-trondelag-2009")
    dinner = visit.session("dinner")
    assert dinner.kind == "meal" and dinner.provides == ("dinner",)
    on = dinner.pin_date
    stays = visit_stays(visit)
    stays["d01"] = replace(stays["d01"], meals={on: frozenset(dinner.provides)})
    days = {(d.delegate_id, d.date): d for d in per_diem_days(visit, stays)}
    assert days[("d01", on)].meals == ("breakfast", "dinner")
    assert days[("d02", on)].meals == ("breakfast",)
    (rate,) = visit.per_diem_rates
    expected = rate.rate * (1 - rate.breakfast - rate.dinner)
    assert days[("d01", on)].amount == expected.quantize(D("0.01"), ROUND_HALF_UP)


def test_a_per_diem_table_with_only_its_header_claims_no_per_diems(tmp_path):
    """The template's per_diem sheet emptied by an organiser who claims none: no per
    diems, no error (the zone key goes with it)."""
    toml = FILES["visit.toml"].replace('[per_diem]\nzone = "norway"\n', "")
    header = "zone,valid_from,rate,currency,breakfast,lunch,dinner,note\n"
    visit = load_visit(write_folder(tmp_path / "v", **{"visit.toml": toml, "per_diem.csv": header}))
    assert visit.per_diem_rates == ()
    assert compute_costs(visit).per_diem_total == 0
