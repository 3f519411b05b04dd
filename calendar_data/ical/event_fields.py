"""What a post keeps of an imported event: its fields, read from the VEVENT and carecal's footer.

Any calendar's event gives a title, a day and time, a length, tags (from CATEGORIES) and sources
(from URL). carecal's own events (`OWN_UID`, or `X-CARECAL-KIND:post`) also carry a footer in the
DESCRIPTION (`ical.descriptions`) naming channels, status, type, owner, campaign and observance, so
export -> import gives the same post. `PostFields` maps one event at a time and says, as a warning
on the plan, whatever it had to shorten, drop or create; `ical.import_posts` decides what the
mapped fields do to the calendar.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from calendar_data.campaigns import list_campaigns
from calendar_data.errors import PostError
from calendar_data.ical.changes import ImportPlan
from calendar_data.ical.content import is_web_link
from calendar_data.ical.descriptions import FOOTER_KEYS
from calendar_data.ical.export import uid_namespace
from calendar_data.ical.export_events import KIND_CATEGORY, POST_MINUTES
from calendar_data.ical.parse import IcsEvent
from calendar_data.ical.variant_text import split_variants
from calendar_data.models import Channel, ContentType, Status, parse_hashtags
from calendar_data.observances import all_observances
from calendar_data.post_stamps import post_id_by_external_uid
from calendar_data.post_validation import MAX_DURATION_MINUTES
from calendar_data.posts import get_post
from calendar_data.tags import tag_name

OWN_UID = re.compile(r"^post-(\d+)-([0-9a-f]+)@carecal$")
"""The UID carecal gives a post it exports: its id and the calendar's namespace."""


def is_own(event: IcsEvent) -> bool:
    """Whether the event is one of carecal's own posts (its footer then says everything)."""
    return bool(OWN_UID.match(event.base_uid)) or event.carecal_kind == "post"


def _footer(description: str) -> tuple[str, dict[str, str]]:
    """Split carecal's own DESCRIPTION footer ("Channels: ...") from the copy."""
    body, _, tail = description.rpartition("\n\n")
    found = {}
    for line in tail.split("\n"):
        key, sep, value = line.partition(": ")
        if not sep or key not in FOOTER_KEYS:
            return description, {}
        found[key] = value.strip()
    return body, found


