"""The went-live dialog wired to the data layer: record where a post was published, from the editor.

`PublishRequests` is mixed into the app, like `ComplianceRequests`: it answers
the editor's published panel by pushing the dialog, recording what it returns
with `record_published` on the app's write path (`guard`), and reopening the
editor on the saved post, since recording moved it to published (and bumped its
sequence, so the open form would otherwise be refused as stale on save).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from calendar_data.posts import get_post
from calendar_data.publish.links import published_links, record_published
from calendar_data.storage.connection import utcnow
from tui.messages import EditPost

if TYPE_CHECKING:
    from tui.screens.published import WentLive
    from tui.widgets.published_panel import PublishedPanel


def local_links(db, post_id: int, zone: str) -> list:
    """A post's recorded links with their times in the team's zone (what the editor's panel shows)."""
    tz = ZoneInfo(zone)
    return [
        replace(link, published_at=link.published_at.astimezone(tz))
        for link in published_links(db, post_id)
    ]


class PublishRequests:
    """Mixed into the app (which has `db`, `settings`, `guard` and maybe a `now` clock)."""

    def _publish_now(self) -> datetime:
        clock = getattr(self, "now", None)
        return clock() if callable(clock) else utcnow()

    def on_published_panel_record_requested(self, message: PublishedPanel.RecordRequested) -> None:
        from tui.screens.published import PublishedScreen  # loaded on first use (start-up time)

        message.stop()
        post, editor = message.post, self.screen
        if post.id is None:
            self.notify("Save the post first, then record where it went live.", severity="warning")
            return
        if getattr(editor, "dirty", False):
            self.notify(
                "Save or undo your changes first: recording moves the post to published.",
                title="Unsaved changes",
                severity="warning",
            )
            return
        if not post.channels:
            self.notify("Give the post the channel it went out on first.", severity="warning")
            return
        now = self._publish_now()

        def record(entry: WentLive | None) -> None:
            if entry is None:
                return
            link = self.guard(
                lambda: record_published(
                    self.db, post.id, entry.channel, entry.url, at=entry.at, now=now
                )
            )
            if link is None:
                return
            self.notify(
                f"#{post.id} {post.title} · {entry.channel} · {entry.url}", title="Published"
            )
            if getattr(editor, "is_attached", False) and self.screen is editor:
                editor.dismiss(None)
                self.post_message(EditPost(get_post(self.db, post.id)))

        self.push_screen(
            PublishedScreen(post, tuple(message.panel.links), now=now, zone=self.settings.timezone),
            record,
        )
