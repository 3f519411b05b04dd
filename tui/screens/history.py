"""A post's history: every change, status move, consent and override, with who and when."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from calendar_data.models import ChangeEntry
from tui.history_words import describe


class HistoryScreen(ModalScreen[None]):
    """The change log of one post, oldest first; escape closes."""

    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > #history-dialog { width: 100; max-width: 100%; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1; }
    HistoryScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="history.close"),
        Binding("q", "close", "Close", show=False, id="history.close_q"),
    ]

    def __init__(self, title: str, entries: list[ChangeEntry]) -> None:
        """`entries` as `store.change_log` returns them (newest first); shown oldest first."""
        super().__init__()
        self.heading = title
        self.entries = list(reversed(entries))

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Label(f"History: {self.heading}", markup=False)
            if not self.entries:
                yield Static("No changes recorded.")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()  # the history's keys, not the editor's behind it

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_columns("When (UTC)", "Who", "What")
        for entry in self.entries:
            table.add_row(f"{entry.at:%Y-%m-%d %H:%M}", entry.who, describe(entry))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
