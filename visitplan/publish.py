"""Publish a plan's calendars to a CalDAV server, so delegates and hosts get live updates.

A re-imported .ics file does not update events already in Outlook or Google
Calendar; a subscribed CalDAV calendar does.  ``publish`` puts each
delegate's itinerary into its own calendar collection
``URL/<visit id>/<delegate id>/``, each host's into
``URL/<visit id>/host-<host id>/`` and the whole programme (programme.ics,
for the organiser and whoever leads the delegation) into
``URL/<visit id>/programme/``, creating what is missing.

Publishing is idempotent: every object carries the hash of its content
(``X-VISITPLAN-HASH``, which servers keep however they re-serialise the
object), so only new or changed events are PUT; events no longer in the plan
are deleted, and so are the events of a calendar in ``URL/<visit id>/``
whose delegate or host the plan no longer has.  A second publish of the same
plan sends no write at all.

A re-plan is applied in place: an event keeps its resource name (the hash of
its UID, which a re-plan keeps), so a moved event is PUT over the old one
with its new SEQUENCE and time, while one the re-plan left as it was is not
rewritten (the hash leaves out DTSTAMP, so the server keeps the DTSTAMP of
its last real change); an event the re-plan's files hold as
``STATUS:CANCELLED`` is deleted from the server, and a calendar file whose
events are all cancelled (a delegate or host no longer in the plan) counts as
no longer in the plan: its server calendar is emptied.

caldav is used only in this module; the .ics files are cut into objects by
:func:`visitplan.export.ics.caldav_resources`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

import caldav
from caldav.lib import error as caldav_error

from visitplan.export.ics import CALENDARS, HASH_PROPERTY, CalendarResources, caldav_resources
from visitplan.plan import PlanFormatError, load_plan

__all__ = ["PublishError", "PublishReport", "collections", "publish"]

HOST_PREFIX = "host-"
PROGRAMME = "programme"
DISPLAYNAME = "{DAV:}displayname"
GETETAG = "{DAV:}getetag"
RESOURCETYPE = "{DAV:}resourcetype"
CALENDAR_TYPE = "{urn:ietf:params:xml:ns:caldav}calendar"


class PublishError(Exception):
    """The plan folder cannot be published, or the server refused a step."""


@dataclass
class PublishReport:
    """What one publish changed on the server (all zero on a repeat)."""

    calendars: int = 0
    """Collections the plan has."""
    events: int = 0
    """Events the plan has."""
    calendars_created: list[str] = field(default_factory=list)
    calendars_renamed: list[str] = field(default_factory=list)
    calendars_emptied: list[str] = field(default_factory=list)
    """Collections under ``URL/<visit id>/`` for people no longer in the plan."""
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.calendars_created
            or self.calendars_renamed
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
        if self.calendars_emptied:
            lines.append(f"emptied (no longer in the plan): {', '.join(self.calendars_emptied)}")
        if not self.changed:
            lines.append("the server already had this plan: nothing changed")
        return lines


def collections(plan_dir: str | Path) -> dict[str, CalendarResources]:
    """The plan's collections, ``{"<visit id>/<name>/": objects}``, from its calendar files:
    one per delegate, one per host and one for the whole programme.

    Cancelled events are left out, and so is a file whose events are all
    cancelled (a delegate or host a re-plan no longer has).

    Raises
    ------
    PublishError
        No plan.json or no calendars in the folder, or a delegate and a host
        that would share a collection.
    """
    folder = Path(plan_dir)
    visit_id = _visit_id(folder)
    calendars = folder / CALENDARS
    sources: dict[str, Path] = {}
    for path in sorted((calendars / "delegates").glob("*.ics")):
        sources[f"{visit_id}/{path.stem}/"] = path
    for path in sorted((calendars / "hosts").glob("*.ics")):
        key = f"{visit_id}/{HOST_PREFIX}{path.stem}/"
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
        key = f"{visit_id}/{PROGRAMME}/"
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
    """Bring the CalDAV server at ``url`` in line with the plan's calendars.

    Parameters
    ----------
    plan_dir
        A plan folder written by ``visitplan plan`` (plan.json and calendars/).
    url
        The CalDAV collection under which ``<visit id>/`` lives, e.g.
        ``https://dav.example.org/calendars/organiser/``.
    user, password
        Credentials, when the server asks for them.

    Returns
    -------
    PublishReport
        What changed; ``changed`` is False when the server already had the plan.
    """
    wanted = collections(plan_dir)
    root = url.rstrip("/") + "/"
    visit_id = _visit_id(Path(plan_dir))
    report = PublishReport(
        calendars=len(wanted), events=sum(len(c.objects) for c in wanted.values())
    )
    client = caldav.DAVClient(
        url=root, username=user, password=password, enable_rfc6764=False, timeout=60
    )
    try:
        with client:
            visit_url = f"{root}{visit_id}/"
            children = _children(client, visit_url)
            if children is None:
                _request(client, visit_url, "MKCOL", "", (201,), "create the visit collection")
                children = {}
            existing = {f"{visit_id}/{name}/": calendar for name, calendar in children.items()}
            for key, resources in wanted.items():
                _publish_collection(client, root + key, resources, existing.get(key), report)
            for key, is_calendar in sorted(existing.items()):
                if is_calendar and key not in wanted:
                    if _sync_objects(client, root + key, {}, {}, report):
                        report.calendars_emptied.append(key)
    except caldav_error.DAVError as exc:
        raise PublishError(f"{root}: {exc}") from exc
    return report


# -- one collection -------------------------------------------------------------------


def _publish_collection(
    client: caldav.DAVClient,
    url: str,
    resources: CalendarResources,
    known: bool | None,
    report: PublishReport,
) -> None:
    key = _relative(url)
    if known is None:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
            f"<D:displayname>{escape(resources.name)}</D:displayname>"
            '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
            "</C:supported-calendar-component-set>"
            "</D:prop></D:set></C:mkcalendar>"
        )
        _request(client, url, "MKCALENDAR", body, (201,), "create the calendar")
        report.calendars_created.append(key)
    elif not known:
        raise PublishError(f"{url} exists and is not a calendar")
    else:
        name = _displayname(client, url)
        if name != resources.name:
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
                f"<D:displayname>{escape(resources.name)}</D:displayname>"
                "</D:prop></D:set></D:propertyupdate>"
            )
            _request(client, url, "PROPPATCH", body, (200, 207), "rename the calendar")
            report.calendars_renamed.append(key)
    _sync_objects(client, url, resources.objects, resources.hashes, report)


def _sync_objects(
    client: caldav.DAVClient,
    url: str,
    objects: Mapping[str, bytes],
    hashes: Mapping[str, str],
    report: PublishReport,
) -> bool:
    """PUT what is new or changed, DELETE what is not wanted; True when anything was deleted."""
    on_server: dict[str, tuple[str, str]] = {}  # resource name -> (object url, hash on server)
    for event in caldav.Calendar(client=client, url=url).get_events():
        object_url = str(event.url)
        name = unquote(urlsplit(object_url).path.rstrip("/").rsplit("/", 1)[-1])
        on_server[name] = (object_url, _stored_hash(event.data or ""))
    deleted = False
    for name, (object_url, _) in sorted(on_server.items()):
        if name not in objects:
            _request(client, object_url, "DELETE", "", (200, 204, 404), "delete an event")
            report.deleted += 1
            deleted = True
    for name, data in objects.items():
        present = on_server.get(name)
        if present is not None and present[1] == hashes[name]:
            report.unchanged += 1
            continue
        response = client.put(url + name, data, {"Content-Type": "text/calendar; charset=utf-8"})
        _expect(response, (200, 201, 204), f"PUT {url + name}", "store an event")
        if present is None:
            report.created += 1
        else:
            report.updated += 1
    return deleted


# -- small WebDAV helpers -------------------------------------------------------------


def _children(client: caldav.DAVClient, url: str) -> dict[str, bool] | None:
    """The child collections of ``url`` (name -> is a calendar), None when it is absent."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>'
    )
    response = client.propfind(url, body, depth=1)
    if response.status == 404:
        return None
    _expect(response, (207,), f"PROPFIND {url}", "list the visit's calendars")
    own = urlsplit(url).path.rstrip("/")
    children: dict[str, bool] = {}
    for result in response.results or []:
        path = unquote(urlsplit(result.href).path).rstrip("/")
        if path == own or not path.startswith(own + "/"):
            continue
        kind = result.properties.get(RESOURCETYPE)
        text = str(kind) if kind is not None else ""
        if "collection" not in text and CALENDAR_TYPE not in text:
            continue  # a plain resource, not a collection
        children[path[len(own) + 1 :]] = CALENDAR_TYPE in text
    return children


