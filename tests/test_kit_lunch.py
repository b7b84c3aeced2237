"""Lunch where it is eaten (issue 16 item 5): the views group the plan's lunch breaks into
sittings per place and time, and the host's page, the host's calendar and the Programme
and Hosts sheets of programme.xlsx show each sitting with its count and needs counted."""

from __future__ import annotations

from collections import Counter

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from visitplan.export import ics, programme, site
from visitplan.model import BASE
from visitplan.views import build_views, need_counts

from .kitplans import vidzeme


@pytest.fixture(scope="module")
def views():
    visit, plan = vidzeme()
    return build_views(visit, plan)


def plan_lunches(views) -> Counter:
    """The plan's lunch breaks that are not an attended meal session, by (date, place)."""
    meals = {(a.delegate_id, a.session_id) for a in views.plan.assignments}
    return Counter(
        (b.date, b.place)
        for b in views.plan.lunches
        if not (b.session_id and (b.delegate_id, b.session_id) in meals)
    )


def test_sittings_count_every_lunch_break_of_the_plan_once(views):
    assert views.lunches, "the Vidzeme plan has lunch breaks"
    counted = Counter()
    for sitting in views.lunches:
        counted[sitting.date, sitting.place] += sitting.size
    assert counted == plan_lunches(views)
    diners = [(s.date, d.delegate_id) for s in views.lunches for d in s.diners]
    assert len(diners) == len(set(diners))  # nobody eats twice a day


def test_sittings_count_the_needs_their_diners_bring(views):
    for sitting in views.lunches:
        codes = Counter(
            code for d in sitting.diners for code in views.visit.delegate(d.delegate_id).need_codes
        )
        assert dict(sitting.needs_counted) == dict(codes)
    assert any(sitting.needs_counted for sitting in views.lunches)


def test_need_counts_leave_out_free_text():
    from visitplan.views import Attendee

    people = [
        Attendee("a", "A", need_codes=("vegetarian",)),
        Attendee("b", "B", needs="quiet room"),
    ]
    assert need_counts(people) == (("vegetarian", 1),)


def test_each_host_roster_holds_the_sittings_at_that_host(views):
    for host_id, roster in views.hosts.items():
        assert roster.lunches == tuple(s for s in views.lunches if s.place == host_id)
    at_hosts = [s for s in views.lunches if s.place not in (BASE, "")]
    assert at_hosts, "the Vidzeme plan lunches at hosts"


def test_the_host_page_shows_each_lunch_with_its_count(views):
    pages = site.render_site(views)
    for sitting in views.lunches:
        if sitting.place in ("", BASE) and sitting.place not in views.hosts:
            continue
        page = pages[f"hosts/{sitting.place}.html"]
        assert f'data-lunch="{sitting.date.isoformat()}"' in page
        assert f'<td class="num size">{sitting.size}</td>' in page
        for diner in sitting.diners:
            row = page.split('class="card lunches', 1)[1].split("</section>", 1)[0]
            assert diner.name not in row  # counts, not names


def test_the_host_calendar_has_a_lunch_event_with_the_count(views):
    files = ics.calendars(views)
    for host_id, roster in views.hosts.items():
        if host_id == BASE or not roster.lunches:
            continue
        calendar = Calendar.from_ical(files[f"calendars/hosts/{host_id}.ics"])
        lunches = [e for e in calendar.walk("VEVENT") if "lunch" in str(e["CATEGORIES"].to_ical())]
        assert len(lunches) == len(roster.lunches)
        for event, sitting in zip(lunches, roster.lunches, strict=True):
            assert event.decoded("dtstart").time() == sitting.start
            summary = str(event["SUMMARY"])
            assert str(sitting.size) in summary
            assert "Lunsj" in summary  # host_language nb
            text = summary + str(event.get("DESCRIPTION", ""))
            assert not any(d.name in text for d in sitting.diners)


def test_programme_and_hosts_sheets_list_the_lunches(views):
    book = programme.build_workbook(views)
    rows = [r for r in book["Programme"].iter_rows(min_row=2, values_only=True)]
    lunch_rows = [r for r in rows if r[5] == "Lunch"]
    assert sorted(r[6] for r in lunch_rows) == sorted(s.size for s in views.lunches)
    hosts = [r for r in book["Hosts"].iter_rows(min_row=2, values_only=True)]
    at_hosts = [r for r in hosts if r[0] and str(r[0]).startswith("Lunch:")]
    expected = [s for roster in views.hosts.values() for s in roster.lunches]
    assert sorted(r[4] for r in at_hosts) == sorted(s.size for s in expected)


def test_programme_workbook_round_trips_through_openpyxl(views, tmp_path):
    path = programme.write(views, tmp_path)
    sheet = load_workbook(path)["Programme"]
    assert any(row[5] == "Lunch" for row in sheet.iter_rows(min_row=2, values_only=True))
