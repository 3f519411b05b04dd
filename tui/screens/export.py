"""The export dialog (`x`): scope and filters, a live event count, saved feeds, and import.

Everything here calls the same calendar_data functions as `carecal export`,
`carecal feeds build` and `carecal import`. The dialog is handed what it needs
(`ExportContext`: today, the clock, settings, a read and a write) and never probes
the app. Counting, writing and building run in named thread workers with their own
database connection (`context.read`); their failures are reported by the app's one
handler (`tui.write_path.FAILURES`). An import is planned in a worker and applied on
the app's write path (`context.write`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Label, Static
from textual.worker import Worker

from calendar_data.agenda import KINDS
from calendar_data.ical.export import ExportResult, ExportSpec, export_preview, write_export
from calendar_data.ical.feeds import build_feed, get_feed, list_feeds
from calendar_data.ical.plan import apply_import, plan_import
from calendar_data.models import Filters
from calendar_data.quarters import quarter_label, quarter_of, quarter_span
from calendar_data.settings import Settings
from calendar_data.tags import split_tags
from tui.screens.export_vendor import VendorExport
from tui.write_path import ReportsWorkerFailures, worker_failed


def default_file(start: date, end: date) -> str:
    """A file name for the scope: carecal-2027Q1.ics for a quarter, else the dates."""
    if quarter_span(start) == (start, end):
        return f"carecal-{quarter_label(*quarter_of(start))}.ics"
    return f"carecal-{start.isoformat()}-{end.isoformat()}.ics"


@dataclass(frozen=True)
class ExportContext:
    """What the dialog needs from its host (the app builds it; tests build their own)."""

    today: date
    now: Callable[[], datetime]
    """The clock that stamps a written file or feed."""
    settings: Settings
    read: Callable[[Callable[[Any], Any]], Any]
    """Runs a read with a connection that belongs to the calling thread."""
    write: Callable[[Callable[[Any], Any]], Any]
    """Runs a write on the app's write path: its result, or None when it failed (already reported)."""


@dataclass(frozen=True)
class _Form:
    spec: ExportSpec | None
    path: str
    problem: str = ""


