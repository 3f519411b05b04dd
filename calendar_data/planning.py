"""What the planning screens compute: month layouts, quarter summaries, observance tables.

These are the calendar questions behind the month grid, the quarter view and the
awareness browser, answered without any screen so they are tested with plain
pytest and reused by the CLI. Nothing here imports Textual.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from calendar_data.agenda import agenda, by_day, next_occurrence, visible_observances
from calendar_data.campaigns import get_campaign, list_campaigns, update_campaign
from calendar_data.models import (
    REGIONS,
    AgendaItem,
    Campaign,
    Filters,
    Kind,
    Observance,
    Occurrence,
    Post,
    Status,
)
from calendar_data.observances import all_observances, preferences
from calendar_data.posts import get_post, list_posts, update_post
from calendar_data.quarters import quarter_bounds
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings

MONTH_WIDE_DAYS = 28
"""An observance this long reads as a month band, not as a bar in every cell."""


# --- the month grid -------------------------------------------------------------------------


def grid_start(day: date, first_weekday: int) -> date:
    """The first day shown for `day`'s month: the start of the week holding the 1st."""
    first = day.replace(day=1)
    return first - timedelta(days=(first.weekday() - first_weekday) % 7)


def weeks_in_grid(day: date, first_weekday: int) -> int:
    """How many week rows `day`'s month needs (4 to 6)."""
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return (last - grid_start(day, first_weekday)).days // 7 + 1


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def is_month_wide(item: AgendaItem) -> bool:
    """Whether an observance lasts a month or more (shown as the month's band)."""
    return (
        item.kind == "observance"
        and item.occurrence is not None
        and (
            item.occurrence.observance.kind is Kind.MONTH
            or (item.end - item.start).days + 1 >= MONTH_WIDE_DAYS
        )
    )


@dataclass(frozen=True)
class CellLine:
    """One line of a day cell: an item, or an empty lane that keeps a band aligned."""

    item: AgendaItem | None
    band: bool = False
    """Part of a multi-day observance drawn as a bar across the week."""
    label: bool = True
    """Write the title here (the span's first day, or the first day of a week row)."""


@dataclass(frozen=True)
class MonthLayout:
    """What the month grid draws: its days, the month's band and each cell's lines."""

    month: date
    days: tuple[date, ...]
    weeks: int
    band: tuple[AgendaItem, ...]
    cells: dict[date, tuple[CellLine, ...]]
    items: dict[date, list[AgendaItem]]

    def posts_on(self, day: date) -> list[Post]:
        """The posts dated `day`, in agenda order."""
        return [i.post for i in self.items.get(day, []) if i.kind == "post" and i.post is not None]


