"""Command palette (ctrl+p): every action, plus "go to date", "go to observance", "go to campaign"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from calendar_data.campaigns import list_campaigns
from calendar_data.form_values import parse_goto_date
from calendar_data.models import ContentType, Post, Status
from calendar_data.observances import all_observances
from tui.messages import GoToDay, NewPost, SetFilter, ShowCampaign, ShowObservance


class CarecalCommands(Provider):
    """carecal's actions and go-to targets for the command palette."""

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        post = app.post_message
        views = (("month", "Month view", "m"), ("week", "Week view", "w"), ("quarter", "Quarter view", "q"),
                 ("agenda", "Agenda", "g"), ("awareness", "Awareness browser", "a"), ("campaigns", "Campaigns", "c"),
                 ("tags", "Tags", "#"), ("results", "Results: what strikes a chord", "R"))
        calendar_view = app.current_mode if app.current_mode in ("month", "week", "quarter", "agenda") else "month"
        view = app.screen_stack[0] if app.screen_stack else None
        on_post = [(title, help_text, partial(view.run_action, action)) for title, help_text, action in (
            ("Next post", "Highlight the selected day's next post (tab)", "next_post(1)"),
            ("Move post", "Move the highlighted post: arrows or a typed date, enter drops (M)", "move_post"),
            ("Duplicate post", "Copy the highlighted post into the editor (D)", "duplicate_post"),
        )] if view is not None and hasattr(view, "action_move_post") else []
        return [
            *((f"Open: {title}", f"Switch to the {title.lower()} ({key})",
               partial(app.run_action, f"view('{mode}')")) for mode, title, key in views),
            ("New post", "Plan a post on the selected day (n)", lambda: post(NewPost(app.cursor))),
            ("Go to today", "Move the calendar to today (t)", lambda: post(GoToDay(app.today, calendar_view))),
            ("Filter", "Search and filter posts, observances and holidays (/)", partial(app.run_action, "filter")),
            ("Clear filter", "Show everything again (esc)", lambda: post(SetFilter(""))),
            *on_post,
            ("Undo", "Undo the last change made in this session (ctrl+z)", partial(app.run_action, "undo")),
            ("Redo", "Redo the last undone change (ctrl+y)", partial(app.run_action, "redo")),
            ("Export", "Export an iCal feed (x)", partial(app.run_action, "export")),
            ("Sync now", "Send and fetch changes with the team's CalDAV calendar (S)",
             partial(app.run_action, "sync_now")),
            ("Sync conflicts", "Pick this calendar's or the server's version, field by field (Y)",
             partial(app.run_action, "sync_conflicts")),
            ("Crisis hold…", "Take every approved or scheduled post in a window off the calendars",
             partial(app.run_action, "crisis_hold")),
            ("New crisis update", "A crisis update for today, straight to approved when its checks pass",
             lambda: post(NewPost(app.today, template=Post(title="", day=app.today, status=Status.APPROVED,
                                                           content_type=ContentType.CRISIS_UPDATE)))),
            *((f"Release hold #{h.id}", f"{h.start} to {h.end} · {h.reason} · put its posts back",
               partial(app.release_crisis_hold, h.id)) for h in app.active_holds()),
            ("Help", "Every key binding (?)", partial(app.run_action, "help")),
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._actions():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        app = self.app
        matcher = self.matcher(query)
        day = parse_goto_date(query, app.today)
        if day is not None:
            yield Hit(100, f"Go to date {day:%a %d %b %Y}", partial(app.post_message, GoToDay(day)),
                      help="Show this day in the month view")
        for title, help_text, callback in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        for observance in all_observances(app.db):
            label = f"Go to observance: {observance.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score * 0.9, matcher.highlight(label),
                          partial(app.post_message, ShowObservance(observance.id)),
                          help=f"{observance.kind} · {observance.category} · {' '.join(observance.hashtags)}")
        for campaign in list_campaigns(app.db, include_archived=True):
            label = f"Go to campaign: {campaign.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score * 0.9, matcher.highlight(label), partial(app.post_message,
                                                                         ShowCampaign(campaign.name)),
                          help=campaign.goal or "Campaign")
