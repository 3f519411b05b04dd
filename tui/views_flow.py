"""The app's views: which screen each mode shows, switching between them, the shared filter.

Only the month view (the first screen) is imported at start; every other view, and the dialogs
opened from here, are imported the first time they are shown. Those lazy imports exist for
start-up time and memory alone (issue 18): none of them hides an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import ModalScreen, Screen

from calendar_data.filter_query import FilterError, describe_filter, parse_filter
from calendar_data.models import Filters
from tui import messages
from tui.screens.base import CarecalScreen
from tui.screens.month import MonthScreen


def _week() -> type[Screen]:
    # each view is imported when first shown (start-up time)
    from tui.screens.week import WeekScreen

    return WeekScreen


def _quarter() -> type[Screen]:
    from tui.screens.quarter import QuarterScreen

    return QuarterScreen


def _agenda() -> type[Screen]:
    from tui.screens.agenda import AgendaScreen

    return AgendaScreen


def _awareness() -> type[Screen]:
    from tui.screens.awareness import AwarenessScreen

    return AwarenessScreen


def _campaigns() -> type[Screen]:
    from tui.screens.campaigns import CampaignsScreen

    return CampaignsScreen


def _tags() -> type[Screen]:
    from tui.screens.tags import TagsScreen

    return TagsScreen


def _results() -> type[Screen]:
    from tui.screens.results import ResultsScreen

    return ResultsScreen


VIEW_CLASSES: dict[str, Callable[[], type[Screen]]] = {
    "month": lambda: MonthScreen,
    "week": _week,
    "quarter": _quarter,
    "agenda": _agenda,
    "awareness": _awareness,
    "campaigns": _campaigns,
    "tags": _tags,
    "results": _results,
}
"""Each mode's screen class, imported on first call (the help lists every view's keys from it)."""


def _mode(load: Callable[[], type[Screen]]) -> Callable[[], Screen]:
    return lambda: load()()


MODES: dict[str, Callable[[], Screen]] = {name: _mode(load) for name, load in VIEW_CLASSES.items()}
"""`App.MODES`: a factory per mode, so a view's module loads when the view is first shown."""


class ViewRequests:
    """Mixed into the app: the views, the dialogs every view opens, and the shared filter."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (
            action in ("view", "export", "help", "legend", "undo", "redo", "sync_conflicts")
            and isinstance(self.screen, ModalScreen)
        )

    def action_view(self, name: str) -> None:
        self.switch_mode(name)

    async def action_filter(self) -> None:
        """Focus the filter bar, switching to the month view when this view has none."""
        if not hasattr(self.screen, "action_focus_filter"):
            await self._show_view("month")
        self.screen.action_focus_filter()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, help_sections  # dialogs load on first use

        keymap = dict(self.config.get("keys", {}))
        self.push_screen(HelpScreen(help_sections(type(self), keymap)))

    def action_legend(self) -> None:
        from tui.screens.legend import LegendScreen

        self.push_screen(LegendScreen())

    def action_export(self) -> None:
        from tui.screens.export import ExportContext, ExportScreen  # icalendar loads with it

        if self.refuse_write("export or import files"):  # it writes files on the serving machine
            return
        context = ExportContext(
            today=self.today,
            now=self.now,
            settings=self.settings,
            read=self.read,
            write=lambda write: self.guard(lambda: write(self.db), failure="import"),
        )
        self.push_screen(ExportScreen(context))

    async def _show_view(self, name: str) -> CarecalScreen:
        """Switch to a view, waiting until its screen is mounted; returns that screen."""
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        await self.switch_mode(name)
        return self.screen_stack[0]

    async def on_go_to_day(self, message: messages.GoToDay) -> None:
        self.cursor = message.day
        screen = await self._show_view(message.view)
        screen.reload()

    async def on_show_observance(self, message: messages.ShowObservance) -> None:
        screen = await self._show_view("awareness")
        screen.show_observance(message.observance_id)

    async def on_show_campaign(self, message: messages.ShowCampaign) -> None:
        screen = await self._show_view("campaigns")
        screen.show_campaign(message.name)

    def on_open_day(self, message: messages.OpenDay) -> None:
        from tui.screens.day import DayScreen

        self.push_screen(DayScreen(message.day, hint=message.hint))

    # --- the filter --------------------------------------------------------------------------

    async def on_set_filter(self, message: messages.SetFilter) -> None:
        if message.view and message.view != self.current_mode:
            await self._show_view(message.view)
        self.set_filter(message.text, message.filters)

    def set_filter(self, text: str, filters: Filters | None = None) -> None:
        """Make `text` the shared filter; a bad filter is reported, not applied."""
        try:
            filters = filters if filters is not None else parse_filter(text)
        except FilterError as exc:
            self.notify(str(exc), title="Filter", severity="error")
            return
        self.filters, self.filter_text = filters, text.strip() if filters.active else ""
        self._update_subtitle()
        if isinstance(self.screen_stack[0], CarecalScreen):
            self.screen_stack[0].reload()

    def _update_subtitle(self) -> None:
        name = Path(self.db_path).name if self.db_path else ""
        filtered = f"filter: {describe_filter(self.filters)}" if self.filters.active else ""
        self.sub_title = " · ".join(p for p in (name, filtered) if p)
