"""Text from the input in every output: safe, on one line where it must be, in one wording.

The reader rejects control characters and collapses line breaks in names, but
the exporters never rely on it: a visit built in code with a line break or a
control character in every name, title and description still gives
calendars that strict RFC 5545 parsers read, workbooks that open and pages
without control characters.  Rides, walks and dates are worded the same way
in the calendars, the pages and the workbook (:mod:`visitplan.export.words`).
The visit and plan are the hand-built ones of ``checkfixtures``, checked clean.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date

import icalendar
import openpyxl
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from tests.checkfixtures import make_plan, make_visit
from visitplan.check import check_plan
from visitplan.export import changes_sheet, ics, programme, site
from visitplan.export.words import date_text, moment_text, ride_word, short_date
from visitplan.model import Organiser
from visitplan.plan import Change
from visitplan.text import clean, one_line
from visitplan.views import DelegateRide, build_views

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no output may carry (tab and line breaks aside)."""
MONDAY = date(2009, 8, 24)


def evil_visit():
    """The hand-built visit with line breaks and control characters in every text."""
    visit = make_visit()
    delegates = tuple(
        replace(d, name=d.name.replace(" ", "\n", 1) + "\x07", needs="vegetarian\r\nstep-free\x0b")
        for d in visit.delegates
    )
    hosts = tuple(
        replace(h, name=h.name + "\r\n(main\x1b[31m office)", address="Street 1\nTrondheim")
        for h in visit.hosts
    )
    sessions = tuple(
        replace(s, title=s.title + "\n\x1b[2J part\x00 two", description="Line one\nLine two\x07")
        for s in visit.sessions
    )
    return replace(
        visit,
        title="Test\x00 visit\nto Trøndelag",
        short_title="Trøndelag\n2009\x1f",
        base=replace(visit.base, name="Scandic\x1bNidelven\n"),
        organiser=Organiser('Latgales\nplānošanas "reģions"\x07', "info@example.lv"),
        delegates=delegates,
        hosts=hosts,
        sessions=sessions,
    )


@pytest.fixture(scope="module")
def evil():
    visit, plan = evil_visit(), make_plan()
    assert check_plan(visit, plan) == []
    return build_views(visit, plan)


# -- the one helper --------------------------------------------------------------------


def test_clean_drops_control_characters_and_keeps_line_breaks_as_newlines():
    assert clean("a\r\nb\rc\u2028d\x00e\x1b[1mf\x7f\ud800g\tz") == "a\nb\nc\nde[1mfg\tz"
    assert clean(12) == "12"


def test_one_line_folds_every_line_break_and_tab_into_one_space():
    assert one_line(" Anna\r\n \tBērziņa\x07 ") == "Anna Bērziņa"
    assert one_line("Roads, rails;\n\nports \\ harbours") == "Roads, rails; ports \\ harbours"


# -- calendars -------------------------------------------------------------------------


def test_calendars_stay_valid_whatever_the_names_titles_and_descriptions_hold(evil):
    files = ics.calendars(evil)
    assert files
    for path, data in files.items():
        text = data.decode("utf-8")
        assert not CONTROL.search(text), path
        assert b"\n" not in data.replace(b"\r\n", b""), path
        assert all(len(line) <= 75 for line in data.split(b"\r\n")), path
        assert vobject.readOne(text, validate=True).name == "VCALENDAR", path
        strict = IcsCalendarStream.calendar_from_ics(text)
        calendar = icalendar.Calendar.from_ical(data)
        assert len(strict.events) == len(calendar.walk("VEVENT")), path
        assert str(calendar["X-WR-CALNAME"]).startswith("Trøndelag 2009 — "), path
        for event in calendar.walk("VEVENT"):
            for prop in ("SUMMARY", "LOCATION"):
                assert "\n" not in str(event.get(prop, "")), (path, prop)
            assert event["ORGANIZER"].params["CN"] == 'Latgales plānošanas "reģions"'
    programme_ics = icalendar.Calendar.from_ical(files["calendars/programme.ics"])
    opening = next(e for e in programme_ics.walk("VEVENT") if "s-open" in str(e["UID"]))
    assert str(opening["SUMMARY"]) == "Opening at the city hall [2J part two"
    assert "Line one\nLine two" in str(opening["DESCRIPTION"])  # kept, escaped in the file
    host = icalendar.Calendar.from_ical(files["calendars/hosts/kommune.ics"])
    assert "vegetarian; step-free" in str(host.walk("VEVENT")[0]["DESCRIPTION"])


# -- workbooks and pages -----------------------------------------------------------------


def test_workbooks_open_whatever_the_texts_hold(evil, tmp_path):
    changes = (Change("delegate", "d01", "Anna\x07\nBērziņa", "s-open", "a\x1b", "b", "moved"),)
    views = replace(evil, plan=replace(evil.plan, changes=changes))
    for path in (programme.write(views, tmp_path), changes_sheet.write(views, tmp_path)):
        book = openpyxl.load_workbook(path)
        assert book.worksheets
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                assert not CONTROL.search(archive.read(name).decode("utf-8")), (path, name)
    book = openpyxl.load_workbook(tmp_path / "programme.xlsx")
    assert book.properties.title == "Test visit to Trøndelag"
    titles = {c.value for row in book["Programme"].iter_rows() for c in row}
    assert "Opening at the city hall\n[2J part two" in titles


