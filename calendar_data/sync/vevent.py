"""Posts and the team's lists as VEVENT resources, and back.

What a calendar client shows is standard: SUMMARY (the title), DTSTART with a
TZID and a matching VTIMEZONE (or a whole-day DATE), a 15-minute DTEND,
DESCRIPTION (the copy, then hashtags, channels, status...), CATEGORIES and
STATUS. carecal's own fields ride along as `X-CARECAL-*` properties whose
values are JSON written as TEXT. Reading back, SUMMARY, DTSTART and
DESCRIPTION win over the X- properties, so an edit made in Thunderbird or
Apple Calendar comes down; a field whose X- property a client dropped keeps
its last synced value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from calendar_data.ical.export import (
    FOOTER_KEYS,
    POST_MINUTES,
    clean_category,
    clean_text,
    vtimezone,
)
from calendar_data.ical.timezones import is_utc
from calendar_data.sync.wire import OPTIONAL_FIELDS, tidy_wire, wire_hash

PRODID = "-//carecal//carecal sync//EN"
TEAM_UID = "carecal-team-lists@carecal"
"""One resource per calendar holds the team's campaigns, tag colours and observance stars/mutes."""

_X = {  # wire field -> X- property
    "status": "X-CARECAL-STATUS",
    "content_type": "X-CARECAL-TYPE",
    "channels": "X-CARECAL-CHANNELS",
    "tags": "X-CARECAL-TAGS",
    "hashtags": "X-CARECAL-HASHTAGS",
    "campaign": "X-CARECAL-CAMPAIGN",
    "observance_id": "X-CARECAL-OBSERVANCE",
    "owner": "X-CARECAL-OWNER",
    "assets": "X-CARECAL-ASSETS",
    "sources": "X-CARECAL-SOURCES",
    "features_patient": "X-CARECAL-FEATURES-PATIENT",
    "consent": "X-CARECAL-CONSENT",
    "body": "X-CARECAL-BODY",
    "variants": "X-CARECAL-VARIANTS",
}
_ICAL_STATUS = {
    "idea": "TENTATIVE",
    "draft": "TENTATIVE",
    "review": "TENTATIVE",
    "rejected": "CANCELLED",
    "archived": "CANCELLED",
}


@dataclass(frozen=True)
class Resource:
    """One calendar object as read from the server: its UID, kind, content and who wrote it last."""

    uid: str
    kind: str
    """"post" or "team"."""
    data: dict
    """A tidy post wire dict, or the team lists."""
    editor: str = ""
    """Who wrote it last: the carecal user, or "a calendar app" when the content is not as carecal sent it."""
    origin: str = ""


def post_ics(
    uid: str,
    wire: dict,
    *,
    zone: str,
    now: datetime,
    sequence: int = 0,
    editor: str = "",
    origin: str = "",
) -> bytes:
    """One VCALENDAR holding the post's VEVENT (and its VTIMEZONE when the post has a time)."""
    cal = _calendar()
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(now))
    event.add("summary", clean_text(wire["title"]))
    day = date.fromisoformat(wire["date"])
    if wire["time"]:
        tz = UTC if is_utc(zone) else ZoneInfo(zone)
        start = datetime.combine(day, time.fromisoformat(wire["time"]), tzinfo=tz)
        if not is_utc(zone):
            cal.add_component(_vtimezone(zone, day.year))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=POST_MINUTES))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    event.add("description", clean_text(description(wire)))
    event.add(
        "categories",
        [c for c in dict.fromkeys(["Social post", *map(clean_category, wire["tags"])]) if c],
    )
    event.add("status", _ICAL_STATUS.get(wire["status"], "CONFIRMED"))
    event.add("sequence", sequence)
    event.add("last-modified", _utc(now))
    event.add("transp", "TRANSPARENT")
    event.add("x-microsoft-cdo-busystatus", "FREE")
    event.add("x-carecal-kind", "post")
    for key, prop in _X.items():  # an optional field absent from `wire` is written empty
        value = wire.get(key, {}) if key in OPTIONAL_FIELDS else wire[key]
        event.add(prop, vText(json.dumps(value, ensure_ascii=False)))
    event.add("x-carecal-digest", wire_hash(wire))
    _stamp_editor(event, editor, origin)
    cal.add_component(event)
    return cal.to_ical()


@lru_cache(maxsize=32)
def _vtimezone(zone: str, year: int):
    """The VTIMEZONE of a year, built once per sync rather than once per post (a quarter of post_ics).

    The component is only ever read (serialised into each resource), so one instance can be shared.
    """
    return vtimezone(zone, year, year)


