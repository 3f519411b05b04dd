"""The agenda as an iCalendar file that Outlook, Google and Apple calendars import cleanly.

One function family serves the CLI (`carecal export`), the TUI's export dialog,
saved feeds and the subscription server, so the same scope always yields the
same bytes. Exports take `now` (DTSTAMP) and read no clock: with a fixed `now`
the output is deterministic, which the golden-file tests hold byte for byte.

Rules (DESIGN.md "iCal export", plus Outlook's [MS-OXCICAL]/[MS-STANOICAL]):
observances and holidays are all-day `VALUE=DATE` events with an exclusive
DTEND; timed posts carry TZID with an RRULE-based VTIMEZONE (`ics_timezones`);
every event has DTEND, a stable UID under 200 bytes and at most one VALARM;
categories hold no commas or semicolons; private notes and consent never leave.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from calendar_data.checks.holdback import HoldBackReport, held_title, hold_back
from calendar_data.holds import HoldMark, hold_marks
from calendar_data.ical.descriptions import FOOTER_KEYS, held_description, post_description  # noqa: F401 (FOOTER_KEYS: sync.vevent)
from calendar_data.ical.export_scope import (
    MAX_DAYS,
    ExportSpec,
    count_events,
    export_items,
    export_notes,
)
from calendar_data.ical.timezones import Onset, is_utc, onsets, outlook_can_express
from calendar_data.models import AgendaItem, Holiday, Occurrence, Post, Status
from calendar_data.settings import Settings
from calendar_data.storage.outputs import check_output
from calendar_data.storage.settings_table import load_settings
from calendar_data.times import instant, is_ambiguous

__all__ = [
    "MAX_DAYS",
    "ExportResult",
    "ExportSpec",
    "calendar_bytes",
    "count_events",
    "export_bytes",
    "export_items",
    "export_notes",
    "write_atomic",
    "write_export",
]

PRODID = "-//carecal//carecal calendar export//EN"
"""No version in it: golden files and subscribers' caches stay put across releases."""
POST_MINUTES = 15
"""A post is an instant; it shows as a short block so calendars draw it (unless it holds a duration)."""
MAX_UID_BYTES = 199
UID_DOMAIN = "carecal"
REFRESH = timedelta(hours=1)
KIND_CATEGORY = {"post": "Social post", "observance": "Awareness", "holiday": "Public holiday"}
_TENTATIVE = {Status.IDEA, Status.DRAFT, Status.REVIEW}
_CANCELLED = {Status.REJECTED, Status.ARCHIVED}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    events: int
    size: int
    held: HoldBackReport = field(default_factory=HoldBackReport)
    """Posts written without their copy (or, with include_blocked, with it despite blocking findings)."""
    on_hold: int = 0
    """Posts written as cancelled because a crisis hold is active."""


def uid_namespace(db) -> str:
    """This calendar's random UID namespace (so two calendars' post 12s never collide)."""
    row = db.execute("SELECT value FROM calendar_meta WHERE key = 'uid_namespace'").fetchone()
    return row[0] if row else "0"


def export_preview(
    db, spec: ExportSpec, *, today: date, settings=None
) -> tuple[int, HoldBackReport]:
    """How many events the file would hold, and what it would hold back (the export dialog's live line)."""
    items = export_items(db, spec, settings=settings)
    posts = [i.post for i in items if i.post is not None]
    return len(items), hold_back(
        db, posts, today=today, include_blocked=spec.include_blocked, settings=settings
    )


def export_bytes(
    db,
    spec: ExportSpec,
    *,
    now: datetime,
    settings: Settings | None = None,
    today: date | None = None,
) -> bytes:
    """The iCalendar file for `spec`, as bytes (CRLF, folded at 75 octets)."""
    return render_export(db, spec, now=now, settings=settings, today=today)[0]


def render_export(
    db,
    spec: ExportSpec,
    *,
    now: datetime,
    settings: Settings | None = None,
    today: date | None = None,
) -> tuple[bytes, HoldBackReport, int]:
    """The file, what was held back for compliance review (checked as of `today`: default `now`'s local day),
    and how many posts a crisis hold cancels."""
    spec = spec.validated()
    settings = settings or load_settings(db)
    items = export_items(db, spec, settings=settings)
    posts = [i.post for i in items if i.post is not None]
    today = today or _utc(now).astimezone(ZoneInfo(settings.timezone)).date()
    report = hold_back(
        db, posts, today=today, include_blocked=spec.include_blocked, settings=settings
    )
    marks = hold_marks(db, posts)
    data = calendar_bytes(
        items,
        settings=settings,
        name=spec.name,
        now=now,
        alarm_days=spec.alarm_days,
        namespace=uid_namespace(db),
        external_uids=_external_uids(db, items),
        description=f"{spec.start.isoformat()} to {spec.end.isoformat()}",
        held_back=report.ids,
        holds=marks,
    )
    return data, report, sum(1 for m in marks.values() if m.held_by is not None)


def write_export(
    db,
    spec: ExportSpec,
    path: str | os.PathLike,
    *,
    now: datetime,
    settings: Settings | None = None,
    today: date | None = None,
) -> ExportResult:
    """Write the file for `spec` to `path` atomically (a reader never sees half a file)."""
    target = check_output(db, path)
    data, report, on_hold = render_export(db, spec, now=now, settings=settings, today=today)
    write_atomic(target, data)
    return ExportResult(target, data.count(b"BEGIN:VEVENT\r\n"), len(data), report, on_hold)


