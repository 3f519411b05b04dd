"""The subscription server, over real HTTP on 127.0.0.1 (port 0), with http.client as the calendar app."""

from __future__ import annotations

import http.client
import logging
import threading
from dataclasses import replace
from datetime import date, timedelta

import icalendar
import pytest

from calendar_data.ical.feed_server import LIMITS, FeedApp, is_loopback, make_server, stop_server
from calendar_data.ical.feeds import Feed, Scope, add_feed
from calendar_data.posts import update_post
from calendar_data.storage.connection import utcnow
from tests.ics_support import fill_calendar


@pytest.fixture
def served(db, db_path, small_list):
    saved = fill_calendar(db)
    quarter = add_feed(db, Feed("Q1 for Outlook", Scope(date(2027, 1, 1), date(2027, 3, 31))))
    rolling = add_feed(db, Feed("Next 30 days", Scope(next_days=30), include=("observances",)))
    clock = {"today": date(2027, 2, 1)}
    server = make_server(
        FeedApp(db_path, today=lambda: clock["today"]), host="127.0.0.1", port=0, threads=2
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield {
            "port": server.effective_port,
            "quarter": quarter,
            "rolling": rolling,
            "clock": clock,
            "posts": saved,
        }
    finally:
        stop_server(server)
        thread.join(timeout=5)
        assert not thread.is_alive()


def _request(port: int, method: str, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_a_feed_is_served_as_text_calendar(served):
    status, headers, body = _request(served["port"], "GET", served["quarter"].url_path)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["ETag"].startswith('"') and headers["Last-Modified"].endswith("GMT")
    assert int(headers["Content-Length"]) == len(body)
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["X-WR-CALNAME"] == "Q1 for Outlook"
    assert len(calendar.walk("VEVENT")) > 3


def test_unchanged_feed_answers_304_to_etag_and_date(served):
    path = served["quarter"].url_path
    _, headers, body = _request(served["port"], "GET", path)
    status, again, rest = _request(served["port"], "GET", path, {"If-None-Match": headers["ETag"]})
    assert (status, rest) == (304, b"") and again["ETag"] == headers["ETag"]
    status, _, _ = _request(
        served["port"], "GET", path, {"If-Modified-Since": headers["Last-Modified"]}
    )
    assert status == 304
    status, _, second = _request(served["port"], "GET", path, {"If-None-Match": '"something-else"'})
    assert status == 200 and second == body


def test_a_change_gives_a_new_etag(served, db):
    path = served["quarter"].url_path
    _, headers, _ = _request(served["port"], "GET", path)
    flu = served["posts"]["flu"]
    update_post(db, replace(flu, title="Flu clinic: new time"), now=utcnow() + timedelta(seconds=5))
    status, changed, body = _request(
        served["port"], "GET", path, {"If-None-Match": headers["ETag"]}
    )
    assert status == 200 and changed["ETag"] != headers["ETag"]
    assert b"Flu clinic: new time" in body


def test_a_relative_scope_is_evaluated_at_request_time(served):
    path = served["rolling"].url_path
    _, _, february = _request(served["port"], "GET", path)
    served["clock"]["today"] = date(2027, 4, 20)
    _, _, april = _request(served["port"], "GET", path)
    assert b"American Heart Month" in february and b"American Heart Month" not in april
    assert b"World Immunization Week" in april


def test_unknown_tokens_and_paths_are_404(served):
    assert _request(served["port"], "GET", "/feeds/" + "A" * 32 + ".ics")[0] == 404
    assert _request(served["port"], "GET", "/")[0] == 404
    assert _request(served["port"], "GET", "/feeds/")[0] == 404
    status, _, body = _request(
        served["port"], "GET", served["quarter"].url_path.replace(".ics", ".txt")
    )
    assert status == 404 and b"BEGIN:VCALENDAR" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head_are_allowed(served, method):
    status, headers, _ = _request(served["port"], method, served["quarter"].url_path)
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def test_head_has_headers_and_no_body(served):
    _, got, body = _request(served["port"], "GET", served["quarter"].url_path)
    status, headers, empty = _request(served["port"], "HEAD", served["quarter"].url_path)
    assert status == 200 and empty == b""
    assert headers["ETag"] == got["ETag"] and int(headers["Content-Length"]) == len(body)


def test_requests_are_logged_without_the_whole_token(served, caplog):
    caplog.set_level(logging.INFO, logger="carecal.serve")
    _request(served["port"], "GET", served["quarter"].url_path)
    [record] = [r for r in caplog.records if r.name == "carecal.serve"]
    assert "GET" in record.getMessage() and "200" in record.getMessage()
    assert served["quarter"].token not in record.getMessage()


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")


def _send_body(port: int, size: int, method: str = "POST") -> int | str:
    """The status a request with a `size`-byte body gets, or the socket error's name."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, "/feeds/x.ics", body=b"x" * size)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError as exc:
        return type(exc).__name__
    finally:
        connection.close()


def test_request_bodies_and_headers_are_limited(served):
    port = served["port"]
    assert (
        LIMITS["max_request_body_size"] == 1024 and LIMITS["max_request_header_size"] == 16 * 1024
    )
    assert (
        _send_body(port, 1023) == 405
    )  # small enough to reach the app, which allows GET and HEAD only
    assert _send_body(port, 1024) == 413 and _send_body(port, 64 * 1024) == 413
    assert (
        _send_body(port, 100, method="GET") == 404
    )  # a GET with a body: read, then the path is unknown
    assert _request(port, "GET", served["quarter"].url_path, {"X-Pad": "a" * 15_000})[0] == 200
    assert _request(port, "GET", served["quarter"].url_path, {"X-Pad": "a" * 17_000})[0] == 431
    assert _request(port, "GET", served["quarter"].url_path, {"X-Pad": "a" * 300_000})[0] == 431


def test_a_client_still_sending_a_refused_body_reads_the_413(served):
    # The client writes all 2 MB before it reads the answer; the server reads and drops the rest
    # (a lingering close) instead of resetting the connection under it.
    assert [_send_body(served["port"], 2 * 1024 * 1024) for _ in range(10)] == [413] * 10
    status, _, body = _request(served["port"], "GET", served["quarter"].url_path)
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
