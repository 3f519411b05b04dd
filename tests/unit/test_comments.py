"""Review comments: one thread per post, validated, removable by their author only, shown in the history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calendar_data.comments import (
    MAX_COMMENT,
    CommentError,
    add_comment,
    delete_comment,
    history_with_comments,
    list_comments,
)
from calendar_data.errors import PostError
from calendar_data.models import Channel, Post
from calendar_data.posts import add_post, delete_post, get_post
from tui.history_words import describe

T1 = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
T2 = datetime(2027, 1, 10, 9, 5, tzinfo=UTC)


@pytest.fixture
def post(db) -> Post:
    return add_post(
        db, Post(title="Wear Red Day", day=date(2027, 2, 5), channels=(Channel.X,)), who="writer"
    )


def test_a_thread_keeps_who_when_and_text_in_order(db, post):
    first = add_comment(db, post.id, "Can we cite the AHA page?", who="Ana Approver", now=T1)
    second = add_comment(db, post.id, "  Added it.\r\nSee sources.  ", who="Sam Writer", now=T2)
    assert [(c.who, c.at, c.text) for c in list_comments(db, post.id)] == [
        ("Ana Approver", T1, "Can we cite the AHA page?"),
        ("Sam Writer", T2, "Added it.\nSee sources."),
    ]
    assert first.id != second.id


def test_the_author_defaults_to_the_acting_user(db, post):
    assert (
        add_comment(db, post.id, "hello", now=T1).who == "tester"
    )  # $USER in the test environment


def test_empty_long_and_unknown_are_refused_and_nothing_is_written(db, post):
    with pytest.raises(CommentError, match="text: write something"):
        add_comment(db, post.id, " \n\t ")
    with pytest.raises(CommentError, match=f"under {MAX_COMMENT:,}"):
        add_comment(db, post.id, "x" * (MAX_COMMENT + 1))
    with pytest.raises(PostError, match="no post with id 99"):
        add_comment(db, 99, "hello")
    assert list_comments(db, post.id) == []
    assert db.execute("SELECT count(*) FROM changes WHERE action = 'comment'").fetchone()[0] == 0


def test_only_the_author_removes_a_comment(db, post):
    comment = add_comment(db, post.id, "Typo in line 2", who="Ana", now=T1)
    with pytest.raises(CommentError, match="is Ana's; only its author"):
        delete_comment(db, comment.id, who="Sam")
    assert (
        delete_comment(db, comment.id, who="ana").text == "Typo in line 2"
    )  # names match in any case
    assert list_comments(db, post.id) == []
    with pytest.raises(CommentError, match=f"no comment with id {comment.id}"):
        delete_comment(db, comment.id, who="Ana")


def test_comments_do_not_move_the_posts_sequence(db, post):
    add_comment(db, post.id, "Looks good", who="Ana", now=T1)
    assert get_post(db, post.id).sequence == post.sequence  # calendar clients see no change


def test_the_history_shows_each_comment_in_place_and_a_removal_without_its_words(db, post):
    kept = add_comment(db, post.id, "Please shorten the X copy", who="Ana", now=T1)
    gone = add_comment(db, post.id, "SECRET-DRAFT-WORDS", who="Sam", now=T2)
    delete_comment(db, gone.id, who="Sam", now=T2)
    lines = [(e.who, describe(e)) for e in reversed(history_with_comments(db, post.id))]
    assert lines == [
        ("writer", "created"),
        ("Ana", "comment: Please shorten the X copy"),
        ("Sam", f"comment #{gone.id} (since removed)"),
        ("Sam", f"removed comment #{gone.id}"),
    ]
    stored = " ".join(r[0] for r in db.execute("SELECT changes FROM changes").fetchall())
    assert (
        "SECRET-DRAFT-WORDS" not in stored and "Please shorten" not in stored
    )  # the log holds ids only
    assert kept.id != gone.id


def test_comments_go_with_their_post(db, post):
    add_comment(db, post.id, "hello", who="Ana", now=T1)
    delete_post(db, post.id)
    assert db.execute("SELECT count(*) FROM post_comments").fetchone()[0] == 0
