"""A horizontal bar chart of engagement rates: one labelled bar per group, drawn with block characters.

Drawn the way the quarter chart draws (Rich text, component classes for the
theme's colours) rather than with a plotting library: the bars need long labels
beside them (campaign and observance names), eighth-of-a-cell resolution is
plenty for comparing rates, and the output is plain text, so snapshots are
stable and it reads at 80 columns.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from calendar_data.publish.report import Group
from calendar_data.publish.report_render import percent
from tui.widgets.marks import fit
from tui.words import plural

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
MAX_ROWS = 10
"""Bars shown per chart; the rest are counted (the HTML report has them all)."""


def bar(fraction: float, cells: int) -> str:
    """A bar `fraction` (0..1) of `cells` long, in eighths of a cell; at least a sliver when above 0."""
    eighths = round(max(0.0, min(1.0, fraction)) * cells * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1
    whole, part = divmod(eighths, 8)
    return (FULL * whole + (EIGHTHS[part] if part else "")).ljust(cells)


class RateChart(Widget):
    """Draws a tuple of report `Group`s: label, a bar as long as the rate, the rate and its weight."""

    DEFAULT_CSS = """
    RateChart { height: auto; width: 1fr; border: round $panel; padding: 0 1; }
    RateChart > .rate-chart--bar { color: $primary; }
    RateChart > .rate-chart--top { color: $success; text-style: bold; }
    RateChart > .rate-chart--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"rate-chart--bar", "rate-chart--top", "rate-chart--muted"}

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self.groups: tuple[Group, ...] = ()

    def show(self, groups: tuple[Group, ...]) -> None:
        """Draw `groups` (already in the order to show: best first, or calendar order)."""
        self.groups = tuple(groups)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        shown = min(len(self.groups), MAX_ROWS)
        return max(1, shown + (len(self.groups) > MAX_ROWS))

    def render(self) -> Text:
        style = self.get_component_rich_style
        if not self.groups:
            return Text("no measured posts", style=style("rate-chart--muted"))
        width = max(30, self.content_size.width)
        label_w = min(24, max(10, width // 4))
        value_w = 30
        cells = max(4, width - label_w - value_w - 2)
        top = max((g.rate or 0 for g in self.groups), default=0)
        lines = [self._row(g, top, label_w, cells, style) for g in self.groups[:MAX_ROWS]]
        hidden = len(self.groups) - MAX_ROWS
        if hidden > 0:
            lines.append(
                Text(f"+{hidden} more · o saves the full report", style=style("rate-chart--muted"))
            )
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    def _row(self, group: Group, top: float, label_w: int, cells: int, style) -> Text:
        text = Text(fit(group.label, label_w - 1).ljust(label_w), no_wrap=True, overflow="ellipsis")
        fraction = (group.rate or 0) / top if top else 0.0
        bar_style = (
            style("rate-chart--top") if top and group.rate == top else style("rate-chart--bar")
        )
        text.append(bar(fraction, cells), style=bar_style)
        text.append(f" {percent(group.rate):>6}", style=Style(bold=True))
        text.append(
            f"  {plural(group.posts, 'post')} · {group.impressions:,} impr.",
            style=style("rate-chart--muted"),
        )
        return text
