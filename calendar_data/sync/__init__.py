"""Two-way CalDAV sync: one calendar for the whole team through Radicale, Nextcloud, Fastmail...

The public face for the CLI and the TUI (call `sync_now` from a worker: it
blocks on the network and returns a `SyncResult`):

- targets: `add_target`, `list_targets`, `get_target`, `remove_target`
- syncing: `sync_now(db, name, today=..., now=...)`, `sync_status(db)`, `held_posts(db, name)`
- conflicts: `list_conflicts(db)`, `resolve_conflict(db, id, keep=... | fields=...)`

Modules: `wire` (which fields leave the machine), `vevent` (VEVENT text),
`server` (the only `caldav` user), `state` (what was last agreed), `apply`
(remote versions written through the data layer and the approval gate),
`team` (campaigns, tag colours, stars and mutes), `engine` (pull and push),
`conflicts` (decisions), `targets` and `credentials` (where passwords live).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from calendar_data.storage.changelog import log_change
from calendar_data.sync.run_state import SyncResult
from calendar_data.sync.state import Conflict
from calendar_data.sync.targets import (
    Target,
    TargetError,
    add_target,
    check_url,
    get_target,
    list_targets,
    remove_target,
    resolve_password,
)

if TYPE_CHECKING:
    from calendar_data.sync.conflicts import ConflictError, list_conflicts, resolve_conflict

_FROM_CONFLICTS = ("ConflictError", "list_conflicts", "resolve_conflict")


def __getattr__(name: str):
    """The conflict functions, imported on first use: they pull in the iCal and network modules,
    which the app's start (a status check, most calendars having no target) never needs."""
    if name in _FROM_CONFLICTS:
        from calendar_data.sync import conflicts

        return getattr(conflicts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Conflict",
    "ConflictError",
    "SyncResult",
    "SyncStatus",
    "Target",
    "TargetError",
    "add_target",
    "get_target",
    "held_posts",
    "list_conflicts",
    "list_targets",
    "pending_changes",
    "remove_target",
    "resolve_conflict",
    "sync_now",
    "sync_status",
]


def sync_now(
    db,
    name: str,
    *,
    today: date,
    now: datetime,
    dry_run: bool = False,
    password: str | None = None,
    server=None,
    who: str | None = None,
) -> SyncResult:
    """Sync one target both ways; returns what was done (or, with `dry_run`, what would be).

    `password` overrides the target's password source (the CLI passes none);
    `server` lets a test hand in a ready `Server`. Raises TargetError for an
    unusable target and `server.ServerError` when the server cannot be reached
    or refuses us; a conflict is not an error: it is in `result.conflicts`.
    """
    from calendar_data.sync.conflicts import list_conflicts
    from calendar_data.sync.engine import Run
    from calendar_data.sync.server import Server

    target = get_target(db, name)
    warning = check_url(target.url, allow_http=target.allow_http)
    own = server is None
    if own:
        secret = password if password is not None else resolve_password(target)
        server = Server(target.url, username=target.username, password=secret)
    run = Run(db, target, server, today=today, now=now, dry_run=dry_run, who=who)
    if warning:
        run.result.warnings.insert(0, warning)
    try:
        run.pull()
        run.push()
    finally:
        if own:
            server.close()
    result = run.result
    result.held = held_posts(db, target.name)
    if dry_run:
        result.conflicts = [c.to_json() for c in list_conflicts(db, target.name)] + run.planned
        return result
    result.conflicts = [c.to_json() for c in list_conflicts(db, target.name)]
    summary = {
        "pulled": result.pulled,
        "pushed": result.pushed,
        "conflicts": len(result.conflicts),
        "gated": len(result.gated),
        "held": len(result.held),
        "warnings": len(result.warnings),
    }
    from calendar_data.sync import state

    with db.atomic():
        state.finish(db, target.saved_id, summary, now=now)
        details = summary | {"url": target.url, "pushed_posts": run.pushed_ids}
        log_change(db, "sync", "sync", target.name, details, who=who, at=now)
    return result


def pending_changes(db, name: str) -> int:
    """Local changes not yet on the target's server: new, edited and deleted posts (no network)."""
    from calendar_data.posts import list_posts
    from calendar_data.sync import state
    from calendar_data.sync.wire import post_wire

    target = get_target(db, name)
    known = {i.post_id: i for i in state.items(db, target.saved_id).values() if i.kind == "post"}
    matched, changed = set(), 0
    for post in list_posts(db):
        item = known.get(post.id)
        if item is None or not item.matches(post):
            changed += 1
            continue
        matched.add(item.uid)
        changed += not item.unchanged(post_wire(post, share_consent=target.share_consent))
    return changed + sum(1 for item in known.values() if item.uid not in matched)


def held_posts(db, name: str) -> list[dict]:
    """Posts this machine's gate (or workflow) holds back from the server's version (no network).

    Each is {"post_id", "title", "status" (here), "remote_status" (on the server), "reasons"};
    they are not sent back: a hold is this machine's judgement, not an edit. A held post edited
    here since is no longer listed: it is a change waiting to be sent (`pending_changes`).
    """
    from calendar_data.errors import PostError
    from calendar_data.posts import get_post
    from calendar_data.sync import state
    from calendar_data.sync.wire import post_wire

    target = get_target(db, name)
    out = []
    for item in state.items(db, target.saved_id).values():
        if not (item.held_back and item.held and item.post_id is not None):
            continue
        try:
            post = get_post(db, item.post_id)
        except PostError:
            continue
        if item.matches(post) and item.unchanged(
            post_wire(post, share_consent=target.share_consent)
        ):
            out.append(
                {
                    "post_id": post.id,
                    "title": post.title,
                    "status": str(post.status),
                    "remote_status": item.held.get("remote_status"),
                    "reasons": list(item.held.get("reasons") or ()),
                }
            )
    return sorted(out, key=lambda h: h["post_id"])


@dataclass(frozen=True)
class SyncStatus:
    """One target's state for a status bar: when it last synced, what waits to go, what needs a decision."""

    target: str
    last_sync_at: datetime | None
    pending: int
    conflicts: int
    held: int = 0
    """Posts this machine's gate holds back from the server's version (`held_posts`)."""


def sync_status(db) -> list[SyncStatus]:
    """Every target's status (no network: safe to call on each screen refresh)."""
    from calendar_data.sync.conflicts import list_conflicts

    out = []
    for target in list_targets(db):
        out.append(
            SyncStatus(
                target.name,
                target.last_sync_at,
                pending_changes(db, target.name),
                len(list_conflicts(db, target.name)),
                len(held_posts(db, target.name)),
            )
        )
    return out
