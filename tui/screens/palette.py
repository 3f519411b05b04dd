"""Command palette (ctrl+p): every action, plus "go to date", "go to observance", "go to campaign"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from calendar_data.campaigns import list_campaigns
from calendar_data.form_values import parse_goto_date
from calendar_data.models import ContentType, Post, Status
from calendar_data.observances import all_observances
from tui.messages import GoToDay, NewPost, SetFilter, ShowCampaign, ShowObservance

Do = str | Callable[[App], object]
"""What an entry does: an action string run on the app, or a function of the app."""
Entry = tuple[str, str, Callable[[], object]]
"""A palette line: title, help text, callback."""

VIEWS = (
    ("month", "Month view", "m"),
    ("week", "Week view", "w"),
    ("quarter", "Quarter view", "q"),
    ("agenda", "Agenda", "g"),
    ("awareness", "Awareness browser", "a"),
    ("campaigns", "Campaigns", "c"),
    ("tags", "Tags", "#"),
    ("results", "Results: what strikes a chord", "R"),
)
"""(mode, title, key): one "Open: ..." entry each."""
CALENDAR_VIEWS = ("month", "week", "quarter", "agenda")


def _calendar_view(app: App) -> str:
    """The calendar view "Go to today" moves: the one shown, else the month."""
    return app.current_mode if app.current_mode in CALENDAR_VIEWS else "month"


def _crisis_update(app: App) -> object:
    """A new post for today, typed as a crisis update and aiming straight at approved."""
    template = Post(
        title="",
        day=app.today,
        status=Status.APPROVED,
        content_type=ContentType.CRISIS_UPDATE,
    )
    return app.post_message(NewPost(app.today, template=template))


CALENDAR_ACTIONS: tuple[tuple[str, str, Do], ...] = (
    (
        "New post",
        "Plan a post on the selected day (n)",
        lambda app: app.post_message(NewPost(app.cursor)),
    ),
    (
        "Go to today",
        "Move the calendar to today (t)",
        lambda app: app.post_message(GoToDay(app.today, _calendar_view(app))),
    ),
    ("Filter", "Search and filter posts, observances and holidays (/)", "filter"),
    ("Clear filter", "Show everything again (esc)", lambda app: app.post_message(SetFilter(""))),
)
"""Moving around the calendar and narrowing what it shows."""
POST_ACTIONS = (
    ("Next post", "Highlight the selected day's next post (tab)", "next_post(1)"),
    (
        "Move post",
        "Move the highlighted post: arrows or a typed date, enter drops (M)",
        "move_post",
    ),
    ("Duplicate post", "Copy the highlighted post into the editor (D)", "duplicate_post"),
)
"""The highlighted post's actions, run on the view; offered only on views that highlight posts."""
APP_ACTIONS: tuple[tuple[str, str, Do], ...] = (
    ("Undo", "Undo the last change made in this session (ctrl+z)", "undo"),
    ("Redo", "Redo the last undone change (ctrl+y)", "redo"),
    ("Export", "Export an iCal feed (x)", "export"),
    ("Sync now", "Send and fetch changes with the team's CalDAV calendar (S)", "sync_now"),
    (
        "Sync conflicts",
        "Pick this calendar's or the server's version, field by field (Y)",
        "sync_conflicts",
    ),
    (
        "Crisis hold…",
        "Take every approved or scheduled post in a window off the calendars",
        "crisis_hold",
    ),
    (
        "New crisis update",
        "A crisis update for today, straight to approved when its checks pass",
        _crisis_update,
    ),
)
"""Changes, exports, sync and the crisis tools; each hold's release follows them."""
HELP = ("Help", "Every key binding (?)", "help")


class CarecalCommands(Provider):
    """carecal's actions and go-to targets for the command palette."""

    def _actions(self) -> list[Entry]:
        """Every entry, in the order the palette lists them."""
        views = tuple(
            (f"Open: {title}", f"Switch to the {title.lower()} ({key})", f"view('{mode}')")
            for mode, title, key in VIEWS
        )
        return [
            *self._entries(views + CALENDAR_ACTIONS),
            *self._post_entries(),
            *self._entries(APP_ACTIONS),
            *self._hold_releases(),
            *self._entries((HELP,)),
        ]

    def _entries(self, table: tuple[tuple[str, str, Do], ...]) -> list[Entry]:
        app = self.app
        return [
            (
                title,
                help_text,
                partial(app.run_action, do) if isinstance(do, str) else partial(do, app),
            )
            for title, help_text, do in table
        ]

    def _post_entries(self) -> list[Entry]:
        view = self.app.screen_stack[0] if self.app.screen_stack else None
        if view is None or not hasattr(view, "action_move_post"):
            return []
        return [
            (title, help_text, partial(view.run_action, action))
            for title, help_text, action in POST_ACTIONS
        ]

    def _hold_releases(self) -> list[Entry]:
        app = self.app
        return [
            (
                f"Release hold #{h.id}",
                f"{h.start} to {h.end} · {h.reason} · put its posts back",
                partial(app.release_crisis_hold, h.id),
            )
            for h in app.active_holds()
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._actions():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        app = self.app
        matcher = self.matcher(query)
        day = parse_goto_date(query, app.today)
        if day is not None:
            yield Hit(
                100,
                f"Go to date {day:%a %d %b %Y}",
                partial(app.post_message, GoToDay(day)),
                help="Show this day in the month view",
            )
        for title, help_text, callback in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        for observance in all_observances(app.db):
            label = f"Go to observance: {observance.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    matcher.highlight(label),
                    partial(app.post_message, ShowObservance(observance.id)),
                    help=f"{observance.kind} · {observance.category} · {' '.join(observance.hashtags)}",
                )
        for campaign in list_campaigns(app.db, include_archived=True):
            label = f"Go to campaign: {campaign.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    matcher.highlight(label),
                    partial(app.post_message, ShowCampaign(campaign.name)),
                    help=campaign.goal or "Campaign",
                )
