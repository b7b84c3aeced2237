"""Publishing to a real CalDAV server (issue 4): Radicale on 127.0.0.1, read back with caldav.

The server is started by a fixture on a free port with a temporary storage
folder and no authentication (a rights file lets anyone write, since the
built-in rules stop at two path levels and the layout needs three).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import caldav
import icalendar
import pytest

from tests.test_ics import ISSUED, solved
from visitplan.check import check_plan
from visitplan.export import ics
from visitplan.plan import dumps
from visitplan.publish import PublishError, collections, publish
from visitplan.solve import SolveOptions, solve
from visitplan.views import build_views

COMPARED = ("SUMMARY", "LOCATION", "DESCRIPTION", "SEQUENCE", "STATUS", "ORGANIZER")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The base URL of a Radicale server that lives as long as this module's tests."""
    folder = tmp_path_factory.mktemp("radicale")
    # Storage in memory when the machine has it: Radicale syncs every write to disk.
    shm = Path("/dev/shm")
    storage = Path(tempfile.mkdtemp(prefix="radicale-", dir=shm)) if shm.is_dir() else folder
    (folder / "config").write_text("")  # no system or user configuration
    rights = folder / "rights"
    rights.write_text("[anyone]\nuser: .*\ncollection: .*\npermissions: RrWw\n")
    port = free_port()
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            str(folder / "config"),
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(storage / "collections"),
            "--auth-type",
            "none",
            "--rights-type",
            "from_file",
            "--rights-file",
            str(rights),
            "--logging-level",
            "warning",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                log.flush()
                pytest.fail("radicale stopped:\n" + (folder / "radicale.log").read_text())
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("radicale did not answer within 20 s")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if storage != folder:
            shutil.rmtree(storage, ignore_errors=True)


def home(server: str, name: str) -> str:
    """A fresh collection on the server, like an organiser's calendar home."""
    url = f"{server}{name}/"
    with caldav.DAVClient(url=server, enable_rfc6764=False) as client:
        response = client.request(url, "MKCOL", "")
        assert response.status == 201
    return url


def plan_folder(tmp_path: Path, visit, plan) -> Path:
    """A plan folder as `visitplan plan` writes it, as far as publishing reads it."""
    assert check_plan(visit, plan) == []
    folder = tmp_path / visit.id
    folder.mkdir()
    (folder / "plan.json").write_text(dumps(plan), encoding="utf-8")
    ics.write(build_views(visit, plan), folder)
    return folder


def server_events(url: str) -> dict[str, dict[str, tuple[icalendar.Event, str]]]:
    """Calendar name -> UID -> (event as stored, ETag), for every calendar in the collection."""
    own = urlsplit(url).path.rstrip("/")
    found: dict[str, dict[str, tuple[icalendar.Event, str]]] = {}
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        for result in client.propfind(url, depth=1).results:
            path = urlsplit(result.href).path.rstrip("/")
            if path == own:
                continue
            calendar = caldav.Calendar(client=client, url=client.url.join(path + "/"))
            events = {}
            for obj in calendar.get_events():
                (event,) = icalendar.Calendar.from_ical(obj.data).walk("VEVENT")
                events[str(event["UID"])] = (event, obj.props.get("{DAV:}getetag", ""))
            found[path.rsplit("/", 1)[1]] = events
    return found


def display_name(url: str) -> str | None:
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        return caldav.Calendar(client=client, url=url).get_display_name()


def assert_server_has(url: str, folder: Path, visit_id: str) -> None:
    """Every calendar of the plan folder is on the server, event for event, and nothing else."""
    stored = server_events(f"{url}{visit_id}/")
    files = {}
    for path in sorted((folder / "calendars" / "delegates").glob("*.ics")):
        files[path.stem] = path
    for path in sorted((folder / "calendars" / "hosts").glob("*.ics")):
        files[f"host-{path.stem}"] = path
    files["programme"] = folder / "calendars" / "programme.ics"
    for name, path in files.items():
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert display_name(f"{url}{visit_id}/{name}/") == str(calendar["X-WR-CALNAME"])
        wanted = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        on_server = stored.get(name, {})
        assert set(on_server) == set(wanted), name
        for uid, event in wanted.items():
            got, _ = on_server[uid]
            for prop in ("DTSTART", "DTEND"):
                assert got[prop].dt == event[prop].dt, (uid, prop)
                assert got[prop].params.get("TZID") == event[prop].params.get("TZID")
            assert got.decoded("DTSTAMP") == event.decoded("DTSTAMP") == ISSUED
            assert [str(c) for c in got["CATEGORIES"].cats] == [
                str(c) for c in event["CATEGORIES"].cats
            ]
            assert (got["GEO"].latitude, got["GEO"].longitude) == (
                event["GEO"].latitude,
                event["GEO"].longitude,
            )
            for prop in COMPARED:
                assert str(got.get(prop, "")) == str(event.get(prop, "")), (uid, prop)
    for name in set(stored) - set(files):
        assert stored[name] == {}, f"{name} is no longer in the plan but still has events"


