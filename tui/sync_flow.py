"""Sync from the app: a key and a palette command, an optional timer, the top bar's status, the conflicts.

The network is touched only in a thread worker that opens its own connection
to the calendar file (an SQLite connection belongs to the thread that opened
it) and closes it when done; the UI never waits on it. When the worker ends the
app repaints as it does after another process's write, and the top bar's
status is read again (no network: `sync_status`). Deciding a conflict is a
write on the app's connection, through `guard` like every other write.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work

from calendar_data.settings import current_user
from calendar_data.storage.connection import utcnow
from calendar_data.storage.database import open_db
from tui.widgets.top_bar import SyncBadge

if TYPE_CHECKING:
    from calendar_data.sync import SyncStatus

MINUTE_S = 60.0
"""Seconds in a `sync_every` minute (a test shortens it to see the timer fire)."""


def _one_line(exc: BaseException) -> str:
    return " ".join((str(exc) or type(exc).__name__).split())


def summary_line(result) -> str:
    """What one sync did, in a notification's words."""
    down = sum(result.pulled.values())
    up = sum(result.pushed.values())
    parts = [f"{down} down, {up} up"]
    if result.conflicts:
        parts.append(f"{len(result.conflicts)} conflict(s): press Y to decide")
    if result.held:
        parts.append(
            f"{len(result.held)} held back by this machine's approval gate (not sent back)"
        )
    parts += result.warnings
    return f"{result.target}: " + " · ".join(parts)


def _statuses(db) -> list[SyncStatus]:
    """Every target's status; a calendar without a target (most) never imports the sync modules."""
    from calendar_data.sync.targets import list_targets

    if not list_targets(db):
        return []
    from calendar_data.sync import sync_status  # caldav and the sync engine load on first use

    return sync_status(db)