def _displayname(client: caldav.DAVClient, url: str) -> str:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>'
    )
    response = client.propfind(url, body, depth=0)
    _expect(response, (207,), f"PROPFIND {url}", "read the calendar's name")
    for result in response.results or []:
        value = result.properties.get(DISPLAYNAME)
        if value is not None:
            return str(value)
    return ""


def _request(
    client: caldav.DAVClient,
    url: str,
    method: str,
    body: str,
    ok: tuple[int, ...],
    purpose: str,
):
    headers = {"Content-Type": "application/xml; charset=utf-8"} if body else {}
    response = client.request(url, method, body, headers)
    _expect(response, ok, f"{method} {url}", purpose)
    return response


def _expect(response, ok: tuple[int, ...], what: str, purpose: str) -> None:
    if response.status not in ok:
        raise PublishError(f"could not {purpose}: {what} answered {response.status}")


def _relative(url: str) -> str:
    """``<visit id>/<name>/`` of a collection URL (the last two path segments)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return "/".join(unquote(p) for p in parts[-2:]) + "/"


def _stored_hash(text: str) -> str:
    """The X-VISITPLAN-HASH of an object as the server returns it ('' when absent)."""
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    prefix = HASH_PROPERTY + ":"
    for line in unfolded.split("\n"):
        if line.upper().startswith(prefix):
            return line[len(prefix) :].strip()
    return ""
