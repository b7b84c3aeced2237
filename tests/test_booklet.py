"""programme.pdf: cover, a page per day with programme and a page per delegate, by Chromium.

The PDF is checked with poppler's tools: pdfinfo counts the pages, pdftotext
reads the titles back, pdftoppm turns the cover into a PNG. Skipped only where
Debian's chromium (or poppler-utils) is not installed; the skip-with-a-warning
path is tested everywhere.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from visitplan.check import check_plan
from visitplan.export import booklet, site
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve
from visitplan.views import build_views

TINY = Path(__file__).parent / "visits" / "tiny"
ISSUED = datetime(2009, 8, 1, 12, 0, tzinfo=UTC)
OPTIONS = SolveOptions(workers=1, deterministic_time=2.0)
CHROMIUM = Path("/usr/bin/chromium")
POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdftoppm"))
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file() or not POPPLER, reason="Debian's chromium or poppler-utils is absent"
)


@pytest.fixture(scope="module")
def views():
    tiny = load_visit(TINY)
    visit = replace(tiny, transport=replace(tiny.transport, walk_km=2.0))
    plan, report = solve(visit, OPTIONS, ISSUED)
    assert plan is not None, report
    assert check_plan(visit, plan) == []
    return build_views(visit, plan)


def expected_pages(views) -> int:
    """1 cover + the days with programme + one per delegate."""
    days = sum(1 for items in views.days.values() if items)
    return 1 + days + len(views.visit.delegates)


@pytest.fixture(scope="module")
def pdf(views, tmp_path_factory) -> Path:
    if not CHROMIUM.is_file() or not POPPLER:
        pytest.skip("Debian's chromium or poppler-utils is absent")
    folder = tmp_path_factory.mktemp("plan")
    written = booklet.write(views, folder)
    assert written == folder / "programme.pdf"
    return written


def test_booklet_html_has_a_sheet_per_page(views):
    html = site.render_booklet(views)
    assert html.count('<section class="sheet') == expected_pages(views)
    assert html.count('data-page="day"') == sum(1 for items in views.days.values() if items)
    assert html.count('data-page="delegate"') == len(views.visit.delegates)
    assert '<html lang="lv"' in html
    assert "<link" not in html  # the stylesheet is inline: one file prints alone


@needs_chromium
def test_pdf_has_cover_days_and_delegates(pdf, views):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert pages == expected_pages(views)
    assert "A4" in info.stdout


@needs_chromium
def test_pdf_text_holds_every_session_and_delegate(pdf, views):
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for session in views.sessions:
        assert " ".join(session.title.split()) in flat, session.title
    for delegate in views.visit.delegates:
        assert delegate.name in flat
    assert views.visit.title in flat


@needs_chromium
def test_cover_renders_as_an_image(pdf, tmp_path):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "cover")],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("cover*.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == pytest.approx((496, 702), abs=3)  # A4 at 60 dpi
    assert len(data) > 10_000


def test_stamp_dates_the_info_dictionary_in_place():
    body = b"<</Producer (Skia/PDF m156)\n/CreationDate (D:20261204202452+00'00')\n"
    body += b"/ModDate(D:20261204202452Z)>>\nendobj\nxref\n0 2\ntrailer\n"
    stamped = booklet.stamp(b"%PDF-1.4\n1 0 obj\n" + body, ISSUED)
    assert len(stamped) == len(body) + len(b"%PDF-1.4\n1 0 obj\n")
    assert b"/CreationDate (D:20090801120000+00'00')\n" in stamped
    assert b"/ModDate(D:20090801120000Z)>>" in stamped
    assert stamped.index(b"xref") == (b"%PDF-1.4\n1 0 obj\n" + body).index(b"xref")
    assert b"2026" not in stamped


@needs_chromium
def test_pdf_is_dated_by_the_plan_not_the_clock(pdf, views, tmp_path):
    """The same plan printed again a while later gives the same bytes, dated --issued."""
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True
    )
    assert info.stderr == ""  # the rewritten dates left the cross-reference table intact
    assert re.search(r"^CreationDate:\s+2009-08-01T12:00:00", info.stdout, re.M)
    assert re.search(r"^ModDate:\s+2009-08-01T12:00:00", info.stdout, re.M)
    time.sleep(1.1)  # Chromium's clock stamp would now differ in its seconds
    again = booklet.write(views, tmp_path)
    assert again.read_bytes() == pdf.read_bytes()


def test_no_chromium_means_no_pdf_and_a_warning(views, tmp_path, monkeypatch):
    monkeypatch.setenv("VISITPLAN_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.warns(RuntimeWarning, match="programme.pdf skipped"):
        assert booklet.write(views, tmp_path) is None
    assert not (tmp_path / "programme.pdf").exists()


def test_a_failing_chromium_means_no_pdf_and_a_warning(views, tmp_path, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("VISITPLAN_CHROMIUM", str(fake))
    with pytest.warns(RuntimeWarning, match="cannot start"):
        assert booklet.write(views, tmp_path) is None
    assert not (tmp_path / "programme.pdf").exists()
