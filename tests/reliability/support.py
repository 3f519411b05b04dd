"""Helpers shared by the reliability tests: run a helper script, fingerprint a database."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TABLES = (
    "posts",
    "post_tags",
    "post_channels",
    "tags",
    "campaigns",
    "consents",
    "custom_observances",
    "changes",
)


def script_env() -> dict[str, str]:
    """The test's (isolated) environment, with the source tree importable."""
    return os.environ | {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def run_script(name: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run tests/reliability/NAME with this interpreter; returns the finished process."""
    return subprocess.run(
        [sys.executable, str(HERE / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=script_env(),
        cwd=ROOT,
        check=False,
    )


def start_script(name: str, *args: str) -> subprocess.Popen:
    """Start tests/reliability/NAME; stdout is a text pipe."""
    return subprocess.Popen(
        [sys.executable, str(HERE / name), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=script_env(),
        cwd=ROOT,
    )


def integrity(path: Path) -> list[str]:
    """PRAGMA integrity_check and foreign_key_check problems of the file (empty when sound)."""
    with closing(sqlite3.connect(path)) as conn:
        found = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        found = [] if found == ["ok"] else found
        return found + [
            f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check").fetchall()
        ]


def fingerprint(path: Path) -> dict:
    """Row counts and a hash of the content that does not depend on the clock."""
    with closing(sqlite3.connect(path)) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608
        content = [
            conn.execute(
                "SELECT id, title, post_date, post_time, status, sequence, campaign_id FROM posts "
                "ORDER BY id"
            ).fetchall(),
            conn.execute("SELECT post_id, tag_id FROM post_tags ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT post_id, channel FROM post_channels ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT id, name FROM tags ORDER BY id").fetchall(),
            conn.execute("SELECT action, entity, entity_id FROM changes ORDER BY id").fetchall(),
        ]
    return counts | {"content": hashlib.sha256(repr(content).encode()).hexdigest()[:16]}
