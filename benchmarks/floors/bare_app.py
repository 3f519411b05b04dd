"""Floor for cold start and memory: a bare Textual app that paints one Static.

Usage: python bare_app.py "March 2027"   (the text the harness waits for)
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App):
    """One Static, nothing else."""

    def compose(self) -> ComposeResult:
        yield Static(sys.argv[1] if len(sys.argv) > 1 else "ready")


if __name__ == "__main__":
    BareApp().run()
