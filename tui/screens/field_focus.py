"""Tab between a form's fields before the next key is delivered, so fast typing lands where it should.

Textual hands each key to the focused widget's own queue. A tab handled by the
field (the default) moves the focus only when that field gets to it, and keys
typed right after it have already been handed to the field being left: under
load a title became "TUI postTUI post". A priority binding runs while the app
handles the key itself, so the focus has moved before the next key is routed.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.widgets.completing_input import CompletingInput


class FieldFocus:
    """Mixin for form screens: tab / shift+tab move between fields at once (tab still completes)."""

    FIELD_BINDINGS = [
        Binding(
            "tab", "next_field(1)", "Next field", show=False, priority=True, id="form.next_field"
        ),
        Binding(
            "shift+tab",
            "next_field(-1)",
            "Previous field",
            show=False,
            priority=True,
            id="form.previous_field",
        ),
    ]

    def action_next_field(self, step: int) -> None:
        field = self.focused
        if step > 0 and isinstance(field, CompletingInput) and field.complete():
            return
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()
