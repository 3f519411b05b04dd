"""Per-channel copy: stored with the post, checked on every channel, and what each export sends."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, time

import icalendar
import pytest

from calendar_data.checks.approval import ComplianceBlocked
from calendar_data.checks.review import findings_for
from calendar_data.errors import PostError
from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.ical.plan import plan_import
from calendar_data.ical.variant_text import split_variants, with_variants
from calendar_data.json_rows import post_row
from calendar_data.models import Channel, ContentType, Filters, Post, Status, copy_for
from calendar_data.posts import (
    add_post,
    delete_post,
    get_post,
    list_posts,
    update_post,
)
from calendar_data.publish.bulk import BulkSpec, plan_bulk, write_bulk
from calendar_data.publish.gate import _variant_lookup, channel_copy
from calendar_data.storage.changelog import change_log

TODAY = date(2027, 1, 10)
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
LONG = (
    "Heart disease is the leading cause of death for women. " * 8
)  # about 440 characters: too long for X
SHORT = "Go red on Friday #WearRedDay"


def heart(db, **extra) -> Post:
    values = {
        "title": "Wear Red Day",
        "day": date(2027, 2, 5),
        "time": time(9, 30),
        "body": LONG,
        "channels": (Channel.X, Channel.LINKEDIN),
        "variants": ((Channel.X, SHORT),),
    } | extra
    return add_post(db, Post(**values), who="writer", today=TODAY)


def test_variants_round_trip_through_storage(db):
    saved = heart(db, variants=((Channel.LINKEDIN, "Long LinkedIn text"), (Channel.X, SHORT)))
    assert saved.variants == (
        (Channel.X, SHORT),
        (Channel.LINKEDIN, "Long LinkedIn text"),
    )  # channel order
    assert get_post(db, saved.id) == saved
    assert list_posts(db)[0].variants == saved.variants
    assert post_row(saved)["variants"] == {"x": SHORT, "linkedin": "Long LinkedIn text"}
    assert [p.id for p in list_posts(db, filters=Filters(text="linkedin text"))] == [
        saved.id
    ]  # search finds it


def test_a_post_without_variants_reads_back_with_none(db):
    plain = add_post(
        db, Post(title="Plain", day=date(2027, 2, 1), channels=(Channel.X,)), today=TODAY
    )
    assert plain.variants == () and post_row(plain)["variants"] == {}


def test_changing_a_variant_bumps_the_sequence_and_is_logged(db):
    saved = heart(db)
    edited = update_post(
        db, replace(saved, variants=((Channel.X, "Shorter still"),)), who="editor", today=TODAY
    )
    assert edited.sequence == saved.sequence + 1
    assert copy_for(edited, Channel.X) == "Shorter still"
    entry = change_log(db, entity="post", entity_id=saved.id)[0]
    assert entry.who == "editor" and entry.changes == {
        "variants": [{"x": SHORT}, {"x": "Shorter still"}]
    }
    same = update_post(db, edited, today=TODAY)
    assert same.sequence == edited.sequence  # nothing changed, nothing bumped


def test_variants_go_with_their_post(db):
    saved = heart(db)
    delete_post(db, saved.id)
    assert db.execute("SELECT count(*) FROM post_copy").fetchone()[0] == 0


def test_a_variant_needs_one_of_the_posts_channels(db):
    with pytest.raises(
        PostError, match=r"body\[instagram\]: the post does not go out on instagram"
    ):
        heart(db, variants=((Channel.INSTAGRAM, "Hi"),))
    with pytest.raises(PostError, match=r"body\[myspace\]: 'myspace' is not a channel"):
        heart(db, variants=(("myspace", "Hi"),))
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0  # nothing half-written


def test_blank_or_identical_variants_are_dropped(db):
    saved = heart(db, variants=((Channel.X, "   "), (Channel.LINKEDIN, LONG)))
    assert saved.variants == ()


def test_copy_for_returns_the_variant_or_the_body(db):
    saved = heart(db)
    assert copy_for(saved, Channel.X) == SHORT
    assert copy_for(saved, Channel.LINKEDIN) == LONG
    assert copy_for(saved, Channel.FACEBOOK) == LONG  # not a channel of the post: still the body
    assert _variant_lookup(db, saved, Channel.X) == SHORT  # the publish gate's placeholder is wired
    assert (
        channel_copy(db, saved, Channel.X) == SHORT
        and channel_copy(db, saved, Channel.LINKEDIN) == LONG
    )


def test_channel_limits_measure_each_channels_own_copy(db):
    with_short_x = heart(db)
    assert not [f for f in findings_for(db, with_short_x, today=TODAY) if f.type == "channel"]
    no_variant = heart(db, variants=())
    fields = [f.field for f in findings_for(db, no_variant, today=TODAY) if f.type == "channel"]
    assert fields == ["body"]  # the long body is too long for X
    too_long_x = heart(db, body="Short body", variants=((Channel.X, LONG),))
    found = [f for f in findings_for(db, too_long_x, today=TODAY) if f.type == "channel"]
    assert [(f.field, f.kind, f.blocking) for f in found] == [("body[x]", "x", True)]
    assert "X allows 280" in found[0].message


def test_phi_and_claims_are_found_in_variants(db):
    saved = heart(
        db,
        body="Join us",
        variants=(
            (Channel.X, "Questions? Call Maria on 555-867-5309"),
            (Channel.LINKEDIN, "Aspirin prevents strokes"),
        ),
    )
    found = findings_for(db, saved, today=TODAY)
    assert ("phi", "body[x]") in {(f.type, f.field) for f in found}
    assert ("claim", "body[linkedin]") in {(f.type, f.field) for f in found}
    assert not [f for f in found if f.field == "body"]


def test_the_approval_gate_covers_the_variants(db):
    with pytest.raises(ComplianceBlocked, match=r"body\[x\]: possible phone"):
        heart(
            db,
            body="Join us",
            status=Status.APPROVED,
            variants=((Channel.X, "Call 555-867-5309 now"),),
        )
    saved = heart(db, body="Join us", variants=((Channel.X, "Call 555-867-5309 now"),))
    with pytest.raises(ComplianceBlocked, match=r"body\[x\]"):
        update_post(db, replace(saved, status=Status.APPROVED), today=TODAY)
    assert get_post(db, saved.id).status == Status.IDEA


def test_the_sprout_csv_sends_each_channel_its_own_copy(db, tmp_path):
    heart(
        db,
        status=Status.APPROVED,
        body="LinkedIn gets the long story of why we wear red.",
        variants=((Channel.X, SHORT),),
    )
    plan = plan_bulk(db, BulkSpec(date(2027, 1, 1), date(2027, 3, 31)), now=NOW, today=TODAY)
    assert plan.ok, plan.breaks
    paths = {p.name: p for p in write_bulk(plan, tmp_path / "q1.csv")}
    x_rows = list(csv.DictReader(io.StringIO(paths["q1-x.csv"].read_text("utf-8"))))
    li_rows = list(csv.DictReader(io.StringIO(paths["q1-linkedin.csv"].read_text("utf-8"))))
    assert [r["message_text"] for r in x_rows] == [SHORT]
    assert [r["message_text"] for r in li_rows] == [
        "LinkedIn gets the long story of why we wear red."
    ]


def test_a_variant_over_the_limit_keeps_the_post_out_of_the_csv(db):
    saved = heart(db, body="Fine", status=Status.APPROVED)
    update_post(
        db, replace(saved, variants=((Channel.X, LONG),)), today=TODAY
    )  # approved stays approved
    plan = plan_bulk(db, BulkSpec(date(2027, 1, 1), date(2027, 3, 31)), now=NOW, today=TODAY)
    assert [s.post.id for s in plan.skipped] == [saved.id]
    assert "body[x]: X allows 280" in plan.skipped[0].reason
    assert not plan.files or not any(f.rows for f in plan.files)


def test_the_ical_description_lists_each_channels_copy_and_reads_back(db, small_list):
    saved = heart(
        db,
        variants=(
            (Channel.X, SHORT),
            (Channel.LINKEDIN, "The LinkedIn version.\n\nTwo paragraphs."),
        ),
        content_type=ContentType.ANNOUNCEMENT,
    )
    data = export_bytes(
        db, ExportSpec(date(2027, 2, 1), date(2027, 2, 28), include=("posts",)), now=NOW
    )
    event = next(c for c in icalendar.Calendar.from_ical(data).walk("VEVENT"))
    description = str(event["DESCRIPTION"])
    assert f"[Copy for X]\n{SHORT}" in description
    assert "[Copy for LinkedIn]\nThe LinkedIn version.\n\nTwo paragraphs." in description
    assert (
        description.index(LONG.strip())
        < description.index("[Copy for X]")
        < description.index("Channels: ")
    )
    plan = plan_import(
        db, data, where="plan.ics", as_="posts", today=TODAY
    )  # our own file back: nothing changes
    assert [c.action for c in plan.changes] == ["same"]
    assert plan.changes[0].post.variants == saved.variants


def test_split_variants_leaves_ordinary_text_alone():
    assert split_variants("Bring a friend [Copy for X] is not a heading") == (
        "Bring a friend [Copy for X] is not a heading",
        (),
    )
    assert split_variants("[Copy for Myspace]\nhi") == ("[Copy for Myspace]\nhi", ())
    post = Post(
        title="t", day=date(2027, 1, 1), channels=(Channel.X,), variants=((Channel.X, "x copy"),)
    )
    assert split_variants(with_variants("Body", post)) == ("Body", ((Channel.X, "x copy"),))
