"""The carecal Textual app: views, global bindings, and the one place that writes posts.

The app receives its database, settings, "today" and a clock (`now`) so tests and
snapshots are deterministic; it never reads the clock or a real path by itself
(`make_app` is how the CLI, the tests and the screenshot script build it). Screens
read through calendar_data and post `tui.messages` requests; the app saves through
its one write path (`tui.write_path.WritePath`: `guard`, `open_form` and the one
failure handler), notifies, and tells every open screen to repaint.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from calendar_data.campaigns import list_campaigns
from calendar_data.models import Filters
from calendar_data.settings import Settings
from calendar_data.storage.connection import data_version as store_version
from calendar_data.storage.reader import ReaderThread
from calendar_data.tags import list_tags
from calendar_data.undo import UndoHistory
from tui.compliance_flow import ComplianceRequests
from tui.hold_flow import CrisisHolds
from tui.posts_flow import PostRequests
from tui.preferences import apply_preferences
from tui.publish_flow import PublishRequests
from tui.sync_flow import SyncRequests
from tui.views_flow import MODES, VIEW_CLASSES, ViewRequests
from tui.widgets.top_bar import SyncBadge
from tui.write_path import WritePath

if TYPE_CHECKING:
    from textual.command import Provider

T = TypeVar("T")
OTHER_WRITERS_CHECK_S = 2.0
"""How often the app looks for changes another process made (PRAGMA data_version)."""


def _palette() -> type[Provider]:
    # loaded when ctrl+p first opens (start-up time)
    from tui.screens.palette import CarecalCommands

    return CarecalCommands


def make_app(
    db,
    settings: Settings,
    today: date,
    now: Callable[[], datetime],
    db_path: str | Path = "",
    *,
    read_only: bool = False,
    sync_every: int = 0,
    config: dict | None = None,
    state_dir: Path | None = None,
) -> CarecalApp:
    """The app as `carecal` opens it: the one factory the CLI, the tests and the screenshots use.

    Args:
        db: the calendar database, opened (and migrated) on this thread.
        settings: the calendar's settings (`load_settings(db)`).
        today: the day the views open on and the checks date by.
        now: the clock that stamps every write the app makes (change log, exports).
        db_path: the file behind `db`, so workers can open their own connection to it.
        read_only: refuse every write (carecal web --read-only).
        sync_every: minutes between syncs while the app is open (0: only when asked, `S`).
        config: the user's config.toml (`[keys]`, `theme`); state_dir: where the theme is remembered.
    """
    return CarecalApp(
        db=db,
        settings=settings,
        today=today,
        now=now,
        db_path=str(db_path or ""),
        read_only=read_only,
        sync_every=sync_every,
        config=config,
        state_dir=state_dir,
    )


class CarecalApp(
    ViewRequests,
    PostRequests,
    SyncRequests,
    PublishRequests,
    WritePath,
    ComplianceRequests,
    CrisisHolds,
    App,
):
    """Plan a hospital's social posts around awareness days and holidays."""

    CSS_PATH = "app.tcss"
    TITLE = "carecal"
    COMMANDS = App.COMMANDS | {_palette}
    MODES = MODES
    VIEW_CLASSES = VIEW_CLASSES
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (150, "-very-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, id="app.quit"),
        Binding("m", "view('month')", "Month", show=False, id="app.month"),
        Binding("w", "view('week')", "Week", show=False, id="app.week"),
        Binding("q", "view('quarter')", "Quarter", show=False, id="app.quarter"),
        Binding("g", "view('agenda')", "Agenda", show=False, id="app.agenda"),
        Binding("a", "view('awareness')", "Awareness", show=False, id="app.awareness"),
        Binding("c", "view('campaigns')", "Campaigns", show=False, id="app.campaigns"),
        Binding("number_sign", "view('tags')", "Tags", key_display="#", show=False, id="app.tags"),
        Binding("R", "view('results')", "Results", key_display="R", show=False, id="app.results"),
        Binding("x", "export", "Export", id="app.export"),
        Binding("S", "sync_now", "Sync now", key_display="S", show=False, id="app.sync_now"),
        Binding(
            "Y",
            "sync_conflicts",
            "Sync conflicts",
            key_display="Y",
            show=False,
            id="app.sync_conflicts",
        ),
        Binding("ctrl+z", "undo", "Undo", show=False, id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="app.redo"),
        Binding("L", "legend", "Legend", show=False, id="app.legend"),
        Binding("question_mark,f1", "help", "Help", key_display="?/F1", show=False, id="app.help"),
    ]

    sync_badge: reactive[SyncBadge | None] = reactive(None)
    """The top bar's sync status (None: no sync target, nothing shown)."""

    def __init__(
        self,
        *,
        db,
        settings: Settings,
        today: date,
        now: Callable[[], datetime],
        db_path: str = "",
        read_only: bool = False,
        sync_every: int = 0,
        config: dict | None = None,
        state_dir: Path | None = None,
    ) -> None:
        """`read_only` refuses every write (carecal web --read-only); `sync_every` is in minutes;
        `config` is the user's config.toml (keys, theme); `state_dir` where the chosen theme is
        remembered (None: remember nothing, as in tests)."""
        super().__init__()
        self.config = config or {}
        self.state_dir = state_dir
        self.db = db
        self.settings = settings
        self.today = today
        self.now = now
        """The clock every write is stamped with (injected: the app never reads the real time)."""
        self.db_path = str(db_path or "")
        self.read_only = read_only
        self.sync_every = sync_every
        if read_only:  # a write that bypassed the app's checks fails in SQLite instead of saving
            db.execute("PRAGMA query_only = ON")
        self.cursor = today
        """The day the month, quarter and agenda views share."""
        self.filters = Filters()
        self.filter_text = ""
        self.data_version = 0
        """Bumped on every write; screens repaint when theirs is stale."""
        self._store_version = -1
        """The file's change counter when last painted: another process's write moves it."""
        self._vocabulary: tuple[int, tuple[list[str], list[str]]] | None = None
        self._main_thread = threading.get_ident()
        self.picked_post: int | None = None
        """The highlighted post of the selected day (month and week views): what e, d, M, D act on."""
        self.history = UndoHistory()
        """This session's undo and redo steps (replayed from the change log)."""
        self._reader: ReaderThread | None = None
        """The one connection worker reads use (opened on first use, closed on exit)."""
        self._update_subtitle()

    def on_mount(self) -> None:
        apply_preferences(self)
        self.switch_mode("month")
        self._store_version = store_version(self.db)
        self.set_interval(OTHER_WRITERS_CHECK_S, self.check_other_writers)
        self.refresh_sync_status()
        self.start_sync_timer()

    def on_unmount(self) -> None:
        if self._reader is not None:
            self._reader.close()

    @contextmanager
    def bookkeeping_write(self) -> Iterator[None]:
        """A write of this app's that changes nothing shown (stored attention marks).

        It must not read as another process's change at the next check; a change from elsewhere
        that came before it still does.
        """
        unseen = store_version(self.db) != self._store_version
        try:
            yield
        finally:
            if not unseen:
                self._store_version = store_version(self.db)

    def check_other_writers(self) -> None:
        """Repaint when the CLI or a second app has changed the calendar file (a cheap pragma)."""
        try:
            changed = store_version(self.db) != self._store_version
        except sqlite3.Error:  # closing down
            return
        if changed:
            self.data_changed()

    # --- reading -----------------------------------------------------------------------------

    def read(self, fetch: Callable[[Any], T]) -> T:
        """Run a read; in a worker thread it gets that thread's own connection to the same file."""
        if threading.get_ident() == self._main_thread or not self.db_path:
            return fetch(self.db)
        if self._reader is None:
            self._reader = ReaderThread(self.db_path)
        return self._reader.run(fetch)

    def vocabulary(self) -> tuple[list[str], list[str]]:
        """Tag and campaign names for completion (re-read after each write)."""
        if self._vocabulary is None or self._vocabulary[0] != self.data_version:
            words = (
                [t.name for t in list_tags(self.db)],
                [c.name for c in list_campaigns(self.db)],
            )
            self._vocabulary = (self.data_version, words)
        return self._vocabulary[1]

    def data_changed(self) -> None:
        """Something was written: repaint the screens on show; others repaint when next shown."""
        self.data_version += 1
        self._store_version = store_version(self.db)
        for screen in self.screen_stack:
            reload = getattr(screen, "reload", None)
            if reload is not None and screen.is_mounted:
                reload()
        self.refresh_sync_status()
