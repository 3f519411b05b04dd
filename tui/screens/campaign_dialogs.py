"""Dialogs of the campaigns screen: edit a campaign, choose its posts. Each returns a value."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, SelectionList

from calendar_data.campaigns import CAMPAIGN_COLOURS as COLOURS
from calendar_data.form_values import parse_day
from calendar_data.models import Campaign, Post
from calendar_data.tags import split_tags
from tui.screens.dialogs import ConfirmScreen, SavesBeforeClosing
from tui.screens.field_focus import FieldFocus
from tui.widgets.marks import STATUS_MARKS, channel_initials


class CampaignEditor(FieldFocus, SavesBeforeClosing, ModalScreen[Campaign | None]):
    """Name, goal, dates, colour and tags; ctrl+s returns the campaign, escape cancels."""

    HELP_TITLE = "Campaign editor"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="campaign_dialog.save"),
        Binding("escape", "cancel", "Cancel", id="campaign_dialog.cancel"),
        *FieldFocus.FIELD_BINDINGS,
    ]

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(classes="dialog")
        self.campaign = campaign

    def compose(self) -> ComposeResult:
        c = self.campaign
        with Vertical(classes="dialog-box", id="campaign-box"):
            yield Label(
                "New campaign" if c.id is None else f"Edit campaign · {c.name}", id="campaign-title"
            )
            with VerticalScroll():
                for label, name, value, placeholder in (
                    ("Name", "name", c.name, "e.g. Heart Month 2027"),
                    ("Goal", "goal", c.goal, "what success looks like"),
                    ("Start", "start", c.start.isoformat() if c.start else "", "YYYY-MM-DD"),
                    ("End", "end", c.end.isoformat() if c.end else "", "YYYY-MM-DD"),
                    ("Colour", "colour", c.colour, " ".join(COLOURS)),
                    ("Tags", "tags", ", ".join(c.tags), "comma-separated"),
                ):
                    with Horizontal(classes="field"):
                        yield Label(label, classes="field-label")
                        yield Input(value, placeholder=placeholder, id=f"c-{name}", compact=True)
                    yield Label("", id=f"c-{name}-error", classes="field-error")
        yield Footer()

    def on_mount(self) -> None:
        for error in self.query(".field-error"):
            error.display = False
        self.query_one("#c-name", Input).focus()
        self._initial = self._typed()

    def _typed(self) -> tuple[str, ...]:
        return tuple(i.value for i in self.query(Input))

    def action_cancel(self) -> None:
        """Close, asking first when anything was typed (as the post editor does)."""
        if self._typed() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard what you typed in this campaign?",
                yes="Discard",
                no="Keep editing",
                danger=True,
            ),
            answered,
        )

    def _value(self, name: str) -> str:
        return self.query_one(f"#c-{name}", Input).value.strip()

    def action_save(self) -> None:
        errors: dict[str, str] = {}
        dates = {}
        for name in ("start", "end"):
            try:
                dates[name] = parse_day(self._value(name)) if self._value(name) else None
            except ValueError as exc:
                errors[name] = str(exc)
        if not self._value("name"):
            errors["name"] = "a campaign needs a name"
        if not errors and dates["start"] and dates["end"] and dates["end"] < dates["start"]:
            errors["end"] = "ends before it starts"
        if self._value("colour") and self._value("colour").casefold() not in COLOURS:
            errors["colour"] = (
                f"{self._value('colour')!r} is not in the palette: {', '.join(COLOURS)}"
            )
        for label in self.query(".field-error"):
            name = label.id.removeprefix("c-").removesuffix("-error")
            label.update(f"↳ {errors.get(name, '')}")
            label.display = name in errors
        if errors:
            self.query_one(f"#c-{next(iter(errors))}", Input).focus()
            return
        self.submit(
            replace(
                self.campaign,
                name=self._value("name"),
                goal=self._value("goal"),
                start=dates["start"],
                end=dates["end"],
                colour=self._value("colour").casefold(),
                tags=split_tags(self._value("tags")),
            )
        )


class AssignPosts(SavesBeforeClosing, ModalScreen[set[int] | None]):
    """Tick the posts that belong to a campaign; ctrl+s returns the ids."""

    HELP_TITLE = "Assign posts"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="assign_dialog.save"),
        Binding("escape", "cancel", "Cancel", id="assign_dialog.cancel"),
    ]

    def __init__(self, campaign: Campaign, posts: list[Post]) -> None:
        super().__init__(classes="dialog")
        self.campaign, self.posts = campaign, posts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="assign-box"):
            yield Label(
                f"Posts in {self.campaign.name} · space ticks, ctrl+s saves", id="assign-title"
            )
            yield SelectionList[int](
                *[
                    (
                        f"{p.day:%a %d %b %Y}  {STATUS_MARKS[p.status]} {p.title}  {channel_initials(p.channels)}"
                        + (
                            f"  (now in {p.campaign})"
                            if p.campaign and p.campaign != self.campaign.name
                            else ""
                        ),
                        p.id,
                        p.campaign == self.campaign.name,
                    )
                    for p in self.posts
                ],
                id="assign-list",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        self.submit(set(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
