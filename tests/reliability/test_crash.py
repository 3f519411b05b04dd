"""SIGKILL in the middle of a bulk write leaves a sound database holding all of the write or none of it.

Each scenario runs in a child process (crash_writer.py). Kill points are chosen
two ways: by counting progress (the child kills itself at SQLite progress tick
N, N drawn with a fixed seed over every tick the write has, first and last
included), and by the parent sending SIGKILL after a random delay (fixed seed)
from the moment the write starts, concentrated near its end so commits and WAL
checkpoints are hit too. After every kill the file must pass integrity_check and
foreign_key_check, match exactly the state before or after the write, and take
a new write.
"""

from __future__ import annotations

import random
import shutil
import signal
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from calendar_data.models import Post
from calendar_data.posts import add_post
from calendar_data.storage.connection import transaction
from calendar_data.storage.database import open_db
from tests.reliability.crash_writer import events_ics
from tests.reliability.figures import record
from tests.reliability.support import fingerprint, integrity, run_script, start_script

pytestmark = pytest.mark.slow

# scenario: (progress-counted kill points, timed kill points, VM instructions per tick)
PLAN = {
    "demo": (10, 4, 50),
    "bulk_add": (8, 4, 1000),
    "rename": (10, 4, 20),
    "import": (4, 3, 1000),
}


def _template(scenario: str, folder: Path) -> Path:
    """The database as it is before the write."""
    folder.mkdir()
    path = folder / "calendar.db"
    db = open_db(path)
    if scenario == "rename":
        with transaction(db):
            for i in range(20_000):
                add_post(
                    db,
                    Post(
                        title=f"Flu clinic {i}",
                        day=date(2027, 1 + i % 12, 1 + i % 28),
                        tags=("flu", "clinic") if i % 2 else ("flu",),
                    ),
                    who="seed",
                )
    else:
        for i in range(25):  # something to keep: "none of it" is not an empty file
            add_post(
                db,
                Post(title=f"Existing {i}", day=date(2026, 12, 1 + i), tags=("existing",)),
                who="seed",
            )
    db.close()
    if scenario == "import":
        (folder / "events.ics").write_bytes(events_ics())
    return path


def _copy(template: Path, folder: Path) -> Path:
    folder.mkdir()
    for extra in template.parent.glob("*.ics"):
        shutil.copy(extra, folder / extra.name)
    return Path(shutil.copy(template, folder / template.name))


def _check(path: Path, before: dict, after: dict, where: str) -> str:
    problems = integrity(path)
    assert not problems, f"{where}: {problems}"
    state = fingerprint(path)
    assert state in (before, after), (
        f"{where}: half-written: {state} (before {before}, after {after})"
    )
    db = open_db(path)  # recovers the WAL and takes a new write
    add_post(db, Post(title="after the crash", day=date(2027, 6, 1)))
    db.close()
    assert not integrity(path), where
    return "none" if state == before else "all"


@pytest.mark.parametrize("scenario", list(PLAN))
def test_sigkill_during_bulk_write_leaves_all_or_nothing(scenario, tmp_path):
    counted, timed, tick = PLAN[scenario]
    template = _template(scenario, tmp_path / "template")
    before = fingerprint(template)

    full = _copy(template, tmp_path / "full")
    child = start_script("crash_writer.py", scenario, str(full), "--tick", str(tick), "--ready")
    assert child.stdout.readline().strip() == "writing"
    started = time.monotonic()
    out, err = child.communicate(timeout=300)
    duration = time.monotonic() - started  # how long the write takes here: spreads the timed kills
    assert child.returncode == 0, err
    total = int(out.split()[-1])
    after = fingerprint(full)
    assert after != before and not integrity(full)

    rng = random.Random(f"carecal-crash-{scenario}")
    points = sorted({1, total, *rng.sample(range(2, total), counted - 2)})
    outcomes: Counter[str] = Counter()
    for n, point in enumerate(points):
        path = _copy(template, tmp_path / f"tick-{n}")
        killed = run_script(
            "crash_writer.py", scenario, str(path), "--kill-at", str(point), "--tick", str(tick)
        )
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        outcomes[_check(path, before, after, f"{scenario}: killed at tick {point}/{total}")] += 1
        shutil.rmtree(path.parent)

    kills = 0
    for n in range(timed):
        delay = rng.uniform(0, duration) if n % 2 else rng.uniform(0.8 * duration, 1.1 * duration)
        path = _copy(template, tmp_path / f"timed-{n}")
        child = start_script("crash_writer.py", scenario, str(path), "--ready")
        assert child.stdout.readline().strip() == "writing"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=300)
        kills += child.returncode == -signal.SIGKILL
        outcomes[
            _check(path, before, after, f"{scenario}: killed {delay:.3f}s into the write")
        ] += 1
        shutil.rmtree(path.parent)

    record(
        f"crash/{scenario}",
        kill_points=len(points) + kills,
        counted_kills=len(points),
        timed_kills=kills,
        ticks=total,
        outcomes=dict(outcomes),
        rows_after=after["posts"] - before["posts"],
    )
    assert len(points) + kills >= counted
