"""The nouns of carecal: frozen dataclasses and enums shared by every layer.

Values are immutable so the TUI can hold them in reactives and the store can
compare before/after snapshots for the change log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calendar_data.recurrence import Rule


class Status(StrEnum):
    """Where a post is in the approval workflow (CLI and JSON use these values)."""

    IDEA = "idea"
    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class Channel(StrEnum):
    """A social network a post goes out on."""

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    LINKEDIN = "linkedin"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    PINTEREST = "pinterest"
    THREADS = "threads"
    BLUESKY = "bluesky"


class ContentType(StrEnum):
    """The kind of copy, which decides the checks it needs (evidence, consent)."""

    EDUCATIONAL = "educational"
    PATIENT_STORY = "patient-story"
    INFOGRAPHIC = "infographic"
    BEHIND_THE_SCENES = "behind-the-scenes"
    SHOUT_OUT = "shout-out"
    LIVE_EVENT = "live-event"
    CRISIS_UPDATE = "crisis-update"
    MYTH_BUSTING = "myth-busting"
    RECRUITMENT = "recruitment"
    ANNOUNCEMENT = "announcement"


class Kind(StrEnum):
    """How long an observance lasts, as its organiser names it."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    PERIOD = "period"


CATEGORIES: tuple[str, ...] = (
    "cardiovascular",
    "cancer",
    "mental-health",
    "substance-use",
    "maternal-child",
    "immunization",
    "infectious-disease",
    "diabetes",
    "kidney",
    "neurology",
    "respiratory",
    "nutrition-fitness",
    "patient-safety",
    "donation",
    "workforce",
    "aging-dementia",
    "rare-disease",
    "disability",
    "sexual-health",
    "injury-prevention",
    "digestive",
    "musculoskeletal",
    "sensory",
    "skin",
    "oral-health",
    "mens-health",
    "womens-health",
    "general-wellness",
    "health-equity",
    "environment",
    # service lines, for the staff and service recognition weeks hospitals post about
    "nursing",
    "allied-health",
    "clinical-support",
    "facilities-support",
    "patient-experience",
    "quality-improvement",
    "volunteering-caregiving",
)
"""The fixed vocabulary of observance categories (colours in the TUI key off it)."""

REGIONS: tuple[str, ...] = ("global", "US", "UK", "CA", "AU", "NZ", "IE")
"""Regions an observance can belong to; `global` is shown whatever the user's regions."""

HASHTAG_RE = re.compile(r"#\w+")


def parse_hashtags(*texts: str) -> tuple[str, ...]:
    """Hashtags found in the texts, first spelling kept, duplicates (any case) dropped."""
    seen: dict[str, str] = {}
    for text in texts:
        for tag in HASHTAG_RE.findall(text or ""):
            if tag[1:].isdigit():
                continue  # "#1" is a ranking, not a hashtag
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


@dataclass(frozen=True)
class Observance:
    """A health awareness day, week, month or period and the rule that dates it."""

    id: str
    name: str
    kind: Kind
    rule: Rule
    category: str
    regions: tuple[str, ...]
    hashtags: tuple[str, ...] = ()
    organisation: str = ""
    source: str = ""
    hashtags_verified: bool = True
    toolkit: str = ""
    note: str = ""
    last_verified: date | None = None
    since: int | None = None
    until: int | None = None
    custom: bool = False
    """True for the organisation's own observances (stored in SQLite, editable)."""
    staff_recognition: bool = False
    """A week or day that thanks a profession or service (PA Week, Healthcare Foodservice Workers Week)."""
    hashtags_yearly: tuple[str, ...] = ()
    """Tags carrying the year, as patterns such as '#WorldIBDDay{year}' or '#CRWeek{yy}'."""

    def holds_in(self, year: int) -> bool:
        """Whether the rule applies in `year` (observances start, move or stop)."""
        return (self.since is None or year >= self.since) and (
            self.until is None or year <= self.until
        )


@dataclass(frozen=True)
class Occurrence:
    """One dated instance of an observance; `end` is the last day, inclusive."""

    observance: Observance
    start: date
    end: date

    @property
    def days(self) -> int:
        """Length in days, counting both ends."""
        return (self.end - self.start).days + 1

    @property
    def hashtags(self) -> tuple[str, ...]:
        """The standing tags plus the yearly ones for this occurrence's year (#WorldIBDDay2027)."""
        year = self.start.year
        yearly = (
            p.replace("{year}", str(year)).replace("{yy}", f"{year % 100:02d}")
            for p in self.observance.hashtags_yearly
        )
        return self.observance.hashtags + tuple(yearly)

    @property
    def rule_dates(self) -> tuple[date, date] | None:
        """What the standing rule gives when the organiser announced other dates this year, else None."""
        from calendar_data.rule_kinds import Announced  # models stays import-light

        rule = self.observance.rule
        if not isinstance(rule, Announced):
            return None
        from calendar_data.recurrence import spans_in_year

        spans = spans_in_year(rule.base, self.start.year)
        if not spans or spans[0] == (self.start, self.end):
            return None
        return spans[0]


