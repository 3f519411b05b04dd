"""What the week view draws: seven days, the week's longer observances as a band, each day's items.

Computed without a screen (plain pytest, no Textual) from the same merged agenda
as every other view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from calendar_data.agenda import by_day
from calendar_data.models import AgendaItem, Post


def week_start(day: date, first_weekday: int) -> date:
    """The first day of the week holding `day` (0 Monday ... 6 Sunday starts the week)."""
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


@dataclass(frozen=True)
class WeekLayout:
    """Seven days; `band`: observances longer than a day touching the week; `days`: the rest by day."""

    start: date
    band: tuple[AgendaItem, ...]
    items: dict[date, tuple[AgendaItem, ...]]
    """Each day's holidays, one-day observances and posts, in that order (posts by time, then title)."""

    @property
    def days(self) -> tuple[date, ...]:
        """The seven days, in column order."""
        return tuple(self.start + timedelta(days=i) for i in range(7))

    def posts_on(self, day: date) -> list[Post]:
        """The posts dated `day`, in the order the column lists them."""
        return [i.post for i in self.items.get(day, ()) if i.kind == "post" and i.post is not None]

    def observances_on(self, day: date) -> list[AgendaItem]:
        """Every observance covering `day` (band and one-day ones): the day's band."""
        return [i for i in self.band if i.covers(day)] + [
            i for i in self.items.get(day, ()) if i.kind == "observance"
        ]


def week_layout(items: list[AgendaItem], start: date) -> WeekLayout:
    """Split the agenda of the seven days from `start` into the band and each day's items."""
    end = start + timedelta(days=6)
    band = tuple(
        sorted(
            (i for i in items if i.kind == "observance" and i.end > i.start),
            key=lambda i: (i.start, i.start - i.end, i.title),
        )
    )
    in_band = {id(i) for i in band}
    spread = by_day([i for i in items if id(i) not in in_band], start, end)
    return WeekLayout(
        start,
        band,
        {
            day: tuple(sorted(spread.get(day, []), key=_order))
            for day in (start + timedelta(days=n) for n in range(7))
        },
    )


def _order(item: AgendaItem) -> tuple:
    rank = {"holiday": 0, "observance": 1, "post": 2}[item.kind]
    when = item.post.time.isoformat() if item.post and item.post.time else ""
    return (rank, when, item.title)
