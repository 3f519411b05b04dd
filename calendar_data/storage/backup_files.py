"""Every file carecal writes beside a calendar, named in one place, and finding the newest backup.

For a calendar `cal.db`:

- `cal.db-backups/cal-<date>.daily.db`: the daily backup the app makes on start (rotated);
- `cal.db-backups/cal-<time>.before-restore.db`: the calendar as it was before `carecal restore`;
- `cal.db.<time>.before-<step>.bak`: the calendar before a schema migration step;
- `cal-<time>.backup.db`: `carecal backup` without `-o`;
- `cal.db.damaged-<time>` (and `-wal`, `-shm`): a damaged calendar moved aside by a restore;
- `<backup>.partial`: a backup being written (renamed into place when complete).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""

PARTIAL_SUFFIX = ".partial"


def backup_dir(db_path: str | os.PathLike) -> Path:
    """The folder of automatic backups of the calendar at `db_path` (beside it)."""
    path = Path(db_path)
    return path.with_name(path.name + "-backups")


def daily_backup_path(db_path: str | os.PathLike, day: date) -> Path:
    """Where the daily backup of `day` goes."""
    return backup_dir(db_path) / f"{Path(db_path).stem}-{day.isoformat()}.daily.db"


def is_daily_backup(db_path: str | os.PathLike, candidate: Path) -> bool:
    """Whether `candidate` is one of the calendar's daily backups (for rotation)."""
    return candidate.name.startswith(f"{Path(db_path).stem}-") and candidate.name.endswith(
        ".daily.db"
    )


def before_restore_path(db_path: str | os.PathLike, at: datetime) -> Path:
    """Where the calendar is kept before a restore replaces it."""
    return backup_dir(db_path) / f"{Path(db_path).stem}-{at:%Y%m%dT%H%M%S}.before-restore.db"


def migration_backup_path(db_path: str | os.PathLike, step: str, at: datetime) -> Path:
    """Where the calendar is kept before migration step `step` runs."""
    path = Path(db_path)
    return path.with_name(f"{path.name}.{at:%Y%m%dT%H%M%S}.before-{step}.bak")


def manual_backup_path(db_path: str | os.PathLike, at: datetime) -> Path:
    """The default file of `carecal backup` (beside the calendar)."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}-{at:%Y%m%dT%H%M%S}.backup.db")


def damaged_path(db_path: str | os.PathLike, at: datetime) -> Path:
    """Where a damaged calendar is moved aside (its -wal and -shm follow with their suffixes)."""
    path = Path(db_path)
    return path.with_name(f"{path.name}.damaged-{at:%Y%m%dT%H%M%S}")


def partial_path(destination: Path) -> Path:
    """The temporary name a backup is written under until it is complete."""
    return destination.with_name(destination.name + PARTIAL_SUFFIX)


def calendar_files(db_path: str | os.PathLike) -> set[Path]:
    """The calendar and its -wal/-shm, resolved: never a valid output path for anything else."""
    path = Path(db_path).resolve()
    return {path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")}


def latest_backup(db_path: str | os.PathLike) -> Path | None:
    """The newest backup carecal made of `db_path` (daily, before a migration or restore, or `carecal backup`)."""
    path = Path(db_path)
    found = []
    if backup_dir(path).is_dir():
        found += [p for p in backup_dir(path).iterdir() if p.name.endswith(".db")]
    if path.parent.is_dir():
        found += [
            p
            for p in path.parent.iterdir()
            if (p.name.startswith(path.name + ".") and p.name.endswith(".bak"))
            or (p.name.startswith(path.stem + "-") and p.name.endswith(".backup.db"))
        ]
    candidates = []
    for candidate in found:
        try:
            with candidate.open("rb") as handle:
                if handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
                    candidates.append((candidate.stat().st_mtime_ns, candidate.name, candidate))
        except OSError:
            continue
    return max(candidates)[2] if candidates else None


def all_backups(db_path: str | os.PathLike) -> list[Path]:
    """Every copy carecal made of `db_path` beside it (daily, before a migration or restore, `carecal backup`
    without -o, damaged files moved aside), oldest name first. A backup written elsewhere with -o is not known."""
    path = Path(db_path)
    found: list[Path] = []
    if backup_dir(path).is_dir():
        found += [p for p in backup_dir(path).iterdir() if p.is_file()]
    if path.parent.is_dir():
        found += [
            p
            for p in path.parent.iterdir()
            if p.is_file()
            and (
                (
                    p.name.startswith(path.name + ".")
                    and (p.name.endswith(".bak") or ".damaged-" in p.name)
                )
                or (p.name.startswith(path.stem + "-") and p.name.endswith(".backup.db"))
            )
        ]
    return sorted(found)
