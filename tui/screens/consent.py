"""The consent dialog: record, change or remove a patient's consent for one post.

The dialog collects and validates; it dismisses with a `ConsentResult` and the
caller saves it (`calendar_data.consent.record_consent` / `remove_consent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, SelectionList, Static

from calendar_data.checks.channel_rules import CHANNEL_LIMITS
from calendar_data.consent import MEDIA, ConsentError, validate_consent
from calendar_data.models import Channel, Consent, Post
from tui.screens.dialogs import SavesBeforeClosing
from tui.screens.field_focus import FieldFocus


@dataclass(frozen=True)
class ConsentResult:
    """What the dialog decided: save `consent`, or remove the one on file."""

    consent: Consent | None = None
    remove: bool = False


class ConsentScreen(FieldFocus, SavesBeforeClosing, ModalScreen[ConsentResult | None]):
    """Form reference, signed and expiry dates, allowed channels and media, who recorded it."""

    DEFAULT_CSS = """
    ConsentScreen { align: center middle; }
    ConsentScreen > #consent-dialog { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2; }
    ConsentScreen .consent-row { height: auto; }
    ConsentScreen .consent-row Input { width: 1fr; }
    ConsentScreen SelectionList { height: auto; max-height: 11; width: 1fr; }
    ConsentScreen #consent-error { color: $error; height: auto; }
    ConsentScreen #consent-buttons { height: auto; align-horizontal: right; }
    ConsentScreen #consent-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save consent", id="consent.save_consent"),
        Binding("escape", "cancel", "Cancel", id="consent.cancel"),
        *FieldFocus.FIELD_BINDINGS,
    ]

    def __init__(self, post: Post, *, today: date, recorded_by: str = "") -> None:
        super().__init__()
        self.post = post
        self.today = today
        self.recorded_by = recorded_by

    def compose(self) -> ComposeResult:
        existing = self.post.consent
        channels = set(existing.channels if existing else self.post.channels)
        media = set(existing.media if existing else ())
        with VerticalScroll(id="consent-dialog"):
            with Horizontal(classes="consent-row"):
                yield Input(
                    existing.form_ref if existing else "",
                    placeholder="form reference, e.g. PX-2026-0142",
                    id="consent-form",
                )
                yield Input(
                    existing.recorded_by if existing and existing.recorded_by else self.recorded_by,
                    placeholder="recorded by",
                    id="consent-recorded-by",
                )
            with Horizontal(classes="consent-row"):
                yield Input(
                    existing.signed_on.isoformat() if existing else self.today.isoformat(),
                    placeholder="signed YYYY-MM-DD",
                    id="consent-signed",
                )
                yield Input(
                    existing.expires_on.isoformat() if existing and existing.expires_on else "",
                    placeholder="expires YYYY-MM-DD",
                    id="consent-expires",
                )
            with Horizontal(classes="consent-row"):
                yield SelectionList[str](
                    *[(CHANNEL_LIMITS[c].name, str(c), c in channels) for c in Channel],
                    id="consent-channels",
                )
                yield SelectionList[str](*[(m, m, m in media) for m in MEDIA], id="consent-media")
            yield Static("", id="consent-error")
            with Horizontal(id="consent-buttons"):
                yield Button("Save", variant="primary", id="consent-save")
                if existing:
                    yield Button("Remove consent", variant="error", id="consent-remove")
                yield Button("Cancel", id="consent-cancel")
        yield Footer()

    def on_mount(self) -> None:
        dialog = self.query_one("#consent-dialog")
        dialog.border_title = f"Patient consent: {self.post.title} ({self.post.day})"
        dialog.border_subtitle = "kept here only: never exported"
        self.query_one("#consent-channels", SelectionList).border_title = "Channels allowed"
        self.query_one("#consent-media", SelectionList).border_title = "Media allowed"
        self.query_one("#consent-form", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#consent-error", Static).update(message)

    def collect(self) -> Consent:
        """The consent as typed, validated; raises ValueError naming the field."""
        dates = {}
        for name in ("signed", "expires"):
            text = self.query_one(f"#consent-{name}", Input).value.strip()
            try:
                dates[name] = date.fromisoformat(text)
            except ValueError:
                raise ConsentError(
                    f"{name}: {text or 'nothing'} is not a date (YYYY-MM-DD)"
                ) from None
        channels = tuple(
            Channel(c) for c in self.query_one("#consent-channels", SelectionList).selected
        )
        if not channels:
            raise ConsentError("channel: tick at least one channel the patient agreed to")
        consent = Consent(
            form_ref=self.query_one("#consent-form", Input).value,
            signed_on=dates["signed"],
            expires_on=dates["expires"],
            channels=channels,
            media=tuple(self.query_one("#consent-media", SelectionList).selected),
            recorded_by=self.query_one("#consent-recorded-by", Input).value.strip(),
        )
        return validate_consent(consent)

    def action_save(self) -> None:
        try:
            consent = self.collect()
        except ConsentError as exc:
            self._error(str(exc))
            return
        self.submit(ConsentResult(consent))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "consent-save":
            self.action_save()
        elif event.button.id == "consent-remove":
            self.submit(ConsentResult(remove=True))
        else:
            self.action_cancel()
