"""Rule 9: cost line amounts, totals, grant share and co-financing, on tiny visits."""

from __future__ import annotations

import shutil
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from visitplan.cli import main
from visitplan.costs import (
    compute_costs,
    delegate_shares,
    nights,
    quantity,
    round_cents,
    trip_days,
    visit_trip_days,
)
from visitplan.export import costs_sheet
from visitplan.model import Base, Budget, CostLine, Delegate, ExchangeNote, Visit
from visitplan.read import load_visit

D = Decimal


def make_visit(
    lines: tuple[CostLine, ...] = (),
    delegates: tuple[Delegate, ...] | None = None,
    budget: Budget | None = None,
    exchange: tuple[tuple[str, Decimal], ...] = (),
    **fields,
) -> Visit:
    """A visit 2009-08-24..28 travelling out 08-23 and home 08-29 (7 trip days)."""
    if delegates is None:
        delegates = tuple(Delegate(f"d{i}", f"Delegate {i}") for i in (1, 2, 3))
    values = dict(
        id="tiny",
        title="Tiny visit",
        timezone="Europe/Oslo",
        first_day=date(2009, 8, 24),
        last_day=date(2009, 8, 28),
        depart=date(2009, 8, 23),
        return_=date(2009, 8, 29),
        day_start=time(8, 30),
        day_end=time(18, 0),
        base=Base("Hotel"),
        currency="EUR",
        delegates=delegates,
        costs=lines,
        budget=budget,
        exchange=exchange,
    )
    values.update(fields)
    return Visit(**values)


def line(
    id: str,
    basis: str,
    amount: str,
    currency: str = "EUR",
    category: str = "other",
    eligible: bool = True,
    description: str = "",
) -> CostLine:
    return CostLine(id, category, basis, D(amount), currency, description, eligible)


NOK = (("NOK", D("0.1146")),)
NOTE = ExchangeNote(date(2009, 8, 1), "Bank of Latvia reference rate")


def test_trip_days_count_both_travel_days():
    visit = make_visit()
    assert visit_trip_days(visit) == 7
    assert all(trip_days(visit, d) == 7 and nights(visit, d) == 6 for d in visit.delegates)


def test_visit_trip_days_default_to_programme_days_without_travel_days():
    visit = make_visit(depart=None, return_=None)
    assert visit_trip_days(visit) == 5


@pytest.mark.parametrize(
    ("basis", "expected_quantity", "expected_amount"),
    [
        ("lump_sum", 1, "100.00"),
        ("per_person", 3, "300.00"),
        ("per_person_day", 21, "2100.00"),
        ("per_person_night", 18, "1800.00"),
        ("per_day", 7, "700.00"),
    ],
)
def test_line_amount_is_unit_times_quantity_of_its_basis(basis, expected_quantity, expected_amount):
    visit = make_visit((line("x", basis, "100"),))
    summary = compute_costs(visit)
    (amount,) = summary.lines
    assert amount.quantity == expected_quantity == quantity(visit, basis)
    assert amount.rate == 1
    assert amount.amount == D(expected_amount)
    assert summary.total_cost == D(expected_amount)


def test_delegates_own_travel_dates_set_their_days_and_nights():
    delegates = (
        Delegate("d1", "Default dates"),
        Delegate(
            "d2",
            "Late out, early home",
            travel_out=date(2009, 8, 24),
            travel_home=date(2009, 8, 28),
        ),
        Delegate("d3", "Early home", travel_home=date(2009, 8, 26)),
    )
    visit = make_visit(
        (
            line("days", "per_person_day", "10"),
            line("nights", "per_person_night", "100"),
            line("people", "per_person", "1000"),
            line("car", "per_day", "50"),
        ),
        delegates=delegates,
    )
    assert [trip_days(visit, d) for d in delegates] == [7, 5, 4]
    assert [nights(visit, d) for d in delegates] == [6, 4, 3]
    summary = compute_costs(visit)
    assert [x.quantity for x in summary.lines] == [16, 13, 3, 7]
    assert summary.amount("days") == D("160.00")
    assert summary.amount("nights") == D("1300.00")
    assert summary.amount("people") == D("3000.00")
    assert summary.amount("car") == D("350.00")
    assert summary.total_cost == D("4810.00")


