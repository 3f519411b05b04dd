"""The export dialog's publisher formats: a scheduler's bulk-upload CSV, planned and written as the CLI does.

`VendorExport` is mixed into the export dialog. The format choice lists iCal and
every publisher in `calendar_data.publish.vendors.VENDORS`; a publisher whose
format has no vendor documentation is shown disabled with the reason. A chosen
publisher's files are planned in a worker with `plan_bulk` (the posts kept back
as held or blocked, and every rule break, listed in the dialog) and written with
`write_bulk` only when nothing breaks a rule: the same two calls as
`carecal export --format sprout`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, Static

from calendar_data.agenda import KINDS
from calendar_data.models import Filters
from calendar_data.publish.bulk import SPROUT_MAX_ROWS, BulkPlan, BulkSpec, plan_bulk, write_bulk
from calendar_data.publish.vendors import VENDORS
from calendar_data.tags import split_tags

ICS = "ics"
SHOWN = 12
"""Kept-back posts and rule breaks listed in the dialog (the rest are counted)."""


def refused_note() -> str:
    """One line naming the publishers carecal does not write, and why (from VENDORS)."""
    by_reason: dict[str, list[str]] = {}
    for vendor in VENDORS.values():
        if not vendor.supported:
            by_reason.setdefault(vendor.why_not, []).append(vendor.label)
    return " ".join(
        f"{', '.join(labels)}: not offered: {why}." for why, labels in by_reason.items()
    )


def plan_text(plan: BulkPlan, label: str, output: Path) -> Text:
    """What the dialog shows for a plan: the files, the posts kept back, the rule breaks."""
    text = Text()
    if plan.files:
        names = ", ".join(f"{f.name(output).name} ({len(f.rows)})" for f in plan.files)
        text.append(f"{plan.posts} posts → {len(plan.files)} files: {names}\n")
        if any(f.parts > 1 for f in plan.files):
            text.append(
                f"split: {label} takes at most {SPROUT_MAX_ROWS} messages per import\n",
                style="yellow",
            )
    for title, items, style in (
        (
            "Kept back (held or blocked posts never go to a publisher)",
            [f"post {s.post.id} ({s.post.title}): {s.reason}" for s in plan.skipped],
            "yellow",
        ),
        (
            f"Rule breaks {label} would refuse: nothing is written until they are fixed",
            [str(b) for b in plan.breaks],
            "bold red",
        ),
    ):
        if not items:
            continue
        text.append(f"{title}:\n", style=style)
        for item in items[:SHOWN]:
            text.append(f"  {item}\n")
        if len(items) > SHOWN:
            text.append(
                f"  and {len(items) - SHOWN} more (carecal export --format … lists them all)\n"
            )
    return text


def plan_summary(plan: BulkPlan, label: str) -> str:
    """The count line: how many posts and files, or why nothing can be written."""
    if plan.breaks:
        return f"Cannot write: {len(plan.breaks)} rule break{'s' * (len(plan.breaks) != 1)} {label} would refuse."
    if not plan.files:
        return f"No approved or scheduled posts in this range to send to {label}."
    return f"{label}: {plan.posts} posts in {len(plan.files)} file{'s' * (len(plan.files) != 1)}."


class VendorExport:
    """Mixed into ExportScreen: the format choice, planning and writing a publisher's files."""

    _heading: str | None = None
    """The dialog's iCal heading, kept while a publisher's heading is shown."""

    def compose_formats(self, country: str) -> ComposeResult:
        """The format row (iCal or a publisher), the date order for Sprout, and why some are disabled."""
        with RadioSet(id="export-format", compact=True):
            yield RadioButton("iCal (.ics)", True, id="format-ics")
            for vendor in VENDORS.values():
                yield RadioButton(
                    vendor.label,
                    id=f"format-{vendor.name}",
                    disabled=not vendor.supported,
                    tooltip=vendor.why_not or vendor.source,
                )
        yield Static(refused_note(), id="export-refused", classes="export-note")
        with Horizontal(classes="export-row", id="export-order-row") as row:
            row.display = False
            yield Label("Dates", classes="export-label")
            order = "mdy" if country.upper() == "US" else "dmy"
            yield Select(
                [("mm/dd/yyyy", "mdy"), ("dd/mm/yyyy", "dmy")],
                value=order,
                allow_blank=False,
                id="export-date-order",
                compact=True,
            )
            yield Label("as set in the publisher's import preferences", classes="export-note")

    @property
    def vendor(self) -> str:
        """The chosen format: 'ics' or a publisher's name."""
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return (pressed.id or "format-ics").removeprefix("format-") if pressed else ICS

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "export-format":
            self._format_changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-date-order":
            self._recount()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "export-path" and self.vendor != ICS:
            self._recount()  # the file names shown follow the path

    def _format_changed(self) -> None:
        vendor = self.vendor != ICS
        for kind in KINDS:
            self.query_one(f"#export-{kind}").display = not vendor
        self.query_one("#export-alarm").display = not vendor
        self.query_one("#export-order-row").display = vendor
        path = self.query_one("#export-path", Input)
        old, new = (".ics", ".csv") if vendor else (".csv", ".ics")
        if path.value.endswith(old):
            path.value = path.value[: -len(old)] + new
        self.query_one("#export-vendor-report", Static).update("")
        if self._heading is None:
            self._heading = str(self.query_one("#export-box .dialog-question", Label).render())
        label = VENDORS[self.vendor].label if vendor else ""
        self.query_one("#export-box .dialog-question", Label).update(
            f"Export a {label} bulk-upload CSV (one file per channel)" if vendor else self._heading
        )
        self._recount()

    def _bulk_spec(self) -> tuple[BulkSpec | None, str]:
        """The publisher export the form describes, or None and the problem."""

        def value(widget_id: str) -> str:
            return self.query_one(widget_id, Input).value.strip()

        try:
            start, end = (
                date.fromisoformat(value("#export-from")),
                date.fromisoformat(value("#export-to")),
            )
        except ValueError:
            return None, "dates must be YYYY-MM-DD"
        if end < start:
            return None, f"{end} is before {start}"
        filters = Filters(
            tags=split_tags(value("#export-tags")), campaign=value("#export-campaign") or None
        )
        return BulkSpec(
            start, end, self.vendor, filters, self.query_one("#export-date-order", Select).value
        ), ""

    def vendor_recount(self) -> bool:
        """Plan the chosen publisher's files in a worker (True), or leave the count to iCal (False)."""
        if self.vendor == ICS:
            return False
        spec, problem = self._bulk_spec()
        label = self.query_one("#export-count", Label)
        if spec is None:
            label.update(f"Cannot export: {problem}")
            return True
        label.update("checking the posts against the publisher's rules…")
        output = Path(
            self.query_one("#export-path", Input).value.strip() or "plan.csv"
        ).expanduser()
        self.run_worker(
            lambda: self._plan_vendor(spec, output, write=False),
            thread=True,
            exclusive=True,
            group="export-count",
            name="vendor-plan",
            exit_on_error=False,
        )
        return True

    def vendor_write(self) -> bool:
        """Plan again and write the chosen publisher's files in a worker (True), or leave it to iCal."""
        if self.vendor == ICS:
            return False
        spec, problem = self._bulk_spec()
        path = self.query_one("#export-path", Input).value.strip()
        if spec is None or not path:
            self.notify(
                problem or "give a file name such as q1.csv", title="Not exported", severity="error"
            )
            return True
        self.run_worker(
            lambda: self._plan_vendor(spec, Path(path).expanduser(), write=True),
            thread=True,
            exclusive=True,
            group="export-write",
            name="export-write",
            exit_on_error=False,
        )
        return True

    def _plan_vendor(self, spec: BulkSpec, output: Path, *, write: bool) -> None:
        label = VENDORS[spec.vendor].label
        today = self.context.today
        try:
            plan = self.context.read(
                lambda db: plan_bulk(
                    db, spec, now=self.context.now(), today=today, settings=self.context.settings
                )
            )
            written = write_bulk(plan, output) if write and plan.ok and plan.files else []
        except (ValueError, OSError) as exc:
            self.app.call_from_thread(self._vendor_failed, str(exc))
            return
        self.app.call_from_thread(self._vendor_planned, plan, label, output, written, write)

    def _vendor_failed(self, problem: str) -> None:
        if self.is_attached:
            self.query_one("#export-count", Label).update(f"Cannot export: {problem}")
        self.notify(problem, title="Not exported", severity="error")

    def _vendor_planned(
        self, plan: BulkPlan, label: str, output: Path, written: list[Path], write: bool
    ) -> None:
        if not self.is_attached:
            return
        self.query_one("#export-count", Label).update(plan_summary(plan, label))
        self.query_one("#export-vendor-report", Static).update(plan_text(plan, label, output))
        if not write:
            return
        if plan.breaks:
            self.notify(
                plan_summary(plan, label) + " Nothing written.",
                title="Not exported",
                severity="error",
            )
        elif not written:
            self.notify(
                plan_summary(plan, label) + " Nothing written.",
                title="Not exported",
                severity="warning",
            )
        else:
            messages = sum(len(f.rows) for f in plan.files)
            self.notify(
                f"{messages} messages in {len(written)} files: {', '.join(p.name for p in written)} "
                f"in {written[0].parent}; import each into its channel's profile in {label}.",
                title="Exported",
                timeout=10,
            )
            self.dismiss(None)
