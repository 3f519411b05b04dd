"""Workflow holes, approvers, crisis holds and privacy leaks of issue 13, at the data layer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
import vobject

from calendar_data.checks.approval import ComplianceBlocked
from calendar_data.consent import add_post_with_consent, get_consent, record_consent, remove_consent
from calendar_data.errors import PostError
from calendar_data.holds import HoldError, held_ids, list_holds, place_hold, release_hold
from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.models import Channel, Consent, ContentType, Post, Status
from calendar_data.posts import add_post, delete_post, get_post, update_post
from calendar_data.settings import Settings
from calendar_data.storage.changelog import change_log
from calendar_data.storage.settings_table import save_settings

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)  # 10:00 in New York
CONSENT = Consent(
    form_ref="MARK-FORM-9b2c",
    signed_on=date(2026, 11, 1),
    expires_on=date(2027, 11, 1),
    channels=(Channel.FACEBOOK,),
    media=("story",),
)


def post(db, **fields) -> Post:
    base = {
        "title": "Flu clinic hours",
        "day": date(2027, 2, 1),
        "body": "Walk-in flu shots Saturday.",
        "channels": (Channel.FACEBOOK,),
        "status": Status.DRAFT,
    }
    return add_post(db, Post(**(base | fields)), who="sam", now=NOW)


# --- published needs its time to have come ---------------------------------------------------


def test_a_post_dated_next_february_cannot_be_marked_published_today(db):
    saved = post(db, status=Status.SCHEDULED)
    with pytest.raises(ComplianceBlocked, match="due 2027-02-01, not yet come"):
        update_post(db, replace(saved, status=Status.PUBLISHED), who="mark", now=NOW)
    assert get_post(db, saved.id).status is Status.SCHEDULED


def test_it_can_with_a_stated_reason_which_the_history_keeps(db):
    saved = post(db, status=Status.SCHEDULED)
    update_post(
        db,
        replace(saved, status=Status.PUBLISHED),
        who="mark",
        now=NOW,
        reason="went out early by hand",
    )
    entry = change_log(db, entity="post", entity_id=saved.id)[0]
    assert (entry.who, entry.changes["reason"]) == ("mark", "went out early by hand")


def test_publishing_goes_by_the_team_time_zone(db):
    saved = post(db, status=Status.SCHEDULED, day=date(2026, 11, 21), time=time(10, 30))
    with pytest.raises(ComplianceBlocked):  # 10:00 in New York: not yet
        update_post(db, replace(saved, status=Status.PUBLISHED), now=NOW)
    update_post(
        db, replace(saved, status=Status.PUBLISHED), now=datetime(2026, 11, 21, 15, 31, tzinfo=UTC)
    )


def test_an_archived_published_post_can_only_be_restored_to_published(db):
    saved = post(db, status=Status.SCHEDULED, day=date(2026, 11, 20))
    published = update_post(db, replace(saved, status=Status.PUBLISHED), now=NOW)
    archived = update_post(db, replace(published, status=Status.ARCHIVED), now=NOW)
    for status in (Status.IDEA, Status.DRAFT):
        with pytest.raises(PostError, match="only be restored to published"):
            update_post(db, replace(archived, status=status), now=NOW)
    assert (
        update_post(db, replace(archived, status=Status.PUBLISHED), now=NOW).status
        is Status.PUBLISHED
    )


def test_an_archived_draft_still_goes_back_to_draft(db):
    archived = update_post(db, replace(post(db), status=Status.ARCHIVED), now=NOW)
    assert update_post(db, replace(archived, status=Status.DRAFT), now=NOW).status is Status.DRAFT


# --- approvers -------------------------------------------------------------------------------


def test_only_listed_approvers_may_approve_and_the_history_names_them(db):
    save_settings(db, Settings(approvers=("mark", "Priya")))
    saved = post(db)
    with pytest.raises(ComplianceBlocked, match="sam may not approve"):
        update_post(db, replace(saved, status=Status.APPROVED), who="sam", now=NOW)
    update_post(db, replace(saved, status=Status.APPROVED), who="priya", now=NOW)
    assert change_log(db, entity="post", entity_id=saved.id)[0].who == "priya"


def test_anyone_may_approve_when_no_approvers_are_listed(db):
    assert (
        update_post(db, replace(post(db), status=Status.APPROVED), who="anyone", now=NOW).status
        is Status.APPROVED
    )


def test_the_author_may_not_approve_their_own_health_claim_when_the_team_says_so(db):
    save_settings(db, Settings(approver_not_author=True))
    claim = post(
        db,
        body="Flu shots reduce your risk of hospitalisation.",
        sources=("https://www.cdc.gov/flu",),
    )
    with pytest.raises(ComplianceBlocked, match="sam wrote this post"):
        update_post(db, replace(claim, status=Status.APPROVED), who="sam", now=NOW)
    assert (
        update_post(db, replace(claim, status=Status.APPROVED), who="mark", now=NOW).status
        is Status.APPROVED
    )
    plain = post(db)  # neither a patient story nor a claim: the author may approve it
    assert (
        update_post(db, replace(plain, status=Status.APPROVED), who="sam", now=NOW).status
        is Status.APPROVED
    )


# --- consent with a new post, in one transaction ---------------------------------------------------


def test_a_new_patient_story_is_saved_with_its_consent_in_one_transaction(db):
    story = Post(
        title="Back on the trail",
        day=date(2027, 2, 1),
        status=Status.APPROVED,
        content_type=ContentType.PATIENT_STORY,
        features_patient=True,
        channels=(Channel.FACEBOOK,),
    )
    saved = add_post_with_consent(db, story, CONSENT, who="jo", now=NOW)
    assert (
        saved.status is Status.APPROVED and get_consent(db, saved.id).form_ref == CONSENT.form_ref
    )
    with pytest.raises(
        ComplianceBlocked
    ):  # out of scope: neither the post nor the consent is saved
        add_post_with_consent(
            db,
            replace(story, title="Other", channels=(Channel.X,)),
            replace(CONSENT, channels=(Channel.FACEBOOK,)),
            now=NOW,
        )
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM consents").fetchone()[0] == 1


def test_a_consent_on_the_post_itself_does_not_pass_the_gate(db):
    story = Post(
        title="Back on the trail",
        day=date(2027, 2, 1),
        status=Status.APPROVED,
        features_patient=True,
        channels=(Channel.FACEBOOK,),
        consent=CONSENT,
    )
    with pytest.raises(ComplianceBlocked, match="no consent is on file"):
        add_post(db, story, now=NOW)  # add_post saves no consent, so it cannot count one


# --- privacy: the change log forgets ---------------------------------------------------------------


def _log_text(db) -> str:
    return json.dumps([e.changes for e in change_log(db, limit=10_000)])


def test_withdrawing_consent_erases_its_reference_from_the_history(db):
    story = post(db, features_patient=True, private_notes="family via patient experience")
    record_consent(db, story.id, CONSENT, who="jo")
    record_consent(db, story.id, replace(CONSENT, form_ref="MARK-FORM-2"), who="jo")
    assert "MARK-FORM-9b2c" in _log_text(db)
    remove_consent(db, story.id, who="jo")
    assert "MARK-FORM" not in _log_text(db)
    actions = [e.action for e in change_log(db, entity="post", entity_id=story.id)]
    assert actions[:3] == [
        "consent-removed",
        "consent-replaced",
        "consent",
    ]  # the events stay, the reference goes


def test_deleting_a_post_erases_its_private_notes_and_form_reference(db):
    story = post(db, features_patient=True, private_notes="call Maria on 555-0100")
    update_post(db, replace(get_post(db, story.id), private_notes="new secret note"), now=NOW)
    record_consent(db, story.id, CONSENT)
    delete_post(db, story.id, who="jo")
    text = _log_text(db)
    for secret in ("call Maria", "new secret note", "MARK-FORM-9b2c"):
        assert secret not in text
    raw = db.execute("SELECT group_concat(changes) FROM changes").fetchone()[0]
    assert "call Maria" not in raw


# --- crisis holds ----------------------------------------------------------------------------


def _vevents(db):
    data = export_bytes(
        db,
        ExportSpec(date(2027, 1, 1), date(2027, 3, 31), include=("posts",)),
        now=NOW,
        today=TODAY,
    )
    return {e.summary.value: e for e in vobject.readOne(data.decode()).vevent_list}


def test_a_hold_cancels_approved_and_scheduled_posts_until_released(db):
    promo = post(db, title="Spring gala tickets", status=Status.APPROVED, day=date(2027, 1, 12))
    scheduled = post(db, title="Step challenge", status=Status.SCHEDULED, day=date(2027, 1, 14))
    crisis = post(
        db,
        title="Visitor guidance",
        status=Status.APPROVED,
        day=date(2027, 1, 13),
        content_type=ContentType.CRISIS_UPDATE,
        sources=("https://www.cdc.gov/x",),
    )
    draft = post(db, title="Draft idea", day=date(2027, 1, 13))
    outside = post(db, title="Later", status=Status.APPROVED, day=date(2027, 2, 20))
    before = {k: (e.status.value, int(e.sequence.value)) for k, e in _vevents(db).items()}
    hold = place_hold(
        db, date(2027, 1, 10), date(2027, 1, 24), "Mass casualty incident", who="mark", now=NOW
    )
    assert hold.post_ids == (promo.id, scheduled.id) and hold.active
    held = _vevents(db)
    for title in ("Spring gala tickets", "Step challenge"):
        assert held[title].status.value == "CANCELLED"
        assert int(held[title].sequence.value) == before[title][1] + 1
    for title in ("Visitor guidance", "Draft idea", "Later"):
        assert (held[title].status.value, int(held[title].sequence.value)) == before[title]
    assert get_post(db, promo.id).status is Status.APPROVED  # the status itself is untouched
    assert held_ids(db, [promo, scheduled, crisis, draft, outside]) == {promo.id, scheduled.id}
    release_hold(db, hold.id, who="priya", now=NOW)
    back = _vevents(db)
    assert back["Spring gala tickets"].status.value == "CONFIRMED"
    assert int(back["Spring gala tickets"].sequence.value) == before["Spring gala tickets"][1] + 2
    history = [(e.action, e.who) for e in change_log(db, entity="post", entity_id=promo.id)][:2]
    assert history == [("release", "priya"), ("hold", "mark")]


def test_a_post_approved_into_an_active_hold_is_held_too(db):
    hold = place_hold(db, date(2027, 1, 10), date(2027, 1, 24), "Incident", now=NOW)
    late = update_post(
        db, replace(post(db, day=date(2027, 1, 15)), status=Status.APPROVED), now=NOW
    )
    assert held_ids(db, [late]) == {late.id}
    seq = int(_vevents(db)["Flu clinic hours"].sequence.value)
    release_hold(db, hold.id, now=NOW)
    assert int(_vevents(db)["Flu clinic hours"].sequence.value) == seq + 2
    assert held_ids(db, [get_post(db, late.id)]) == frozenset()


def test_hold_input_is_checked(db):
    with pytest.raises(HoldError, match="reason"):
        place_hold(db, date(2027, 1, 1), date(2027, 1, 2), "  ")
    with pytest.raises(HoldError, match="before"):
        place_hold(db, date(2027, 1, 2), date(2027, 1, 1), "x")
    hold = place_hold(db, date(2027, 1, 1), date(2027, 1, 2), "x")
    release_hold(db, hold.id)
    with pytest.raises(HoldError, match="already released"):
        release_hold(db, hold.id)
    assert [h.active for h in list_holds(db)] == [False]
