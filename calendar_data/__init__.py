"""carecal's data layer: the whole product without a screen.

Models, date rules, storage, merging, checks, import and export. Nothing here
imports Textual or the `tui` package (an import-linter contract and a test
hold that line), so the CLI, the TUI and scripts all share one behaviour.
"""

__version__ = "0.1.0"
