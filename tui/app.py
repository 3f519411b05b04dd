"""The carecal Textual app: global bindings and screens over calendar_data.

The app receives its database, settings and "today" so tests and snapshots
are deterministic; it never reads the clock or a real path by itself.
"""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.binding import Binding

from calendar_data.settings import Settings
from tui.screens.month import MonthScreen


class CarecalApp(App):
    """Plan a hospital's social posts around awareness days and holidays."""

    CSS_PATH = "app.tcss"
    TITLE = "carecal"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, *, db, settings: Settings, today: date, db_path: str = "") -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.today = today
        self.db_path = db_path
        self.sub_title = db_path

    def on_mount(self) -> None:
        self.push_screen(MonthScreen(self.today))
