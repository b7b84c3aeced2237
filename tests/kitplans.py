"""Plans the kit's tests share, solved once per test run and checked clean.

The Vidzeme visit (delegates' language lv, hosts' nb: Latvian and Norwegian letters
everywhere) gets the kit's optional input in code: a funder with a logo, the
organiser's phone, delegates' phones, emergency contacts and need codes.  Tests
assert against the plan they get, never against a particular plan.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from visitplan.model import Funder, Kit, Organiser, Visit
from visitplan.plan import Plan
from visitplan.read import load_visit

from .solving import plan_and_check

DATA = Path(__file__).resolve().parent.parent / "data"
TINY = Path(__file__).resolve().parent / "visits" / "tiny"
LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    b'<rect width="120" height="40" fill="#1f3d7a"/></svg>'
)
CREDIT = "Atbalsta Islande, Lihtenšteina un Norvēģija: EEZ un Norvēģijas finanšu instruments"
NEEDS = {
    "p01": "vegetarian",
    "p02": "Gluten-free; needs a quiet room",
    "p03": "vegan, nut_allergy",
    "p05": "vegetarian",
}
"""Need codes (and one free text) for some Vidzeme delegates."""


def kit_extras(visit: Visit, *, sign_in: str = "session") -> Visit:
    """The visit with a funder, the organiser's phone and delegates' contacts and needs."""
    delegates = tuple(
        replace(
            d,
            needs=NEEDS.get(d.id, d.needs),
            phone=f"+371 2900 {n:04d}",
            emergency_contact=f"Ģimenes loceklis Nr. {n}" if n % 2 else "",
            emergency_phone=f"+371 2800 {n:04d}" if n % 2 else "",
        )
        for n, d in enumerate(visit.delegates, start=1)
    )
    funder = Funder(
        name="EEZ un Norvēģijas granti",
        programme="Norvēģijas finanšu instruments 2004–2009",
        project_number="LV0078",
        credit=CREDIT,
        logo="logo.svg",
        logo_data=LOGO,
    )
    organiser = Organiser("Vidzemes plānošanas reģions", "info@example.lv", "+371 6420 0000")
    return replace(visit, delegates=delegates, funder=funder, organiser=organiser, kit=Kit(sign_in))


@cache
def vidzeme() -> tuple[Visit, Plan]:
    """The Vidzeme visit with the kit's extras, and a plan of it checked clean."""
    visit = kit_extras(load_visit(DATA / "vidzeme-ostfold-2009"))
    return visit, plan_and_check(visit, deterministic_time=1.0)


@cache
def tiny() -> tuple[Visit, Plan]:
    """The tiny visit as written: none of the kit's optional columns or tables."""
    visit = load_visit(TINY)
    return visit, plan_and_check(visit)
