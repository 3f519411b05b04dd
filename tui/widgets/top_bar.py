"""The header: the app's name, every view with its key (the current one lit), sync status and the filter.

It replaces Textual's Header so the views are always on screen, even at 80x24
where the footer has no room for them. Clicking a view switches to it;
clicking the name opens the command palette; clicking the sync status opens
the sync conflicts. With a sync target the tabs shrink to their keys (the
current view keeps its label) when the line would pass the terminal's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.events import Click
from textual.widget import Widget

VIEWS: tuple[tuple[str, str, str], ...] = (
    ("month", "m", "Month"),
    ("week", "w", "Week"),
    ("quarter", "q", "Quarter"),
    ("agenda", "g", "Agenda"),
    ("awareness", "a", "Awareness"),
    ("campaigns", "c", "Campaigns"),
    ("tags", "#", "Tags"),
)
NAME = " ⭘ carecal "


@dataclass(frozen=True)
class SyncBadge:
    """What the top bar says about sync: set by the app, never read from the store here."""

    state: str = "idle"
    """idle, syncing or failed."""
    last: datetime | None = None
    """The most recent successful sync of any target, in the calendar's time zone."""
    pending: int = 0
    conflicts: int = 0
    now: datetime | None = None
    """The app's clock when the status was read: a sync today shows a time, an older one a date."""
    held: int = 0
    """Posts this machine's approval gate holds back from the server's version."""

    def _when(self) -> str:
        if self.last is None:
            return "never"
        if self.now is not None and self.last.date() == self.now.date():
            return f"{self.last:%H:%M}"
        return f"{self.last:%d %b}"

    def wide(self) -> str:
        """The status in words (for a wide terminal)."""
        head = {"syncing": "syncing…", "failed": "sync failed"}.get(self.state, "")
        head = head or ("never synced" if self.last is None else f"synced {self._when()}")
        parts = [f"⇅ {head}", f"{self.pending} to send" if self.pending else ""]
        if self.held:
            parts.append(f"{self.held} held here")
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}")
        return " · ".join(p for p in parts if p)

    def compact(self) -> str:
        """The same in a few columns: time (or ⟳ / ✗), ↑ changes to send, ! conflicts."""
        head = {"syncing": "⟳", "failed": "✗"}.get(self.state, self._when())
        return " ".join(
            p
            for p in (
                f"⇅{head}",
                f"↑{self.pending}" if self.pending else "",
                f"⊘{self.held}" if self.held else "",
                f"!{self.conflicts}" if self.conflicts else "",
            )
            if p
        )


class TopBar(Widget):
    """One line: name, view tabs, sync status, and the app's sub-title (database · filter) at the right."""

    DEFAULT_CSS = """
    TopBar { dock: top; height: 1; background: $panel-darken-1; color: $text-muted; }
    TopBar > .top-bar--name { background: $accent; color: $text; text-style: bold; }
    TopBar > .top-bar--key { color: $accent; text-style: bold; }
    TopBar > .top-bar--active { background: $primary; color: $text; text-style: bold; }
    TopBar > .top-bar--note { color: $warning; text-style: italic; }
    TopBar > .top-bar--sync { color: $text; }
    TopBar > .top-bar--conflict { background: $error; color: $text; text-style: bold; }
    """
    COMPONENT_CLASSES = {
        "top-bar--name",
        "top-bar--key",
        "top-bar--active",
        "top-bar--note",
        "top-bar--sync",
        "top-bar--conflict",
    }

    def __init__(self, view: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self._badge_x: tuple[int, int] | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", lambda _: self.refresh(), init=False)
        if hasattr(self.app, "sync_badge"):
            self.watch(self.app, "sync_badge", lambda _: self.refresh(), init=False)

    def _badge(self) -> SyncBadge | None:
        return getattr(self.app, "sync_badge", None)

    def _layout(self, width: int) -> tuple[bool, str]:
        """(compact tabs?, badge text) that fit `width`: words first, then short tabs, then badge symbols."""
        badge = self._badge()
        full = len(NAME) + 1 + sum(len(k) + len(label) + 3 for _, k, label in VIEWS)
        short = (
            len(NAME)
            + 1
            + sum(3 if v != self.view else len(k) + len(label) + 3 for v, k, label in VIEWS)
        )
        if badge is None:
            return (
                full > width,
                "",
            )  # no sync badge: short tabs only when the words do not fit (80 columns)
        for compact_tabs, text in (
            (False, badge.wide()),
            (True, badge.wide()),  # the sync words matter more
            (False, badge.compact()),
            (True, badge.compact()),
        ):
            if (short if compact_tabs else full) + len(text) + 2 <= width:
                return compact_tabs, text
        return True, ""

    def _spans(self, compact: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, view) of each tab, for clicks."""
        spans, x = [], len(NAME) + 1
        for view, key, label in VIEWS:
            width = 3 if compact and view != self.view else len(key) + len(label) + 3
            spans.append((x, x + width, view))
            x += width
        return spans

    def render(self) -> Text:
        style = self.get_component_rich_style
        compact, badge_text = self._layout(self.size.width)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(NAME, style=style("top-bar--name"))
        text.append(" ")
        for view, key, label in VIEWS:
            if compact and view != self.view:
                tab = Text.assemble(" ", (key, style("top-bar--key")), " ")
            else:
                tab = Text.assemble(" ", (key, style("top-bar--key")), f" {label} ")
            if view == self.view:
                tab.stylize(style("top-bar--active"))
            text.append_text(tab)
        self._badge_x = None
        if badge_text:
            badge = self._badge()
            text.append(" ")
            start = len(text.plain)
            conflicted = badge is not None and (badge.conflicts or badge.state == "failed")
            text.append(
                badge_text, style=style("top-bar--conflict" if conflicted else "top-bar--sync")
            )
            self._badge_x = (start, len(text.plain))
        note = self.app.sub_title
        room = self.size.width - len(text.plain) - 2
        if note and room > 8:
            note = note if len(note) <= room else note[: room - 1] + "…"
            text.append(" " * (self.size.width - len(text.plain) - len(note) - 1))
            text.append(note, style=style("top-bar--note") if "filter" in note else "")
        return text

    async def on_click(self, event: Click) -> None:
        if event.x < len(NAME):
            self.app.action_command_palette()
            return
        if self._badge_x and self._badge_x[0] <= event.x < self._badge_x[1]:
            await self.app.run_action("sync_conflicts")
            return
        for start, end, view in self._spans(self._layout(self.size.width)[0]):
            if start <= event.x < end:
                await self.app.run_action(f"view('{view}')")
                return
