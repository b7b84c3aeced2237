"""Real CalDAV servers for the publishing tests, on 127.0.0.1 only.

* :func:`radicale`: Radicale with its default rights (``owner_only``: a user
  writes in their own calendar home ``/<user>/`` and nowhere deeper than a
  calendar in it) behind htpasswd logins (plain passwords).
* :func:`xandikos`: Xandikos with the calendar home its ``--defaults``
  create, ``/user/calendars/`` (already holding the user's own calendar
  ``calendar``), no login.
* :class:`CutProxy`: a proxy that passes a set number of requests on to a
  server and then hangs up and stops listening, as a server does when it
  stops in the middle of a publish.

Each is a context manager that stops what it started; every wait is bounded.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

HOST = "127.0.0.1"
START_SECONDS = 30
PASSWORD = "Pa55:word@/with?odd#chars"
"""Every user's password: characters that need quoting in a URL."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Radicale:
    """A running Radicale: its base URL and its htpasswd file (read at every login)."""

    url: str
    users: Path

    def add_user(self, user: str, password: str = PASSWORD) -> str:
        """Let ``user`` log in; their calendar home's URL (without credentials)."""
        with self.users.open("a", encoding="utf-8") as out:
            out.write(f"{user}:{password}\n")
        return f"{self.url}{user}/"

    def home_with_credentials(self, user: str, password: str = PASSWORD) -> str:
        """The calendar home of a new user with ``user:password@`` in the URL."""
        self.add_user(user, password)
        return self.login_url(user, password)

    def login_url(self, user: str, password: str = PASSWORD) -> str:
        """The calendar home of ``user`` with ``user:password@`` in the URL."""
        parts = urlsplit(f"{self.url}{user}/")
        userinfo = f"{quote(user, safe='')}:{quote(password, safe='')}"
        return f"{parts.scheme}://{userinfo}@{parts.netloc}{parts.path}"


@contextmanager
def radicale(folder: Path, storage: Path | None = None) -> Iterator[Radicale]:
    """Radicale on a free port, default rights, htpasswd logins; stopped on exit.

    ``storage`` keeps the collections (a fresh folder when None, in memory
    where the machine has /dev/shm: Radicale syncs every write to disk).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config").write_text("")  # no system or user configuration
    users = folder / "users"
    users.touch()
    own_storage = storage is None
    if storage is None:
        shm = Path("/dev/shm")
        storage = Path(tempfile.mkdtemp(prefix="radicale-", dir=shm if shm.is_dir() else folder))
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        str(folder / "config"),
        "--server-hosts",
        f"{HOST}:{port}",
        "--storage-filesystem-folder",
        str(storage / "collections"),
        "--auth-type",
        "htpasswd",
        "--auth-htpasswd-filename",
        str(users),
        "--auth-htpasswd-encryption",
        "plain",
        "--logging-level",
        "warning",
    ]  # no --rights-type: Radicale's default, owner_only
    url = f"http://{HOST}:{port}/"
    try:
        with _process(command, folder / "radicale.log", url):
            yield Radicale(url, users)
    finally:
        if own_storage:
            shutil.rmtree(storage, ignore_errors=True)


@contextmanager
def xandikos(folder: Path) -> Iterator[str]:
    """Xandikos on a free port with its default calendar home; yields the home's URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "xandikos",
        "--defaults",  # creates /user/calendars/calendar (and contacts, inbox, outbox)
        "-d",
        str(folder / "data"),
        "-l",
        HOST,
        "-p",
        str(port),
    ]
    url = f"http://{HOST}:{port}/"
    with _process(command, folder / "xandikos.log", url):
        yield f"{url}user/calendars/"


@contextmanager
def _process(command: list[str], log_path: Path, url: str) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends, once it answers HTTP at ``url``."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_answering(process, url, log_path)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_answering(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    for _ in range(START_SECONDS * 20):
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped:\n{log_path.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
    raise RuntimeError(f"{url}: no answer within {START_SECONDS} s:\n{log_path.read_text()}")


# -- a server that stops mid-way ------------------------------------------------------

_METHODS = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "MKCOL")
_METHODS += ("MKCALENDAR", "REPORT", "POST")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class CutProxy:
    """Pass the first ``answered`` requests on to ``target``; at the next one, hang up
    without an answer and stop listening (so later connections are refused).

    ``url`` is the proxy's base URL; ``requests`` counts the requests it got.
    """

    def __init__(self, target: str, answered: int) -> None:
        self.target = urlsplit(target)
        self.answered = answered
        self.requests = 0
        self.cut = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((HOST, 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://{HOST}:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> CutProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop()
        self._thread.join(timeout=10)

    def _stop(self) -> None:
        if not self.cut.is_set():
            self.cut.set()
        self._server.shutdown()
        self._server.server_close()

    def _take(self) -> bool:
        """Whether this request is passed on (False: hang up and stop)."""
        with self._lock:
            self.requests += 1
            return self.requests <= self.answered and not self.cut.is_set()

    def _hang_up(self) -> None:
        self.cut.set()
        threading.Thread(target=self._stop, daemon=True).start()


def _handler(proxy: CutProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:  # quiet
            pass

        def forward(self) -> None:
            if not proxy._take():
                proxy._hang_up()
                self.close_connection = True  # closed without a word
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            target = http.client.HTTPConnection(
                proxy.target.hostname, proxy.target.port, timeout=30
            )
            try:
                target.request(self.command, self.path, body, headers)
                answer = target.getresponse()
                data = answer.read()
            finally:
                target.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    for method in _METHODS:
        setattr(Handler, f"do_{method}", Handler.forward)
    return Handler
