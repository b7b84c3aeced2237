"""The field kit (issue 16): every item built from the views of the plan it gets, printed
once per module by Chromium and read back with poppler (pdftotext, pdftoppm) and
openpyxl.  Skipped only where Debian's chromium or poppler-utils is absent; the
skip-with-a-warning path is tested everywhere.

One page of each PDF is rendered to PNG under /tmp/visitplan-kit-png/ for a person
to look at.
"""

from __future__ import annotations

import html as html_module
import re
import shutil
import struct
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from visitplan import kit
from visitplan.export.words import Words
from visitplan.kit import catering, certificates, day_brief, manifests, participants, sign_in
from visitplan.model import BASE
from visitplan.views import EmptyDrive, RideItem, build_views

from .kitplans import CREDIT, kit_extras, tiny, vidzeme

CHROMIUM = Path("/usr/bin/chromium")
POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdftoppm"))
PRINTS = CHROMIUM.is_file() and POPPLER
needs_chromium = pytest.mark.skipif(not PRINTS, reason="Debian's chromium or poppler is absent")
PNG_DIR = Path("/tmp/visitplan-kit-png")
LETTERS = "āēīūčšžļņķģøåæĀĒĪŪČŠŽĻŅĶĢØÅÆ"


@pytest.fixture(scope="module")
def views():
    visit, plan = vidzeme()
    return build_views(visit, plan)


@pytest.fixture(scope="module")
def kit_dir(views, tmp_path_factory) -> Path:
    """The Vidzeme kit: kit.xlsx, and every PDF where Chromium prints."""
    folder = tmp_path_factory.mktemp("kit")
    kit.write(views, folder, pages=PRINTS)
    return folder


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text, whitespace collapsed (a wrapped title reads as one line)."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def sheet_rows(path: Path, title: str) -> list[tuple]:
    return list(load_workbook(path)[title].iter_rows(min_row=2, values_only=True))


def assignment_pairs(views) -> Counter:
    return Counter((a.delegate_id, a.session_id) for a in views.plan.assignments)


# -- sign-in sheets -------------------------------------------------------------------


@needs_chromium
def test_every_pair_is_on_exactly_one_sign_in_sheet_in_the_pdf(views, kit_dir):
    w = Words(views.visit.language)
    pages = pdf_pages(kit_dir / "sign-in.pdf")
    marker = re.compile(
        re.escape(w("sheet_n", n=999, total=998)).replace("999", r"(\d+)").replace("998", r"(\d+)")
    )
    by_sheet: dict[int, str] = {}
    for page in pages:
        found = marker.search(page)
        assert found, "every page carries its sheet number"
        by_sheet[int(found[1])] = by_sheet.get(int(found[1]), "") + " " + page
    assert sorted(by_sheet) == list(range(1, len(sign_in.sheets(views)) + 1))
    pairs: Counter = Counter()
    for text in by_sheet.values():
        held = [
            s
            for s in views.sessions
            if " ".join(s.title.split()) in text and f"{s.start:%H:%M}–{s.end:%H:%M}" in text
        ]
        assert held, "a sheet names its session"
        names = [d for d in views.visit.delegates if d.name in text]
        pairs.update((d.id, s.session_id) for s in held for d in names)
    assert pairs == assignment_pairs(views)


def test_every_pair_is_on_exactly_one_row_of_the_sign_in_sheet_table(views, kit_dir):
    rows = sheet_rows(kit_dir / "kit.xlsx", "Sign-in")
    pairs: Counter = Counter()
    blanks: Counter = Counter()
    for sheet, _date, _time, sessions, _title, _host, delegate, name, org, role, sig in rows:
        if delegate is None:
            assert (name, org, role, sig) == (None, None, None, None)  # a walk-in row is blank
            blanks[sheet] += 1
            continue
        pairs.update((delegate, s) for s in sessions.split("; "))
    assert pairs == assignment_pairs(views)
    assert set(blanks.values()) == {sign_in.BLANK_ROWS}
    assert len(blanks) == len(sign_in.sheets(views))


def test_a_sheet_per_day_still_holds_every_pair_once(views):
    day_views = build_views(kit_extras(views.visit, sign_in="day"), views.plan)
    pairs: Counter = Counter()
    for sheet in sign_in.sheets(day_views):
        pairs.update((a.delegate_id, s.session_id) for s in sheet.sessions for a in sheet.attendees)
        if len(sheet.sessions) > 1:
            assert all(s.whole_delegation for s in sheet.sessions)
    assert pairs == assignment_pairs(views)


