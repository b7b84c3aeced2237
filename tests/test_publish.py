"""Publishing to a real CalDAV server (issues 4 and 15): Radicale on 127.0.0.1 with its
default rights (``owner_only``) and htpasswd logins, read back with caldav.

Each test gets its own server (:func:`tests.davservers.radicale`) and logs in
as ``organiser``, whose calendar home is ``/organiser/``: the only place
Radicale's default rights let them create calendars, one level deep.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import caldav
import icalendar
import pytest
from caldav.lib.error import AuthorizationError

from tests.davservers import PASSWORD, radicale
from tests.test_ics import ISSUED, solved
from visitplan.check import check_plan
from visitplan.export import ics
from visitplan.plan import dumps
from visitplan.publish import PublishError, calendar_name, collections, publish
from visitplan.solve import SolveOptions, solve
from visitplan.views import build_views

COMPARED = ("SUMMARY", "LOCATION", "DESCRIPTION", "SEQUENCE", "STATUS", "ORGANIZER")
USER = "organiser"


@pytest.fixture
def server(tmp_path_factory):
    """A Radicale server (default rights, htpasswd logins) for one test."""
    with radicale(tmp_path_factory.mktemp("radicale")) as running:
        yield running


def home(server, name: str) -> str:
    """The calendar home of a new user ``name``, their credentials in the URL."""
    return server.home_with_credentials(name)


def plan_folder(tmp_path: Path, visit, plan) -> Path:
    """A plan folder as `visitplan plan` writes it, as far as publishing reads it."""
    assert check_plan(visit, plan) == []
    folder = tmp_path / visit.id
    folder.mkdir()
    (folder / "plan.json").write_text(dumps(plan), encoding="utf-8")
    ics.write(build_views(visit, plan), folder)
    return folder


def solve_checked(visit):
    plan, report = solve(visit, SolveOptions(workers=1, deterministic_time=2.0), ISSUED)
    assert plan is not None, report.diagnosis
    assert check_plan(visit, plan) == []
    return plan


def children(url: str) -> dict[str, bool]:
    """Name -> is a calendar, for every collection in the collection at ``url``."""
    own = unquote(urlsplit(url).path).rstrip("/")
    found = {}
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        for result in client.propfind(url, depth=1).results:
            path = unquote(urlsplit(result.href).path).rstrip("/")
            if path == own:
                continue
            kind = str(result.properties.get("{DAV:}resourcetype", ""))
            if "collection" in kind or "calendar" in kind:
                found[path.rsplit("/", 1)[1]] = "calendar" in kind
    return found


def server_events(url: str) -> dict[str, dict[str, tuple[icalendar.Event, str]]]:
    """Calendar name -> UID -> (event as stored, ETag), for every calendar in the home."""
    found: dict[str, dict[str, tuple[icalendar.Event, str]]] = {}
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        for name, is_calendar in children(url).items():
            if not is_calendar:
                continue
            calendar = caldav.Calendar(client=client, url=f"{url}{name}/")
            events = {}
            for obj in calendar.get_events():
                (event,) = icalendar.Calendar.from_ical(obj.data).walk("VEVENT")
                events[str(event["UID"])] = (event, obj.props.get("{DAV:}getetag", ""))
            found[name] = events
    return found


def display_name(url: str) -> str | None:
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        return caldav.Calendar(client=client, url=url).get_display_name()


def plan_files(folder: Path, visit_id: str) -> dict[str, Path]:
    """Calendar name in the home -> the calendar file it is published from."""
    files = {}
    for path in sorted((folder / "calendars" / "delegates").glob("*.ics")):
        files[f"{visit_id}.{path.stem}"] = path
    for path in sorted((folder / "calendars" / "hosts").glob("*.ics")):
        files[f"{visit_id}.host-{path.stem}"] = path
    files[f"{visit_id}.programme"] = folder / "calendars" / "programme.ics"
    return files


def assert_server_has(url: str, folder: Path, visit_id: str) -> None:
    """Every calendar of the plan folder is a calendar in the home, with its display name,
    event for event, and the home has no other calendar of this visit."""
    stored = server_events(url)
    files = {
        name: path
        for name, path in plan_files(folder, visit_id).items()
        if not all(
            str(e.get("STATUS", "")) == "CANCELLED"
            for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        )
    }
    ours = {name for name in stored if name.startswith(f"{visit_id}.")}
    assert ours == set(files)
    for name, path in files.items():
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert display_name(f"{url}{name}/") == str(calendar["X-WR-CALNAME"])
        wanted = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        on_server = stored[name]
        assert set(on_server) == set(wanted), name
        for uid, event in wanted.items():
            got, _ = on_server[uid]
            for prop in ("DTSTART", "DTEND"):
                assert got[prop].dt == event[prop].dt, (uid, prop)
                assert got[prop].params.get("TZID") == event[prop].params.get("TZID")
            assert got.decoded("DTSTAMP") == event.decoded("DTSTAMP")
            assert [str(c) for c in got["CATEGORIES"].cats] == [
                str(c) for c in event["CATEGORIES"].cats
            ]
            assert (got["GEO"].latitude, got["GEO"].longitude) == (
                event["GEO"].latitude,
                event["GEO"].longitude,
            )
            for prop in COMPARED:
                assert str(got.get(prop, "")) == str(event.get(prop, "")), (uid, prop)


def etags(url: str) -> dict[tuple[str, str], str]:
    return {
        (name, uid): etag
        for name, events in server_events(url).items()
        for uid, (_, etag) in events.items()
    }


def make_calendar(client: caldav.DAVClient, url: str, title: str, uid: str) -> None:
    """A calendar at ``url`` named ``title`` holding one event, made as a user would."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
        f"<D:displayname>{title}</D:displayname></D:prop></D:set></C:mkcalendar>"
    )
    assert client.request(url, "MKCALENDAR", body).status == 201
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", ISSUED)
    event.add("dtstart", ISSUED)
    event.add("summary", title)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//me//me//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    response = client.put(f"{url}mine.ics", calendar.to_ical(), {"Content-Type": "text/calendar"})
    assert response.status == 201


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- tests --------------------------------------------------------------------------


