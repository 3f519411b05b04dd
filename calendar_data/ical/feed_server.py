"""A read-only subscription server for saved feeds (Outlook "Subscribe from web", Google, Apple).

The app is plain WSGI: each saved feed answers at `/feeds/<token>.ics`, where
the token is the feed's unguessable secret, with `text/calendar`, an ETag and
Last-Modified from `feeds.content_state` (a few indexed queries), and 304 when
the client's copy is current: a 304 never builds the feed. The body is gzipped
when the client accepts it. Logged paths have anything token-like shortened
and control characters escaped, so the log neither leaks a secret nor takes a
forged line. Anything but GET or HEAD gets 405; any
other path 404; a request body of 1 KiB or more 413, and headers of 16 KiB or
more 431, before the app is called (`LIMITS`). A feed's relative scope ("next 90 days") is re-evaluated on
every request with the injected `today`.

Serving is waitress's job (a production WSGI server with no dependencies of
its own, maintained by the Pylons project): HTTP parsing, keep-alive, slow
clients and a bounded thread pool are its problem, not ours; the two things it
lacks (a bound on slow requests, a lingering close) are `feed_connections`. The
module only imports waitress inside `make_server`, so tests can drive the WSGI
app alone.
"""

from __future__ import annotations

import gzip
import ipaddress
import logging
import os
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime

from calendar_data.ical.feed_connections import HEADER_SECONDS, lingering_channel
from calendar_data.ical.feeds import content_state, feed_by_token, feed_bytes, slug
from calendar_data.storage.database import open_db

log = logging.getLogger("carecal.serve")
FEED_PATH = re.compile(r"^/feeds/([A-Za-z0-9_-]{1,64})\.ics$")
ALLOWED = ("GET", "HEAD")


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{12,}")


def _redact(path: str) -> str:
    """The path for the log: every token-like run (12 or more URL-safe characters, wherever it stands:
    `/feeds/TOKEN`, `.ICS`, `.ics/`, `.ics;x`, `.ics%00`...) cut to its first 4, then escaped."""
    return log_safe(_TOKEN_LIKE.sub(lambda m: m[0][:4] + "…", path[:300]))


def log_safe(text: str) -> str:
    """Text that stays on one log line: CR, LF, other control and unprintable characters, backslashes
    and quotes written as escapes (\\x0d), so a request cannot forge a log line."""
    return "".join(
        c
        if c.isprintable() and c not in '\\"'
        else f"\\x{ord(c):02x}"
        if ord(c) < 256
        else f"\\u{ord(c):04x}"
        for c in text
    )


def _accepts_gzip(header: str) -> bool:
    """Whether Accept-Encoding allows gzip (listed, or `*`, with a quality above 0)."""
    allowed = {}
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            allowed[name.strip()] = float(quality) if params else 1.0
        except ValueError:
            allowed[name.strip()] = 0.0
    return allowed.get("gzip", allowed.get("x-gzip", allowed.get("*", 0.0))) > 0


def _etag_matches(header: str, etag: str) -> bool:
    """Whether If-None-Match names this content, gzipped or not (one fingerprint, two encodings)."""
    candidates = [c.strip().removeprefix("W/").replace('-gz"', '"') for c in header.split(",")]
    return any(c in ("*", etag) for c in candidates)


