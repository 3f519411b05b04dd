"""The comments dialog wired to the data layer: read, add and remove a post's review comments.

Like `compliance_flow`, the dialog only shows and collects; the functions here write
through calendar_data.comments as the acting user, on the app's write path.
"""

from __future__ import annotations

from datetime import datetime

from textual.screen import Screen

from calendar_data.comments import Comment, add_comment, delete_comment, list_comments
from calendar_data.settings import current_user
from tui.screens.comments import CommentsScreen


def acting_user(screen: Screen) -> str:
    """Who a comment is from: the app's user (tests, demos) else config.toml `user` or the login."""
    return getattr(screen.app, "user", None) or current_user()


def open_comments(screen: Screen, db, post, *, now=None) -> None:
    """Show the review thread of a saved post (a post never saved has none yet).

    Adding and removing run on the app's write path (`guard`), so a refusal or a locked
    file is one notification from the app's handler. `now` is the app's clock.
    """
    if post.id is None:
        screen.notify("Save the post first, then discuss it.", severity="warning")
        return
    who = acting_user(screen)

    def stamp() -> datetime | None:
        return now() if now is not None else None

    def add(text: str) -> Comment | None:
        added = screen.app.guard(
            lambda: add_comment(db, post.id, text, who=who, now=stamp()), failure="comment"
        )
        return added if isinstance(added, Comment) else None

    def remove(comment: Comment) -> bool:
        if (
            screen.app.guard(
                lambda: delete_comment(db, comment.id, who=who, now=stamp()), failure="comment"
            )
            is None
        ):
            return False
        screen.notify("Comment removed.")
        return True

    screen.app.push_screen(
        CommentsScreen(
            post.title, me=who, load=lambda: list_comments(db, post.id), add=add, remove=remove
        )
    )