def test_foreign_currency_lines_are_converted_with_the_exchange_rate():
    visit = make_visit(
        (
            line("ferry", "lump_sum", "1000", "NOK"),
            line("meals", "per_person_day", "350", "NOK"),
            line("hotel", "per_person_night", "80"),
        ),
        exchange=NOK,
        exchange_note=NOTE,
    )
    summary = compute_costs(visit)
    assert [x.rate for x in summary.lines] == [D("0.1146"), D("0.1146"), D(1)]
    assert summary.amount("ferry") == D("114.60")
    assert summary.amount("meals") == D("842.31")  # 350 × 0.1146 × 21
    assert summary.amount("hotel") == D("1440.00")
    assert summary.total_cost == D("2396.91")


def test_foreign_currency_line_rounds_after_multiplying_everything():
    # 7 × 0.1146 = 0.8022 per person; × 3 = 2.4066 → 2.41 (not 3 × 0.80 = 2.40)
    visit = make_visit((line("tea", "per_person", "7", "NOK"),), exchange=NOK)
    assert compute_costs(visit).amount("tea") == D("2.41")


@pytest.mark.parametrize(
    ("basis", "amount", "currency", "expected"),
    [
        ("lump_sum", "10.005", "EUR", "10.01"),
        ("lump_sum", "0.125", "EUR", "0.13"),
        ("lump_sum", "2.675", "EUR", "2.68"),  # 2.675 is 2.67499… as a binary float
        ("per_person", "0.335", "EUR", "1.01"),  # 3 × 0.335 = 1.005
        ("lump_sum", "25", "NOK", "2.87"),  # 25 × 0.1146 = 2.865
        ("lump_sum", "10.004", "EUR", "10.00"),
    ],
)
def test_halves_round_away_from_zero(basis, amount, currency, expected):
    visit = make_visit((line("x", basis, amount, currency),), exchange=NOK)
    assert compute_costs(visit).amount("x") == D(expected)


def test_round_cents_is_excel_round():
    assert round_cents(D("1.005")) == D("1.01")
    assert round_cents(D("-1.005")) == D("-1.01")
    assert round_cents(D("1.0049999")) == D("1.00")


def test_budget_of_58800_at_15_percent_cofinancing():
    visit = make_visit(
        (
            line("flights", "per_person", "400", category="flight"),  # 1,200
            line("hotel", "per_person_night", "2500", category="accommodation"),  # 45,000
            line("per_diem", "per_person_day", "600", category="per_diem"),  # 12,600
        ),
        budget=Budget(total=D("58800"), cofinancing_rate=D("0.15")),
    )
    summary = compute_costs(visit)
    assert summary.total_cost == D("58800.00")
    assert summary.eligible == D("58800.00")
    assert summary.grant_share == D("49980.00")
    assert summary.cofinancing == D("8820.00")
    assert summary.budget_remaining == D("0.00")
    assert summary.subtotals == (
        ("flight", D("1200")),
        ("accommodation", D("45000")),
        ("per_diem", D("12600")),
    )


def test_ineligible_lines_are_paid_wholly_by_the_applicant():
    visit = make_visit(
        (
            line("eligible", "lump_sum", "800"),
            line("gifts", "lump_sum", "200", eligible=False),
        ),
        budget=Budget(total=D("1500"), cofinancing_rate=D("0.15")),
    )
    summary = compute_costs(visit)
    assert summary.total_cost == D("1000.00")
    assert summary.eligible == D("800.00")
    assert summary.grant_share == D("680.00")  # 800 − 120
    assert summary.cofinancing == D("320.00")  # 200 + 120
    assert summary.budget_remaining == D("500.00")


