"""Two-way sync of one calendar with one CalDAV collection: pull, then push, each step idempotent.

Pull asks for what changed since the server's sync token (RFC 6578; a full
listing the first time or where the server has no tokens), downloads only
resources whose ETag differs from the one recorded, and compares each with the
last agreed version (the base): changed only there, it is applied here;
changed on both sides, both versions are kept and a conflict is opened;
deleted there and untouched here, the post is deleted here. Push sends what
changed here since the base: new posts with If-None-Match, edits and deletions
with If-Match, so a teammate's newer write is never overwritten (a 412 turns
into a pull of that resource, and usually a conflict).

A version this machine stores differently (its approval gate holds it back,
its workflow keeps a status) is recorded with the local version beside the
server's (`state.Item.held`): it is not a local change, so it is not sent back,
and `SyncResult.held` shows it until the post is edited here or changes there.

Resuming after a kill: every local change is committed together with its sync
state; every PUT is followed at once by recording its ETag; the token is saved
only after all it covers is applied. A PUT whose record was lost comes back in
the next pull as an unknown resource with one of our own UIDs, and is matched
to its post by UID instead of being added twice.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from calendar_data.errors import PostError
from calendar_data.ical.export import uid_namespace
from calendar_data.post_stamps import post_id_by_external_uid, set_external_uid
from calendar_data.posts import get_post
from calendar_data.settings import current_user
from calendar_data.storage.changelog import log_change
from calendar_data.storage.settings_table import load_settings
from calendar_data.sync import state
from calendar_data.sync.apply import (
    Applied,
    Context,
    create_local,
    delete_local,
    stored_id,
    update_local,
)
from calendar_data.sync.pushing import Pushing
from calendar_data.sync.run_state import SyncResult
from calendar_data.sync.server import Server
from calendar_data.sync.targets import Target
from calendar_data.sync.teamsync import TeamLists
from calendar_data.sync.vevent import Resource, parse_resource
from calendar_data.sync.wire import post_wire

FETCH_BATCH = 200
"""Resources per calendar-multiget request."""


class Run(Pushing, TeamLists):
    """One sync of one target; `pull()` then `push()`."""

    def __init__(
        self,
        db,
        target: Target,
        server: Server,
        *,
        today: date,
        now: datetime,
        dry_run: bool = False,
        who: str | None = None,
    ) -> None:
        self.db, self.target, self.server, self.dry_run = db, target, server, dry_run
        self.ctx = Context(target.name, target.share_consent, today, now)
        self.zone = load_settings(db).timezone
        self.namespace = uid_namespace(db)
        self.editor = who or current_user()
        self.result = SyncResult(target.name, dry_run)
        self.items = state.items(db, target.saved_id)
        self.blocked = state.open_conflict_uids(db, target.saved_id)
        self.planned: list[dict] = []
        self.deferred: dict = {}
        self.pushed_ids: dict[str, list[int]] = {"new": [], "updated": [], "deleted": []}
        """Post ids sent, for the change log's sync entry (who sent what, where)."""

    # --- pull ------------------------------------------------------------------------------
    def pull(self) -> None:
        """Apply what changed on the server since the last sync."""
        changes = self.server.changes(self.target.sync_token)
        by_href = {i.href: i for i in self.items.values()}
        wanted = [
            h
            for h, etag in changes.changed.items()
            if not (h in by_href and etag and by_href[h].etag == etag)
        ]
        gone = set(changes.deleted)
        if changes.full:
            gone |= set(by_href) - set(changes.changed)
        resources = []
        for start in range(0, len(wanted), FETCH_BATCH):
            for href, (data, etag) in self.server.fetch(
                wanted[start : start + FETCH_BATCH]
            ).items():
                base = by_href[href].synced_data if href in by_href else None
                try:
                    resources.append((href, etag, parse_resource(data, zone=self.zone, base=base)))
                except ValueError as exc:
                    self.result.warnings.append(f"{href}: skipped, {exc}")
        resources.sort(key=lambda r: r[2].kind != "team")  # campaigns first: posts name them
        for href, etag, resource in resources:
            self.remote_changed(href, etag, resource)
        self._apply_team_entries(self.deferred)  # tag colours, once the posts have made the tags
        for href in sorted(gone):
            if href in by_href and by_href[href].uid in self.items:
                self.remote_deleted(by_href[href])
        if not self.dry_run:
            with self.db.atomic():
                state.save_token(self.db, self.target.saved_id, changes.token)

    def remote_changed(self, href: str, etag: str | None, res: Resource) -> None:
        """Decide what one changed resource means here, and do it."""
        if res.kind == "team":
            self.pull_team(href, etag, res)
            return
        item = self.items.get(res.uid)
        if res.uid in self.blocked:
            kind = "deleted-here" if item and self._local(item) is None else "both-edited"
            self.conflict(res.uid, kind, item.post_id if item else None, res.data, href, etag)
            return
        if item is None:
            self.remote_new(href, etag, res)
            return
        local = self._local(item)
        if res.data == item.synced_data:
            self._re_record(item, local, href, etag)
        elif local is None:
            self.conflict(
                res.uid, "deleted-here", item.post_id, res.data, href, etag, local_data=None
            )
        else:
            mine = post_wire(local, share_consent=self.target.share_consent)
            if item.unchanged(mine):
                self.apply(
                    lambda: update_local(self.db, local, res.data, self.ctx, editor=res.editor),
                    res.uid,
                    href,
                    etag,
                    res.data,
                    "updated",
                )
            elif mine == res.data:
                self.record(res.uid, item.post_id, href, etag, res.data)
            else:
                self.conflict(
                    res.uid, "both-edited", local.id, res.data, href, etag, local_data=mine
                )

    def remote_new(self, href: str, etag: str | None, res: Resource) -> None:
        """A UID we have no record of: ours from an interrupted sync, an imported one, or truly new."""
        own = self._own_post_id(res.uid)
        local_id = own if own is not None else post_id_by_external_uid(self.db, res.uid)
        local = self._post(local_id)
        if local is None:
            self.apply(
                lambda: create_local(self.db, res.data, self.ctx, editor=res.editor),
                res.uid,
                href,
                etag,
                res.data,
                "new",
                external_uid=res.uid,
            )
            return
        mine = post_wire(local, share_consent=self.target.share_consent)
        if mine == res.data or own is not None:
            self.record(res.uid, local.id, href, etag, res.data)  # push sends any later local edit
        else:
            self.conflict(res.uid, "both-edited", local.id, res.data, href, etag, local_data=mine)

    def remote_deleted(self, item: state.Item) -> None:
        """A resource the server no longer has: delete here too, unless it was edited here (a conflict)."""
        if item.kind == "team":
            self._write(lambda: state.drop_item(self.db, self.target.saved_id, item.uid))
            return
        local = self._local(item)
        if local is not None:
            mine = post_wire(local, share_consent=self.target.share_consent)
            if item.uid in self.blocked or not item.unchanged(mine):
                self.conflict(
                    item.uid, "deleted-there", item.post_id, None, None, None, local_data=mine
                )
                return

        def drop() -> None:
            if local is not None:
                delete_local(self.db, local.id, self.ctx)
            state.drop_item(self.db, self.target.saved_id, item.uid)
            state.close_uid(
                self.db, self.target.saved_id, item.uid, "deleted on both sides", now=self.ctx.now
            )

        self._write(drop)
        self.items.pop(item.uid, None)
        if local is not None:
            self.result.pulled["deleted"] += 1

    def apply(
        self,
        change,
        uid: str,
        href: str,
        etag: str | None,
        data: dict,
        counter: str,
        external_uid: str | None = None,
    ) -> None:
        """Apply a remote version and record the new agreement in one transaction."""
        self.result.pulled[counter] += 1
        if self.dry_run:
            return
        try:
            with self.db.atomic():
                applied: Applied = change()
                if external_uid and not self._own_post_id(external_uid):
                    set_external_uid(self.db, stored_id(applied.post), external_uid)
                post_id = stored_id(applied.post)
                stored = post_wire(applied.post, share_consent=self.ctx.share_consent)
                state.save_item(
                    self.db,
                    self.target.saved_id,
                    uid,
                    kind="post",
                    post_id=post_id,
                    href=href,
                    etag=etag,
                    data=data,
                    local=stored,
                    reasons=applied.held,
                )
        except PostError as exc:
            self.result.pulled[counter] -= 1
            self.result.warnings.append(f"{href}: not applied, {exc}")
            return
        self.items[uid] = state.saved_item(self.db, self.target.saved_id, uid)
        self.result.warnings.extend(applied.warnings)
        if applied.gate_reasons:
            self.result.gated.append({"post_id": applied.post.id, "reasons": applied.gate_reasons})

    def record(
        self,
        uid: str,
        post_id: int | None,
        href: str,
        etag: str | None,
        data: dict,
        kind: str = "post",
        held: tuple[dict, list[str]] | None = None,
    ) -> None:
        """Remember that both sides agree on `data` (no change to the post).

        `held` is (the local wire dict, the reasons) when the post stays held back here.
        """

        def write() -> None:
            state.save_item(
                self.db,
                self.target.saved_id,
                uid,
                kind=kind,
                post_id=post_id,
                href=href,
                etag=etag,
                data=data,
                local=held[0] if held else None,
                reasons=held[1] if held else (),
            )

        self._write(write)
        if not self.dry_run:
            self.items[uid] = state.saved_item(self.db, self.target.saved_id, uid)

    def conflict(
        self,
        uid: str,
        kind: str,
        post_id: int | None,
        remote: dict | None,
        href: str | None,
        etag: str | None,
        local_data: dict | None = None,
    ) -> None:
        """Keep both versions and open (or refresh) a conflict; nothing is overwritten on either side."""
        if local_data is None and post_id is not None and kind != "deleted-here":
            local = self._post(post_id)
            local_data = (
                post_wire(local, share_consent=self.target.share_consent) if local else None
            )
        self.blocked.add(uid)
        if self.dry_run:
            self.planned.append(
                {
                    "id": None,
                    "target": self.target.name,
                    "kind": kind,
                    "uid": uid,
                    "post_id": post_id,
                    "local": local_data,
                    "remote": remote,
                }
            )
            return
        with self.db.atomic():
            cid = state.record_conflict(
                self.db,
                self.target.saved_id,
                uid,
                kind,
                post_id=post_id,
                local=local_data,
                remote=remote,
                remote_href=href,
                remote_etag=etag,
                now=self.ctx.now,
            )
            log_change(
                self.db,
                "sync-conflict",
                "post" if kind != "team" else "sync",
                post_id or uid,
                {"target": self.target.name, "conflict": cid, "kind": kind},
                who=self.ctx.who(""),
                at=self.ctx.now,
            )

    # --- helpers ---------------------------------------------------------------------------
    def _re_record(self, item: state.Item, local, href: str, etag: str | None) -> None:
        """The server's content is as agreed (its ETag moved): keep a hold unless edited here since."""
        held = None
        if item.held and local is not None:
            mine = post_wire(local, share_consent=self.target.share_consent)
            if item.unchanged(mine):
                held = (mine, list(item.held.get("reasons") or ()))
        self.record(item.uid, item.post_id, href, etag, item.synced_data, held=held)

    def _local(self, item: state.Item):
        """The local post a resource was recorded for (None when deleted, or its id was reused)."""
        post = self._post(item.post_id)
        return post if post is not None and item.matches(post) else None

    def _post(self, post_id: int | None):
        if post_id is None:
            return None
        try:
            return get_post(self.db, post_id)
        except PostError:
            return None

    def _own_post_id(self, uid: str) -> int | None:
        match = re.fullmatch(
            rf"post-(\d+)-{re.escape(self.namespace)}(?:-\d{{8}}T\d{{6}})?@carecal", uid
        )
        return int(match.group(1)) if match else None

    def _write(self, fn) -> None:
        if not self.dry_run:
            with self.db.atomic():
                fn()
