"""Publish a plan's calendars to a CalDAV server, so delegates and hosts get live updates.

A re-imported .ics file does not update events already in Outlook or Google
Calendar; a subscribed CalDAV calendar does.  ``publish`` keeps one calendar
per delegate, one per host and one for the whole programme (programme.ics,
for the organiser and whoever leads the delegation) directly in the calendar
home it is given: ``URL/<visit id>.<delegate id>/``,
``URL/<visit id>.host-<host id>/`` and ``URL/<visit id>.programme/``, each
with the display name of its calendar file.  Servers let a user create
calendars in their calendar home and nowhere deeper (Radicale's default
``owner_only`` rights refuse a collection inside a collection), so there is
no folder per visit.  A visit id never holds a ".", so ``<visit id>.``
names this visit's calendars and no other: publish never touches a
collection of the home without that prefix (another visit's calendars, the
user's own).

Publishing is idempotent: every object carries the hash of its content
(``X-VISITPLAN-HASH``, which servers keep however they re-serialise the
object), so only new or changed events are PUT and events no longer in the
plan are deleted; a calendar of this visit whose delegate or host the plan
no longer has is deleted.  A second publish of the same plan sends no write
at all.

A re-plan is applied in place: an event keeps its resource name (the hash of
its UID, which a re-plan keeps), so a moved event is PUT over the old one
with its new SEQUENCE and time, while one the re-plan left as it was is not
rewritten (the hash leaves out DTSTAMP, so the server keeps the DTSTAMP of
its last real change); an event the re-plan's files hold as
``STATUS:CANCELLED`` is deleted from the server, and a calendar file whose
events are all cancelled (a delegate or host no longer in the plan) counts as
no longer in the plan.

Whatever goes wrong on the way (no server, a lost connection, a refusal)
ends in one :class:`PublishError` line that names the step; credentials
never appear in it, nor in any URL the report prints.  A publish cut short
leaves the server part-way, and the next publish finishes the job.

caldav is used only in this module; the .ics files are cut into objects by
:func:`visitplan.export.ics.caldav_resources`.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.sax.saxutils import escape

import caldav
from caldav.lib import error as caldav_error

from visitplan.export.ics import CALENDARS, HASH_PROPERTY, CalendarResources, caldav_resources
from visitplan.plan import PlanFormatError, load_plan

__all__ = ["PublishError", "PublishReport", "calendar_name", "collections", "publish"]

SEPARATOR = "."
"""Between the visit id and the rest of a calendar's name: never in a visit id."""
HOST_PREFIX = "host-"
PROGRAMME = "programme"
TIMEOUT = 60
"""Seconds to wait for the server's answer to one request."""
DISPLAYNAME = "{DAV:}displayname"
RESOURCETYPE = "{DAV:}resourcetype"
CALENDAR_TYPE = "{urn:ietf:params:xml:ns:caldav}calendar"
_NAME_REST = re.compile(r"[A-Za-z0-9_-]+")
"""What follows ``<visit id>.`` in the name of a calendar publish made (an id)."""

SERVER_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, timed out; the HTTP libraries' errors are OSErrors too
    http.client.HTTPException,
    caldav_error.DAVError,
)


class PublishError(Exception):
    """The plan folder cannot be published, or the server refused or failed a step."""