def test_applicants_share_of_eligible_costs_rounds_half_away_from_zero():
    # 100.10 × 0.15 = 15.015 → 15.02
    visit = make_visit(
        (line("x", "lump_sum", "100.10"),),
        budget=Budget(total=None, cofinancing_rate=D("0.15")),
    )
    summary = compute_costs(visit)
    assert summary.grant_share == D("85.08")
    assert summary.cofinancing == D("15.02")
    assert summary.budget_remaining is None


def test_without_budget_the_grant_pays_all_eligible_costs():
    visit = make_visit(
        (line("a", "lump_sum", "10"), line("b", "lump_sum", "5", eligible=False)),
    )
    summary = compute_costs(visit)
    assert summary.cofinancing_rate == 0
    assert summary.grant_share == D("10.00")
    assert summary.cofinancing == D("5.00")
    assert summary.budget_total is None
    assert summary.budget_remaining is None


def test_budget_remaining_may_be_negative():
    visit = make_visit((line("a", "lump_sum", "120.50"),), budget=Budget(total=D("100")))
    assert compute_costs(visit).budget_remaining == D("-20.50")


def test_subtotals_follow_the_category_order_of_the_spec():
    visit = make_visit(
        (
            line("v", "lump_sum", "1", category="venue"),
            line("f1", "lump_sum", "2", category="flight"),
            line("f2", "lump_sum", "3", category="flight"),
        )
    )
    summary = compute_costs(visit)
    assert summary.subtotals == (("flight", D(5)), ("venue", D(1)))
    assert summary.subtotal("insurance") == 0


def test_empty_cost_list_costs_nothing():
    summary = compute_costs(make_visit(budget=Budget(total=D("10"))))
    assert summary.lines == ()
    assert summary.total_cost == summary.grant_share == summary.cofinancing == 0
    assert summary.budget_remaining == D("10")


def test_currency_without_exchange_rate_is_an_error():
    visit = make_visit((line("x", "lump_sum", "1", "SEK"),), exchange=NOK)
    with pytest.raises(ValueError, match="SEK"):
        compute_costs(visit)


def test_delegate_shares_use_each_delegates_own_days():
    delegates = (
        Delegate("d1", "Whole trip"),
        Delegate("d2", "Short trip", travel_out=date(2009, 8, 25), travel_home=date(2009, 8, 26)),
    )
    visit = make_visit(
        (
            line("flight", "per_person", "300"),
            line("hotel", "per_person_night", "90"),
            line("meals", "per_person_day", "100", "NOK"),
            line("bus", "per_day", "500"),
            line("hall", "lump_sum", "1000"),
        ),
        delegates=delegates,
        exchange=NOK,
    )
    whole, short = delegate_shares(visit)
    assert (whole.trip_days, whole.nights) == (7, 6)
    assert (short.trip_days, short.nights) == (2, 1)
    assert whole.travel_out == date(2009, 8, 23) and whole.travel_home == date(2009, 8, 29)
    assert whole.amounts == (
        ("flight", D("300.00")),
        ("hotel", D("540.00")),
        ("meals", D("80.22")),
    )
    assert short.amounts == (
        ("flight", D("300.00")),
        ("hotel", D("90.00")),
        ("meals", D("22.92")),
    )
    assert short.total == D("412.92")
    summary = compute_costs(visit)
    for line_id in ("flight", "hotel", "meals"):
        assert sum(dict(s.amounts)[line_id] for s in (whole, short)) == summary.amount(line_id)


# A rate the input accepts (more than 0, at most 1,000,000, any number of decimals)
# that puts the product a hair below a half cent, 30 digits in: arithmetic to
# Decimal's default 28 digits rounds it to exactly a half first, and ROUND then goes up.
HAIR_BELOW_HALF = D("123456.0049999999999999999999999999")


