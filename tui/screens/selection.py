"""The highlighted post of the selected day, and what acts on it: pick, move, drag, duplicate.

Month and week views share this. The highlighted post is drawn reversed with ▶
(and listed first in the day panel), so `e`, `d`, `M` and `D` act on the post the
user can see, never on a guess. Moving is a mode of the view: the arrows (or a
typed date) choose the day, enter drops, escape cancels.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import Static

from calendar_data.models import Post
from calendar_data.moves import duplicate_of, parse_move_day
from tui.messages import MovePost, NewPost
from tui.widgets.marks import clean

MOVE_KEYS = "0123456789-"


class PostSelection:
    """Mixin for a PlanningScreen whose cells show the day's posts (month, week)."""

    SELECTION_BINDINGS = [
        Binding("tab", "next_post(1)", "Next post", id="post.next", show=False),
        Binding("shift+tab", "next_post(-1)", "Previous post", id="post.previous", show=False),
        Binding("J", "next_post(1)", "Next post (alternate)", id="post.next_alt", show=False),
        Binding(
            "K", "next_post(-1)", "Previous post (alternate)", id="post.previous_alt", show=False
        ),
        Binding("M", "move_post", "Move", id="post.move"),
        Binding("D", "duplicate_post", "Duplicate", id="post.duplicate"),
    ]
    POST_ACTIONS = ("move_post", "duplicate_post", "next_post")
    """Actions that need a post on the selected day (dimmed in the footer without one)."""
    moving: Post | None = None
    """The post being moved (move mode), or None."""
    move_typed: str = ""
    dragging: tuple[date, int] | None = None
    """(day, post id) where the mouse went down on a post."""

    # --- what the view provides ---------------------------------------------------------------

    def day_posts(self) -> list[Post]:
        """The selected day's posts, in the order the view lists them."""
        raise NotImplementedError

    def show_pick(self) -> None:
        """Repaint the highlight (cell and day panel) after the picked post changed."""
        raise NotImplementedError

    # --- the picked post ------------------------------------------------------------------------

    def picked_post(self) -> Post | None:
        """The highlighted post of the selected day; the first one when none was picked there."""
        posts = self.day_posts()
        chosen = next((p for p in posts if p.id == self.app.picked_post), None)
        if chosen is None and posts:
            chosen = posts[0]
            self.app.picked_post = chosen.id
        return chosen

    def target_post(self) -> Post | None:
        return self.picked_post()

    def _must_choose(self, verb: str) -> bool:
        return False  # the highlighted post is always visible here

    def action_next_post(self, step: int) -> None:
        posts = self.day_posts()
        if not posts:
            self.notify("No post on this day: n plans one", timeout=2)
            return
        current = self.picked_post()
        index = next((i for i, p in enumerate(posts) if p.id == current.id), 0)
        self.app.picked_post = posts[(index + step) % len(posts)].id
        self.show_pick()

    def pick(self, post_id: int | None) -> None:
        """Highlight `post_id` (a click or the day panel's cursor)."""
        if post_id is not None and post_id != self.app.picked_post:
            self.app.picked_post = post_id
            self.show_pick()

    # --- duplicate ------------------------------------------------------------------------------

    def action_duplicate_post(self) -> None:
        post = self.picked_post()
        if post is None:
            self.notify("No post to duplicate on this day", timeout=2)
            return
        self.post_message(NewPost(post.day, template=duplicate_of(post)))

    # --- move mode -----------------------------------------------------------------------------

    def action_move_post(self) -> None:
        post = self.picked_post()
        if post is None:
            self.notify("No post to move on this day", timeout=2)
            return
        self.moving, self.move_typed = post, ""
        self.show_move_bar()

    def show_move_bar(self) -> None:
        bar = self.query_one("#move-bar", Static)
        if bar.display != (self.moving is not None):
            bar.display = self.moving is not None
            self.refresh_bindings()  # in move mode the footer shows only the keys that move
        if self.moving is None:
            return
        text = Text.assemble(
            (" MOVE ", "reverse bold"),
            " ",
            (f"“{clean(self.moving.title)}”", "bold"),
            f" {self.moving.day:%a %d %b} → ",
            (f"{self.app.cursor:%a %d %b %Y}", "bold"),
        )
        typed = f"  typed: {self.move_typed}" if self.move_typed else ""
        text.append(
            f"{typed}  ←→↑↓ or type a date (2027-02-17, 02-17, 17) · ⏎ drop · esc cancel",
            style="dim",
        )
        bar.update(text)

    def end_move(self, drop: bool) -> None:
        """Leave move mode, dropping the post on the selected day when `drop`."""
        post, self.moving, self.move_typed = self.moving, None, ""
        self.show_move_bar()
        if post is None:
            return
        self.app.picked_post = post.id
        if not drop:
            self.select(post.day)  # back where the post is
        elif post.day != self.app.cursor:
            self.post_message(MovePost(post, self.app.cursor))

    def on_key(self, event: events.Key) -> None:
        """While moving, digits and '-' type a date; backspace takes one back."""
        if self.moving is None:
            return
        if event.character and event.character in MOVE_KEYS:
            self.move_typed += event.character
        elif event.key == "backspace":
            self.move_typed = self.move_typed[:-1]
        else:
            return
        event.stop()
        event.prevent_default()
        day = parse_move_day(self.move_typed, self.app.cursor)
        if day is not None and (len(self.move_typed) >= 2 or "-" in self.move_typed):
            self.select(day)
        self.show_move_bar()

    def check_move_keys(self, action: str) -> bool | None:
        """In move mode only moving, dropping and cancelling run; outside it, the post keys need a post.

        Returns None when the screen's own rules decide (Textual: None shows the key dimmed).
        """
        if self.moving is None:
            if action in self.POST_ACTIONS:
                return True if self.day_posts() else None
            return None
        return action in ("move", "month", "today", "open_day", "clear_filter", "vertical")

    # --- the mouse ------------------------------------------------------------------------------

    def drag_started(self, day: date, post_id: int) -> None:
        self.dragging = (day, post_id)

    def dropped_on(self, day: date) -> bool:
        """The mouse came up over `day`: move the dragged post there (True if it was a drag)."""
        drag, self.dragging = self.dragging, None
        if drag is None or drag[0] == day:
            return False
        post = next((p for p in self.posts_on(drag[0]) if p.id == drag[1]), None)
        if post is None:
            return False
        self.app.picked_post = post.id
        self.app.cursor = day
        self.post_message(MovePost(post, day))
        return True

    def posts_on(self, day: date) -> list[Post]:
        """The posts the view shows on `day` (for drags that start off the selected day)."""
        raise NotImplementedError