def test_text_that_looks_like_a_formula_stays_text_in_the_change_report(evil, tmp_path):
    changes = (Change("delegate", "d01", '=HYPERLINK("x")', "+1+2", "@SUM(A1)", "-3", "moved"),)
    path = changes_sheet.write(replace(evil, plan=replace(evil.plan, changes=changes)), tmp_path)
    row = next(openpyxl.load_workbook(path)["Changes"].iter_rows(min_row=2))
    assert [c.value for c in row[2:6]] == ['=HYPERLINK("x")', "+1+2", "@SUM(A1)", "-3"]
    assert {c.data_type for c in row[2:6]} == {"s"}
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_pages_carry_no_control_characters(evil):
    pages = site.render_site(evil)
    for name, text in pages.items():
        assert not CONTROL.search(text), name
    assert "Opening at the city hall\n[2J part two" in pages["index.html"]


# -- one wording -------------------------------------------------------------------------


def test_dates_are_written_in_the_language_of_the_output():
    assert date_text(MONDAY, "lv") == "pirmdiena, 2009. gada 24. augusts"
    assert date_text(MONDAY, "lv", year=False) == "pirmdiena, 24. augusts"
    assert date_text(MONDAY, "nb", year=False) == "mandag 24. august"
    assert date_text(MONDAY, "en", year=False) == "Monday 24 August"
    assert date_text(MONDAY, "en", weekday=False) == "24 August 2009"
    assert short_date(MONDAY, "en") == "Mon 24 Aug"
    evening = make_visit().delegates[2].arrives
    assert moment_text(evening, "lv") == "pirmdiena, 24. augusts, plkst. 13:00"
    assert moment_text(evening, "nb") == "mandag 24. august kl. 13:00"


def lv_views():
    visit = replace(make_visit(), language="lv", host_language="nb")
    return build_views(visit, make_plan())


def delegate_rides(views):
    return [
        (delegate_id, item.ride)
        for delegate_id, days in views.delegates.items()
        for items in days.values()
        for item in items
        if isinstance(item, DelegateRide)
    ]


def test_a_ride_has_one_name_in_the_calendars_the_pages_and_the_workbook(tmp_path):
    views = lv_views()
    files = ics.calendars(views)
    pages = site.render_site(views)
    rides = delegate_rides(views)
    assert {ride.vehicle for _d, ride in rides} == {"1", "walk"}
    for delegate_id, ride in rides:
        name = ride_word(ride.vehicle, "lv")
        calendar = icalendar.Calendar.from_ical(files[f"calendars/delegates/{delegate_id}.ics"])
        summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
        assert f"{name}: {ride.from_name} → {ride.to_name}" in summaries
        assert f'<span class="mode">{name}</span>' in pages[f"delegates/{delegate_id}.html"]
    assert ride_word("1", "lv") == "Transportlīdzeklis 1"
    everything = "".join(pages.values()) + b"".join(files.values()).decode("utf-8")
    assert "Autobuss" not in everything
    book = openpyxl.load_workbook(programme.write(views, tmp_path))
    cells = {c.value for row in book["Programme"].iter_rows() for c in row}
    assert "Vehicle 1: Trondheim kommune → NTNU" in cells


def test_a_walk_is_called_a_walk_in_every_output(tmp_path):
    views = lv_views()
    walks = [(d, ride) for d, ride in delegate_rides(views) if ride.walked]
    assert walks
    files = ics.calendars(views)
    pages = site.render_site(views)
    for delegate_id, ride in walks:
        calendar = icalendar.Calendar.from_ical(files[f"calendars/delegates/{delegate_id}.ics"])
        (event,) = (
            e
            for e in calendar.walk("VEVENT")
            if str(e["SUMMARY"]) == f"Kājām: {ride.from_name} → {ride.to_name}"
        )
        assert [str(c) for c in event["CATEGORIES"].cats] == ["ride", "walk"]
        assert "Transportlīdzeklis" not in str(event["DESCRIPTION"])
        page = pages[f"delegates/{delegate_id}.html"]
        row = re.search(
            rf'<tr class="ride-row walk" data-ride="{re.escape(site.ride_key(ride))}">'
            r"(.*?)</tr>",
            page,
            re.S,
        )
        assert row and '<span class="mode">Kājām</span>' in row.group(1)
    book = openpyxl.load_workbook(programme.write(views, tmp_path))
    rows = [[c.value for c in row] for row in book["Delegates"].iter_rows(min_row=2)]
    walked = [r for r in rows if r[3] == "Walk"]
    assert len(walked) == len(walks)
    every_text = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows() for v in (c.value for c in row) if v
    )
    assert "on board" not in every_text
    programme_rows = [[c.value for c in row] for row in book["Programme"].iter_rows(min_row=2)]
    assert all(r[5] == "Walk" for r in programme_rows if str(r[2]).startswith("Walk: "))


def test_arrivals_and_departures_on_the_pages_are_dated_in_their_language():
    pages = site.render_site(lv_views())
    arrives = pages["delegates/d03.html"]
    assert "Ierodas pirmdiena, 24. augusts, plkst. 13:00" in arrives
    assert "Aizbrauc otrdiena, 25. augusts, plkst. 14:00" in pages["delegates/d02.html"]
    for name, text in pages.items():
        if name.endswith(".html"):
            visible = re.sub(r"<[^>]*>", " ", re.sub(r"<style.*?</style>", "", text, flags=re.S))
            assert not re.search(r"\d{4}-\d\d-\d\d", visible), name
