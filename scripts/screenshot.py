"""Make the README's screenshots of the programme site for the bundled visit.

Plans the bundled Latgale visit, writes its site into a temporary folder and
photographs ``index.html`` (and one delegate's page) with the same browser
code the tests use (:mod:`visitplan.export.booklet`: Debian's Chromium under
Playwright, never a downloaded browser).

    .venv/bin/python scripts/screenshot.py            # docs/index.png, docs/delegate.png
    .venv/bin/python scripts/screenshot.py --site out/site-preview
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from visitplan.check import check_plan
from visitplan.export import booklet, site
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve
from visitplan.views import build_views

ROOT = Path(__file__).resolve().parent.parent
ISSUED = datetime(2009, 8, 1, 12, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visit", default=str(ROOT / "data" / "latgale-trondelag-2009"))
    parser.add_argument("--docs", default=str(ROOT / "docs"), help="where the PNGs go")
    parser.add_argument("--site", help="keep the site in this folder (default: a temporary one)")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000, help="crop the index to this height")
    parser.add_argument("--delegate", default="d01", help="the delegate page to photograph")
    args = parser.parse_args(argv)

    visit = load_visit(args.visit)
    plan, report = solve(visit, SolveOptions(workers=2, time_limit=args.time_limit), ISSUED)
    if plan is None:
        print(f"no plan: {report.status}", file=sys.stderr)
        return 1
    violations = check_plan(visit, plan)
    if violations:
        print("\n".join(map(str, violations)), file=sys.stderr)
        return 1
    views = build_views(visit, plan)

    from playwright.sync_api import sync_playwright

    docs = Path(args.docs)
    with tempfile.TemporaryDirectory(prefix="visitplan-site-") as scratch:
        folder = Path(args.site) if args.site else Path(scratch)
        index = site.write(views, folder)
        with sync_playwright() as playwright:
            browser = booklet.launch(playwright)
            try:
                with booklet.open_page(browser, index, width=args.width) as log:
                    shot = booklet.screenshot(log, docs / "index.png", max_height=args.height)
                    problems = log.console_errors + log.page_errors + log.outside_requests
                delegate = index.parent / "delegates" / f"{args.delegate}.html"
                with booklet.open_page(browser, delegate, width=args.width) as log:
                    booklet.screenshot(log, docs / "delegate.png", max_height=1400)
                    problems += log.console_errors + log.page_errors + log.outside_requests
            finally:
                browser.close()
    for problem in problems:
        print(f"page problem: {problem}", file=sys.stderr)
    print(f"{report.status} plan; wrote {shot} and {docs / 'delegate.png'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
