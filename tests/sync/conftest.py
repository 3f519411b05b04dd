"""A real CalDAV server for the sync tests: Radicale on 127.0.0.1, a free port, a temporary storage folder.

One server per test session (per xdist worker), htpasswd auth with one team
account; each test gets a fresh calendar collection in it, so tests never see
each other's events. The server is stopped (and waited for) afterwards.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

pytest.importorskip("radicale")

from calendar_data.storage.database import open_db  # noqa: E402
from calendar_data.sync import Target, add_target, sync_now  # noqa: E402

USER, PASSWORD = "team", "s3cret-team-pass"
TODAY = date(2027, 3, 1)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
START_TIMEOUT = 20.0


@dataclass(frozen=True)
class Radicale:
    """A running server: its base URL and storage folder."""

    base: str
    storage: Path

    def auth_header(self) -> dict:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def request(
        self, method: str, url: str, body: bytes | None = None, headers: dict | None = None
    ):
        """One raw HTTP request (what a calendar client sends); returns (status, headers, body)."""
        req = urllib.request.Request(
            url, data=body, method=method, headers=self.auth_header() | (headers or {})
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback test server
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def new_calendar(self) -> str:
        """A fresh, empty calendar collection; returns its URL."""
        url = f"{self.base}/{USER}/{uuid.uuid4().hex[:12]}/"
        status, _, body = self.request("MKCALENDAR", url)
        assert status == 201, (status, body)
        return url

    def storage_bytes(self) -> bytes:
        """Every file of the server's storage folder, concatenated and unfolded (for privacy checks).

        iCalendar folds long lines (CRLF + space), which could split a marker in two: undo that.
        """
        raw = b"".join(p.read_bytes() for p in sorted(self.storage.rglob("*")) if p.is_file())
        return raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").replace(b"\n ", b"")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"radicale exited with {proc.returncode}: {proc.stderr.read().decode()[-500:]}"
            )
        try:
            with urllib.request.urlopen(base + "/.web/", timeout=1):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("radicale did not answer within 20 s")


@contextmanager
def running_radicale(root: Path):
    """Radicale on 127.0.0.1 with storage under `root`, until the block ends (then stopped and waited for)."""
    storage = root / "storage"
    users = root / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "radicale",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(storage),
        "--auth-type",
        "htpasswd",
        "--auth-htpasswd-filename",
        str(users),
        "--auth-htpasswd-encryption",
        "plain",
        "--auth-delay",
        "0",
        "--logging-level",
        "warning",
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=root,
        env={k: v for k, v in os.environ.items() if not k.startswith("RADICALE")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield Radicale(base, storage)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def radicale(tmp_path_factory) -> Radicale:
    """One Radicale for the session (each test makes its own calendar in it)."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def own_radicale(tmp_path_factory) -> Radicale:
    """A Radicale of this test's own, for checks that read every file of its storage folder."""
    with running_radicale(tmp_path_factory.mktemp("radicale-own")) as server:
        yield server


@dataclass
class Teammate:
    """One teammate's calendar database with the shared target added."""

    db: object
    path: Path

    def sync(self, **kwargs):
        return sync_now(
            self.db, "team", today=kwargs.pop("today", TODAY), now=kwargs.pop("now", NOW), **kwargs
        )


def make_teammate(path: Path, url: str, *, share_consent: bool = False) -> Teammate:
    """A fresh calendar at `path` syncing to `url` with the team's password from $CARECAL_TEST_PASSWORD."""
    db = open_db(path)
    add_target(
        db,
        Target(
            name="team",
            url=url,
            username=USER,
            password_source="env",
            password_ref="CARECAL_TEST_PASSWORD",
            share_consent=share_consent,
        ),
    )
    return Teammate(db, path)


@pytest.fixture
def team(radicale, tmp_path, monkeypatch):
    """Two teammates ("alice" and "bob") whose calendars sync through one fresh Radicale calendar."""
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", PASSWORD)
    url = radicale.new_calendar()
    alice = make_teammate(tmp_path / "alice.db", url)
    bob = make_teammate(tmp_path / "bob.db", url)
    yield alice, bob, url
    alice.db.close()
    bob.db.close()