@dataclass
class PublishReport:
    """What one publish changed on the server (all zero on a repeat)."""

    home: str = ""
    """The calendar home, without credentials."""
    visit_id: str = ""
    calendars: int = 0
    """Calendars the plan has."""
    events: int = 0
    """Events the plan has."""
    calendars_created: list[str] = field(default_factory=list)
    calendars_renamed: list[str] = field(default_factory=list)
    calendars_removed: list[str] = field(default_factory=list)
    """Calendars of this visit for people no longer in the plan."""
    created: int = 0
    updated: int = 0
    deleted: int = 0
    """Events deleted, those of removed calendars included."""
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.calendars_created
            or self.calendars_renamed
            or self.calendars_removed
            or self.created
            or self.updated
            or self.deleted
        )

    def lines(self) -> list[str]:
        """The report in a few lines for the command line."""
        lines = [
            f"{self.calendars} calendars, {self.events} events: "
            f"{self.created} created, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged"
        ]
        if self.calendars_created:
            lines.append(f"new calendars: {', '.join(self.calendars_created)}")
        if self.calendars_renamed:
            lines.append(f"renamed calendars: {', '.join(self.calendars_renamed)}")
        if self.calendars_removed:
            lines.append(f"removed (no longer in the plan): {', '.join(self.calendars_removed)}")
        if self.home:
            lines.append(
                f"subscribe at {self.home}{calendar_name(self.visit_id, '<delegate id>')}/ "
                f"(hosts: {calendar_name(self.visit_id, HOST_PREFIX + '<host id>')}/, "
                f"whole programme: {calendar_name(self.visit_id, PROGRAMME)}/)"
            )
        if not self.changed:
            lines.append("the server already had this plan: nothing changed")
        return lines


def calendar_name(visit_id: str, name: str) -> str:
    """The name of a calendar of the visit in the calendar home, e.g. ``latgale-2009.d1``."""
    return f"{visit_id}{SEPARATOR}{name}"


def collections(plan_dir: str | Path) -> dict[str, CalendarResources]:
    """The plan's calendars, ``{"<visit id>.<name>": objects}``, from its calendar files:
    one per delegate (``<delegate id>``), one per host (``host-<host id>``) and
    one for the whole programme (``programme``).

    Cancelled events are left out, and so is a file whose events are all
    cancelled (a delegate or host a re-plan no longer has).

    Raises
    ------
    PublishError
        No plan.json or no calendars in the folder, or a delegate and a host
        that would share a calendar.
    """
    folder = Path(plan_dir)
    return _collections(folder, _visit_id(folder))


def _collections(folder: Path, visit_id: str) -> dict[str, CalendarResources]:
    calendars = folder / CALENDARS
    sources: dict[str, Path] = {}
    for path in sorted((calendars / "delegates").glob("*.ics")):
        sources[calendar_name(visit_id, path.stem)] = path
    for path in sorted((calendars / "hosts").glob("*.ics")):
        key = calendar_name(visit_id, HOST_PREFIX + path.stem)
        if key in sources:
            raise PublishError(
                f"delegate {HOST_PREFIX}{path.stem} and host {path.stem} would share the "
                f"calendar {key}: rename one of them"
            )
        sources[key] = path
    if not sources:
        raise PublishError(f"{calendars}: no delegate or host calendars to publish")
    programme = calendars / f"{PROGRAMME}.ics"
    if programme.is_file():
        key = calendar_name(visit_id, PROGRAMME)
        if key in sources:
            raise PublishError(
                f"delegate {PROGRAMME} and the whole programme would share the calendar "
                f"{key}: rename the delegate"
            )
        sources[key] = programme
    wanted: dict[str, CalendarResources] = {}
    for key, path in sources.items():
        data = path.read_bytes()
        resources = caldav_resources(data)  # without the cancelled events
        if not resources.objects and b"BEGIN:VEVENT" in data:
            continue  # every event cancelled: someone the re-plan no longer has
        wanted[key] = resources
    return wanted


def _visit_id(folder: Path) -> str:
    try:
        return load_plan(folder).visit_id
    except (OSError, PlanFormatError) as exc:
        raise PublishError(f"{folder}: not a plan folder ({exc})") from exc


