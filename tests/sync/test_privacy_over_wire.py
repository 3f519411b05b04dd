"""Private notes never reach the server; consent details only to a target marked --share-consent."""

from __future__ import annotations

from datetime import date

import pytest

from calendar_data.consent import get_consent, record_consent
from calendar_data.models import Channel, Consent, Post
from calendar_data.posts import add_post, list_posts
from calendar_data.sync import Target, TargetError, add_target
from tests.sync.conftest import make_teammate

NOTE = "PRIVATE-NOTE-MARKER-7f3a"
FORM = "CONSENT-FORM-MARKER-91c2"
RECORDER = "RECORDER-MARKER-Quill"


def _plant(db) -> None:
    post = add_post(
        db,
        Post(
            title="Patient story: Ana",
            day=date(2027, 3, 12),
            features_patient=True,
            channels=(Channel.FACEBOOK,),
            body="Ana is home.",
            private_notes=NOTE,
        ),
    )
    record_consent(
        db,
        post.id,
        Consent(
            form_ref=FORM,
            signed_on=date(2027, 2, 1),
            expires_on=date(2028, 1, 1),
            channels=(Channel.FACEBOOK,),
            media=("photo", "story"),
            recorded_by=RECORDER,
        ),
    )


def test_private_notes_and_consent_details_never_reach_the_server(
    own_radicale, tmp_path, monkeypatch
):
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", "s3cret-team-pass")
    url = own_radicale.new_calendar()
    alice = make_teammate(tmp_path / "alice.db", url)
    _plant(alice.db)
    alice.sync()
    stored = own_radicale.storage_bytes()
    assert b"Patient story: Ana" in stored  # the post itself did go
    assert b"2028" in stored and b"photo" in stored  # so did what a teammate's gate needs
    for marker in (NOTE, FORM, RECORDER):
        assert marker.encode() not in stored, marker
    bob = make_teammate(tmp_path / "bob.db", url)
    bob.sync()
    bob.sync()  # and bob's copy, going back up, adds nothing private either
    for marker in (NOTE, FORM, RECORDER):
        assert marker.encode() not in own_radicale.storage_bytes(), marker


def test_share_consent_sends_the_form_reference_but_never_the_notes(
    own_radicale, tmp_path, monkeypatch
):
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", "s3cret-team-pass")
    url = own_radicale.new_calendar()
    alice = make_teammate(tmp_path / "alice.db", url, share_consent=True)
    _plant(alice.db)
    alice.sync()
    stored = own_radicale.storage_bytes()
    assert FORM.encode() in stored and RECORDER.encode() in stored
    assert NOTE.encode() not in stored
    bob = make_teammate(tmp_path / "bob.db", url, share_consent=True)
    bob.sync()
    [post] = list_posts(bob.db)
    consent = get_consent(bob.db, post.id)
    assert (consent.form_ref, consent.recorded_by) == (FORM, RECORDER) and post.private_notes == ""


@pytest.mark.parametrize(
    "url", ["http://calendar.example.org/dav/team/", "http://10.1.2.3:5232/team/"]
)
def test_plain_http_to_another_machine_is_refused(tmp_path, url):
    from calendar_data.storage.database import open_db

    db = open_db(tmp_path / "c.db")
    with pytest.raises(TargetError, match="plain http"):
        add_target(db, Target(name="team", url=url))
    assert db.execute("SELECT count(*) FROM sync_targets").fetchone()[0] == 0
    add_target(db, Target(name="lab", url=url, allow_http=True))  # only with the explicit flag
    add_target(db, Target(name="local", url="http://127.0.0.1:5232/team/"))
    add_target(
        db,
        Target(
            name="secure", url="https://caldav.fastmail.com/dav/calendars/user/me@example.com/x/"
        ),
    )
