"""Undo and redo of this session's changes, replayed from the change log.

Every write appends rows to the change log (`storage.changelog`). An action
is the run of rows one user gesture wrote (a save, a move, a tag merge); undoing
it writes the inverse of each row, newest first, through the normal write
functions, so the compliance gate, the workflow rules and the change log apply
to an undo as to any edit. The undo's own rows are the redo step: redoing
writes their inverse in turn. An action that cannot be inverted any more (the
post was changed elsewhere since) is refused with the reason, and nothing of it
is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from calendar_data.campaigns import add_campaign, delete_campaign, list_campaigns, update_campaign
from calendar_data.models import Campaign, ChangeEntry, Channel, ContentType, Post, Status
from calendar_data.observances import set_preference
from calendar_data.posts import add_post, delete_post, get_post, update_post
from calendar_data.storage.changelog import changes_between, last_change_id, previous_change
from calendar_data.storage.columns import loads_tuple
from calendar_data.tags import rename_tag, set_tag_colour


class UndoError(ValueError):
    """An action that cannot be undone (or redone); says which and why."""


@dataclass(frozen=True)
class Step:
    """One user action: the change-log rows after `after_id` up to `upto_id`."""

    after_id: int
    upto_id: int
    label: str


@dataclass
class UndoHistory:
    """The undo and redo stacks of one app session (the change log holds what they replay)."""

    undo_steps: list[Step] = field(default_factory=list)
    redo_steps: list[Step] = field(default_factory=list)

    def mark(self, db) -> int:
        """Call before an action: where its change-log rows will start."""
        return last_change_id(db)

    def record(self, db, since: int, label: str) -> bool:
        """After an action: make its rows one undo step (True if it did); clears redo.

        An action that wrote nothing, or wrote something undo cannot invert (a feed, a
        setting), is not a step: it would block undoing the steps before it.
        """
        upto = last_change_id(db)
        if upto <= since:
            return False
        if any((e.entity, e.action) not in _INVERSES for _, e in changes_between(db, since, upto)):
            return False
        self.undo_steps.append(Step(since, upto, label))
        self.redo_steps.clear()
        return True

    def undo(self, db, *, who: str | None = None, today: date | None = None) -> str:
        """Undo the newest action; returns its label. Raises UndoError when there is none."""
        if not self.undo_steps:
            raise UndoError("undo: nothing to undo in this session")
        step = self.undo_steps[-1]
        done = self._replay(db, step, who=who, today=today)
        self.undo_steps.pop()
        self.redo_steps.append(done)
        return step.label

    def redo(self, db, *, who: str | None = None, today: date | None = None) -> str:
        """Redo the newest undone action; returns its label. Raises UndoError when there is none."""
        if not self.redo_steps:
            raise UndoError("redo: nothing to redo")
        step = self.redo_steps[-1]
        done = self._replay(db, step, who=who, today=today)
        self.redo_steps.pop()
        self.undo_steps.append(done)
        return step.label

    def last_post(self, db, step: Step | None) -> int | None:
        """The id of the last post a step wrote that still exists (where the calendar should look)."""
        if step is None:
            return None
        for _, entry in reversed(changes_between(db, step.after_id, step.upto_id)):
            if entry.entity == "post" and entry.action != "delete":
                return int(entry.entity_id)
        return None

    def _replay(self, db, step: Step, *, who: str | None, today: date | None) -> Step:
        since = last_change_id(db)
        rows = changes_between(db, step.after_id, step.upto_id)
        with db.atomic():  # all of the action is inverted, or none of it
            ids: dict[tuple[str, str], str] = {}
            for row_id, entry in reversed(rows):
                invert(db, row_id, entry, ids, who=who, today=today)
        return Step(since, last_change_id(db), step.label)


def invert(
    db,
    row_id: int,
    entry: ChangeEntry,
    ids: dict[tuple[str, str], str],
    *,
    who: str | None = None,
    today: date | None = None,
) -> None:
    """Write the inverse of one change-log row (`ids` maps ids recreated during this replay)."""
    key = (entry.entity, entry.action)
    handler = _INVERSES.get(key)
    if handler is None:
        raise UndoError(f"undo: cannot undo '{entry.action}' of {entry.entity} {entry.entity_id}")
    entity_id = ids.get((entry.entity, entry.entity_id), entry.entity_id)
    new_id = handler(db, row_id, entry, entity_id, who=who, today=today)
    if new_id is not None:
        ids[(entry.entity, entry.entity_id)] = str(new_id)


# --- posts ----------------------------------------------------------------------------------------


def post_values(snapshot: dict) -> dict:
    """Change-log values (JSON) back as Post field values."""
    convert: dict[str, Callable[[Any], Any]] = {
        "day": date.fromisoformat,
        "time": _time_value,
        "variants": lambda v: tuple((Channel(c), text) for c, text in (v or {}).items()),
        "status": Status,
        "content_type": lambda v: ContentType(v) if v else None,
        "channels": lambda v: tuple(Channel(c) for c in v),
        "tags": tuple,
        "hashtags": tuple,
        "assets": tuple,
        "sources": tuple,
    }
    return {k: convert[k](v) if k in convert else v for k, v in snapshot.items()}


def _time_value(text: str | None) -> time | None:
    """'09:30', or '01:30 (later)' for the second of a repeated hour (fold=1), as `_snapshot` writes it."""
    if not text:
        return None
    later = text.endswith(" (later)")
    return time.fromisoformat(text.removesuffix(" (later)")).replace(fold=int(later))


def _post_exists(db, post_id: str) -> Post:
    try:
        return get_post(db, int(post_id))
    except (ValueError, LookupError) as exc:
        raise UndoError(f"undo: post {post_id} is gone ({exc})") from None


def _undo_post_create(db, row_id, entry, post_id, *, who, today):
    _post_exists(db, post_id)
    delete_post(db, int(post_id), who=who)


def _undo_post_update(db, row_id, entry, post_id, *, who, today):
    post = _post_exists(db, post_id)
    after = post_values({k: v[1] for k, v in entry.changes.items()})
    before = post_values({k: v[0] for k, v in entry.changes.items()})
    changed = [k for k, v in after.items() if getattr(post, k) != v]
    if changed:
        raise UndoError(
            f"undo: post {post_id} “{post.title}” was changed since ({', '.join(changed)})"
        )
    update_post(db, replace(post, **before), who=who, today=today)


def _undo_post_delete(db, row_id, entry, post_id, *, who, today):
    return add_post(db, Post(**post_values(entry.changes)), who=who, today=today).id


# --- campaigns ------------------------------------------------------------------------------------


def _campaign(columns: dict, **extra) -> Campaign:
    return Campaign(
        name=columns["name"],
        goal=columns.get("goal", ""),
        start=date.fromisoformat(columns["start_date"]) if columns.get("start_date") else None,
        end=date.fromisoformat(columns["end_date"]) if columns.get("end_date") else None,
        colour=columns.get("colour") or "",
        tags=loads_tuple(columns.get("tags") or "[]"),
        archived=bool(columns.get("archived")),
        **extra,
    )


def _undo_campaign_create(db, row_id, entry, campaign_id, *, who, today):
    delete_campaign(db, _campaign_by_id(db, campaign_id).name, who=who)


def _undo_campaign_update(db, row_id, entry, campaign_id, *, who, today):
    earlier = previous_change(db, "campaign", entry.entity_id, row_id, ("create", "update"))
    if earlier is None:
        raise UndoError(
            f"undo: no earlier state of campaign {entry.changes.get('name')!r} in the log"
        )
    current = _campaign_by_id(db, campaign_id)
    update_campaign(db, _campaign(earlier.changes, id=current.id), who=who)


def _undo_campaign_delete(db, row_id, entry, campaign_id, *, who, today):
    return add_campaign(db, _campaign(entry.changes), who=who).id


def _campaign_by_id(db, campaign_id: str) -> Campaign:
    found = next(
        (c for c in list_campaigns(db, include_archived=True) if str(c.id) == str(campaign_id)),
        None,
    )
    if found is None:
        raise UndoError(f"undo: campaign {campaign_id} is gone")
    return found


# --- tags and observance stars ------------------------------------------------------------------


def _undo_tag_rename(db, row_id, entry, name, *, who, today):
    old, new = entry.changes["name"]
    rename_tag(db, new, old, who=who)


def _undo_tag_colour(db, row_id, entry, name, *, who, today):
    set_tag_colour(db, name, entry.changes.get("before", ""), who=who)


def _retag(
    db, name: str, entry: ChangeEntry, *, drop: str | None, keep: set[int], who, today
) -> None:
    """Put tag `name` back on its posts (dropping tag `drop` from those that did not have it)."""
    if "post_ids" not in entry.changes:
        raise UndoError(
            f"undo: the log of tag {name!r} predates undo (its posts were not recorded)"
        )
    for post_id in entry.changes["post_ids"]:
        post = _post_exists(db, str(post_id))
        tags = [
            t
            for t in post.tags
            if not (drop and t.casefold() == drop.casefold() and post_id not in keep)
        ]
        update_post(db, replace(post, tags=(*tags, name)), who=who, today=today)
    if entry.changes.get("colour"):
        set_tag_colour(db, name, entry.changes["colour"], who=who)


def _undo_tag_delete(db, row_id, entry, name, *, who, today):
    _retag(db, name, entry, drop=None, keep=set(), who=who, today=today)


def _undo_tag_merge(db, row_id, entry, name, *, who, today):
    _retag(
        db,
        name,
        entry,
        drop=entry.changes["into"],
        keep=set(entry.changes.get("had_target", [])),
        who=who,
        today=today,
    )


def _undo_preference(db, row_id, entry, observance_id, *, who, today):
    earlier = previous_change(db, "observance", observance_id, row_id, ("preference",))
    flags = earlier.changes if earlier else {"starred": False, "muted": False}
    set_preference(db, observance_id, starred=flags["starred"], muted=flags["muted"], who=who)


_INVERSES = {
    ("post", "create"): _undo_post_create,
    ("post", "update"): _undo_post_update,
    ("post", "status"): _undo_post_update,
    ("post", "delete"): _undo_post_delete,
    ("campaign", "create"): _undo_campaign_create,
    ("campaign", "update"): _undo_campaign_update,
    ("campaign", "delete"): _undo_campaign_delete,
    ("tag", "rename"): _undo_tag_rename,
    ("tag", "colour"): _undo_tag_colour,
    ("tag", "delete"): _undo_tag_delete,
    ("tag", "merge"): _undo_tag_merge,
    ("observance", "preference"): _undo_preference,
}
"""(entity, action) -> the function writing its inverse; anything else cannot be undone."""
