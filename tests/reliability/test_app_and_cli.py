"""The app and the CLI on one calendar file at the same time, as teams use it: nothing is lost.

The regression for "the app and the CLI on one file lose a write": a real app process holds its
connections and reads in workers while other processes read and write through the CLI. Before the
fix, the CLI's first command deleted the WAL under the app (a plain file handle in the app's
process had dropped its POSIX locks) and the CLI's writes then vanished.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from calendar_data.storage.database import open_db
from tests.reliability.support import ROOT, integrity, script_env, start_script


def _cli(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=script_env(),
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _titles(db) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("SELECT title FROM posts")]


def interleave(db, report, *, cli_writes: int, cli_reads: int, app_seconds: float) -> dict:
    """Run the app process and the CLI calls side by side; returns the figures."""
    app = start_script("app_process.py", str(db), str(app_seconds), str(report))
    time.sleep(2.0)  # the app is up and holding its connections
    calls = [
        ("posts", "add", "--title", f"cli-{i}", "--date", "2026-11-21") for i in range(cli_writes)
    ]
    calls += [("tags",), ("posts", "list", "--json"), ("upcoming", "--days", "30")] * (
        cli_reads // 3
    )
    calls.sort(key=lambda c: hash(c) % 7)  # reads and writes mixed
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: _cli(db, *c), calls))
    app.wait(timeout=app_seconds + 120)
    seen = json.loads(report.read_text())
    titles = set(_titles(db))
    failed = [r.stderr for r in results if r.returncode != 0]
    cli_titles = {f"cli-{i}" for i in range(cli_writes)}
    return {
        "cli_calls": len(calls),
        "cli_failures": failed,
        "cli_writes": cli_writes,
        "cli_writes_found": len(cli_titles & titles),
        "app_writes": seen["app_writes"],
        "app_write_failures": seen["app_write_failures"],
        "app_writes_found": len(set(seen["app_titles"]) & titles),
        "app_titles": len(seen["app_titles"]),
        "wal_missing": seen["wal_missing"],
        "deleted_fds": seen["deleted_fds"],
        "completed": seen["completed"],
    }


@pytest.mark.slow
def test_app_and_cli_on_one_file_lose_nothing(tmp_path):
    db = tmp_path / "team.db"
    open_db(db).close()
    assert _cli(db, "demo").returncode == 0
    figures = interleave(db, tmp_path / "report.json", cli_writes=40, cli_reads=30, app_seconds=25)
    assert figures["completed"], figures
    assert figures["wal_missing"] == 0 and figures["deleted_fds"] == [], figures
    assert figures["cli_failures"] == [], figures
    assert figures["cli_writes_found"] == figures["cli_writes"], figures
    assert figures["app_write_failures"] == 0 and figures["app_writes"] >= 3, figures
    assert figures["app_writes_found"] == figures["app_titles"], figures
    assert integrity(db) == []


def test_a_second_connection_in_one_process_keeps_the_wal_for_the_first(tmp_path):
    """The reproduction without the app: open twice, close one, then another process runs a command."""
    db = tmp_path / "r.db"
    first = open_db(db)
    first.execute("SELECT count(*) FROM posts").fetchone()
    second = open_db(db, migrate=False)
    second.execute("SELECT 1").fetchone()
    second.close()
    assert os.path.exists(f"{db}-wal")
    assert _cli(db, "tags").returncode == 0
    assert os.path.exists(f"{db}-wal"), "another process deleted the WAL under a live connection"
    assert (
        _cli(db, "posts", "add", "--title", "from the CLI", "--date", "2026-11-21").returncode == 0
    )
    first.execute("INSERT INTO tags (name) VALUES ('from-the-first')")
    first.conn.commit()
    first.close()
    assert "from the CLI" in _titles(db)