class FeedApp:
    """The WSGI application: one database file, a clock for 'today', and nothing else."""

    def __init__(
        self,
        db_path: str | os.PathLike,
        *,
        today: Callable[[], date],
        data_stamp: Callable[[], datetime | None] = lambda: None,
    ) -> None:
        self.db_path = db_path
        self.today = today
        self.data_stamp = data_stamp
        """Extra 'last changed' time, e.g. the curated observance file's mtime."""

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "")
        status, headers, body = self._respond(method, path, environ)
        length = len(body)
        headers = [*headers, ("Content-Length", str(length))]
        start_response(status, headers)
        log.info(
            '%s "%s %s" %s %d',
            log_safe(environ.get("REMOTE_ADDR", "-")),
            log_safe(method[:16]),
            _redact(path),
            status.split()[0],
            0 if method == "HEAD" else length,
        )
        return [b"" if method == "HEAD" else body]

    def _respond(self, method: str, path: str, environ: dict) -> tuple[str, list, bytes]:
        plain = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if method not in ALLOWED:
            return (
                "405 Method Not Allowed",
                [*plain, ("Allow", ", ".join(ALLOWED))],
                b"read-only: GET or HEAD\n",
            )
        match = FEED_PATH.match(path)
        if not match:
            return "404 Not Found", plain, b"no such feed\n"
        try:
            db = open_db(self.db_path, migrate=False)
        except Exception:  # noqa: BLE001 - a server answers; the log has the detail
            log.exception("cannot open the calendar database")
            return "503 Service Unavailable", plain, b"calendar unavailable\n"
        try:
            feed = feed_by_token(db, match[1])
            if feed is None:
                return "404 Not Found", plain, b"no such feed\n"
            today = self.today()
            state = content_state(db, feed, today, extra=self.data_stamp())
            gzipped = _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
            etag = state.etag[:-1] + '-gz"' if gzipped else state.etag
            headers = [
                ("ETag", etag),
                ("Last-Modified", format_datetime(state.stamp, usegmt=True)),
                ("Cache-Control", "private, no-cache"),
                ("Vary", "Accept-Encoding"),
                ("X-Content-Type-Options", "nosniff"),
            ]
            if self._not_modified(environ, state.etag, state.stamp):
                return "304 Not Modified", headers, b""
            body = feed_bytes(db, feed, today=today, now=state.stamp)
        except Exception:  # noqa: BLE001
            log.exception("cannot build a feed")
            return "500 Internal Server Error", plain, b"cannot build this feed\n"
        finally:
            db.close()
        if gzipped:
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        return (
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", f'inline; filename="{slug(feed.name)}.ics"'),
                *headers,
            ],
            body,
        )

    @staticmethod
    def _not_modified(environ: dict, etag: str, stamp: datetime) -> bool:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:  # RFC 9110: the ETag check wins over the date
            return _etag_matches(if_none_match, etag)
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if not since:
            return False
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return stamp <= moment


LIMITS = {
    # GET and HEAD carry no body: a body of 1 KiB or more gets 413 and is never buffered nor passed on
    # (waitress's default, 1 GB, would be buffered, to disk past 512 KB, before the app could answer 405).
    "max_request_body_size": 1024,
    # The request line and headers: a calendar app sends well under 2 KiB; 16 KiB or more gets 431.
    "max_request_header_size": 16 * 1024,
    # Seconds an idle or stalled connection stays open (waitress: 120); polling clients reconnect.
    "channel_timeout": 30,
    # How often idle connections and slow requests (`HEADER_SECONDS`) are looked for.
    "cleanup_interval": 2,
    # Connections served at once (waitress: 100); more wait in the listen backlog.
    "connection_limit": 50,
}
"""waitress settings that keep a read-only feed server small; see `make_server`."""


def make_server(
    app: FeedApp,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    threads: int = 4,
    limits: dict | None = None,
    header_seconds: float = HEADER_SECONDS,
):
    """A waitress server for `app` (not yet running); `.effective_port` says where it listens.

    It runs with `LIMITS` (or `limits`, for tests), closes connections with a lingering close (see
    `feed_connections.lingering_channel`) and drops any connection whose request takes over `header_seconds` to arrive.
    """
    from waitress.server import BaseWSGIServer, create_server

    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="carecal",
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        **(limits or LIMITS),
    )
    channel = lingering_channel()
    channel.header_seconds = header_seconds
    for listener in [
        server,
        *getattr(server, "map", {}).values(),
    ]:  # one socket, or one per address
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
            listener.maintenance = _bounded_maintenance(listener)
    return server


def _bounded_maintenance(listener):
    """waitress's idle sweep, plus: close connections whose request is taking too long to arrive."""
    idle_sweep = listener.maintenance

    def maintenance(now: float) -> None:
        idle_sweep(now)
        for channel in list(listener.active_channels.values()):
            if getattr(channel, "too_slow", None) and channel.too_slow(now):
                channel.timed_out = channel.will_close = True
                log.info(
                    "%s closed: request not complete after %.0f s",
                    log_safe(str(channel.addr[0])),
                    channel.header_seconds,
                )

    return maintenance


def stop_server(server) -> None:
    """Stop a server running in another thread, from that thread's own loop (no closed-socket races).

    Its worker threads finish the requests they hold first: one finishing after the loop's trigger was
    closed would write to a closed (or, worse, reused) file descriptor.
    """
    server.task_dispatcher.shutdown()
    server.trigger.pull_trigger(server.close)