def month_layout(items: list[AgendaItem], month: date, first_weekday: int) -> MonthLayout:
    """Lay the agenda of the grid's six weeks out as cells, with bands in stable lanes."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = grid_start(first, first_weekday)
    days = tuple(start + timedelta(days=i) for i in range(42))
    spread = by_day(items, days[0], days[-1])
    band = tuple(i for i in items if is_month_wide(i) and i.start <= last and i.end >= first)
    cells: dict[date, tuple[CellLine, ...]] = {}
    for week in range(6):
        week_days = days[week * 7 : (week + 1) * 7]
        lanes = _lanes(spread, week_days)
        for day in week_days:
            lines: list[CellLine] = []
            for lane in lanes:
                item = lane.get(day)
                lines.append(
                    CellLine(
                        item,
                        band=True,
                        label=item is not None and (day == item.start or day == week_days[0]),
                    )
                )
            while lines and lines[-1].item is None:
                lines.pop()
            singles = [i for i in spread.get(day, []) if not is_month_wide(i) and not _is_bar(i)]
            lines += [CellLine(i) for i in sorted(singles, key=_single_order)]
            cells[day] = tuple(lines)
    return MonthLayout(first, days, weeks_in_grid(first, first_weekday), band, cells, dict(spread))


def _is_bar(item: AgendaItem) -> bool:
    return item.kind == "observance" and item.end > item.start and not is_month_wide(item)


def _single_order(item: AgendaItem) -> tuple:
    order = {"holiday": 0, "observance": 1, "post": 2}[item.kind]
    when = item.post.time.isoformat() if item.post and item.post.time else ""
    return (order, when, item.title)  # the day panel's order too, so tab walks both alike


def _lanes(
    spread: dict[date, list[AgendaItem]], week_days: tuple[date, ...]
) -> list[dict[date, AgendaItem]]:
    """Bars of one week row, each in the first lane free for its days."""
    bars: dict[int, AgendaItem] = {}
    for day in week_days:
        for item in spread.get(day, []):
            if _is_bar(item):
                bars.setdefault(id(item), item)
    lanes: list[dict[date, AgendaItem]] = []
    for item in sorted(bars.values(), key=lambda i: (i.start, i.start - i.end, i.title)):
        covered = [d for d in week_days if item.covers(d)]
        for lane in lanes:
            if not any(d in lane for d in covered):
                break
        else:
            lane = {}
            lanes.append(lane)
        lane.update({d: item for d in covered})
    return lanes


# --- the quarter ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterSummary:
    """A quarter at a glance: posts per day and week, campaigns, observances, holidays."""

    year: int
    quarter: int
    start: date
    end: date
    weeks: tuple[date, ...]
    """The first day of each week column (the first may fall in the previous quarter)."""
    day_counts: dict[date, int]
    week_counts: dict[date, int]
    """Posts per week, counting only the quarter's own days."""
    campaigns: tuple[Campaign, ...]
    observances: tuple[AgendaItem, ...]
    holidays: tuple[AgendaItem, ...]

    @property
    def label(self) -> str:
        """e.g. 'Q4 2026'."""
        return f"Q{self.quarter} {self.year}"

    @property
    def total_posts(self) -> int:
        """Posts dated in the quarter."""
        return sum(self.day_counts.values())

    @property
    def empty_weeks(self) -> tuple[date, ...]:
        """Weeks with no planned post: the gaps a planner fills first."""
        return tuple(w for w in self.weeks if not self.week_counts.get(w))


