"""What an export holds: the dates, the kinds of item, and how filters combine.

Filters narrow their own kind only (docs/outlook.md "Filters"): post filters (`--tag`, `--channel`,
`--status`, `--campaign`) choose posts, observance filters (`--category`, `--region`) choose observances,
and `--search` applies to every kind. So `--tag cardiology --category cardiovascular` gives the
cardiology posts *and* the cardiovascular observances, with the holidays, instead of nothing. The TUI's
filter bar keeps the agenda's own rule (a category there also narrows posts to that category's days).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from calendar_data.agenda import KINDS, agenda, sort_key
from calendar_data.campaigns import list_campaigns
from calendar_data.ical.timezones import MAX_YEAR, MIN_YEAR, is_utc, onsets, outlook_can_express
from calendar_data.models import AgendaItem, Filters
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings

MAX_DAYS = 3700
"""Ten years and a little: a wider export is almost certainly a typo."""


@dataclass(frozen=True)
class ExportSpec:
    """What an export holds: a date range, the kinds of item, filters and reminders."""

    start: date
    end: date
    include: tuple[str, ...] = KINDS
    filters: Filters = field(default_factory=Filters)
    alarm_days: int | None = None
    """Add a reminder this many days before each observance (lead time to prepare content)."""
    name: str = "carecal"
    """The calendar's display name (X-WR-CALNAME)."""
    include_blocked: bool = False
    """Export posts with blocking compliance findings whole (by default their copy is held back)."""

    def validated(self) -> ExportSpec:
        """Self with tidy values; ValueError naming the bad one."""
        if self.end < self.start:
            raise ValueError(f"to: {self.end} is before from {self.start}")
        for label, day in (("from", self.start), ("to", self.end)):
            if not MIN_YEAR <= day.year <= MAX_YEAR:
                raise ValueError(
                    f"{label}: {day} is outside the years {MIN_YEAR}-{MAX_YEAR} that Outlook accepts"
                )
        if (self.end - self.start).days > MAX_DAYS:
            raise ValueError(f"range: {self.start} to {self.end} is longer than ten years")
        include = tuple(k for k in KINDS if k in set(self.include))
        unknown = set(self.include) - set(KINDS)
        if unknown:
            raise ValueError(
                f"include: unknown kind {sorted(unknown)[0]!r} (use {', '.join(KINDS)})"
            )
        if not include:
            raise ValueError(f"include: choose at least one of {', '.join(KINDS)}")
        if self.alarm_days is not None and not 0 <= self.alarm_days <= 365:
            raise ValueError(f"alarm-days: {self.alarm_days} is not 0 to 365")
        name = " ".join(self.name.split()) or "carecal"
        return replace(self, include=include, name=name[:120])


def export_items(db, spec: ExportSpec, *, settings: Settings | None = None) -> list[AgendaItem]:
    """The agenda items an export of `spec` holds, in agenda order."""
    spec = spec.validated()
    f = spec.filters
    by_kind = {
        "posts": Filters(
            text=f.text,
            tags=f.tags,
            channels=f.channels,
            statuses=f.statuses,
            campaign=f.campaign,
            attention=f.attention,
        ),
        "observances": Filters(text=f.text, categories=f.categories, regions=f.regions),
        "holidays": Filters(text=f.text),
    }
    found: list[AgendaItem] = []
    for kind in spec.include:
        found += agenda(
            db, spec.start, spec.end, filters=by_kind[kind], settings=settings, include=(kind,)
        )
    return sorted(found, key=sort_key)


def count_events(db, spec: ExportSpec, *, settings: Settings | None = None) -> int:
    """How many events the file for `spec` would hold (the export dialog's live count)."""
    return len(export_items(db, spec, settings=settings))


def export_notes(db, spec: ExportSpec, *, settings: Settings | None = None) -> list[str]:
    """What a user should know about an export before trusting it: a filter naming nothing that exists,
    or post times written in UTC because Outlook cannot hold the zone's rules for these years."""
    spec = spec.validated()
    notes = []
    campaign = spec.filters.campaign
    if campaign and campaign.casefold() not in {
        c.name.casefold() for c in list_campaigns(db, include_archived=True)
    }:
        notes.append(
            f"campaign: no campaign named {campaign!r}; the file holds no posts (see carecal campaigns)"
        )
    zone = (settings or load_settings(db)).timezone
    if "posts" in spec.include and utc_times(zone, export_items(db, spec, settings=settings)):
        notes.append(
            f"time zone {zone}: its daylight-saving rules for these years are more than Outlook's "
            "yearly rules can hold; post times are written in UTC (they show correctly everywhere)"
        )
    return notes


def utc_times(zone: str, items: list[AgendaItem]) -> bool:
    """Whether an export of `items` writes post times in UTC: the team's zone is UTC, or its rules over
    the posts' years are ones Outlook cannot apply (see `timezones.outlook_can_express`)."""
    timed = [i.post.day for i in items if i.post and i.post.time]
    if is_utc(zone) or not timed:
        return is_utc(zone)
    return not outlook_can_express(onsets(zone, min(timed).year, max(timed).year))
