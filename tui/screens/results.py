"""The results screen (`R`): what strikes a chord, for a period (last quarter unless told otherwise).

Engagement rate by content type, tag, campaign, linked observance, channel,
weekday and hour, as bar charts, and the period's best and worst posts (enter
opens one in the editor). Everything comes from
`calendar_data.publish.report.performance`, read in a worker through `app.read`;
`o` writes the same numbers as the HTML report `carecal report --format html` makes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Label, Static

from calendar_data.ical.export import write_atomic
from calendar_data.publish.periods import last_quarter, parse_period, period_label, shift_period
from calendar_data.publish.report import DIMENSIONS, Performance, PostScore, performance
from calendar_data.publish.report_render import TITLES, percent, to_html
from tui.messages import EditPost
from tui.screens.base import CarecalScreen
from tui.screens.dialogs import PromptScreen
from tui.widgets.marks import fit
from tui.widgets.rate_chart import RateChart
from tui.widgets.top_bar import TopBar
from tui.words import plural

EMPTY_HELP = (
    "Bring them in from the command line:  carecal metrics import FILE\n"
    " (carecal metrics template prints the columns it reads; docs/publishing.md says how to fill it\n"
    " from Meta, LinkedIn or X exports). Record where posts went live in the post editor first:\n"
    " rows are matched to posts by that URL, else by channel, time and copy."
)

RATE_NOTE = (
    "Engagement rate = engagements (reactions, comments, shares, saves, clicks) per impression, "
    "from each post's newest imported export."
)


def report_file(start: date, end: date) -> str:
    """The HTML report's default file name: carecal-report-2026Q3.html, or the two dates."""
    label = period_label(start, end)
    stem = label if " " not in label else f"{start.isoformat()}-{end.isoformat()}"
    return f"carecal-report-{stem}.html"


