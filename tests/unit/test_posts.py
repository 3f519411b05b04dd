"""Posts: saving, reading, filters, the workflow and the change log."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from calendar_data.campaigns import CampaignError, add_campaign
from calendar_data.checks.workflow import next_statuses, transition_error
from calendar_data.errors import PostError
from calendar_data.models import Campaign, Channel, ContentType, Filters, Post, Status
from calendar_data.posts import add_post, delete_post, get_post, list_posts, update_post
from calendar_data.storage.changelog import change_log
from calendar_data.tags import delete_tag, list_tags, merge_tags, rename_tag


def make(db, **fields):
    base = {"title": "Heart month kickoff", "day": date(2027, 2, 1)}
    reason = fields.pop("reason", None)
    return add_post(db, Post(**(base | fields)), who="tester", reason=reason)


def test_add_and_read_back_every_field(db):
    add_campaign(db, Campaign(name="Heart Month", start=date(2027, 2, 1), end=date(2027, 2, 28)))
    post = make(
        db,
        time=time(9, 30),
        body="Wear red Friday! #WearRedDay",
        status=Status.DRAFT,
        content_type=ContentType.EDUCATIONAL,
        channels=(Channel.X, Channel.FACEBOOK),
        tags=("heart", "#cardio"),
        hashtags=("HeartMonth",),
        campaign="heart month",
        observance_id="american-heart-month",
        owner="Sam",
        assets=("https://cdn/x.png",),
        sources=("https://www.cdc.gov/heart",),
        features_patient=True,
        private_notes="call Maria",
    )
    again = get_post(db, post.id)
    assert again == post
    assert again.channels == (Channel.FACEBOOK, Channel.X)  # canonical order
    assert again.tags == ("cardio", "heart")
    assert again.campaign == "Heart Month"
    assert again.all_hashtags == ("#HeartMonth", "#WearRedDay")
    assert again.sequence == 0 and again.created_at == again.updated_at


def test_only_title_and_date_are_required(db):
    post = make(db)
    assert post.status is Status.IDEA and post.channels == () and post.time is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"campaign": "Nope"}, "campaign"),
        ({"sources": ("www.cdc.gov",)}, "source"),
        ({"tags": ("a,b",)}, "tag"),
        ({"day": date(1500, 1, 1)}, "date"),
        ({"title": "\x00"}, "title"),  # SQLite's length() stops at a NUL: it read as empty
        ({"body": "Walk-in \x1b[31mtoday"}, "body"),
        ({"hashtags": ("#Flu\x00",)}, "hashtag"),
    ],
)
def test_bad_posts_are_refused_and_nothing_written(db, fields, field):
    with pytest.raises(PostError) as caught:
        make(db, **fields)
    assert caught.value.field == field
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM tags").fetchone()[0] == 0


def test_a_line_break_in_a_title_becomes_a_space(db):
    assert get_post(db, make(db, title="Flu\r\nclinic\tday").id).title == "Flu clinic day"


def test_a_body_keeps_its_line_breaks_and_tabs(db):
    post = make(db, body="Line one\n\tLine two\r\n")
    assert get_post(db, post.id).body == "Line one\n\tLine two\r\n"


def test_update_bumps_sequence_and_logs_diff(db):
    post = make(db)
    updated = update_post(db, replace(post, title="New title", status=Status.DRAFT), who="editor")
    assert updated.sequence == 1 and updated.title == "New title"
    entry = change_log(db, entity="post", entity_id=post.id)[0]
    assert entry.who == "editor" and entry.changes["title"] == ["Heart month kickoff", "New title"]
    assert update_post(db, updated).sequence == 1  # no change, no bump


def test_workflow_refuses_bad_moves_and_leaves_post(db):
    post = make(db, status=Status.PUBLISHED, reason="went out by hand")
    with pytest.raises(PostError, match="only be archived"):
        update_post(db, replace(post, status=Status.DRAFT))
    assert get_post(db, post.id).status is Status.PUBLISHED


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        (Status.IDEA, Status.APPROVED, True),  # skip forward
        (Status.REVIEW, Status.DRAFT, True),  # back to draft
        (Status.SCHEDULED, Status.IDEA, True),  # back to idea
        (Status.SCHEDULED, Status.REVIEW, False),  # back but not to draft/idea
        (Status.PUBLISHED, Status.ARCHIVED, True),
        (Status.PUBLISHED, Status.DRAFT, False),
        (Status.REVIEW, Status.REJECTED, True),
        (Status.IDEA, Status.REJECTED, False),
        (Status.REJECTED, Status.APPROVED, False),
        (Status.REJECTED, Status.DRAFT, True),
        (Status.ARCHIVED, Status.IDEA, True),
    ],
)
def test_transitions(old, new, ok):
    assert (transition_error(old, new) is None) is ok
    assert (new in next_statuses(old)) is ok


def test_delete_removes_links_and_logs(db):
    post = make(db, tags=("heart",), channels=(Channel.X,))
    delete_post(db, post.id, who="tester")
    assert db.execute("SELECT count(*) FROM post_tags").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM post_channels").fetchone()[0] == 0
    assert change_log(db, entity="post", entity_id=post.id)[0].action == "delete"
    with pytest.raises(PostError):
        get_post(db, post.id)


def test_list_filters(db):
    add_campaign(db, Campaign(name="Flu"))
    a = make(
        db,
        title="Flu clinic",
        day=date(2027, 1, 5),
        tags=("vaccines",),
        channels=(Channel.X,),
        campaign="Flu",
        status=Status.DRAFT,
    )
    b = make(
        db,
        title="Heart facts",
        day=date(2027, 2, 5),
        tags=("heart", "facts"),
        channels=(Channel.INSTAGRAM,),
        body="Know your numbers",
    )
    c = make(db, title="Later", day=date(2027, 3, 5))

    def ids(**kw):
        start, end = kw.pop("start", None), kw.pop("end", None)
        return [p.id for p in list_posts(db, start, end, Filters(**kw))]

    assert ids() == [a.id, b.id, c.id]
    assert ids(start=date(2027, 2, 1), end=date(2027, 2, 28)) == [b.id]
    assert ids(tags=("HEART",)) == [b.id]
    assert ids(tags=("heart", "facts")) == [b.id]
    assert ids(tags=("heart", "vaccines")) == []
    assert ids(channels=(Channel.X,)) == [a.id]
    assert ids(statuses=(Status.DRAFT,)) == [a.id]
    assert ids(campaign="flu") == [a.id]
    assert ids(text="numbers") == [b.id]
    assert ids(text="vacc") == [a.id]  # tag names count as text


def test_tag_rename_merge_delete(db):
    a = make(db, tags=("cardio",))
    b = make(db, tags=("heart",))
    rename_tag(db, "cardio", "cardiology")
    assert get_post(db, a.id).tags == ("cardiology",)
    merge_tags(db, "cardiology", "heart")
    assert get_post(db, a.id).tags == ("heart",) and [t.name for t in list_tags(db)] == ["heart"]
    assert list_tags(db)[0].count == 2
    assert delete_tag(db, "heart") == 2
    assert get_post(db, b.id).tags == ()


def test_campaign_names_unique_any_case(db):
    add_campaign(db, Campaign(name="Heart Month"))
    with pytest.raises(CampaignError, match="already exists"):
        add_campaign(db, Campaign(name="heart month"))
    with pytest.raises(CampaignError, match="before start"):
        add_campaign(db, Campaign(name="Bad", start=date(2027, 2, 1), end=date(2027, 1, 1)))


def test_stale_editor_save_is_refused(db):
    post = make(db)
    elsewhere = update_post(db, replace(post, title="Changed by the CLI"))
    with pytest.raises(PostError, match="changed elsewhere"):
        update_post(db, replace(post, body="typed in the editor"), expected_sequence=post.sequence)
    assert get_post(db, post.id) == elsewhere
    saved = update_post(db, replace(elsewhere, body="ok"), expected_sequence=elsewhere.sequence)
    assert saved.sequence == elsewhere.sequence + 1
