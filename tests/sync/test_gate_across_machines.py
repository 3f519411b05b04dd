"""The approval gate holds across machines: a remote edit of an approved post is checked again here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from calendar_data.consent import get_consent, record_consent
from calendar_data.models import Channel, Consent, Post, Status
from calendar_data.posts import add_post, get_post, list_posts, update_post
from calendar_data.storage.changelog import change_log


def _only(db) -> Post:
    [post] = list_posts(db)
    return post


def test_approved_post_edited_on_another_machine_goes_back_through_the_gate_there(team):
    alice, bob, _ = team
    approved = add_post(
        alice.db,
        Post(
            title="Book your screening",
            day=date(2027, 3, 20),
            body="Call our clinic line to book.",
            status=Status.APPROVED,
        ),
    )
    alice.sync()
    bob.sync()
    assert _only(bob.db).status is Status.APPROVED  # it passes here too
    update_post(bob.db, replace(_only(bob.db), body="Call Jane Doe at 555-201-3344 to book."))

    sent = bob.sync()  # the editing machine's gate: back to draft here, sent as a draft
    assert _only(bob.db).status is Status.DRAFT
    assert sent.pushed["updated"] == 1 and sent.gated[0]["post_id"] == _only(bob.db).id
    assert any("555-201-3344" in r for r in sent.gated[0]["reasons"])
    gate = [
        e
        for e in change_log(bob.db, entity="post", entity_id=_only(bob.db).id)
        if e.action == "sync-gate"
    ]
    assert gate and gate[0].changes["edited_here"] and gate[0].changes["target"] == "team"

    result = alice.sync()  # a draft needs no gate: the whole team sees it needs review
    after = get_post(alice.db, approved.id)
    assert (after.status, after.body) == (Status.DRAFT, "Call Jane Doe at 555-201-3344 to book.")
    assert not result.gated and not result.held
    assert "via sync team" in change_log(alice.db, entity="post", entity_id=approved.id)[0].who


def test_approved_post_still_passing_stays_approved(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Walk with a doc", day=date(2027, 4, 2), status=Status.APPROVED))
    alice.sync()
    bob.sync()
    update_post(bob.db, replace(_only(bob.db), title="Walk with a doctor"))
    bob.sync()
    result = alice.sync()
    assert _only(alice.db).status is Status.APPROVED and not result.gated


def test_patient_post_without_shared_consent_passes_on_the_summary(team):
    alice, bob, _ = team
    post = add_post(
        alice.db,
        Post(
            title="Maria's story",
            day=date(2027, 3, 25),
            features_patient=True,
            channels=(Channel.FACEBOOK,),
            body="Maria beat the odds.",
        ),
    )
    record_consent(
        alice.db,
        post.id,
        Consent(
            form_ref="FORM-ALICE-0042",
            signed_on=date(2027, 2, 1),
            expires_on=date(2028, 2, 1),
            channels=(Channel.FACEBOOK,),
            media=("story",),
            recorded_by="alice",
        ),
    )
    update_post(
        alice.db,
        replace(get_post(alice.db, post.id), status=Status.APPROVED),
        today=date(2027, 3, 1),
    )
    alice.sync()
    bob.sync()
    mine = _only(bob.db)
    assert mine.status is Status.APPROVED
    consent = get_consent(bob.db, mine.id)
    assert "FORM-ALICE-0042" not in consent.form_ref and consent.recorded_by == "sync:team"
    assert (consent.expires_on, consent.channels, consent.media) == (
        date(2028, 2, 1),
        (Channel.FACEBOOK,),
        ("story",),
    )
    bob.sync()
    alice.sync()
    assert (
        get_consent(alice.db, post.id).form_ref == "FORM-ALICE-0042"
    )  # the real form stays where it is


def test_new_post_arriving_approved_without_consent_waits_in_review(team):
    alice, bob, _ = team
    post = add_post(
        alice.db, Post(title="Nurse shout-out", day=date(2027, 5, 6), channels=(Channel.INSTAGRAM,))
    )
    update_post(alice.db, replace(post, status=Status.APPROVED))
    update_post(  # consent now needed (edited after approval, before its first sync)
        alice.db, replace(get_post(alice.db, post.id), features_patient=True)
    )
    alice.sync()
    result = bob.sync()
    mine = _only(bob.db)
    assert mine.status is Status.REVIEW and mine.features_patient
    assert [h["post_id"] for h in result.held] == [mine.id]
    assert any("consent" in r for r in result.held[0]["reasons"])
    assert bob.sync().pushed == {"new": 0, "updated": 0, "deleted": 0}  # held here, not sent back
    assert get_post(alice.db, post.id).status is Status.APPROVED
