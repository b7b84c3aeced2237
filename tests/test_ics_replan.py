"""Calendar updates for a re-plan (issue 6, point 3): UIDs kept, SEQUENCE, cancellations, CalDAV.

The previous plan is the hand-built Trøndelag plan of ``checkfixtures``; the
re-plan drops delegate d01 (and with them the session s-ntnu-a only they
attended) and moves s-fylke, with its rides, a quarter of an hour later.  A
second scenario solves the tiny visit, drops a delegate and solves again.
Both plan folders are written by ``write_outputs``, the second with
``previous=`` the first, and every plan is checked clean by ``check_plan``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import caldav
import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from tests.checkfixtures import (
    dropped_and_moved,
    make_plan,
    make_visit,
)
from tests.test_publish import home
from tests.test_publish import server as server  # the Radicale fixture, one per test
from visitplan.check import check_plan
from visitplan.outputs import write_outputs
from visitplan.publish import collections, publish
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve

VISITS = Path(__file__).parent / "visits"
FIRST_ISSUED = datetime(2009, 8, 1, 12, 0, tzinfo=UTC)  # make_plan()'s issue time
ISSUED = datetime(2009, 8, 10, 9, 0, tzinfo=UTC)
LATER = datetime(2009, 8, 12, 7, 30, tzinfo=UTC)
VISIT_ID = "trondelag-test"
MOVED = "s-fylke"
REMOVED = "s-ntnu-a"
DROPPED = "d01"


# -- the scenario ---------------------------------------------------------------------


def replanned():
    """(visit, plan) without d01 and s-ntnu-a, with s-fylke and its rides 15 minutes later."""
    visit, plan = dropped_and_moved()
    return visit, replace(plan, issued=ISSUED)


def write_checked(visit, plan, folder: Path, previous: Path | None = None) -> Path:
    assert check_plan(visit, plan) == []
    return write_outputs(visit, plan, folder, previous=previous)


@pytest.fixture
def folders(tmp_path):
    """(previous plan folder, re-plan folder) of the hand-built scenario."""
    first = write_checked(make_visit(), make_plan(), tmp_path / "first")
    visit, plan = replanned()
    second = write_checked(visit, plan, tmp_path / "second", previous=first)
    return first, second


def calendar_files(folder: Path) -> dict[str, bytes]:
    root = folder / "calendars"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.ics"))}


def events(folder: Path) -> dict[str, dict[str, icalendar.Event]]:
    """Path -> UID -> event, for every calendar file of a plan folder."""
    return {
        path: {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
        for path, data in calendar_files(folder).items()
    }


def uid(item: str, recipient: str) -> str:
    return f"{VISIT_ID}/{item}/{recipient}@visitplan"


def when(event: icalendar.Event) -> tuple[datetime, datetime]:
    return (
        event.decoded("DTSTART").astimezone(UTC),
        event.decoded("DTEND").astimezone(UTC),
    )


def status(event: icalendar.Event) -> str:
    return str(event["STATUS"])


def sequence(event: icalendar.Event) -> int:
    return int(event["SEQUENCE"])


def recipient_of(path: str) -> str:
    stem = Path(path).stem
    if path.endswith("/programme.ics"):
        return "programme"
    return ("delegate-" if "/delegates/" in path else "host-") + stem


def assert_valid(folder: Path, timezone: str) -> None:
    """Every file passes vobject, the ical package and icalendar, in CRLF lines of <= 75 octets."""
    for path, data in calendar_files(folder).items():
        text = data.decode("utf-8")
        assert vobject.readOne(text, validate=True).name == "VCALENDAR", path
        strict = IcsCalendarStream.calendar_from_ics(text)
        calendar = icalendar.Calendar.from_ical(data)
        assert len(strict.events) == len(calendar.walk("VEVENT")), path
        assert [tz.tz_id for tz in strict.timezones] == [timezone], path
        assert calendar.get_missing_tzids() == set(), path
        assert data.endswith(b"\r\n"), path
        assert b"\n" not in data.replace(b"\r\n", b""), path
        assert all(len(line) <= 75 for line in data.split(b"\r\n")), path
        uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
        assert len(uids) == len(set(uids)), path


def assert_updates(before: Path, after: Path, issued: datetime) -> None:
    """The re-plan rules, event for event: every earlier UID is still in its recipient's file;
    a planned event keeps its SEQUENCE unless what it says changed (time, place, status, title,
    description), then one more;
    a gone one is cancelled as it was last issued, one up unless it was cancelled already."""
    old, new = events(before), events(after)
    assert set(old) <= set(new), "every earlier recipient keeps a file"
    for path, now in new.items():
        then = old.get(path, {})
        assert set(then) <= set(now), path
        for event_uid, event in now.items():
            assert event.decoded("DTSTAMP") == issued, (path, event_uid)
            assert event_uid.endswith(f"/{recipient_of(path)}@visitplan"), event_uid
            was = then.get(event_uid)
            if was is None:
                assert (status(event), sequence(event)) == ("CONFIRMED", 0), event_uid
            elif status(event) == "CANCELLED":
                bump = 0 if status(was) == "CANCELLED" else 1
                assert sequence(event) == sequence(was) + bump, event_uid
                assert when(event) == when(was), event_uid
                for prop in ("SUMMARY", "LOCATION", "CATEGORIES"):
                    assert event.get(prop, "").to_ical() == was.get(prop, "").to_ical(), prop
            else:
                same = said(event) == said(was)
                assert sequence(event) == sequence(was) + (0 if same else 1), event_uid


def said(event: icalendar.Event) -> tuple:
    """What a recipient reads of an event: a change in any of it is worth a new SEQUENCE."""
    texts = (str(event.get(prop, "")) for prop in ("LOCATION", "SUMMARY", "DESCRIPTION"))
    return (when(event), status(event), *texts)


# -- the files ------------------------------------------------------------------------


def test_every_event_keeps_its_uid_and_only_changed_ones_get_a_new_sequence(folders):
    first, second = folders
    old, new = events(first), events(second)
    assert_updates(first, second, ISSUED)
    moved = {
        ("calendars/programme.ics", uid(MOVED, "programme")),
        ("calendars/hosts/fylke.ics", uid(MOVED, "host-fylke")),
    }
    for delegate_id in ("d02", "d03"):
        path = f"calendars/delegates/{delegate_id}.ics"
        moved.add((path, uid(MOVED, f"delegate-{delegate_id}")))
        for event_uid, event in new[path].items():  # the rides to and from the county
            if "ride:" in event_uid and when(event) != when(old[path][event_uid]):
                moved.add((path, event_uid))
    assert len(moved) == 4 + 2 * 2  # s-fylke in 4 files, 2 moved rides each for d02 and d03
    for path, now in new.items():
        for event_uid, event in now.items():
            if status(event) == "CANCELLED":
                continue
            assert event_uid in old[path], "the same item for the same recipient keeps its UID"
            if (path, event_uid) in moved:
                assert sequence(event) == 1, (path, event_uid)
            else:  # one more only where its text changed (d01 no longer with them)
                changed = said(event) != said(old[path][event_uid])
                assert sequence(event) == int(changed), (path, event_uid)


def test_a_host_event_whose_attendees_changed_gets_the_next_sequence(folders):
    """Same time and place, one attendee fewer: the host must not keep the old list."""
    first, second = folders
    old, new = events(first), events(second)
    path, event_uid = "calendars/hosts/kommune.ics", uid("s-open", "host-kommune")
    was, opening = old[path][event_uid], new[path][event_uid]
    assert (when(opening), str(opening["LOCATION"])) == (when(was), str(was["LOCATION"]))
    assert "Anna Bērziņa" in str(was["DESCRIPTION"])
    assert "Anna Bērziņa" not in str(opening["DESCRIPTION"])
    assert sequence(opening) == sequence(was) + 1 == 1
    programme = new["calendars/programme.ics"][uid("s-open", "programme")]
    assert sequence(programme) == 1  # its attendee list is in the programme's description too
    fylke = new["calendars/programme.ics"][uid(MOVED, "programme")]
    assert when(fylke)[0] == datetime(2009, 8, 24, 12, 30, tzinfo=UTC)  # 14:30 in Oslo


def test_a_removed_session_is_cancelled_in_every_file_that_had_it(folders):
    first, second = folders
    old, new = events(first), events(second)
    affected = {
        "calendars/programme.ics": "programme",
        "calendars/hosts/ntnu.ics": "host-ntnu",
        f"calendars/delegates/{DROPPED}.ics": f"delegate-{DROPPED}",
    }
    holding = {path for path, now in old.items() if any(f"/{REMOVED}/" in u for u in now)}
    assert holding == set(affected)
    for path, recipient in affected.items():
        event = new[path][uid(REMOVED, recipient)]
        was = old[path][uid(REMOVED, recipient)]
        assert (status(event), sequence(event)) == ("CANCELLED", 1), path
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert when(event) == when(was)
        assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
        for prop in ("SUMMARY", "LOCATION"):
            assert str(event[prop]) == str(was[prop]), prop
        assert [str(c) for c in event["CATEGORIES"].cats][0] == REMOVED
    assert not any(
        status(e) == "CANCELLED"
        for path, now in new.items()
        if path not in affected
        for e in now.values()
    ), "nobody else lost an event"


def test_a_dropped_delegate_keeps_a_file_with_every_event_cancelled(folders):
    first, second = folders
    path = f"calendars/delegates/{DROPPED}.ics"
    assert (second / path).is_file()
    old, new = events(first)[path], events(second)[path]
    assert old and set(new) == set(old)
    assert {(status(e), sequence(e)) for e in new.values()} == {("CANCELLED", 1)}
    before = icalendar.Calendar.from_ical((first / path).read_bytes())
    after = icalendar.Calendar.from_ical((second / path).read_bytes())
    assert str(after["X-WR-CALNAME"]) == str(before["X-WR-CALNAME"])
    assert "Anna Bērziņa" in str(after["X-WR-CALNAME"])


def test_dtstamp_is_the_new_issue_time_and_the_files_stay_valid(folders):
    first, second = folders
    for now in events(first).values():
        assert {e.decoded("DTSTAMP") for e in now.values()} <= {FIRST_ISSUED}
    for now in events(second).values():
        assert {e.decoded("DTSTAMP") for e in now.values()} <= {ISSUED}
    assert_valid(first, "Europe/Oslo")
    assert_valid(second, "Europe/Oslo")


def test_the_same_replan_again_gives_identical_bytes(folders, tmp_path):
    first, second = folders
    visit, plan = replanned()
    again = write_checked(visit, plan, tmp_path / "again", previous=first)
    assert calendar_files(again) == calendar_files(second)


def test_replanning_the_replan_unchanged_raises_nothing_twice(folders, tmp_path):
    """Cancelled events stay cancelled with the same SEQUENCE; nothing else moves."""
    _first, second = folders
    visit, plan = replanned()
    third = write_checked(visit, plan, tmp_path / "third", previous=second)
    assert calendar_files(third) == calendar_files(second)
    assert_updates(second, third, ISSUED)


def test_a_session_back_after_its_cancellation_gets_the_next_sequence(folders, tmp_path):
    _first, second = folders
    plan = replace(make_plan(), issued=LATER)  # d01, s-ntnu-a and the old s-fylke time again
    third = write_checked(make_visit(), plan, tmp_path / "third", previous=second)
    assert_updates(second, third, LATER)
    new = events(third)
    assert sequence(new["calendars/programme.ics"][uid(REMOVED, "programme")]) == 2
    assert sequence(new["calendars/programme.ics"][uid(MOVED, "programme")]) == 2
    dropped = new[f"calendars/delegates/{DROPPED}.ics"]
    assert {(status(e), sequence(e)) for e in dropped.values()} == {("CONFIRMED", 2)}
    assert_valid(third, "Europe/Oslo")


def test_a_solved_replan_without_a_delegate(tmp_path):
    """The tiny visit solved, then solved again without d3: the same rules hold."""
    options = SolveOptions(workers=1, deterministic_time=2.0)
    visit = load_visit(VISITS / "tiny")
    plan, report = solve(visit, options, FIRST_ISSUED)
    assert plan is not None, report.diagnosis
    first = write_checked(visit, plan, tmp_path / "first")
    smaller = replace(visit, delegates=tuple(d for d in visit.delegates if d.id != "d3"))
    new_plan, report = solve(smaller, options, ISSUED)
    assert new_plan is not None, report.diagnosis
    second = write_checked(smaller, new_plan, tmp_path / "second", previous=first)
    assert_updates(first, second, ISSUED)
    assert_valid(second, visit.timezone)
    dropped = events(second)["calendars/delegates/d3.ics"]
    assert dropped and {(status(e), sequence(e)) for e in dropped.values()} == {("CANCELLED", 1)}


# -- publishing the re-plan -----------------------------------------------------------


def on_server(url: str) -> dict[str, dict[str, tuple[str, str, icalendar.Event]]]:
    """Calendar name (without ``<visit id>.``) -> UID -> (object href, ETag, event as stored)."""
    found: dict[str, dict[str, tuple[str, str, icalendar.Event]]] = {}
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        own = client.url.join(url).path.rstrip("/")
        for result in client.propfind(url, depth=1).results:
            path = client.url.join(result.href).path.rstrip("/")
            if path == own:
                continue
            calendar = caldav.Calendar(client=client, url=client.url.join(path + "/"))
            stored = {}
            for obj in calendar.get_events():
                (event,) = icalendar.Calendar.from_ical(obj.data).walk("VEVENT")
                etag = obj.props.get("{DAV:}getetag", "")
                stored[str(event["UID"])] = (str(obj.url), etag, event)
            found[path.rsplit("/", 1)[1].removeprefix(f"{VISIT_ID}.")] = stored
    return found


def test_publishing_the_replan_updates_moved_events_in_place_and_removes_cancelled_ones(
    server, folders
):
    first, second = folders
    url = home(server, "replanned")
    publish(first, url)
    visit_url = url  # the visit's calendars are in the calendar home
    before = on_server(visit_url)
    assert set(before) == {
        "d01",
        "d02",
        "d03",
        "host-fylke",
        "host-kommune",
        "host-ntnu",
        "programme",
    }
    assert uid(REMOVED, "host-ntnu") in before["host-ntnu"]
    assert uid(REMOVED, "programme") in before["programme"]

    report = publish(second, url)
    assert report.calendars_removed == [f"{VISIT_ID}.{DROPPED}"]
    assert f"{VISIT_ID}.{DROPPED}" not in collections(second)
    after = on_server(visit_url)

    # Moved events: the same object, now with the next SEQUENCE and the new time.
    for name, recipient in (("d02", "delegate-d02"), ("d03", "delegate-d03")):
        event_uid = uid(MOVED, recipient)
        href, etag, event = after[name][event_uid]
        old_href, old_etag, old_event = before[name][event_uid]
        assert href == old_href and etag != old_etag
        assert (sequence(old_event), sequence(event)) == (0, 1)
        assert when(event)[0] == datetime(2009, 8, 24, 12, 30, tzinfo=UTC)
    for name in ("host-fylke", "programme"):
        href, _, event = after[name][uid(MOVED, name)]
        assert href == before[name][uid(MOVED, name)][0] and sequence(event) == 1

    # Cancelled events are gone from the server; the dropped delegate's calendar too.
    assert uid(REMOVED, "host-ntnu") not in after["host-ntnu"]
    assert uid(REMOVED, "programme") not in after["programme"]
    assert DROPPED not in after
    assert all(status(e) == "CONFIRMED" for stored in after.values() for _, _, e in stored.values())
    lunches_gone = sum(  # a host's lunch sitting the re-plan moved or dropped (issue 16)
        1
        for name, stored in before.items()
        if name.startswith("host-")
        for event_uid in stored
        if "/lunch:" in event_uid and event_uid not in after.get(name, {})
    )
    assert report.deleted == len(before[DROPPED]) + 2 + lunches_gone  # host's, programme's

    # What the server holds is exactly the planned (not cancelled) events of the files.
    planned = {
        name: {u for u, e in events(second)[path].items() if status(e) != "CANCELLED"}
        for name, path in (
            ("d02", "calendars/delegates/d02.ics"),
            ("d03", "calendars/delegates/d03.ics"),
            ("host-fylke", "calendars/hosts/fylke.ics"),
            ("host-kommune", "calendars/hosts/kommune.ics"),
            ("host-ntnu", "calendars/hosts/ntnu.ics"),
            ("programme", "calendars/programme.ics"),
        )
    }
    assert {name: set(stored) for name, stored in after.items() if stored} == {
        name: uids for name, uids in planned.items() if uids
    }

    # Untouched events are not rewritten for the new issue time alone: d03's second day.
    ntnu_b = uid("s-ntnu-b", "delegate-d03")
    assert after["d03"][ntnu_b][:2] == before["d03"][ntnu_b][:2]
    assert after["d03"][ntnu_b][2].decoded("DTSTAMP") == FIRST_ISSUED
    assert report.unchanged > 0 and report.updated > 0

    assert not publish(second, url).changed
