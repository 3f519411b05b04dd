"""The filter bar: one line of `words key:value` shared by the month, quarter and agenda views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from calendar_data.filter_query import FilterError, complete_filter, filter_vocabulary, parse_filter
from calendar_data.models import Filters
from tui.widgets.completing_input import CompletingInput

PLACEHOLDER = "words  tag:…  channel:…  status:…  campaign:…  category:…  region:…"


class FilterBar(Horizontal):
    """'/ filter' prompt, the query, and the reason a query was refused."""

    BINDINGS = [Binding("escape", "leave", "Back", show=False, id="filter_bar.back")]

    @dataclass
    class Changed(Message):
        """A valid filter was entered (empty text clears it)."""

        filters: Filters
        text: str

    class Left(Message):
        """The user is done with the bar (escape)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.vocabulary = filter_vocabulary()

    def compose(self) -> ComposeResult:
        yield Label("/ filter", id="filter-prompt")
        yield CompletingInput(
            lambda value: complete_filter(value, self.vocabulary),
            placeholder=PLACEHOLDER,
            compact=True,
            id="filter-input",
            select_on_focus=False,
        )
        yield Label("", id="filter-error")

    @property
    def input(self) -> Input:
        """The query field."""
        return self.query_one("#filter-input", Input)

    def set_vocabulary(self, tags: Sequence[str], campaigns: Sequence[str]) -> None:
        """What the completion offers for `tag:` and `campaign:`."""
        self.vocabulary = filter_vocabulary(tags, campaigns)

    def show_filter(self, text: str) -> None:
        """Reflect the app's active filter (when another screen changed it)."""
        if self.input.value != text and not self.input.has_focus:
            self.input.value = text
        self.set_class(bool(text), "-active")
        self._error("")

    def _error(self, message: str) -> None:
        label = self.query_one("#filter-error", Label)
        label.update(message)
        label.display = bool(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            filters = parse_filter(event.value)
        except FilterError as exc:
            self._error(str(exc))
            return
        self._error("")
        self.set_class(filters.active, "-active")
        self.post_message(self.Changed(filters, event.value.strip()))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._error("")

    def action_leave(self) -> None:
        self.post_message(self.Left())
