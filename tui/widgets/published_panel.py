"""The post editor's "published" panel: where the post went live, and a way to record it.

The panel is handed the saved post and a loader (post id -> recorded links);
it never writes. `p` (or its button) posts `RecordRequested` for the app to
answer with the went-live dialog and `record_published` (tui.publish_flow).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Static

from calendar_data.models import Post
from calendar_data.publish.links import PublishedLink


def links_text(links: Sequence[PublishedLink]) -> Text:
    """Each recorded link: channel, time (in the zone the loader gave it), address; or a line saying none."""
    if not links:
        return Text("not recorded as published yet", style="dim")
    text = Text()
    for index, link in enumerate(links):
        if index:
            text.append("\n")
        text.append(f"{link.channel} ", style="bold")
        text.append(f"{link.published_at:%d %b %Y %H:%M %Z}".rstrip() + "\n", style="dim")
        text.append(f"  {link.url}")
    return text


class PublishedPanel(Vertical):
    """The post's recorded links and a button to record one more."""

    DEFAULT_CSS = """
    PublishedPanel { height: auto; border: round $panel; padding: 0 1; margin-top: 1; }
    PublishedPanel:focus-within { border: round $primary; }
    PublishedPanel > #published-links { height: auto; }
    PublishedPanel > Button { width: 100%; margin-top: 1; }
    """
    BINDINGS = [Binding("p", "record", "Record where it went live", id="published_panel.record")]

    @dataclass
    class RecordRequested(Message):
        """The user asked to record where `post` went live (the app opens the dialog and saves)."""

        panel: PublishedPanel
        post: Post

        @property
        def control(self) -> PublishedPanel:
            return self.panel

    def __init__(
        self,
        post: Post,
        *,
        loader: Callable[[int], Sequence[PublishedLink]],
        id: str | None = "published-panel",
    ) -> None:
        super().__init__(id=id)
        self.border_title = "Published"
        self.post = post
        self.loader = loader
        self.links: tuple[PublishedLink, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="published-links")
        yield Button("Record where it went live (p)", id="published-record", compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the post's links again (after one was recorded)."""
        self.links = tuple(self.loader(self.post.id)) if self.post.id is not None else ()
        self.query_one("#published-links", Static).update(links_text(self.links))

    def action_record(self) -> None:
        self.post_message(self.RecordRequested(self, self.post))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_record()