def quarter_summary(
    db,
    year: int,
    quarter: int,
    *,
    filters: Filters = Filters(),
    settings: Settings | None = None,
    today: date | None = None,
) -> QuarterSummary:
    """Count, bar and list everything in a quarter for the quarter view."""
    settings = settings or load_settings(db)
    start, end = quarter_bounds(year, quarter)
    first_week = start - timedelta(days=(start.weekday() - settings.first_weekday) % 7)
    weeks = tuple(first_week + timedelta(weeks=i) for i in range((end - first_week).days // 7 + 1))
    items = agenda(db, start, end, filters=filters, settings=settings, today=today)
    day_counts: dict[date, int] = defaultdict(int)
    week_counts = {w: 0 for w in weeks}
    for item in items:
        if item.kind == "post":
            day_counts[item.start] += 1
            week_counts[first_week + timedelta(weeks=(item.start - first_week).days // 7)] += 1
    campaigns = tuple(
        c
        for c in list_campaigns(db)
        if c.start
        and c.end
        and c.start <= end
        and c.end >= start
        and (not filters.campaign or c.name.casefold() == filters.campaign.casefold())
    )
    starred_first = sorted(
        (i for i in items if i.kind == "observance"),
        key=lambda i: (not i.starred, i.start, i.title),
    )
    return QuarterSummary(
        year,
        quarter,
        start,
        end,
        weeks,
        dict(day_counts),
        week_counts,
        campaigns,
        tuple(starred_first),
        tuple(i for i in items if i.kind == "holiday"),
    )


# --- the awareness browser ------------------------------------------------------------------


@dataclass(frozen=True)
class ObservanceRow:
    """One row of the awareness browser."""

    observance: Observance
    next: Occurrence | None
    days_until: int | None
    """0 while it runs; None when it does not occur in the next two years."""
    starred: bool = False
    muted: bool = False


def observance_rows(
    db,
    today: date,
    *,
    text: str = "",
    category: str | None = None,
    region: str | None = None,
    month: int | None = None,
    staff: bool = False,
    settings: Settings | None = None,
) -> list[ObservanceRow]:
    """Every observance with its next date, soonest first; muted ones are kept (to unmute).

    `region` None means the team's regions; "*" means every region; `staff` keeps only the staff
    and service recognition weeks and days.
    """
    settings = settings or load_settings(db)
    regions = () if not region else (REGIONS if region == "*" else (region,))
    filters = Filters(
        text="", categories=(category,) if category else (), regions=regions, staff=staff
    )
    chosen = visible_observances(all_observances(db), filters, settings)
    needle = text.strip().casefold()
    prefs = preferences(db)
    rows = []
    for observance in chosen:
        if needle and not any(
            needle in s.casefold()
            for s in (observance.name, observance.id, observance.organisation, *observance.hashtags)
        ):
            continue
        occurrence = next_occurrence(observance, today)
        if month and not (occurrence and _touches_month(occurrence, month)):
            continue
        pref = prefs.get(observance.id)
        rows.append(
            ObservanceRow(
                observance,
                occurrence,
                max(0, (occurrence.start - today).days) if occurrence else None,
                starred=bool(pref and pref.starred),
                muted=bool(pref and pref.muted),
            )
        )
    rows.sort(
        key=lambda r: (
            r.days_until is None,
            r.days_until or 0,
            r.next.start if r.next else today,
            r.observance.name,
        )
    )
    return rows


def _touches_month(occurrence: Occurrence, month: int) -> bool:
    day = occurrence.start
    while day <= occurrence.end:
        if day.month == month:
            return True
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return False


def plan_post(
    observance: Observance,
    occurrence: Occurrence | None,
    today: date,
    settings: Settings | None = None,
) -> Post:
    """An unsaved idea for an observance: its date (today if running), hashtags and link."""
    day = max(occurrence.start, today) if occurrence else today
    org = settings.org_hashtags if settings else ()
    hashtags = tuple(dict.fromkeys((*observance.hashtags, *org)))
    return Post(
        title=observance.name,
        day=day,
        hashtags=hashtags,
        observance_id=observance.id,
        status=Status.IDEA,
        sources=(observance.source,) if observance.source else (),
    )


# --- campaigns ------------------------------------------------------------------------------


def set_campaign_archived(
    db, name: str, archived: bool, *, who: str | None = None, now: datetime | None = None
) -> Campaign:
    """Archive a finished campaign (or bring it back); its posts keep their link."""
    return update_campaign(db, replace(get_campaign(db, name), archived=archived), who=who, now=now)


def assign_posts(
    db,
    campaign: str,
    post_ids: set[int] | frozenset[int],
    *,
    who: str | None = None,
    now: datetime | None = None,
) -> int:
    """Make exactly `post_ids` the campaign's posts, in one transaction; returns posts changed."""
    name = get_campaign(db, campaign).name
    current = {p.id for p in list_posts(db, filters=Filters(campaign=name)) if p.id is not None}
    changed = 0
    with db.atomic():
        for post_id in sorted(current - set(post_ids)):
            update_post(db, replace(get_post(db, post_id), campaign=None), who=who, now=now)
            changed += 1
        for post_id in sorted(set(post_ids) - current):
            update_post(db, replace(get_post(db, post_id), campaign=name), who=who, now=now)
            changed += 1
    return changed


def assignable_posts(db, campaign: Campaign, *, margin_days: int = 30) -> list[Post]:
    """Posts a campaign could take: those around its dates, plus those already in it."""
    if campaign.start and campaign.end:
        posts = list_posts(
            db,
            campaign.start - timedelta(days=margin_days),
            campaign.end + timedelta(days=margin_days),
        )
    else:
        posts = list_posts(db)
    inside = list_posts(db, filters=Filters(campaign=campaign.name)) if campaign.id else []
    merged = {p.id: p for p in posts + inside}
    return sorted(merged.values(), key=lambda p: (p.day, p.time or time(0), p.id))
