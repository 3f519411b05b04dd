"""A post's review thread: read the comments, add one, take back one's own.

The dialog gets the thread and three callables from its opener (tui.comments_flow),
which does the writing through calendar_data.comments and reports failures; the
dialog only shows and collects.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from calendar_data.comments import MAX_COMMENT, Comment
from tui.screens.dialogs import ConfirmScreen


def comment_text(comment: Comment, *, mine: bool) -> Text:
    """One comment as the thread shows it: who and when on a line, then the words."""
    text = Text()
    text.append(comment.who, style="bold")
    text.append(f" · {comment.at:%a %d %b %Y %H:%M} UTC", style="dim")
    if mine:
        text.append(" · yours (delete removes)", style="dim")
    text.append("\n")
    text.append(comment.text)
    return text


class CommentsScreen(ModalScreen[None]):
    """The thread of one post, oldest first, with a line to write the next comment."""

    HELP_TITLE = "Comments"
    DEFAULT_CSS = """
    CommentsScreen { align: center middle; }
    CommentsScreen > #comments-box { width: 100%; max-width: 100; height: 80%; border: round $primary;
        background: $surface; padding: 0 1; }
    CommentsScreen #comments-title { text-style: bold; }
    CommentsScreen #comments-thread { height: 1fr; border: none; }
    CommentsScreen #comments-empty { color: $text-muted; height: 1fr; }
    CommentsScreen #comment-input { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "post", "Post comment", id="comments.post"),
        Binding("delete", "remove", "Remove own comment", id="comments.remove"),
        Binding("escape", "close", "Close", id="comments.close"),
    ]

    def __init__(
        self,
        title: str,
        *,
        me: str,
        load: Callable[[], list[Comment]],
        add: Callable[[str], Comment | None],
        remove: Callable[[Comment], bool],
    ) -> None:
        """`add` returns the saved comment (None when refused); `remove` whether it was removed."""
        super().__init__(classes="dialog")
        self.heading, self.me = title, me
        self._load, self._add, self._remove = load, add, remove
        self.thread: list[Comment] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="comments-box"):
            yield Label(f"Comments · {self.heading}", id="comments-title", markup=False)
            yield Static("No comments yet: write the first one below.", id="comments-empty")
            yield OptionList(id="comments-thread")
            yield Input(
                placeholder=f"Comment as {self.me}… (enter posts)",
                id="comment-input",
                max_length=MAX_COMMENT,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#comment-input", Input).focus()

    def reload(self) -> None:
        """Read the thread again and show it, the newest comment highlighted."""
        self.thread = self._load()
        options = self.query_one("#comments-thread", OptionList)
        options.clear_options()
        options.add_options(
            [Option(comment_text(c, mine=self._mine(c)), id=f"comment-{c.id}") for c in self.thread]
        )
        options.display = bool(self.thread)
        self.query_one("#comments-empty").display = not self.thread
        if self.thread:
            options.highlighted = len(self.thread) - 1

    def _mine(self, comment: Comment) -> bool:
        return comment.who.casefold() == self.me.casefold()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_post()

    def action_post(self) -> None:
        field = self.query_one("#comment-input", Input)
        if not field.value.strip():
            self.notify("Write something first.", severity="warning")
            return
        if self._add(field.value) is not None:
            field.value = ""
            self.reload()

    def action_remove(self) -> None:
        options = self.query_one("#comments-thread", OptionList)
        index = options.highlighted
        if index is None or index >= len(self.thread):
            return
        comment = self.thread[index]
        if not self._mine(comment):
            self.notify(
                f"That comment is {comment.who}'s; only its author can remove it.",
                severity="warning",
            )
            return
        if self._remove(comment):
            self.reload()

    def action_close(self) -> None:
        if not self.query_one("#comment-input", Input).value.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard the comment you typed?", yes="Discard", no="Keep writing", danger=True
            ),
            answered,
        )
