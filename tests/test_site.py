"""The programme site: index, delegate and host pages, checked as text and in a real browser.

Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright
for Python; they are skipped only where that Chromium is not installed. Every
plan they render is solved from a tiny visit and judged clean by check_plan.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.checkfixtures import (
    DAY1,
    attend,
    leg,
    local,
    lunch_break,
    make_plan,
    make_visit,
    scheduled,
    with_delegate,
)
from visitplan.check import check_plan
from visitplan.export import booklet, site
from visitplan.export.mapsvg import MapPlace, MapRoute, render_map
from visitplan.model import BASE
from visitplan.outputs import write_outputs
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve
from visitplan.views import DelegateRide, SessionItem, build_views

TINY = Path(__file__).parent / "visits" / "tiny"
ISSUED = datetime(2009, 8, 1, 12, 0, tzinfo=UTC)
OPTIONS = SolveOptions(workers=1, deterministic_time=2.0)
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason="Debian's chromium is absent")


def planned(visit):
    plan, report = solve(visit, OPTIONS, ISSUED)
    assert plan is not None, report
    assert check_plan(visit, plan) == []
    return plan


@pytest.fixture(scope="module")
def visit():
    """The tiny visit with legs up to 2 km walked, so the plan has walks and drives."""
    tiny = load_visit(TINY)
    return replace(tiny, transport=replace(tiny.transport, walk_km=2.0))


@pytest.fixture(scope="module")
def views(visit):
    return build_views(visit, planned(visit))


@pytest.fixture(scope="module")
def plan_dir(visit, views, tmp_path_factory) -> Path:
    """A whole plan folder, as ``visitplan plan`` writes it (the site among the rest)."""
    folder = tmp_path_factory.mktemp("plan") / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # without Chromium: no PDF, a warning
        write_outputs(visit, views.plan, folder)
    return folder


def attended(views, delegate_id):
    return {
        item.session_id
        for items in views.delegates[delegate_id].values()
        for item in items
        if isinstance(item, SessionItem)
    }


def ridden(views, delegate_id):
    return {
        site.ride_key(item.ride)
        for items in views.delegates[delegate_id].values()
        for item in items
        if isinstance(item, DelegateRide)
    }


# -- pages as text -------------------------------------------------------------------------


def test_site_has_index_a_page_per_delegate_and_per_host(views, plan_dir):
    root = plan_dir / "site"
    assert (root / "index.html").is_file()
    assert (root / "style.css").is_file()
    assert (root / "booklet.html").is_file()
    for delegate in views.visit.delegates:
        assert (root / "delegates" / f"{delegate.id}.html").is_file()
    for host_id in views.hosts:
        assert (root / "hosts" / f"{host_id}.html").is_file()


def test_pages_need_nothing_from_outside(plan_dir):
    for page in (plan_dir / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), page
        assert "@import" not in text and "url(" not in text, page
    css = (plan_dir / "site" / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_every_link_leads_to_a_file_of_the_plan_folder(plan_dir):
    """Inside site/ or beside it (the downloads): no link leads nowhere."""
    root = (plan_dir / "site").resolve()
    beside = set()
    for page in root.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            assert target.is_relative_to(root.parent), (page.name, href)
            assert target.is_file(), (page.name, href)
            if not target.is_relative_to(root):
                beside.add(target.relative_to(root.parent).as_posix())
    assert {"programme.xlsx", "costs.xlsx", "calendars/programme.ics"} <= beside
    assert "calendars/delegates/d1.ics" in beside


def test_downloads_are_offered_only_when_the_plan_folder_has_them(views, tmp_path):
    (tmp_path / "programme.xlsx").write_bytes(b"")
    site.write(views, tmp_path)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="../programme.xlsx"' in index
    for absent in ("programme.pdf", "costs.xlsx", "calendars/programme.ics"):
        assert f'href="../{absent}"' not in index
    for page in (tmp_path / "site").rglob("*.html"):  # no calendars were written
        assert ".ics" not in page.read_text(encoding="utf-8"), page.name


def test_pages_carry_the_visit_language(views, plan_dir):
    index = (plan_dir / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="lv">' in index
    assert "Pa dienām" in index  # "Day by day" in Latvian
    host = (plan_dir / "site" / "hosts" / "ntnu.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in host  # the hosts' pages speak host_language
    assert "Roster" in host


def test_norwegian_words_and_dates(views):
    visit = replace(views.visit, language="nb", host_language="nb")
    pages = site.render_site(build_views(visit, views.plan))
    assert '<html lang="nb">' in pages["index.html"]
    assert "mandag 24. august 2009" in pages["index.html"]
    assert "Deltakerliste" in pages["hosts/ntnu.html"]


def test_input_text_cannot_inject_html(views):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    visit = views.visit
    sessions = tuple(replace(s, title=s.title + evil, description=evil) for s in visit.sessions)
    delegates = tuple(replace(d, name=d.name + evil, needs=evil) for d in visit.delegates)
    hosts = tuple(replace(h, name=h.name + evil, contact=evil) for h in visit.hosts)
    base = replace(visit.base, name=visit.base.name + evil)
    visit = replace(
        visit, title=evil, sessions=sessions, delegates=delegates, hosts=hosts, base=base
    )
    pages = site.render_site(build_views(visit, views.plan))
    for name, text in pages.items():
        if name.endswith(".css"):
            continue
        assert "<script>alert" not in text, name
        assert "<img src=x" not in text, name
        assert "&lt;script&gt;" in text, name


def test_same_views_give_the_same_bytes(views):
    assert site.render_site(views) == site.render_site(views)


def test_budget_summary_only_with_costs(views):
    with_costs = site.render_site(views)["index.html"]
    assert 'id="budget"' in with_costs
    assert "Kopējās izmaksas" in with_costs
    without = site.render_site(build_views(replace(views.visit, costs=()), views.plan))
    assert 'id="budget"' not in without["index.html"]


def test_timeline_lanes_share_out_the_delegates_of_the_day(views):
    for on, items in views.days.items():
        if not items:
            continue
        timeline = site.build_timeline(views, on)
        present = sorted(d for d, days in views.delegates.items() if days.get(on))
        in_lanes = sorted(d for lane in timeline.lanes for d in lane.delegate_ids)
        assert in_lanes == present
        whole = {s.session_id for s in items if isinstance(s, SessionItem) and s.whole_delegation}
        assert {b.item.session_id for b in timeline.spanning} == whole
        for block in (*timeline.spanning, *(b for lane in timeline.lanes for b in lane.blocks)):
            assert 0 <= block.left and block.left + block.width <= 100.0001


def latecomer():
    """(visit, plan) of the hand-built Trøndelag plan where d03 arrives at 09:00, too late for
    the whole delegation's opening (09:00-10:00), and meanwhile goes to the round table."""
    visit = with_delegate(make_visit(), "d03", arrives=local(DAY1, "09:00"))
    plan = make_plan()
    round_table = scheduled("s-round", "kommune", DAY1, "09:30", "10:30")
    plan = replace(
        plan,
        sessions=(*plan.sessions, round_table),
        assignments=(*plan.assignments, attend("d03", round_table)),
        legs=(
            *plan.legs,
            leg("d03", "base>kommune", DAY1, "09:15", "09:30"),
            leg("d03", "kommune>base", DAY1, "10:30", "10:45"),
        ),
        lunches=(*plan.lunches, lunch_break("d03", DAY1, "11:30", "12:15", "base")),
    )
    assert check_plan(visit, plan) == []
    return visit, plan