@needs_chromium
def test_the_funder_credit_is_on_every_sign_in_sheet_and_certificate(views, kit_dir):
    credit = " ".join(CREDIT.split())
    w = Words(views.visit.language)
    sign_text = " ".join(pdf_pages(kit_dir / "sign-in.pdf"))
    assert sign_text.count(credit) == len(sign_in.sheets(views))
    cert_text = " ".join(pdf_pages(kit_dir / "certificates.pdf"))
    assert cert_text.count(credit) == len(certificates.certificates(views))
    assert cert_text.count(w("certificate")) == len(certificates.certificates(views))
    assert views.visit.funder.name in sign_text and views.visit.funder.name in cert_text


# -- manifests --------------------------------------------------------------------------


def test_manifests_equal_the_legs_ride_by_ride(views, kit_dir):
    rows = sheet_rows(kit_dir / "kit.xlsx", "Manifests")
    listed = Counter(
        (delegate, origin, to, on, depart, arrive, vehicle or "")
        for vehicle, on, depart, arrive, origin, _, to, _, delegate, _, _ in rows
    )
    legs = Counter(
        (
            g.delegate_id,
            g.from_,
            g.to,
            g.date.isoformat(),
            f"{g.depart:%H:%M}",
            f"{g.arrive:%H:%M}",
            g.vehicle,
        )
        for g in views.plan.legs
    )
    assert listed == legs
    capacity = views.visit.transport.riders_per_vehicle
    rides = Counter(key[1:] for key in listed.elements() if key[6] != "walk")
    assert capacity is not None and max(rides.values()) <= capacity


@needs_chromium
def test_manifest_pages_list_each_ride_with_its_riders(views, kit_dir):
    text = " ".join(pdf_pages(kit_dir / "manifests.pdf"))
    for ride in views.rides:
        assert f"{ride.depart:%H:%M}–{ride.arrive:%H:%M}" in text
        assert all(r.name in text for r in ride.riders)
    capacity = views.visit.transport.riders_per_vehicle
    w = Words(views.visit.host_language)
    assert (
        f"{w('seats_free')}: {capacity - max(r.size for r in views.rides if not r.walked)}" in text
    )


def test_each_vehicle_route_runs_from_the_base_without_a_gap(views):
    assert views.routes
    for (vehicle, on), route in views.routes.items():
        assert route[0].from_ == BASE
        assert route[-1].to == BASE
        for before, after in zip(route, route[1:], strict=False):
            assert before.to == after.from_
            assert before.end <= after.start
        rides = [i for i in route if isinstance(i, RideItem)]
        assert rides == [r for r in views.rides if r.vehicle == vehicle and r.date == on]
        for drive in (i for i in route if isinstance(i, EmptyDrive)):
            assert drive.minutes is not None and drive.minutes > 0


def test_walked_legs_are_listed_per_day_with_who_walks(views):
    walked = manifests.walks(views)
    assert sum(len(rides) for rides in walked.values()) == sum(1 for r in views.rides if r.walked)
    page = manifests.html(views)
    for rides in walked.values():
        for ride in rides:
            assert ", ".join(r.name for r in ride.riders) in html_module.unescape(page)


# -- catering ---------------------------------------------------------------------------


def test_caterers_count_the_plans_lunches_and_meals_without_names(views, kit_dir):
    first = views.sessions[0]
    visit = replace(
        views.visit,
        sessions=tuple(
            replace(s, kind="meal") if s.id == first.session_id else s for s in views.visit.sessions
        ),
    )
    meal_views = build_views(visit, views.plan)
    counted = catering.counts(meal_views)
    lunches = Counter()
    for b in meal_views.plan.lunches:
        lunches[b.date, b.place] += 1
    assert {(c.date, c.place): c.eaters for c in counted if c.what == "lunch"} == dict(lunches)
    (meal,) = [c for c in counted if c.what != "lunch"]
    assert meal.eaters == first.size and meal.what == first.session_id
    page = html_module.unescape(catering.html(meal_views))
    rows = sheet_rows(kit_dir / "kit.xlsx", "Catering")
    assert sum(r[5] for r in rows) == sum(lunches.values())
    for delegate in views.visit.delegates:
        assert delegate.name not in page
        assert all(delegate.name not in str(cell) for row in rows for cell in row)


@needs_chromium
def test_the_catering_pdf_names_nobody(views, kit_dir):
    text = " ".join(pdf_pages(kit_dir / "catering.pdf"))
    assert "Lunsj" in text  # host_language nb
    assert not any(d.name in text for d in views.visit.delegates)


def test_lunch_need_counts_add_up_to_the_diners_codes(views):
    for c in catering.counts(views):
        diners = [
            d for s in views.lunches if s.date == c.date and s.place == c.place for d in s.diners
        ]
        expected = Counter(code for d in diners for code in d.need_codes)
        assert dict(c.needs) == dict(expected)


# -- participants, certificates, brief, badges ---------------------------------------------