class ExportScreen(VendorExport, ReportsWorkerFailures, ModalScreen[ExportResult | None]):
    """Write an .ics file (or a publisher's bulk CSV) for a date range and filters; rebuild feeds; import."""

    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("ctrl+s", "write", "Write file", id="export.write_file"),
        Binding("escape", "cancel", "Close", id="export.close"),
        Binding("b", "rebuild", "Rebuild feed", id="export.rebuild_feed"),
    ]

    def __init__(
        self, context: ExportContext, start: date | None = None, end: date | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.context = context
        self._start, self._end = start, end
        self._plan = None
        self._auto_path = ""
        """The file name the dialog proposed; while the field still holds it, it follows the dates."""

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The quarter on screen: the app's selected day (what the month or quarter view shows), else today.
        start, end = quarter_span(getattr(self.app, "cursor", None) or self.context.today)
        start, end = self._start or start, self._end or end
        with VerticalScroll(id="export-box", classes="dialog-box"):
            yield Label(
                "Export to iCal (.ics) for Outlook, Google and Apple calendars",
                classes="dialog-question",
            )
            yield from self.compose_formats(self.context.settings.country)
            with Horizontal(classes="export-row"):
                yield Label("From", classes="export-label")
                yield Input(start.isoformat(), id="export-from", classes="export-date")
                yield Label("To", classes="export-label")
                yield Input(end.isoformat(), id="export-to", classes="export-date")
            with Horizontal(classes="export-row"):
                for kind in KINDS:
                    yield Checkbox(kind.capitalize(), True, id=f"export-{kind}")
            with Horizontal(classes="export-row"):
                yield Input(placeholder="campaign (optional)", id="export-campaign")
                yield Input(placeholder="tags, comma-separated", id="export-tags")
                yield Input(placeholder="remind N days before", id="export-alarm")
            yield Checkbox(
                "Include blocked posts WITH their copy (default: slot only)",
                False,
                id="export-include-blocked",
            )
            self._auto_path = default_file(start, end)
            yield Input(self._auto_path, id="export-path")
            yield Label("counting…", id="export-count")
            yield Static("", id="export-vendor-report")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write file (ctrl+s)", id="export-write", variant="primary")
                yield Button("Close (esc)", id="export-close")
            yield Label("Saved feeds", id="export-feeds-heading", classes="export-heading")
            yield DataTable(id="export-feeds", cursor_type="row", zebra_stripes=True)
            yield Label("Import a plan exported from Outlook or Google", classes="export-heading")
            with Horizontal(classes="export-row"):
                yield Input(placeholder="path/to/plan.ics", id="import-path")
                yield Button("Preview", id="import-preview")
                yield Button("Import", id="import-apply", variant="warning")
            yield Static("", id="import-result")
        yield Footer()  # the export dialog's keys, not the month view's behind it

    def on_mount(self) -> None:
        table = self.query_one("#export-feeds", DataTable)
        table.add_columns("Name", "Scope", "File")
        self._load_feeds()
        self._recount()
        self.query_one("#export-from", Input).focus()

    # --- the form --------------------------------------------------------------------------

    def _form(self) -> _Form:
        def value(widget_id: str) -> str:
            return self.query_one(widget_id, Input).value.strip()

        path = value("#export-path")
        try:
            start, end = (
                date.fromisoformat(value("#export-from")),
                date.fromisoformat(value("#export-to")),
            )
        except ValueError:
            return _Form(None, path, "dates must be YYYY-MM-DD")
        include = tuple(k for k in KINDS if self.query_one(f"#export-{k}", Checkbox).value)
        if not include:
            return _Form(None, path, "tick at least one of posts, observances, holidays")
        alarm = value("#export-alarm")
        if alarm and not alarm.isdigit():
            return _Form(None, path, "reminder days must be a whole number")
        tags = split_tags(value("#export-tags"))
        filters = Filters(tags=tags, campaign=value("#export-campaign") or None)
        spec = ExportSpec(
            start,
            end,
            include=include,
            filters=filters,
            alarm_days=int(alarm) if alarm else None,
            include_blocked=self.query_one("#export-include-blocked", Checkbox).value,
        )
        try:
            return _Form(spec.validated(), path)
        except ValueError as exc:
            return _Form(None, path, str(exc))

    @on(Input.Changed, "#export-from, #export-to, #export-campaign, #export-tags, #export-alarm")
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._follow_dates()
        self._recount()

    def _follow_dates(self) -> None:
        """Rename the proposed file after the chosen dates, unless the user typed a name of their own."""
        form = self._form()
        path = self.query_one("#export-path", Input)
        if form.spec is None or path.value.strip() != self._auto_path:
            return
        self._auto_path = default_file(form.spec.start, form.spec.end)
        path.value = self._auto_path

    def _recount(self) -> None:
        if self.vendor_recount():
            return
        form = self._form()
        label = self.query_one("#export-count", Label)
        if form.spec is None:
            label.update(f"Cannot export: {form.problem}")
            return
        label.update("counting…")
        spec = form.spec
        self._worker("export-count", lambda: self._count(spec), exclusive=True)

    def _worker(self, name: str, work: Callable[[], None], *, exclusive: bool = False) -> None:
        """Run `work` in a named thread; a failure goes to the app's one handler, never an exit."""
        self.run_worker(
            work, name=name, group=name, thread=True, exclusive=exclusive, exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Tidy this dialog after a failed worker (ReportsWorkerFailures has the app report it)."""
        if worker_failed(event, "export-count"):
            self._show_count("Cannot count the events (see the message)")
        elif worker_failed(event, "export-write") and self.is_attached:
            self.query_one("#export-write", Button).disabled = False

    def _count(self, spec: ExportSpec) -> None:
        try:
            total, report = self.context.read(
                lambda db: export_preview(
                    db, spec, today=self.context.today, settings=self.context.settings
                )
            )
            text = f"The file will hold {total} event{'s' if total != 1 else ''}."
            if report.describe():
                text += f"\n{report.describe()}"
        except ValueError as exc:  # the scope itself is wrong: part of the form's answer
            text = f"Cannot export: {exc}"
        self.app.call_from_thread(self._show_count, text)

    def _show_count(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#export-count", Label).update(text)

    # --- writing ---------------------------------------------------------------------------

    def action_write(self) -> None:
        if self.vendor_write():
            return
        form = self._form()
        if form.spec is None or not form.path:
            self.notify(form.problem or "give a file name", title="Not exported", severity="error")
            return
        spec, path = form.spec, Path(form.path).expanduser()
        self.query_one("#export-write", Button).disabled = True
        self._worker("export-write", lambda: self._write(spec, path), exclusive=True)

    def _write(self, spec: ExportSpec, path: Path) -> None:
        context = self.context
        result = context.read(
            lambda db: write_export(
                db, spec, path, now=context.now(), settings=context.settings, today=context.today
            )
        )
        self.app.call_from_thread(self._written, result)

    def _written(self, result: ExportResult) -> None:
        notes = [line for line in (result.held.describe(),) if line]
        if result.on_hold:
            notes.append(f"{result.on_hold} posts under a crisis hold written as cancelled")
        self.notify(
            "\n".join([f"{result.events} events to {result.path}", *notes]),
            title="Exported",
            severity="warning" if notes else "information",
            timeout=10 if notes else 5,
        )
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export-write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#export-close")
    def _close_pressed(self) -> None:
        self.dismiss(None)

    # --- feeds -----------------------------------------------------------------------------

    def _load_feeds(self) -> None:
        self._worker(
            "feed-list",
            lambda: self.app.call_from_thread(self._show_feeds, self.context.read(list_feeds)),
        )

    def _show_feeds(self, feeds: list) -> None:
        if not self.is_attached:
            return
        table = self.query_one("#export-feeds", DataTable)
        table.clear()
        for feed in feeds:
            table.add_row(feed.name, feed.scope.describe(), feed.path or "", key=feed.name)
        table.display = table.row_count > 0
        heading = (
            "Saved feeds: b rebuilds the selected one"
            if table.row_count
            else "Saved feeds: none yet (carecal feeds add NAME --next-days 90)"
        )
        self.query_one("#export-feeds-heading", Label).update(heading)

    def action_rebuild(self) -> None:
        table = self.query_one("#export-feeds", DataTable)
        if not table.row_count:
            self.notify("No saved feeds yet: carecal feeds add NAME --next-days 90", title="Feeds")
            return
        name = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        self._worker("feed-build", lambda: self._rebuild(name))

    def _rebuild(self, name: str) -> None:
        context = self.context
        result = context.read(
            lambda db: build_feed(db, get_feed(db, name), today=context.today, now=context.now())
        )
        held = f"\n{result.held.describe()}" if result.held.describe() else ""
        self.app.call_from_thread(
            self.notify, f"{result.events} events to {result.path}{held}", title=f"Feed {name}"
        )

    # --- import ----------------------------------------------------------------------------

    @on(Button.Pressed, "#import-preview")
    def _preview_pressed(self) -> None:
        path = Path(self.query_one("#import-path", Input).value.strip()).expanduser()
        self._worker("import-preview", lambda: self._preview(path), exclusive=True)

    def _preview(self, path: Path) -> None:
        from calendar_data.ical.scan import MAX_FILE_BYTES

        context = self.context
        try:
            with path.open("rb") as handle:  # at most one byte past the limit: the scan reports it
                data = handle.read(MAX_FILE_BYTES + 1)
            plan = context.read(
                lambda db: plan_import(
                    db, data, where=path.name, today=context.today, settings=context.settings
                )
            )
        except FileNotFoundError:
            self.app.call_from_thread(self._show_import, None, f"error: {path}: no such file")
            return
        except (ValueError, OSError) as exc:  # the file's problem, shown where the preview goes
            self.app.call_from_thread(self._show_import, None, f"error: {exc}")
            return
        lines = [f"warning: {w}" for w in plan.warnings[:8]]
        lines += [f"+ campaign {name}" for name in plan.new_campaigns]
        if plan.dropped_line():
            lines.append(plan.dropped_line())
        lines += [
            f"{'+' if c.action == 'add' else '~'} {c.label}"
            for c in plan.changes
            if c.action != "same"
        ][:12]
        lines.append(plan.summary() + " — press Import to write")
        self.app.call_from_thread(self._show_import, plan, "\n".join(lines))

    def _show_import(self, plan, text: str) -> None:
        if not self.is_attached:
            return
        self._plan = plan
        self.query_one("#import-result", Static).update(text)

    @on(Button.Pressed, "#import-apply")
    def _apply_pressed(self) -> None:
        plan = self._plan
        if plan is None:
            self.notify("Preview the file first.", title="Import")
            return
        context = self.context
        done = context.write(
            lambda db: apply_import(db, plan, today=context.today, now=context.now())
        )
        if done is not None:
            self._plan = None
            text = "\n".join(filter(None, [done.dropped_line(), done.summary()]))
            self.query_one("#import-result", Static).update(text)
            self.notify(text, title="Import")
            self._recount()
