"""programme.xlsx: the spec's Assignments and Legs tables as text, and readable itineraries."""

from __future__ import annotations

import zipfile
from dataclasses import replace

import openpyxl
import pytest

from tests.checkfixtures import DAY1, attend, find_session, make_plan, make_visit
from visitplan.export import cells, programme
from visitplan.export.words import date_text
from visitplan.model import Delegate
from visitplan.views import build_views

EVIL = ('=HYPERLINK("x")', "+1+2", "-3+4", "@SUM(A1)", "=1+1")
ASSIGNMENT_HEADER = ("delegate_id", "session_id", "host_id", "date", "start", "end")
LEG_HEADER = ("delegate_id", "from", "to", "date", "depart", "arrive", "vehicle")


def _hm(t) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _write(tmp_path, visit=None, plan=None):
    views = build_views(visit or make_visit(), plan or make_plan())
    path = programme.write(views, tmp_path)
    return views, path, openpyxl.load_workbook(path)


def _rows(ws):
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def test_sheets_come_in_order_without_a_default_sheet(tmp_path):
    _, path, book = _write(tmp_path)
    assert path == tmp_path / "programme.xlsx"
    assert book.sheetnames == ["Programme", "Delegates", "Hosts", "Assignments", "Legs"]


def test_assignments_sheet_holds_exactly_the_plans_assignments_as_text(tmp_path):
    _, _, book = _write(tmp_path)
    ws = book["Assignments"]
    rows = _rows(ws)
    assert rows[0] == ASSIGNMENT_HEADER
    expected = {
        (a.delegate_id, a.session_id, a.host_id, a.date.isoformat(), _hm(a.start), _hm(a.end))
        for a in make_plan().assignments
    }
    assert len(rows) - 1 == len(make_plan().assignments)
    assert set(rows[1:]) == expected
    assert all(cell.data_type == "s" for row in ws.iter_rows() for cell in row)


def test_legs_sheet_holds_exactly_the_plans_legs_as_text(tmp_path):
    _, _, book = _write(tmp_path)
    ws = book["Legs"]
    rows = _rows(ws)
    assert rows[0] == LEG_HEADER
    expected = sorted(
        (g.delegate_id, g.from_, g.to, g.date.isoformat(), _hm(g.depart), _hm(g.arrive), g.vehicle)
        for g in make_plan().legs
    )
    assert sorted(rows[1:]) == expected
    assert all(cell.data_type == "s" for row in ws.iter_rows() for cell in row)


def test_unnumbered_rides_leave_the_vehicle_empty(tmp_path):
    plan = make_plan()
    plan = replace(plan, legs=tuple(replace(g, vehicle="") for g in plan.legs))
    _, _, book = _write(tmp_path, plan=plan)
    assert {row[6] for row in _rows(book["Legs"])[1:]} == {""}


def test_programme_lists_every_session_and_every_ride(tmp_path):
    views, _, book = _write(tmp_path)
    rows = _rows(book["Programme"])
    assert rows[0][:3] == ("start", "end", "session / ride")
    for session in views.sessions:
        assert (_hm(session.start), _hm(session.end), session.title) in {r[:3] for r in rows}
    ride_rows = [r for r in rows if str(r[2]).startswith(("Vehicle ", "Walk: "))]
    assert len(ride_rows) == len(views.rides)
    for ride in views.rides:
        how = "Walk" if ride.walked else f"Vehicle {ride.vehicle}"
        title = f"{how}: {ride.from_name} → {ride.to_name}"
        assert (_hm(ride.depart), _hm(ride.arrive), title) in {r[:3] for r in ride_rows}
    headings = [r[0] for r in rows if r[1] == "" and str(r[0]).endswith(" 2009")]
    assert headings == ["Monday 24 August 2009", "Tuesday 25 August 2009"]