FILE_MODE = 0o600
"""Exports and feed files are the team's internal plan: readable by their owner only. Sharing one is a
deliberate act (copy it, or chmod it); `feeds build` writes it 0600 again each time."""


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` via a temporary file in the same folder; the result is 0600.

    The temporary file is created 0600 (mkstemp) and set so again on its descriptor before any byte is
    written, so the plan is never readable by others, not even for a moment; `os.replace` renames that
    inode, so the mode it lands with is the temporary file's, whatever mode an older file had.
    """
    if target.is_dir():
        raise IsADirectoryError(f"{target}: is a folder; give a file name such as plan.ics")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder (create it first)")
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            if hasattr(os, "fchmod"):  # POSIX; mkstemp already made it owner-only
                os.fchmod(out.fileno(), FILE_MODE)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _external_uids(db, items: list[AgendaItem]) -> dict[int, str]:
    ids = [i.post.id for i in items if i.post and i.post.id is not None]
    if not ids:
        return {}
    found: dict[int, str] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        rows = db.execute(
            f"SELECT id, external_uid FROM posts WHERE external_uid IS NOT NULL AND id IN "  # column names from code, values bound  # nosec B608
            f"({', '.join('?' * len(part))})",
            part,
        ).fetchall()
        found.update({r[0]: r[1] for r in rows})
    return found


def calendar_bytes(
    items: Iterable[AgendaItem],
    *,
    settings: Settings,
    name: str,
    now: datetime,
    alarm_days: int | None = None,
    namespace: str = "0",
    external_uids: dict[int, str] | None = None,
    description: str = "",
    held_back: frozenset[int] = frozenset(),
    holds: dict[int, HoldMark] | None = None,
) -> bytes:
    """Serialise agenda items as one VCALENDAR (the pure core of every export).

    Posts in `held_back` keep their slot but not their copy; posts an active hold
    holds (`holds`) are cancelled, their SEQUENCE moved by the hold's bump.
    """
    stamp = _utc(now)
    items = list(items)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if description:
        cal.add("x-wr-caldesc", f"{name}: {description}")
    cal.add("x-wr-timezone", settings.timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    zone = settings.timezone
    timed = [i.post.day for i in items if i.post and i.post.time]
    in_utc = is_utc(zone)
    if timed and not in_utc:
        found = onsets(zone, min(timed).year, max(timed).year)
        in_utc = not outlook_can_express(found)
        if not in_utc:
            cal.add_component(_vtimezone(zone, found))
    # Each event is built, serialised and dropped in turn: one Calendar holding every Event object
    # (each a dict of property objects) peaked at gigabytes for a few years of a big calendar. The
    # bytes are the same: a VCALENDAR's text is its own lines, then each component's, then its END.
    head = cal.to_ical()
    closing = b"END:VCALENDAR\r\n"
    parts = [head[: -len(closing)]]
    seen: Counter[str] = Counter()
    uids = external_uids or {}
    for item in items:
        if item.post is not None:
            uid = uids.get(item.post.id) if item.post.id is not None else None
            event = _post_event(
                item.post,
                zone,
                stamp,
                namespace,
                uid,
                in_utc=in_utc,
                held=item.post.id in held_back,
                mark=(holds or {}).get(item.post.id) if item.post.id is not None else None,
                owner=settings.export_owner,
            )
        elif item.occurrence is not None:
            event = _observance_event(item.occurrence, stamp, alarm_days, seen)
        elif item.holiday is not None:
            event = _holiday_event(item.holiday, stamp)
        else:
            raise ValueError(
                f"agenda item {item.title!r} is neither a post, an observance nor a holiday"
            )
        parts.append(event.to_ical())
    parts.append(closing)
    return b"".join(parts)


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for `tzid` written with yearly RRULEs (never RDATE lists)."""
    return _vtimezone(tzid, onsets(tzid, first_year, last_year))


def _vtimezone(tzid: str, found: list[Onset]) -> Timezone:
    component = Timezone()
    component.add("tzid", tzid)
    component.add("x-lic-location", tzid)
    for onset in found:
        part = TimezoneDaylight() if onset.daylight else TimezoneStandard()
        part.add("dtstart", onset.start)
        part.add("tzoffsetfrom", onset.offset_from)
        part.add("tzoffsetto", onset.offset_to)
        if onset.name:
            part.add("tzname", onset.name)
        if onset.rrule:
            rule = vRecur.from_ical(onset.rrule)
            if onset.until:
                rule["UNTIL"] = onset.until
            part.add("rrule", rule)
        component.add_component(part)
    return component


def _utc(moment: datetime) -> datetime:
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


def _post_event(
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
        event.add("last-modified", _utc(changed))
    if post.created_at:
        event.add("created", _utc(post.created_at))
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


def _observance_event(
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


def _holiday_event(holiday: Holiday, stamp: datetime) -> Event:
    uid = f"holiday-{holiday.country.lower()}-{holiday.day:%Y%m%d}@{UID_DOMAIN}"
    event = _base(uid, holiday.name, stamp, "holiday")
    _all_day(event, holiday.day, holiday.day)
    event.add("sequence", 0)
    event.add("description", f"Public holiday ({holiday.country})")
    event.add("categories", _categories(KIND_CATEGORY["holiday"]))
    return event
