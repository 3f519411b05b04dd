"""The feed server under issue 14: cheap 304s, gzip, redacted one-line logs, slow clients bounded."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import logging
import socket
import threading
import time
from datetime import date

import pytest

import calendar_data.ical.feed_server as feed_server
from calendar_data.ical.feed_server import LIMITS, FeedApp, make_server, stop_server
from calendar_data.ical.feeds import Feed, Scope, add_feed
from tests.ics_support import fill_calendar


@pytest.fixture
def app(db, db_path, small_list):
    fill_calendar(db)
    feed = add_feed(db, Feed("Q1 for Outlook", Scope(date(2027, 1, 1), date(2027, 3, 31))))
    return FeedApp(db_path, today=lambda: date(2027, 2, 1)), feed


def _call(app: FeedApp, path: str, **headers) -> tuple[str, dict, bytes]:
    got = {}

    def start_response(status, header_list):
        got["status"], got["headers"] = status, dict(header_list)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "REMOTE_ADDR": "127.0.0.1",
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    body = b"".join(app(environ, start_response))
    return got["status"], got["headers"], body


def test_a_304_does_not_build_the_feed(app, monkeypatch):
    server_app, feed = app
    _, headers, _ = _call(server_app, feed.url_path)

    def no_build(*args, **kwargs):
        raise AssertionError("a 304 must not build the feed")

    monkeypatch.setattr(feed_server, "feed_bytes", no_build)
    status, again, body = _call(server_app, feed.url_path, if_none_match=headers["ETag"])
    assert (status, body) == ("304 Not Modified", b"") and again["ETag"] == headers["ETag"]
    status, _, _ = _call(server_app, feed.url_path, if_modified_since=headers["Last-Modified"])
    assert status == "304 Not Modified"


def test_gzip_when_the_client_accepts_it(app):
    server_app, feed = app
    _, plain_headers, plain = _call(server_app, feed.url_path)
    status, headers, body = _call(server_app, feed.url_path, accept_encoding="br, gzip;q=0.8")
    assert (
        status == "200 OK"
        and headers["Content-Encoding"] == "gzip"
        and headers["Vary"] == "Accept-Encoding"
    )
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 2
    assert headers["ETag"] != plain_headers["ETag"]
    assert (
        _call(server_app, feed.url_path, if_none_match=headers["ETag"], accept_encoding="gzip")[0]
        == "304 Not Modified"
    )
    assert "Content-Encoding" not in _call(server_app, feed.url_path, accept_encoding="gzip;q=0")[1]


@pytest.mark.parametrize(
    "shape",
    [
        "/feeds/{t}",
        "/feeds/{t}.ICS",
        "/feeds/{t}.ics/",
        "/feeds/{t}.ics;x",
        "/feeds/{t}.ics\x00",
        "/x/{t}",
        "/feeds/{t}.ics",
    ],
)
def test_the_token_never_reaches_the_log(app, caplog, shape):
    server_app, feed = app
    caplog.set_level(logging.INFO, logger="carecal.serve")
    _call(server_app, shape.format(t=feed.token))
    [record] = [r for r in caplog.records if r.name == "carecal.serve"]
    assert feed.token not in record.getMessage() and feed.token[:12] not in record.getMessage()
    assert feed.token[:4] + "…" in record.getMessage()


def test_crlf_and_control_characters_are_escaped_in_the_log(app, caplog):
    server_app, _ = app
    caplog.set_level(logging.INFO, logger="carecal.serve")
    _call(server_app, '/x\r\n127.0.0.1 "GET /forged" 200 0\x1b[2J')
    [record] = [r for r in caplog.records if r.name == "carecal.serve"]
    message = record.getMessage()
    assert "\r" not in message and "\n" not in message and "\x1b" not in message
    assert "\\x0d\\x0a" in message and "\\x22GET /forged\\x22" in message


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=8)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_slow_header_senders_are_cut_off_and_real_clients_still_served(app):
    """Five clients trickle a header line every 0.3 s into a server that holds five connections; the
    server drops each once its request has taken over 1 s, so a real subscriber gets its feed."""
    server_app, feed = app
    limits = {**LIMITS, "connection_limit": 5, "cleanup_interval": 1}
    server = make_server(
        server_app, host="127.0.0.1", port=0, threads=2, limits=limits, header_seconds=1.0
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    slow, stop = [], threading.Event()
    try:
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", server.effective_port), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)

        def trickle():
            while not stop.is_set():
                for sock in slow:
                    with contextlib.suppress(OSError):
                        sock.sendall(b"X-Slow: 1\r\n")
                stop.wait(0.3)

        threading.Thread(target=trickle, daemon=True).start()
        time.sleep(0.3)
        began = time.monotonic()
        assert _get(server.effective_port, feed.url_path) == 200
        assert time.monotonic() - began < 6
        closed = 0
        for sock in slow:
            sock.settimeout(0.5)
            try:
                closed += sock.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == 5
    finally:
        stop.set()
        for sock in slow:
            sock.close()
        stop_server(server)
        thread.join(timeout=5)