def split_ranking(best: tuple[PostScore, ...], worst: tuple[PostScore, ...]) -> tuple[tuple, tuple]:
    """Best and worst lists that share the measured posts fairly when there are few of them.

    `performance` fills `best` first, so with four measured posts all four are
    "best" and none "worst"; here the ranking is cut in half instead (the better
    half best first, the rest worst first). With ten or more posts nothing changes.
    """
    ranking = list(best) + list(reversed(worst))
    cut = min(len(best), (len(ranking) + 1) // 2)
    return tuple(ranking[:cut]), tuple(reversed(ranking[cut:]))


class ResultsScreen(CarecalScreen):
    """Which topics, channels and times strike a chord, and which posts flop."""

    CSS_PATH = "results.tcss"
    HELP_TITLE = "Results (what strikes a chord)"
    THREADED = True
    LOADING_TARGET = "#results-body"
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "period(-1)",
            "Previous quarter",
            show=False,
            id="results.previous_bracket",
        ),
        Binding(
            "right_square_bracket",
            "period(1)",
            "Quarter",
            key_display="[ ]",
            tooltip="Previous / next quarter",
            id="results.next_bracket",
        ),
        Binding("pageup", "period(-1)", "Previous quarter", show=False, id="results.previous"),
        Binding("pagedown", "period(1)", "Next quarter", show=False, id="results.next"),
        Binding("p", "choose_period", "Period", id="results.period"),
        Binding("o", "save_report", "Save HTML report", id="results.report"),
        Binding("tab", "app.focus_next", "Best ↔ worst", show=False, id="results.best_worst"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: tuple[date, date] | None = None
        """The period shown (set from the app's today when first mounted)."""
        self.perf: Performance | None = None
        """What is on screen (what `o` writes)."""
        self._scores: dict[str, tuple[PostScore, ...]] = {"best": (), "worst": ()}

    def compose(self) -> ComposeResult:
        yield TopBar("results")
        yield Static(id="results-title")
        with Horizontal(id="results-body"):
            with VerticalScroll(id="results-charts"):
                yield Static(id="results-empty")
                for name in DIMENSIONS:
                    yield RateChart(f"By {TITLES[name].lower()}", id=f"chart-{name}")
            with Vertical(id="results-side"):
                yield Label("Best posts · enter opens", classes="results-heading")
                yield DataTable(id="results-best", cursor_type="row", zebra_stripes=True)
                yield Label("Worst posts", classes="results-heading")
                yield DataTable(id="results-worst", cursor_type="row", zebra_stripes=True)
                yield Static(RATE_NOTE, id="results-note")
        yield Footer()

    def on_mount(self) -> None:
        self.period = self.period or last_quarter(self.app.today)
        for table in self.query(DataTable):
            table.add_column("Post", key="post")
            table.add_column("Date", key="date", width=6)
            table.add_column("Rate", key="rate", width=6)
            table.add_column("Impr.", key="impressions", width=8)
        self.query_one("#results-best", DataTable).focus()

    # --- reading ------------------------------------------------------------------------------

    def request(self) -> tuple[date, date]:
        if self.period is None:
            self.period = last_quarter(self.app.today)
        return self.period

    def fetch(self, db, period: tuple[date, date]) -> Performance:
        return performance(db, *period, settings=self.app.settings)

    def paint(self, period: tuple[date, date], perf: Performance) -> None:
        self.perf = perf
        self.query_one("#results-title", Static).update(self._title(perf))
        measured = bool(perf.results)
        empty = self.query_one("#results-empty", Static)
        empty.display = not measured
        if not measured:
            empty.update(self._empty_text(perf))
        for name in DIMENSIONS:
            chart = self.query_one(f"#chart-{name}", RateChart)
            chart.display = measured
            chart.show(perf.groups.get(name, ()))
        self.query_one("#results-side").display = measured
        best, worst = split_ranking(perf.best, perf.worst)
        self._fill("best", best)
        self._fill("worst", worst)

    def _title(self, perf: Performance) -> Text:
        label = period_label(perf.start, perf.end)
        text = Text()
        text.append(" What strikes a chord ", style="bold reverse")
        text.append(f"  {label}" if " " not in label else "", style="bold")
        text.append(f" · {perf.start:%d %b} – {perf.end:%d %b %Y}")
        if perf.results:
            posts = len({r.post.id for r in perf.results})
            text.append(
                f" · {plural(posts, 'post')} measured · {perf.impressions:,} impressions · "
                f"{perf.engagements:,} engagements · "
            )
            text.append(f"{percent(perf.rate)} engagement rate", style="bold")
        if perf.posts_without_metrics:
            text.append(
                f" · {plural(perf.posts_without_metrics, 'post')} without metrics", style="dim"
            )
        return text

    def _empty_text(self, perf: Performance) -> Text:
        text = Text(
            f" No metrics for posts dated {perf.start:%d %b %Y} to {perf.end:%d %b %Y} yet.\n\n",
            style="bold",
        )
        text.append(f" {EMPTY_HELP}\n\n")
        if perf.posts_without_metrics:
            text.append(
                f" {plural(perf.posts_without_metrics, 'post')} in this period "
                f"{'is' if perf.posts_without_metrics == 1 else 'are'} waiting for numbers. "
            )
        text.append("[ ] change the quarter · p picks any period", style="dim")
        return text

    def _fill(self, which: str, scores: tuple[PostScore, ...]) -> None:
        self._scores[which] = scores
        table = self.query_one(f"#results-{which}", DataTable)
        table.clear()
        for score in scores:
            title = fit(f"#{score.post.id} {score.post.title}", 34)
            table.add_row(
                title,
                f"{score.post.day:%d %b}",
                percent(score.rate),
                f"{score.impressions:,}",
                key=str(score.post.id),
            )

    # --- actions ------------------------------------------------------------------------------

    def action_period(self, delta: int) -> None:
        self.period = shift_period(*self.request(), delta)
        self.reload()

    def action_choose_period(self) -> None:
        def check(value: str) -> str | None:
            try:
                parse_period(value)
            except ValueError as exc:
                return str(exc)
            return None

        def chosen(value: str | None) -> None:
            if value:
                self.period = parse_period(value)
                self.reload()

        start, end = self.request()
        current = period_label(start, end)
        self.app.push_screen(
            PromptScreen(
                "Period: a quarter (2026Q3) or two dates (2026-07-01 2026-09-30)",
                current.replace(" to ", " "),
                check=check,
            ),
            chosen,
        )

    def action_save_report(self) -> None:
        perf = self.perf
        refuse = getattr(self.app, "refuse_write", None)
        if perf is None or (refuse is not None and refuse("write a report file")):
            return

        def chosen(value: str | None) -> None:
            if value:
                self._write_report(perf, Path(value).expanduser())

        def check(value: str) -> str | None:
            return None if value.strip() else "give a file name such as q3-report.html"

        self.app.push_screen(
            PromptScreen(
                "Write the HTML report (charts and tables, one self-contained file) to",
                report_file(perf.start, perf.end),
                check=check,
            ),
            chosen,
        )

    @work(thread=True, group="report-write", name="report-write", exit_on_error=False)
    def _write_report(self, perf: Performance, path: Path) -> None:
        try:
            write_atomic(path, to_html(perf).encode("utf-8"))
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(
                self.notify, f"{path}: {exc}", title="Report not written", severity="error"
            )
            return
        self.app.call_from_thread(
            self.notify, f"{path} · open it in any browser", title="Report written"
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        which = "best" if event.data_table.id == "results-best" else "worst"
        scores = self._scores[which]
        if 0 <= event.cursor_row < len(scores):
            self.post_message(EditPost(scores[event.cursor_row].post))
