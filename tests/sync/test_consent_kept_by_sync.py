"""Sync never deletes a consent because the other side lacks it (docs/performance.md, sync benchmark)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from calendar_data.consent import _write_consent, get_consent
from calendar_data.models import Channel, Consent, Post
from calendar_data.posts import add_post, list_posts, update_post


def test_consent_without_expiry_survives_a_round_trip_through_a_teammate(team):
    alice, bob, _ = team
    post = add_post(
        alice.db,
        Post(
            title="Maria's recovery story",
            day=date(2027, 3, 10),
            channels=(Channel.FACEBOOK,),
            features_patient=True,
            owner="alice",
        ),
    )
    # older data: a consent with no expiry date (validate_consent would refuse it now)
    with alice.db.atomic():
        _write_consent(
            alice.db,
            post.id,
            Consent(
                form_ref="FORM-2019-017",
                signed_on=date(2019, 5, 2),
                expires_on=None,
                channels=(Channel.FACEBOOK,),
                media=("photo", "story"),
                recorded_by="alice",
            ),
            who="alice",
            now=None,
        )
    alice.sync()
    bob.sync()
    [theirs] = list_posts(bob.db)
    update_post(bob.db, replace(theirs, title="Maria's recovery story (edited)"))
    bob.sync()
    alice.sync()

    [mine] = list_posts(alice.db)
    assert mine.title == "Maria's recovery story (edited)"
    kept = get_consent(alice.db, post.id)
    assert kept is not None
    assert (kept.form_ref, kept.signed_on, kept.expires_on) == (
        "FORM-2019-017",
        date(2019, 5, 2),
        None,
    )
