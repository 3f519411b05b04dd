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
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen

from calendar_data.campaigns import list_campaigns
from calendar_data.consent import add_post_with_consent
from calendar_data.filter_query import FilterError, describe_filter, parse_filter
from calendar_data.models import Filters, Post, Status
from calendar_data.moves import move_post
from calendar_data.post_summaries import last_used_channels
from calendar_data.posts import add_post, delete_post, get_post, update_post
from calendar_data.settings import Settings
from calendar_data.storage.connection import data_version as store_version
from calendar_data.storage.reader import ReaderThread
from calendar_data.tags import list_tags
from calendar_data.undo import UndoError, UndoHistory
from tui import messages
from tui.compliance_flow import ComplianceRequests
from tui.hold_flow import CrisisHolds
from tui.preferences import apply_preferences
from tui.publish_flow import PublishRequests
from tui.screens.agenda import AgendaScreen
from tui.screens.awareness import AwarenessScreen
from tui.screens.base import CarecalScreen
from tui.screens.campaigns import CampaignsScreen
from tui.screens.day import DayScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor, editor_context
from tui.screens.export import ExportContext, ExportScreen
from tui.screens.help import HelpScreen, help_sections
from tui.screens.legend import LegendScreen
from tui.screens.month import MonthScreen
from tui.screens.palette import CarecalCommands
from tui.screens.quarter import QuarterScreen
from tui.screens.quick_add import QuickAddScreen
from tui.screens.results import ResultsScreen
from tui.screens.tags import TagsScreen
from tui.screens.week import WeekScreen
from tui.sync_flow import SyncRequests
from tui.widgets.top_bar import SyncBadge
from tui.write_path import WritePath

T = TypeVar("T")
OTHER_WRITERS_CHECK_S = 2.0
"""How often the app looks for changes another process made (PRAGMA data_version)."""


def make_app(db, settings: Settings, today: date, now: Callable[[], datetime], db_path: str | Path = "",
             *, read_only: bool = False, sync_every: int = 0, config: dict | None = None,
             state_dir: Path | None = None) -> CarecalApp:
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
    return CarecalApp(db=db, settings=settings, today=today, now=now, db_path=str(db_path or ""),
                      read_only=read_only, sync_every=sync_every, config=config, state_dir=state_dir)


