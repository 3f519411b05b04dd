"""The workflow with the compliance gate: every transition rule, refusals, history and overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from calendar_data.checks.approval import ComplianceBlocked, add_override
from calendar_data.checks.overrides import OverrideError, list_overrides, remove_override
from calendar_data.checks.review import findings_for, review
from calendar_data.checks.workflow import APPROVED_OR_LATER, next_statuses, transition_error
from calendar_data.consent import record_consent
from calendar_data.errors import PostError
from calendar_data.models import Channel, Consent, ContentType, Post, Status
from calendar_data.posts import add_post, delete_post, get_post, update_post
from calendar_data.storage.changelog import change_log

TODAY = date(2026, 11, 21)
S = Status

# The rules written out in full (rows: from, columns: to), independent of workflow.py's code.
ORDER = (S.IDEA, S.DRAFT, S.REVIEW, S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.REJECTED, S.ARCHIVED)
MATRIX = """
idea      = y y y y y n y
draft     y = y y y y n y
review    y y = y y y y y
approved  y y n = y y y y
scheduled y y n n = y y y
published n n n n n = n y
rejected  y y n n n n = y
archived  y y n n n n n =
"""
RULES = {
    (ORDER[row], ORDER[col]): mark
    for row, line in enumerate(MATRIX.strip().splitlines())
    for col, mark in enumerate(line.split()[1:])
}


def clean(db, status: Status = S.IDEA, **fields) -> Post:
    base = {
        "title": "Flu clinic",
        "day": date(
            2026, 11, 20
        ),  # due: it may be marked published "body": "Walk-in flu shots Saturday.",
        "channels": (Channel.FACEBOOK,),
        "status": status,
    }
    return add_post(db, Post(**(base | fields)), who="planner", today=TODAY)


def test_the_matrix_covers_every_pair():
    assert len(RULES) == len(Status) ** 2


@pytest.mark.parametrize(
    ("old", "new"),
    sorted(RULES, key=lambda p: (ORDER.index(p[0]), ORDER.index(p[1]))),
    ids=lambda s: str(s),
)
def test_every_transition_rule(db, old, new):
    mark = RULES[(old, new)]
    assert (transition_error(old, new) is None) is (mark != "n")
    post = clean(db, old)
    if mark == "n":
        with pytest.raises(PostError) as caught:
            update_post(db, replace(post, status=new), who="rev", today=TODAY)
        assert caught.value.field == "status"
        assert get_post(db, post.id).status is old
        return
    saved = update_post(db, replace(post, status=new), who="rev", today=TODAY)
    assert saved.status is new
    if old != new:
        entry = change_log(db, entity="post", entity_id=post.id)[0]
        assert (entry.action, entry.who, entry.changes) == (
            "status",
            "rev",
            {"status": [str(old), str(new)]},
        )


def test_next_statuses_lists_the_allowed_moves():
    for old in Status:
        assert next_statuses(old) == [
            new for new in Status if new != old and RULES[(old, new)] == "y"
        ]


@pytest.mark.parametrize("target", sorted(APPROVED_OR_LATER))
def test_a_move_to_approved_or_later_is_refused_with_reasons(db, target):
    post = clean(db, S.REVIEW, body="Call the family on 608-555-0143.", features_patient=True)
    before = get_post(db, post.id)
    with pytest.raises(ComplianceBlocked) as caught:
        update_post(db, replace(post, status=target, title="New title"), who="rev", today=TODAY)
    assert caught.value.post_id == post.id and caught.value.field == "status"
    assert [r.split(":")[0] for r in caught.value.reasons] == ["body", "consent"]
    assert get_post(db, post.id) == before  # nothing written, the title edit included
    assert len(change_log(db, entity="post", entity_id=post.id)) == 1


def test_blocking_runs_only_when_the_status_changes(db):
    post = clean(db, S.DRAFT, body="Call 608-555-0143")
    saved = update_post(db, replace(post, title="Still a draft"), today=TODAY)
    assert saved.title == "Still a draft"
    update_post(db, replace(saved, status=S.REVIEW), today=TODAY)  # review is not gated


def test_warnings_do_not_block(db):
    post = clean(db, S.REVIEW, body="A flu shot lowers your risk of hospitalisation.")
    assert [f.blocking for f in findings_for(db, post, today=TODAY)] == [False]
    assert update_post(db, replace(post, status=S.APPROVED), today=TODAY).status is S.APPROVED


def test_approved_to_scheduled_is_checked_again(db):
    post = clean(db, S.REVIEW, features_patient=True)
    record_consent(
        db, post.id, Consent("PX-1", date(2026, 1, 1), date(2026, 12, 31), (), ("photo",))
    )
    approved = update_post(db, replace(post, status=S.APPROVED), today=TODAY)
    with pytest.raises(ComplianceBlocked, match="expired on 2026-12-31"):
        update_post(db, replace(approved, status=S.SCHEDULED), today=date(2027, 1, 2))


def test_the_consent_on_file_is_used_not_the_callers_copy(db):
    post = clean(db, S.REVIEW, features_patient=True)
    forged = Consent("FAKE", date(2026, 1, 1), date(2030, 1, 1), (Channel.FACEBOOK,), ("photo",))
    with pytest.raises(ComplianceBlocked, match="no consent is on file"):
        update_post(db, replace(post, status=S.APPROVED, consent=forged), today=TODAY)


def test_adding_a_post_as_approved_runs_the_checks(db):
    with pytest.raises(ComplianceBlocked) as caught:
        clean(db, S.APPROVED, features_patient=True)
    assert caught.value.post_id is None
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    assert clean(db, S.SCHEDULED).status is S.SCHEDULED


def test_evidence_and_channel_limits_block_approval(db):
    edu = clean(db, S.REVIEW, content_type=ContentType.EDUCATIONAL)
    with pytest.raises(ComplianceBlocked, match="need at least one source"):
        update_post(db, replace(edu, status=S.APPROVED), today=TODAY)
    long = clean(db, S.REVIEW, body="x" * 300, channels=(Channel.X,))
    with pytest.raises(ComplianceBlocked, match="X allows 280"):
        update_post(db, replace(long, status=S.SCHEDULED), today=TODAY)


# --- overrides -----------------------------------------------------------------------------


def test_a_reviewer_override_unblocks_one_finding_and_is_logged(db):
    post = clean(db, S.REVIEW, body="Donate by phone: 608-555-0143. Or email gifts@example.com")
    keys = [f.key for f in findings_for(db, post, today=TODAY)]
    assert keys == ["phone:608-555-0143", "email:gifts@example.com"]
    saved = add_override(
        db,
        post,
        keys[0],
        "  foundation's public line ",
        today=TODAY,
        who="rev",
        now=datetime(2026, 11, 21, 9, 0),
    )
    assert (saved.reason, saved.who) == ("foundation's public line", "rev")
    entry = change_log(db, entity="post", entity_id=post.id)[0]
    assert (entry.action, entry.who, entry.changes["finding"]) == ("override", "rev", keys[0])
    with pytest.raises(ComplianceBlocked, match="email"):
        update_post(db, replace(post, status=S.APPROVED), today=TODAY)
    add_override(db, post, keys[1], "foundation inbox", today=TODAY, who="rev")
    assert update_post(db, replace(post, status=S.APPROVED), today=TODAY).status is S.APPROVED


def test_an_override_stops_applying_when_the_text_changes(db):
    post = clean(db, S.REVIEW, body="Call 608-555-0143")
    add_override(db, post, "phone:608-555-0143", "ok", today=TODAY)
    edited = update_post(db, replace(post, body="Call 608-555-0199"), today=TODAY)
    with pytest.raises(ComplianceBlocked, match="608-555-0199"):
        update_post(db, replace(edited, status=S.APPROVED), today=TODAY)


@pytest.mark.parametrize(
    ("key", "reason", "message"),
    [
        ("phone:608-555-0143", "   ", "reason"),
        ("phone:608-555-0000", "ok", "no PHI finding"),
        ("consent:missing:consent", "ok", "only PHI findings"),
    ],
)
def test_bad_overrides_are_refused(db, key, reason, message):
    post = clean(db, S.REVIEW, body="Call 608-555-0143", features_patient=True)
    with pytest.raises(OverrideError, match=message):
        add_override(db, post, key, reason, today=TODAY)
    assert list_overrides(db, post.id) == []


def test_withdrawing_an_override_blocks_again(db):
    post = clean(db, S.REVIEW, body="Call 608-555-0143")
    add_override(db, post, "phone:608-555-0143", "ok", today=TODAY)
    remove_override(db, post.id, "phone:608-555-0143", who="lead")
    assert change_log(db, entity="post", entity_id=post.id)[0].action == "override-removed"
    assert [f.blocking for f in findings_for(db, post, today=TODAY)] == [True]
    with pytest.raises(OverrideError):
        remove_override(db, post.id, "phone:608-555-0143")


def test_overrides_go_with_their_post(db):
    post = clean(db, S.REVIEW, body="Call 608-555-0143")
    add_override(db, post, "phone:608-555-0143", "ok", today=TODAY)
    delete_post(db, post.id)
    assert list_overrides(db) == []


def test_review_skips_rejected_and_archived_posts(db):
    live = clean(db, S.DRAFT, body="Call 608-555-0143")
    gone = clean(db, S.ARCHIVED, body="Call 608-555-0143")
    result = review(db, [get_post(db, live.id), get_post(db, gone.id)], today=TODAY)
    assert list(result) == [live.id]


def test_an_observances_own_source_lets_its_post_be_approved(db):
    """Issue 13: the source carecal pre-fills from an observance is trusted for that post."""
    from calendar_data.observances import add_custom_observance

    add_custom_observance(
        db,
        {
            "id": "founders-day",
            "name": "Riverside Founders Day",
            "kind": "day",
            "rule": {"date": "03-03"},
            "category": "general-wellness",
            "regions": ["US"],
            "hashtags": ["#RiversideAt100"],
            "organisation": "Riverside Health",
            "source": "https://www.riverside.example/founders",
        },
    )
    wkd = add_post(
        db,
        Post(
            title="World Kidney Day",
            day=date(2027, 3, 11),
            observance_id="world-kidney-day",
            content_type=ContentType.EDUCATIONAL,
            sources=("https://www.worldkidneyday.org/",),
        ),
        today=TODAY,
    )
    own = add_post(
        db,
        Post(
            title="Founders Day",
            day=date(2027, 3, 3),
            observance_id="founders-day",
            content_type=ContentType.EDUCATIONAL,
            sources=("https://riverside.example/history",),
        ),
        today=TODAY,
    )
    stray = add_post(
        db,
        Post(
            title="Kidney facts",
            day=date(2027, 3, 11),
            content_type=ContentType.EDUCATIONAL,
            sources=("https://www.worldkidneyday.org/",),
        ),
        today=TODAY,
    )
    assert findings_for(db, wkd, today=TODAY) == [] and findings_for(db, own, today=TODAY) == []
    found = review(db, [wkd, own, stray], today=TODAY)
    assert found[wkd.id] == [] and found[own.id] == []
    assert [f.kind for f in found[stray.id]] == ["untrusted"]
    assert (
        update_post(db, replace(own, status=Status.APPROVED), today=TODAY).status is Status.APPROVED
    )
    with pytest.raises(ComplianceBlocked):
        update_post(db, replace(stray, status=Status.APPROVED), today=TODAY)
