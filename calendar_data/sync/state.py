"""What carecal last agreed with each server: one row per resource, and the open conflicts.

A row says "resource UID lives at HREF with ETAG, and when we last agreed its
content was SYNCED_DATA". Rows are written in the same transaction as the local
change they go with, or right after the PUT they record, so a sync killed
anywhere finds on resume either the old agreement or the new one.

When this machine stored a server version differently (its approval gate held
it back as review or draft, or its workflow kept a status), the row also
remembers the local version as stored, under `LOCAL_KEY` inside SYNCED_DATA's
JSON (no schema change: the key never reaches a wire dict or its hash): the
post then counts as changed here only when someone edits it again, so a hold
is shown here and never sent back to bounce between machines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from calendar_data.post_stamps import post_created_at
from calendar_data.storage.connection import utcnow
from calendar_data.sync.wire import wire_hash

LOCAL_KEY = "__local__"
"""In SYNCED_DATA's JSON: the local version as stored, when it differs from the server's."""


@dataclass(frozen=True)
class Item:
    """The last agreed state of one resource on one target."""

    uid: str
    kind: str
    post_id: int | None
    href: str
    etag: str | None
    synced_hash: str
    synced_data: dict
    post_created: str | None = None
    """The post's created_at when recorded: a reused post id is a different post."""
    held: dict | None = None
    """The local version as stored, when it differs from the server's: {"hash", "status",
    "remote_status", "reasons"} (reasons empty when only this machine's spelling differs)."""

    @property
    def local_hash(self) -> str:
        """The hash the local post had when both sides last agreed (the server's, unless held)."""
        return self.held["hash"] if self.held else self.synced_hash

    def unchanged(self, wire: dict) -> bool:
        """Whether the local post, as `wire`, is not a change to send: as stored, or as the server's.

        A held post approved here since, so that it now matches the server, has nothing to send.
        """
        return wire_hash(wire) in (self.local_hash, self.synced_hash)

    @property
    def held_back(self) -> bool:
        """Whether this machine's gate or workflow kept the post from what the server says."""
        return bool(self.held and self.held.get("reasons"))

    def matches(self, post) -> bool:
        """Whether `post` is the post this resource was recorded for."""
        created = post.created_at.isoformat() if post.created_at else None
        return post.id == self.post_id and (
            self.post_created is None or self.post_created == created
        )


@dataclass(frozen=True)
class Conflict:
    """A resource changed on both sides (or deleted on one and edited on the other) since the last sync.

    `kind` is "both-edited", "deleted-here" (deleted locally, edited on the
    server), "deleted-there" (deleted on the server, edited here) or "team"
    (one entry of the team lists). `local` and `remote` are wire dicts
    (None for the side that deleted).
    """

    id: int
    target: str
    uid: str
    kind: str
    post_id: int | None
    local: dict | None
    remote: dict | None
    remote_href: str | None
    remote_etag: str | None
    created_at: datetime

    def to_json(self) -> dict:
        """The conflict as `carecal sync conflicts --json` prints it."""
        from calendar_data.sync.wire import differing_fields

        fields = differing_fields(self.local, self.remote) if self.kind != "team" else []
        return {
            "id": self.id,
            "target": self.target,
            "kind": self.kind,
            "uid": self.uid,
            "post_id": self.post_id,
            "fields": fields,
            "local": self.local,
            "remote": self.remote,
            "created_at": self.created_at.isoformat(),
        }


_ITEM = (
    "SELECT uid, kind, post_id, href, etag, synced_hash, synced_data, post_created FROM sync_items "
    "WHERE target_id = ?"
)


def _item(row) -> Item:
    data = json.loads(row[6])
    held = data.pop(LOCAL_KEY, None)
    return Item(row[0], row[1], row[2], row[3], row[4], row[5], data, row[7], held)


def items(db, target_id: int) -> dict[str, Item]:
    """Every resource agreed with a target, by UID."""
    return {r[0]: _item(r) for r in db.execute(_ITEM, [target_id]).fetchall()}


def get_item(db, target_id: int, uid: str) -> Item | None:
    """The agreed state of one UID, or None."""
    row = db.execute(_ITEM + " AND uid = ?", [target_id, uid]).fetchone()
    return _item(row) if row else None


def saved_item(db, target_id: int, uid: str) -> Item:
    """The state of a UID that was just saved, for the run's in-memory copy.

    Raises:
        LookupError: it is not there (the save it follows did not happen: a bug, not bad input).
    """
    item = get_item(db, target_id, uid)
    if item is None:
        raise LookupError(
            f"sync state of {uid!r} (target {target_id}) is missing right after it was saved"
        )
    return item


