"""The push half of a sync run: what changed here goes up with If-None-Match or If-Match.

A mixin of `engine.Run`. Every PUT is followed at once by recording its ETag
(a kill between the two is healed on resume by matching the UID); a 412 means
a teammate wrote first, so that resource is read again and decided as a pull
would (usually a conflict), never overwritten.

The gate holds on the editing machine: an approved or scheduled post whose
content was edited here since the last agreement is checked on this machine
before it goes up, and when a blocking finding stands it goes back to draft
here (a `sync-gate` entry says why) and is sent as a draft. A post held back
here by this machine's gate when it came down is not a local edit and stays
where it is; once edited (or approved) here it is sent like any other.
"""

from __future__ import annotations

from dataclasses import replace

from calendar_data.checks.workflow import APPROVED_OR_LATER
from calendar_data.ical.export import post_uid
from calendar_data.models import Post, Status
from calendar_data.post_stamps import imported_uids
from calendar_data.posts import list_posts, update_post
from calendar_data.storage.changelog import log_change
from calendar_data.sync import state
from calendar_data.sync.apply import gate, stored_id
from calendar_data.sync.run_state import RunBase
from calendar_data.sync.server import PreconditionFailed
from calendar_data.sync.vevent import parse_resource, post_ics
from calendar_data.sync.wire import POST_FIELDS, post_wire, wire_hash


class Pushing(RunBase):
    """Push of posts (new, edited, deleted) for one run."""

    def push(self) -> None:
        """Send what changed here since the last agreement, then the team lists."""
        posts = list_posts(self.db)
        external = imported_uids(self.db, [stored_id(p) for p in posts])
        by_post = {
            i.post_id: i for i in self.items.values() if i.kind == "post" and i.post_id is not None
        }
        matched: set[str] = set()
        for post in posts:
            post_id = stored_id(post)  # listed posts all have ids
            item = by_post.get(post_id)
            item = item if item is not None and item.matches(post) else None
            uid = item.uid if item else self._new_uid(post, external.get(post_id))
            matched.add(uid)
            if uid in self.blocked:
                self.result.pending += 1
            else:
                self._push_post(post, uid, item)
        for item in list(self.items.values()):
            if item.kind == "post" and item.uid not in matched:
                if item.uid in self.blocked:
                    self.result.pending += 1
                    continue
                self._delete(item)
        self.push_team()

    def _push_post(self, post: Post, uid: str, item: state.Item | None) -> None:
        """Send one post when it changed here since the last agreement (a hold is not a change)."""
        wire = post_wire(post, share_consent=self.target.share_consent)
        if item is not None and item.unchanged(wire):
            if item.held and wire_hash(wire) == item.synced_hash:  # approved here since
                self._agree(item)
            return
        if item is not None and self._gate_edit(post, wire, item):
            post = self._post(post.id) or post
            wire = post_wire(post, share_consent=self.target.share_consent)
        data = post_ics(
            uid,
            wire,
            zone=self.zone,
            now=self.ctx.now,
            sequence=post.sequence,
            editor=self.editor,
            origin=self.namespace,
        )
        href = item.href if item else self.server.href_for(uid)
        self._send(uid, post.id, href, data, wire, item)

    def _gate_edit(self, post: Post, wire: dict, item: state.Item) -> bool:
        """Run this machine's gate on an approved post edited here; True when it went back to draft."""
        if post.status not in APPROVED_OR_LATER - {Status.PUBLISHED} or self.dry_run:
            return False
        base = item.synced_data
        if all(wire.get(k) == base.get(k) for k in POST_FIELDS if k != "status"):
            return False
        _, found = gate(self.db, post, post.consent, post.status, self.ctx.today)
        if not found:
            return False
        who = self.editor  # this machine's user: the gate ran here, on their edit
        with self.db.atomic():
            update_post(
                self.db,
                replace(post, status=Status.DRAFT),
                who=who,
                now=self.ctx.now,
                today=self.ctx.today,
            )
            details = {"target": self.target.name, "edited_here": True, "reasons": found}
            details |= {"remote_status": base.get("status"), "status": str(Status.DRAFT)}
            log_change(self.db, "sync-gate", "post", post.id, details, who=who, at=self.ctx.now)
        self.result.gated.append({"post_id": post.id, "reasons": found})
        return True

    def _agree(self, item: state.Item) -> None:
        """The local post is the server's version again (approved here since the hold): drop the hold."""
        if self.dry_run:
            return
        with self.db.atomic():
            state.save_item(
                self.db,
                self.target.saved_id,
                item.uid,
                kind=item.kind,
                post_id=item.post_id,
                href=item.href,
                etag=item.etag,
                data=item.synced_data,
            )
        self.items[item.uid] = state.saved_item(self.db, self.target.saved_id, item.uid)

    def _new_uid(self, post, external: str | None) -> str:
        """The UID a post goes up with: the export's, unless a deleted post whose id was reused holds it."""
        uid = post_uid(post, self.namespace, external)
        held = self.items.get(uid)
        if held is None or held.matches(post):
            return uid
        return uid.replace("@", f"-{post.created_at:%Y%m%dT%H%M%S}@", 1)

    def _send(
        self,
        uid: str,
        post_id: int | None,
        href: str,
        data: bytes,
        wire: dict,
        item: state.Item | None,
        kind: str = "post",
    ) -> None:
        counter = "updated" if item else "new"
        self.result.pushed[counter] += kind == "post"
        if self.dry_run:
            return
        try:
            etag = self.server.put(
                href, data, etag=item.etag if item else None, create=item is None
            )
        except PreconditionFailed:
            self.result.pushed[counter] -= kind == "post"
            self._refetch(href)
            return
        with self.db.atomic():  # right after the PUT: a kill here is healed by matching the UID
            state.save_item(
                self.db,
                self.target.saved_id,
                uid,
                kind=kind,
                post_id=post_id,
                href=href,
                etag=etag,
                data=wire,
            )
        self.items[uid] = state.saved_item(self.db, self.target.saved_id, uid)
        if post_id is not None:
            self.pushed_ids[counter].append(post_id)

    def _delete(self, item: state.Item) -> None:
        self.result.pushed["deleted"] += 1
        if self.dry_run:
            return
        try:
            self.server.delete(item.href, etag=item.etag)
        except PreconditionFailed:
            self.result.pushed["deleted"] -= 1
            self._refetch(item.href)
            return
        with self.db.atomic():
            state.drop_item(self.db, self.target.saved_id, item.uid)
            log_change(
                self.db,
                "sync-delete",
                "post",
                item.post_id,
                {"target": self.target.name, "href": item.href},
                who=self.editor,
                at=self.ctx.now,
            )
        self.items.pop(item.uid, None)
        if item.post_id is not None:  # as in `_send`: only real post ids go to the change log
            self.pushed_ids["deleted"].append(item.post_id)

    def _refetch(self, href: str) -> None:
        """The server's copy moved under us: read it now and decide as a pull would (usually a conflict)."""
        found = self.server.fetch([href])
        known = next((i for i in self.items.values() if i.href == href), None)
        if href not in found:
            if known is not None:
                self.remote_deleted(known)
            return
        data, etag = found[href]
        try:
            res = parse_resource(data, zone=self.zone, base=known.synced_data if known else None)
        except ValueError as exc:
            self.result.warnings.append(f"{href}: skipped, {exc}")
            return
        self.remote_changed(href, etag, res)
