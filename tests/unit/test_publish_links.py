"""Published links: one URL per channel, validated, and the move to published through the workflow."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from calendar_data.errors import PostError
from calendar_data.models import Channel, Post, Status
from calendar_data.posts import add_post, get_post, update_post
from calendar_data.publish.links import (
    parse_when,
    post_for_url,
    published_links,
    record_published,
    url_key,
)
from calendar_data.storage.changelog import change_log

NOW = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def live(db):
    return add_post(
        db,
        Post(
            title="Heart month kickoff",
            day=date(2027, 2, 1),
            time=time(9, 0),
            body="Wear red.",
            channels=(Channel.FACEBOOK, Channel.X),
            status=Status.SCHEDULED,
        ),
        who="tester",
        today=date(2027, 1, 1),
    )


def test_recording_a_link_moves_the_post_to_published_and_logs_it(db, live):
    at = datetime(2027, 2, 1, 14, 1, tzinfo=UTC)
    link = record_published(
        db,
        live.id,
        "facebook",
        "https://www.facebook.com/riverside/posts/1",
        at=at,
        now=NOW,
        who="sam",
    )
    assert link.published_at == at and link.recorded_by == "sam"
    assert get_post(db, live.id).status is Status.PUBLISHED
    record_published(
        db, live.id, Channel.X, "https://x.com/riverside/status/42", at=at, now=NOW, who="sam"
    )
    assert [(k.channel, k.url) for k in published_links(db, live.id)] == [
        (Channel.FACEBOOK, "https://www.facebook.com/riverside/posts/1"),
        (Channel.X, "https://x.com/riverside/status/42"),
    ]
    actions = [e.action for e in change_log(db, entity="post", entity_id=live.id)]
    assert actions[:3] == ["published", "published", "status"]


def test_a_second_link_for_a_channel_replaces_the_first(db, live):
    record_published(db, live.id, "x", "https://x.com/a/status/1", now=NOW)
    record_published(db, live.id, "x", "https://x.com/a/status/2", now=NOW)
    assert [k.url for k in published_links(db, live.id)] == ["https://x.com/a/status/2"]


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"url": "ftp://x.com/a"}, "url", "only http and https"),
        ({"url": "javascript:alert(1)"}, "url", "only http and https"),
        ({"url": "https://x.com/a b"}, "url", "not a URL"),
        ({"url": "https:///nohost"}, "url", "no host"),
        ({"channel": "myspace"}, "channel", "use facebook"),
        ({"channel": "linkedin"}, "channel", "not planned for linkedin"),
        ({"at": datetime(2027, 3, 1, tzinfo=UTC)}, "at", "in the future"),
    ],
)
def test_bad_links_are_refused_naming_the_field_and_nothing_changes(db, live, kwargs, field, text):
    args = {"channel": "x", "url": "https://x.com/a/status/1"} | kwargs
    with pytest.raises(PostError, match=text) as caught:
        record_published(db, live.id, args.pop("channel"), args.pop("url"), now=NOW, **args)
    assert caught.value.field == field
    assert published_links(db) == [] and get_post(db, live.id).status is Status.SCHEDULED


def test_a_url_belongs_to_one_post(db, live):
    other = add_post(db, Post(title="Other", day=date(2027, 2, 3), channels=(Channel.X,), body="b"))
    record_published(db, live.id, "x", "https://twitter.com/a/status/1", now=NOW)
    with pytest.raises(PostError, match=f"already recorded for post {live.id}"):
        record_published(db, other.id, "x", "https://x.com/a/status/1/", now=NOW)
    assert get_post(db, other.id).status is Status.IDEA


def test_the_workflow_rules_hold_and_refusal_writes_nothing(db, live):
    update_post(db, replace(live, status=Status.REJECTED))
    with pytest.raises(PostError, match="goes back to draft or idea first"):
        record_published(db, live.id, "x", "https://x.com/a/status/9", now=NOW)
    assert published_links(db) == []


def test_url_keys_join_the_spellings_of_one_address():
    assert (
        url_key("https://www.facebook.com/page/posts/1/?ref=share#c") == "facebook.com/page/posts/1"
    )
    assert url_key("http://mobile.twitter.com/a/status/5") == url_key("https://x.com/a/status/5")
    assert (
        url_key("https://LinkedIn.com/feed/update/urn:li:activity:7")
        == "linkedin.com/feed/update/urn:li:activity:7"
    )


def test_post_for_url_finds_the_post_by_any_spelling(db, live):
    record_published(db, live.id, "facebook", "https://facebook.com/p/1", now=NOW)
    assert post_for_url(db, "https://www.facebook.com/p/1/?utm_source=x") == (
        live.id,
        Channel.FACEBOOK,
    )
    assert post_for_url(db, "https://facebook.com/p/2") is None


def test_times_are_read_in_the_team_zone_unless_they_carry_an_offset():
    assert parse_when("2027-02-01 09:30", "America/New_York") == datetime(
        2027, 2, 1, 14, 30, tzinfo=UTC
    )
    assert parse_when("2027-02-01T09:30+00:00", "America/New_York") == datetime(
        2027, 2, 1, 9, 30, tzinfo=UTC
    )
    with pytest.raises(PostError, match="not a time"):
        parse_when("next tuesday", "UTC")


def test_a_post_with_a_blocking_finding_cannot_be_marked_published(db):
    from calendar_data.checks.approval import ComplianceBlocked

    flagged = add_post(
        db,
        Post(
            title="Visitor info",
            day=date(2027, 2, 1),
            channels=(Channel.X,),
            body="Questions? Call Jane at 555-201-3344.",
            status=Status.DRAFT,
        ),
    )
    with pytest.raises(ComplianceBlocked):
        record_published(db, flagged.id, "x", "https://x.com/a/status/3", now=NOW)
    assert published_links(db) == [] and get_post(db, flagged.id).status is Status.DRAFT
