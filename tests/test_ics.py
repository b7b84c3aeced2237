"""Calendars (spec section 2, issue 4): valid for real readers, fixed in time, stable, complete.

Plans come from solving tiny visit folders, each judged clean by check_plan.
Event times are read back through the VTIMEZONE in the file (evaluated by
dateutil, not looked up by name) and compared with the plan's Assignments
and Legs converted with zoneinfo: so the file's zone definition itself is
what is checked, on both sides of the end of summer time.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from visitplan.check import check_plan
from visitplan.export import ics
from visitplan.export.words import LANGUAGES, WORDS, word
from visitplan.model import BASE
from visitplan.read import load_visit
from visitplan.solve import SolveOptions, solve
from visitplan.views import build_views

VISITS = Path(__file__).parent / "visits"
ISSUED = datetime(2027, 10, 1, 12, 0, tzinfo=UTC)
NAMES = ("dst-oslo", "no-dst", "tiny")
LETTERS = "āčēģīķļņšūžæøå"


@cache
def solved(name: str):
    """(visit, plan, views, {path: bytes}) of a test visit folder, the plan checked clean."""
    visit = load_visit(VISITS / name)
    plan, report = solve(visit, SolveOptions(workers=1, deterministic_time=2.0), ISSUED)
    assert report.status in ("OPTIMAL", "FEASIBLE"), report.diagnosis
    assert plan is not None
    assert check_plan(visit, plan) == []
    views = build_views(visit, plan)
    return visit, plan, views, ics.calendars(views)


def every_file():
    for name in NAMES:
        for path, data in solved(name)[3].items():
            yield name, path, data


def events_of(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def utc(on: date, at: time, zone: str) -> datetime:
    return datetime.combine(on, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def read_times(data: bytes) -> list[tuple[str, datetime, datetime, tuple[str, ...], str]]:
    """(UID, start, end, categories, summary), the times read through the file's own VTIMEZONE.

    The zone is built from the file's definition (dateutil, by icalendar's
    ``to_tz(lookup_tzid=False)``), never looked up by name, and per file:
    vobject keeps the first definition of a TZID it sees for the whole process.
    """
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(z["TZID"]): z.to_tz(lookup_tzid=False) for z in calendar.walk("VTIMEZONE")}
    found = []
    for event in calendar.walk("VEVENT"):
        instants = []
        for name in ("DTSTART", "DTEND"):
            prop = event[name]
            tzid = prop.params.get("TZID")
            assert tzid in zones, f"{name} is not fixed by a VTIMEZONE of the file"
            wall = prop.dt.replace(tzinfo=None)
            instants.append(wall.replace(tzinfo=zones[tzid]).astimezone(UTC))
        categories = tuple(str(c) for c in event["CATEGORIES"].cats)
        found.append((str(event["UID"]), *instants, categories, str(event["SUMMARY"])))
    return found


# -- the files ------------------------------------------------------------------------


def test_plan_writes_programme_delegate_and_host_calendars(tmp_path):
    visit, plan, views, files = solved("dst-oslo")
    ics.write(views, tmp_path)
    expected = {"calendars/programme.ics"}
    expected |= {f"calendars/delegates/{d.id}.ics" for d in visit.delegates}
    expected |= {f"calendars/hosts/{h}.ics" for h in views.hosts if h != BASE}
    assert set(files) == expected
    assert {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.ics")} == expected
    for relative, data in files.items():
        assert (tmp_path / relative).read_bytes() == data
    assert "calendars/hosts/base.ics" not in files  # the hotel is nobody's host


@pytest.mark.parametrize("name", NAMES)
def test_every_file_passes_vobject_validation(name):
    for path, data in solved(name)[3].items():
        calendar = vobject.readOne(data.decode("utf-8"), validate=True)
        assert calendar.name == "VCALENDAR", path


@pytest.mark.parametrize("name", NAMES)
def test_every_file_passes_the_ical_package_parser(name):
    for path, data in solved(name)[3].items():
        calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        assert len(calendar.events) == len(events_of(data)), path
        assert [tz.tz_id for tz in calendar.timezones] == [solved(name)[0].timezone]


@pytest.mark.parametrize("name", NAMES)
def test_every_time_zone_is_in_the_file(name):
    for path, data in solved(name)[3].items():
        calendar = icalendar.Calendar.from_ical(data)
        assert calendar.get_missing_tzids() == set(), path
        assert calendar.get_used_tzids() == {solved(name)[0].timezone}, path


def test_lines_end_in_crlf_and_fit_75_octets():
    for name, path, data in every_file():
        assert data.endswith(b"\r\n"), (name, path)
        assert b"\n" not in data.replace(b"\r\n", b""), (name, path)
        for line in data.split(b"\r\n"):
            assert len(line) <= 75, (name, path, line)


def test_every_event_ends_after_it_starts_and_uids_are_unique_per_file():
    for name, path, data in every_file():
        times = read_times(data)
        assert all(end > start for _, start, end, _, _ in times), (name, path)
        uids = [uid for uid, *_ in times]
        assert len(uids) == len(set(uids)), (name, path)


def test_calendar_header_publish_method_name_and_stamp():
    for name, _path, data in every_file():
        visit = solved(name)[0]
        calendar = icalendar.Calendar.from_ical(data)
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert str(calendar["VERSION"]) == "2.0"
        assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
        assert str(calendar["NAME"]).startswith(visit.display_title + " — ")
        for event in calendar.walk("VEVENT"):
            assert event.decoded("DTSTAMP") == ISSUED  # the plan's issue time, not the clock
            assert int(event["SEQUENCE"]) == 0


# -- time -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_delegate_events_are_the_plans_assignments_legs_and_lunches(name):
    visit, plan, _views, files = solved(name)
    zone = visit.timezone
    for delegate in visit.delegates:
        times = read_times(files[f"calendars/delegates/{delegate.id}.ics"])
        sessions = sorted((c[0], s, e) for _, s, e, c, _ in times if c[0] not in ("ride", "lunch"))
        assert sessions == sorted(
            (a.session_id, utc(a.date, a.start, zone), utc(a.date, a.end, zone))
            for a in plan.assignments
            if a.delegate_id == delegate.id
        )
        rides = sorted((s, e, summary) for _, s, e, c, summary in times if c[0] == "ride")
        legs = sorted(
            (utc(g.date, g.depart, zone), utc(g.date, g.arrive, zone), g)
            for g in plan.legs
            if g.delegate_id == delegate.id
        )
        assert [(s, e) for s, e, _ in rides] == [(s, e) for s, e, _ in legs]
        for (_, _, summary), (_, _, leg) in zip(rides, legs, strict=True):
            assert f"{visit.place_name(leg.from_)} → {visit.place_name(leg.to)}" in summary
        lunches = sorted((s, e) for _, s, e, c, _ in times if c[0] == "lunch")
        meals = {(a.date, a.session_id) for a in plan.assignments if a.delegate_id == delegate.id}
        assert lunches == sorted(
            (utc(b.date, b.start, zone), utc(b.date, b.end, zone))
            for b in plan.lunches
            if b.delegate_id == delegate.id and (b.date, b.session_id) not in meals
        )


@pytest.mark.parametrize("name", NAMES)
def test_programme_and_host_events_are_the_plans_sessions(name):
    visit, plan, views, files = solved(name)
    zone = visit.timezone
    expected = {
        s.session_id: (utc(s.date, s.start, zone), utc(s.date, s.end, zone)) for s in plan.sessions
    }
    programme = read_times(files["calendars/programme.ics"])
    assert {c[0]: (s, e) for _, s, e, c, _ in programme} == expected
    for host_id in views.hosts:
        if host_id == BASE:
            continue
        times = read_times(files[f"calendars/hosts/{host_id}.ics"])
        assert {c[0]: (s, e) for _, s, e, c, _ in times} == {
            s.session_id: expected[s.session_id] for s in plan.sessions if s.host_id == host_id
        }


def test_dst_visit_has_events_on_both_sides_of_the_change():
    visit, _plan, _views, files = solved("dst-oslo")
    assert visit.timezone == "Europe/Oslo"
    offsets = set()
    change = datetime(2027, 10, 31, 1, 0, tzinfo=UTC)  # 03:00 CEST becomes 02:00 CET
    sides = set()
    for event in vobject.readOne(files["calendars/programme.ics"].decode()).vevent_list:
        offsets.add(event.dtstart.value.utcoffset())
        sides.add(event.dtstart.value.astimezone(UTC) > change)
    assert offsets == {timedelta(hours=2), timedelta(hours=1)}
    assert sides == {False, True}
    sunday = [
        e
        for e in vobject.readOne(files["calendars/programme.ics"].decode()).vevent_list
        if e.dtstart.value.date() == date(2027, 10, 31)
    ]
    assert sunday, "the visit has a session on the day of the change"
    assert all(e.dtstart.value.utcoffset() == timedelta(hours=1) for e in sunday)


def test_time_zone_is_written_with_yearly_rules_not_date_lists():
    files = solved("dst-oslo")[3]
    for data in files.values():
        zone = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0]
        assert "RDATE" not in data.decode()
        observances = zone.walk("DAYLIGHT") + zone.walk("STANDARD")
        assert len(observances) == 2
        assert all("RRULE" in o for o in observances)
        rules = sorted(o["RRULE"].to_ical().decode() for o in observances)
        assert rules == [
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        ]


def test_zone_without_summer_time_has_one_fixed_observance():
    data = solved("no-dst")[3]["calendars/programme.ics"]
    zone = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0]
    assert str(zone["TZID"]) == "Atlantic/Reykjavik"
    assert [o.name for o in zone.subcomponents] == ["STANDARD"]
    assert zone.subcomponents[0]["TZOFFSETTO"].td == timedelta(0)
    assert "RRULE" not in zone.subcomponents[0]


ZONES = (
    "Europe/Oslo",
    "Europe/Riga",
    "Europe/London",
    "Europe/Dublin",
    "Atlantic/Reykjavik",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Africa/Casablanca",
    "UTC",
)


@pytest.mark.parametrize("zone", ZONES)
def test_vtimezone_agrees_with_zoneinfo_through_the_visit_years(zone):
    """The file's zone, read by dateutil, gives zoneinfo's offset every 3 hours of 2027-2028
    and every 15 minutes around each change (the repeated hour aside: it means its first)."""
    component = ics.vtimezone(zone, 2027, 2028)
    written = icalendar.Timezone.from_ical(component.to_ical()).to_tz(lookup_tzid=False)
    real = ZoneInfo(zone)
    start, end = datetime(2027, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(hours=3 * i) for i in range((end - start) // timedelta(hours=3))]
    around_changes = [
        moment + timedelta(minutes=15 * k)
        for before, moment in zip(moments, moments[1:], strict=False)
        if before.astimezone(real).utcoffset() != moment.astimezone(real).utcoffset()
        for k in range(-16, 5)
    ]
    for moment in moments + around_changes:
        local = moment.astimezone(real).replace(tzinfo=None)
        first = local.replace(tzinfo=real, fold=0).utcoffset()
        if first == local.replace(tzinfo=real, fold=1).utcoffset():
            assert local.replace(tzinfo=written).utcoffset() == first, (zone, local)


def test_vtimezone_uses_rules_for_zones_with_regular_summer_time():
    for zone in ("Europe/Oslo", "America/New_York", "Australia/Sydney", "America/Santiago"):
        text = ics.vtimezone(zone, 2027, 2027).to_ical().decode()
        assert text.count("RRULE:FREQ=YEARLY") == 2, zone


# -- content --------------------------------------------------------------------------


def test_uid_is_visit_item_and_recipient():
    visit, _plan, views, files = solved("dst-oslo")
    for path, data in files.items():
        recipient = (
            "programme"
            if path.endswith("programme.ics")
            else ("delegate-" if "/delegates/" in path else "host-") + Path(path).stem
        )
        for event in events_of(data):
            uid = str(event["UID"])
            match = re.fullmatch(rf"{visit.id}/(.+)/{recipient}@visitplan", uid)
            assert match, uid
            item = match.group(1)
            categories = [str(c) for c in event["CATEGORIES"].cats]
            if categories[0] == "ride":
                assert re.fullmatch(r"ride:\d{4}-\d\d-\d\d:[\w-]+:[\w-]+:\d+", item), item
            elif categories[0] == "lunch":
                assert item == f"lunch:{event.decoded('DTSTART').date().isoformat()}"
            else:
                assert item == categories[0]
    d1_rides = [
        item.item_id
        for items in views.delegates["d1"].values()
        for item in items
        if hasattr(item, "item_id")
    ]
    uids = {str(e["UID"]) for e in events_of(files["calendars/delegates/d1.ics"])}
    assert {f"dst-oslo/{i}/delegate-d1@visitplan" for i in d1_rides} <= uids


def test_uids_survive_new_titles_and_the_same_plan_gives_the_same_bytes():
    visit, plan, views, files = solved("dst-oslo")
    again = ics.calendars(build_views(visit, plan))
    assert again == files
    from dataclasses import replace

    retitled = replace(
        visit, sessions=tuple(replace(s, title=s.title + " (new)") for s in visit.sessions)
    )
    changed = ics.calendars(build_views(retitled, plan))
    for path in files:
        assert [str(e["UID"]) for e in events_of(changed[path])] == [
            str(e["UID"]) for e in events_of(files[path])
        ]
    assert changed != files


def test_resolving_the_same_visit_gives_byte_identical_calendars():
    visit = load_visit(VISITS / "dst-oslo")
    plan, _ = solve(visit, SolveOptions(workers=1, deterministic_time=2.0), ISSUED)
    assert plan is not None and check_plan(visit, plan) == []
    assert ics.calendars(build_views(visit, plan)) == solved("dst-oslo")[3]


def test_categories_start_with_the_session_id_or_ride():
    visit, _plan, _views, files = solved("dst-oslo")
    kinds = {s.id: s.kind for s in visit.sessions}
    for data in files.values():
        for event in events_of(data):
            categories = [str(c) for c in event["CATEGORIES"].cats]
            if categories[0] in kinds:
                assert categories == [categories[0], kinds[categories[0]]]
            else:
                assert categories[0] in ("ride", "lunch")


def test_organizer_only_when_the_visit_names_one():
    for name in NAMES:
        visit, _plan, _views, files = solved(name)
        for data in files.values():
            for event in events_of(data):
                if visit.organiser is None:
                    assert "ORGANIZER" not in event
                else:
                    assert str(event["ORGANIZER"]) == f"mailto:{visit.organiser.email}"
                    assert event["ORGANIZER"].params["CN"] == visit.organiser.name


def test_names_and_awkward_titles_survive_the_round_trip_in_every_reader():
    visit, _plan, _views, files = solved("dst-oslo")
    titles = {s.id: s.title for s in visit.sessions}
    awkward = titles["fylke-plan"]
    assert all(c in awkward for c in ",;\\")
    seen_text = []
    for _path, data in files.items():
        text = data.decode("utf-8")
        by_uid_vobject = {e.uid.value: e for e in vobject.readOne(text).vevent_list}
        by_uid_ical = {e.uid: e for e in IcsCalendarStream.calendar_from_ics(text).events}
        calendar = icalendar.Calendar.from_ical(data)
        seen_text.append(str(calendar["X-WR-CALNAME"]))
        for event in calendar.walk("VEVENT"):
            uid = str(event["UID"])
            summary = str(event["SUMMARY"])
            assert by_uid_vobject[uid].summary.value == summary
            assert by_uid_ical[uid].summary == summary
            description = str(event.get("DESCRIPTION", ""))
            assert by_uid_ical[uid].description in (description, None)
            seen_text += [summary, description, str(event.get("LOCATION", ""))]
            first = str(event["CATEGORIES"].cats[0])
            if first in titles:
                assert summary == titles[first]
    for delegate in visit.delegates:
        data = files[f"calendars/delegates/{delegate.id}.ics"]
        name = str(icalendar.Calendar.from_ical(data)["NAME"])
        assert name == f"Trøndelag 2027 — {delegate.name}"
    joined = "\n".join(seen_text)
    assert all(letter in joined for letter in LETTERS)
    assert all(d.name in joined for d in visit.delegates)
    assert awkward in joined


def test_delegate_sees_place_contact_kind_and_fellow_delegates_in_the_visit_language():
    visit, _plan, views, files = solved("dst-oslo")
    assert visit.language == "lv"
    events = {str(e["UID"]): e for e in events_of(files["calendars/delegates/d1.ics"])}
    edu = events["dst-oslo/ntnu-edu/delegate-d1@visitplan"]
    assert str(edu["LOCATION"]) == "NTNU Gløshaugen, Høgskoleringen 1, 7491 Trondheim"
    assert edu["GEO"].latitude == pytest.approx(63.4190)
    assert edu["GEO"].longitude == pytest.approx(10.4022)
    description = str(edu["DESCRIPTION"])
    assert "Veids: Prezentācija" in description
    assert "Kontaktpersona: Kari Nordmann, kari@example.no, +47 73 59 50 00" in description
    session = next(s for s in views.sessions if s.session_id == "ntnu-edu")
    others = [a.name for a in session.attendees if a.delegate_id != "d1"]
    if others:
        assert f"Piedalās arī: {', '.join(others)}" in description
    assert "Jānis Bērziņš" not in description  # not himself
    rides = [e for e in events.values() if str(e["CATEGORIES"].cats[0]) == "ride"]
    assert rides
    assert all(
        str(e["SUMMARY"]).startswith(("Transportlīdzeklis ", "Kājām: "))
        and " → " in str(e["SUMMARY"])
        for e in rides
    )


def test_host_sees_attendees_group_size_and_needs_in_the_host_language():
    visit, _plan, views, files = solved("dst-oslo")
    assert visit.host_language == "nb"
    roster = views.hosts["fylke"]
    events = events_of(files["calendars/hosts/fylke.ics"])
    assert [str(e["CATEGORIES"].cats[0]) for e in events] == [s.session_id for s in roster.sessions]
    for event, session in zip(events, roster.sessions, strict=True):
        description = str(event["DESCRIPTION"])
        assert f"Gruppestørrelse: {session.size}" in description
        assert "Deltakere:" in description
        for a in session.attendees:
            assert a.name in description
        assert "Type: Rundebordsmøte" in description
        assert "vegetarian; step-free entrance" in description
        assert str(event["NAME"] if "NAME" in event else "") == ""
    name = str(icalendar.Calendar.from_ical(files["calendars/hosts/fylke.ics"])["NAME"])
    assert name == "Trøndelag 2027 — Trøndelag fylkeskommune"


def test_a_visit_without_short_title_names_calendars_by_title():
    visit, _plan, _views, files = solved("no-dst")
    assert not visit.short_title
    data = files["calendars/delegates/d1.ics"]
    name = str(icalendar.Calendar.from_ical(data)["NAME"])
    assert name == f"{visit.title} — Ingrid Øvergård"
    assert str(icalendar.Calendar.from_ical(files["calendars/programme.ics"])["NAME"]) == (
        f"{visit.title} — Program"
    )


# -- re-plans -------------------------------------------------------------------------


def test_previous_sequences_are_kept_for_unchanged_events_and_raised_for_moved_ones():
    _visit, _plan, views, files = solved("dst-oslo")
    previous = ics.read_previous(files.values())
    assert len(previous) == sum(len(events_of(d)) for d in files.values())
    assert ics.calendars(views, previous) == files  # nothing moved: SEQUENCE stays 0
    uid = "dst-oslo/welcome/delegate-d1@visitplan"
    moved = dict(previous)
    moved[uid] = ics.PreviousEvent(3, "somewhere else")
    raised = ics.calendars(views, moved)["calendars/delegates/d1.ics"]
    sequences = {str(e["UID"]): int(e["SEQUENCE"]) for e in events_of(raised)}
    assert sequences[uid] == 4
    assert Counter(sequences.values())[0] == len(sequences) - 1


def test_caldav_objects_hold_one_event_each_without_method():
    data = solved("dst-oslo")[3]["calendars/delegates/d1.ics"]
    resources = ics.caldav_resources(data)
    assert resources.name == "Trøndelag 2027 — Jānis Bērziņš"
    assert len(resources.objects) == len(events_of(data))
    for name, obj in resources.objects.items():
        calendar = icalendar.Calendar.from_ical(obj)
        assert "METHOD" not in calendar
        assert calendar.get_missing_tzids() == set()
        (event,) = calendar.walk("VEVENT")
        assert str(event[ics.HASH_PROPERTY]) == resources.hashes[name]
        vobject.readOne(obj.decode("utf-8"), validate=True)


# -- words ----------------------------------------------------------------------------


def test_every_word_exists_in_every_language():
    for key, forms in WORDS.items():
        assert set(forms) == set(LANGUAGES), key
        assert all(forms.values()), key
    assert word("vehicle", "lv") == "Transportlīdzeklis"
    assert word("lunch", "xx") == "Lunch"