def test_participant_totals_add_up(views, kit_dir):
    rows = participants.participants(views)
    assert [r.delegate_id for r in rows] == [d.id for d in views.visit.delegates]
    for key in ("organisation", "role"):
        totals = participants.totals(rows, key)
        assert sum(t.people for t in totals) == len(rows)
        assert sum(t.days for t in totals) == sum(r.days for r in rows)
    sheet = sheet_rows(kit_dir / "kit.xlsx", "Participants")
    assert [r[0] for r in sheet] == [d.id for d in views.visit.delegates]
    assert all(r[7] == r[8] + 1 for r in sheet)  # days = nights + 1


def test_certificates_count_the_hours_of_the_sessions_attended(views):
    for c in certificates.certificates(views):
        attended = {a.session_id for a in views.plan.assignments if a.delegate_id == c.delegate_id}
        assert {s.session_id for s in c.sessions} == attended
        expected = sum(
            (s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute)
            for s in views.sessions
            if s.session_id in attended
        )
        assert c.minutes == expected


def test_the_day_brief_has_a_page_per_day_with_groups_contacts_and_lunch(views):
    briefs = day_brief.briefs(views)
    assert [b.date for b in briefs] == [on for on, items in views.days.items() if items]
    page = html_module.unescape(day_brief.html(views))
    assert page.count('class="page brief"') == len(briefs)
    assert views.visit.organiser.phone in page
    for b in briefs:
        present = {d for d, days in views.delegates.items() if days.get(b.date)}
        assert sum(len(g.names) for g in b.groups) == len(present)
        assert {d.id for d in b.contacts} == {d for d in present if views.visit.delegate(d).phone}
    with_contact = [d for d in views.visit.delegates if d.emergency_contact]
    assert with_contact and all(d.emergency_contact in page for d in with_contact)


def test_badges_carry_every_delegate_on_sheets_of_eight(views):
    from visitplan.kit import badges

    page = html_module.unescape(badges.html(views))
    assert page.count('class="badge"') == len(views.visit.delegates)
    assert page.count('class="page badges"') == -(-len(views.visit.delegates) // badges.PER_PAGE)


# -- every PDF --------------------------------------------------------------------------


def visible_text(document: str) -> str:
    body = document.split("</style>", 1)[-1]
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))


@needs_chromium
@pytest.mark.parametrize("item", kit.ITEMS, ids=lambda item: item.NAME)
def test_latvian_and_norwegian_letters_survive_in_every_pdf(views, kit_dir, item):
    pdf = kit_dir / item.FILE
    text = " ".join(pdf_pages(pdf))
    wanted = {c for c in visible_text(item.html(views)) if c in LETTERS}
    assert wanted, f"{item.NAME} prints some Latvian or Norwegian letters"
    assert wanted <= set(text)


@needs_chromium
@pytest.mark.parametrize("item", kit.ITEMS, ids=lambda item: item.NAME)
def test_each_pdf_renders_a_page_to_png(kit_dir, item):
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    stem = PNG_DIR / item.NAME
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(kit_dir / item.FILE),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    data = stem.with_suffix(".png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert sorted((width, height)) == pytest.approx([496, 702], abs=3)  # A4 at 60 dpi


@needs_chromium
def test_the_kit_pdfs_are_dated_by_the_plan(kit_dir):
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(kit_dir / "sign-in.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.search(r"^CreationDate:\s+2009-08-01T12:00:00", info.stdout, re.M)


# -- a visit without the new columns and tables --------------------------------------------


@needs_chromium
def test_a_visit_without_the_new_input_still_gets_a_whole_kit(tmp_path):
    visit, plan = tiny()
    assert visit.funder is None and not any(d.phone for d in visit.delegates)
    views = build_views(visit, plan)
    kit.write(views, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kit.FILES.values())
    sign_text = " ".join(pdf_pages(tmp_path / "sign-in.pdf"))
    assert visit.title in sign_text
    pairs: Counter = Counter()
    for row in sheet_rows(tmp_path / "kit.xlsx", "Sign-in"):
        if row[6]:
            pairs.update((row[6], s) for s in row[3].split("; "))
    assert pairs == assignment_pairs(views)


def test_without_chromium_the_kit_has_its_workbook_and_one_warning(monkeypatch, tmp_path):
    visit, plan = tiny()
    monkeypatch.setenv("VISITPLAN_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.warns(
        RuntimeWarning, match=r"kit/\*\.pdf skipped: Chromium is not installed"
    ) as caught:
        kit.write(build_views(visit, plan), tmp_path / "kit")
    assert len(caught) == 1
    assert sorted(p.name for p in (tmp_path / "kit").iterdir()) == ["kit.xlsx"]
