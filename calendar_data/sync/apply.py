"""A teammate's version of a post, written here through the ordinary data-layer functions.

Everything goes through `posts.add_post/update_post/delete_post` and
`consent.record_consent`, so validation, the change log and the approval gate
are the same as for a local edit. Sync records the consent the wire describes
as it is, an absent expiry included (older records, other clients), and never
removes one: the wire has no "withdrawn" marker, so a teammate's version
without one leaves the record on file here as it is. The gate holds across
machines: a post that arrives approved (or scheduled) is checked here, with the
consent this machine knows, and when a blocking finding stands (a consent
without expiry is one, as locally) it is kept as draft (or review, if it is new
here) with a `sync-gate` entry in its history saying why and where it came
from. `Applied.held` says why the stored post differs from the server's
version, so the engine records that hold instead of sending it back. Callers
wrap each call in one transaction with the sync state that goes with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from calendar_data.campaigns import CampaignError, add_campaign, get_campaign
from calendar_data.checks.findings import reasons
from calendar_data.checks.review import findings_for
from calendar_data.checks.workflow import APPROVED_OR_LATER, transition_error
from calendar_data.consent import get_consent, record_consent
from calendar_data.errors import ComplianceBlocked
from calendar_data.models import Campaign, Consent, Post, Status
from calendar_data.posts import add_post, delete_post, update_post
from calendar_data.storage.changelog import log_change
from calendar_data.sync.wire import consent_from_wire, consent_wire, post_from_wire


@dataclass
class Applied:
    """What applying one remote version did."""

    post: Post
    """The post as stored now, with its consent (what the engine records as this side's version)."""
    gate_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept_status: str | None = None
    """Why this machine's workflow kept the local status instead of the server's, if it did."""

    @property
    def held(self) -> list[str]:
        """Why the post is stored here unlike the server's version (empty: as the server says)."""
        return self.gate_reasons or ([self.kept_status] if self.kept_status else [])


@dataclass(frozen=True)
class Context:
    """Who and when, for every write one sync makes."""

    target: str
    share_consent: bool
    today: date
    now: datetime

    def who(self, editor: str) -> str:
        """The change log's "who": the remote editor and where the change came from."""
        return f"{editor or 'a calendar app'} via sync {self.target}"


def ensure_campaign(db, name: str | None, ctx: Context, editor: str) -> None:
    """Create a campaign a teammate's post names when this calendar does not have it yet."""
    if not name:
        return
    try:
        get_campaign(db, name)
    except CampaignError:
        add_campaign(db, Campaign(name=name), who=ctx.who(editor))


def gate(
    db, candidate: Post, consent: Consent | None, before: Status | None, today: date
) -> tuple[Status, list[str]]:
    """The status a remote version may have here, and the blocking reasons when the gate refused it."""
    if candidate.status not in APPROVED_OR_LATER or before is Status.PUBLISHED:
        return candidate.status, []
    found = reasons(findings_for(db, replace(candidate, consent=consent), today=today))
    if not found:
        return candidate.status, []
    return (Status.REVIEW if before is None else Status.DRAFT), found


def create_local(db, remote: dict, ctx: Context, *, editor: str = "") -> Applied:
    """Add a post that appeared on the server (a teammate's new post, or a calendar client's event)."""
    ensure_campaign(db, remote["campaign"], ctx, editor)
    candidate = post_from_wire(remote, None)
    consent = consent_from_wire(remote["consent"], None, target=ctx.target, today=ctx.today)
    status, blocked = gate(db, candidate, consent, None, ctx.today)
    first = status if status not in APPROVED_OR_LATER else Status.REVIEW
    post = add_post(
        db, replace(candidate, status=first), who=ctx.who(editor), now=ctx.now, today=ctx.today
    )
    applied = Applied(post)
    post_id = stored_id(post)
    if consent is not None:
        applied.post = replace(post, consent=_record(db, post_id, consent, ctx, editor, applied))
    if status != first:
        applied.post = _save(db, replace(post, status=status), ctx, editor, applied)
    if blocked:
        _log_gate(db, post_id, remote["status"], applied.post.status, blocked, ctx, editor)
        applied.gate_reasons = blocked
    return applied


def update_local(db, local: Post, remote: dict, ctx: Context, *, editor: str = "") -> Applied:
    """Bring a local post to the server's version (the gate decides the status it may keep)."""
    ensure_campaign(db, remote["campaign"], ctx, editor)
    applied = Applied(local)
    local_id = stored_id(local)
    candidate = post_from_wire(remote, local)
    refused = transition_error(local.status, candidate.status)
    if refused:
        applied.kept_status = (
            f"status: kept {local.status} here, not {candidate.status} ({refused})"
        )
        candidate = replace(candidate, status=local.status)
    current = get_consent(db, local_id)
    wanted = consent_from_wire(remote["consent"], current, target=ctx.target, today=ctx.today)
    if wanted is None:
        # The wire has no "withdrawn" marker: a version without consent only means the other
        # side lacks it (or could not record it), so the consent on file here stays as it is.
        wanted = current
    status, blocked = gate(db, candidate, wanted, local.status, ctx.today)
    if wanted is not None and consent_wire(wanted, share=True) != consent_wire(current, share=True):
        _record(db, local_id, wanted, ctx, editor, applied)
    applied.post = _save(db, replace(candidate, status=status), ctx, editor, applied)
    if blocked:
        _log_gate(db, local_id, remote["status"], applied.post.status, blocked, ctx, editor)
        applied.gate_reasons = blocked
    return applied


def stored_id(post: Post) -> int:
    """The id of a post read from or just written to the database (the consent and log rows need it)."""
    if post.id is None:
        raise ValueError(f"post {post.title[:40]!r} has no id: it was never saved")
    return post.id


def delete_local(db, post_id: int, ctx: Context, *, editor: str = "") -> None:
    """Remove a post a teammate deleted (its history keeps who and where)."""
    delete_post(db, post_id, who=ctx.who(editor))


def _save(db, post: Post, ctx: Context, editor: str, applied: Applied) -> Post:
    """update_post, falling back to draft when the gate on file refuses the status after all."""
    try:
        return update_post(db, post, who=ctx.who(editor), now=ctx.now, today=ctx.today)
    except ComplianceBlocked as exc:
        applied.gate_reasons = exc.reasons
        return update_post(
            db,
            replace(post, status=Status.DRAFT),
            who=ctx.who(editor),
            now=ctx.now,
            today=ctx.today,
        )


def _record(
    db, post_id: int, consent: Consent, ctx: Context, editor: str, applied: Applied
) -> Consent | None:
    """Record the consent the wire describes; returns it as stored (None, with a warning, if refused)."""
    try:
        return record_consent(
            db, post_id, consent, who=ctx.who(editor), now=ctx.now, expiry_required=False
        )
    except ValueError as exc:
        applied.warnings.append(f"post {post_id}: the server's consent was not usable ({exc})")
        return None


def _log_gate(
    db, post_id: int, wanted: str, kept: Status, blocked: list[str], ctx: Context, editor: str
) -> None:
    log_change(
        db,
        "sync-gate",
        "post",
        post_id,
        {
            "target": ctx.target,
            "editor": editor or None,
            "remote_status": wanted,
            "status": str(kept),
            "reasons": blocked,
        },
        who=ctx.who(editor),
        at=ctx.now,
    )
