"""The header: the app's name, every view with its key (the current one lit), and the active filter.

It replaces Textual's Header so the views are always on screen, even at 80x24
where the footer has no room for them. Clicking a view switches to it;
clicking the name opens the command palette.
"""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.widget import Widget

VIEWS: tuple[tuple[str, str, str], ...] = (
    ("month", "m", "Month"), ("week", "w", "Week"), ("quarter", "q", "Quarter"), ("agenda", "g", "Agenda"),
    ("awareness", "a", "Awareness"), ("campaigns", "c", "Campaigns"), ("tags", "#", "Tags"),
)
NAME = " ⭘ carecal "
SHORT = {"Quarter": "Qtr", "Awareness": "Aware", "Campaigns": "Camps"}
"""Labels under 90 columns, so every view still fits at 80."""


class TopBar(Widget):
    """One line: name, view tabs, and the app's sub-title (database · filter) at the right."""

    DEFAULT_CSS = """
    TopBar { dock: top; height: 1; background: $panel-darken-1; color: $text-muted; }
    TopBar > .top-bar--name { background: $accent; color: $text; text-style: bold; }
    TopBar > .top-bar--key { color: $accent; text-style: bold; }
    TopBar > .top-bar--active { background: $primary; color: $text; text-style: bold; }
    TopBar > .top-bar--note { color: $warning; text-style: italic; }
    """
    COMPONENT_CLASSES = {"top-bar--name", "top-bar--key", "top-bar--active", "top-bar--note"}

    def __init__(self, view: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", lambda _: self.refresh(), init=False)

    def _spans(self) -> list[tuple[int, int, str]]:
        """(start, end, view) of each tab, for clicks."""
        spans, x = [], len(NAME) + 1
        for view, key, label in VIEWS:
            width = len(key) + len(self._label(label)) + 3
            spans.append((x, x + width, view))
            x += width
        return spans

    def _label(self, label: str) -> str:
        return SHORT.get(label, label) if self.size.width < 90 else label

    def render(self) -> Text:
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(NAME, style=style("top-bar--name"))
        text.append(" ")
        for view, key, label in VIEWS:
            tab = Text.assemble(" ", (key, style("top-bar--key")), f" {self._label(label)} ")
            if view == self.view:
                tab.stylize(style("top-bar--active"))
            text.append_text(tab)
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
        for start, end, view in self._spans():
            if start <= event.x < end:
                await self.app.run_action(f"view('{view}')")
                return
