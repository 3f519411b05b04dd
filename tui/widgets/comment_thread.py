"""A post's review thread in the editor: who said what and when, and a line to add to it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from calendar_data.comments import Comment
from tui.widgets.marks import clean


class CommentThread(Vertical):
    """Shows `comments`; enter in its line posts `Posted` (the screen saves it and calls `show`)."""

    DEFAULT_CSS = """
    CommentThread { height: auto; max-height: 50%; border: round $panel; padding: 0 1; }
    CommentThread:focus-within { border: round $primary; }
    CommentThread > #comment-list { height: auto; max-height: 14; overflow-y: auto; }
    CommentThread > #comment-input { margin-top: 1; }
    """

    @dataclass
    class Posted(Message):
        """The user wrote a comment and pressed enter."""

        text: str

    def __init__(self, comments: list[Comment], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comments = comments
        self.border_title = "Comments"

    def compose(self) -> ComposeResult:
        yield Static(self._thread(), id="comment-list")
        yield Input(placeholder="Add a comment · enter posts it", id="comment-input", compact=True)

    def show(self, comments: list[Comment]) -> None:
        """Repaint with the thread as saved, and clear the line."""
        self.comments = comments
        self.query_one("#comment-list", Static).update(self._thread())
        self.query_one("#comment-input", Input).value = ""

    def _thread(self) -> Text:
        if not self.comments:
            return Text("No comments yet: ask the approver a question, or note why a change was made.",
                        style="dim italic")
        text = Text()
        for index, comment in enumerate(self.comments):
            if index:
                text.append("\n")
            text.append(f"{comment.who}", style="bold")
            text.append(f" · {comment.at:%d %b %H:%M} UTC\n", style="dim")
            text.append(clean(comment.body))
        return text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Posted(event.value.strip()))
