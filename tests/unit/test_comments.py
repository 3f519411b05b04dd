"""Review comments: a thread per post, in the post's history, never in an export."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calendar_data.comments import CommentError, add_comment, list_comments
from calendar_data.errors import PostError
from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.models import Post
from calendar_data.posts import add_post, delete_post
from calendar_data.storage.changelog import change_log
from tui.history_words import describe

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
SECRET = "Approver: the survival figure needs the 2024 source"


def test_a_thread_is_kept_in_order_with_who_and_when(db):
    post = add_post(db, Post(title="Screening saves lives", day=date(2027, 2, 5)))
    add_comment(db, post.id, "Can we cite the CDC page?", who="Sam", now=NOW)
    add_comment(db, post.id, "  Added it.  ", who="Ana", now=NOW.replace(hour=10))
    thread = list_comments(db, post.id)
    assert [(c.who, c.body, c.at.hour) for c in thread] == [("Sam", "Can we cite the CDC page?", 9), ("Ana", "Added it.", 10)]
    [latest, *_] = change_log(db, entity="post", entity_id=post.id)
    assert describe(latest) == "commented: “Added it.”" and latest.who == "Ana"


@pytest.mark.parametrize(("text", "message"), [("   ", "write something"), ("x" * 2001, "under 2000")])
def test_empty_or_huge_comments_are_refused(db, text, message):
    post = add_post(db, Post(title="p", day=date(2027, 2, 5)))
    with pytest.raises(CommentError, match=message):
        add_comment(db, post.id, text)
    assert list_comments(db, post.id) == []


def test_a_comment_needs_a_post_and_goes_with_it(db):
    with pytest.raises(PostError, match="no post with id 404"):
        add_comment(db, 404, "hello")
    post = add_post(db, Post(title="p", day=date(2027, 2, 5)))
    add_comment(db, post.id, "hello")
    delete_post(db, post.id)
    assert list_comments(db, post.id) == []


def test_comments_never_leave_in_an_export(db):
    post = add_post(db, Post(title="Screening saves lives", day=date(2027, 2, 5), body="Get screened."))
    add_comment(db, post.id, SECRET)
    data = export_bytes(db, ExportSpec(date(2027, 2, 1), date(2027, 2, 28)), now=NOW)
    assert b"Screening saves lives" in data and SECRET.encode() not in data
