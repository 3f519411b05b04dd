"""The merged calendar: posts, observances and public holidays for a date range.

Every screen, CLI listing and export reads from here, so a filter means the
same thing everywhere. Post filters (tag, channel, status, campaign) narrow
posts; observance filters (category, region) narrow observances; text narrows
everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from calendar_data.awareness import occurrences
from calendar_data.checks.marks import marks_for
from calendar_data.models import AgendaItem, Filters, Observance, Occurrence
from calendar_data.observances import Preference, all_observances, preferences
from calendar_data.posts import list_posts
from calendar_data.public_holidays import public_holidays
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings

KINDS = ("posts", "observances", "holidays")
_ORDER = {"holiday": 0, "observance": 1, "post": 2}


def visible_observances(
    observances: Iterable[Observance],
    filters: Filters,
    settings: Settings,
    muted: set[str] | frozenset[str] = frozenset(),
) -> list[Observance]:
    """Observances that pass region, category and text filters and are not muted."""
    regions = set(filters.regions or settings.regions)
    text = filters.text.casefold()
    return [
        o
        for o in observances
        if o.id not in muted
        and (not regions or regions.intersection(o.regions))
        and (not filters.categories or o.category in filters.categories)
        and (not filters.staff or o.staff_recognition)
        and (not text or text in o.name.casefold() or any(text in h.casefold() for h in o.hashtags))
    ]


def observance_occurrences(
    db,
    start: date,
    end: date,
    *,
    filters: Filters = Filters(),
    settings: Settings | None = None,
    include_muted: bool = False,
    prefs: dict[str, Preference] | None = None,
    observances: tuple[Observance, ...] | None = None,
) -> list[Occurrence]:
    """Occurrences overlapping `[start, end]` of the observances the team sees.

    `prefs` and `observances` let a caller that already read them (the agenda, on
    every month switch) pass them in instead of reading them again.
    """
    settings = settings or load_settings(db)
    prefs = preferences(db) if prefs is None else prefs
    observances = all_observances(db) if observances is None else observances
    muted = set() if include_muted else {k for k, p in prefs.items() if p.muted}
    return occurrences(visible_observances(observances, filters, settings, muted), start, end)


def agenda(
    db,
    start: date,
    end: date,
    *,
    filters: Filters = Filters(),
    settings: Settings | None = None,
    include: Iterable[str] = KINDS,
    today: date | None = None,
) -> list[AgendaItem]:
    """Everything on the calendar between `start` and `end` (inclusive), sorted by day.

    `today` is needed only by the needs-attention filter (consent expires relative to it).
    """
    include = set(include)
    unknown = include - set(KINDS)
    if unknown:
        raise ValueError(f"include: unknown kind {sorted(unknown)[0]!r} (use {', '.join(KINDS)})")
    settings = settings or load_settings(db)
    observances = all_observances(db) if "observances" in include or filters.categories else ()
    items: list[AgendaItem] = []
    if "posts" in include:
        items += _post_items(db, start, end, filters, settings, observances, today)
    if "observances" in include:
        items += _observance_items(db, start, end, filters, settings, observances)
    if "holidays" in include and not filters.categories:
        items += _holiday_items(start, end, filters, settings)
    items.sort(key=_sort_key)
    return items


def _post_items(
    db,
    start: date,
    end: date,
    filters: Filters,
    settings: Settings,
    observances: tuple[Observance, ...],
    today: date | None,
) -> list[AgendaItem]:
    """The posts in range that pass the filters, including those that need an observance's
    category or a needs-attention mark."""
    posts = list_posts(db, start, end, filters)
    if filters.categories:
        by_id = {o.id: o for o in observances}
        posts = [
            p
            for p in posts
            if p.observance_id in by_id and by_id[p.observance_id].category in filters.categories
        ]
    if filters.attention:
        if today is None:
            raise ValueError("today: the needs-attention filter needs today's date")
        flagged = marks_for(db, posts, today=today, settings=settings).flagged
        posts = [p for p in posts if p.id in flagged]
    return [AgendaItem("post", p.day, p.day, p.title, post=p) for p in posts]


def _observance_items(
    db,
    start: date,
    end: date,
    filters: Filters,
    settings: Settings,
    observances: tuple[Observance, ...],
) -> list[AgendaItem]:
    """The visible observances' occurrences in range, each marked if the team starred it."""
    prefs = preferences(db)
    starred = {k for k, p in prefs.items() if p.starred}
    found = observance_occurrences(
        db, start, end, filters=filters, settings=settings, prefs=prefs, observances=observances
    )
    return [
        AgendaItem(
            "observance",
            o.start,
            o.end,
            o.observance.name,
            occurrence=o,
            starred=o.observance.id in starred,
        )
        for o in found
    ]


def _holiday_items(
    start: date, end: date, filters: Filters, settings: Settings
) -> list[AgendaItem]:
    """The public holidays in range of the team's country, narrowed by the text filter."""
    text = filters.text.casefold()
    return [
        AgendaItem("holiday", h.day, h.day, h.name, holiday=h)
        for h in public_holidays(settings.country, settings.subdivision, start, end)
        if not text or text in h.name.casefold()
    ]


def _sort_key(item: AgendaItem) -> tuple:
    post_time = item.post.time.isoformat() if item.post and item.post.time else ""
    return (item.start, _ORDER[item.kind], -(item.end - item.start).days, post_time, item.title)


sort_key = _sort_key
"""The agenda's order (day, then holidays, observances, posts), for callers merging agendas."""


def by_day(items: Iterable[AgendaItem], start: date, end: date) -> dict[date, list[AgendaItem]]:
    """Items spread over each day they cover, clipped to `[start, end]`."""
    days: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in items:
        day = max(item.start, start)
        while day <= min(item.end, end):
            days[day].append(item)
            day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Upcoming:
    """An observance occurrence seen from today."""

    occurrence: Occurrence
    days_until: int
    """0 when it has started (an ongoing month counts as today)."""
    starred: bool = False


def upcoming(
    db, today: date, days: int, *, filters: Filters = Filters(), settings: Settings | None = None
) -> list[Upcoming]:
    """Observances running or starting within `days` days from `today`."""
    if days < 0:
        raise ValueError("days: must be zero or more")
    prefs = preferences(db)
    starred = {k for k, p in prefs.items() if p.starred}
    found = observance_occurrences(
        db, today, today + timedelta(days=days), filters=filters, settings=settings, prefs=prefs
    )
    return [Upcoming(o, max(0, (o.start - today).days), o.observance.id in starred) for o in found]


def next_occurrence(observance: Observance, today: date) -> Occurrence | None:
    """The occurrence running today or the next one to start (looking up to two years ahead)."""
    found = occurrences([observance], today, today + timedelta(days=731))
    return found[0] if found else None


def weekly_post_counts(
    db, start: date, end: date, *, filters: Filters = Filters(), first_weekday: int = 6
) -> dict[date, int]:
    """Posts per week (keyed by the week's first day) so planners can spot empty weeks."""
    first = start - timedelta(days=(start.weekday() - first_weekday) % 7)
    counts = {first + timedelta(weeks=i): 0 for i in range((end - first).days // 7 + 1)}
    for post in list_posts(db, start, end, filters):
        week = post.day - timedelta(days=(post.day.weekday() - first_weekday) % 7)
        counts[week] = counts.get(week, 0) + 1
    return counts
