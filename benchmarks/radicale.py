"""A Radicale server for the sync figures: 127.0.0.1, a free port, storage in the bench's work folder.

The same start and stop as tests/sync/conftest.py (htpasswd auth with one account, no auth delay,
waited for until it answers, terminated and waited for afterwards), plus what a benchmark needs:
the server's CPU clock, so a figure can count the work a client makes the server do, and deleting
a collection after each run, so the storage folder stays bounded however many runs there are.
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
from pathlib import Path

from benchmarks.measure import Skip
from benchmarks.terminal import _process_cpu_clock

USER, PASSWORD = "team", "bench-team-pass"
START_TIMEOUT = 20.0


@dataclass(frozen=True)
class Radicale:
    """A running server: its base URL, storage folder and process id."""

    base: str
    storage: Path
    pid: int

    def request(
        self, method: str, url: str, body: bytes | None = None, headers: dict | None = None
    ):
        """One raw HTTP request; returns (status, body)."""
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        req = urllib.request.Request(
            url,
            data=body,
            method=method,
            headers={"Authorization": f"Basic {token}", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback bench server
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def new_calendar(self) -> str:
        """A fresh, empty calendar collection; returns its URL (ending in /)."""
        url = f"{self.base}/{USER}/{uuid.uuid4().hex[:12]}/"
        status, body = self.request("MKCALENDAR", url)
        if status != 201:
            raise RuntimeError(f"MKCALENDAR {url} answered {status}: {body[:200]!r}")
        return url

    def drop_calendar(self, url: str) -> None:
        """Delete a collection and everything in it (keeps the storage folder bounded)."""
        status, body = self.request("DELETE", url)
        if status not in (200, 204, 404):
            raise RuntimeError(f"DELETE {url} answered {status}: {body[:200]!r}")

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far, all threads."""
        try:
            return time.clock_gettime(_process_cpu_clock(self.pid))
        except OSError:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"radicale exited with {proc.returncode}: {log.read_text(errors='replace')[-500:]}"
            )
        try:
            with urllib.request.urlopen(base + "/.web/", timeout=1):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"radicale did not answer within {START_TIMEOUT:.0f} s")


@contextmanager
def running_radicale(root: Path, python: str = sys.executable):
    """Radicale on 127.0.0.1 with storage under `root` until the block ends; Skip when not installed."""
    probe = subprocess.run([python, "-c", "import radicale"], capture_output=True, check=False)
    if probe.returncode != 0:
        raise Skip("radicale not installed (pip install -e '.[test]')")
    root.mkdir(parents=True, exist_ok=True)
    storage, users, config = root / "storage", root / "users", root / "config"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    config.write_text("", encoding="utf-8")  # no /etc/radicale or ~/.config/radicale settings
    port = _free_port()
    cmd = [
        python,
        "-m",
        "radicale",
        "--config",
        str(config),
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
    env = {k: v for k, v in os.environ.items() if not k.startswith("RADICALE")}
    log = root / "radicale.log"  # a file, not a pipe: a full pipe would stall the server mid-run
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=root, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, log)
        yield Radicale(base, storage, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
