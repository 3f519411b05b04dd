"""The feed server's figure (issue 14): a 304 costs a fraction of building the feed.

Both requests go through the WSGI app in this process, against a copy of the bench database with
one saved feed of the bench year: a full GET (the 200 builds and serialises every event) and a
conditional GET with the ETag it returned (the 304 is decided from `feeds.content_state`, without
building). Run in-process so the figure is the app's work, not a socket's.
"""

from __future__ import annotations

import shutil
import statistics
import time
from datetime import date

from benchmarks.measure import Figure, Group

REQUESTS = 5
"""Requests of each kind per run; the run's sample is their median."""


def _call(app, path: str, headers: dict) -> tuple[str, dict]:
    got = {}

    def start_response(status, header_list):
        got["status"], got["headers"] = status, dict(header_list)

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "REMOTE_ADDR": "127.0.0.1", **headers}
    b"".join(app(environ, start_response))
    return got["status"], got["headers"]


def _timed(app, path: str, headers: dict, status: str) -> float:
    samples = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        got, _ = _call(app, path, headers)
        samples.append(time.perf_counter() - began)
        if not got.startswith(status):
            raise RuntimeError(f"feed request answered {got}, expected {status}")
    return statistics.median(samples)


def feed_group(ctx) -> Group:
    """A saved feed of the bench year: a 304 against a full 200."""
    state: dict = {}

    def setup() -> None:
        from calendar_data.ical.feed_server import FeedApp
        from calendar_data.ical.feeds import Feed, Scope, add_feed
        from calendar_data.storage.database import open_db

        target = ctx.workdir / "feed-bench.db"
        shutil.copy(ctx.db, target)
        db = open_db(target)
        try:
            feed = add_feed(db, Feed("bench year", Scope(date(ctx.year, 1, 1), date(ctx.year, 12, 31))))
        finally:
            db.close()
        app = FeedApp(target, today=lambda: date(ctx.year, 3, 1))
        _, headers = _call(app, feed.url_path, {})
        state.update(app=app, path=feed.url_path, etag=headers["ETag"])

    def run(index: int) -> dict[str, float]:
        app, path = state["app"], state["path"]
        full = _timed(app, path, {}, "200")
        cached = _timed(app, path, {"HTTP_IF_NONE_MATCH": state["etag"]}, "304")
        return {"304": cached, "200": full}

    return Group("feed", [
        Figure("feed 304", "304", "200", "s", 0.1, "a full 200 of the same feed",
               note=f"wall time in-process, median of {REQUESTS} requests, a year feed of the bench calendar"),
    ], run, runs=1 if ctx.quick else 5, setup=setup)
