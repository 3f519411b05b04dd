"""Tags: every tag with its post count; rename (every post follows), merge, delete, colour."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from calendar_data.filter_query import format_filter
from calendar_data.models import Filters
from calendar_data.tags import (
    TagInfo,
    delete_tag,
    list_tags,
    merge_tags,
    rename_tag,
    set_tag_colour,
    tag_name,
)
from tui.messages import SetFilter
from tui.screens.base import CarecalScreen
from tui.screens.campaign_dialogs import COLOURS
from tui.screens.dialogs import ChoiceScreen, ConfirmScreen, PromptScreen
from tui.widgets.marks import colour_style
from tui.widgets.top_bar import TopBar


class TagsScreen(CarecalScreen):
    """A table of tags, most used first; enter shows a tag's posts in the agenda."""

    HELP_TITLE = "Tags"
    BINDINGS = [
        Binding("r", "rename", "Rename", id="tags.rename"),
        Binding("M", "merge", "Merge into…", key_display="M", id="tags.merge_into"),
        Binding("d", "delete", "Delete", id="tags.delete"),
        Binding("o", "colour", "Colour", id="tags.colour"),
        Binding("enter", "show_posts", "Show posts", id="tags.show_posts"),
    ]

    DYNAMIC_ACTIONS = ("rename", "merge", "delete", "colour", "show_posts")

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[TagInfo] = []
        self._pending: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("tags")
        yield DataTable(id="tag-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="tag-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (
            ("Tag", "name", 30),
            ("Posts", "count", 6),
            ("Colour", "colour", 12),
        ):
            table.add_column(label, key=key, width=width)
        table.focus()

    def fetch(self, db, request: None) -> list[TagInfo]:
        return list_tags(db)

    def paint(self, request: None, tags: list[TagInfo]) -> None:
        table = self.query_one(DataTable)
        keep = self._pending or (self.current.name if self.current else None)
        self._pending = None
        self.tags = tags
        table.clear()
        for tag in tags:
            style = colour_style(tag.colour)
            colour = (
                Text(f" {tag.colour} ", style=style)
                if style
                else Text(tag.colour or "—", style="dim")
            )
            table.add_row(Text(tag.name, style="bold"), str(tag.count), colour, key=tag.name)
        names = [t.name for t in tags]
        if keep in names:
            table.move_cursor(row=names.index(keep))
        total = sum(t.count for t in tags)
        self.query_one("#tag-detail", Static).update(
            Text(
                f" {len(tags)} tags on {total} post links · enter shows a tag's posts in the agenda"
                if tags
                else " No tags yet: add them in the post editor.",
                style="dim",
            )
        )
        self.sync_bindings()

    @property
    def current(self) -> TagInfo | None:
        """The highlighted tag."""
        table = self.query_one(DataTable)
        if not self.tags or table.cursor_row >= len(self.tags):
            return None
        return self.tags[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename", "merge", "delete", "colour", "show_posts"):
            return True if self.current else None
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.sync_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_posts()

    def action_rename(self) -> None:
        tag = self.current
        if tag is None:
            return

        def rename(new: str) -> str:
            if tag_name(new) != tag.name:
                rename_tag(self.app.db, tag.name, new, now=self.app.now())
            return tag_name(new)

        def renamed(new: str) -> None:
            if new != tag.name:
                self._pending = new
                self.notify(
                    f"{tag.name} → {new} on {tag.count} post{'s' * (tag.count != 1)}",
                    title="Renamed",
                )

        prompt = PromptScreen(
            f"Rename “{tag.name}” on all {tag.count} posts to:",
            tag.name,
            check=lambda v: (
                None if tag_name(v) and "," not in v else "a tag needs a name without commas"
            ),
        )
        self.app.open_form(prompt, rename, failure="tag", saved=renamed)

    def action_merge(self) -> None:
        tag = self.current
        if tag is None:
            return
        others = [(f"{t.name}  ({t.count})", t.name) for t in self.tags if t.name != tag.name]
        if not others:
            self.notify("There is no other tag to merge into.", severity="warning")
            return

        def merged(target: str | None) -> None:
            if (
                target
                and self.app.guard(
                    lambda: merge_tags(self.app.db, tag.name, target, now=self.app.now()),
                    failure="tag",
                )
                is not None
            ):
                self._pending = target
                self.notify(f"{tag.name} → {target}", title="Merged")

        self.app.push_screen(ChoiceScreen(f"Merge “{tag.name}” into:", others), merged)

    def action_delete(self) -> None:
        tag = self.current
        if tag is None:
            return

        def confirmed(yes: bool | None) -> None:
            if (
                yes
                and self.app.guard(
                    lambda: delete_tag(self.app.db, tag.name, now=self.app.now()), failure="tag"
                )
                is not None
            ):
                self.notify(tag.name, title="Tag deleted")

        self.app.push_screen(
            ConfirmScreen(
                f"Remove the tag “{tag.name}” from {tag.count} posts?", yes="Delete", danger=True
            ),
            confirmed,
        )

    def action_colour(self) -> None:
        tag = self.current
        if tag is None:
            return

        def chosen(colour: str | None) -> None:
            if (
                colour is not None
                and self.app.guard(
                    lambda: set_tag_colour(
                        self.app.db, tag.name, "" if colour == "-" else colour, now=self.app.now()
                    ),
                    failure="tag",
                )
                is not None
            ):
                self.notify(f"{tag.name}: {colour}", title="Colour")

        choices = [("no colour", "-"), *((c, c) for c in COLOURS)]
        self.app.push_screen(
            ChoiceScreen(f"Colour for “{tag.name}”:", choices, current=tag.colour or "-"), chosen
        )

    def action_show_posts(self) -> None:
        tag = self.current
        if tag is not None:
            self.post_message(SetFilter(format_filter(Filters(tags=(tag.name,))), view="agenda"))