class SyncRequests:
    """Mixed into the app (which has db, db_path, settings, today, guard, data_changed, read_only)."""

    sync_every: int = 0
    _syncing: bool = False

    def sync_clock(self) -> datetime:
        """The app's clock when it has one (tests), else the real time (UTC)."""
        clock = getattr(self, "now", None)
        return clock() if callable(clock) else utcnow()

    def start_sync_timer(self) -> None:
        """Sync every `sync_every` minutes while the app is open (config.toml `sync_every`)."""
        if self.sync_every > 0:
            self.set_interval(self.sync_every * MINUTE_S, lambda: self.action_sync_now(quiet=True))

    # --- the top bar's status ------------------------------------------------------------

    def refresh_sync_status(self) -> None:
        """Read every target's status (no network) in a worker when the app has a file, else here."""
        if self.db_path:
            self._sync_status_worker()
        else:
            self._show_status(_statuses(self.db))

    @work(thread=True, exclusive=True, group="sync-status", name="sync-status", exit_on_error=False)
    def _sync_status_worker(self) -> None:
        statuses = self.read(_statuses)
        self.call_from_thread(self._show_status, statuses)

    def _show_status(self, statuses, state: str | None = None) -> None:
        if not statuses:
            self.sync_badge = None
            return
        zone = ZoneInfo(self.settings.timezone) if getattr(self.settings, "timezone", "") else None
        lasts = [s.last_sync_at for s in statuses if s.last_sync_at is not None]
        last = max(lasts) if lasts else None
        now = self.sync_clock()
        if zone is not None:
            last = last.astimezone(zone) if last is not None and last.tzinfo else last
            now = now.astimezone(zone) if now.tzinfo else now
        old = self.sync_badge
        if state is None:
            state = (
                "syncing"
                if self._syncing
                else (old.state if old and old.state == "failed" else "idle")
            )
        self.sync_badge = SyncBadge(
            state=state,
            last=last,
            pending=sum(s.pending for s in statuses),
            conflicts=sum(s.conflicts for s in statuses),
            now=now,
            held=sum(s.held for s in statuses),
        )

    # --- syncing ---------------------------------------------------------------------------

    def action_sync_now(self, quiet: bool = False) -> None:
        """Sync every target both ways in a worker (a second press while one runs is refused)."""
        if self.refuse_write("sync"):
            return
        if self._syncing:
            if not quiet:
                self.notify("A sync is already running.", title="Sync")
            return
        from calendar_data.sync import list_targets

        targets = [t.name for t in list_targets(self.db)]
        if not targets:
            if not quiet:
                self.notify(
                    "No sync target yet: carecal sync add NAME URL (see docs/team.md).",
                    title="Sync",
                    severity="warning",
                )
            return
        if not self.db_path:
            self.notify(
                "Sync needs a calendar file (not an in-memory one).", title="Sync", severity="error"
            )
            return
        self._syncing = True
        if self.sync_badge is not None:
            self.sync_badge = replace(self.sync_badge, state="syncing")
        self._sync_worker(targets, self.sync_clock(), quiet)

    @work(thread=True, exclusive=True, group="sync", name="sync", exit_on_error=False)
    def _sync_worker(self, targets: list[str], now: datetime, quiet: bool) -> None:
        from calendar_data.sync import sync_now

        results, errors = [], []
        try:
            db = open_db(self.db_path, migrate=False, create=False)
        except Exception as exc:  # noqa: BLE001 - reported as a notification, never a traceback
            self.call_from_thread(
                self._sync_finished, [], [f"{self.db_path}: {_one_line(exc)}"], quiet
            )
            return
        try:
            for name in targets:
                try:
                    results.append(
                        sync_now(db, name, today=self.today, now=now, who=self.sync_user())
                    )
                except Exception as exc:  # noqa: BLE001 - an unreachable server, a refused password...
                    errors.append(f"{name}: {_one_line(exc)}")
        finally:
            db.close()
        self.call_from_thread(self._sync_finished, results, errors, quiet)

    def _sync_finished(self, results: list, errors: list[str], quiet: bool) -> None:
        self._syncing = False
        for message in errors:
            self.notify(message, title="Sync failed", severity="error", timeout=10)
        for result in results:
            moved = sum(result.pulled.values()) + sum(result.pushed.values())
            if not quiet or moved or result.needs_decision or result.gated:
                self.notify(
                    summary_line(result),
                    title="Synced",
                    severity="warning" if result.needs_decision or result.gated else "information",
                )
        if self.sync_badge is not None:
            self.sync_badge = replace(self.sync_badge, state="failed" if errors else "idle")
        self.data_changed()  # another connection wrote: repaint, and read the status again

    def sync_user(self) -> str:
        """Who the change log records for a sync or a decision."""
        return getattr(self, "user", None) or current_user()

    # --- conflicts ---------------------------------------------------------------------------

    def action_sync_conflicts(self) -> None:
        """Open the conflicts screen (also when there is none: it says so)."""
        from calendar_data.sync import list_conflicts
        from tui.screens.conflicts import ConflictsScreen

        self.push_screen(
            ConflictsScreen(
                lambda: [c.to_json() for c in list_conflicts(self.db)], self.decide_conflict
            )
        )

    def decide_conflict(self, conflict: dict, choices: dict[str, str]) -> bool:
        """Resolve one conflict as picked: a whole side, or field by field."""
        from calendar_data.sync import resolve_conflict

        if self.refuse_write("decide a conflict"):
            return False
        sides = set(choices.values())
        keep = next(iter(sides)) if "*" in choices or len(sides) == 1 else None
        fields = None if keep else choices
        done = self.guard(
            lambda: resolve_conflict(
                self.db,
                conflict["id"],
                keep=keep,
                fields=fields,
                today=self.today,
                now=self.sync_clock(),
                who=self.sync_user(),
            ),
            failure="conflict",
        )
        if done is None:
            return False
        how = (
            f"kept {'this calendar' if keep == 'local' else 'the server'}"
            if keep
            else "merged field by field"
        )
        self.notify(f"Conflict #{conflict['id']} {how}; sync to send it.", title="Decided")
        return True
