"""The VEVENT each agenda item becomes in an export: a post, an observance or a public holiday.

Kept apart from the file around them (`ical.export`) because each event follows rules of its own
(DESIGN.md "iCal export", Outlook's [MS-OXCICAL]): observances and holidays are all-day
`VALUE=DATE` events with an exclusive DTEND; a timed post carries its zone's TZID, or UTC where
Outlook cannot hold the zone or the time occurs twice; every event has DTEND, a stable UID under
200 bytes and at most one VALARM; categories hold no commas or semicolons; a post held back for
compliance review keeps its slot but not its copy; private notes and consent never leave.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Event

from calendar_data.checks.holdback import held_title
from calendar_data.holds import HoldMark
from calendar_data.ical.descriptions import held_description, post_description
from calendar_data.ical.timezones import is_utc
from calendar_data.models import Holiday, Occurrence, Post, Status
from calendar_data.times import instant, is_ambiguous

POST_MINUTES = 15
"""A post is an instant; it shows as a short block so calendars draw it (unless it holds a duration)."""
MAX_UID_BYTES = 199
UID_DOMAIN = "carecal"
KIND_CATEGORY = {"post": "Social post", "observance": "Awareness", "holiday": "Public holiday"}
_TENTATIVE = {Status.IDEA, Status.DRAFT, Status.REVIEW}
_CANCELLED = {Status.REJECTED, Status.ARCHIVED}


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC to the second (a naive moment is read as UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC, microsecond=0)
    return moment.astimezone(UTC).replace(microsecond=0)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text as iCalendar allows it: LF line breaks, no control characters (tabs stay)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_category(text: str) -> str:
    """A category name Outlook keeps intact: no commas or semicolons, single spaces."""
    return " ".join(re.sub(r"[,;\\]", " ", clean_text(text)).split())[:60]


def _categories(*names: str) -> list[str]:
    seen: dict[str, str] = {}
    for raw in names:
        name = clean_category(raw)
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def cap_uid(uid: str) -> str:
    """`uid` if it fits Outlook's limit, else a stable shortened form with a hash."""
    if len(uid.encode()) <= MAX_UID_BYTES:
        return uid
    digest = hashlib.sha256(uid.encode()).hexdigest()[:24]
    return f"{uid.encode()[:120].decode(errors='ignore')}-{digest}@{UID_DOMAIN}"


def post_uid(post: Post, namespace: str, external: str | None = None) -> str:
    """The post's UID: the one it was imported with, else `post-ID-NAMESPACE@carecal`."""
    if external and len(external.encode()) <= MAX_UID_BYTES:
        return external
    return f"post-{post.id}-{namespace}@{UID_DOMAIN}"


def _base(uid: str, summary: str, stamp: datetime, kind: str) -> Event:
    event = Event()
    event.add("uid", cap_uid(uid))
    event.add("dtstamp", stamp)
    event.add("summary", clean_text(summary))
    event.add("class", "PUBLIC")
    event.add("transp", "TRANSPARENT")
    event.add("x-microsoft-cdo-busystatus", "FREE")
    event.add("x-carecal-kind", kind)
    return event


def _all_day(event: Event, start: date, end_inclusive: date) -> None:
    event.add("dtstart", start)
    event.add("dtend", end_inclusive + timedelta(days=1))
    event.add("x-microsoft-cdo-alldayevent", "TRUE")


def post_event(
    post: Post,
    zone: str,
    stamp: datetime,
    namespace: str,
    external: str | None,
    *,
    in_utc: bool = False,
    held: bool = False,
    mark: HoldMark | None = None,
    owner: str = "name",
) -> Event:
    event = _base(
        post_uid(post, namespace, external), held_title(post) if held else post.title, stamp, "post"
    )
    if post.time:
        tz = UTC if is_utc(zone) else ZoneInfo(zone)
        start = datetime.combine(post.day, time(post.time.hour, post.time.minute), tzinfo=tz)
        if not is_utc(zone) and (in_utc or is_ambiguous(post.day, post.time, zone)):
            start = instant(
                post.day, post.time, zone
            )  # UTC: Outlook cannot hold the zone, or a twice-occurring time
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=post.duration_minutes or POST_MINUTES))
    else:
        _all_day(
            event,
            post.day,
            post.day + timedelta(days=max(1, (post.duration_minutes or 0) // 1440) - 1),
        )
    changed = post.content_changed_at or post.updated_at
    if changed:
        event.add("last-modified", as_utc(changed))
    if post.created_at:
        event.add("created", as_utc(post.created_at))
    event.add("sequence", post.ical_sequence + (mark.bump if mark else 0))
    on_hold = mark is not None and mark.held_by is not None
    event.add(
        "status",
        "CANCELLED"
        if post.status in _CANCELLED or on_hold
        else "TENTATIVE"
        if post.status in _TENTATIVE
        else "CONFIRMED",
    )
    if mark is not None and mark.held_by is not None:
        event.add("x-carecal-hold", str(mark.held_by))
    if held:
        event.add("x-carecal-held", "TRUE")
        event.add("description", clean_text(held_description(post)))
        event.add("categories", _categories(KIND_CATEGORY["post"]))
        return event
    event.add("description", clean_text(post_description(post, owner=owner)))
    event.add("categories", _categories(KIND_CATEGORY["post"], *post.tags))
    return event


def observance_event(
    occurrence: Occurrence, stamp: datetime, alarm_days: int | None, seen: Counter[str]
) -> Event:
    obs = occurrence.observance
    key = f"obs-{obs.id}-{occurrence.start.year}"
    seen[key] += 1
    uid = f"{key}@{UID_DOMAIN}" if seen[key] == 1 else f"{key}-{seen[key]}@{UID_DOMAIN}"
    event = _base(uid, obs.name, stamp, "observance")
    _all_day(event, occurrence.start, occurrence.end)
    if obs.last_verified:
        event.add("last-modified", datetime.combine(obs.last_verified, time(0), tzinfo=UTC))
    event.add("sequence", 0)
    lines = [
        ("Hashtags", " ".join(obs.hashtags)),
        ("Kind", str(obs.kind)),
        ("Category", obs.category),
        ("Regions", ", ".join(obs.regions)),
        ("Organisation", obs.organisation),
        ("Source", obs.source),
        ("Toolkit", obs.toolkit),
        ("Note", obs.note),
    ]
    event.add("description", clean_text("\n".join(f"{k}: {v}" for k, v in lines if v)))
    if obs.source:
        event.add("url", obs.source)
    event.add("categories", _categories(KIND_CATEGORY["observance"], obs.category))
    if alarm_days is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Prepare content: {obs.name} starts in {alarm_days} days")
        alarm.add("trigger", timedelta(days=-alarm_days))
        event.add_component(alarm)
    return event


def holiday_event(holiday: Holiday, stamp: datetime) -> Event:
    uid = f"holiday-{holiday.country.lower()}-{holiday.day:%Y%m%d}@{UID_DOMAIN}"
    event = _base(uid, holiday.name, stamp, "holiday")
    _all_day(event, holiday.day, holiday.day)
    event.add("sequence", 0)
    event.add("description", f"Public holiday ({holiday.country})")
    event.add("categories", _categories(KIND_CATEGORY["holiday"]))
    return event
