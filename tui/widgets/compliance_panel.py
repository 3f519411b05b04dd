"""The post editor's compliance panel: live findings while typing, with override and consent shortcuts.

The panel is handed a checker (post -> findings) or findings directly, and
shows what would block approval and what is only a warning. The post editor
calls `refresh_draft(post)` as the form changes. The panel never writes: it
posts `OverrideRequested`, `ConsentRequested` and `HistoryRequested` (each with
the draft) for the app to answer (see tui.compliance_flow).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from calendar_data.checks.findings import Finding, check_post
from calendar_data.checks.overrides import Override
from calendar_data.models import Post
from calendar_data.settings import Settings
from tui.widgets.marks import ATTENTION_MARK, ATTENTION_STYLE

BLOCK_MARK, WARN_MARK, OK_MARK = "✗", "!", "✓"


def finding_text(finding: Finding) -> Text:
    """One finding as a panel row: mark, field, message."""
    if finding.override is not None:
        mark, style = OK_MARK, "dim"
    elif finding.blocking:
        mark, style = BLOCK_MARK, "bold #d32f2f"
    else:
        mark, style = WARN_MARK, "bold #d08700"
    text = Text()
    text.append(f"{mark} ", style=style)
    text.append(f"{finding.field}: ", style="bold")
    text.append(finding.message, style="dim" if finding.override is not None else "")
    return text


def summary_text(findings: Iterable[Finding]) -> Text:
    """'2 blocking · 1 warning', or a ready line when nothing stands in the way."""
    findings = list(findings)
    blockers = sum(f.blocking for f in findings)
    warnings = sum(not f.blocking and f.override is None for f in findings)
    overridden = sum(f.override is not None for f in findings)
    if not blockers and not warnings:
        ready = f"{OK_MARK} ready for approval"
        return Text(
            ready + (f" ({overridden} overridden)" if overridden else ""), style="bold #2e9d4f"
        )
    parts = []
    if blockers:
        parts.append((f"{BLOCK_MARK} {blockers} blocking", "bold #d32f2f"))
    if warnings:
        parts.append(
            (f"{WARN_MARK} {warnings} warning{'s' if warnings != 1 else ''}", "bold #d08700")
        )
    if overridden:
        parts.append((f"{overridden} overridden", "dim"))
    text = Text()
    for index, (label, style) in enumerate(parts):
        if index:
            text.append(" · ")
        text.append(label, style=style)
    return text


class CompliancePanel(Vertical):
    """What stands between this post and approval, updated as the post changes."""

    DEFAULT_CSS = """
    CompliancePanel { height: auto; max-height: 100%; border: round $panel; padding: 0 1; }
    CompliancePanel:focus-within { border: round $primary; }
    CompliancePanel > #compliance-summary { height: auto; }
    CompliancePanel > #compliance-findings { height: auto; max-height: 16; border: none; padding: 0; }
    CompliancePanel > #compliance-hint { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("o", "override", "Override finding", id="compliance_panel.override_finding"),
        Binding("k", "consent", "Consent", id="compliance_panel.consent"),
        Binding("h", "history", "History", id="compliance_panel.history"),
    ]

    findings: reactive[tuple[Finding, ...]] = reactive((), init=False, always_update=True)
    """The findings shown (immutable; set it, or call `check`)."""

    @dataclass
    class OverrideRequested(Message):
        """The user asked to override a PHI finding of `post` (the app opens the dialog and saves)."""

        panel: CompliancePanel
        post: Post | None
        finding: Finding

        @property
        def control(self) -> CompliancePanel:
            return self.panel

    @dataclass
    class ConsentRequested(Message):
        """The user asked to record or edit the patient consent of `post`."""

        panel: CompliancePanel
        post: Post | None

        @property
        def control(self) -> CompliancePanel:
            return self.panel

    @dataclass
    class HistoryRequested(Message):
        """The user asked for the history of `post`."""

        panel: CompliancePanel
        post: Post | None

        @property
        def control(self) -> CompliancePanel:
            return self.panel

    def __init__(
        self,
        *,
        checker: Callable[[Post], Iterable[Finding]] | None = None,
        id: str | None = "compliance-panel",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Compliance"
        self.checker = checker
        """Findings for a draft (the editor's context supplies one that reads overrides and consent)."""
        self.draft: Post | None = None
        """The post last checked."""
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(summary_text(()), id="compliance-summary")
        options = OptionList(id="compliance-findings")
        options.display = False
        yield options
        yield Static(
            "F2 consent · F3 override a PHI finding · F4 history (here: k, o, h)",
            id="compliance-hint",
        )

    def check(
        self, post: Post, settings: Settings, *, today: date, overrides: Iterable[Override] = ()
    ) -> tuple[Finding, ...]:
        """Run the checks on `post` now and show the result."""
        self._cancel_pending()
        self.draft = post
        self.findings = tuple(check_post(post, settings, today=today, overrides=tuple(overrides)))
        return self.findings

    def refresh_draft(self, post: Post, *, delay: float = 0.2) -> None:
        """The editor's form changed: check the draft with `checker` after a short pause."""
        self.draft = post
        self._cancel_pending()
        self._pending = self.set_timer(delay, self.recheck)

    def recheck(self) -> None:
        """Check the current draft again now (after a consent or override was saved)."""
        self._cancel_pending()
        if self.checker is not None and self.draft is not None:
            self.findings = tuple(self.checker(self.draft))

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None

    def watch_findings(self, findings: tuple[Finding, ...]) -> None:
        self.query_one("#compliance-summary", Static).update(summary_text(findings))
        options = self.query_one("#compliance-findings", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            [Option(finding_text(f), id=f"finding-{i}") for i, f in enumerate(findings)]
        )
        options.display = bool(findings)
        if findings:
            options.highlighted = min(highlighted or 0, len(findings) - 1)

    @property
    def blocking(self) -> list[Finding]:
        """The shown findings that block approval."""
        return [f for f in self.findings if f.blocking]

    @property
    def selected(self) -> Finding | None:
        """The highlighted finding, if any."""
        index = self.query_one("#compliance-findings", OptionList).highlighted
        return self.findings[index] if index is not None and index < len(self.findings) else None

    def action_override(self) -> None:
        finding = self.selected
        if finding is None or not finding.overridable or finding.override is not None:
            self.app.bell()
            self.notify(
                "Pick a blocking PHI finding to override; other findings must be fixed.",
                severity="warning",
            )
            return
        self.post_message(self.OverrideRequested(self, self.draft, finding))

    def action_consent(self) -> None:
        self.post_message(self.ConsentRequested(self, self.draft))

    def action_history(self) -> None:
        self.post_message(self.HistoryRequested(self, self.draft))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        finding = self.findings[event.option_index]
        if finding.type == "consent":
            self.post_message(self.ConsentRequested(self, self.draft))
        elif finding.overridable and finding.override is None:
            self.post_message(self.OverrideRequested(self, self.draft, finding))


def attention_mark(needs: bool) -> Text:
    """The needs-attention mark for a calendar cell or list row (empty when all is well)."""
    return Text(ATTENTION_MARK, style=ATTENTION_STYLE) if needs else Text("")