def publish(
    plan_dir: str | Path,
    url: str,
    user: str | None = None,
    password: str | None = None,
) -> PublishReport:
    """Bring the calendars of the visit in the CalDAV calendar home ``url`` in line with the plan.

    Parameters
    ----------
    plan_dir
        A plan folder written by ``visitplan plan`` (plan.json and calendars/).
    url
        The user's calendar home, the collection that holds their calendars,
        e.g. ``https://dav.example.org/organiser/`` (Radicale) or
        ``https://dav.example.org/remote.php/dav/calendars/organiser/``
        (Nextcloud).  ``user:password@`` in it is used when ``user`` is None.
    user, password
        Credentials, when the server asks for them.

    Returns
    -------
    PublishReport
        What changed; ``changed`` is False when the server already had the plan.

    Raises
    ------
    PublishError
        One line, without credentials: the plan folder is not one, the server
        cannot be reached, the connection was lost, or it refused a step.
    """
    visit_id = _visit_id(Path(plan_dir))
    wanted = _collections(Path(plan_dir), visit_id)
    home, user, password = _credentials(url, user, password)
    secrets = [s for s in (password, _userinfo(url)) if s]
    report = PublishReport(
        home=home,
        visit_id=visit_id,
        calendars=len(wanted),
        events=sum(len(c.objects) for c in wanted.values()),
    )
    step = _Step("list the calendars")
    try:
        client = caldav.DAVClient(
            url=home, username=user, password=password, enable_rfc6764=False, timeout=TIMEOUT
        )
        with client:
            _publish(client, home, visit_id, wanted, report, step)
    except PublishError as exc:
        raise PublishError(_scrub(str(exc), secrets)) from exc
    except SERVER_ERRORS as exc:
        raise PublishError(_scrub(_failure(home, step, report, exc), secrets)) from exc
    return report


@dataclass
class _Step:
    """What publish is doing, for the message when the server fails it."""

    doing: str


def _publish(
    client: caldav.DAVClient,
    home: str,
    visit_id: str,
    wanted: Mapping[str, CalendarResources],
    report: PublishReport,
    step: _Step,
) -> None:
    children = _children(client, home)
    if children is None:
        raise PublishError(
            f"{home}: no such collection on the server; give the URL of your calendar home "
            "(the collection that holds your calendars)"
        )
    for name, resources in wanted.items():
        _publish_calendar(client, home, name, resources, children.get(name), report, step)
    for name, child in sorted(children.items()):
        if child.calendar and name not in wanted and _of_visit(name, visit_id):
            step.doing = f"remove the calendar {name}"
            report.deleted += _object_count(client, home + name + "/")
            _request(client, home + name + "/", "DELETE", "", (200, 204, 404), step)
            report.calendars_removed.append(name)


def _of_visit(name: str, visit_id: str) -> bool:
    """Whether a collection of the home is a calendar publish made for this visit."""
    prefix = calendar_name(visit_id, "")
    return name.startswith(prefix) and bool(_NAME_REST.fullmatch(name[len(prefix) :]))


# -- one calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Child:
    """A collection in the calendar home: whether it is a calendar, and its display name."""

    calendar: bool
    displayname: str


def _publish_calendar(
    client: caldav.DAVClient,
    home: str,
    name: str,
    resources: CalendarResources,
    child: _Child | None,
    report: PublishReport,
    step: _Step,
) -> None:
    url = home + name + "/"
    if child is None:
        step.doing = f"create the calendar {name}"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
            f"<D:displayname>{escape(resources.name)}</D:displayname>"
            '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
            "</C:supported-calendar-component-set>"
            "</D:prop></D:set></C:mkcalendar>"
        )
        _request(client, url, "MKCALENDAR", body, (201,), step)
        report.calendars_created.append(name)
    elif not child.calendar:
        raise PublishError(f"{url} exists and is not a calendar: rename or remove it")
    elif child.displayname != resources.name:
        step.doing = f"rename the calendar {name}"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
            f"<D:displayname>{escape(resources.name)}</D:displayname>"
            "</D:prop></D:set></D:propertyupdate>"
        )
        _request(client, url, "PROPPATCH", body, (200, 207), step)
        report.calendars_renamed.append(name)
    _sync_objects(client, url, name, resources, report, step)


