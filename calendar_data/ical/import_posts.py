"""Events brought in as posts (`carecal import`, the default): planned against the calendar, then written.

`plan_posts` puts each event beside the post it matches (`PostFields.existing`) and records an
add, an update or "same". A planned status passes the same workflow step and approval gate a save
runs, so a dry run shows the verdicts the import applies: a new post the gate refuses comes in as
draft, an updated one keeps its status. `add_planned_posts` and `write_post` are the writing half,
called by `plan.apply_import` inside its one transaction; an edit saved while the import ran is
kept, never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from calendar_data.checks.approval import ComplianceBlocked, gate_reasons
from calendar_data.checks.findings import features_patient
from calendar_data.checks.holdback import HELD_TITLE
from calendar_data.checks.workflow import APPROVED_OR_LATER, transition_error
from calendar_data.errors import PostError
from calendar_data.ical.changes import Change, ImportPlan
from calendar_data.ical.event_fields import OWN_UID, PostFields
from calendar_data.ical.export_events import clean_category
from calendar_data.ical.parse import IcsEvent
from calendar_data.ical.scan import IcsError
from calendar_data.models import Post, Status
from calendar_data.post_stamps import set_external_uid
from calendar_data.posts import PostChangedElsewhere, add_post, get_post, update_post
from calendar_data.posts_bulk import add_posts
from calendar_data.settings import Settings

HELD = re.compile("^" + re.escape(HELD_TITLE).replace(re.escape("{id}"), r"\d+") + "$")
"""The title an export gives a post it held back for compliance review (its copy is not in the file)."""
_COMPARED = (
    "title",
    "day",
    "time",
    "body",
    "tags",
    "channels",
    "status",
    "content_type",
    "campaign",
    "owner",
    "sources",
    "observance_id",
    "duration_minutes",
    "variants",
)


def _label(post: Post) -> str:
    when = (
        f"{post.day.isoformat()} {post.time.strftime('%H:%M')}"
        if post.time
        else post.day.isoformat()
    )
    return f"{when} {post.title}"


@dataclass(frozen=True)
class Gate:
    """What the approval gate needs to judge a planned post: the day, the acting name, the clock, settings."""

    today: date
    who: str | None
    now: datetime | None
    settings: Settings

    def verdict(self, db, post: Post, before: Post | None) -> str:
        """'' when the gate lets the post in at its status, else the reasons it refuses."""
        if post.status not in APPROVED_OR_LATER:
            return ""
        found = gate_reasons(
            db,
            post,
            before=before,
            today=self.today,
            who=self.who,
            now=self.now,
            settings=self.settings,
        )
        return "; ".join(found)


def plan_posts(db, events: list[IcsEvent], plan: ImportPlan, where: str, gate: Gate) -> None:
    """Add to `plan` one change per event: a new post, an update of the one it matches, or "same"."""
    mapper = PostFields(db, plan, where)
    for event in events:
        values, own = mapper.fields(event)
        post_id = mapper.existing(event)
        if own and HELD.match(event.summary):
            if post_id is None:
                mapper.warn(
                    event,
                    "held back for compliance review in the file (its copy is not there); skipped",
                )
            else:
                plan.changes.append(
                    Change("same", event.uid, _label(get_post(db, post_id)), line=event.line)
                )
        elif post_id is None:
            plan.changes.append(_new_post(db, event, values, own, mapper, gate))
        else:
            plan.changes.append(
                _updated_post(db, event, values, get_post(db, post_id), mapper, gate)
            )


def _new_post(
    db, event: IcsEvent, values: dict, own: bool, mapper: PostFields, gate: Gate
) -> Change:
    """The event as a new post, at the file's status if the gate lets it in, else as draft."""
    post = Post(
        **{k: v for k, v in values.items() if k != "status"},
        status=values.get("status", Status.IDEA),
        ical_sequence=event.sequence if own else 0,
    )
    post = replace(post, features_patient=features_patient(post))
    verdict = gate.verdict(db, post, None)
    if verdict:
        mapper.warn(event, f"comes in as draft, not {post.status} ({verdict[:160]})")
        post = replace(post, status=Status.DRAFT)
    return Change("add", event.uid, _label(post), post=post, line=event.line, verdict=verdict)


