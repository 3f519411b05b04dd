"""The agenda as an iCalendar file that Outlook, Google and Apple calendars import cleanly.

One function family serves the CLI (`carecal export`), the TUI's export dialog,
saved feeds and the subscription server, so the same scope always yields the
same bytes. Exports take `now` (DTSTAMP) and read no clock: with a fixed `now`
the output is deterministic, which the golden-file tests hold byte for byte.

The file around the events: VCALENDAR properties, one VTIMEZONE with yearly
RRULEs (`ical.timezones`) where Outlook can hold the zone (else the times go out
in UTC), and the calendar's UID namespace (`calendar_meta`), so two calendars'
post 12s never collide. Each event is built by `ical.export_events`.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from calendar_data.checks.holdback import HoldBackReport, hold_back
from calendar_data.holds import HoldMark, hold_marks
from calendar_data.ical.descriptions import FOOTER_KEYS
from calendar_data.ical.export_events import (
    POST_MINUTES,
    as_utc,
    clean_category,
    clean_text,
    holiday_event,
    observance_event,
    post_event,
    post_uid,
)
from calendar_data.ical.export_scope import (
    MAX_DAYS,
    ExportSpec,
    count_events,
    export_items,
    export_notes,
)
from calendar_data.ical.timezones import Onset, is_utc, onsets, outlook_can_express
from calendar_data.models import AgendaItem
from calendar_data.post_stamps import imported_uids
from calendar_data.settings import Settings
from calendar_data.storage.outputs import check_output
from calendar_data.storage.settings_table import load_settings

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
    # read here by calendar_data.sync (vevent, pushing), which this change leaves as it is:
    "FOOTER_KEYS",
    "POST_MINUTES",
    "clean_category",
    "clean_text",
    "post_uid",
]

PRODID = "-//carecal//carecal calendar export//EN"
"""No version in it: golden files and subscribers' caches stay put across releases."""
REFRESH = timedelta(hours=1)


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
    today = today or as_utc(now).astimezone(ZoneInfo(settings.timezone)).date()
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
        external_uids=imported_uids(db, [p.id for p in posts if p.id is not None]),
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
    stamp = as_utc(now)
    items = list(items)
    cal, in_utc = _calendar(items, settings, name, description)
    zone = settings.timezone
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
            event = post_event(
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
            event = observance_event(item.occurrence, stamp, alarm_days, seen)
        elif item.holiday is not None:
            event = holiday_event(item.holiday, stamp)
        else:
            raise ValueError(
                f"agenda item {item.title!r} is neither a post, an observance nor a holiday"
            )
        parts.append(event.to_ical())
    parts.append(closing)
    return b"".join(parts)


def _calendar(
    items: list[AgendaItem], settings: Settings, name: str, description: str
) -> tuple[Calendar, bool]:
    """The VCALENDAR's own properties and its VTIMEZONE, and whether the posts' times go out in
    UTC (the zone is UTC, or Outlook cannot express its rules for the years the posts span)."""
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
    return cal, in_utc


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
