"""Consent records: saving, scope defaults, validation, removal, and never leaving the database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from calendar_data.consent import ConsentError, get_consent, record_consent, remove_consent
from calendar_data.errors import PostError
from calendar_data.json_rows import post_row
from calendar_data.models import Channel, Consent, Post, Status
from calendar_data.posts import add_post, delete_post, get_post, update_post
from calendar_data.storage.changelog import change_log

TODAY = date(2026, 11, 21)
FORM = Consent(
    form_ref="PX-2026-0142",
    signed_on=date(2026, 11, 1),
    expires_on=date(2027, 11, 1),
    channels=(Channel.INSTAGRAM,),
    media=("photo", "story"),
)


def story(db, **fields) -> Post:
    base = {
        "title": "Back on the trail",
        "day": date(2026, 12, 3),
        "features_patient": True,
        "channels": (Channel.FACEBOOK, Channel.INSTAGRAM),
        "status": Status.REVIEW,
        "private_notes": "family via patient experience",
    }
    return add_post(db, Post(**(base | fields)), who="planner", today=TODAY)


def test_record_and_read_back(db):
    post = story(db)
    saved = record_consent(db, post.id, FORM, who="jo", now=datetime(2026, 11, 21, 9))
    assert saved == replace(FORM, recorded_by="jo")
    assert get_consent(db, post.id) == saved
    assert get_post(db, post.id).consent == saved
    entry = change_log(db, entity="post", entity_id=post.id)[0]
    assert (entry.action, entry.who, entry.changes["form_ref"]) == ("consent", "jo", "PX-2026-0142")


def test_recording_again_replaces_and_says_so(db):
    post = story(db)
    record_consent(db, post.id, FORM)
    record_consent(db, post.id, replace(FORM, form_ref="PX-2"), who="jo")
    assert get_consent(db, post.id).form_ref == "PX-2"
    assert change_log(db, entity="post", entity_id=post.id)[0].action == "consent-replaced"


def test_scope_defaults_to_the_posts_channels_and_recorder_to_the_user(db):
    post = story(db)
    saved = record_consent(db, post.id, replace(FORM, channels=()))
    assert saved.channels == (Channel.FACEBOOK, Channel.INSTAGRAM)
    assert saved.recorded_by == "tester"  # the OS user in tests


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"form_ref": "  "}, "form"),
        ({"expires_on": None}, "expires"),
        ({"expires_on": date(2026, 10, 1)}, "expires"),
        ({"media": ("photo", "hologram")}, "media"),
        ({"media": ()}, "media"),
    ],
)
def test_bad_consent_is_refused_and_nothing_written(db, change, field):
    post = story(db)
    with pytest.raises(ConsentError, match=f"^{field}:"):
        record_consent(db, post.id, replace(FORM, **change))
    assert get_consent(db, post.id) is None


def test_a_post_with_no_channels_needs_an_explicit_scope(db):
    post = story(db, channels=())
    with pytest.raises(ConsentError, match="^channel:"):
        record_consent(db, post.id, replace(FORM, channels=()))


def test_consent_for_a_missing_post_is_refused(db):
    with pytest.raises(PostError, match="no post with id 99"):
        record_consent(db, 99, FORM)


def test_valid_consent_lets_the_post_be_approved(db):
    post = story(db)
    with pytest.raises(PostError, match="no consent"):
        update_post(db, replace(post, status=Status.APPROVED), today=TODAY)
    record_consent(db, post.id, replace(FORM, channels=(Channel.FACEBOOK, Channel.INSTAGRAM)))
    assert (
        update_post(db, replace(post, status=Status.APPROVED), today=TODAY).status
        is Status.APPROVED
    )


def test_scope_and_expiry_block_approval(db):
    post = story(db)
    record_consent(db, post.id, FORM)  # instagram only
    with pytest.raises(PostError, match="does not cover Facebook"):
        update_post(db, replace(post, status=Status.APPROVED), today=TODAY)
    record_consent(
        db,
        post.id,
        replace(
            FORM, channels=(Channel.FACEBOOK, Channel.INSTAGRAM), expires_on=date(2026, 11, 30)
        ),
    )
    with pytest.raises(PostError, match="before the post date"):
        update_post(db, replace(post, status=Status.APPROVED), today=TODAY)


def test_remove_consent(db):
    post = story(db)
    record_consent(db, post.id, FORM)
    removed = remove_consent(db, post.id, who="jo")
    assert removed.form_ref == "PX-2026-0142" and get_consent(db, post.id) is None
    assert change_log(db, entity="post", entity_id=post.id)[0].action == "consent-removed"
    with pytest.raises(ConsentError, match="no consent"):
        remove_consent(db, post.id)


def test_consent_cannot_be_removed_from_an_approved_post(db):
    post = story(db)
    record_consent(db, post.id, replace(FORM, channels=(Channel.FACEBOOK, Channel.INSTAGRAM)))
    approved = update_post(db, replace(post, status=Status.APPROVED), today=TODAY)
    with pytest.raises(PostError, match="move it back to draft"):
        remove_consent(db, post.id)
    update_post(db, replace(approved, status=Status.DRAFT), today=TODAY)
    remove_consent(db, post.id)


def test_consent_goes_with_its_post(db):
    post = story(db)
    record_consent(db, post.id, FORM)
    delete_post(db, post.id)
    assert db.execute("SELECT count(*) FROM consents").fetchone()[0] == 0


def test_consent_details_never_reach_json_or_ical(db):
    from calendar_data.ical.export import ExportSpec, export_bytes

    post = story(db, status=Status.DRAFT)
    record_consent(
        db,
        post.id,
        replace(FORM, recorded_by="Jo Privacy", channels=(Channel.FACEBOOK, Channel.INSTAGRAM)),
    )  # valid: copy exported
    data = json.dumps(post_row(get_post(db, post.id)))
    assert "PX-2026-0142" not in data and "Jo Privacy" not in data and '"has_consent": true' in data
    ics = export_bytes(
        db, ExportSpec(date(2026, 12, 1), date(2026, 12, 31)), now=datetime(2026, 11, 21, 12, 0)
    ).decode()
    assert "Back on the trail" in ics
    for secret in ("PX-2026-0142", "Jo Privacy", "2027-11-01", "20271101", "patient experience"):
        assert secret not in ics
