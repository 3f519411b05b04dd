"""Floor for editor open: a bare Textual app that pushes a modal screen on `e` and pops it on escape.

Usage: python bare_modal.py "March 2027"   (the text the harness waits for before the first key)
The modal says "Edit post", as carecal's editor heading does, so the harness waits for the same text.
"""

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class Modal(ModalScreen[None]):
    """One Static, dismissed by escape."""

    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        yield Static("Edit post")


class BareModal(App):
    """One Static; `e` pushes the modal."""

    BINDINGS = [Binding("e", "open", "Open")]

    def compose(self) -> ComposeResult:
        yield Static(sys.argv[1] if len(sys.argv) > 1 else "ready")

    def action_open(self) -> None:
        self.push_screen(Modal())


if __name__ == "__main__":
    BareModal().run()
