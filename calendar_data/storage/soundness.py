"""When the app's start may skip `PRAGMA quick_check`: the file is as carecal last left it, closed cleanly.

quick_check reads the whole file: ~50 ms at 50,000 posts and ten times that at 500,000, on
every start, before the month could be painted. It finds damage done while the file was not
in carecal's hands (a crash mid-write, a copy, a disk fault, a program writing into it).
So after a check passes, and again after the app closes its connection cleanly, the file's
identity (device, inode, size, mtime) is noted in the user cache dir; the next start checks
again only when that identity changed or a -wal file is left beside it (a session that did
not end cleanly, or another program still writing). The daily backup checks the file anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from calendar_data.settings import cache_dir, make_private_dirs


def _stamp_file(db_path: Path) -> Path:
    key = hashlib.blake2b(str(Path(db_path).resolve()).encode(), digest_size=10).hexdigest()
    return cache_dir() / "sound" / f"{key}.json"


def _identity(db_path: Path) -> list[int] | None:
    try:
        st = os.stat(db_path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _wal_left(db_path: Path) -> bool:
    try:
        return os.stat(f"{db_path}-wal").st_size > 0
    except OSError:
        return False


def check_due(db_path: str | os.PathLike) -> bool:
    """True unless the file is exactly as it was when last found sound or closed cleanly, with no WAL left."""
    path = Path(db_path)
    if _wal_left(path):
        return True
    try:
        noted = json.loads(_stamp_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return noted != _identity(path)


def note_sound(db_path: str | os.PathLike) -> None:
    """Remember the file as it is now (after a passed check, or once the app closed it cleanly)."""
    path = Path(db_path)
    identity = _identity(path)
    if identity is None or _wal_left(path):
        return
    target = _stamp_file(path)
    try:
        make_private_dirs(target.parent)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(json.dumps(identity), encoding="utf-8")
        partial.replace(target)
    except OSError:  # a read-only cache dir: every start checks, as before
        return
