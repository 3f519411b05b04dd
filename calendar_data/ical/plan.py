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
the plan. Nothing here imports icalendar.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from calendar_data.campaigns import add_campaign, list_campaigns
from calendar_data.checks.approval import ComplianceBlocked, gate_reasons
from calendar_data.checks.findings import features_patient
from calendar_data.checks.holdback import HELD_TITLE
from calendar_data.checks.workflow import APPROVED_OR_LATER, transition_error
from calendar_data.errors import PostError
from calendar_data.ical.changes import Change, ImportPlan
from calendar_data.ical.content import is_web_link
from calendar_data.ical.export import (
    FOOTER_KEYS,
    KIND_CATEGORY,
    POST_MINUTES,
    clean_category,
    uid_namespace,
)
from calendar_data.ical.import_observances import plan_observances, write_observance
from calendar_data.ical.parse import IcsEvent, read_events
from calendar_data.ical.scan import IcsError
from calendar_data.ical.variant_text import split_variants
from calendar_data.models import Campaign, Channel, ContentType, Post, Status, parse_hashtags
from calendar_data.observances import all_observances
from calendar_data.post_stamps import post_id_by_external_uid, set_external_uid
from calendar_data.posts import (
    MAX_DURATION_MINUTES,
    PostChangedElsewhere,
    add_post,
    get_post,
    update_post,
)
from calendar_data.posts_bulk import add_posts
from calendar_data.settings import Settings
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings
from calendar_data.tags import tag_name

__all__ = ["Change", "ImportPlan", "apply_import", "default_window", "import_ics", "plan_import"]

OWN_UID = re.compile(r"^post-(\d+)-([0-9a-f]+)@carecal$")
HELD = re.compile("^" + re.escape(HELD_TITLE).replace(re.escape("{id}"), r"\d+") + "$")
"""The title an export gives a post it held back for compliance review (its copy is not in the file)."""
_COMPARED = (
    "title",
    "day",
    "time",
    "body",
    "tags",
    "channels",
    "status",
    "content_type",
    "campaign",
    "owner",
    "sources",
    "observance_id",
    "duration_minutes",
    "variants",
)


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
        if event.status == "CANCELLED" and not (as_ == "posts" and _own(event)):
            skipped["cancelled"] += 1
        elif as_ == "posts" and event.carecal_kind in ("observance", "holiday"):
            skipped[f"carecal {event.carecal_kind}"] += 1
        else:
            events.append(event)
    for reason, count in sorted(skipped.items()):
        plan.warnings.append(f"{where}: {count} {reason} event{'s' if count > 1 else ''} skipped")
    if as_ == "posts":
        _plan_posts(db, events, plan, where, _Gate(today, who, now, settings))
    else:
        plan_observances(db, events, plan, where)
    _count_dropped(plan, events, settings.timezone)
    return plan


def _own(event: IcsEvent) -> bool:
    """Whether the event is one of carecal's own posts (its footer then says everything)."""
    return bool(OWN_UID.match(event.base_uid)) or event.carecal_kind == "post"


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


# --- posts ---------------------------------------------------------------------------------


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


class _PostMapper:
    def __init__(self, db, plan: ImportPlan, where: str) -> None:
        self.db, self.plan, self.where = db, plan, where
        self.namespace = uid_namespace(db)
        self.campaigns = {
            c.name.casefold(): c.name for c in list_campaigns(db, include_archived=True)
        }
        self.observance_ids = {o.id for o in all_observances(db)}

    def warn(self, event: IcsEvent, text: str) -> None:
        self.plan.warnings.append(
            f"{self.where}:{event.line}: VEVENT {event.summary[:40]!r}: {text}"
        )

    def fields(self, event: IcsEvent) -> tuple[dict, bool]:
        own = _own(event)
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
        if not own:
            return values, False
        values["channels"] = tuple(
            Channel(c)
            for c in re.split(r",\s*", footer.get("Channels", ""))
            if c in Channel.__members__.values()
        )
        copy, variants = split_variants(
            values["body"]
        )  # "[Copy for X]" blocks: the per-channel copy
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
        return values, True

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
        match = OWN_UID.match(event.uid)
        if match and match[2] == self.namespace:
            try:
                return get_post(self.db, int(match[1])).id
            except PostError:
                return None
        return post_id_by_external_uid(self.db, event.uid)


def _label(post: Post) -> str:
    when = (
        f"{post.day.isoformat()} {post.time.strftime('%H:%M')}"
        if post.time
        else post.day.isoformat()
    )
    return f"{when} {post.title}"


@dataclass(frozen=True)
class _Gate:
    """What the approval gate needs to judge a planned post: the day, the acting name, the clock, settings."""

    today: date
    who: str | None
    now: datetime | None
    settings: Settings

    def verdict(self, db, post: Post, before: Post | None) -> str:
        """'' when the gate lets the post in at its status, else the reasons it refuses."""
        if post.status not in APPROVED_OR_LATER:
            return ""
        found = gate_reasons(
            db,
            post,
            before=before,
            today=self.today,
            who=self.who,
            now=self.now,
            settings=self.settings,
        )
        return "; ".join(found)