def team_ics(
    team: dict, *, now: datetime, first_day: date, editor: str = "", origin: str = ""
) -> bytes:
    """The team-lists resource: a whole-day event on `first_day` whose DESCRIPTION reads as a list."""
    cal = _calendar()
    event = Event()
    event.add("uid", TEAM_UID)
    event.add("dtstamp", _utc(now))
    event.add("summary", "carecal team lists (campaigns, tag colours, starred observances)")
    event.add("dtstart", first_day)
    event.add("dtend", first_day + timedelta(days=1))
    lines = [
        f"Campaign: {v['name']} ({v.get('start') or '?'} to {v.get('end') or '?'}) {v.get('goal') or ''}".rstrip()
        for k, v in sorted(team.items())
        if k.startswith("campaign:") and v
    ]
    lines += [
        f"Starred: {k.split(':', 1)[1]}"
        for k, v in sorted(team.items())
        if k.startswith("observance:") and v and v.get("starred")
    ]
    event.add(
        "description", clean_text("Kept by carecal; edit these in carecal.\n\n" + "\n".join(lines))
    )
    event.add("transp", "TRANSPARENT")
    event.add("x-carecal-kind", "team")
    event.add("x-carecal-team", vText(json.dumps(team, ensure_ascii=False, sort_keys=True)))
    _stamp_editor(event, editor, origin)
    cal.add_component(event)
    return cal.to_ical()


def description(wire: dict) -> str:
    """The copy, then one line per public field (what a calendar client shows as notes)."""
    hashtags = list(dict.fromkeys([*wire["hashtags"]]))
    lines = [
        ("Hashtags", " ".join(hashtags)),
        ("Channels", ", ".join(wire["channels"])),
        ("Status", wire["status"]),
        ("Type", wire["content_type"] or ""),
        ("Campaign", wire["campaign"] or ""),
        ("Owner", wire["owner"]),
        ("Observance", wire["observance_id"] or ""),
        ("Sources", " ".join(wire["sources"])),
    ]
    footer = "\n".join(f"{k}: {v}" for k, v in lines if v)
    body = wire["body"].strip()
    return f"{body}\n\n{footer}" if body else footer


def parse_resource(data: bytes | str, *, zone: str, base: dict | None = None) -> Resource:
    """The carecal content of one calendar object; ValueError naming what cannot be used."""
    try:
        cal = Calendar.from_ical(data)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many types for bad input
        raise ValueError(f"not an iCalendar object ({' '.join(str(exc).split())[:80]})") from None
    events = [c for c in cal.walk("VEVENT") if "RECURRENCE-ID" not in c]
    if not events:
        raise ValueError("holds no VEVENT")
    event = events[0]
    uid = str(event.get("UID", "")).strip()
    if not uid:
        raise ValueError("VEVENT has no UID")
    editor, origin = _x(event, "X-CARECAL-EDITOR", ""), _x(event, "X-CARECAL-ORIGIN", "")
    if uid == TEAM_UID or str(event.get("X-CARECAL-KIND", "")).lower() == "team":
        team = _x(event, "X-CARECAL-TEAM", {})
        return Resource(uid, "team", team if isinstance(team, dict) else {}, editor, origin)
    wire = _post_data(event, zone, base)
    digest = str(event.get("X-CARECAL-DIGEST", ""))
    if not digest or digest != wire_hash(
        wire
    ):  # not as carecal wrote it: a calendar app changed it
        editor = f"a calendar app (last carecal edit: {editor})" if editor else "a calendar app"
    return Resource(uid, "post", wire, editor, origin)


def _post_data(event, zone: str, base: dict | None) -> dict:
    found = {key: _x(event, prop, None) for key, prop in _X.items() if prop in event}
    found["title"] = " ".join(str(event.get("SUMMARY", "")).split())
    if "DTSTART" not in event:
        raise ValueError("VEVENT has no DTSTART")
    start = event.decoded("DTSTART")
    if isinstance(start, datetime):
        local = (
            start.replace(tzinfo=ZoneInfo(zone))
            if start.tzinfo is None
            else start.astimezone(ZoneInfo(zone))
        )
        found["date"], found["time"] = local.date().isoformat(), local.strftime("%H:%M")
    else:
        found["date"], found["time"] = start.isoformat(), None
    if "X-CARECAL-TAGS" not in event and "CATEGORIES" in event:
        cats = event.get("CATEGORIES")
        names = [
            str(c) for entry in (cats if isinstance(cats, list) else [cats]) for c in entry.cats
        ]
        found["tags"] = [n for n in names if n != "Social post"]
    merged = tidy_wire(found, base)
    text = _newlines(str(event.get("DESCRIPTION", "")))
    if text.strip() != _newlines(description(merged)).strip():
        merged["body"] = strip_footer(text)  # the description was edited in a calendar client
    return merged


def strip_footer(text: str) -> str:
    """The copy from a DESCRIPTION: without the block of field lines carecal appends after a blank line."""
    text = _newlines(text).strip("\n")
    head, sep, tail = text.rpartition("\n\n")
    if all(any(line.startswith(f"{key}: ") for key in FOOTER_KEYS) for line in tail.split("\n")):
        return head.strip() if sep else ""
    return text.strip()


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _x(event, prop: str, default):
    """An X- property's JSON value (TEXT escapes undone), or `default` when absent or unreadable."""
    if prop not in event:
        return default
    raw = event[prop]
    raw = raw[0] if isinstance(raw, list) else raw
    text = raw.to_ical().decode() if hasattr(raw, "to_ical") else str(raw)
    for candidate in (_unescape(text), text):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return default


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    return cal


def _stamp_editor(event: Event, editor: str, origin: str) -> None:
    if editor:
        event.add("x-carecal-editor", vText(json.dumps(editor, ensure_ascii=False)))
    if origin:
        event.add("x-carecal-origin", vText(json.dumps(origin)))


def _utc(moment: datetime) -> datetime:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)