def test_publish_puts_every_itinerary_in_its_own_calendar_in_the_home_and_a_repeat_changes_nothing(
    server, tmp_path
):
    visit, plan, _views, _files = solved("dst-oslo")
    folder = plan_folder(tmp_path, visit, plan)
    url = server.add_user(USER)

    first = publish(folder, url, user=USER, password=PASSWORD)
    wanted = collections(folder)
    assert first.calendars == len(visit.delegates) + 4 + 1 == len(wanted)  # hosts, programme
    assert first.created == first.events == sum(len(c.objects) for c in wanted.values())
    assert (first.updated, first.deleted, first.unchanged) == (0, 0, 0)
    assert sorted(first.calendars_created) == sorted(wanted) == sorted(plan_files(folder, visit.id))
    assert "dst-oslo.d1" in wanted and "dst-oslo.host-ntnu" in wanted
    assert len(wanted["dst-oslo.programme"].objects) == len(plan.sessions)
    with_login = server.login_url(USER)  # for reading it back
    assert children(with_login) == {name: True for name in wanted}  # calendars, one level deep
    assert_server_has(with_login, folder, visit.id)
    with caldav.DAVClient(url=with_login, enable_rfc6764=False) as client:
        with pytest.raises(AuthorizationError):  # owner_only: no folder for the visit
            client.request(f"{with_login}{visit.id}/", "MKCOL", "")
    subscribe = next(line for line in first.lines() if line.startswith("subscribe at "))
    assert f"{url}dst-oslo.<delegate id>/" in subscribe

    before = etags(with_login)
    second = publish(folder, url, user=USER, password=PASSWORD)
    assert not second.changed
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.events
    assert etags(with_login) == before
    assert "nothing changed" in second.lines()[-1]


def test_a_calendar_keeps_its_display_name_in_any_script_and_a_new_one_renames_it(server, tmp_path):
    visit, plan, _views, _files = solved("dst-oslo")
    folder = plan_folder(tmp_path, visit, plan)
    hosts = {calendar_name(visit.id, f"host-{h.id}"): h.id for h in visit.hosts}
    for name, host_id in hosts.items():
        rename(folder / "calendars" / "hosts" / f"{host_id}.ics", f"Ærø & <{name}> – Jānis")
    url = home(server, USER)
    publish(folder, url)
    for name in hosts:
        assert display_name(f"{url}{name}/") == f"Ærø & <{name}> – Jānis"
    assert_server_has(url, folder, visit.id)

    # A new name is a rename in place, not a new calendar.
    for host_id in hosts.values():
        rename(folder / "calendars" / "hosts" / f"{host_id}.ics", "Trøndelag 2009 – Ņū")
    before = etags(url)
    report = publish(folder, url)
    assert sorted(report.calendars_renamed) == sorted(hosts)
    assert not report.calendars_created and (report.created, report.updated) == (0, 0)
    assert {display_name(f"{url}{name}/") for name in hosts} == {"Trøndelag 2009 – Ņū"}
    assert etags(url) == before


