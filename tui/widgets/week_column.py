"""One day of the week view: its date, its observances as a band, and each post with time and full title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from calendar_data.models import AgendaItem, Post
from tui.widgets.marks import (
    HOLIDAY_MARK,
    HOLIDAY_STYLE,
    PICKED_MARK,
    PICKED_STYLE,
    STAR,
    badge_style,
    channel_initials,
    post_marks,
    status_mark,
    wrap,
)


class _Blocks:
    """The day's posts as (post, rows) pairs, each post laid out only when asked for.

    A column shows ~10 of a busy day's ~30 posts; laying out only those (and the ones before the
    picked post, to scroll it into view) is most of a week switch's own work saved.
    """

    def __init__(self, posts: list[Post], layout) -> None:
        self.posts = posts
        self._layout = layout
        self._rows: dict[int, list[Text]] = {}

    def __len__(self) -> int:
        return len(self.posts)

    def __getitem__(self, index: int) -> tuple[Post, list[Text]]:
        if index not in self._rows:
            self._rows[index] = self._layout(self.posts[index])
        return self.posts[index], self._rows[index]


class WeekColumn(Widget):
    """A day column; the picked post is reversed with ▶ and always kept on screen."""

    DEFAULT_CSS = """
    WeekColumn { width: 1fr; height: 1fr; background: $surface; }
    WeekColumn > .week-column--date { background: $boost; color: $text-muted; text-style: bold; }
    WeekColumn > .week-column--date-today { background: $accent; color: $text; text-style: bold; }
    WeekColumn > .week-column--date-selected { background: $primary; color: $text; text-style: bold; }
    WeekColumn > .week-column--selected { background: $primary 12%; }
    WeekColumn > .week-column--more { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {
        "week-column--date",
        "week-column--date-today",
        "week-column--date-selected",
        "week-column--selected",
        "week-column--more",
    }

    @dataclass
    class Clicked(Message):
        """A click on this day (on a post when `post_id` is set; twice opens it)."""

        day: date
        post_id: int | None = None
        open: bool = False

    @dataclass
    class DragStarted(Message):
        """The mouse went down on a post."""

        day: date
        post_id: int

    @dataclass
    class Dropped(Message):
        """The mouse came up over this day."""

        day: date

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day = date(2000, 1, 1)
        self.items: tuple[AgendaItem, ...] = ()
        self.is_today = self.selected = False
        self.picked: int | None = None
        self.attention: frozenset[int] = frozenset()
        self.held: frozenset[int] = frozenset()
        """Posts a crisis hold keeps off the calendars (marked ⏸, as in the month grid)."""
        self._row_posts: list[int | None] = []

    def show(
        self,
        day: date,
        items: tuple[AgendaItem, ...],
        *,
        today: bool,
        selected: bool,
        picked: int | None,
        attention: frozenset[int] = frozenset(),
        held: frozenset[int] = frozenset(),
    ) -> None:
        """Point the column at `day` and repaint."""
        self.day, self.items, self.is_today, self.selected = day, items, today, selected
        self.picked, self.attention, self.held = picked, attention, held
        self.refresh()

    @property
    def posts(self) -> list[Post]:
        """The day's posts, top to bottom."""
        return [i.post for i in self.items if i.kind == "post"]

    def post_at(self, y: int) -> int | None:
        """The post drawn on row `y`, if any."""
        return self._row_posts[y] if 0 <= y < len(self._row_posts) else None

    def render(self) -> Text:
        width, height = max(4, self.size.width), max(1, self.size.height)
        rows: list[Text] = [self._date_line(width)]
        for item in self.items:
            if item.kind != "post":
                rows += self._badge(item, width)
        self._row_posts = [None] * len(rows)
        blocks = _Blocks(self.posts, lambda post: self._post_block(post, width))
        room = height - len(rows)
        more = self.get_component_rich_style("week-column--more")
        first = self._first_block(blocks, room)
        if first:
            rows.append(Text(f" ↑ {first} more", style=more))
            self._row_posts.append(None)
            room -= 1
        used = 0
        for index in range(first, len(blocks)):
            post, block = blocks[index]
            after = len(blocks) - index - 1
            if used + len(block) + (1 if after else 0) > room:
                if used < room:
                    rows.append(Text(f" +{len(blocks) - index} more ↓", style=more))
                break
            rows += block
            self._row_posts += [post.id] * len(block)
            used += len(block)
        rows += [Text("") for _ in range(height - len(rows))]
        text = Text("\n", no_wrap=True, overflow="crop", end="").join(rows[:height])
        if self.selected:
            for row in rows:
                row.pad_right(width - row.cell_len)
            text = Text("\n", no_wrap=True, overflow="crop", end="").join(rows[:height])
            text.stylize_before(self.get_component_rich_style("week-column--selected"))
        return text

    def _first_block(self, blocks: _Blocks, room: int) -> int:
        """Scroll so the picked post is on screen: the first block to draw."""
        index = next(
            (i for i, p in enumerate(blocks.posts) if p.id == self.picked and self.selected), 0
        )
        first = 0
        while first < index and sum(len(blocks[i][1]) for i in range(first, index + 1)) + 2 > room:
            first += 1
        return first

    def _date_line(self, width: int) -> Text:
        component = (
            "week-column--date-selected"
            if self.selected
            else "week-column--date-today"
            if self.is_today
            else "week-column--date"
        )
        label = f" {self.day:%a %d %b}" if width >= 11 else f" {self.day:%a %d}"
        label += "  today" if self.is_today and width >= 18 else ""
        return Text(label[:width].ljust(width), style=self.get_component_rich_style(component))

    def _badge(self, item: AgendaItem, width: int) -> list[Text]:
        if item.kind == "holiday":
            return [
                Text(f" {line}", style=HOLIDAY_STYLE)
                for line in wrap(f"{HOLIDAY_MARK} {item.title}", width - 1, 2)
            ]
        obs = item.occurrence.observance
        name = f"{STAR if item.starred else '◆'} {obs.name}"
        return [
            Text(f" {line}".ljust(width), style=badge_style(obs.category))
            for line in wrap(name, width - 1, 2)
        ]

    def _post_block(self, post: Post, width: int) -> list[Text]:
        """'▶09:30 ✎ FB IG' then the whole title, wrapped (reversed when picked)."""
        picked = self.selected and post.id == self.picked
        marks = post_marks(held=post.id in self.held, attention=post.id in self.attention)
        head = Text(PICKED_MARK) if picked else Text(*marks.pop(0)) if marks else Text(" ")
        head.append(f"{post.time:%H:%M}" if post.time else "all day", style="bold")
        head.append(" ")
        head.append_text(status_mark(post.status))
        for mark, style in marks:  # beyond the lead column's one
            head.append(f" {mark}", style=style)
        if post.channels:
            initials = " " + channel_initials(post.channels, compact=width < 20)
            if head.cell_len + len(initials) <= width:
                head.append(initials, style="dim")
        block = [head] + [Text(f" {line}") for line in wrap(post.title, width - 1, 4)]
        if picked:
            for row in block:
                row.pad_right(width - row.cell_len)
                row.stylize(PICKED_STYLE)
        return block

    def on_click(self, event) -> None:
        self.post_message(self.Clicked(self.day, self.post_at(event.y), open=event.chain >= 2))

    def on_mouse_down(self, event) -> None:
        post_id = self.post_at(event.y)
        if post_id is not None:
            self.post_message(self.DragStarted(self.day, post_id))

    def on_mouse_up(self, event) -> None:
        self.post_message(self.Dropped(self.day))
