"""A damaged calendar is reported (file named, one line), never overwritten, and the app offers the latest backup."""

from __future__ import annotations

import hashlib
import random
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from calendar_data.models import Post
from calendar_data.posts import add_post
from calendar_data.storage.backup_files import backup_dir
from calendar_data.storage.backups import daily_backup
from calendar_data.storage.connection import check_integrity
from calendar_data.storage.database import open_db
from calendar_data.storage.errors import DamagedDatabaseError
from tests.reliability.figures import record
from tests.reliability.support import fingerprint, integrity
from tui.cli.entry import main

DAY = date(2026, 11, 21)
DETECTED_ON_OPEN = [
    "truncated-half",
    "truncated-header",
    "random-bytes",
    "text-file",
    "empty-with-backups",
]
DAMAGE = [*DETECTED_ON_OPEN, "pages-overwritten"]


def _calendar(path: Path, posts: int = 1000) -> None:
    db = open_db(path)
    with db.atomic():
        for i in range(posts):
            add_post(
                db,
                Post(
                    title=f"Post {i}",
                    day=date(2027, 1 + i % 12, 1 + i % 28),
                    body="x" * 200,
                    tags=(f"tag-{i % 40}",),
                ),
            )
    daily_backup(db, path, today=DAY, keep=7)
    db.close()


def damage(path: Path, kind: str) -> None:
    data = path.read_bytes()
    rng = random.Random(kind)
    if kind == "truncated-half":
        data = data[: len(data) // 2]
    elif kind == "truncated-header":
        data = data[:60]
    elif kind == "random-bytes":
        data = rng.randbytes(len(data))
    elif kind == "text-file":
        data = b"Q1 plan: flu clinics, heart month\n" * 20
    elif kind == "pages-overwritten":  # the header is fine; the posts' pages are noise
        middle = len(data) // 3
        data = data[:middle] + rng.randbytes(4096 * 20) + data[middle + 4096 * 20 :]
    elif kind == "empty-with-backups":
        data = b""
    path.write_bytes(data)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(request, db_path: Path) -> Path:
    _calendar(db_path)
    damage(db_path, request.param)
    return db_path


@pytest.fixture
def fake_app(monkeypatch):
    opened = []
    monkeypatch.setattr("tui.app.CarecalApp.run", lambda self: opened.append(self.db))
    return opened


def invoke(db_path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(
        main, ["--today", DAY.isoformat(), "--db", str(db_path), *args], input=input
    )


@pytest.mark.parametrize("damaged", DETECTED_ON_OPEN, indirect=True)
@pytest.mark.parametrize(
    "command",
    [
        ("posts", "list"),
        ("posts", "add", "--title", "x", "--date", "2027-01-01"),
        ("tags",),
        ("backup",),
        (),
    ],
)
def test_damaged_file_is_reported_by_name_and_never_written(damaged, command, fake_app):
    before = digest(damaged)
    result = invoke(damaged, *command)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(damaged) in errors[0] and "Traceback" not in result.output
    assert "carecal restore" in errors[0]  # the way back, with the latest backup named
    assert digest(damaged) == before and not fake_app
    assert not any(p.name.startswith(damaged.name + ".damaged") for p in damaged.parent.iterdir())


@pytest.mark.parametrize("damaged", ["pages-overwritten"], indirect=True)
def test_damage_inside_pages_is_found_by_the_checks_and_by_reading(damaged, fake_app):
    db = open_db(damaged)  # the schema pages are intact: opening alone cannot tell
    with pytest.raises(DamagedDatabaseError, match="damaged"):
        check_integrity(db)
    with pytest.raises(DamagedDatabaseError):
        daily_backup(
            db, damaged, today=date(2026, 11, 22), keep=7
        )  # good backups are not rotated out
    db.close()
    assert len(list(backup_dir(damaged).iterdir())) == 1
    before = digest(damaged)
    for command in (
        ("posts", "list"),
        ("backup",),
        (),
    ):  # reading every post, a backup, the app's start
        result = invoke(damaged, *command)
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert result.exit_code == 2 and len(errors) == 1 and str(damaged) in errors[0], (
            result.output
        )
        assert "carecal restore" in errors[0] and "Traceback" not in result.output
    assert digest(damaged) == before and not fake_app


@pytest.mark.parametrize("damaged", DAMAGE, indirect=True)
def test_app_on_a_terminal_offers_the_latest_backup_and_keeps_the_damaged_file(
    damaged, fake_app, monkeypatch
):
    monkeypatch.setattr("tui.cli.backup._interactive", lambda: True)
    backup_file = next(backup_dir(damaged).iterdir())
    before = digest(damaged)
    declined = invoke(damaged, input="n\n")
    assert (
        declined.exit_code == 2 and f"restore the latest backup {backup_file}?" in declined.output
    )
    assert digest(damaged) == before and not fake_app

    accepted = invoke(damaged, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert len(fake_app) == 1  # the app opened on the restored calendar
    assert not integrity(damaged) and fingerprint(damaged) == fingerprint(backup_file)
    aside = [p for p in damaged.parent.iterdir() if p.name.startswith(damaged.name + ".damaged-")]
    assert [digest(p) for p in aside if not p.name.endswith(("-wal", "-shm"))] == [before]


@pytest.mark.parametrize("damaged", ["random-bytes"], indirect=True)
def test_app_without_a_terminal_prints_the_restore_command_and_exits_2(damaged, fake_app):
    result = invoke(damaged)
    assert result.exit_code == 2 and "carecal restore --db" in result.output and not fake_app


def test_damaged_file_without_any_backup_is_reported(tmp_path, fake_app):
    path = tmp_path / "lost.db"
    path.write_bytes(random.Random(3).randbytes(9000))
    result = invoke(path)
    assert result.exit_code == 2 and "no backup of it was found" in result.output and not fake_app
    record("damaged-files", kinds=len(DAMAGE) + 1, commands_each=5, overwritten=0)
