"""Feed requests against carecal's own WSGI app, in one process: a 200, a 304, and the export floor.

Usage: python feed_requests.py CALENDAR.db TOKEN START END ROUNDS
Prints JSON: CPU seconds per request for a 200 (no validator) and a 304 (the ETag of the 200), and
for `export_bytes` of the same range (what `carecal export` does, without starting a process).
The server opens the calendar on every request, as `carecal serve` does.
"""

import json
import sys
import time
from datetime import date

from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.ical.feed_server import FeedApp
from calendar_data.storage.connection import utcnow
from calendar_data.storage.database import open_db


def get(app, path, etag=None):
    seen = {}
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    body = b"".join(
        app(environ, lambda status, headers: seen.update(status=status, headers=dict(headers)))
    )
    return seen["status"], seen["headers"], body


def main():
    db_path, token, start, end, rounds = (
        sys.argv[1],
        sys.argv[2],
        sys.argv[3],
        sys.argv[4],
        int(sys.argv[5]),
    )
    app = FeedApp(db_path, today=lambda: date.fromisoformat(start))
    path = f"/feeds/{token}.ics"
    status, headers, body = get(app, path)  # warm-up: imports, caches
    if not status.startswith("200") or body.count(b"BEGIN:VEVENT") < 100:
        raise SystemExit(f"feed answered {status} with {body.count(b'BEGIN:VEVENT')} events")
    fresh, current, export = [], [], []
    for _ in range(rounds):
        t = time.process_time()
        status, headers, body = get(app, path)
        fresh.append(time.process_time() - t)
        t = time.process_time()
        again, _, empty = get(app, path, headers["ETag"])
        current.append(time.process_time() - t)
        if not again.startswith("304") or empty:
            raise SystemExit(f"a current ETag got {again}")
        t = time.process_time()
        db = open_db(db_path, migrate=False)
        data = export_bytes(
            db, ExportSpec(date.fromisoformat(start), date.fromisoformat(end)), now=utcnow()
        )
        db.close()
        export.append(time.process_time() - t)
    events = body.count(b"BEGIN:VEVENT")
    print(
        json.dumps(
            {
                "200": min(fresh),
                "304": min(current),
                "export": min(export),
                "events": events,
                "export_events": data.count(b"BEGIN:VEVENT"),
            }
        )
    )


if __name__ == "__main__":
    main()
