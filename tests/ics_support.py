"""Shared pieces of the iCal tests: a fixed calendar, a fixed clock, and a second parser.

The calendar is built with fixed `now` values and a fixed UID namespace so the
golden files compare byte for byte. `vobject_occurrences` reads a file with
vobject (its own parser and its own VTIMEZONE interpretation via dateutil) and
`icalendar_occurrences` with icalendar + recurring-ical-events, so a test can
assert that two independent parsers see the same events.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from calendar_data.campaigns import add_campaign
from calendar_data.models import Campaign, Channel, ContentType, Post, Status
from calendar_data.posts import add_post, update_post

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
NAMESPACE = "0a1b2c3d4e5f"
GOLDEN = Path(__file__).parent / "data" / "golden"
ICS = Path(__file__).parent / "data" / "ics"
SECRET_NOTE = "SECRET-NOTE do not export"
CONSENT_REF = "CONSENT-FORM-7731"
TRICKY_TITLE = "Flu clinic, walk-in; no appt \\ needed 💉"
TRICKY_BODY = (
    "Line one, with commas; semicolons \\ backslash\nLine two 😷 #FluSeason\n\nLast paragraph."
)


def fill_calendar(db) -> dict[str, Post]:
    """A small, fixed plan: timed and all-day posts, a campaign, a consent record and private notes."""
    db.execute("UPDATE calendar_meta SET value = ? WHERE key = 'uid_namespace'", [NAMESPACE])
    add_campaign(
        db, Campaign(name="Heart Month 2027", start=date(2027, 2, 1), end=date(2027, 2, 28))
    )
    posts = {
        "flu": Post(
            title=TRICKY_TITLE,
            day=date(2027, 1, 15),
            time=time(9, 30),
            body=TRICKY_BODY,
            channels=(Channel.FACEBOOK, Channel.INSTAGRAM),
            tags=("vaccines", "flu;season"),
            hashtags=("#GetVaccinated",),
            status=Status.DRAFT,
            content_type=ContentType.ANNOUNCEMENT,
            owner="Sam",
            sources=("https://www.cdc.gov/flu/",),
            private_notes=SECRET_NOTE,
        ),
        "heart": Post(
            title="Wear red Friday photo wall",
            day=date(2027, 2, 5),
            body="Show us your red! #WearRedDay",
            channels=(Channel.INSTAGRAM,),
            campaign="Heart Month 2027",
            observance_id="national-wear-red-day",
            tags=("cardiology",),
            features_patient=True,
            private_notes=SECRET_NOTE,
        ),
        "july": Post(
            title="Summer safety tips",
            day=date(2027, 7, 15),
            time=time(9, 30),
            channels=(Channel.X,),
            tags=("summer",),
        ),
    }
    saved = {key: add_post(db, post, now=CREATED) for key, post in posts.items()}
    # a valid consent (an invalid one would hold the post's copy back from every export)
    db.execute(
        "INSERT INTO consents (post_id, form_ref, signed_on, expires_on, channels, media, recorded_by, "
        "recorded_at) VALUES (?, ?, '2026-10-01', '2027-10-01', '[\"instagram\"]', '[\"photo\"]', "
        "'tester', '2026-10-01T00:00:00+00:00')",
        [saved["heart"].id, CONSENT_REF],
    )
    db.conn.commit()
    return saved


def edit(db, post: Post, **changes) -> Post:
    """Change a post at a fixed later time."""
    from dataclasses import replace

    return update_post(db, replace(post, **changes), now=datetime(2026, 11, 22, 8, 0, tzinfo=UTC))


def _norm(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def icalendar_occurrences(
    data: bytes, start=date(1990, 1, 1), end=date(2101, 1, 1)
) -> list[tuple[str, str, str, str]]:
    """(UID, start, end, summary) of every occurrence, via icalendar + recurring-ical-events."""
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(data)
    found = recurring_ical_events.of(calendar).between(start, end)
    return sorted(
        (str(e["UID"]), _norm(e["DTSTART"].dt), _norm(e["DTEND"].dt), str(e["SUMMARY"]))
        for e in found
    )


def vobject_occurrences(data: bytes) -> list[tuple[str, str, str, str]]:
    """(UID, start, end, summary) of every event, via vobject (which reads the file's VTIMEZONEs itself)."""
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    events = getattr(calendar, "vevent_list", [])
    return sorted(
        (e.uid.value, _norm(e.dtstart.value), _norm(e.dtend.value), e.summary.value) for e in events
    )
