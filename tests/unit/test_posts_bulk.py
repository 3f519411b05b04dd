"""`add_posts` saves what `add_post` would, in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from calendar_data.checks.approval import ComplianceBlocked
from calendar_data.errors import PostError
from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post, get_post
from calendar_data.posts_bulk import add_posts
from calendar_data.storage.changelog import change_log
from tests.conftest import TODAY

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _posts() -> list[Post]:
    return [
        Post(
            title="  Flu clinic ",
            day=TODAY + timedelta(days=3),
            time=time(9, 30),
            body="Get your shot.",
            channels=(Channel.FACEBOOK, Channel.INSTAGRAM),
            tags=("Flu", "#vaccines"),
            hashtags=("FluSeason",),
        ),
        Post(
            title="Heart walk",
            day=TODAY + timedelta(days=4),
            tags=("heart", "flu"),
            channels=(Channel.FACEBOOK,),
            variants=((Channel.FACEBOOK, "Walk with us on Saturday!"),),
        ),
        Post(title="Myth", day=TODAY + timedelta(days=5), content_type=ContentType.MYTH_BUSTING),
    ]


def _comparable(post: Post) -> Post:
    return replace(post, id=None)


def test_the_same_rows_as_add_post_one_by_one(db, tmp_path):
    from calendar_data.storage.database import open_db

    ids = add_posts(db, _posts(), who="importer", now=NOW, today=TODAY)
    other = open_db(tmp_path / "other.db")
    singles = [add_post(other, p, who="importer", now=NOW, today=TODAY) for p in _posts()]
    assert [_comparable(get_post(db, i)) for i in ids] == [_comparable(p) for p in singles]
    logged = [
        (c.who, c.action, c.entity, c.changes) for c in reversed(change_log(db, entity="post"))
    ]
    expected = [
        (c.who, c.action, c.entity, c.changes) for c in reversed(change_log(other, entity="post"))
    ]
    assert logged == expected and len(logged) == 3
    other.close()


def test_a_bad_post_names_itself_and_nothing_is_written(db):
    posts = _posts()
    posts[1] = replace(posts[1], title="   ")
    with pytest.raises(PostError) as caught:
        add_posts(db, posts, today=TODAY)
    assert caught.value.index == 1 and "title" in str(caught.value)
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM tags").fetchone()[0] == 0


def test_the_compliance_gate_refuses_or_the_caller_saves_something_else(db):
    risky = Post(
        title="Story",
        day=TODAY + timedelta(days=9),
        status=Status.APPROVED,
        features_patient=True,
        body="Meet Ana.",
    )
    with pytest.raises(ComplianceBlocked):
        add_posts(db, [_posts()[0], risky], today=TODAY)
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    refused = []

    def keep_as_draft(index, post, exc):
        refused.append((index, exc.reasons))
        return replace(post, status=Status.DRAFT)

    ids = add_posts(db, [_posts()[0], risky], today=TODAY, blocked=keep_as_draft)
    assert [get_post(db, i).status for i in ids] == [Status.IDEA, Status.DRAFT]
    assert refused and refused[0][0] == 1


def test_external_uids_are_stored_by_position(db):
    ids = add_posts(db, _posts()[:2], today=TODAY, external_uids=["a@outlook", None])
    rows = dict(db.execute("SELECT id, external_uid FROM posts").fetchall())
    assert rows == {ids[0]: "a@outlook", ids[1]: None}
    with pytest.raises(ValueError, match="one per post"):
        add_posts(db, _posts(), today=TODAY, external_uids=["x"])
