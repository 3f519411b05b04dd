"""A sync killed with SIGKILL at any point resumes without duplicates or losses."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from calendar_data.models import Post
from calendar_data.posts import add_post, delete_post, list_posts
from calendar_data.sync import pending_changes

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("sync_worker.py")
POSTS = 24


def _run_worker(db_path: Path, point: str, n: int) -> str:
    """Run a sync in a child process; kill -9 it when it pauses at `point`. Returns how it ended."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(db_path), point, str(n)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        if line.startswith("SYNCING"):
            line = proc.stdout.readline()
        if line.startswith("PAUSED"):
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            return "killed"
        proc.wait(timeout=60)
        assert proc.returncode == 0, proc.stderr.read()
        return "finished"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _server_posts(radicale, url: str) -> list[str]:
    status, _, body = radicale.request("PROPFIND", url, headers={"Depth": "1"})
    assert status == 207
    return [
        h.decode()
        for h in re.findall(rb"<[^>]*href>([^<]+\.ics)</", body)
        if b"post-" in h or b"event" in h
    ]


def _titles(db) -> list[str]:
    return sorted(p.title for p in list_posts(db))


def _fill(db, count: int = POSTS) -> list[str]:
    for i in range(count):
        add_post(db, Post(title=f"Post {i:02d}", day=date(2027, 3, 1 + i % 28), body=f"copy {i}"))
    return _titles(db)


@pytest.mark.parametrize(
    ("point", "n"),
    [
        ("after-put", 1),
        ("after-put", 9),
        ("before-put", 13),
        ("after-put", POSTS),
        ("before-push", 1),
    ],
)
def test_push_killed_and_resumed(team, radicale, point, n):
    alice, bob, url = team
    titles = _fill(alice.db)
    assert _run_worker(alice.path, point, n) == "killed"
    result = alice.sync()  # resume in a fresh process's shoes: state comes from the file
    assert not result.conflicts and not result.warnings
    assert len(_server_posts(radicale, url)) == POSTS
    assert pending_changes(alice.db, "team") == 0
    assert _titles(alice.db) == titles
    bob.sync()
    assert _titles(bob.db) == titles  # each once: no duplicates, no losses
    assert alice.sync().pushed == {"new": 0, "updated": 0, "deleted": 0}


@pytest.mark.parametrize(
    ("point", "n"),
    [("after-apply", 1), ("after-apply", 10), ("inside-apply", 7), ("before-push", 1)],
)
def test_pull_killed_and_resumed(team, radicale, point, n):
    alice, bob, url = team
    titles = _fill(alice.db)
    alice.sync()
    assert _run_worker(bob.path, point, n) == "killed"
    result = bob.sync()
    assert not result.conflicts and not result.warnings
    assert _titles(bob.db) == titles
    assert result.pushed == {"new": 0, "updated": 0, "deleted": 0}  # nothing bounced back as new
    assert len(_server_posts(radicale, url)) == POSTS


@pytest.mark.parametrize("n", [1, 5])
def test_deletions_killed_and_resumed(team, radicale, n):
    alice, bob, url = team
    _fill(alice.db)
    alice.sync()
    bob.sync()
    for post in list_posts(alice.db)[:8]:
        delete_post(alice.db, post.id)
    assert _run_worker(alice.path, "after-delete", n) == "killed"
    assert not alice.sync().conflicts
    assert len(_server_posts(radicale, url)) == POSTS - 8
    bob.sync()
    assert _titles(bob.db) == _titles(alice.db) and len(_titles(bob.db)) == POSTS - 8


def test_killed_at_random_moments_three_times_then_resumed(team, radicale):
    alice, bob, url = team
    titles = _fill(alice.db, 150)
    rng = random.Random(15)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    killed_mid_sync = 0
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(alice.path), "none", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout.readline().startswith("SYNCING")
        time.sleep(rng.uniform(0.01, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        killed_mid_sync += proc.stdout.read() == ""  # it had not printed DONE
        proc.stdout.close()
    assert killed_mid_sync >= 1  # (the fixed kill points above do not depend on timing)
    alice.sync()
    assert sorted(_server_posts(radicale, url)) == sorted(set(_server_posts(radicale, url)))
    assert len(_server_posts(radicale, url)) == 150
    bob.sync()
    assert _titles(bob.db) == titles