def etags(url: str) -> dict[tuple[str, str], str]:
    return {
        (name, uid): etag
        for name, events in server_events(url).items()
        for uid, (_, etag) in events.items()
    }


# -- tests --------------------------------------------------------------------------


def test_publish_puts_every_itinerary_in_its_own_calendar_and_a_repeat_changes_nothing(
    server, tmp_path
):
    visit, plan, _views, _files = solved("dst-oslo")
    folder = plan_folder(tmp_path, visit, plan)
    url = home(server, "organiser")

    first = publish(folder, url)
    wanted = collections(folder)
    assert first.calendars == len(visit.delegates) + 4 + 1 == len(wanted)  # hosts, programme
    assert first.created == first.events == sum(len(c.objects) for c in wanted.values())
    assert (first.updated, first.deleted, first.unchanged) == (0, 0, 0)
    assert sorted(first.calendars_created) == sorted(wanted)
    assert "dst-oslo/d1/" in wanted and "dst-oslo/host-ntnu/" in wanted
    assert len(wanted["dst-oslo/programme/"].objects) == len(plan.sessions)
    assert_server_has(url, folder, visit.id)

    before = etags(f"{url}{visit.id}/")
    second = publish(folder, url)
    assert not second.changed
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.events
    assert etags(f"{url}{visit.id}/") == before
    assert "nothing changed" in second.lines()[-1]


def test_a_new_plan_updates_changed_events_and_removes_what_is_gone(server, tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    url = home(server, "replans")
    first_folder = plan_folder(_mkdir(tmp_path / "first"), visit, plan)
    publish(first_folder, url, user="organiser", password="secret")

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
    before = etags(f"{url}{visit.id}/")
    result = publish(second_folder, url, user="organiser", password="secret")
    assert result.changed and not result.calendars_emptied
    assert result.updated >= len(changed.delegates)  # everyone's Harpa event has a new title
    assert result.deleted > 0  # the closing round table and the rides to it
    assert_server_has(url, second_folder, visit.id)
    after = etags(f"{url}{visit.id}/")
    unchanged = {key for key in after if key in before and after[key] == before[key]}
    assert any("/opening/" in uid for _, uid in unchanged), "untouched events are not rewritten"
    harpa = {key for key in after if "/harpa/" in key[1]}
    assert harpa and not harpa & unchanged
    assert not any("/closing/" in uid for _, uid in after)
    assert not publish(second_folder, url, user="organiser", password="secret").changed
    assert etags(f"{url}{visit.id}/") == after

    # A delegate leaves: their calendar is emptied, not left with a stale itinerary.
    smaller = replace(changed, delegates=tuple(d for d in changed.delegates if d.id != "d3"))
    third_folder = plan_folder(_mkdir(tmp_path / "third"), smaller, solve_checked(smaller))
    result = publish(third_folder, url, user="organiser", password="secret")
    assert result.calendars_emptied == ["no-dst/d3/"]
    assert_server_has(url, third_folder, visit.id)
    assert server_events(f"{url}{visit.id}/")["d3"] == {}


def solve_checked(visit):
    plan, report = solve(visit, SolveOptions(workers=1, deterministic_time=2.0), ISSUED)
    assert plan is not None, report.diagnosis
    assert check_plan(visit, plan) == []
    return plan


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


def test_publish_reports_a_server_that_refuses(server, tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    folder = plan_folder(tmp_path, visit, plan)
    with pytest.raises(PublishError):
        publish(folder, f"{server}no-such-home/deeper/")  # the parent of the visit is missing


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
