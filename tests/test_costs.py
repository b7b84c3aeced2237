"""Rule 9: cost line amounts, totals, grant share and co-financing, on tiny visits."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from visitplan.costs import (
    compute_costs,
    delegate_shares,
    nights,
    quantity,
    round_cents,
    trip_days,
    visit_trip_days,
)
from visitplan.model import Base, Budget, CostLine, Delegate, ExchangeNote, Visit

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
