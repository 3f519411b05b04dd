"""An Input whose inline completion is accepted with tab (or right arrow at the end)."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input


class FunctionSuggester(Suggester):
    """Suggests whatever `complete(value)` returns, and remembers it for tab."""

    def __init__(self, complete: Callable[[str], str | None]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.complete = complete
        self.last: tuple[str, str | None] = ("", None)

    async def get_suggestion(self, value: str) -> str | None:
        suggestion = self.complete(value)
        self.last = (value, suggestion)
        return suggestion


class CompletingInput(Input):
    """Tab takes the shown completion; with none, tab moves focus as usual."""

    BINDINGS = [
        Binding("tab", "complete_or_next", "Complete", show=False, id="completing_input.complete")
    ]

    def __init__(self, complete: Callable[[str], str | None], **kwargs) -> None:
        self.completer = FunctionSuggester(complete)
        super().__init__(suggester=self.completer, **kwargs)

    def complete(self) -> bool:
        """Take the shown completion (True), or do nothing when none is shown (False)."""
        value, suggestion = self.completer.last
        if (
            suggestion
            and value == self.value
            and self.cursor_at_end
            and len(suggestion) > len(value)
        ):
            self.value = suggestion
            self.cursor_position = len(suggestion)
            return True
        return False

    def action_complete_or_next(self) -> None:
        if not self.complete():
            self.screen.focus_next()
