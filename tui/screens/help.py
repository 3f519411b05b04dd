"""Help (?): every binding, grouped by screen, read from the bindings themselves so it never drifts."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from tui.screens.channel_copy import ChannelCopyScreen
from tui.screens.comments import CommentsScreen
from tui.screens.conflicts import ConflictsScreen
from tui.screens.day import DayScreen
from tui.screens.dialogs import ConfirmScreen, PromptScreen
from tui.screens.editor import PostEditor
from tui.screens.legend import legend_table

FILTER_HELP = (
    "Type words to match titles, copy, hashtags, tags and observance names, plus any of "
    'tag:NAME  channel:instagram  status:draft  campaign:"Heart Month"  category:cancer  region:US. '
    "Tab completes the last term; enter applies; an empty filter clears it; escape goes back."
)


KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "number_sign": "#",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "escape": "esc",
    "f1": "F1",
}


def _key(binding: Binding, keymap: dict[str, str] | None = None) -> str:
    """The key as the help shows it: the footer's label when it is one key, else the keys themselves.

    A key remapped in config.toml [keys] (`keymap`, by binding id) shows as remapped.
    """
    if keymap and binding.id in keymap:
        return " / ".join(
            KEY_NAMES.get(k.strip(), k.strip()) for k in keymap[binding.id].split(",")
        )
    if (
        binding.key_display
        and "/" not in binding.key_display.strip("/")
        and " " not in binding.key_display
    ):
        return binding.key_display
    return " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def binding_rows(screen_class: type, keymap: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(key, description) for every binding a screen class declares, its bases' first."""
    seen: dict[str, str] = {}
    for cls in reversed(screen_class.__mro__):
        if not cls.__module__.startswith("tui."):
            continue  # Textual's own (tab, copy...) are the same everywhere
        for item in cls.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.description:
                seen[_key(binding, keymap)] = binding.tooltip or binding.description
    return list(seen.items())


def help_sections(
    app_class: type, keymap: dict[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help screen's sections: the app's global keys first, then each of its screens'."""
    sections = [
        (
            "Everywhere",
            [
                *binding_rows(app_class, keymap),
                ("ctrl+p", "Command palette: every action, go to date, observance or campaign"),
            ],
        )
    ]
    views = getattr(app_class, "VIEW_CLASSES", {})  # mode -> its class, imported on first call
    screens = [
        *dict.fromkeys(load() for load in views.values()),
        DayScreen,
        PostEditor,
        ChannelCopyScreen,
        CommentsScreen,
        ConflictsScreen,
    ]
    everywhere = dict(sections[0][1])
    for screen in screens:
        rows = [(k, d) for k, d in binding_rows(screen, keymap) if everywhere.get(k) != d]
        sections.append((screen.HELP_TITLE or screen.__name__, rows))
    dialogs = dict(binding_rows(ConfirmScreen)) | dict(binding_rows(PromptScreen))
    sections.append(("Dialogs", list(dialogs.items())))
    return sections


class HelpScreen(ModalScreen[None]):
    """Every key binding, by screen, and how the filter bar reads."""

    HELP_TITLE = "Help"
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", key_display="esc", id="help.close")
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog-box"):
            yield Label(
                "carecal keys · esc closes · ctrl+p finds any action by name", id="help-title"
            )
            with VerticalScroll(id="help-body"):
                for title, rows in self.sections:
                    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=False)
                    table.add_column(style="bold", min_width=9, no_wrap=True)
                    table.add_column()
                    for key, description in rows:
                        table.add_row(key, description)
                    yield Static(
                        Group(Text(title, style="bold underline"), table), classes="help-section"
                    )
                yield Static(
                    Group(Text("Filter bar (/)", style="bold underline"), Text(FILTER_HELP)),
                    classes="help-section wide",
                )
                yield Static(legend_table(), classes="help-section wide")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
