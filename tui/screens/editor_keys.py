"""The post editor's compliance keys: F2 consent, F3 override, F4 history, from any field.

F-keys with priority, because a plain letter (the compliance panel's own k, o, h)
would type into the field that has focus. Mixed into `PostEditor`, which provides
`post`, `context`, `pending_consent`, `draft()` and `_refresh_side()`.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.screens.consent import ConsentResult, ConsentScreen
from tui.widgets.compliance_panel import CompliancePanel

COMPLIANCE_KEYS = (
    Binding(
        "f2",
        "consent",
        "Consent",
        priority=True,
        id="editor.consent",
        tooltip="Record the patient's consent (from any field)",
    ),
    Binding(
        "f3",
        "override",
        "Override",
        priority=True,
        id="editor.override",
        tooltip="Override the highlighted (or first) PHI finding, with a reason",
    ),
    Binding(
        "f4",
        "history",
        "History",
        priority=True,
        id="editor.history",
        tooltip="The post's change log",
    ),
)


class ComplianceKeys:
    """Consent, override and history for the post being edited (a new one's consent waits for ctrl+s)."""

    def _panel(self) -> CompliancePanel | None:
        found = self.query(CompliancePanel)
        if not found:
            return None
        panel = found.first()
        panel.draft = self.draft()[0]
        return panel

    def action_consent(self) -> None:
        if self.post.id is not None:
            panel = self._panel()
            if panel is not None:
                panel.action_consent()
            return
        draft = self.draft()[0]
        today = self.context.today or self.post.day

        def keep(result: ConsentResult | None) -> None:
            if result is None:
                return
            self.pending_consent = None if result.remove else result.consent
            word = "removed" if result.remove else "will be saved with the post (ctrl+s)"
            self.notify(f"Consent {word}.", title="Consent")
            self._refresh_side()

        self.app.push_screen(ConsentScreen(draft, today=today, recorded_by=""), keep)

    def action_override(self) -> None:
        panel = self._panel()
        if panel is None:
            return
        if self.post.id is None:
            self.notify(
                "Save the post first: an override is recorded against a saved post.",
                severity="warning",
            )
            return
        panel.recheck()
        selected = panel.selected
        if selected is None or not selected.overridable or selected.override is not None:
            choices = [
                i for i, f in enumerate(panel.findings) if f.overridable and f.override is None
            ]
            if choices:
                panel.query_one("#compliance-findings").highlighted = choices[0]
        panel.action_override()

    def action_history(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.action_history()
