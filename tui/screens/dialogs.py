"""Small dialogs that return a value: confirm, prompt for text, choose one of a list.

Each dismisses with its answer (None when cancelled); the caller acts on it. A dialog
that collects typed input closes through `SavesBeforeClosing.submit`, so a save that
fails leaves the input on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, OptionList
from textual.widgets.option_list import Option


class SavesBeforeClosing:
    """Mixed into a dialog that collects input: `submit(value)` closes it once the value is saved.

    The opener sets `saver` (the app's `open_form` does): it saves the value and says whether
    that worked. A failed save (already reported by the app's one error handler) keeps the
    dialog, and everything typed in it, on screen. With no `saver` the dialog just dismisses
    and the opener's callback acts on the value.
    """

    saver: Callable[[Any], bool] | None = None

    def submit(self, value: Any) -> None:
        if self.saver is None or self.saver(value):
            self.dismiss(value)  # type: ignore[attr-defined]


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no; `y`/enter confirm, `n`/escape cancel."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_dialog.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_dialog.no"),
    ]

    def __init__(
        self, question: str, *, yes: str = "Yes", no: str = "Cancel", danger: bool = False
    ) -> None:
        super().__init__(classes="dialog")
        self.question, self.yes, self.no, self.danger = question, yes, no, danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"{self.yes} (y)", id="yes", variant="error" if self.danger else "primary"
                )
                yield Button(f"{self.no} (n)", id="no")
        yield Footer()  # this dialog's keys, not those of the screen behind

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class PromptScreen(SavesBeforeClosing, ModalScreen[str | None]):
    """One line of text; enter or ctrl+s accepts, escape cancels; `check` may refuse it."""

    BINDINGS = [
        Binding("ctrl+s", "accept", "Save", id="prompt_dialog.save"),
        Binding("escape", "cancel", "Cancel", id="prompt_dialog.cancel"),
    ]

    def __init__(
        self,
        question: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.question, self.value, self.placeholder, self.check = (
            question,
            value,
            placeholder,
            check,
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question, classes="dialog-question")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label("", id="prompt-error", classes="field-error")
            yield Label("enter/ctrl+s save · esc cancel", classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#prompt-error").display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        value = self.query_one("#prompt-input", Input).value.strip()
        problem = self.check(value) if self.check else None
        if problem:
            error = self.query_one("#prompt-error", Label)
            error.update(problem)
            error.display = True
            return
        self.submit(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of `choices` (label, value); enter picks, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice_dialog.cancel")]

    def __init__(
        self, question: str, choices: Sequence[tuple[str, str]], *, current: str | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.question, self.choices, self.current = question, list(choices), current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question, classes="dialog-question")
            yield OptionList(
                *[Option(label, id=value) for label, value in self.choices], id="choices"
            )
            yield Label("enter choose · esc cancel", classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        values = [value for _, value in self.choices]
        if self.current in values:
            choices.highlighted = values.index(self.current)
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
