"""The app's one write path and one error policy (mixed into `tui.app.CarecalApp`).

Every write the app makes runs through `guard` (or `open_form`, for a dialog whose
input is saved before it closes), and every worker a screen starts is named in
`FAILURES` and started with `exit_on_error=False`; a screen that starts workers
mixes in `ReportsWorkerFailures`, because Textual's `Worker.StateChanged` does not
bubble from a screen to the app. Whatever goes wrong, a locked or
read-only file, bad input the data layer refused, a file that cannot be written,
ends in `report_failure`: one error notification, and the app keeps running. The
table is harlequin's habit: one place that says, per worker, what the user is told.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from textual.worker import Worker, WorkerState

T = TypeVar("T")
V = TypeVar("V")

FAILURES: dict[str, str] = {
    # writes (guard's `failure=`)
    "save": "Not saved",
    "post": "Post not saved",
    "delete": "Not deleted",
    "campaign": "Campaign not saved",
    "tag": "Tag not changed",
    "observance": "Observance not changed",
    "consent": "Consent not saved",
    "override": "Override not saved",
    "comment": "Comment not saved",
    "import": "Not imported",
    "conflict": "Conflict not decided",
    # workers (their `name=`)
    "load": "Could not load",
    "attention": "Could not check the posts",
    "export-count": "Could not count the events",
    "export-write": "Not exported",
    "feed-build": "Feed not rebuilt",
    "feed-list": "Could not read the saved feeds",
    "import-preview": "Could not read the file",
    "observance-history": "Could not read last year's results",
    "report-write": "Report not written",
    "vendor-plan": "Could not plan the publisher's files",
    "sync": "Sync failed",
    "sync-status": "Could not read the sync status",
}
"""What the user is told when a write (by its `failure` key) or a worker (by its name) fails."""

EXPECTED = (ValueError, LookupError, OSError, RuntimeError, OverflowError, sqlite3.Error)
"""Failures the user can act on (bad input, a locked, read-only or missing file): shown as they are."""


def failure_text(exc: BaseException) -> str:
    """The exception as one line; an unexpected kind is named and flagged as a bug to report."""
    text = " ".join((str(exc) or type(exc).__name__).split())
    if isinstance(exc, EXPECTED):
        return text
    return f"unexpected {type(exc).__name__}: {text} (please report this)"


class WritePath:
    """The app's write path: `guard`, `open_form`, and the one failure handler."""

    read_only: bool = False
    """Set by `carecal web --read-only`: every write is refused with a notification."""

    def refuse_write(self, what: str = "save") -> bool:
        """True (after a notification) when this app may not write: carecal web --read-only."""
        if self.read_only:
            self.notify(
                f"Read-only calendar: cannot {what} here (carecal web --read-only).",
                title="Read-only",
                severity="warning",
            )
        return self.read_only

    def report_failure(self, what: str, exc: BaseException) -> None:
        """Tell the user that `what` (a key of FAILURES) failed and why; the app keeps running."""
        self.notify(
            failure_text(exc),
            title=FAILURES.get(what, "Something went wrong"),
            severity="error",
            timeout=8,
        )

    def guard(
        self, write: Callable[[], T], *, failure: str = "save", label: str = "change"
    ) -> T | bool | None:
        """Run a calendar_data write: its result (True if it returns nothing), or None when it failed.

        A failure is reported through `report_failure` (never a traceback, never an exit);
        a success tells every open screen to repaint (`data_changed`). In read-only mode
        nothing runs: a notification says why. What the write logged becomes one undo step
        of the app's `history` (`label` names it in "Undone: ...").
        """
        if self.refuse_write():
            return None
        history = getattr(self, "history", None)
        try:
            since = history.mark(self.db) if history is not None else 0
            result = write()
            if history is not None:
                history.record(self.db, since, label)
        except Exception as exc:  # noqa: BLE001 - the one place a failed write is turned into a notification
            self.report_failure(failure, exc)
            return None
        changed = getattr(self, "data_changed", None)
        if changed is not None:
            changed()
        return True if result is None else result

    def open_form(
        self,
        form: Any,
        save: Callable[[V], T],
        *,
        failure: str = "save",
        saved: Callable[[T], None] | None = None,
        label: str = "change",
    ) -> None:
        """Show a dialog whose value is saved before it closes (see `SavesBeforeClosing`).

        `save` turns the dialog's value into a write; when it fails the dialog stays
        open with everything typed in it, and the failure is reported like any other.
        """

        def attempt(value: V) -> bool:
            result = self.guard(lambda: save(value), failure=failure, label=label)
            if result is None:
                return False
            if saved is not None:
                saved(result)
            return True

        form.saver = attempt
        self.push_screen(form)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app's own that failed: report it by its name."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_failure(event.worker.name, event.worker.error)


class ReportsWorkerFailures:
    """Mixed into a screen that starts workers: hands each failed one to the app's one handler.

    Textual posts `Worker.StateChanged` to the node that started the worker and does not
    bubble it, so without this a screen's failed worker would go unreported. A screen may
    add its own `on_worker_state_changed` to tidy its widgets (Textual calls both).
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.report_failure(event.worker.name, event.worker.error)  # type: ignore[attr-defined]


def worker_failed(event: Worker.StateChanged, *names: str) -> bool:
    """True when the event says one of the named workers failed (for a screen to tidy its own state)."""
    return event.state is WorkerState.ERROR and event.worker.name in names
