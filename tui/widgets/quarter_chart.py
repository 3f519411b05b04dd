"""The quarter at a glance: posts per day and week as a heat grid, campaigns and observances as bars.

Columns are weeks and rows are weekdays (like a contribution graph), so thirteen
weeks fit in 80 columns; bars below share the same time axis, one character
being a fraction of a week.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widget import Widget

from calendar_data.planning import QuarterSummary
from tui.widgets.marks import (
    HOLIDAY_MARK,
    HOLIDAY_STYLE,
    STAR,
    badge_style,
    category_colour,
    colour_style,
    fit,
)
from tui.words import plural

HEADER_ROWS = 2


class QuarterChart(Widget, can_focus=True):
    """Draws a `QuarterSummary`; the screen moves `cursor`."""

    DEFAULT_CSS = """
    QuarterChart { height: auto; width: 1fr; padding: 0 1 0 0; }
    QuarterChart > .quarter--cursor { background: $primary; color: $text; text-style: bold; }
    QuarterChart > .quarter--today { color: $accent; text-style: bold underline; }
    QuarterChart > .quarter--gap { background: $error 15%; }
    QuarterChart > .quarter--gap-total { color: $error; text-style: bold; }
    QuarterChart > .quarter--heat { background: $success 35%; text-style: bold; }
    QuarterChart > .quarter--heat-high { background: $success 70%; color: $text; text-style: bold; }
    QuarterChart > .quarter--heading { color: $text-muted; text-style: bold; }
    QuarterChart > .quarter--muted { color: $text-disabled; }
    QuarterChart > .quarter--bar { background: $accent 60%; }
    """
    COMPONENT_CLASSES = {
        "quarter--cursor",
        "quarter--today",
        "quarter--gap",
        "quarter--gap-total",
        "quarter--heat",
        "quarter--heat-high",
        "quarter--heading",
        "quarter--muted",
        "quarter--bar",
    }

    @dataclass
    class Clicked(Message):
        """A day in the grid was clicked (twice to open it)."""

        day: date
        open: bool = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary: QuarterSummary | None = None
        self.cursor = date(2000, 1, 1)
        self.today = date(2000, 1, 1)
        self.first_weekday = 6

    def show(
        self, summary: QuarterSummary, *, cursor: date, today: date, first_weekday: int
    ) -> None:
        """Draw `summary` with the cursor on `cursor`."""
        self.summary, self.cursor, self.today, self.first_weekday = (
            summary,
            cursor,
            today,
            first_weekday,
        )
        self.refresh(layout=True)

    def move(self, cursor: date) -> None:
        """Move the cursor within the shown quarter."""
        self.cursor = cursor
        self.refresh()

    def get_content_height(self, container, viewport, width: int) -> int:
        if self.summary is None:
            return 1
        s = self.summary
        return (
            HEADER_ROWS + 7 + 2 + 2 + max(1, len(s.campaigns)) + 1 + 2 + max(1, len(s.observances))
        )

    # --- geometry -------------------------------------------------------------------------------

    def _geometry(self) -> tuple[int, int]:
        width = max(40, self.size.width)
        label = min(30, max(12, width // 5))
        column = max(3, (width - label) // max(1, len(self.summary.weeks)))
        return label, column

    def _day_at(self, x: int, column: int) -> date:
        """The day under chart column `x` on a bar row (a week is `column` characters)."""
        week, offset = divmod(x, column)
        return self.summary.weeks[0] + timedelta(days=week * 7 + offset * 7 // column)

    # --- drawing ------------------------------------------------------------------------------

    def render(self) -> Text:
        if self.summary is None:
            return Text("Loading…", style="dim")
        label_w, column = self._geometry()
        lines = [
            self._month_row(label_w, column),
            self._week_row(label_w, column),
            *(self._weekday_row(row, label_w, column) for row in range(7)),
            *self._totals(label_w, column),
            Text(""),
            *self._campaign_rows(label_w, column),
            self._holiday_row(label_w, column),
            Text(""),
            *self._observance_rows(label_w, column),
        ]
        return Text("\n").join(lines)

    def _totals(self, label_w: int, column: int) -> list[Text]:
        """Posts per week under the heat grid (empty weeks stand out), then the quarter's sums."""
        s = self.summary
        style = self.get_component_rich_style
        totals = Text("Posts / week".ljust(label_w), style=style("quarter--heading"))
        for week in s.weeks:
            count = s.week_counts.get(week, 0)
            cell = str(count).center(column)
            totals.append(
                cell, style=style("quarter--gap-total") if count == 0 else Style(bold=True)
            )
        gaps = len(s.empty_weeks)
        summary = Text(
            f"{plural(s.total_posts, 'post')} · {plural(gaps, 'week')} with none",
            style=style("quarter--gap-total") if gaps else style("quarter--muted"),
        )
        return [totals, summary]

    def _campaign_rows(self, label_w: int, column: int) -> list[Text]:
        """A heading and one bar per campaign, in its own colour."""
        style = self.get_component_rich_style
        lines = [Text("Campaigns", style=style("quarter--heading"))]
        for campaign in self.summary.campaigns:
            colour = colour_style(campaign.colour) or style("quarter--bar")
            lines.append(
                self._bar_row(campaign.name, campaign.start, campaign.end, colour, label_w, column)
            )
        if not self.summary.campaigns:
            lines.append(
                Text("  none this quarter · c opens campaigns", style=style("quarter--muted"))
            )
        return lines

    def _observance_rows(self, label_w: int, column: int) -> list[Text]:
        """A heading and one row per observance: a ◆ for a day, a bar for a week or month."""
        style = self.get_component_rich_style
        lines = [Text("Observances", style=style("quarter--heading"))]
        for item in self.summary.observances:
            obs = item.occurrence.observance
            name = f"{STAR if item.starred else ''}{obs.name}"
            if item.start == item.end:
                mark = Style(color=category_colour(obs.category), bold=True)
                lines.append(self._mark_row(name, [item.start], "◆", mark, label_w, column))
            else:
                bar = Style.parse(badge_style(obs.category))
                lines.append(self._bar_row(name, item.start, item.end, bar, label_w, column))
        if not self.summary.observances:
            lines.append(
                Text("  none (check the filter or your regions)", style=style("quarter--muted"))
            )
        return lines

    def _month_row(self, label_w: int, column: int) -> Text:
        s = self.summary
        text = Text(" " * label_w)
        cells = [" " * column for _ in s.weeks]
        for index, week in enumerate(s.weeks):
            for offset in range(7):
                day = week + timedelta(days=offset)
                if (
                    s.start <= day <= s.end
                    and (day.day == 1 or day == s.start)
                    and index < len(cells)
                ):
                    cells[index] = fit(calendar.month_abbr[day.month], column).ljust(column)
        text.append("".join(cells), style=Style(bold=True))
        return text

    def _week_row(self, label_w: int, column: int) -> Text:
        text = Text(
            "week of".ljust(label_w), style=self.get_component_rich_style("quarter--heading")
        )
        for week in self.summary.weeks:
            text.append(
                f"{week.day:>2}".center(column),
                style=self.get_component_rich_style("quarter--muted"),
            )
        return text

    def _weekday_row(self, row: int, label_w: int, column: int) -> Text:
        s = self.summary
        style = self.get_component_rich_style
        name = calendar.day_abbr[(self.first_weekday + row) % 7]
        text = Text(f"  {name}".ljust(label_w), style=style("quarter--heading"))
        for week in s.weeks:
            day = week + timedelta(days=row)
            if not s.start <= day <= s.end:
                text.append(" " * column)
                continue
            count = s.day_counts.get(day, 0)
            cell = (str(count) if count else "·").center(column)
            if day == self.cursor:
                cell_style = style("quarter--cursor")
            elif count >= 3:
                cell_style = style("quarter--heat-high")
            elif count:
                cell_style = style("quarter--heat")
            elif not s.week_counts.get(week):
                cell_style = style("quarter--gap")
            else:
                cell_style = style("quarter--muted")
            if day == self.today and day != self.cursor:
                cell_style += style("quarter--today")
            text.append(cell, style=cell_style)
        return text

    def _bar_row(
        self, name: str, start: date | None, end: date | None, bar: Style, label_w: int, column: int
    ) -> Text:
        s = self.summary
        text = Text(fit(f"  {name}", label_w - 1).ljust(label_w))
        for x in range(column * len(s.weeks)):
            day = self._day_at(x, column)
            inside = (
                start is not None
                and end is not None
                and start <= day <= end
                and s.start <= day <= s.end
            )
            text.append(" ", style=bar if inside else Style())
        return text

    def _mark_row(
        self, name: str, days: list[date], mark: str, style: Style, label_w: int, column: int
    ) -> Text:
        text = Text(fit(f"  {name}", label_w - 1).ljust(label_w))
        chars = [" "] * (column * len(self.summary.weeks))
        first = self.summary.weeks[0]
        for day in days:
            x = ((day - first).days // 7) * column + ((day - first).days % 7) * column // 7
            if 0 <= x < len(chars):
                chars[x] = mark
        text.append("".join(chars), style=style)
        return text

    def _holiday_row(self, label_w: int, column: int) -> Text:
        days = [h.start for h in self.summary.holidays]
        return self._mark_row(
            f"{HOLIDAY_MARK} Holidays",
            days,
            HOLIDAY_MARK,
            Style.parse(HOLIDAY_STYLE),
            label_w,
            column,
        )

    def on_click(self, event: Click) -> None:
        if self.summary is None:
            return
        label_w, column = self._geometry()
        row, x = event.y - HEADER_ROWS, event.x - label_w
        if 0 <= row < 7 and x >= 0 and x // column < len(self.summary.weeks):
            day = self.summary.weeks[x // column] + timedelta(days=row)
            if self.summary.start <= day <= self.summary.end:
                self.post_message(self.Clicked(day, open=event.chain >= 2))
