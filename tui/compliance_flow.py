"""The compliance dialogs wired to the data layer: consent, override and history for one post.

`ComplianceRequests` is mixed into the app: it answers the compliance panel's
requests (from the post editor) by opening a dialog on the app's write path
(`open_form`: the dialog closes once its value is saved, and a failed save is
reported by the app's one handler with the dialog still open), telling the
user, and re-checking the panel. The `open_*` functions take the app (which has
`db`, `today`, `now` and `open_form`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from calendar_data.comments import history_with_comments
from calendar_data.consent import get_consent, record_consent, remove_consent
from calendar_data.models import Post
from calendar_data.settings import Settings, current_user

if TYPE_CHECKING:
    from calendar_data.checks.findings import Finding
    from tui.screens.consent import ConsentResult
    from tui.widgets.compliance_panel import CompliancePanel


def _who(app: Any, who: str | None) -> str:
    return who or getattr(app, "user", None) or current_user()


def _saved(app: Any, post: Post, what: str) -> bool:
    refuse = getattr(app, "refuse_write", None)
    if refuse is not None and refuse(
        f"record {what}"
    ):  # before the dialog, not after it is filled in
        return False
    if post.id is None:
        app.notify(f"Save the post first, then record its {what}.", severity="warning")
        return False
    return True


def open_consent(
    app: Any, post: Post, *, who: str | None = None, done: Callable[[], None] = lambda: None
) -> None:
    """Show the consent dialog for a saved post; it records (or removes) the consent before it closes."""
    from tui.screens.consent import ConsentScreen  # the dialogs load on first use (start-up time)

    if not _saved(app, post, "consent"):
        return
    who = _who(app, who)

    def save(result: ConsentResult) -> str:
        if result.remove:
            removed = remove_consent(app.db, post.id, who=who, now=app.now())
            return f"Consent {removed.form_ref} removed."
        saved = record_consent(app.db, post.id, result.consent, who=who, now=app.now())
        return f"Consent {saved.form_ref} recorded (expires {saved.expires_on})."

    def saved(text: str) -> None:
        app.notify(text)
        done()

    app.open_form(
        ConsentScreen(post, today=app.today, recorded_by=who), save, failure="consent", saved=saved
    )


def open_override(
    app: Any,
    post: Post,
    finding: Finding,
    *,
    who: str | None = None,
    done: Callable[[], None] = lambda: None,
) -> None:
    """Ask for a reason and record the reviewer's override of one PHI finding before the dialog closes."""
    from calendar_data.checks.approval import add_override  # the checks load on first use
    from tui.screens.override import OverrideScreen

    if not _saved(app, post, "override"):
        return
    who = _who(app, who)

    def save(reason: str) -> None:
        add_override(app.db, post, finding.key, reason, today=app.today, who=who, now=app.now())

    def saved(_: object) -> None:
        app.notify(f"Override recorded for {finding.key}.")
        done()

    app.open_form(OverrideScreen(finding, reviewer=who), save, failure="override", saved=saved)


def open_history(app: Any, post: Post) -> None:
    """Show the post's change log, review comments in place ("No changes recorded" for a post never saved)."""
    from tui.screens.history import HistoryScreen

    entries = (
        history_with_comments(app.db, post.id, limit=1000) if post.id is not None else []
    )  # comments in place
    app.push_screen(HistoryScreen(post.title, entries))


def draft_checker(db, settings: Settings, today: date) -> Callable[[Post], list[Finding]]:
    """Findings for an editor draft: the consent on file and the post's overrides, read fresh each time."""

    from calendar_data.checks.review import (
        findings_for,
    )  # the checks load with the editor (start-up time)

    def check(post: Post) -> list[Finding]:
        consent = (
            get_consent(db, post.id) if post.id is not None else post.consent
        )  # a new post's pending one
        return findings_for(db, replace(post, consent=consent), today=today, settings=settings)

    return check


class ComplianceRequests:
    """Mixed into the app (which has `db`, `today`, `now` and `open_form`): answers the panel's requests."""

    def on_compliance_panel_consent_requested(
        self, message: CompliancePanel.ConsentRequested
    ) -> None:
        message.stop()
        if message.post is not None:
            open_consent(self, message.post, done=message.panel.recheck)

    def on_compliance_panel_override_requested(
        self, message: CompliancePanel.OverrideRequested
    ) -> None:
        message.stop()
        if message.post is not None:
            open_override(self, message.post, message.finding, done=message.panel.recheck)

    def on_compliance_panel_history_requested(
        self, message: CompliancePanel.HistoryRequested
    ) -> None:
        message.stop()
        if message.post is not None:
            open_history(self, message.post)
