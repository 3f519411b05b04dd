"""Drive a full-screen program in a pseudo-terminal: spawn it, wait for text, press keys, read its clocks.

The program sees a real terminal (TERM=xterm-256color, a fixed size) as a person's would. Its screen
output is read continuously (so it never blocks on a full buffer), escape sequences are stripped, and
the remaining text is searched for a marker such as the month title. CPU time is read from the
child's process clock (all threads, nanoseconds), so idle waits cost nothing and noise from other
processes on the machine mostly cancels out.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS, ROWS = 160, 50
ANSI = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]"
)
TAIL = 8192  # bytes of earlier output kept when searching, so a marker split across reads is still found

KEYS = {
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "escape": b"\x1b",
    "enter": b"\r",
    "ctrl+q": b"\x11",
    "slash": b"/",
    "backspace": b"\x7f",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
}


class TerminalTimeout(RuntimeError):
    """The program did not show what we waited for in time."""


def _process_cpu_clock(pid: int) -> int:
    """The clock id of another process's CPU time (what clock_getcpuclockid returns on Linux)."""
    return ((~pid) << 3) | 2


@dataclass
class Session:
    """One program running in a pseudo-terminal."""

    argv: Sequence[str]
    env: dict[str, str] | None = None
    cwd: str | os.PathLike | None = None
    columns: int = COLUMNS
    rows: int = ROWS
    started: float = 0.0
    process: subprocess.Popen | None = None
    _master: int = -1
    _raw: bytearray = field(default_factory=bytearray)
    _text: bytes = b""
    _last_output: float = 0.0
    rusage: object = None

    def start(self) -> Session:
        """Spawn the program with the terminal as its stdin, stdout and stderr."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        env = {
            **os.environ,
            **(self.env or {}),
            "TERM": "xterm-256color",
            "COLUMNS": str(self.columns),
            "LINES": str(self.rows),
        }
        env.pop("TEXTUAL", None)  # no devtools
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(self.argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=self.cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._master = master
        self._last_output = time.perf_counter()
        return self

    # --- reading ---------------------------------------------------------------------------------

    def _read(self, timeout: float) -> bool:
        """Read what is there within `timeout` seconds; False when nothing came."""
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 1 << 16)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:  # end of file: the program closed its terminal (it exited)
            raise TerminalTimeout(
                f"{self.argv[0]} exited; screen ends {self.screen_text()[-400:]!r}"
            )
        self._last_output = time.perf_counter()
        self._raw += chunk
        return True

    def screen_text(self) -> str:
        """Everything shown so far, escape sequences removed (for error messages)."""
        return ANSI.sub(b"", bytes(self._raw)).decode("utf-8", "replace")

    def mark(self) -> int:
        """A position in the output; `wait_for(..., since=mark)` only looks after it."""
        return len(self._raw)

    def wait_for(self, marker: str, *, since: int = 0, timeout: float = 60.0) -> float:
        """Read until `marker` appears in the output after `since`; returns the time it arrived."""
        needle = marker.encode()
        checked = since
        deadline = time.perf_counter() + timeout
        while True:
            start = max(since, checked - TAIL)
            if needle in ANSI.sub(b"", bytes(self._raw[start:])):
                return self._last_output
            checked = len(self._raw)
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TerminalTimeout(
                    f"no {marker!r} after {timeout:.0f} s; screen ends {self.screen_text()[-300:]!r}"
                )
            self._read(min(remaining, 0.5))

    def wait_output(self, *, since: int, timeout: float = 30.0) -> None:
        """Read until the program writes anything after `since` (a key's first repaint)."""
        deadline = time.perf_counter() + timeout
        while len(self._raw) <= since:
            if time.perf_counter() > deadline:
                raise TerminalTimeout(f"{self.argv[0]} wrote nothing for {timeout:.0f} s")
            self._read(0.5)

    def shown_since(self, marker: str, since: int) -> bool:
        """Whether `marker` was written after `since` (repaints may skip unchanged text)."""
        return marker.encode() in ANSI.sub(b"", bytes(self._raw[since:]))

    def wait_quiet(self, quiet: float = 0.15, *, timeout: float = 30.0) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self._read(quiet) and time.perf_counter() - self._last_output >= quiet:
                return
        raise TerminalTimeout(f"{self.argv[0]} kept writing for {timeout:.0f} s")

    def wait_idle(self, window: float = 0.1, *, timeout: float = 60.0) -> None:
        """Read until the program has neither written nor computed for `window` seconds.

        Quiet output alone is not enough: a program busy loading a month writes nothing while it
        computes. Idle means under 5% of one core used across the window (a blinking cursor
        costs ~0.5%), and no output.
        """
        deadline = time.perf_counter() + timeout
        written, cpu_start = len(self._raw), self.cpu_seconds()
        history: list[tuple[float, float]] = []
        while time.perf_counter() < deadline:
            self._read(0.02)
            now, cpu = time.perf_counter(), self.cpu_seconds()
            history.append((now, cpu))
            while len(history) > 1 and now - history[1][0] >= window:
                history.pop(0)
            start, start_cpu = history[0]
            if (
                now - start >= window
                and now - self._last_output >= window
                and cpu - start_cpu <= 0.05 * (now - start)
            ):
                return
        rate = (len(self._raw) - written) / timeout / 1024
        tail = " ".join(self.screen_text()[-6000:].split())[-300:]
        raise TerminalTimeout(
            f"{self.argv[0]} still busy after {timeout:.0f} s (writing {rate:.0f} KiB/s, "
            f"{self.cpu_seconds() - cpu_start:.1f} s CPU); screen ends {tail!r}"
        )

    # --- input and clocks ------------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Send keys by name (see KEYS) or as literal text."""
        for key in keys:
            os.write(self._master, KEYS.get(key, key.encode()))

    def cpu_seconds(self) -> float:
        """CPU time the program has used so far, all threads (nanosecond resolution)."""
        assert self.process is not None
        try:
            return time.clock_gettime(_process_cpu_clock(self.process.pid))
        except OSError:  # not Linux-like: fall back to /proc ticks or nothing
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_memory_mib(self) -> float:
        """The program's peak resident memory so far (VmHWM), in MiB.

        Read while it runs: a child's `ru_maxrss` starts from its parent's size at fork, so it
        would report the harness's own memory for a small program.
        """
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise OSError("no VmHWM in /proc (not Linux?)")

    def stop(self, *, timeout: float = 10.0) -> None:
        """Quit with ctrl+q (then SIGTERM, then SIGKILL), keeping the child's rusage."""
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.press("ctrl+q")
        deadline = time.perf_counter() + timeout
        sig_sent = 0
        while self.rusage is None:
            try:
                pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            except ChildProcessError:  # already reaped elsewhere
                break
            if pid:
                self.rusage = usage
                self.process.returncode = os.waitstatus_to_exitcode(status)
                break
            try:
                self._read(0.05)
            except (TerminalTimeout, OSError):
                time.sleep(0.01)
            if time.perf_counter() > deadline and sig_sent < 2:
                os.killpg(self.process.pid, (signal.SIGTERM, signal.SIGKILL)[sig_sent])
                sig_sent += 1
                deadline = time.perf_counter() + 3
        os.close(self._master)
        self._master = -1

    def __enter__(self) -> Session:
        return self.start()

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.rusage is None:
            self.stop(timeout=3)
