"""Deciding a conflict: keep this calendar's version, the server's, or a mix chosen field by field.

A decision never talks to the server. It changes the local post (through the
data layer, so the approval gate runs on a remote version) and moves the base
of the sync state so that the next sync does the rest: after "keep local" the
base becomes the server's version, so the next push overwrites it with
If-Match on the server's ETag (a newer write on the server would still be
caught); after "keep remote" both sides agree and nothing moves.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime

from calendar_data.errors import PostError
from calendar_data.posts import get_post
from calendar_data.storage.changelog import log_change
from calendar_data.sync import state, team
from calendar_data.sync.apply import Context, create_local, delete_local, update_local
from calendar_data.sync.targets import get_target, list_targets
from calendar_data.sync.vevent import TEAM_UID
from calendar_data.sync.wire import OPTIONAL_FIELDS, POST_FIELDS, post_wire

SIDES = ("local", "remote")


class ConflictError(ValueError):
    """A decision that cannot be made as asked; names the conflict or field."""


def list_conflicts(db, target: str | None = None) -> list[state.Conflict]:
    """Open conflicts (of one target, or of every target), oldest first."""
    return state.open_conflicts(db, get_target(db, target).id if target else None)


def resolve_conflict(
    db,
    conflict_id: int,
    *,
    keep: str | None = None,
    fields: dict[str, str] | None = None,
    today: date,
    now: datetime,
    who: str | None = None,
) -> state.Conflict:
    """Decide one conflict: `keep` a whole side, or for a both-edited post pick a side per field.

    `fields` maps post fields to "local" or "remote"; unnamed fields keep the
    local value. Returns the conflict as it was. ConflictError for an unknown
    id, side or field.
    """
    conflict = state.get_conflict(db, conflict_id)
    if conflict is None:
        raise ConflictError(
            f"conflict: no open conflict with id {conflict_id} (carecal sync conflicts)"
        )
    if (keep is None) == (fields is None):
        raise ConflictError("keep: choose --keep local or --keep remote (or pick fields)")
    if keep is not None and keep not in SIDES:
        raise ConflictError(f"keep: {keep!r} is not local or remote")
    if fields is not None:
        if conflict.kind != "both-edited":
            raise ConflictError(
                f"fields: conflict {conflict_id} is {conflict.kind}; keep one side whole"
            )
        bad = [f for f, side in fields.items() if f not in POST_FIELDS or side not in SIDES]
        if bad:
            raise ConflictError(f"fields: {bad[0]!r} is not a post field with side local or remote")
    target = next(t for t in list_targets(db) if t.name == conflict.target)
    ctx = Context(target.name, target.share_consent, today, now)
    with db.atomic():
        _DECIDE[conflict.kind](db, target, conflict, keep, fields, ctx)
        state.close_conflict(db, conflict.id, keep or "fields", now=now)
        log_change(
            db,
            "sync-resolve",
            "post" if conflict.kind != "team" else "sync",
            conflict.post_id or conflict.uid,
            {
                "target": target.name,
                "conflict": conflict.id,
                "kind": conflict.kind,
                "kept": keep or fields,
            },
            who=who,
            at=now,
        )
    return conflict


def _both_edited(db, target, conflict, keep, fields, ctx) -> None:
    post_id = conflict.post_id
    if keep == "remote" or fields:
        local = get_post(db, post_id)
        data = conflict.remote
        if fields:
            mine = post_wire(local, share_consent=target.share_consent)
            picked = {
                k: (conflict.remote.get(k) if fields.get(k) == "remote" else mine.get(k))
                for k in POST_FIELDS
            }
            data = {k: v for k, v in picked.items() if v or k not in OPTIONAL_FIELDS}
        held = update_local(db, local, data, ctx).held
        # keep remote: a hold here is not sent back; a mix is a local decision, sent by the next push
        _agree_on_remote(db, target, conflict, post_id, held=None if fields else held)
        return
    _agree_on_remote(db, target, conflict, post_id)


def _deleted_here(db, target, conflict, keep, fields, ctx) -> None:
    post_id, held = conflict.post_id, None
    if keep == "remote":
        applied = create_local(db, conflict.remote, ctx)
        post_id, held = applied.post.id, applied.held
    # keep local: the next push deletes it, If-Match
    _agree_on_remote(db, target, conflict, post_id, held=held)


def _deleted_there(db, target, conflict, keep, fields, ctx) -> None:
    if keep == "remote":
        with suppress(PostError):  # already gone is fine
            delete_local(db, conflict.post_id, ctx)
    state.drop_item(db, target.id, conflict.uid)  # keep local: the next push uploads it as new


def _team(db, target, conflict, keep, fields, ctx) -> None:
    key = conflict.uid.split("#", 1)[1]
    remote_value = (conflict.remote or {}).get(key)
    item = state.get_item(db, target.id, TEAM_UID)
    base = dict(item.synced_data) if item else {}
    if keep == "remote":
        warning = team.apply_entry(db, key, remote_value, who=ctx.who(""))
        if warning:
            raise ConflictError(warning)
    if remote_value is None:
        base.pop(key, None)
    else:
        base[key] = remote_value
    if item is not None:
        state.save_item(
            db,
            target.id,
            TEAM_UID,
            kind="team",
            post_id=None,
            href=item.href,
            etag=item.etag,
            data=base,
        )


def _agree_on_remote(
    db, target, conflict, post_id: int | None, *, held: list[str] | None = None
) -> None:
    """The server's version becomes the base; with `held`, the post as stored here is kept beside it.

    `held` is None when the local post did not take the server's version (keep local: the next
    push sends it); otherwise the post's reasons for differing (empty: it is as the server says).
    """
    item = state.get_item(db, target.id, conflict.uid)
    local = None
    if held is not None and post_id is not None:
        local = post_wire(get_post(db, post_id), share_consent=target.share_consent)
    href = conflict.remote_href or (item.href if item else None)
    if href is None:
        raise ConflictError(
            f"conflict {conflict.id}: the server's copy is unknown; run carecal sync again"
        )
    state.save_item(
        db,
        target.id,
        conflict.uid,
        kind="post",
        post_id=post_id,
        href=href,
        etag=conflict.remote_etag,
        data=conflict.remote,
        local=local,
        reasons=held or (),
    )


_DECIDE = {
    "both-edited": _both_edited,
    "deleted-here": _deleted_here,
    "deleted-there": _deleted_there,
    "team": _team,
}