class CarecalApp(SyncRequests, PublishRequests, WritePath, ComplianceRequests, CrisisHolds, App):
    """Plan a hospital's social posts around awareness days and holidays."""

    CSS_PATH = "app.tcss"
    TITLE = "carecal"
    COMMANDS = App.COMMANDS | {CarecalCommands}
    MODES = {"month": MonthScreen, "week": WeekScreen, "quarter": QuarterScreen, "agenda": AgendaScreen,
             "awareness": AwarenessScreen, "campaigns": CampaignsScreen, "tags": TagsScreen,
             "results": ResultsScreen}
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
        Binding("Y", "sync_conflicts", "Sync conflicts", key_display="Y", show=False, id="app.sync_conflicts"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="app.redo"),
        Binding("L", "legend", "Legend", show=False, id="app.legend"),
        Binding("question_mark,f1", "help", "Help", key_display="?/F1", show=False, id="app.help"),
    ]

    sync_badge: reactive[SyncBadge | None] = reactive(None)
    """The top bar's sync status (None: no sync target, nothing shown)."""

    def __init__(self, *, db, settings: Settings, today: date, now: Callable[[], datetime],
                 db_path: str = "", read_only: bool = False, sync_every: int = 0,
                 config: dict | None = None, state_dir: Path | None = None) -> None:
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
            words = ([t.name for t in list_tags(self.db)], [c.name for c in list_campaigns(self.db)])
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

    def action_undo(self) -> None:
        """Undo the newest change made in this session (ctrl+z)."""
        self._replay(self.history.undo, "Undone", self.history.redo_steps)

    def action_redo(self) -> None:
        """Redo the newest undone change (ctrl+y)."""
        self._replay(self.history.redo, "Redone", self.history.undo_steps)

    def _replay(self, step: Callable[..., str], title: str, written: list) -> None:
        try:
            label = step(self.db, today=self.today)
        except UndoError as exc:
            self.notify(str(exc), title=title.replace("one", "o"), severity="warning")
            return
        except (ValueError, sqlite3.Error) as exc:
            self.notify(str(exc), title="Not undone", severity="error")
            return
        post_id = self.history.last_post(self.db, written[-1] if written else None)
        if post_id is not None:  # show the post the undo put back
            self.picked_post = post_id
            self.cursor = get_post(self.db, post_id).day
        self.data_changed()
        self.notify(label, title=title)

    # --- views -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in ("view", "export", "help", "legend", "undo", "redo", "sync_conflicts")
                    and isinstance(self.screen, ModalScreen))

    def action_view(self, name: str) -> None:
        self.switch_mode(name)

    async def action_filter(self) -> None:
        """Focus the filter bar, switching to the month view when this view has none."""
        if not hasattr(self.screen, "action_focus_filter"):
            await self._show_view("month")
        self.screen.action_focus_filter()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_sections(type(self), dict(self.config.get("keys", {})))))

    def action_legend(self) -> None:
        self.push_screen(LegendScreen())

    def action_export(self) -> None:
        if self.refuse_write("export or import files"):  # it writes files on the serving machine
            return
        context = ExportContext(today=self.today, now=self.now, settings=self.settings, read=self.read,
                                write=lambda write: self.guard(lambda: write(self.db), failure="import"))
        self.push_screen(ExportScreen(context))

    async def _show_view(self, name: str) -> CarecalScreen:
        """Switch to a view, waiting until its screen is mounted; returns that screen."""
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        await self.switch_mode(name)
        return self.screen_stack[0]

    async def on_go_to_day(self, message: messages.GoToDay) -> None:
        self.cursor = message.day
        screen = await self._show_view(message.view)
        screen.reload()

    async def on_show_observance(self, message: messages.ShowObservance) -> None:
        screen = await self._show_view("awareness")
        screen.show_observance(message.observance_id)

    async def on_show_campaign(self, message: messages.ShowCampaign) -> None:
        screen = await self._show_view("campaigns")
        screen.show_campaign(message.name)

    def on_open_day(self, message: messages.OpenDay) -> None:
        self.push_screen(DayScreen(message.day, hint=message.hint))

    # --- the filter --------------------------------------------------------------------------

    async def on_set_filter(self, message: messages.SetFilter) -> None:
        if message.view and message.view != self.current_mode:
            await self._show_view(message.view)
        self.set_filter(message.text, message.filters)

    def set_filter(self, text: str, filters: Filters | None = None) -> None:
        """Make `text` the shared filter; a bad filter is reported, not applied."""
        try:
            filters = filters if filters is not None else parse_filter(text)
        except FilterError as exc:
            self.notify(str(exc), title="Filter", severity="error")
            return
        self.filters, self.filter_text = filters, text.strip() if filters.active else ""
        self._update_subtitle()
        if isinstance(self.screen_stack[0], CarecalScreen):
            self.screen_stack[0].reload()

    def _update_subtitle(self) -> None:
        name = Path(self.db_path).name if self.db_path else ""
        filtered = f"filter: {describe_filter(self.filters)}" if self.filters.active else ""
        self.sub_title = " · ".join(p for p in (name, filtered) if p)

    # --- posts -------------------------------------------------------------------------------

    def on_new_post(self, message: messages.NewPost) -> None:
        post = message.template or Post(title="", day=message.day, channels=last_used_channels(self.db))
        self._open_editor(post)

    def on_quick_add(self, message: messages.QuickAdd) -> None:
        screen = QuickAddScreen(message.day, channels=last_used_channels(self.db),
                                campaigns=tuple(c.name for c in list_campaigns(self.db)))

        def typed(text: str | None) -> None:
            if not text:
                return
            post = screen.parse(text).post
            saved = self.guard(lambda: add_post(self.db, post, today=self.today, now=self.now()), failure="post",
                               label=f"quick add “{post.title}”")
            if saved is not None:
                self.cursor, self.picked_post = saved.day, saved.id
                self.screen_stack[0].reload()
                self.notify(f"{saved.title} · {saved.day:%a %d %b %Y} · e edits · ctrl+z undoes", title="Added")

        self.push_screen(screen, typed)

    def on_edit_post(self, message: messages.EditPost) -> None:
        self._open_editor(message.post)

    def _open_editor(self, post: Post) -> None:
        """Open the editor; it closes once the post is saved, so a failed save keeps the draft on screen."""
        editor = PostEditor(post, editor_context(self.db, self.settings, self.today, self.now))
        self.open_form(editor, self._save_post, failure="post", saved=self._saved_post,
                       label=f"new post “{post.title}”" if post.id is None else f"edit of “{post.title}”")

    def _saved_post(self, saved: Post) -> None:
        self.picked_post = saved.id  # the month and week views highlight what was just saved
        self.notify(f"{saved.title} · {saved.day:%a %d %b %Y}", title="Saved")

    def _save_post(self, post: Post) -> Post:
        if post.id is None and post.consent is not None:  # consent recorded while creating: one transaction
            return add_post_with_consent(self.db, replace(post, consent=None), post.consent, today=self.today,
                                         now=self.now())
        if post.id is None:
            return add_post(self.db, post, today=self.today, now=self.now())
        # refuse to overwrite a change saved elsewhere while the editor was open
        return update_post(self.db, post, today=self.today, now=self.now(), expected_sequence=post.sequence)

    def on_move_post(self, message: messages.MovePost) -> None:
        post, day = message.post, message.day
        saved = self.guard(lambda: move_post(self.db, post.id, day, today=self.today, now=self.now()),
                           failure="post", label=f"move of “{post.title}” to {day:%a %d %b}")
        if saved is not None:
            self.picked_post = post.id
            self.notify(f"{post.title} · {post.day:%a %d %b} → {day:%a %d %b %Y} · ctrl+z undoes", title="Moved")

    def on_review_post(self, message: messages.ReviewPost) -> None:
        """Approve (the approval gate decides) or reject a post from the day dialog."""
        post = replace(message.post, status=Status(message.status))
        saved = self.guard(lambda: update_post(self.db, post, today=self.today, now=self.now(),
                                               expected_sequence=message.post.sequence), failure="post")
        if saved is not None:
            self.notify(f"{saved.title}: {saved.status.value}", title="Reviewed")

    def on_delete_post(self, message: messages.DeletePost) -> None:
        post = message.post

        def confirmed(yes: bool | None) -> None:
            if yes and self.guard(lambda: delete_post(self.db, post.id, now=self.now()), failure="delete",
                                  label=f"delete of “{post.title}”") is not None:
                self.notify(f"{post.title} · ctrl+z undoes", title="Deleted")

        self.push_screen(ConfirmScreen(f"Delete “{post.title}” on {post.day:%a %d %b %Y}?",
                                       yes="Delete", danger=True), confirmed)