def save_item(
    db,
    target_id: int,
    uid: str,
    *,
    kind: str,
    post_id: int | None,
    href: str,
    etag: str | None,
    data: dict,
    local: dict | None = None,
    reasons: list[str] | tuple[str, ...] = (),
) -> None:
    """Record (or replace) the agreement for one resource (with the post's created stamp, if any).

    `local` is the post's wire dict as this machine stored the server's version `data`; when it
    differs, it is kept (see the module docstring) with the `reasons` this machine held it back.
    """
    digest = wire_hash(data)
    stored = dict(data)
    if local is not None and local != data and wire_hash(local) != digest:
        stored[LOCAL_KEY] = {
            "hash": wire_hash(local),
            "status": local.get("status"),
            "remote_status": data.get("status"),
            "reasons": list(reasons),
        }
    db.execute(
        "INSERT OR REPLACE INTO sync_items (target_id, uid, kind, post_id, href, etag, synced_hash, "
        "synced_data, post_created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            target_id,
            uid,
            kind,
            post_id,
            href,
            etag,
            digest,
            json.dumps(stored, ensure_ascii=False, sort_keys=True),
            post_created_at(db, post_id) if post_id is not None else None,
        ],
    )


def drop_item(db, target_id: int, uid: str) -> None:
    """Forget a resource (deleted on both sides)."""
    db.execute("DELETE FROM sync_items WHERE target_id = ? AND uid = ?", [target_id, uid])


def save_token(db, target_id: int, token: str | None) -> None:
    """Remember the server's sync token (written only once every change it covers is applied)."""
    db.execute("UPDATE sync_targets SET sync_token = ? WHERE id = ?", [token, target_id])


def finish(db, target_id: int, result: dict, *, now: datetime | None = None) -> None:
    """Record when a sync ended and what it did (for `sync list` and the TUI's status)."""
    db.execute(
        "UPDATE sync_targets SET last_sync_at = ?, last_result = ? WHERE id = ?",
        [(now or utcnow()).isoformat(), json.dumps(result, sort_keys=True), target_id],
    )


_CONFLICT = (
    "SELECT c.id, t.name, c.uid, c.kind, c.post_id, c.local_data, c.remote_data, c.remote_href, "
    "c.remote_etag, c.created_at FROM sync_conflicts c JOIN sync_targets t ON t.id = c.target_id "
    "WHERE c.resolved_at IS NULL"
)


def _conflict(row) -> Conflict:
    return Conflict(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        json.loads(row[5]) if row[5] else None,
        json.loads(row[6]) if row[6] else None,
        row[7],
        row[8],
        datetime.fromisoformat(row[9]),
    )


def open_conflicts(db, target_id: int | None = None) -> list[Conflict]:
    """Conflicts waiting for a decision, oldest first (of one target, or all)."""
    sql, params = _CONFLICT, []
    if target_id is not None:
        sql += " AND c.target_id = ?"
        params.append(target_id)
    return [_conflict(r) for r in db.execute(sql + " ORDER BY c.id", params).fetchall()]


def get_conflict(db, conflict_id: int) -> Conflict | None:
    """One open conflict by id."""
    row = db.execute(_CONFLICT + " AND c.id = ?", [conflict_id]).fetchone()
    return _conflict(row) if row else None


def open_conflict_uids(db, target_id: int) -> set[str]:
    """UIDs with an open conflict: the sync leaves them alone until someone decides."""
    rows = db.execute(
        "SELECT uid FROM sync_conflicts WHERE target_id = ? AND resolved_at IS NULL", [target_id]
    )
    return {r[0] for r in rows.fetchall()}


def record_conflict(
    db,
    target_id: int,
    uid: str,
    kind: str,
    *,
    post_id: int | None,
    local: dict | None,
    remote: dict | None,
    remote_href: str | None,
    remote_etag: str | None,
    now: datetime | None = None,
) -> int:
    """Open a conflict, or refresh the open one for the same UID with the newest versions; returns its id."""
    existing = db.execute(
        "SELECT id FROM sync_conflicts WHERE target_id = ? AND uid = ? AND resolved_at IS NULL",
        [target_id, uid],
    ).fetchone()
    values = [
        kind,
        post_id,
        json.dumps(local, sort_keys=True) if local is not None else None,
        json.dumps(remote, sort_keys=True) if remote is not None else None,
        remote_href,
        remote_etag,
    ]
    if existing:
        db.execute(
            "UPDATE sync_conflicts SET kind = ?, post_id = ?, local_data = ?, remote_data = ?, "
            "remote_href = ?, remote_etag = ? WHERE id = ?",
            [*values, existing[0]],
        )
        return existing[0]
    cursor = db.execute(
        "INSERT INTO sync_conflicts (kind, post_id, local_data, remote_data, remote_href, "
        "remote_etag, target_id, uid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*values, target_id, uid, (now or utcnow()).isoformat()],
    )
    return cursor.lastrowid


def close_conflict(db, conflict_id: int, resolution: str, *, now: datetime | None = None) -> None:
    """Mark a conflict decided."""
    db.execute(
        "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
        [(now or utcnow()).isoformat(), resolution, conflict_id],
    )


def close_uid(
    db, target_id: int, uid: str, resolution: str, *, now: datetime | None = None
) -> None:
    """Mark any open conflict on a UID decided (e.g. the post is gone on both sides)."""
    db.execute(
        "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE target_id = ? AND uid = ? "
        "AND resolved_at IS NULL",
        [(now or utcnow()).isoformat(), resolution, target_id, uid],
    )
