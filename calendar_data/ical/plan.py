"""What an .ics import changes: events mapped onto posts or observances, then written at once.

`plan_import` reads the file (`parse.read_events`) and compares each event
with what the calendar holds, matched by UID (the `external_uid` stored at the
first import, or carecal's own `post-ID-NAMESPACE@carecal` UIDs), so importing
the same file twice changes nothing and an edited file updates in place.
An event keeps its length (`Post.duration_minutes`) and, from carecal's own
files, its status (rejected and archived too), campaign (created when this
calendar lacks it) and SEQUENCE, so export -> import -> export into a fresh
calendar gives the same file. What a post cannot hold (LOCATION, reminders,
the zone a time was written in) is counted in `ImportPlan.dropped`.
`apply_import` writes the whole plan in one transaction; `--dry-run` stops at
the plan. Which fields an event gives is `event_fields`; what they do to posts
is `import_posts`, to observances `import_observances`. Nothing here imports
icalendar.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from calendar_data.campaigns import add_campaign, list_campaigns
from calendar_data.errors import PostError
from calendar_data.ical.changes import Change, ImportPlan
from calendar_data.ical.event_fields import is_own
from calendar_data.ical.export import uid_namespace
from calendar_data.ical.import_observances import plan_observances, write_observance
from calendar_data.ical.import_posts import Gate, add_planned_posts, plan_posts, write_post
from calendar_data.ical.parse import IcsEvent, read_events
from calendar_data.ical.scan import IcsError
from calendar_data.models import Campaign
from calendar_data.settings import Settings
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings

__all__ = ["Change", "ImportPlan", "apply_import", "default_window", "import_ics", "plan_import"]

IMPORT_AS = ("posts", "observances")
"""What an imported calendar's events can become: planned posts, or the team's own observances."""


def default_window(today: date) -> tuple[date, date]:
    """Repeating events expand from a year back to two years ahead."""
    return today - timedelta(days=366), today + timedelta(days=731)


def plan_import(
    db,
    data: bytes,
    *,
    as_: str = "posts",
    where: str = "file",
    today: date,
    settings: Settings | None = None,
    window: tuple[date, date] | None = None,
    who: str | None = None,
    now: datetime | None = None,
) -> ImportPlan:
    """Read an .ics file and work out what importing it would change (nothing is written).

    Each post the file has at approved or later is put to the approval gate now
    (as `who`, at `now`), so a dry run shows the same verdicts the import applies.
    """
    if as_ not in IMPORT_AS:
        raise ValueError(f"as: {as_!r} is not posts or observances")
    settings = settings or load_settings(db)
    window = window or default_window(today)
    if window[1] < window[0]:
        raise ValueError(f"to: {window[1]} is before from {window[0]}")
    read = read_events(data, where=where, zone=settings.timezone, window=window)
    plan = ImportPlan(as_, where, warnings=list(read.warnings))
    skipped: Counter[str] = Counter()
    events = []
    for event in read.events:
        if event.status == "CANCELLED" and not (as_ == "posts" and is_own(event)):
            skipped["cancelled"] += 1
        elif as_ == "posts" and event.carecal_kind in ("observance", "holiday"):
            skipped[f"carecal {event.carecal_kind}"] += 1
        else:
            events.append(event)
    for reason, count in sorted(skipped.items()):
        plan.warnings.append(f"{where}: {count} {reason} event{'s' if count > 1 else ''} skipped")
    if as_ == "posts":
        plan_posts(db, events, plan, where, Gate(today, who, now, settings))
    else:
        plan_observances(db, events, plan, where)
    _count_dropped(plan, events, settings.timezone)
    return plan


def _count_dropped(plan: ImportPlan, events: list[IcsEvent], zone: str) -> None:
    """Count what the added or updated events held that a post or observance cannot keep."""
    written = {c.uid for c in plan.changes if c.action != "same"}
    for event in events:
        if event.uid not in written and event.base_uid not in written:
            continue
        if event.location:
            plan.dropped["LOCATION"] += 1
        if event.alarms:
            plan.dropped["reminders (VALARM)"] += 1
        if event.zone and event.zone not in (zone, "UTC"):
            plan.dropped[f"time zone {event.zone} (times converted to {zone})"] += 1


# --- writing -------------------------------------------------------------------------------


def apply_import(
    db,
    plan: ImportPlan,
    *,
    who: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> ImportPlan:
    """Write the plan in one transaction: all of it lands, or (on any error) none of it."""
    where = plan.where
    stamp = now or utcnow()
    namespace = uid_namespace(db)
    with db.atomic():
        for name in plan.new_campaigns:
            if not any(
                c.name.casefold() == name.casefold()
                for c in list_campaigns(db, include_archived=True)
            ):
                add_campaign(db, Campaign(name=name), who=who)
        new_posts = [c for c in plan.changes if c.action == "add" and c.observance is None]
        add_planned_posts(db, new_posts, plan, where, who=who, now=stamp, today=today)
        for change in plan.changes:
            if change.action == "same" or (change.action == "add" and change.observance is None):
                continue
            try:
                if change.observance is not None:
                    write_observance(db, change, who=who, now=stamp)
                else:
                    write_post(db, change, plan, where, namespace, who=who, now=stamp, today=today)
            except PostError as exc:
                raise IcsError(f"{where}:{change.line}: {change.label[:60]!r}: {exc}") from None
    plan.applied = True
    return plan


def import_ics(
    db,
    data: bytes,
    *,
    as_: str = "posts",
    where: str = "file",
    today: date,
    dry_run: bool = False,
    who: str | None = None,
    now: datetime | None = None,
    window: tuple[date, date] | None = None,
) -> ImportPlan:
    """Plan an import and, unless `dry_run`, apply it."""
    plan = plan_import(db, data, as_=as_, where=where, today=today, window=window, who=who, now=now)
    return plan if dry_run else apply_import(db, plan, who=who, now=now, today=today)