@dataclass(frozen=True)
class Holiday:
    """A public holiday from the `holidays` package for the configured country."""

    day: date
    name: str
    country: str


@dataclass(frozen=True)
class Campaign:
    """A named push with a goal and dates that posts can belong to."""

    name: str
    start: date | None = None
    end: date | None = None
    goal: str = ""
    colour: str = ""
    tags: tuple[str, ...] = ()
    archived: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Consent:
    """A patient's written consent; never exported anywhere."""

    form_ref: str
    signed_on: date
    expires_on: date | None = None
    channels: tuple[Channel, ...] = ()
    media: tuple[str, ...] = ()
    recorded_by: str = ""


@dataclass(frozen=True)
class Post:
    """A planned social post. Only a title and a date are required."""

    title: str
    day: date
    time: time | None = None
    body: str = ""
    status: Status = Status.IDEA
    content_type: ContentType | None = None
    channels: tuple[Channel, ...] = ()
    tags: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    """Hashtags added explicitly; see `all_hashtags` for those in the body too."""
    campaign: str | None = None
    observance_id: str | None = None
    owner: str = ""
    assets: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    features_patient: bool = False
    consent: Consent | None = None
    private_notes: str = ""
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    sequence: int = 0
    """Bumped on every change so calendar clients replace their copy."""
    variants: tuple[tuple[Channel, str], ...] = ()
    """Per-channel copy, (channel, text) in channel order: what goes out on that channel instead
    of `body` (the X version short, the LinkedIn one long). Empty: every channel gets the body."""
    duration_minutes: int | None = None
    """How long the post's calendar slot lasts (None: the default short block); for an all-day post, whole
    days as multiples of 1440. Kept so an imported event keeps its length and exports carry it back."""
    ical_sequence: int = 0
    """The iCal SEQUENCE: bumped only when something an export shows changes (`sequence` is the row's
    version for edit conflicts and moves on every save, private notes included)."""
    content_changed_at: datetime | None = None
    """When something an export shows last changed (iCal LAST-MODIFIED; feeds' DTSTAMP and ETag)."""

    @property
    def all_hashtags(self) -> tuple[str, ...]:
        """Explicit hashtags followed by those written in the body."""
        return parse_hashtags(" ".join(self.hashtags), self.body)


def copy_for(post: Post, channel: Channel) -> str:
    """The copy `post` goes out with on `channel`: its variant for that channel, else the body.

    The one answer to "what does X get?", used by the checks, the exports and the vendor CSVs.
    """
    for variant_channel, text in post.variants:
        if variant_channel == channel and text.strip():
            return text
    return post.body


@dataclass(frozen=True)
class Filters:
    """What the agenda, listings and exports narrow to; empty means everything."""

    text: str = ""
    tags: tuple[str, ...] = ()
    channels: tuple[Channel, ...] = ()
    statuses: tuple[Status, ...] = ()
    campaign: str | None = None
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    attention: bool = False
    """Only posts that need attention (a blocking compliance finding or an open warning)."""
    staff: bool = False
    """Only staff and service recognition observances (PA Week, Volunteers' Week...)."""

    @property
    def active(self) -> bool:
        """Whether any filter narrows the view."""
        return any(
            (
                self.text,
                self.tags,
                self.channels,
                self.statuses,
                self.campaign,
                self.categories,
                self.regions,
                self.attention,
                self.staff,
            )
        )


@dataclass(frozen=True)
class AgendaItem:
    """One row of the merged agenda: a post, an observance occurrence or a holiday."""

    kind: str  # "post" | "observance" | "holiday"
    start: date
    end: date
    title: str
    post: Post | None = None
    occurrence: Occurrence | None = None
    holiday: Holiday | None = None
    starred: bool = False

    def covers(self, day: date) -> bool:
        """Whether the item is on `day` (inclusive span)."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class ChangeEntry:
    """One line of the change log: who changed what, when."""

    at: datetime
    who: str
    action: str
    entity: str
    entity_id: str
    changes: dict = field(default_factory=dict)
