"""One `carecal` sync run in its own process, so a test can kill it with SIGKILL at a chosen point.

    python sync_worker.py DB POINT N

POINT names where to stop, N how many times it must be passed first:
`after-put` (the PUT reached the server, its ETag is not yet recorded),
`before-put`, `after-delete`, `after-apply` (a pulled change committed),
`inside-apply` (a pulled change written but its transaction not committed),
`before-push` (the pull and its token saved, nothing sent), `none` (run to the
end; it prints `SYNCING` as the sync starts). At the point the process prints `PAUSED` and sleeps, and the test sends
SIGKILL: no cleanup, no rollback, as if `kill -9` struck there.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime

from calendar_data.storage.database import open_db
from calendar_data.sync import apply, engine, server, sync_now

TODAY = date(2027, 3, 1)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def pause() -> None:
    print("PAUSED", flush=True)
    time.sleep(120)


def arm(point: str, n: int) -> None:
    """Wrap the function that passes `point` so that its n-th pass pauses."""
    count = {"n": 0}

    def hit() -> None:
        count["n"] += 1
        if count["n"] == n:
            pause()

    def wrap(owner, name: str, *, before: bool = False):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            if before:
                hit()
            result = original(*args, **kwargs)
            if not before:
                hit()
            return result

        setattr(owner, name, wrapper)

    if point in ("after-put", "before-put"):
        wrap(server.Server, "put", before=point == "before-put")
    elif point == "after-delete":
        wrap(server.Server, "delete")
    elif point == "after-apply":
        wrap(engine.Run, "apply")
    elif point == "inside-apply":
        wrap(engine, "create_local")
        wrap(engine, "update_local")
    elif point == "before-push":
        wrap(engine.Run, "push", before=True)


def main() -> None:
    path, point, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    arm(point, n)
    db = open_db(path)
    print("SYNCING", flush=True)  # a parent that kills after a random delay starts counting here
    result = sync_now(db, "team", today=TODAY, now=NOW)
    print("DONE", result.pulled, result.pushed, flush=True)


if __name__ == "__main__":
    del apply  # imported so every module is loaded before wrapping
    main()