def overlapping(blocks) -> list[tuple[str, str]]:
    """Pairs of blocks drawn in the same row of the same lane at the same moment."""
    pairs = []
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            if a.row == b.row and a.start < b.end and b.start < a.end:
                pairs.append((str(a.item), str(b.item)))
    return pairs


def test_whole_delegation_sessions_get_their_own_lane_when_a_group_is_elsewhere_meanwhile():
    visit, plan = latecomer()
    timeline = site.build_timeline(build_views(visit, plan), DAY1)
    assert timeline.spanning == ()  # drawn across the lanes, the opening would cover d03's
    whole, *groups = timeline.lanes
    assert whole.whole and [b.item.session_id for b in whole.blocks] == ["s-open"]
    late = next(lane for lane in groups if "d03" in lane.delegate_ids)
    assert "s-round" in {getattr(b.item, "session_id", "") for b in late.blocks}
    for lane in timeline.lanes:
        assert overlapping(lane.blocks) == []
        assert lane.rows == 1 + max(b.row for b in lane.blocks)


def test_items_of_one_lane_that_share_a_moment_go_to_rows_of_their_own(views):
    day = next(on for on, items in views.days.items() if items)
    timeline = site.build_timeline(views, day)
    blocks = [b for lane in timeline.lanes for b in lane.blocks]
    stacked, rows = site._in_rows([replace(b, row=0) for b in blocks])  # every group at once
    assert overlapping(stacked) == []
    starts = sorted({b.start for b in blocks})
    busiest = max(sum(b.start <= t < b.end for b in blocks) for t in starts)
    assert rows == busiest  # as few rows as the busiest moment needs


