"""programme.pdf: the printable booklet, printed by headless Chromium.

The booklet is ``site/booklet.html`` (:func:`visitplan.export.site.render_booklet`):
a cover, one A4 page per day with programme and one per delegate, its
stylesheet inline. Chromium prints it exactly as the browser tests see the
site, with the same fonts and layout, so the PDF and the pages never drift
apart; WeasyPrint would be a second layout engine with its own gaps (no
``zoom``, partial flexbox/grid) to keep in step. Chromium comes from the
system's package manager (Debian: ``chromium``); nothing is ever downloaded.

A machine without Chromium gets no PDF and a warning, never a failed plan
(spec section 2). Chromium prints without its header and footer (which
would carry the clock) and stamps its Info dictionary with the clock;
:func:`stamp` rewrites those dates to the plan's issue time, in place, so
the same plan gives the same PDF. The same module starts the browser for the tests and for
``scripts/screenshot.py``, so the README's screenshot is made by the code the
tests run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from visitplan.views import Views

__all__ = [
    "CHROMIUM_ARGS",
    "FILE_NAME",
    "chromium_or_warn",
    "PRINT_ERRORS",
    "print_html",
    "render_pdf",
    "PageLog",
    "find_chromium",
    "launch",
    "open_page",
    "print_to_pdf",
    "screenshot",
    "stamp",
    "write",
]

FILE_NAME = "programme.pdf"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
)
"""Flags for a quiet, offline headless Chromium (no sandbox: CI runs as root)."""
PRINT_TIMEOUT = 180


def find_chromium() -> str | None:
    """The Chromium executable: ``$VISITPLAN_CHROMIUM``, else Debian's, else on PATH."""
    override = os.environ.get("VISITPLAN_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def print_to_pdf(html: Path, pdf: Path, chromium: str) -> None:
    """Print one HTML file to PDF with a fresh, throw-away browser profile.

    Raises
    ------
    RuntimeError
        Chromium ran but wrote no PDF; its error output is in the message.
    subprocess.TimeoutExpired
        It took longer than :data:`PRINT_TIMEOUT` seconds.
    """
    with tempfile.TemporaryDirectory(prefix="visitplan-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            *CHROMIUM_ARGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=PRINT_TIMEOUT,
            check=False,
        )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(
            f"chromium exited {result.returncode} without writing {pdf.name}: " + " / ".join(detail)
        )


_INFO_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*)\((D:[^()\\]*)\)")


def stamp(pdf: bytes, moment: datetime) -> bytes:
    """The PDF with the dates of its Info dictionary set to ``moment`` (in UTC).

    Each date is rewritten in place and padded with spaces after its closing
    parenthesis to its old length, so every byte offset of the cross-reference
    table stays true."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    forms = (
        moment.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii"),
        moment.strftime("D:%Y%m%d%H%M%SZ").encode("ascii"),
    )

    def replaced(match: re.Match[bytes]) -> bytes:
        new = next((form for form in forms if len(form) <= len(match.group(2))), None)
        if new is None:
            return match.group(0)  # too short to rewrite without moving the offsets
        text = match.group(1) + b"(" + new + b")"
        return text + b" " * (len(match.group(0)) - len(text))

    return _INFO_DATE.sub(replaced, pdf)


def write(views: Views, folder: str | os.PathLike[str]) -> Path | None:
    """Write ``folder/programme.pdf``; None, with a warning, when it cannot be made.

    Chromium missing, crashing or hanging costs the PDF, never the plan.
    """
    from .site import render_booklet

    chromium = chromium_or_warn(FILE_NAME)
    if chromium is None:
        return None
    return print_html(render_booklet(views), Path(folder) / FILE_NAME, views.plan.issued, chromium)


def chromium_or_warn(what: str) -> str | None:
    """The Chromium executable, or None after warning that ``what`` is skipped without it."""
    chromium = find_chromium()
    if chromium is None:
        warnings.warn(
            f"{what} skipped: Chromium is not installed (Debian: apt-get install chromium)",
            RuntimeWarning,
            stacklevel=3,
        )
    return chromium


PRINT_ERRORS = (OSError, RuntimeError, subprocess.SubprocessError)
"""What a failed print raises: Chromium missing its files, crashing, or hanging."""


def print_html(html: str, target: Path, issued: datetime, chromium: str) -> Path | None:
    """:func:`render_pdf`, or None with a warning naming the file when Chromium fails."""
    try:
        return render_pdf(html, target, issued, chromium)
    except PRINT_ERRORS as error:
        warnings.warn(f"{target.name} skipped: {error}", RuntimeWarning, stacklevel=3)
        return None


def render_pdf(html: str, target: Path, issued: datetime, chromium: str) -> Path:
    """Print the page ``html`` (self-contained: styles inline) to ``target``, dated
    ``issued`` (:func:`stamp`).

    The PDF is made in a scratch folder and moved into place whole, so a failed print
    leaves no half-written file.  Raises one of :data:`PRINT_ERRORS` when Chromium fails;
    safe to call from several threads at once (each print has its own profile)."""
    with tempfile.TemporaryDirectory(prefix="visitplan-print-") as scratch:
        page = Path(scratch) / "page.html"
        page.write_text(html, encoding="utf-8")
        partial = Path(scratch) / target.name
        print_to_pdf(page, partial, chromium)
        partial.write_bytes(stamp(partial.read_bytes(), issued))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(partial), target)
    return target


# -- the browser for tests and screenshots (Playwright, optional) -----------------------------


@dataclass
class PageLog:
    """An open page and what it did while loading."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def outside_requests(self) -> list[str]:
        """Requests for anything but a local file."""
        return [url for url in self.requests if not url.startswith("file://")]


def launch(playwright: Any, chromium: str | None = None) -> Any:
    """Start the system's headless Chromium under Playwright (never a downloaded browser)."""
    executable = chromium or find_chromium()
    if executable is None:
        raise FileNotFoundError("Chromium is not installed (Debian: apt-get install chromium)")
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )


@contextmanager
def open_page(
    browser: Any, html: Path, *, width: int = 1280, height: int = 900
) -> Iterator[PageLog]:
    """Load a local page in a fresh context, recording console errors and every request."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log = PageLog(page)
        page.on(
            "console",
            lambda message: (
                log.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("request", lambda request: log.requests.append(request.url))
        page.goto(Path(html).resolve().as_uri(), wait_until="load")
        yield log
    finally:
        context.close()


def screenshot(
    log: PageLog, png: Path, *, full_page: bool = True, max_height: int | None = None
) -> Path:
    """A PNG of the loaded page; ``max_height`` crops a full page to its top part."""
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    page = log.page
    if max_height is not None:
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.viewport_size["width"]
        page.screenshot(
            path=str(png),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": min(height, max_height)},
        )
    else:
        page.screenshot(path=str(png), full_page=full_page)
    return png
