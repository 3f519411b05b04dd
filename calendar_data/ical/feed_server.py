"""A read-only subscription server for saved feeds (Outlook "Subscribe from web", Google, Apple).

The app is plain WSGI: each saved feed answers at `/feeds/<token>.ics`, where
the token is the feed's unguessable secret, with `text/calendar`, an ETag (a
hash of the body) and Last-Modified (when the calendar last changed), and 304
when the client's copy is current. Anything but GET or HEAD gets 405; any
other path 404; a request body of 1 KiB or more 413, and headers of 16 KiB or
more 431, before the app is called (`LIMITS`). A feed's relative scope ("next 90 days") is re-evaluated on
every request with the injected `today`.

Serving is waitress's job (a production WSGI server with no dependencies of
its own, maintained by the Pylons project): HTTP parsing, keep-alive, slow
clients and a bounded thread pool are its problem, not ours. The module only
imports waitress inside `make_server`, so tests can drive the WSGI app alone.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import socket
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime

from calendar_data.ical.feeds import content_stamp, feed_by_token, feed_bytes, slug
from calendar_data.storage.changelog import last_change_id
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


def _redact(path: str) -> str:
    """The path with the feed token shortened, so logs do not leak subscription secrets."""
    match = FEED_PATH.match(path)
    return f"/feeds/{match[1][:4]}….ics" if match else path[:200]


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [c.strip() for c in header.split(",")]
    return any(c == "*" or c.removeprefix("W/") == etag for c in candidates)


class FeedApp:
    """The WSGI application: one database file, a clock for 'today', and nothing else."""

    def __init__(self, db_path: str | os.PathLike, *, today: Callable[[], date],
                 data_stamp: Callable[[], datetime | None] = lambda: None) -> None:
        self.db_path = db_path
        self.today = today
        self.data_stamp = data_stamp
        """Extra 'last changed' time, e.g. the curated observance file's mtime."""
        self._etags: dict[tuple, str] = {}
        """ETag of the body last built for each (feed, version, stamp, change, day): a client whose copy
        is current gets its 304 without the feed being built again (~0.02x the work of a 200)."""

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "")
        status, headers, body = self._respond(method, path, environ)
        length = len(body)
        headers = [*headers, ("Content-Length", str(length))]
        start_response(status, headers)
        log.info('%s "%s %s" %s %d', environ.get("REMOTE_ADDR", "-"), method, _redact(path),
                 status.split()[0], 0 if method == "HEAD" else length)
        return [b"" if method == "HEAD" else body]

    def _respond(self, method: str, path: str, environ: dict) -> tuple[str, list, bytes]:
        plain = [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]
        if method not in ALLOWED:
            return "405 Method Not Allowed", [*plain, ("Allow", ", ".join(ALLOWED))], b"read-only: GET or HEAD\n"
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
            stamp = content_stamp(db, feed, today, extra=self.data_stamp())
            # Everything the body is built from, as Last-Modified already trusts it: the feed as saved,
            # the newest logged change (by id, finer than its second), and the day for a moving window.
            key = (feed.token, feed.updated_at, stamp, last_change_id(db), today if feed.scope.relative else None)
            known = self._etags.get(key)
            if known is not None and self._not_modified(environ, known, stamp):
                return "304 Not Modified", _validators(known, stamp), b""
            body = feed_bytes(db, feed, today=today, now=stamp)
        except Exception:  # noqa: BLE001
            log.exception("cannot build a feed")
            return "500 Internal Server Error", plain, b"cannot build this feed\n"
        finally:
            db.close()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if len(self._etags) >= 256:  # bounded: one entry per feed is what matters
            self._etags.clear()
        self._etags[key] = etag
        headers = _validators(etag, stamp)
        if self._not_modified(environ, etag, stamp):
            return "304 Not Modified", headers, b""
        return "200 OK", [("Content-Type", "text/calendar; charset=utf-8"),
                          ("Content-Disposition", f'inline; filename="{slug(feed.name)}.ics"'), *headers], body

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


