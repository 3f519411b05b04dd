"""One day opened from any view: its holidays, observances with hashtags, and posts to act on."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from calendar_data.agenda import agenda
from calendar_data.models import Post
from tui.messages import DeletePost, EditPost, NewPost, ReviewPost, ShowObservance
from tui.widgets.day_agenda import DayAgenda


class DayScreen(ModalScreen[None]):
    """The selected day's full agenda; the views behind it stay where they were."""

    HELP_TITLE = "Day"
    BINDINGS = [
        Binding("n", "new_post", "New post", id="day.new_post"),
        Binding("e", "edit_post", "Edit", id="day.edit"),
        Binding("d", "delete_post", "Delete", id="day.delete"),
        Binding("A", "review('approved')", "Approve", key_display="A", id="day.approve"),
        Binding("X", "review('rejected')", "Reject", key_display="X", id="day.reject"),
        Binding("left", "shift(-1)", "Previous day", id="day.previous_day"),
        Binding("right", "shift(1)", "Next day", id="day.next_day"),
        Binding("escape", "close", "Close", id="day.close"),
    ]

    def __init__(self, day: date, *, hint: str = "") -> None:
        super().__init__(classes="dialog")
        self.day, self.hint = day, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="day-box"):
            yield Label(self.hint, id="day-hint", classes="dialog-hint")
            yield DayAgenda(id="day-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#day-hint").display = bool(self.hint)
        self.reload()
        self.query_one(DayAgenda).focus()

    def reload(self) -> None:
        """Read the day again (after a save or delete behind this dialog)."""
        try:
            items = agenda(
                self.app.db,
                self.day,
                self.day,
                filters=self.app.filters,
                settings=self.app.settings,
                today=self.app.today,
            )
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_one(DayAgenda).show(
            self.day, items, today=self.app.today, held=self.app.held_post_ids()
        )
        self._sync_bindings()

    def _post(self) -> Post | None:
        agenda_list = self.query_one(DayAgenda)
        return agenda_list.highlighted_post or (
            agenda_list.posts[0] if len(agenda_list.posts) == 1 else None
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_post", "delete_post", "review"):
            return True if self._post() else None
        return True

    def on_option_list_option_highlighted(self) -> None:
        self._sync_bindings()

    def _sync_bindings(self) -> None:
        state = self._post() is not None
        if state != getattr(self, "_binding_state", None):
            self._binding_state = state
            self.refresh_bindings()

    def action_new_post(self) -> None:
        self.post_message(NewPost(self.day))

    def action_edit_post(self) -> None:
        if post := self._post():
            self.post_message(EditPost(post))

    def action_delete_post(self) -> None:
        if post := self._post():
            self.post_message(DeletePost(post))

    def action_review(self, status: str) -> None:
        if post := self._post():
            self.post_message(ReviewPost(post, status))

    def action_shift(self, days: int) -> None:
        self.day += timedelta(days=days)
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_day_agenda_post_chosen(self, event: DayAgenda.PostChosen) -> None:
        self.post_message(EditPost(event.post))

    def on_day_agenda_observance_chosen(self, event: DayAgenda.ObservanceChosen) -> None:
        self.app.post_message(ShowObservance(event.occurrence.observance.id))