class PostFields:
    """Maps the events of one import onto post fields, knowing the calendar's campaigns and
    observances and its UID namespace."""

    def __init__(self, db, plan: ImportPlan, where: str) -> None:
        self.db, self.plan, self.where = db, plan, where
        self.namespace = uid_namespace(db)
        self.campaigns = {
            c.name.casefold(): c.name for c in list_campaigns(db, include_archived=True)
        }
        self.observance_ids = {o.id for o in all_observances(db)}

    def warn(self, event: IcsEvent, text: str) -> None:
        """A warning on the plan naming the event's line and summary."""
        self.plan.warnings.append(
            f"{self.where}:{event.line}: VEVENT {event.summary[:40]!r}: {text}"
        )

    def fields(self, event: IcsEvent) -> tuple[dict, bool]:
        """The post fields the event gives, and whether it is one of carecal's own."""
        own = is_own(event)
        body, footer = _footer(event.description) if own else (event.description, {})
        title = (event.title if own else event.summary) or "(no title)"
        if not event.summary:
            self.warn(event, "no SUMMARY; titled '(no title)'")
        if len(title) > 300:
            self.warn(event, "title longer than 300 characters; shortened")
            title = title[:299] + "…"
        values: dict = {
            "title": title,
            "day": event.first_day,
            "body": body.strip(),
            "time": (
                event.start.time().replace(second=0, tzinfo=None)
                if isinstance(event.start, datetime)
                else None
            ),
            "duration_minutes": self.duration(event),
        }
        labels = set(KIND_CATEGORY.values())
        tags = tuple(
            dict.fromkeys(
                t
                for c in event.categories
                if c not in labels
                for t in [tag_name(" ".join(c.replace(",", " ").split()))[:60]]
                if t
            )
        )
        if tags or own:
            values["tags"] = tags
        sources = [u for u in footer.get("Sources", "").split() if is_web_link(u)]
        if is_web_link(event.url) and event.url not in sources:
            sources.append(event.url)
        if sources or own:
            values["sources"] = tuple(sources)
        if own:
            self._footer_fields(event, values, body, footer)
        return values, own

    def _footer_fields(self, event: IcsEvent, values: dict, body: str, footer: dict) -> None:
        """Add to `values` what carecal's own footer says: channels and their copy, status,
        type, owner, campaign, observance and the hashtags not already in the copy."""
        values["channels"] = tuple(
            Channel(c)
            for c in re.split(r",\s*", footer.get("Channels", ""))
            if c in Channel.__members__.values()
        )
        # "[Copy for X]" blocks: the per-channel copy
        copy, variants = split_variants(values["body"])
        values["body"] = copy.strip()
        values["variants"] = tuple(v for v in variants if v[0] in values["channels"])
        if footer.get("Status") in Status.__members__.values():
            values["status"] = Status(footer["Status"])
        if footer.get("Type") in ContentType.__members__.values():
            values["content_type"] = ContentType(footer["Type"])
        values["owner"] = footer.get("Owner", "")
        values["campaign"] = self.campaign(event, footer.get("Campaign", ""))
        observance = footer.get("Observance")
        if observance and observance not in self.observance_ids:
            self.warn(event, f"observance {observance!r} is unknown here; left out")
        values["observance_id"] = observance if observance in self.observance_ids else None
        in_body = {h.casefold() for h in parse_hashtags(body)}
        values["hashtags"] = tuple(
            h
            for h in footer.get("Hashtags", "").split()
            if h.startswith("#") and h.casefold() not in in_body
        )

    def duration(self, event: IcsEvent) -> int | None:
        """The event's length as a post holds it: None for carecal's default block or a single day."""
        span = _span(event)
        if event.all_day:
            days = span.days
            minutes = days * 1440 if days > 1 else None
        else:
            seconds = span.total_seconds()
            minutes = round(seconds / 60) if seconds >= 60 else None
            minutes = None if minutes == POST_MINUTES else minutes
        if minutes and minutes > MAX_DURATION_MINUTES:
            self.warn(
                event,
                f"runs {event.first_day} to {event.last_day}; kept as a post of "
                f"{MAX_DURATION_MINUTES // 1440} days from its first day",
            )
            minutes = MAX_DURATION_MINUTES
        return minutes

    def campaign(self, event: IcsEvent, name: str) -> str | None:
        """The campaign named in carecal's footer; one this calendar lacks is created (and said)."""
        name = " ".join(name.split())
        if not name:
            return None
        if name.casefold() not in self.campaigns:
            self.campaigns[name.casefold()] = name
            self.plan.new_campaigns.append(name)
            self.warn(event, f"campaign {name!r} is new here; the import creates it")
        return self.campaigns[name.casefold()]

    def existing(self, event: IcsEvent) -> int | None:
        """The post this event updates: carecal's own by id (same namespace), else by imported UID."""
        match = OWN_UID.match(event.uid)
        if match and match[2] == self.namespace:
            try:
                return get_post(self.db, int(match[1])).id
            except PostError:
                return None
        return post_id_by_external_uid(self.db, event.uid)


def _span(event: IcsEvent) -> timedelta:
    """How long the event runs; `parse` gives start and end of one kind (two dates or two times)."""
    start, end = event.start, event.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        return end - start
    if not isinstance(start, datetime) and not isinstance(end, datetime):
        return end - start
    raise ValueError(
        f"VEVENT at line {event.line} mixes a date and a date-time: {start!r} to {end!r}"
    )
