"""The team-lists resource inside a sync run: merged entry by entry on pull, sent when changed here.

A mixin of `engine.Run` (it uses the run's db, target, server, state and
result); the merge rules themselves are in `team`.
"""

from __future__ import annotations

from calendar_data.sync import state, team
from calendar_data.sync.run_state import RunBase
from calendar_data.sync.vevent import TEAM_UID, Resource, team_ics
from calendar_data.sync.wire import wire_hash


class TeamLists(RunBase):
    """Pull and push of campaigns, tag colours and observance stars/mutes for one run."""

    def pull_team(self, href: str, etag: str | None, res: Resource) -> None:
        """Merge the server's team lists entry by entry with ours."""
        item = self.items.get(TEAM_UID)
        base = item.synced_data if item else {}
        local = self._team_local(base)
        conflicted = {u.split("#", 1)[1] for u in self.blocked if u.startswith(TEAM_UID + "#")}
        to_apply, _, clashes = team.merge(base, local, res.data, conflicted)
        for key in clashes:
            self.conflict(
                f"{TEAM_UID}#{key}",
                "team",
                None,
                {key: res.data.get(key)},
                href,
                etag,
                local_data={key: local.get(key)},
            )
        if self.dry_run:
            return
        self.deferred = {k: v for k, v in to_apply.items() if k.startswith("tag:")}
        with self.db.atomic():
            self._apply_team_entries(
                {k: v for k, v in to_apply.items() if k not in self.deferred}, res.editor
            )
            state.save_item(
                self.db,
                self.target.saved_id,
                TEAM_UID,
                kind="team",
                post_id=None,
                href=href,
                etag=etag,
                data=res.data,
            )
        self.items[TEAM_UID] = state.saved_item(self.db, self.target.saved_id, TEAM_UID)

    def _apply_team_entries(self, entries: dict, editor: str = "") -> None:
        if not entries or self.dry_run:
            return
        with self.db.atomic():
            for key, value in entries.items():
                warning = team.apply_entry(self.db, key, value, who=self.ctx.who(editor))
                if warning:
                    self.result.warnings.append(warning)

    def _team_local(self, base: dict) -> dict:
        local = team.local_lists(self.db)
        for key, value in base.items():
            if key not in local and not team.representable(self.db, key):
                local[key] = value  # a teammate's entry this calendar cannot hold: keep it as it is
        return local

    def push_team(self) -> None:
        """Send the team lists when they changed here."""
        item = self.items.get(TEAM_UID)
        base = item.synced_data if item else {}
        conflicted = {u.split("#", 1)[1] for u in self.blocked if u.startswith(TEAM_UID + "#")}
        upload = team.upload_map(self.db, base, self._team_local(base), conflicted)
        if (
            item is not None
            and wire_hash(upload) == item.synced_hash
            or (item is None and not upload)
        ):
            return
        data = team_ics(
            upload,
            now=self.ctx.now,
            first_day=self.ctx.today,
            editor=self.editor,
            origin=self.namespace,
        )
        href = item.href if item else self.server.href_for(TEAM_UID)
        self._send(TEAM_UID, None, href, data, upload, item, kind="team")
