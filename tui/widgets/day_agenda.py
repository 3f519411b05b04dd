"""A day's full agenda as a list: holidays, observances with hashtags, and posts to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from calendar_data.models import AgendaItem, Occurrence, Post
from calendar_data.planning import is_month_wide
from tui.widgets.marks import HELD_MARK, item_summary


class DayAgenda(OptionList):
    """Everything on one day; enter on a post edits it, on an observance goes to it."""

    @dataclass
    class PostChosen(Message):
        """Enter or click on a post."""

        post: Post

    @dataclass
    class ObservanceChosen(Message):
        """Enter or click on an observance."""

        occurrence: Occurrence

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.day: date | None = None
        self.items: list[AgendaItem] = []

    def show(
        self,
        day: date,
        items: list[AgendaItem],
        *,
        today: date | None = None,
        picked: int | None = None,
        held: frozenset[int] = frozenset(),
    ) -> None:
        """List `items` under a heading for `day`; highlights post `picked`, else keeps the highlighted one.

        Posts in `held` (kept off the calendars by a crisis hold) are marked "⏸ on hold".
        """
        keep = self.highlighted_post.id if self.highlighted_post and day == self.day else None
        keep = picked if picked is not None else keep
        self.day, self.items = day, sorted(items, key=agenda_order)
        self.clear_options()
        heading = Text.assemble((f"{day:%A %d %B %Y}", "bold"))
        if day == today:
            heading.append("  today", style="italic")
        options: list[Option] = [Option(heading, disabled=True)]
        if not items:
            options.append(
                Option(
                    Text("Nothing planned. Press n to add a post.", style="dim italic"),
                    disabled=True,
                )
            )
        for index, item in enumerate(self.items):
            summary = item_summary(item, brief=is_month_wide(item))
            if item.post is not None and item.post.id in held:
                summary = Text.assemble(summary, (f"  {HELD_MARK} on hold", "bold reverse"))
            options.append(Option(summary, id=f"item-{index}", disabled=item.kind == "holiday"))
        self.add_options(options)
        posts = [i for i, item in enumerate(self.items) if item.kind == "post"]
        target = next(
            (i for i in posts if self.items[i].post.id == keep), posts[0] if posts else None
        )
        if target is not None:
            self.highlighted = target + 1
        elif len(options) > 1 and not options[1].disabled:
            self.highlighted = 1

    def highlight_post(self, post_id: int | None) -> None:
        """Move the cursor to the post `post_id` (when listed)."""
        for index, item in enumerate(self.items):
            if item.kind == "post" and item.post.id == post_id:
                if self.highlighted != index + 1:
                    self.highlighted = index + 1
                return

    @property
    def highlighted_item(self) -> AgendaItem | None:
        """The item under the cursor."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        if option.id is None:
            return None
        return self.items[int(option.id.removeprefix("item-"))]

    @property
    def highlighted_post(self) -> Post | None:
        """The post under the cursor, if the cursor is on a post."""
        item = self.highlighted_item
        return item.post if item and item.kind == "post" else None

    @property
    def posts(self) -> list[Post]:
        """The day's posts in order."""
        return [i.post for i in self.items if i.kind == "post"]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.highlighted_item
        if item is None:
            return
        if item.kind == "post":
            self.post_message(self.PostChosen(item.post))
        elif item.kind == "observance":
            self.post_message(self.ObservanceChosen(item.occurrence))


def agenda_order(item: AgendaItem) -> tuple:
    """Holidays, the day's own observances, posts, then longer observances (month-long last)."""
    if item.kind == "holiday":
        rank = 0
    elif item.kind == "post":
        rank = 2
    elif item.start == item.end:
        rank = 1
    else:
        rank = 4 if is_month_wide(item) else 3
    when = item.post.time.isoformat() if item.post and item.post.time else ""
    return (rank, when, item.title)
