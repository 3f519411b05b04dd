"""The approval gate: the one place a save into approved or later is checked, and a finding accepted.

Every writer of posts (the editor, the CLI, iCal import, sync) saves through
`posts.add_post` / `posts.update_post`, which call `require_compliance` here; a
reviewer's acceptance of a PHI finding is recorded through `add_override` here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from calendar_data.checks.findings import claim_spans, features_patient, reasons
from calendar_data.checks.overrides import (
    MAX_REASON,
    Override,
    OverrideError,
    insert_override,
    list_overrides,
)
from calendar_data.checks.review import findings_for
from calendar_data.checks.workflow import APPROVED_OR_LATER, publish_error, restore_error
from calendar_data.errors import ComplianceBlocked, PostError
from calendar_data.models import Consent, Post, Status
from calendar_data.settings import Settings, current_user
from calendar_data.storage.changelog import created_by, status_before
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings


def require_compliance(
    db,
    post: Post,
    *,
    before: Post | None,
    today: date | None = None,
    who: str | None = None,
    now: datetime | None = None,
    reason: str | None = None,
    consent: Consent | None = None,
) -> None:
    """Raise ComplianceBlocked when saving `post` moves it into approved or later and the gate refuses.

    Nothing is checked when the status stays as stored or is before approved.
    `before` is the post as stored (None for a new one): the consent on file is
    used, never the caller's copy (for a new post, `consent` is the one the
    caller saves in the same transaction: `consent.add_post_with_consent`). `today`
    dates the consent checks; `who` is the acting name (approvers); `now` and
    `reason` decide whether a post may be marked published before its time.
    """
    found = gate_reasons(
        db, post, before=before, today=today, who=who, now=now, reason=reason, consent=consent
    )
    if found:
        raise ComplianceBlocked(post.id, post.status, found)


def gate_reasons(
    db,
    post: Post,
    *,
    before: Post | None,
    today: date | None = None,
    who: str | None = None,
    now: datetime | None = None,
    reason: str | None = None,
    settings: Settings | None = None,
    consent: Consent | None = None,
) -> list[str]:
    """Why the gate would refuse this save (empty: it passes); `require_compliance` without raising.

    An import plans with it (so `--dry-run` shows the same verdicts as the import).
    """
    if post.status not in APPROVED_OR_LATER:
        return []
    if before is not None and before.status == post.status:
        return []
    post = replace(post, consent=before.consent if before is not None else consent)
    settings = settings or load_settings(db)
    moment = _local_now(settings, now, today)
    found = reasons(findings_for(db, post, today=today or moment.date(), settings=settings))
    found += approver_problems(
        db, post, before=before, who=who or current_user(), settings=settings
    )
    if post.status is Status.PUBLISHED:
        problem = publish_error(post, moment, reason)
        if problem:
            found.append(f"status: {problem}")
    return found


def _local_now(settings: Settings, now: datetime | None, today: date | None) -> datetime:
    """Now in the team's zone (naive); with only `today` given, the end of that day (no clock read)."""
    if now is None and today is not None:
        return datetime.combine(today, datetime.max.time())
    return (now or utcnow()).astimezone(ZoneInfo(settings.timezone)).replace(tzinfo=None)


def approver_problems(
    db, post: Post, *, before: Post | None, who: str, settings: Settings
) -> list[str]:
    """Why `who` may not approve the post: not a listed approver, or its author on a sensitive post."""
    if before is not None and before.status in APPROVED_OR_LATER:
        return []  # approved already: scheduling or publishing is not a second approval
    problems = []
    if settings.approvers and who.casefold() not in {a.casefold() for a in settings.approvers}:
        problems.append(
            f"approver: {who} may not approve posts (approvers: {', '.join(settings.approvers)})"
        )
    if settings.approver_not_author and is_sensitive(post):
        authors = {
            a.casefold()
            for a in (post.owner, created_by(db, "post", post.id) if post.id else None)
            if a
        }
        if who.casefold() in authors:
            problems.append(
                f"approver: {who} wrote this post; a patient story or health claim needs a "
                "second person to approve it"
            )
    return problems


def is_sensitive(post: Post) -> bool:
    """A patient story or a health claim: the posts a team may want a second approver for."""
    return features_patient(post) or bool(claim_spans(post.title) or claim_spans(post.body))


def require_transition(db, before: Post, post: Post) -> None:
    """PostError('status') when the workflow forbids `before.status -> post.status` for this post.

    An archived post that was published is only restored to published (its history says so).
    """
    if before.status == post.status:
        return
    archived_from = (
        status_before(db, before.id, "archived") if before.status is Status.ARCHIVED else None
    )
    problem = restore_error(before.status, post.status, archived_from)
    if problem:
        raise PostError("status", problem)


def add_override(
    db,
    post: Post,
    key: str,
    reason: str,
    *,
    today: date,
    who: str | None = None,
    now: datetime | None = None,
) -> Override:
    """Record that the finding `key` on the post is accepted, with the reviewer's reason.

    Raises:
        OverrideError: no reason, or the post has no current finding with that key
            (so a typo never leaves a silent override behind), or it cannot be overridden.
    """
    if post.id is None:
        raise OverrideError("post: save the post before overriding one of its findings")
    reason = " ".join((reason or "").split())
    if not reason:
        raise OverrideError("reason: say why this finding is safe to publish")
    if len(reason) > MAX_REASON:
        raise OverrideError(f"reason: keep it under {MAX_REASON} characters")
    findings = findings_for(db, post, today=today)
    keys = {f.key for f in findings if f.overridable}
    if key not in keys:
        if any(f.key == key for f in findings):
            raise OverrideError(f"{key}: only PHI findings can be overridden; fix this one instead")
        known = ", ".join(sorted(keys)) or "none"
        raise OverrideError(f"post {post.id} has no PHI finding {key!r} (current keys: {known})")
    insert_override(db, post.id, key, reason, who=who, at=now or utcnow())
    return next(o for o in list_overrides(db, post.id) if o.key == key)