def test_programme_names_small_groups_and_counts_every_group(tmp_path):
    visit = make_visit()
    extra = tuple(Delegate(f"d{n:02d}", f"Extra {n}") for n in range(4, 11))
    visit = replace(visit, delegates=(*visit.delegates, *extra))
    plan = make_plan()
    opening = find_session(plan, "s-open")
    plan = replace(plan, assignments=(*plan.assignments, *(attend(d.id, opening) for d in extra)))
    _, _, book = _write(tmp_path, visit, plan)
    rows = {r[2]: r for r in _rows(book["Programme"])}
    assert rows["Opening at the city hall"][6:] == (9, "")
    assert rows["County planning"][6:] == (2, "Jānis Ozoliņš, Ingrid Sørås")


def test_whole_delegation_sessions_and_rides_are_set_apart(tmp_path):
    _, _, book = _write(tmp_path)
    ws = book["Programme"]
    fills = {}
    for row in ws.iter_rows(min_row=2):
        fills[row[2].value] = row[2].fill.fgColor.rgb if row[2].fill.fill_type else None
    whole = fills["Opening at the city hall"]
    ride = fills["Vehicle 1: Trondheim kommune → NTNU"]
    plain = fills["County planning"]
    assert whole and ride and whole != ride
    assert plain is None


def test_hosts_roster_lists_the_attendees(tmp_path):
    views, _, book = _write(tmp_path)
    rows = _rows(book["Hosts"])
    assert rows[0] == programme.HOST_HEADERS
    for roster in views.hosts.values():
        assert any(str(r[0]).startswith(roster.name) for r in rows)
        for session in roster.sessions:
            day = date_text(session.date, "en")
            names = {r[5] for r in rows if r[0] == session.title and r[1] == day}
            assert names == {a.name for a in session.attendees}
            sizes = {r[4] for r in rows if r[0] == session.title and r[1] == day}
            assert sizes == {session.size}


def test_delegates_sheet_has_a_block_per_delegate(tmp_path):
    views, _, book = _write(tmp_path)
    rows = _rows(book["Delegates"])
    headings = [r[0] for r in rows[1:] if r[1] == ""]
    assert headings == [
        "Anna Bērziņa (d01) · planner",
        "Jānis Ozoliņš (d02) · politician",
        "Ingrid Sørås (d03) · agency",
    ]
    items = sum(len(items) for days in views.delegates.values() for items in days.values())
    assert len(rows) == 1 + len(headings) + items
    assert ("Monday 24 August 2009", "11:45", "12:30", "Lunch", "NTNU", "", "") in rows


@pytest.mark.parametrize("evil", EVIL)
def test_text_that_looks_like_a_formula_stays_text(tmp_path, evil):
    visit = make_visit()
    delegates = tuple(replace(d, name=evil) if d.id == "d01" else d for d in visit.delegates)
    sessions = tuple(replace(s, title=evil) if s.id == "s-open" else s for s in visit.sessions)
    hosts = tuple(replace(h, name=evil, contact=evil) if h.id == "ntnu" else h for h in visit.hosts)
    visit = replace(visit, delegates=delegates, sessions=sessions, hosts=hosts)
    _, path, book = _write(tmp_path, visit)
    found = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and evil in cell.value:
                    assert cell.data_type == "s"
                    found += 1
    assert found > 5
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name)


def test_tables_have_filters_frozen_headers_and_print_setup(tmp_path):
    _, _, book = _write(tmp_path)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert book["Assignments"].auto_filter.ref == "A1:F10"
    assert book["Legs"].auto_filter.ref == "A1:G12"


def test_same_views_give_the_same_bytes(tmp_path):
    views = build_views(make_visit(), make_plan())
    first = programme.write(views, tmp_path / "a").read_bytes()
    second = programme.write(views, tmp_path / "b").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "programme.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {cells.ZIP_TIME}
    book = openpyxl.load_workbook(tmp_path / "a" / "programme.xlsx")
    assert book.properties.created == book.properties.modified
    assert book.properties.created.date() == make_plan().issued.date()


def test_write_creates_the_folder_and_leaves_no_temporary_file(tmp_path):
    folder = tmp_path / "out" / "plan"
    programme.write(build_views(make_visit(), make_plan()), folder)
    assert sorted(p.name for p in folder.iterdir()) == ["programme.xlsx"]
    assert DAY1.isoformat() in {
        r[3] for r in _rows(openpyxl.load_workbook(folder / "programme.xlsx")["Assignments"])
    }