def _sync_objects(
    client: caldav.DAVClient,
    url: str,
    name: str,
    resources: CalendarResources,
    report: PublishReport,
    step: _Step,
) -> None:
    """PUT what is new or changed, DELETE what is not wanted."""
    step.doing = f"read the events of {name}"
    on_server: dict[str, tuple[str, str]] = {}  # resource name -> (object url, hash on server)
    for event in caldav.Calendar(client=client, url=url).get_events():
        object_url = str(event.url)
        resource = unquote(urlsplit(object_url).path.rstrip("/").rsplit("/", 1)[-1])
        on_server[resource] = (object_url, _stored_hash(event.data or ""))
    for resource, (object_url, _) in sorted(on_server.items()):
        if resource not in resources.objects:
            step.doing = f"delete an event of {name}"
            _request(client, object_url, "DELETE", "", (200, 204, 404), step)
            report.deleted += 1
    for resource, data in resources.objects.items():
        present = on_server.get(resource)
        if present is not None and present[1] == resources.hashes[resource]:
            report.unchanged += 1
            continue
        step.doing = f"store an event in {name}"
        response = client.put(
            url + resource, data, {"Content-Type": "text/calendar; charset=utf-8"}
        )
        _expect(response, (200, 201, 204), f"PUT {url + resource}", step)
        if present is None:
            report.created += 1
        else:
            report.updated += 1


# -- small WebDAV helpers -------------------------------------------------------------


def _children(client: caldav.DAVClient, url: str) -> dict[str, _Child] | None:
    """The child collections of ``url`` by name, None when it is absent."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:displayname/></D:prop>'
        "</D:propfind>"
    )
    response = client.propfind(url, body, depth=1)
    if response.status == 404:
        return None
    _expect(response, (207,), f"PROPFIND {url}", _Step("list the calendars"))
    children: dict[str, _Child] = {}
    for name, properties in _members(response, url):
        kind = properties.get(RESOURCETYPE)
        text = str(kind) if kind is not None else ""
        if "collection" not in text and CALENDAR_TYPE not in text:
            continue  # a plain resource, not a collection
        shown = properties.get(DISPLAYNAME)
        children[name] = _Child(CALENDAR_TYPE in text, "" if shown is None else str(shown))
    return children


def _object_count(client: caldav.DAVClient, url: str) -> int:
    """How many objects a calendar holds (those its removal deletes)."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
    )
    response = client.propfind(url, body, depth=1)
    if response.status != 207:
        return 0
    return sum(1 for _ in _members(response, url))


def _members(response, url: str) -> Iterator[tuple[str, dict]]:
    """(name, properties) of each direct member in a depth-1 PROPFIND answer."""
    own = unquote(urlsplit(url).path).rstrip("/") + "/"
    for result in response.results or []:
        path = unquote(urlsplit(result.href).path).rstrip("/")
        if not path.startswith(own):
            continue  # the collection itself
        name = path[len(own) :]
        if name and "/" not in name:
            yield name, result.properties


def _request(
    client: caldav.DAVClient, url: str, method: str, body: str, ok: tuple[int, ...], step: _Step
):
    headers = {"Content-Type": "application/xml; charset=utf-8"} if body else {}
    response = client.request(url, method, body, headers)
    _expect(response, ok, f"{method} {url}", step)
    return response


def _expect(response, ok: tuple[int, ...], what: str, step: _Step) -> None:
    if response.status not in ok:
        reason = _one_line(str(getattr(response, "reason", "") or ""))
        status = f"{response.status} {reason}".strip()
        hint = " (not allowed for this user: is the URL your calendar home?)"
        raise PublishError(
            f"could not {step.doing}: {what} answered {status}"
            + (hint if response.status in (401, 403, 405) else "")
        )


def _stored_hash(text: str) -> str:
    """The X-VISITPLAN-HASH of an object as the server returns it ('' when absent)."""
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    prefix = HASH_PROPERTY + ":"
    for line in unfolded.split("\n"):
        if line.upper().startswith(prefix):
            return line[len(prefix) :].strip()
    return ""


