"""`visitplan publish` when the server is down, goes away mid-way or refuses (issue 15):
one line on stderr, exit 1, no traceback, and never the password.

The command runs as the organiser runs it, in a child process, against
servers on 127.0.0.1: a port nothing listens on, Radicale (default rights,
htpasswd logins) and a proxy in front of it that stops part-way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.davservers import PASSWORD, CutProxy, free_port, radicale
from tests.test_ics import solved
from tests.test_publish import USER, assert_server_has, children, plan_folder
from visitplan.publish import collections, publish

ROOT = Path(__file__).resolve().parent.parent
SECRETS = (PASSWORD, quote(PASSWORD, safe=""))


@pytest.fixture
def server(tmp_path_factory):
    with radicale(tmp_path_factory.mktemp("radicale")) as running:
        running.add_user(USER)
        yield running


@pytest.fixture
def folder(tmp_path):
    visit, plan, _views, _files = solved("no-dst")
    return plan_folder(tmp_path, visit, plan)


def visitplan_publish(folder: Path, url: str, *options: str, env: dict | None = None):
    """Run `visitplan publish` in a child process: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "visitplan", "publish", str(folder), "--caldav", url, *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr


def with_login(url: str, password: str = PASSWORD) -> str:
    """``url`` with ``organiser:<password>@`` in it."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{USER}:{quote(password, safe='')}@{rest}"


def stops_listening(url: str, seconds: float = 10) -> bool:
    """Whether connections to ``url`` are refused within ``seconds``."""
    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    for _ in range(int(seconds * 20)):
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        except OSError:  # accepted from the backlog as the socket closed, then reset: not yet
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return False


def assert_one_line_error(status: int, out: str, err: str, *words: str) -> str:
    assert status == 1, (out, err)
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for secret in SECRETS:
        assert secret not in out and secret not in err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_a_server_that_is_down_is_one_line_without_the_password(folder):
    home = f"http://127.0.0.1:{free_port()}/{USER}/"  # nothing listens there
    line = assert_one_line_error(
        *visitplan_publish(folder, with_login(home)), home, "connection refused"
    )
    assert f"{USER}:" not in line
    # The same with the password from the environment.
    assert_one_line_error(
        *visitplan_publish(
            folder, home, "--user", USER, "--password-env", "DAV_PW", env={"DAV_PW": PASSWORD}
        ),
        home,
        "connection refused",
    )


@pytest.mark.parametrize("answered", [0, 12])
def test_a_server_that_goes_away_mid_way_is_one_line_and_the_next_publish_finishes(
    server, folder, answered
):
    home = f"{server.url}{USER}/"
    with CutProxy(server.url, answered) as proxy:
        status, out, err = visitplan_publish(folder, with_login(f"{proxy.url}{USER}/"))
        assert proxy.cut.is_set() and proxy.requests > answered
        assert stops_listening(proxy.url), "the server stopped"
    line = assert_one_line_error(status, out, err, proxy.url, "closed the connection")
    made = children(with_login(home))
    wanted = collections(folder)
    if answered:
        assert "part-way" in line and "publish again" in line
        assert 0 < len(made) < len(wanted), "the server was cut off part-way"
    else:
        assert made == {}

    report = publish(folder, home, user=USER, password=PASSWORD)  # the server answers again
    assert report.changed and not report.calendars_removed
    assert_server_has(with_login(home), folder, "no-dst")
    assert not publish(folder, home, user=USER, password=PASSWORD).changed


def test_a_refused_password_in_the_url_is_never_printed(server, folder):
    home = f"{server.url}{USER}/"
    line = assert_one_line_error(
        *visitplan_publish(folder, with_login(home, "wrong-" + PASSWORD)),
        home,
        "user name or password",
    )
    assert "wrong-" not in line and quote("wrong-", safe="") not in line

    status, out, err = visitplan_publish(folder, with_login(home))
    assert status == 0, err
    assert f"subscribe at {home}no-dst.<delegate id>/" in out
    for secret in SECRETS:
        assert secret not in out + err
    assert set(children(with_login(home))) == set(collections(folder))


@pytest.mark.parametrize(
    "url",
    [
        "http://{login}@127.0.0.1:99999/organiser/",  # no such port
        "http://{login}@[::1/organiser/",
        "ftp://{login}@127.0.0.1/organiser/",
        "http://{login}@127.0.0.1/organiser/?calendar=1",
    ],
)
def test_a_url_that_is_not_a_calendar_home_is_one_line_without_the_password(folder, url):
    login = f"{USER}:{quote(PASSWORD, safe='')}"
    status, out, err = visitplan_publish(folder, url.format(login=login))
    line = assert_one_line_error(status, out, err, "URL")
    assert f"{USER}:" not in line
