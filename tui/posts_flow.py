"""The app's post requests: new, quick add, edit, move, review and delete, and undo/redo.

Every write goes through the app's one write path (`guard`, `open_form`); the editor and the
dialogs are imported the first time one opens (start-up time: the month view needs none of them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace

from calendar_data.consent import add_post_with_consent
from calendar_data.models import Post, Status
from calendar_data.moves import move_post
from calendar_data.post_summaries import last_used_channels
from calendar_data.posts import add_post, delete_post, get_post, update_post
from calendar_data.undo import UndoError
from tui import messages


class PostRequests:
    """Mixed into the app (which has db, today, now, guard, open_form, history, data_changed)."""

    # --- undo and redo -----------------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the newest change made in this session (ctrl+z)."""
        self._replay(self.history.undo, "Undone", self.history.redo_steps)

    def action_redo(self) -> None:
        """Redo the newest undone change (ctrl+y)."""
        self._replay(self.history.redo, "Redone", self.history.undo_steps)

    def _replay(self, step: Callable[..., str], title: str, written: list) -> None:
        try:
            label = step(self.db, today=self.today)
        except UndoError as exc:
            self.notify(str(exc), title=title.replace("one", "o"), severity="warning")
            return
        except (ValueError, sqlite3.Error) as exc:
            self.notify(str(exc), title="Not undone", severity="error")
            return
        post_id = self.history.last_post(self.db, written[-1] if written else None)
        if post_id is not None:  # show the post the undo put back
            self.picked_post = post_id
            self.cursor = get_post(self.db, post_id).day
        self.data_changed()
        self.notify(label, title=title)

    # --- new posts ---------------------------------------------------------------------------

    def on_new_post(self, message: messages.NewPost) -> None:
        channels = last_used_channels(self.db)
        self._open_editor(message.template or Post(title="", day=message.day, channels=channels))

    def on_quick_add(self, message: messages.QuickAdd) -> None:
        # dialogs load on first use (start-up time)
        from tui.screens.quick_add import QuickAddScreen

        campaigns = tuple(self.vocabulary()[1])
        screen = QuickAddScreen(
            message.day, channels=last_used_channels(self.db), campaigns=campaigns
        )

        def typed(text: str | None) -> None:
            if not text:
                return
            post = screen.parse(text).post
            saved = self.guard(
                lambda: add_post(self.db, post, today=self.today, now=self.now()),
                failure="post",
                label=f"quick add “{post.title}”",
            )
            if saved is not None:
                self.cursor, self.picked_post = saved.day, saved.id
                self.screen_stack[0].reload()
                where = f"{saved.title} · {saved.day:%a %d %b %Y}"
                self.notify(f"{where} · e edits · ctrl+z undoes", title="Added")

        self.push_screen(screen, typed)

    # --- the editor --------------------------------------------------------------------------

    def on_edit_post(self, message: messages.EditPost) -> None:
        self._open_editor(message.post)

    def _open_editor(self, post: Post) -> None:
        """Open the editor; it closes once the post is saved, so a failed save keeps the draft."""
        from tui.screens.editor import PostEditor  # the editor loads on first open (start-up time)
        from tui.screens.editor_context import editor_context

        context = editor_context(self.db, self.settings, self.today, self.now, self.vocabulary())
        label = f"new post “{post.title}”" if post.id is None else f"edit of “{post.title}”"
        self.open_form(
            PostEditor(post, context),
            self._save_post,
            failure="post",
            saved=self._saved_post,
            label=label,
        )

    def _saved_post(self, saved: Post) -> None:
        self.picked_post = saved.id  # the month and week views highlight what was just saved
        self.notify(f"{saved.title} · {saved.day:%a %d %b %Y}", title="Saved")

    def _save_post(self, post: Post) -> Post:
        today, now = self.today, self.now()
        if (
            post.id is None and post.consent is not None
        ):  # consent recorded while creating: one transaction
            fresh = replace(post, consent=None)
            return add_post_with_consent(self.db, fresh, post.consent, today=today, now=now)
        if post.id is None:
            return add_post(self.db, post, today=today, now=now)
        # refuse to overwrite a change saved elsewhere while the editor was open
        return update_post(self.db, post, today=today, now=now, expected_sequence=post.sequence)

    # --- other changes -----------------------------------------------------------------------

    def on_move_post(self, message: messages.MovePost) -> None:
        post, day = message.post, message.day
        saved = self.guard(
            lambda: move_post(self.db, post.id, day, today=self.today, now=self.now()),
            failure="post",
            label=f"move of “{post.title}” to {day:%a %d %b}",
        )
        if saved is not None:
            self.picked_post = post.id
            moved = f"{post.title} · {post.day:%a %d %b} → {day:%a %d %b %Y}"
            self.notify(f"{moved} · ctrl+z undoes", title="Moved")

    def on_review_post(self, message: messages.ReviewPost) -> None:
        """Approve (the approval gate decides) or reject a post from the day dialog."""
        post = replace(message.post, status=Status(message.status))
        saved = self.guard(
            lambda: update_post(
                self.db,
                post,
                today=self.today,
                now=self.now(),
                expected_sequence=message.post.sequence,
            ),
            failure="post",
        )
        if saved is not None:
            self.notify(f"{saved.title}: {saved.status.value}", title="Reviewed")

    def on_delete_post(self, message: messages.DeletePost) -> None:
        from tui.screens.dialogs import ConfirmScreen

        post = message.post

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            deleted = self.guard(
                lambda: delete_post(self.db, post.id, now=self.now()),
                failure="delete",
                label=f"delete of “{post.title}”",
            )
            if deleted is not None:
                self.notify(f"{post.title} · ctrl+z undoes", title="Deleted")

        question = f"Delete “{post.title}” on {post.day:%a %d %b %Y}?"
        self.push_screen(ConfirmScreen(question, yes="Delete", danger=True), confirmed)