def test_amounts_round_the_exact_product():
    visit = make_visit(
        (line("x", "lump_sum", "1", "NOK"), line("y", "per_person", "1", "NOK")),
        exchange=(("NOK", HAIR_BELOW_HALF),),
        budget=Budget(total=D("1000000"), cofinancing_rate=D("0.5")),
    )
    summary = compute_costs(visit)
    assert summary.amount("x") == D("123456.00")
    assert summary.amount("y") == D("370368.01")  # 3 × rate = 370368.01499…97
    assert all(dict(s.amounts)["y"] == D("123456.00") for s in delegate_shares(visit))


def test_applicants_share_rounds_the_exact_product():
    # 1 × a co-financing rate a hair below half a cent, 29 digits long: rounded to
    # 28 digits first it is exactly 0.005, and ROUND would take a cent from the grant.
    rate = D("0.00" + "4" + "9" * 28)
    visit = make_visit(
        (line("x", "lump_sum", "1"),), budget=Budget(total=None, cofinancing_rate=rate)
    )
    summary = compute_costs(visit)
    assert summary.grant_share == D("1.00")
    assert summary.cofinancing == D("0.00")


def test_figures_at_the_input_limits_are_exact():
    """The largest amount, rate and counts the input allows: 5.3e20, to the cent, no error."""
    first = date(2009, 6, 1)
    visit = make_visit(
        (
            line("max", "per_person_day", "1000000000", "XXX"),
            line("odd", "per_person_day", "999999999.9999", "YYY"),
        ),
        delegates=tuple(Delegate(f"d{i}", f"Delegate {i}") for i in range(5000)),
        exchange=(("XXX", D("1000000")), ("YYY", D("999999.999999"))),
        budget=Budget(total=D("10000000000"), cofinancing_rate=D("0.15")),
        first_day=first,
        last_day=date(2009, 8, 31),  # 92 programme days
        depart=date(2009, 5, 25),
        return_=date(2009, 9, 7),  # 7 days either side: 106 trip days
    )
    summary = compute_costs(visit)
    assert quantity(visit, "per_person_day") == 5000 * 106
    assert summary.amount("max") == D("530000000000000000000.00")
    assert summary.amount("odd") == D("529999999999417000000.00")  # exact product …000.000053
    assert summary.total_cost == D("1059999999999417000000.00")
    assert summary.grant_share == summary.total_cost - D("158999999999912550000.00")
    assert summary.budget_remaining == D("10000000000") - summary.total_cost


TINY = Path(__file__).parent / "visits" / "tiny"


def test_costs_command_and_sheet_at_the_input_limits(tmp_path, capsys):
    """The largest amounts and rates the input allows: `visitplan costs` prints every
    figure to the cent and the cost sheet is written, storing the same figures."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    toml = folder / "visit.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("NOK = 0.1146", "NOK = 1000000").replace("total = 20000", "total = 1e10")
    toml.write_text(text, encoding="utf-8")
    (folder / "costs.csv").write_text(
        "id,category,description,basis,amount,currency,eligible\n"
        "hotel,accommodation,=1+1,per_person_night,1000000000,NOK,\n"
        "odd,venue,,lump_sum,999999999.9999,NOK,\n"
        "meals,per_diem,,per_person_day,123456789.1234,,no\n",
        encoding="utf-8",
    )
    assert main(["costs", str(folder)]) == 0
    out = capsys.readouterr().out
    summary = compute_costs(load_visit(folder))
    assert summary.amount("odd") == D("999999999999900.00")  # ROUND(999999999.9999 × 1e6, 2)
    for figure in (
        *(x.amount for x in summary.lines),
        summary.total_cost,
        summary.grant_share,
        summary.cofinancing,
        summary.budget_remaining,
    ):
        assert f"{figure:,.2f}" in out
    path = tmp_path / "costs.xlsx"
    costs_sheet.write(load_visit(folder), path)
    workbook = openpyxl.load_workbook(path, data_only=True)
    for name in ("total_cost", "grant_share", "cofinancing", "budget_remaining"):
        ((sheet, ref),) = workbook.defined_names[name].destinations
        assert float(workbook[sheet][ref.replace("$", "")].value) == float(getattr(summary, name))
    assert workbook["Costs"]["C2"].value == "=1+1"
