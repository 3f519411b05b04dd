"""A current client's 304 is answered without building the feed; any change builds it again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

import calendar_data.ical.feed_server as server
from calendar_data.ical.feed_server import FeedApp
from calendar_data.ical.feeds import Feed, Scope, add_feed
from calendar_data.posts import update_post
from tests.ics_support import fill_calendar


@pytest.fixture
def app(db, db_path, small_list, monkeypatch):
    posts = fill_calendar(db)
    feed = add_feed(db, Feed("Q1", Scope(date(2027, 1, 1), date(2027, 3, 31))))
    rolling = add_feed(db, Feed("Soon", Scope(next_days=30), include=("observances",)))
    clock = {"today": date(2027, 2, 1)}
    built = []
    real = server.feed_bytes

    def counting(*args, **kwargs):
        built.append(args[1].name)
        return real(*args, **kwargs)

    monkeypatch.setattr(server, "feed_bytes", counting)
    return {
        "app": FeedApp(db_path, today=lambda: clock["today"]),
        "feed": feed,
        "rolling": rolling,
        "built": built,
        "clock": clock,
        "posts": posts,
        "db": db,
    }


def _get(app: FeedApp, path: str, **headers) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, header_list):
        answer["status"], answer["headers"] = status, dict(header_list)

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path} | {
        f"HTTP_{k.upper()}": v for k, v in headers.items()
    }
    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def test_a_current_etag_gets_304_without_building(app):
    path = app["feed"].url_path
    status, headers, body = _get(app["app"], path)
    assert status.startswith("200") and b"BEGIN:VEVENT" in body and app["built"] == ["Q1"]
    again, again_headers, empty = _get(app["app"], path, if_none_match=headers["ETag"])
    assert again.startswith("304") and empty == b"" and app["built"] == ["Q1"]
    assert (
        again_headers["ETag"] == headers["ETag"]
        and again_headers["Last-Modified"] == headers["Last-Modified"]
    )
    stale, _, _ = _get(app["app"], path, if_none_match='"not-this-one"')
    assert stale.startswith("200") and app["built"] == ["Q1", "Q1"]


def test_a_write_builds_the_feed_again(app):
    path = app["feed"].url_path
    _, headers, before = _get(app["app"], path)
    flu = app["posts"]["flu"]
    update_post(app["db"], replace(flu, title="Flu clinic moved"))
    status, after_headers, after = _get(app["app"], path, if_none_match=headers["ETag"])
    assert status.startswith("200") and b"Flu clinic moved" in after and after != before
    assert after_headers["ETag"] != headers["ETag"]


def test_a_moving_window_is_built_again_the_next_day(app):
    path = app["rolling"].url_path
    _, headers, _ = _get(app["app"], path)
    assert _get(app["app"], path, if_none_match=headers["ETag"])[0].startswith("304")
    app["clock"]["today"] = date(2027, 2, 2)
    _get(app["app"], path, if_none_match=headers["ETag"])
    assert app["built"] == ["Soon", "Soon"]
