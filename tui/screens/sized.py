"""A screen built with the breakpoint classes it will get, so its first resize restyles nothing.

Textual adds a screen's breakpoint classes (`App.HORIZONTAL_BREAKPOINTS`, `VERTICAL_BREAKPOINTS`:
-narrow, -wide, -tall...) on its first resize, after its widgets were styled once; changing a
screen's classes restyles every widget in it again. A large dialog (the post editor, ~100
widgets) created with those classes already set is styled once.
"""

from __future__ import annotations

from textual._context import active_app


def _pick(dimension: int, breakpoints: list[tuple[int, str]]) -> list[str]:
    for breakpoint, name in sorted(breakpoints, reverse=True):
        if dimension >= breakpoint:
            return [name]
    return []


def breakpoint_classes() -> list[str]:
    """The running app's breakpoint classes for its current size (none outside an app)."""
    app = active_app.get(None)
    if app is None:
        return []
    width, height = app.size
    return _pick(width, app.HORIZONTAL_BREAKPOINTS or []) + _pick(
        height, app.VERTICAL_BREAKPOINTS or []
    )
