"""A patient's written consent for one post: record, read and remove it.

Consent lives only in the `consents` table (one record per post) and in the
`Consent` model read with the post; it is never exported, in any feed or file.
The checks that use it are in `compliance` (missing, expired, out of scope).
"""

from __future__ import annotations

from datetime import date, datetime

from calendar_data.checks.workflow import APPROVED_OR_LATER
from calendar_data.errors import PostError
from calendar_data.models import Channel, Consent, Post
from calendar_data.posts import add_post, get_post
from calendar_data.settings import current_user
from calendar_data.storage.changelog import log_change, redact_changes
from calendar_data.storage.columns import dumps, loads_tuple
from calendar_data.storage.connection import utcnow

MEDIA: tuple[str, ...] = ("photo", "video", "audio", "story", "quote", "name")
"""What a consent form can allow: images, footage, voice, the story told, words quoted, the name."""


class ConsentError(ValueError):
    """A consent record that cannot be saved or removed as given; names the field."""


def get_consent(db, post_id: int) -> Consent | None:
    """The consent on file for a post, or None."""
    row = db.execute(
        "SELECT form_ref, signed_on, expires_on, channels, media, recorded_by FROM consents "
        "WHERE post_id = ?",
        [post_id],
    ).fetchone()
    if row is None:
        return None
    return Consent(
        form_ref=row[0],
        signed_on=date.fromisoformat(row[1]),
        expires_on=date.fromisoformat(row[2]) if row[2] else None,
        channels=tuple(Channel(c) for c in loads_tuple(row[3])),
        media=loads_tuple(row[4]),
        recorded_by=row[5],
    )


def validate_consent(
    consent: Consent, post_channels: tuple[Channel, ...] = (), *, expiry_required: bool = True
) -> Consent:
    """The consent tidied (channels default to the post's), or ConsentError naming the field.

    `expiry_required=False` accepts a record without an expiry date: a teammate's record from
    older data that sync mirrors as it is (the approval gate still blocks on it: "no-expiry").
    """
    form_ref = " ".join((consent.form_ref or "").split())
    if not form_ref:
        raise ConsentError("form: give the signed form's reference")
    if len(form_ref) > 100:
        raise ConsentError("form: keep the reference under 100 characters")
    if not isinstance(consent.signed_on, date):
        raise ConsentError("signed: the date the form was signed is required")
    if consent.expires_on is None and expiry_required:
        raise ConsentError("expires: a consent needs an expiry date")
    if consent.expires_on is not None and consent.expires_on < consent.signed_on:
        raise ConsentError(
            f"expires: {consent.expires_on} is before the signed date {consent.signed_on}"
        )
    channels = tuple(dict.fromkeys(Channel(c) for c in (consent.channels or post_channels)))
    if not channels:
        raise ConsentError("channel: name at least one channel the patient agreed to")
    media = tuple(dict.fromkeys(m.strip().lower() for m in consent.media if m.strip()))
    bad = [m for m in media if m not in MEDIA]
    if bad:
        raise ConsentError(f"media: {bad[0]!r} is not one of {', '.join(MEDIA)}")
    if not media:
        raise ConsentError(f"media: name what the patient agreed to ({', '.join(MEDIA)})")
    return Consent(
        form_ref=form_ref,
        signed_on=consent.signed_on,
        expires_on=consent.expires_on,
        channels=channels,
        media=media,
        recorded_by=(consent.recorded_by or "").strip(),
    )


def record_consent(
    db,
    post_id: int,
    consent: Consent,
    *,
    who: str | None = None,
    now: datetime | None = None,
    expiry_required: bool = True,
) -> Consent:
    """Save (or replace) the post's consent in one logged transaction; returns it as stored.

    `recorded_by` defaults to `who`, then the current user. With no channels
    given, the scope is the post's channels at the time of recording.
    `expiry_required` as in `validate_consent` (sync passes False).
    """
    post = get_post(db, post_id)
    consent = validate_consent(consent, post.channels, expiry_required=expiry_required)
    with db.atomic():
        _write_consent(db, post_id, consent, who=who, now=now)
    saved = get_consent(db, post_id)
    if saved is None:  # the row was written just above, in this transaction
        raise ConsentError(f"post {post_id}: the consent could not be read back")
    return saved


def add_post_with_consent(
    db,
    post: Post,
    consent: Consent,
    *,
    who: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> Post:
    """Save a new post and its patient's consent in one transaction (the editor's new-post path).

    The approval gate judges the post with this consent, so a patient story can
    be created approved when its consent covers it; if either part is refused,
    neither is saved.
    """
    consent = validate_consent(consent, post.channels)
    with db.atomic():
        saved = add_post(db, post, who=who, now=now, today=today, consent=consent)
        if saved.id is None:
            raise PostError("id", "the new post was not given an id")
        _write_consent(db, saved.id, consent, who=who, now=now)
    return get_post(db, saved.id)


def _write_consent(
    db, post_id: int, consent: Consent, *, who: str | None, now: datetime | None
) -> None:
    """Insert or replace the consent row and log it (inside the caller's transaction)."""
    recorded_by = consent.recorded_by or who or current_user()
    before = get_consent(db, post_id)
    stamp = (now or utcnow()).isoformat()
    db.execute(
        "INSERT OR REPLACE INTO consents (post_id, form_ref, signed_on, expires_on, channels, media, "
        "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            post_id,
            consent.form_ref,
            consent.signed_on.isoformat(),
            consent.expires_on.isoformat() if consent.expires_on else None,
            dumps(tuple(str(c) for c in consent.channels)),
            dumps(consent.media),
            recorded_by,
            stamp,
        ],
    )
    log_change(
        db,
        "consent" if before is None else "consent-replaced",
        "post",
        post_id,
        _summary(consent),
        who=who,
        at=now,
    )


def remove_consent(
    db, post_id: int, *, who: str | None = None, now: datetime | None = None
) -> Consent:
    """Delete the post's consent (e.g. when a patient withdraws it); returns what was removed.

    Refused while the post is approved, scheduled or published: take it out of
    the schedule first (move it back to draft, or archive it). The form reference
    is redacted from every change-log entry of the post in the same transaction
    (backups made before keep it: see docs/compliance.md, "What backups hold").
    """
    post = get_post(db, post_id)
    consent = get_consent(db, post_id)
    if consent is None:
        raise ConsentError(f"post {post_id} has no consent on file")
    if post.features_patient and post.status in APPROVED_OR_LATER:
        raise PostError(
            "status",
            f"post {post_id} is {post.status}; move it back to draft or archive it "
            "before removing its consent",
        )
    with db.atomic():
        db.execute("DELETE FROM consents WHERE post_id = ?", [post_id])
        redact_changes(
            db, "post", post_id, {"form_ref"}
        )  # withdrawn: its reference leaves the history too
        log_change(db, "consent-removed", "post", post_id, {}, who=who, at=now)
    return consent


def _summary(consent: Consent) -> dict:
    """What the change log keeps about a consent (the record itself stays in its table)."""
    return {
        "form_ref": consent.form_ref,
        "signed_on": consent.signed_on.isoformat(),
        "expires_on": consent.expires_on.isoformat() if consent.expires_on else None,
        "channels": [str(c) for c in consent.channels],
        "media": list(consent.media),
    }
