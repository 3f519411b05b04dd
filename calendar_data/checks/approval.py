"""The approval gate: the one place a save into approved or later is checked, and a finding accepted.

Every writer of posts (the editor, the CLI, iCal import, sync) saves through
`posts.add_post` / `posts.update_post`, which call `require_compliance` here; a
reviewer's acceptance of a PHI finding is recorded through `add_override` here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from calendar_data.checks.findings import reasons
from calendar_data.checks.overrides import (
    MAX_REASON,
    Override,
    OverrideError,
    insert_override,
    list_overrides,
)
from calendar_data.checks.review import findings_for
from calendar_data.checks.workflow import APPROVED_OR_LATER
from calendar_data.errors import PostError
from calendar_data.models import Post, Status
from calendar_data.storage.connection import utcnow


class ComplianceBlocked(PostError):
    """A move to approved or later refused by blocking compliance findings; `reasons` lists them."""

    def __init__(self, post_id: int | None, status: Status, reasons: list[str]) -> None:
        super().__init__("status", f"cannot move to {status}: {'; '.join(reasons)}")
        self.post_id = post_id
        self.status = status
        self.reasons = reasons


def require_compliance(db, post: Post, *, before: Post | None, today: date) -> None:
    """Raise ComplianceBlocked when saving `post` moves it into approved or later and a blocking check fails.

    Nothing is checked when the status stays as stored or is before approved.
    `before` is the post as stored (None for a new one): the consent on file is
    used, never the caller's copy. `today` dates the consent checks.
    """
    if post.status not in APPROVED_OR_LATER:
        return
    if before is not None and before.status == post.status:
        return
    post = replace(post, consent=before.consent if before else None)
    found = reasons(findings_for(db, post, today=today))
    if found:
        raise ComplianceBlocked(post.id, post.status, found)


def add_override(db, post: Post, key: str, reason: str, *, today: date, who: str | None = None,
                 now: datetime | None = None) -> Override:
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