def test_show_prints_the_path_without_a_display(plan_dir, monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(site.sys, "platform", "linux")
    opened = []
    monkeypatch.setattr(site.webbrowser, "open", lambda url: opened.append(url) or True)
    assert site.show(plan_dir) == 0
    assert opened == []
    assert capsys.readouterr().out.strip() == str((plan_dir / "site" / "index.html").resolve())


def test_show_opens_the_browser_when_there_is_one(plan_dir, monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":0")
    opened = []
    monkeypatch.setattr(site.webbrowser, "open", lambda url: opened.append(url) or True)
    assert site.show(plan_dir) == 0
    assert opened == [(plan_dir / "site" / "index.html").resolve().as_uri()]


def test_show_without_a_site_fails(tmp_path, capsys):
    assert site.show(tmp_path) == 1
    assert "does not exist" in capsys.readouterr().err


# -- the map ---------------------------------------------------------------------------------


def markers(svg: str) -> list[str]:
    return re.findall(r'<g class="marker [a-z]+" data-place="([^"]+)"', svg)


def marker_xy(svg: str, place: str) -> tuple[float, float]:
    m = re.search(
        rf'data-place="{place}"><title>[^<]*</title><circle cx="([\d.]+)" cy="([\d.]+)"', svg
    )
    assert m, place
    return float(m.group(1)), float(m.group(2))


def test_map_puts_north_up_and_east_right():
    places = [
        MapPlace("base", "Hotel", 63.43, 10.40, is_base=True),
        MapPlace("north", "North", 63.60, 10.40, number="1"),
        MapPlace("east", "East", 63.43, 10.80, number="2"),
    ]
    svg = str(render_map(places, [MapRoute("base", "north"), MapRoute("base", "east", True)]))
    assert sorted(markers(svg)) == ["base", "east", "north"]
    north, east = marker_xy(svg, "north"), marker_xy(svg, "east")
    assert north[1] < east[1]  # north is higher up
    assert east[0] > north[0]  # east is to the right
    assert svg.count('class="route drive') == 1 and svg.count('class="route walk') == 1


def test_map_scales_longitude_by_cos_latitude():
    # 0.2° of longitude at 60°N is as long as 0.1° of latitude: a square stays square
    places = [
        MapPlace("a", "A", 60.0, 10.0, number="1"),
        MapPlace("b", "B", 60.1, 10.2, number="2"),
    ]
    svg = str(render_map(places, width=600, height=600))
    (xa, ya), (xb, yb) = marker_xy(svg, "a"), marker_xy(svg, "b")
    assert abs(abs(xb - xa) - abs(yb - ya)) < 0.02 * abs(yb - ya)


def test_a_dense_cluster_gets_its_own_panel_and_one_marker_per_place():
    city = [
        MapPlace(f"c{i}", f"City {i}", 63.43 + i * 0.002, 10.40 + i * 0.003, number=str(i))
        for i in range(1, 5)
    ]
    far = MapPlace("far", "Far away", 64.01, 11.48, number="9")
    base = MapPlace("base", "Hotel", 63.434, 10.403, is_base=True)
    svg = str(render_map([base, *city, far], [MapRoute("base", "far")], inset_title="Close by"))
    assert sorted(markers(svg)) == sorted(["base", "far", *(c.id for c in city)])
    assert svg.count('class="panel"') == 2
    assert "Close by" in svg


def test_a_map_without_coordinates_is_empty_not_broken():
    svg = str(render_map([], title="Nothing to draw"))
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "marker" not in svg


def test_map_escapes_names():
    svg = str(render_map([MapPlace("a", "<b>&", 60.0, 10.0, is_base=True)], title="<i>"))
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and "&lt;i&gt;" in svg


# -- in a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is absent")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = booklet.launch(playwright, str(CHROMIUM))
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


def all_pages(plan_dir: Path) -> list[Path]:
    return sorted((plan_dir / "site").rglob("*.html"))


@needs_chromium
def test_every_page_loads_offline_without_errors(browser, plan_dir):
    pages = all_pages(plan_dir)
    assert len(pages) >= 1 + 3 + 2
    for html in pages:
        with booklet.open_page(browser, html) as log:
            assert log.console_errors == [], html
            assert log.page_errors == [], html
            assert log.requests, html
            assert log.outside_requests == [], html
            assert log.page.evaluate("document.documentElement.lang") in ("lv", "en", "nb")
            stylesheet = log.page.evaluate("document.styleSheets.length")
            assert stylesheet >= 1, html


@needs_chromium
def test_index_shows_every_session_and_every_ride(browser, views, plan_dir):
    with booklet.open_page(browser, plan_dir / "site" / "index.html") as log:
        page = log.page
        listed = page.eval_on_selector_all(
            "table.sessions tr[data-session]", "rows => rows.map(r => r.dataset.session)"
        )
        assert sorted(listed) == sorted(s.session_id for s in views.sessions)
        on_timeline = set(
            page.eval_on_selector_all(
                ".timeline a.block", "blocks => blocks.map(b => b.dataset.session)"
            )
        )
        assert on_timeline == {s.session_id for s in views.sessions}
        rides = page.eval_on_selector_all(
            "table.rides tr[data-ride]", "rows => rows.map(r => r.dataset.ride)"
        )
        assert sorted(rides) == sorted(site.ride_key(r) for r in views.rides)
        bars = set(
            page.eval_on_selector_all(".timeline .ride", "bars => bars.map(b => b.dataset.ride)")
        )
        assert bars == {site.ride_key(r) for r in views.rides}
        text = page.inner_text("main")
        for session in views.sessions:
            assert session.title in text


@needs_chromium
def test_the_map_has_one_marker_per_place(browser, views, plan_dir):
    visit = views.visit
    used = {BASE} | {s.host_id for s in views.sessions}
    used |= {p for r in views.rides for p in (r.from_, r.to)}

    def located(place):
        spot = visit.base if place == BASE else visit.host(place)
        return spot.lat is not None and spot.lon is not None

    with booklet.open_page(browser, plan_dir / "site" / "index.html") as log:
        drawn = log.page.eval_on_selector_all("#map .marker", "ms => ms.map(m => m.dataset.place)")
        assert sorted(drawn) == sorted(p for p in used if located(p))
        assert log.page.locator("#map .route").count() >= 1
        missing = [visit.place_name(p) for p in used if not located(p)]
        if missing:
            caption = log.page.inner_text("#map-section figcaption")
            for name in missing:
                assert name in caption


@needs_chromium
def test_delegate_pages_show_their_sessions_rides_and_calendar(browser, views, plan_dir):
    for delegate in views.visit.delegates:
        html = plan_dir / "site" / "delegates" / f"{delegate.id}.html"
        with booklet.open_page(browser, html) as log:
            page = log.page
            sessions = page.eval_on_selector_all(
                "table.itinerary tr[data-session]", "rows => rows.map(r => r.dataset.session)"
            )
            assert set(sessions) == attended(views, delegate.id)
            rides = page.eval_on_selector_all(
                "table.itinerary tr[data-ride]", "rows => rows.map(r => r.dataset.ride)"
            )
            assert set(rides) == ridden(views, delegate.id)
            href = page.get_attribute("a.ics", "href")
            assert href == f"../../calendars/delegates/{delegate.id}.ics"
            assert delegate.name in page.inner_text("h1")
            if rides:
                assert page.locator(".leaves").count() >= 1


@needs_chromium
def test_host_pages_show_each_session_with_roster_and_size(browser, views, plan_dir):
    for host_id, roster in views.hosts.items():
        html = plan_dir / "site" / "hosts" / f"{host_id}.html"
        with booklet.open_page(browser, html) as log:
            page = log.page
            for session in roster.sessions:
                section = page.locator(f'section.roster[data-session="{session.session_id}"]')
                assert section.count() == 1
                assert section.locator(".size").inner_text() == str(session.size)
                listed = section.locator("tr[data-delegate]").evaluate_all(
                    "rows => rows.map(r => r.dataset.delegate)"
                )
                assert listed == list(session.attendee_ids)


@needs_chromium
def test_text_on_blocks_and_pages_is_readable(browser, plan_dir):
    """WCAG AA: text contrast at least 4.5:1 on session blocks, tables and the header."""
    with booklet.open_page(browser, plan_dir / "site" / "index.html") as log:
        pairs = log.page.evaluate(
            """() => Array.from(document.querySelectorAll(
                   '.block .b-title, td, .masthead h1, .masthead .lead, .badge, caption'))
                 .map(e => {
                   let bg = 'rgba(0, 0, 0, 0)', node = e;
                   while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
                     bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
                   }
                   return [getComputedStyle(e).color, bg];
                 })"""
        )
    assert pairs
    for colour, background in pairs:
        assert contrast(colour, background) >= 4.5, (colour, background)


def contrast(a: str, b: str) -> float:
    def luminance(css: str) -> float:
        r, g, b_ = (int(x) / 255 for x in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@needs_chromium
def test_delegate_page_prints_one_a4_page_per_day(browser, views, plan_dir, tmp_path):
    delegate_id = max(views.delegates, key=lambda d: len(views.delegates[d]))
    days = len(views.delegates[delegate_id])
    pdf = tmp_path / "delegate.pdf"
    with booklet.open_page(browser, plan_dir / "site" / "delegates" / f"{delegate_id}.html") as log:
        log.page.emulate_media(media="print")
        log.page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1) == str(days)
    else:
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == days


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_screenshots_of_index_and_a_delegate_page(browser, views, plan_dir, tmp_path):
    index_png = tmp_path / "index.png"
    with booklet.open_page(browser, plan_dir / "site" / "index.html", width=1280) as log:
        booklet.screenshot(log, index_png)
    width, height = png_size(index_png)
    assert width == 1280 and height > 800
    assert index_png.stat().st_size > 20_000

    delegate_id = sorted(views.delegates)[0]
    delegate_png = tmp_path / f"{delegate_id}.png"
    with booklet.open_page(
        browser, plan_dir / "site" / "delegates" / f"{delegate_id}.html", width=900
    ) as log:
        booklet.screenshot(log, delegate_png, max_height=1600)
    width, height = png_size(delegate_png)
    assert width == 900 and 400 < height <= 1600


TIMELINE_GEOMETRY = """() => {
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const clip = (r, box) => ({left: Math.max(r.left, box.left), right: Math.min(r.right, box.right),
                             top: Math.max(r.top, box.top), bottom: Math.min(r.bottom, box.bottom)});
  const found = [];
  for (const timeline of document.querySelectorAll('.timeline')) {
    const boxes = Array.from(timeline.querySelectorAll('.block, .ride'));
    const rects = boxes.map(b => b.getBoundingClientRect());
    boxes.forEach((box, i) => {
      boxes.slice(i + 1).forEach((other, j) => {
        if (overlap(rects[i], rects[i + 1 + j])) found.push(['boxes', box.title, other.title]);
      });
      const shown = [];
      for (const span of box.querySelectorAll('span')) {
        if (span.classList.contains('sr') || getComputedStyle(span).display === 'none') continue;
        const visible = clip(span.getBoundingClientRect(), rects[i]);
        const range = document.createRange();
        range.selectNodeContents(span);
        for (const line of range.getClientRects()) {
          const seen = clip(line, visible);
          const height = seen.bottom - seen.top;
          if (height <= 0.5 || seen.right - seen.left <= 0.5) continue;  // clipped away
          if (height < line.height - 1) found.push(['cut line', box.title, span.className]);
          shown.push([span, seen]);
        }
      }
      shown.forEach(([a, ra], k) => shown.slice(k + 1).forEach(([b, rb]) => {
        if (a !== b && overlap(ra, rb)) found.push(['lines', box.title, a.className, b.className]);
      }));
    });
  }
  return found;
}"""
"""Everything drawn on a timeline that collides: two boxes (sessions, rides) on top of each
other, a line of text cut by its box, or lines of one box printed over each other."""


@needs_chromium
def test_timeline_boxes_and_their_text_never_overlap(browser, plan_dir, tmp_path):
    """On the tiny visit (a day with one group and whole-delegation sessions) and on a day where
    a latecomer is elsewhere during the opening, on screen and in the printed booklet."""
    visit, plan = latecomer()
    pages = site.render_site(build_views(visit, plan))
    late = tmp_path / "site"
    for relative, text in pages.items():
        (late / relative).parent.mkdir(parents=True, exist_ok=True)
        (late / relative).write_text(text, encoding="utf-8")
    for root in (plan_dir / "site", late):
        for page, media in (("index.html", "screen"), ("booklet.html", "print")):
            with booklet.open_page(browser, root / page) as log:
                log.page.emulate_media(media=media)
                assert log.page.locator(".timeline .block").count() > 0
                assert log.page.evaluate(TIMELINE_GEOMETRY) == [], (root, page)
