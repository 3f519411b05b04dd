"""The compliance dialogs wired to the data layer: consent, override and history for one post.

`ComplianceRequests` is mixed into the app: it answers the compliance panel's
requests (from the post editor) by pushing a dialog, saving what it returns
through calendar_data, telling the user, and re-checking the panel. The
`open_*` functions do the same for any screen that wants them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from textual.screen import Screen

from calendar_data.checks.approval import add_override
from calendar_data.checks.findings import Finding
from calendar_data.checks.overrides import OverrideError
from calendar_data.checks.review import findings_for
from calendar_data.comments import history_with_comments
from calendar_data.consent import ConsentError, get_consent, record_consent, remove_consent
from calendar_data.errors import PostError
from calendar_data.models import Post
from calendar_data.settings import Settings, current_user
from tui.screens.consent import ConsentResult, ConsentScreen
from tui.screens.history import HistoryScreen
from tui.screens.override import OverrideScreen
from tui.widgets.compliance_panel import CompliancePanel


def _who(screen: Screen, who: str | None) -> str:
    return who or getattr(screen.app, "user", None) or current_user()


def _saved(screen: Screen, post: Post, what: str) -> bool:
    if post.id is None:
        screen.notify(f"Save the post first, then record its {what}.", severity="warning")
        return False
    return True


def open_consent(screen: Screen, db, post: Post, *, today: date, who: str | None = None,
                 done: Callable[[], None] = lambda: None) -> None:
    """Show the consent dialog for a saved post and record (or remove) what it returns."""
    if not _saved(screen, post, "consent"):
        return
    who = _who(screen, who)

    def save(result: ConsentResult | None) -> None:
        if result is None:
            return
        try:
            if result.remove:
                removed = remove_consent(db, post.id, who=who)
                screen.notify(f"Consent {removed.form_ref} removed.")
            else:
                saved = record_consent(db, post.id, result.consent, who=who)
                screen.notify(f"Consent {saved.form_ref} recorded (expires {saved.expires_on}).")
        except (ConsentError, PostError) as exc:
            screen.notify(str(exc), severity="error", timeout=8)
            return
        done()

    screen.app.push_screen(ConsentScreen(post, today=today, recorded_by=who), save)


def open_override(screen: Screen, db, post: Post, finding: Finding, *, today: date, who: str | None = None,
                  done: Callable[[], None] = lambda: None) -> None:
    """Ask for a reason and record the reviewer's override of one PHI finding."""
    if not _saved(screen, post, "override"):
        return
    who = _who(screen, who)

    def save(reason: str | None) -> None:
        if reason is None:
            return
        try:
            add_override(db, post, finding.key, reason, today=today, who=who)
        except (OverrideError, PostError) as exc:
            screen.notify(str(exc), severity="error", timeout=8)
            return
        screen.notify(f"Override recorded for {finding.key}.")
        done()

    screen.app.push_screen(OverrideScreen(finding, reviewer=who), save)


def open_history(screen: Screen, db, post: Post) -> None:
    """Show the post's change log (nothing to show for a post never saved)."""
    entries = history_with_comments(db, post.id, limit=1000) if post.id is not None else []  # comments in place
    screen.app.push_screen(HistoryScreen(post.title, entries))


def draft_checker(db, settings: Settings, today: date) -> Callable[[Post], list[Finding]]:
    """Findings for an editor draft: the consent on file and the post's overrides, read fresh each time."""
    def check(post: Post) -> list[Finding]:
        consent = get_consent(db, post.id) if post.id is not None else None
        return findings_for(db, replace(post, consent=consent), today=today, settings=settings)

    return check


class ComplianceRequests:
    """Mixed into the app (which has `db` and `today`): answers the compliance panel's requests."""

    def on_compliance_panel_consent_requested(self, message: CompliancePanel.ConsentRequested) -> None:
        message.stop()
        if message.post is not None:
            open_consent(self.screen, self.db, message.post, today=self.today,
                         done=lambda: self._compliance_saved(message.panel))

    def on_compliance_panel_override_requested(self, message: CompliancePanel.OverrideRequested) -> None:
        message.stop()
        if message.post is not None:
            open_override(self.screen, self.db, message.post, message.finding, today=self.today,
                          done=lambda: self._compliance_saved(message.panel))

    def on_compliance_panel_history_requested(self, message: CompliancePanel.HistoryRequested) -> None:
        message.stop()
        if message.post is not None:
            open_history(self.screen, self.db, message.post)

    def _compliance_saved(self, panel: CompliancePanel) -> None:
        data_changed = getattr(self, "data_changed", None)
        if data_changed is not None:
            data_changed()
        panel.recheck()
