"""The awareness browser's "last time" line: how the team's posts for an observance did a year earlier.

"Last time" is the year before the highlighted occurrence (World Kidney Day on
11 Mar 2027 looks at 2026's posts; a month running now looks at last year's),
read with `calendar_data.publish.report.observance_history` in a worker through
`app.read`, so moving through the table never waits on the database. Answers
are kept per observance, year and data version, and repainted when they arrive.
"""

from __future__ import annotations

from rich.text import Text
from textual import work

from calendar_data.planning import ObservanceRow
from calendar_data.publish.report import ObservanceHistory, observance_history
from calendar_data.publish.report_render import percent
from tui.widgets.marks import fit
from tui.words import plural


def history_year(row: ObservanceRow, today_year: int) -> int:
    """The year "last time" means for a row: the one before its next occurrence (or before today's)."""
    return (row.next.start.year if row.next else today_year) - 1


def history_text(history: ObservanceHistory) -> Text:
    """One line: posts, impressions and engagement rate last time, and the best of those posts."""
    text = Text(f" Last time ({history.year}): ", style="bold")
    measured, waiting = len(history.posts), len(history.unmeasured)
    if not measured and not waiting:
        text.append("no posts were linked to it · n plans one", style="dim")
        return text
    if not measured:
        text.append(
            f"{plural(waiting, 'post')}, no metrics imported yet (carecal metrics import FILE)",
            style="dim",
        )
        return text
    text.append(f"{plural(measured, 'post')} · {history.impressions:,} impressions · ")
    text.append(f"{percent(history.rate)} engagement", style="bold")
    best = max(history.posts, key=lambda s: (s.rate or 0, s.impressions))
    if measured > 1:
        text.append(f" · best “{fit(best.post.title, 30)}” {percent(best.rate)}")
    if waiting:
        text.append(f" · {waiting} more without metrics", style="dim")
    return text


class ObservanceHistoryPane:
    """Mixed into the awareness screen: `last_time(row)` gives the line, reading it in a worker first."""

    def last_time(self, row: ObservanceRow) -> Text:
        """The row's "last time" line, or a placeholder while it is read (the detail repaints after)."""
        year = history_year(row, self.app.today.year)
        key = (row.observance.id, year, self.app.data_version)
        cache = self.__dict__.setdefault("_history_cache", {})
        if key in cache:
            return cache[key]
        self._read_history(key)
        return Text(f" Last time ({year}): reading…", style="dim")

    @work(
        thread=True,
        exclusive=True,
        group="observance-history",
        name="observance-history",
        exit_on_error=False,
    )
    def _read_history(self, key: tuple[str, int, int]) -> None:
        observance_id, year, _ = key
        settings = self.app.settings
        history = self.app.read(
            lambda db: observance_history(db, observance_id, year, settings=settings)
        )
        self.app.call_from_thread(self._history_ready, key, history_text(history))

    def _history_ready(self, key: tuple[str, int, int], text: Text) -> None:
        self.__dict__.setdefault("_history_cache", {})[key] = text
        row = self.current if self.is_attached else None
        if row is not None and row.observance.id == key[0]:
            self._show_detail()