def rename(path: Path, title: str) -> None:
    """Give a calendar file a new X-WR-CALNAME."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    calendar["X-WR-CALNAME"] = icalendar.vText(title)
    path.write_bytes(calendar.to_ical())


def test_a_new_plan_updates_changed_events_and_removes_what_is_gone(server, tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    url = home(server, USER)
    first_folder = plan_folder(_mkdir(tmp_path / "first"), visit, plan)
    publish(first_folder, url)

    # A new plan: one session retitled, one dropped; every delegate stays.
    changed = replace(
        visit,
        sessions=tuple(
            replace(s, title="Harpa, the harbour; and the rain") if s.id == "harpa" else s
            for s in visit.sessions
            if s.id != "closing"
        ),
    )
    second_folder = plan_folder(_mkdir(tmp_path / "second"), changed, solve_checked(changed))
    before = etags(url)
    result = publish(second_folder, url)
    assert result.changed and not result.calendars_removed
    assert result.updated >= len(changed.delegates)  # everyone's Harpa event has a new title
    assert result.deleted > 0  # the closing round table and the rides to it
    assert_server_has(url, second_folder, visit.id)
    after = etags(url)
    unchanged = {key for key in after if key in before and after[key] == before[key]}
    assert any("/opening/" in uid for _, uid in unchanged), "untouched events are not rewritten"
    harpa = {key for key in after if "/harpa/" in key[1]}
    assert harpa and not harpa & unchanged
    assert not any("/closing/" in uid for _, uid in after)
    assert not publish(second_folder, url).changed
    assert etags(url) == after

    # A delegate leaves: their calendar is removed, not left with a stale itinerary.
    events_of_d3 = len(server_events(url)["no-dst.d3"])
    smaller = replace(changed, delegates=tuple(d for d in changed.delegates if d.id != "d3"))
    third_folder = plan_folder(_mkdir(tmp_path / "third"), smaller, solve_checked(smaller))
    result = publish(third_folder, url)
    assert result.calendars_removed == ["no-dst.d3"]
    assert result.deleted >= events_of_d3 > 0
    assert "no-dst.d3" not in children(url)
    assert_server_has(url, third_folder, visit.id)
    assert not publish(third_folder, url).changed


def test_publish_never_touches_a_collection_without_the_visits_prefix(server, tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    url = home(server, USER)
    # The organiser's own calendars, one named like the visit and one like a visit
    # whose id begins with this one's, and another visit published before.
    own = {"personal": "Mine", "no-dst": "No DST, not a visit", "no-dst-2010.d3": "Next year"}
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        for name, title in own.items():
            make_calendar(client, f"{url}{name}/", title, f"{name}@me")
    other, other_plan, _views, _files = solved("dst-oslo")
    publish(plan_folder(_mkdir(tmp_path / "other"), other, other_plan), url)
    before = etags(url)
    collections_before = children(url)

    publish(plan_folder(_mkdir(tmp_path / "first"), visit, plan), url)
    smaller = replace(visit, delegates=tuple(d for d in visit.delegates if d.id != "d3"))
    report = publish(
        plan_folder(_mkdir(tmp_path / "smaller"), smaller, solve_checked(smaller)), url
    )
    assert report.calendars_removed == ["no-dst.d3"]

    after = etags(url)
    assert {k: v for k, v in after.items() if not k[0].startswith("no-dst.")} == before
    now = children(url)
    assert {k: v for k, v in now.items() if not k.startswith("no-dst.")} == collections_before
    assert {display_name(f"{url}{name}/") for name in own} == set(own.values())


def test_publish_needs_a_plan_folder_with_calendars(tmp_path):
    with pytest.raises(PublishError, match="not a plan folder"):
        publish(tmp_path, "http://127.0.0.1:9/")
    visit, plan, _views, _files = solved("no-dst")
    folder = plan_folder(tmp_path, visit, plan)
    shutil.rmtree(folder / "calendars")
    with pytest.raises(PublishError, match="no delegate or host calendars"):
        publish(folder, "http://127.0.0.1:9/")


def test_a_delegate_named_programme_would_share_the_programme_calendar(tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    folder = plan_folder(tmp_path, visit, plan)
    delegates = folder / "calendars" / "delegates"
    shutil.copy(next(delegates.glob("*.ics")), delegates / "programme.ics")
    with pytest.raises(PublishError, match="delegate programme and the whole programme"):
        collections(folder)


def test_publish_reports_a_url_that_is_not_the_calendar_home(server, tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    folder = plan_folder(tmp_path, visit, plan)
    server.add_user(USER)
    with pytest.raises(PublishError, match="calendar home"):
        publish(folder, f"{server.url}someone-else/", user=USER, password=PASSWORD)
    with pytest.raises(PublishError, match="calendar home"):
        publish(folder, f"{server.url}{USER}/no-such/deeper/", user=USER, password=PASSWORD)
