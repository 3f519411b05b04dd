"""What a user changes about the app itself: key bindings (config.toml [keys]) and the theme.

Every binding has an id (`post.move`, `month.left`, `app.undo`...); a `[keys]`
table in config.toml maps ids to keys and becomes Textual's keymap. The theme
comes from config.toml `theme`, else from the one last chosen in the app (kept
in ui-state.json beside config.toml).
"""

from __future__ import annotations

import sys

from textual.app import App
from textual.binding import Binding

from calendar_data.settings import load_ui_state, save_ui_state


def known_binding_ids() -> dict[str, str]:
    """Every binding id of carecal's loaded screens and widgets -> its description."""
    found: dict[str, str] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("tui.") or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name:
                for item in value.__dict__.get("BINDINGS", []):
                    if isinstance(item, Binding) and item.id:
                        found.setdefault(item.id, item.description or item.action)
    return found


def apply_preferences(app: App) -> None:
    """Set the keymap and theme from the user's config (naming anything unusable in a notification)."""
    keys = dict(app.config.get("keys", {}))
    known = known_binding_ids()
    unknown = sorted(set(keys) - set(known))
    if unknown:
        app.notify(
            f"config.toml [keys]: unknown binding id {unknown[0]!r} (see the ids in README's key table)",
            title="Keys",
            severity="error",
            timeout=10,
        )
    app.set_keymap({k: v for k, v in keys.items() if k in known})
    _apply_theme(app)


def _apply_theme(app: App) -> None:
    wanted = app.config.get("theme")
    if wanted and wanted not in app.available_themes:
        app.notify(
            f"config.toml theme: unknown theme {wanted!r} (choose from {', '.join(sorted(app.available_themes))})",
            title="Theme",
            severity="error",
            timeout=10,
        )
        wanted = None
    if not wanted and app.state_dir is not None:
        remembered = load_ui_state(app.state_dir).get("theme")
        wanted = remembered if remembered in app.available_themes else None
    if wanted:
        app.theme = wanted
    if app.state_dir is not None:
        app.watch(
            app, "theme", lambda name: save_ui_state({"theme": name}, app.state_dir), init=False
        )