def _updated_post(
    db, event: IcsEvent, values: dict, before: Post, mapper: PostFields, gate: Gate
) -> Change:
    """The post `before` with the event's fields: its status kept where the workflow or the
    gate refuses the file's, and what differs only in spelling (whitespace, hashtag or tag case)
    left as it was, so re-importing an export changes nothing."""
    after = replace(before, **values)
    after = replace(after, features_patient=features_patient(after))
    problem = transition_error(before.status, after.status)
    if problem:
        mapper.warn(event, f"status kept as {before.status} ({problem})")
        after = replace(after, status=before.status)
    verdict = gate.verdict(db, after, before)
    if verdict:
        mapper.warn(event, f"status kept as {before.status}, not {after.status} ({verdict[:160]})")
        after = replace(after, status=before.status)
    if before.body.strip() == after.body:
        after = replace(after, body=before.body)
    if [h.casefold() for h in after.all_hashtags] == [h.casefold() for h in before.all_hashtags]:
        after = replace(after, hashtags=before.hashtags)
    if sorted(clean_category(t).casefold() for t in before.tags) == sorted(
        t.casefold() for t in after.tags
    ):
        # "flu;season" went out as the category "flu season"
        after = replace(after, tags=before.tags)
    changed = [
        k for k in (*_COMPARED, "features_patient") if getattr(before, k) != getattr(after, k)
    ]
    return Change(
        "update" if changed else "same",
        event.uid,
        _label(after),
        ", ".join(changed),
        post=after,
        line=event.line,
        verdict=verdict,
    )


def add_planned_posts(
    db, changes: list[Change], plan: ImportPlan, where: str, *, who, now, today
) -> None:
    """The plan's new posts in one bulk insert; one the compliance gate refuses is kept as a draft."""

    def keep_as_draft(index: int, post: Post, exc: ComplianceBlocked) -> Post:
        change = changes[index]
        plan.warnings.append(
            f"{where}:{change.line}: {change.label[:60]!r}: kept as {Status.DRAFT} "
            f"({'; '.join(exc.reasons)[:120]})"
        )
        return replace(post, status=Status.DRAFT)

    posts = [c.post for c in changes if c.post is not None]
    if len(posts) != len(changes):
        raise ValueError(f"{where}: a post change without a post")
    try:
        add_posts(
            db,
            posts,
            who=who,
            now=now,
            today=today,
            blocked=keep_as_draft,
            external_uids=[c.uid for c in changes],
        )
    except PostError as exc:
        change = changes[getattr(exc, "index", 0)]
        raise IcsError(f"{where}:{change.line}: {change.label[:60]!r}: {exc}") from None


def write_post(
    db, change: Change, plan: ImportPlan, where: str, namespace: str, *, who, now, today
) -> None:
    """Save one planned add or update (a post changed since the plan was read is left as it is now)
    and record the event's UID against it unless it is this calendar's own."""
    post = change.post
    if post is None:
        raise ValueError(
            f"{where}:{change.line}: planned {change.action} of {change.uid!r} carries no post"
        )
    expected = post.sequence
    if change.action == "add":
        save = add_post
    else:  # planned from the post as it was read: an edit saved since then is kept, never overwritten

        def save(db, post, **kwargs):
            return update_post(db, post, expected_sequence=expected, **kwargs)

    try:
        saved = save(db, post, who=who, now=now, today=today)
    except PostChangedElsewhere:
        plan.warnings.append(
            f"{where}:{change.line}: {change.label[:60]!r}: post {post.id} was changed while "
            "the import ran; their change is kept (import the file again to apply this event)"
        )
        return
    except ComplianceBlocked as exc:
        fallback = (
            Status.DRAFT
            if change.action == "add" or post.id is None
            else get_post(db, post.id).status
        )
        plan.warnings.append(
            f"{where}:{change.line}: {change.label[:60]!r}: kept as {fallback} "
            f"({'; '.join(exc.reasons)[:120]})"
        )
        saved = save(db, replace(post, status=fallback), who=who, now=now, today=today)
    if saved.id is None:
        raise ValueError(f"{where}:{change.line}: the saved post came back without an id")
    own = OWN_UID.match(change.uid)
    if change.action == "add" or not (own and own[2] == namespace):
        set_external_uid(
            db,
            saved.id,
            change.uid,
            sequence=post.ical_sequence if change.action == "add" else None,
        )
