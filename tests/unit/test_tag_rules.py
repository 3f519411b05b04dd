"""One rule for a tag's shape, and tag changes that calendar clients and open editors notice."""

from __future__ import annotations

from datetime import date

import pytest

from calendar_data.errors import PostError
from calendar_data.models import Post
from calendar_data.posts import add_post, get_post, update_post
from calendar_data.storage.database import open_db
from calendar_data.tags import TagError, clean_tag, delete_tag, merge_tags, rename_tag


@pytest.fixture
def db():
    database = open_db(":memory:")
    yield database
    database.close()


def _post(db, *tags: str) -> Post:
    return add_post(db, Post(title="Heart talk", day=date(2027, 2, 5), tags=tags))


@pytest.mark.parametrize(
    "change",
    [
        lambda db: rename_tag(db, "cancer", "oncology"),
        lambda db: merge_tags(db, "cancer", "heart"),
        lambda db: delete_tag(db, "cancer"),
    ],
)
def test_every_tag_change_moves_the_posts_version_so_an_open_editor_conflicts(db, change):
    post = _post(db, "cancer", "heart")
    opened = get_post(db, post.id)
    change(db)
    assert get_post(db, post.id).sequence == opened.sequence + 1
    with pytest.raises(PostError, match="changed elsewhere"):
        update_post(db, opened, expected_sequence=opened.sequence)
    assert "cancer" not in get_post(db, post.id).tags


def test_rename_refuses_what_a_post_could_not_hold(db):
    _post(db, "cancer")
    with pytest.raises(TagError, match="keep tags under 60"):
        rename_tag(db, "cancer", "x" * 200)
    with pytest.raises(TagError, match="comma"):
        rename_tag(db, "cancer", "a,b")


@pytest.mark.parametrize(
    "text, expected", [("#Heart", "Heart"), ("  cancer ", "cancer"), ("# spaced", "spaced")]
)
def test_clean_tag(text, expected):
    assert clean_tag(text) == expected


def test_a_post_names_the_bad_tag_field(db):
    with pytest.raises(PostError, match="^tag: "):
        _post(db, "y" * 61)
