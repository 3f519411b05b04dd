"""The comments dialog wired to the data layer: read, add and remove a post's review comments.

Like `compliance_flow`, the dialog only shows and collects; the functions here write
through calendar_data.comments as the acting user and turn a refusal into a notification.
"""

from __future__ import annotations

from datetime import datetime

from textual.screen import Screen

from calendar_data.comments import Comment, CommentError, add_comment, delete_comment, list_comments
from calendar_data.errors import PostError
from calendar_data.settings import current_user
from tui.screens.comments import CommentsScreen


def acting_user(screen: Screen) -> str:
    """Who a comment is from: the app's user (tests, demos) else config.toml `user` or the login."""
    return getattr(screen.app, "user", None) or current_user()


def open_comments(screen: Screen, db, post, *, now=None) -> None:
    """Show the review thread of a saved post (a post never saved has none yet).

    `now` is a callable giving the time a comment is stamped with (the clock when None).
    """
    if post.id is None:
        screen.notify("Save the post first, then discuss it.", severity="warning")
        return
    who = acting_user(screen)

    def stamp() -> datetime | None:
        return now() if now is not None else None

    def add(text: str) -> Comment | None:
        try:
            comment = add_comment(db, post.id, text, who=who, now=stamp())
        except (CommentError, PostError) as exc:
            screen.notify(str(exc), severity="error", timeout=8)
            return None
        _changed(screen)
        return comment

    def remove(comment: Comment) -> bool:
        try:
            delete_comment(db, comment.id, who=who, now=stamp())
        except CommentError as exc:
            screen.notify(str(exc), severity="error", timeout=8)
            return False
        screen.notify("Comment removed.")
        _changed(screen)
        return True

    screen.app.push_screen(CommentsScreen(post.title, me=who, load=lambda: list_comments(db, post.id),
                                          add=add, remove=remove))


def _changed(screen: Screen) -> None:
    data_changed = getattr(screen.app, "data_changed", None)
    if data_changed is not None:
        data_changed()
