"""The stored needs-attention mark always equals the one computed from scratch, after any write."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from calendar_data.agenda import agenda
from calendar_data.checks.approval import add_override
from calendar_data.checks.findings import check_post
from calendar_data.checks.marks import days_valid, marks_for, prime_marks, store_marks
from calendar_data.checks.review import attention_ids, findings_for
from calendar_data.consent import record_consent, remove_consent
from calendar_data.models import Channel, Consent, ContentType, Filters, Post, Status
from calendar_data.observances import add_custom_observance
from calendar_data.posts import add_post, delete_post, get_post, list_posts, update_post
from calendar_data.storage.settings_table import load_settings, save_settings
from tests.conftest import TODAY

START, END = TODAY - timedelta(days=60), TODAY + timedelta(days=120)


def _seed(db) -> dict[str, Post]:
    posts = {
        "clean": Post(
            title="Flu clinic",
            day=TODAY + timedelta(days=3),
            body="Get your flu shot at our clinic.",
        ),
        "phone": Post(
            title="Call us",
            day=TODAY + timedelta(days=4),
            body="Call Maria's daughter at (608) 555-0143.",
        ),
        "claim": Post(
            title="Claim",
            day=TODAY + timedelta(days=5),
            body="Walking cuts your risk of heart disease.",
        ),
        "patient": Post(
            title="Story",
            day=TODAY + timedelta(days=40),
            body="Meet Ana.",
            features_patient=True,
            channels=(Channel.FACEBOOK,),
            content_type=ContentType.PATIENT_STORY,
        ),
        "archived": Post(
            title="Old",
            day=TODAY + timedelta(days=6),
            body="Call (608) 555-0143.",
            status=Status.ARCHIVED,
        ),
    }
    return {name: add_post(db, post, today=TODAY) for name, post in posts.items()}


def _assert_stored_equals_computed(db, today: date = TODAY) -> frozenset[int]:
    """Read through the store (writing back what it computed), then compare with a fresh review."""
    posts = list_posts(db, START, END)
    stored = prime_marks(db, posts, today=today)
    assert stored == attention_ids(db, posts, today=today)
    again = marks_for(db, posts, today=today)  # now every mark is read back from the table
    assert again.flagged == stored and not again.computed
    return stored


@pytest.fixture
def seeded(db):
    posts = _seed(db)
    _assert_stored_equals_computed(db)
    return posts


def test_first_read_computes_and_stores_then_reads_back(db):
    posts = _seed(db)
    first = marks_for(db, list_posts(db, START, END), today=TODAY)
    assert {m.post_id for m in first.computed} == {
        p.id for n, p in posts.items() if n != "archived"
    }
    assert posts["phone"].id in first.flagged and posts["clean"].id not in first.flagged
    assert posts["archived"].id not in first.flagged  # inactive posts are never marked
    store_marks(db, first.computed)
    assert not marks_for(db, list_posts(db, START, END), today=TODAY).computed


def test_editing_a_post_recomputes_its_mark_only(db, seeded):
    update_post(db, replace(seeded["phone"], body="Call our main line anytime."), today=TODAY)
    result = marks_for(db, list_posts(db, START, END), today=TODAY)
    assert [m.post_id for m in result.computed] == [seeded["phone"].id]
    assert seeded["phone"].id not in _assert_stored_equals_computed(db)
    update_post(
        db, replace(get_post(db, seeded["clean"].id), body="Call (608) 555-0143 now."), today=TODAY
    )
    assert seeded["clean"].id in _assert_stored_equals_computed(db)


def test_consent_recorded_and_removed(db, seeded):
    story = seeded["patient"]
    assert story.id in _assert_stored_equals_computed(db)  # features a patient, no consent
    record_consent(
        db,
        story.id,
        Consent(
            "CF-1",
            TODAY - timedelta(days=1),
            TODAY + timedelta(days=365),
            (Channel.FACEBOOK,),
            ("story",),
        ),
    )
    assert story.id not in _assert_stored_equals_computed(db)
    remove_consent(db, story.id)
    assert story.id in _assert_stored_equals_computed(db)


def test_an_override_clears_the_mark(db, seeded):
    post = seeded["phone"]
    key = next(f.key for f in findings_for(db, post, today=TODAY) if f.type == "phi")
    add_override(db, post, key, "the family asked us to share it", today=TODAY, who="rev")
    flagged = _assert_stored_equals_computed(db)
    assert (post.id in flagged) == any(
        f.blocking or f.override is None
        for f in findings_for(db, get_post(db, post.id), today=TODAY)
    )


def test_settings_change_every_mark(db, seeded):
    assert seeded["phone"].id in _assert_stored_equals_computed(db)
    save_settings(db, replace(load_settings(db), allowed_phones=("(608) 555-0143",)))
    result = marks_for(db, list_posts(db, START, END), today=TODAY)
    assert len(result.computed) == 4  # every active post, since the settings are part of every mark
    assert seeded["phone"].id not in _assert_stored_equals_computed(db)


def test_custom_observance_source_is_part_of_the_mark(db, seeded):
    linked = update_post(
        db,
        replace(
            seeded["clean"], content_type=ContentType.EDUCATIONAL, observance_id="founders-day"
        ),
        today=TODAY,
    )
    _assert_stored_equals_computed(db)
    add_custom_observance(
        db,
        {
            "id": "founders-day",
            "name": "Riverside Founders Day",
            "kind": "day",
            "rule": {"date": "03-03"},
            "category": "general-wellness",
            "regions": ["US"],
            "organisation": "Riverside Health",
            "source": "https://riverside.example/",
        },
    )
    result = marks_for(db, list_posts(db, START, END), today=TODAY)
    assert [m.post_id for m in result.computed] == [
        linked.id
    ]  # the post did not change; its evidence did
    _assert_stored_equals_computed(db)


def test_a_date_passing_an_expiry_is_seen(db, seeded):
    story = seeded["patient"]
    expires = TODAY + timedelta(
        days=10
    )  # before the post date (TODAY + 40): blocking from the start
    record_consent(
        db,
        story.id,
        Consent("CF-2", TODAY + timedelta(days=2), expires, (Channel.FACEBOOK,), ("story",)),
    )
    for offset in range(0, 16):  # the signing day, the expiry and the day after, read day by day
        day = TODAY + timedelta(days=offset)
        _assert_stored_equals_computed(db, today=day)


def test_days_valid_bound_every_change_of_the_consent_findings():
    post = Post(
        title="Story",
        day=TODAY + timedelta(days=40),
        features_patient=True,
        id=1,
        channels=(Channel.FACEBOOK,),
        consent=Consent(
            "CF",
            TODAY + timedelta(days=3),
            TODAY + timedelta(days=50),
            (Channel.FACEBOOK,),
            ("story",),
        ),
    )
    settings = load_settings_default()
    days = [TODAY + timedelta(days=i) for i in range(-5, 70)]
    kinds = {d: sorted(f.kind for f in check_post(post, settings, today=d)) for d in days}
    for day in days:
        first, last = days_valid(post, day)
        for other in days:
            inside = (first is None or first <= other) and (last is None or other <= last)
            if inside:
                assert kinds[other] == kinds[day], (day, other)


def test_the_attention_filter_uses_the_marks(db, seeded):
    items = agenda(db, START, END, filters=Filters(attention=True), today=TODAY, include=("posts",))
    assert {i.post.id for i in items} == _assert_stored_equals_computed(db)


def test_a_deleted_posts_mark_goes_with_it(db, seeded):
    delete_post(db, seeded["phone"].id)
    assert (
        db.execute(
            "SELECT count(*) FROM attention_marks WHERE post_id = ?", [seeded["phone"].id]
        ).fetchone()[0]
        == 0
    )
    result = marks_for(db, [seeded["phone"]], today=TODAY)  # a stale copy of the post
    store_marks(db, result.computed)  # dropped: the post is gone
    assert (
        db.execute(
            "SELECT count(*) FROM attention_marks WHERE post_id = ?", [seeded["phone"].id]
        ).fetchone()[0]
        == 0
    )


def load_settings_default():
    from calendar_data.settings import Settings

    return Settings()
