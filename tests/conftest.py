"""Shared fixtures: every test runs with private data and config dirs and a fixed clock.

Fixtures used by more than one test module live here, once: the calendar file (`db_path`,
`db`), the small observance list, the seeded November calendar the app tests open
(`seeded`), and the CLI runner (`run`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from calendar_data.storage.database import open_db
from tui.cli.entry import main

TODAY = date(2026, 11, 21)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs and carecal's env overrides at tmp_path: no test touches a real path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    for name in ("CARECAL_DB", "CARECAL_TODAY", "CARECAL_AWARENESS_FILE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh calendar file."""
    return tmp_path / "calendar.db"


@pytest.fixture
def db(db_path: Path):
    """A fresh, migrated calendar database."""
    database = open_db(db_path)
    yield database
    database.close()


SMALL_LIST = Path(__file__).parent / "data" / "awareness_small.yaml"


@pytest.fixture
def small_list(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Use the small hand-checked observance list instead of the shipped one."""
    monkeypatch.setenv("CARECAL_AWARENESS_FILE", str(SMALL_LIST))
    return SMALL_LIST


@pytest.fixture
def seeded(db_path: Path, small_list: Path) -> Path:
    """The seeded November calendar the app tests open (see tests/functional/test_app_support.py)."""
    from tests.functional.test_app_support import seeded_calendar

    return seeded_calendar(db_path)


@pytest.fixture
def run(db_path: Path):
    """`carecal ARGS` on the test's calendar with today fixed: run(*args, today=..., input=...).

    The calendar is given with the group's --db unless the arguments start with their own --db.
    """
    runner = CliRunner()

    def invoke(*args: str, today: str = TODAY.isoformat(), input: str | None = None):
        chosen = [] if args and args[0] == "--db" else ["--db", str(db_path)]
        return runner.invoke(
            main, ["--today", today, *chosen, *args], input=input, catch_exceptions=False
        )

    return invoke
