"""Sync conflicts: each post changed on both sides (or deleted on one), and a side picked per field.

The screen shows what the data layer's `list_conflicts` returns (the caller
hands in a `load` callable) and asks the app to decide each one (`decide`,
the app's write path around `resolve_conflict`); it never writes itself. For a
post edited on both sides each differing field gets its own choice (this
calendar's value unless changed); a deletion against an edit, or a team-list
entry, is kept or dropped whole.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, OptionList
from textual.widgets.option_list import Option

KIND_WORDS = {
    "both-edited": "edited here and on the server",
    "deleted-here": "deleted here, edited on the server",
    "deleted-there": "deleted on the server, edited here",
    "team": "team list entry changed on both sides",
}
SIDE_WORDS = {"local": "this calendar", "remote": "server"}


def show_value(value: object, width: int = 34) -> str:
    """A wire value on one line: lists joined, nothing as a dash, long text cut with an ellipsis."""
    if value is None or value == "" or value == []:
        text = "—"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}={v}" for k, v in value.items())
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def conflict_title(conflict: dict) -> str:
    """The post's title (from whichever side still has it) or the team entry's key."""
    for side in ("local", "remote"):
        data = conflict.get(side) or {}
        if data.get("title"):
            return str(data["title"])
    return conflict["uid"].split("#", 1)[-1]


class ConflictsScreen(ModalScreen[None]):
    """Pick this calendar's or the server's version of each conflicting field, then apply."""

    HELP_TITLE = "Sync conflicts"
    DEFAULT_CSS = """
    ConflictsScreen { align: center middle; }
    ConflictsScreen > #conflicts-box { width: 110; max-width: 100%; height: 90%; border: thick $warning;
        background: $surface; padding: 0 1; }
    ConflictsScreen #conflict-list { height: auto; max-height: 8; border: none; }
    ConflictsScreen #conflict-fields { height: 1fr; }
    ConflictsScreen .conflicts-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("l", "pick('local')", "Keep this calendar's", id="conflicts.keep_local"),
        Binding("r", "pick('remote')", "Keep the server's", id="conflicts.keep_remote"),
        Binding("L", "pick_all('local')", "All mine", key_display="L", id="conflicts.all_local"),
        Binding(
            "R", "pick_all('remote')", "All theirs", key_display="R", id="conflicts.all_remote"
        ),
        Binding("ctrl+s", "apply", "Apply", id="conflicts.apply"),
        Binding("escape", "close", "Close", id="conflicts.close"),
    ]

    def __init__(
        self, load: Callable[[], list[dict]], decide: Callable[[dict, dict[str, str]], bool]
    ) -> None:
        """`load` returns the open conflicts as `Conflict.to_json()`; `decide(conflict, choices)` applies."""
        super().__init__()
        self.load, self.decide = load, decide
        self.conflicts: list[dict] = []
        self.choices: dict[str, str] = {}
        """Field -> side for the conflict on show."""

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts-box"):
            yield Label("Sync conflicts", id="conflicts-heading")
            yield OptionList(id="conflict-list")
            yield Label("", id="conflict-kind")
            yield DataTable(id="conflict-fields", cursor_type="row", zebra_stripes=True)
            yield Label(
                "l/r: this calendar's/server's value · L/R: all fields · ctrl+s: apply",
                classes="conflicts-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#conflict-fields", DataTable)
        table.add_columns("Field", "This calendar", "Server", "Keep")
        self.reload()

    def reload(self) -> None:
        """Read the open conflicts again (after a decision, or a sync behind this screen)."""
        self.conflicts = self.load()
        options = self.query_one("#conflict-list", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(f"#{c['id']}  {conflict_title(c)}  ({KIND_WORDS.get(c['kind'], c['kind'])})")
                for c in self.conflicts
            ]
        )
        self.query_one("#conflicts-heading", Label).update(
            f"Sync conflicts: {len(self.conflicts)} open"
            if self.conflicts
            else "No sync conflicts: all agreed."
        )
        if self.conflicts:
            options.highlighted = 0
            self._show(0)
        else:
            self.query_one("#conflict-fields", DataTable).clear()
            self.query_one("#conflict-kind", Label).update("")
        self.query_one("#conflict-fields", DataTable).focus()

    @property
    def current(self) -> dict | None:
        index = self.query_one("#conflict-list", OptionList).highlighted
        return self.conflicts[index] if self.conflicts and index is not None else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _fields(self, conflict: dict) -> list[str]:
        return conflict["fields"] if conflict["kind"] == "both-edited" else []

    def _show(self, index: int) -> None:
        conflict = self.conflicts[index]
        self.choices = {f: "local" for f in self._fields(conflict)}
        if not self.choices:
            self.choices = {"*": "local"}
        whole = conflict["kind"] != "both-edited"
        self.query_one("#conflict-kind", Label).update(
            f"{KIND_WORDS.get(conflict['kind'], conflict['kind'])} · target {conflict['target']}"
            + (" · kept whole: l or r picks the side" if whole else "")
        )
        self._paint()

    def _paint(self) -> None:
        conflict = self.current
        table = self.query_one("#conflict-fields", DataTable)
        row = table.cursor_row
        table.clear()
        if conflict is None:
            return
        local, remote = conflict.get("local"), conflict.get("remote")
        if "*" in self.choices:
            keys = (
                conflict["fields"]
                if conflict["kind"] != "team"
                else list((local or remote or {}).keys())
            )
            table.add_row(
                "(whole)",
                "deleted" if local is None else "kept",
                "deleted" if remote is None else "kept",
                SIDE_WORDS[self.choices["*"]],
                key="*",
            )
            for key in keys:
                table.add_row(
                    key, show_value((local or {}).get(key)), show_value((remote or {}).get(key)), ""
                )
        else:
            for key, side in self.choices.items():
                table.add_row(
                    key,
                    show_value(local.get(key)),
                    show_value(remote.get(key)),
                    SIDE_WORDS[side],
                    key=key,
                )
        table.move_cursor(row=min(row, max(len(self.choices) - 1, 0)))

    def _field_at_cursor(self) -> str | None:
        table = self.query_one("#conflict-fields", DataTable)
        if "*" in self.choices:
            return "*"
        keys = list(self.choices)
        return keys[table.cursor_row] if 0 <= table.cursor_row < len(keys) else None

    def action_pick(self, side: str) -> None:
        key = self._field_at_cursor()
        if self.current is None or key is None:
            return
        self.choices[key] = side
        self._paint()
        if (
            key != "*"
            and self.query_one("#conflict-fields", DataTable).cursor_row < len(self.choices) - 1
        ):
            self.query_one("#conflict-fields", DataTable).action_cursor_down()

    def action_pick_all(self, side: str) -> None:
        if self.current is None:
            return
        self.choices = dict.fromkeys(self.choices, side)
        self._paint()

    def action_apply(self) -> None:
        conflict = self.current
        if conflict is None:
            self.notify("Nothing to decide.")
            return
        if self.decide(conflict, dict(self.choices)):
            self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
