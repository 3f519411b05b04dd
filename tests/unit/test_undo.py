"""Undo and redo replayed from the change log; moving and duplicating posts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from calendar_data.campaigns import add_campaign, get_campaign, list_campaigns, update_campaign
from calendar_data.errors import PostError
from calendar_data.models import Campaign, Channel, Post, Status
from calendar_data.moves import duplicate_of, move_post, parse_move_day
from calendar_data.observances import preferences, set_preference
from calendar_data.posts import add_post, delete_post, get_post, list_posts, update_post
from calendar_data.storage.settings_table import load_settings, save_settings
from calendar_data.tags import delete_tag, list_tags, merge_tags, rename_tag, set_tag_colour
from calendar_data.undo import UndoError, UndoHistory

DAY = date(2027, 2, 5)


def act(db, history: UndoHistory, label: str, write):
    """Run one write as the app does: mark, write, record."""
    since = history.mark(db)
    result = write()
    history.record(db, since, label)
    return result


def make(db, **fields):
    base = {
        "title": "Wear Red Day",
        "day": DAY,
        "time": time(9, 30),
        "channels": (Channel.X,),
        "tags": ("heart",),
    }
    return add_post(db, Post(**(base | fields)), who="tester")


def test_move_then_undo_and_redo(db):
    history = UndoHistory()
    post = make(db)
    act(db, history, "move", lambda: move_post(db, post.id, date(2027, 2, 12)))
    assert get_post(db, post.id).day == date(2027, 2, 12)
    assert history.undo(db) == "move"
    assert get_post(db, post.id).day == DAY
    assert get_post(db, post.id).time == time(9, 30)
    assert history.redo(db) == "move"
    assert get_post(db, post.id).day == date(2027, 2, 12)
    with pytest.raises(UndoError, match="nothing to redo"):
        history.redo(db)


def test_undo_of_create_deletes_and_redo_recreates(db):
    history = UndoHistory()
    post = act(db, history, "new", lambda: make(db, body="Go red #WearRedDay"))
    history.undo(db)
    assert list_posts(db) == []
    history.redo(db)
    [back] = list_posts(db)
    assert (back.title, back.body, back.channels, back.tags) == (
        post.title,
        post.body,
        post.channels,
        post.tags,
    )
    history.undo(db)  # the recreated post has a new id: the redo's own log rows name it
    assert list_posts(db) == []


def test_undo_of_delete_brings_the_post_back(db):
    history = UndoHistory()
    post = make(db, status=Status.DRAFT, owner="Sam")
    act(db, history, "delete", lambda: delete_post(db, post.id))
    history.undo(db)
    [back] = list_posts(db)
    assert (back.title, back.day, back.status, back.owner) == (
        "Wear Red Day",
        DAY,
        Status.DRAFT,
        "Sam",
    )


def test_undo_refuses_when_the_post_changed_since_and_writes_nothing(db):
    history = UndoHistory()
    post = make(db)
    act(db, history, "move", lambda: move_post(db, post.id, date(2027, 2, 12)))
    update_post(db, replace(get_post(db, post.id), day=date(2027, 3, 1)))  # someone else, elsewhere
    with pytest.raises(UndoError, match="was changed since .*day"):
        history.undo(db)
    assert get_post(db, post.id).day == date(2027, 3, 1)
    assert len(history.undo_steps) == 1


def test_an_action_with_nothing_written_is_not_a_step(db):
    history = UndoHistory()
    post = make(db)
    act(db, history, "no-op move", lambda: move_post(db, post.id, DAY))
    assert history.undo_steps == []


def test_undo_of_a_workflow_step_the_rules_forbid_is_refused(db):
    history = UndoHistory()
    post = make(db, status=Status.DRAFT)
    update_post(
        db, replace(get_post(db, post.id), status=Status.PUBLISHED), today=date(2027, 3, 1)
    )  # once due
    act(
        db,
        history,
        "archive",
        lambda: update_post(db, replace(get_post(db, post.id), status=Status.ARCHIVED)),
    )
    with pytest.raises(PostError, match="status"):
        history.undo(db)  # archived -> published is not a move the workflow allows
    assert get_post(db, post.id).status is Status.ARCHIVED


def test_campaign_create_and_edit_undo(db):
    history = UndoHistory()
    act(
        db,
        history,
        "new campaign",
        lambda: add_campaign(db, Campaign(name="Heart Month", goal="Red")),
    )
    campaign = get_campaign(db, "Heart Month")
    act(
        db,
        history,
        "edit",
        lambda: update_campaign(db, replace(campaign, goal="Wear red", colour="red")),
    )
    history.undo(db)
    assert (get_campaign(db, "Heart Month").goal, get_campaign(db, "Heart Month").colour) == (
        "Red",
        "",
    )
    history.undo(db)
    assert list_campaigns(db, include_archived=True) == []
    history.redo(db)
    assert get_campaign(db, "Heart Month").goal == "Red"


def test_tag_rename_merge_delete_and_colour_undo(db):
    history = UndoHistory()
    one = make(db, tags=("heart",))
    two = make(db, tags=("heart", "cardio"))
    three = make(db, tags=("cardio",))
    act(db, history, "colour", lambda: set_tag_colour(db, "heart", "red"))
    act(db, history, "rename", lambda: rename_tag(db, "heart", "hearts"))
    act(db, history, "merge", lambda: merge_tags(db, "hearts", "cardio"))
    assert {p.id: p.tags for p in list_posts(db)} == {
        one.id: ("cardio",),
        two.id: ("cardio",),
        three.id: ("cardio",),
    }
    history.undo(db)
    assert {p.id: set(p.tags) for p in list_posts(db)} == {
        one.id: {"hearts"},
        two.id: {"hearts", "cardio"},
        three.id: {"cardio"},
    }
    assert {t.name: t.colour for t in list_tags(db)}["hearts"] == "red"
    history.undo(db)
    history.undo(db)
    assert {t.name: t.colour for t in list_tags(db)}["heart"] == ""
    act(db, history, "delete", lambda: delete_tag(db, "cardio"))
    history.undo(db)
    assert {p.id for p in list_posts(db) if "cardio" in p.tags} == {two.id, three.id}


def test_duplicate_is_unsaved_and_back_at_draft(db):
    post = make(db, status=Status.DRAFT)
    approved = replace(post, status=Status.APPROVED)
    copy = duplicate_of(approved)
    assert (copy.id, copy.sequence, copy.status, copy.title, copy.channels) == (
        None,
        0,
        Status.DRAFT,
        post.title,
        post.channels,
    )
    assert duplicate_of(replace(post, status=Status.IDEA)).status is Status.IDEA


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-03-04", date(2027, 3, 4)),
        ("03-04", date(2027, 3, 4)),
        ("17", date(2027, 2, 17)),
        ("2027-02-30", None),
        ("30", None),
        ("02-", None),
        ("x", None),
        ("", None),
        ("1-2-3-4", None),
    ],
)
def test_parse_move_day(typed, expected):
    assert parse_move_day(typed, date(2027, 2, 10)) == expected


def test_an_action_undo_cannot_invert_is_not_a_step_and_does_not_block_earlier_ones(db):
    history = UndoHistory()
    post = make(db)
    act(db, history, "move", lambda: move_post(db, post.id, date(2027, 2, 12)))
    act(
        db, history, "settings", lambda: save_settings(db, replace(load_settings(db), country="GB"))
    )
    assert [s.label for s in history.undo_steps] == ["move"]
    history.undo(db)
    assert get_post(db, post.id).day == DAY


def test_a_star_is_undone_to_the_state_before(db):
    history = UndoHistory()
    act(db, history, "star", lambda: set_preference(db, "world-kidney-day", starred=True))
    act(db, history, "mute", lambda: set_preference(db, "world-kidney-day", muted=True))
    history.undo(db)
    assert (
        preferences(db)["world-kidney-day"].starred,
        preferences(db)["world-kidney-day"].muted,
    ) == (True, False)
    history.undo(db)
    assert not preferences(db)["world-kidney-day"].starred


def test_per_channel_copy_is_undone_with_the_edit(db):
    history = UndoHistory()
    post = make(db, body="Wear red on Friday", channels=(Channel.X, Channel.LINKEDIN))
    act(
        db,
        history,
        "copy",
        lambda: update_post(
            db, replace(get_post(db, post.id), variants=((Channel.X, "Red Friday #WearRedDay"),))
        ),
    )
    assert get_post(db, post.id).variants == ((Channel.X, "Red Friday #WearRedDay"),)
    history.undo(db)
    assert get_post(db, post.id).variants == ()
    history.redo(db)
    assert get_post(db, post.id).variants == ((Channel.X, "Red Friday #WearRedDay"),)