def _plan_posts(db, events: list[IcsEvent], plan: ImportPlan, where: str, gate: _Gate) -> None:
    mapper = _PostMapper(db, plan, where)
    for event in events:
        values, own = mapper.fields(event)
        post_id = mapper.existing(event)
        if own and HELD.match(event.summary):
            if post_id is None:
                mapper.warn(
                    event,
                    "held back for compliance review in the file (its copy is not there); skipped",
                )
            else:
                plan.changes.append(
                    Change("same", event.uid, _label(get_post(db, post_id)), line=event.line)
                )
            continue
        if post_id is None:
            post = Post(
                **{k: v for k, v in values.items() if k != "status"},
                status=values.get("status", Status.IDEA),
                ical_sequence=event.sequence if own else 0,
            )
            post = replace(post, features_patient=features_patient(post))
            verdict = gate.verdict(db, post, None)
            if verdict:
                mapper.warn(event, f"comes in as draft, not {post.status} ({verdict[:160]})")
                post = replace(post, status=Status.DRAFT)
            plan.changes.append(
                Change("add", event.uid, _label(post), post=post, line=event.line, verdict=verdict)
            )
            continue
        before = get_post(db, post_id)
        after = replace(before, **values)
        after = replace(after, features_patient=features_patient(after))
        problem = transition_error(before.status, after.status)
        if problem:
            mapper.warn(event, f"status kept as {before.status} ({problem})")
            after = replace(after, status=before.status)
        verdict = gate.verdict(db, after, before)
        if verdict:
            mapper.warn(
                event, f"status kept as {before.status}, not {after.status} ({verdict[:160]})"
            )
            after = replace(after, status=before.status)
        if before.body.strip() == after.body:
            after = replace(after, body=before.body)
        if [h.casefold() for h in after.all_hashtags] == [
            h.casefold() for h in before.all_hashtags
        ]:
            after = replace(after, hashtags=before.hashtags)
        if sorted(clean_category(t).casefold() for t in before.tags) == sorted(
            t.casefold() for t in after.tags
        ):
            after = replace(
                after, tags=before.tags
            )  # "flu;season" went out as the category "flu season"
        changed = [
            k for k in (*_COMPARED, "features_patient") if getattr(before, k) != getattr(after, k)
        ]
        action = "update" if changed else "same"
        plan.changes.append(
            Change(
                action,
                event.uid,
                _label(after),
                ", ".join(changed),
                post=after,
                line=event.line,
                verdict=verdict,
            )
        )


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
        _add_posts(db, new_posts, plan, where, who=who, now=stamp, today=today)
        for change in plan.changes:
            if change.action == "same" or (change.action == "add" and change.observance is None):
                continue
            try:
                if change.observance is not None:
                    write_observance(db, change, who=who, now=stamp)
                else:
                    _write_post(db, change, plan, where, namespace, who=who, now=stamp, today=today)
            except PostError as exc:
                raise IcsError(f"{where}:{change.line}: {change.label[:60]!r}: {exc}") from None
    plan.applied = True
    return plan


def _add_posts(db, changes: list[Change], plan: ImportPlan, where: str, *, who, now, today) -> None:
    """The plan's new posts in one bulk insert; one the compliance gate refuses is kept as a draft."""

    def keep_as_draft(index: int, post: Post, exc: ComplianceBlocked) -> Post:
        change = changes[index]
        plan.warnings.append(
            f"{where}:{change.line}: {change.label[:60]!r}: kept as {Status.DRAFT} "
            f"({'; '.join(exc.reasons)[:120]})"
        )
        return replace(post, status=Status.DRAFT)

    posts = [c.post for c in changes if c.post is not None]
    if len(posts) != len(changes):
        raise ValueError(f"{where}: a post change without a post")
    try:
        add_posts(
            db,
            posts,
            who=who,
            now=now,
            today=today,
            blocked=keep_as_draft,
            external_uids=[c.uid for c in changes],
        )
    except PostError as exc:
        change = changes[getattr(exc, "index", 0)]
        raise IcsError(f"{where}:{change.line}: {change.label[:60]!r}: {exc}") from None


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


def _write_post(
    db, change: Change, plan: ImportPlan, where: str, namespace: str, *, who, now, today
) -> None:
    post = change.post
    if post is None:
        raise ValueError(
            f"{where}:{change.line}: planned {change.action} of {change.uid!r} carries no post"
        )
    expected = post.sequence
    if change.action == "add":
        save = add_post
    else:  # planned from the post as it was read: an edit saved since then is kept, never overwritten

        def save(db, post, **kwargs):
            return update_post(db, post, expected_sequence=expected, **kwargs)

    try:
        saved = save(db, post, who=who, now=now, today=today)
    except PostChangedElsewhere:
        plan.warnings.append(
            f"{where}:{change.line}: {change.label[:60]!r}: post {post.id} was changed while "
            "the import ran; their change is kept (import the file again to apply this event)"
        )
        return
    except ComplianceBlocked as exc:
        fallback = (
            Status.DRAFT
            if change.action == "add" or post.id is None
            else get_post(db, post.id).status
        )
        plan.warnings.append(
            f"{where}:{change.line}: {change.label[:60]!r}: kept as {fallback} "
            f"({'; '.join(exc.reasons)[:120]})"
        )
        saved = save(db, replace(post, status=fallback), who=who, now=now, today=today)
    if saved.id is None:
        raise ValueError(f"{where}:{change.line}: the saved post came back without an id")
    own = OWN_UID.match(change.uid)
    if change.action == "add" or not (own and own[2] == namespace):
        set_external_uid(
            db,
            saved.id,
            change.uid,
            sequence=post.ical_sequence if change.action == "add" else None,
        )


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
