"""Publishing to a second, stricter CalDAV server (issue 15): Xandikos on 127.0.0.1.

Xandikos stores what it is sent in git and checks every object it is given
(one UID per object, valid iCalendar, the calendar's component set).  Its
``--defaults`` make the calendar home ``/user/calendars/`` holding the
user's own calendar ``calendar``, which publishing must leave alone.
"""

from __future__ import annotations

from dataclasses import replace

import caldav
import pytest

from tests.davservers import xandikos
from tests.test_ics import solved
from tests.test_publish import (
    _mkdir,
    assert_server_has,
    children,
    etags,
    make_calendar,
    plan_folder,
    solve_checked,
)
from visitplan.publish import PublishError, collections, publish


@pytest.fixture
def calendar_home(tmp_path_factory):
    """The URL of the calendar home of a Xandikos server for one test."""
    with xandikos(tmp_path_factory.mktemp("xandikos")) as url:
        yield url


def test_publish_to_xandikos_keeps_the_plan_in_calendars_of_the_home(calendar_home, tmp_path):
    url = calendar_home
    with caldav.DAVClient(url=url, enable_rfc6764=False) as client:
        make_calendar(client, f"{url}work/", "Work", "work@me")
    assert children(url) == {"calendar": True, "work": True}
    before = etags(url)  # the user's own calendars

    visit, plan, _views, _files = solved("no-dst")
    folder = plan_folder(_mkdir(tmp_path / "first"), visit, plan)
    first = publish(folder, url)
    assert sorted(first.calendars_created) == sorted(collections(folder))
    assert first.created == first.events > 0
    assert children(url) == {"calendar": True, "work": True} | {
        n: True for n in collections(folder)
    }
    assert_server_has(url, folder, visit.id)

    published = etags(url)
    again = publish(folder, url)
    assert not again.changed and again.unchanged == first.events
    assert etags(url) == published

    # A re-plan without d3: their calendar goes, the rest is updated in place.
    smaller = replace(visit, delegates=tuple(d for d in visit.delegates if d.id != "d3"))
    second = plan_folder(_mkdir(tmp_path / "second"), smaller, solve_checked(smaller))
    report = publish(second, url)
    assert report.calendars_removed == ["no-dst.d3"]
    assert "no-dst.d3" not in children(url)
    assert_server_has(url, second, visit.id)
    assert not publish(second, url).changed
    assert {k: v for k, v in etags(url).items() if not k[0].startswith("no-dst.")} == before


def test_a_calendar_name_taken_by_a_plain_collection_is_refused(calendar_home, tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    with caldav.DAVClient(url=calendar_home, enable_rfc6764=False) as client:
        response = client.request(f"{calendar_home}no-dst.programme/", "MKCOL", "")
        assert response.status == 201
    with pytest.raises(PublishError, match=r"no-dst\.programme/ exists and is not a calendar"):
        publish(plan_folder(tmp_path, visit, plan), calendar_home)
    assert children(calendar_home)["no-dst.programme"] is False  # left as it was