def _validators(etag: str, stamp: datetime) -> list[tuple[str, str]]:
    return [
        ("ETag", etag),
        ("Last-Modified", format_datetime(stamp, usegmt=True)),
        ("Cache-Control", "private, no-cache"),
        ("X-Content-Type-Options", "nosniff"),
    ]


LIMITS = {
    # GET and HEAD carry no body: a body of 1 KiB or more gets 413 and is never buffered nor passed on
    # (waitress's default, 1 GB, would be buffered, to disk past 512 KB, before the app could answer 405).
    "max_request_body_size": 1024,
    # The request line and headers: a calendar app sends well under 2 KiB; 16 KiB or more gets 431.
    "max_request_header_size": 16 * 1024,
    # Seconds an idle or stalled connection stays open (waitress: 120); polling clients reconnect.
    "channel_timeout": 30,
    "cleanup_interval": 10,
    # Connections served at once (waitress: 100); more wait in the listen backlog.
    "connection_limit": 50,
}
"""waitress settings that keep a read-only feed server small; see `make_server`."""


LINGER_SECONDS = 2.0
LINGER_BYTES = 8 * 1024 * 1024


def _lingering_channel():
    """waitress's connection class, closing the way nginx and Apache do ("lingering close").

    When the server ends a connection (after a 413 or 431, say) the client may still be sending the body
    it was refused. Closing the socket with those bytes unread makes the kernel answer with a reset, and the
    client loses the 413 already on its way: it sees "connection reset" or "broken pipe" instead. So when
    the server ends a connection it shuts down its sending side only, reads and discards what still
    arrives, up to `LINGER_BYTES` or `LINGER_SECONDS`, whichever comes first, and closes when the client
    has hung up. Nothing read while lingering is kept or parsed. A client that hangs up first is closed
    at once.
    """
    from waitress.channel import HTTPChannel

    class LingeringChannel(HTTPChannel):
        linger_until = 0.0
        discarded = 0
        writing = False

        def handle_write(self):
            self.writing = True  # a close from here is the server's own decision, after its answer went out
            try:
                return super().handle_write()
            finally:
                self.writing = False

        def handle_close(self):
            # Linger only when the server ends the connection; when the client has gone (end of file or a
            # reset, seen while reading) close at once, as waitress does.
            if not self.writing or self.linger_until or not self.connected or self.socket is None:
                return super().handle_close()
            try:
                self.socket.shutdown(socket.SHUT_WR)
            except OSError:
                return super().handle_close()
            self.will_close = self.close_when_flushed = False
            self.linger_until = time.monotonic() + LINGER_SECONDS
            return None

        def readable(self):
            if not self.linger_until:
                return super().readable()
            if time.monotonic() >= self.linger_until:
                super().handle_close()
                return False
            return True

        def writable(self):
            return False if self.linger_until else super().writable()

        def handle_read(self):
            if not self.linger_until:
                return super().handle_read()
            try:
                data = self.recv(64 * 1024)  # b"" when the client has closed: recv() then closes too
            except OSError:
                data = b""
            self.discarded += len(data)
            if self.connected and (not data or self.discarded >= LINGER_BYTES):
                super().handle_close()
            return None

    return LingeringChannel


def make_server(app: FeedApp, *, host: str = "127.0.0.1", port: int = 8765, threads: int = 4):
    """A waitress server for `app` (not yet running); `.effective_port` says where it listens.

    It runs with `LIMITS` and closes connections with a lingering close (see `_lingering_channel`).
    """
    from waitress.server import BaseWSGIServer, create_server

    server = create_server(app, host=host, port=port, threads=threads, ident="carecal",
                           expose_tracebacks=False, clear_untrusted_proxy_headers=True, **LIMITS)
    channel = _lingering_channel()
    for listener in [server, *getattr(server, "map", {}).values()]:  # one socket, or one per address
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    return server


def stop_server(server) -> None:
    """Stop a server running in another thread, from that thread's own loop (no closed-socket races).

    Its worker threads finish the requests they hold first: one finishing after the loop's trigger was
    closed would write to a closed (or, worse, reused) file descriptor.
    """
    server.task_dispatcher.shutdown()
    server.trigger.pull_trigger(server.close)