# -- URLs, credentials and messages ---------------------------------------------------


def _credentials(
    url: str, user: str | None, password: str | None
) -> tuple[str, str | None, str | None]:
    """(the calendar home without ``user:password@``, user, password).

    Credentials in the URL count when ``user`` is not given; the home ends in "/".
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not one
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"{_scrub(url, [_userinfo(url)])}: not a valid http:// or https:// URL")
    if parts.query or parts.fragment:
        raise PublishError(
            f"{_without_userinfo(url)}: a calendar home URL has no ?query or #fragment"
        )
    if user is None and parts.username:
        user = unquote(parts.username)
        if password is None and parts.password is not None:
            password = unquote(parts.password)
    home = _without_userinfo(url)
    return (home if home.endswith("/") else home + "/"), user, password


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, parts.fragment)
    )


def _userinfo(url: str) -> str:
    """The ``user:password`` of a URL as written ('' when none); never fails."""
    found = re.match(r"\s*[A-Za-z][A-Za-z0-9+.-]*://([^/?#\s]*)@", url)
    return found.group(1) if found else ""


def _scrub(text: str, secrets: list[str]) -> str:
    """``text`` without the secrets, any ``user:password@`` of a URL, or a line break."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
        text = text.replace(unquote(secret), "***")
    text = re.sub(r"(?<=//)[^/\s]*@", "", text)
    return _one_line(text)


def _one_line(text: str) -> str:
    """Server text made safe for the terminal: no control characters, no line breaks."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    return " ".join(text.split())[:300]


def _failure(home: str, step: _Step, report: PublishReport, exc: BaseException) -> str:
    """The one-line message for a request that got no usable answer."""
    reason = _reason(exc)
    if not report.changed:
        return f"cannot publish to {home}: could not {step.doing}: {reason}"
    return (
        f"publishing to {home} stopped part-way, could not {step.doing}: {reason}; "
        "the server holds part of the plan: publish again once it answers"
    )


def _reason(exc: BaseException) -> str:
    """Why a request failed, in words, from the innermost error that says so."""
    chain = list(_causes(exc))
    kinds: list[tuple[tuple[type[BaseException], ...], str]] = [
        (
            (ConnectionRefusedError,),
            "connection refused (is the server running, is the URL right?)",
        ),
        ((socket.gaierror,), "unknown host (is the URL right?)"),
        ((ssl.SSLError,), "the TLS connection failed"),
        ((TimeoutError, socket.timeout), f"no answer within {TIMEOUT} s"),
        (
            (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead),
            "the server closed the connection",
        ),
    ]
    for types, words in kinds:
        if any(isinstance(e, types) for e in chain):
            return words
    if isinstance(exc, caldav_error.DAVError):
        status = getattr(exc, "status", None)
        if status == 401:
            return "the server refused the user name or password (401)"
        if status in (403, 405):
            return f"not allowed for this user ({status}): is the URL your calendar home?"
        if status is not None:
            return f"the server answered {status} ({_one_line(str(exc.reason))})"
        return f"the server's answer made no sense ({_one_line(str(exc.reason))})"
    text = _one_line(str(exc))
    if re.search(r"closed|reset|disconnect|aborted|eof", text, re.IGNORECASE):
        return "the server closed the connection"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _causes(exc: BaseException, limit: int = 20) -> Iterator[BaseException]:
    """``exc`` and what it wraps (cause, context, exception arguments), at most ``limit``."""
    todo: list[BaseException] = [exc]
    seen: list[BaseException] = []
    while todo and len(seen) < limit:
        current = todo.pop(0)
        if any(current is s for s in seen):
            continue
        seen.append(current)
        yield current
        inner = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        inner += list(current.args)
        todo += [e for e in inner if isinstance(e, BaseException)]
