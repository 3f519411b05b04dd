"""What an .ics import changes: events mapped onto posts or observances, then written at once.

`plan_import` reads the file (`ics_import.read_events`) and compares each event
with what the calendar holds, matched by UID (the `external_uid` stored at the
first import, or carecal's own `post-ID-NAMESPACE@carecal` UIDs), so importing
the same file twice changes nothing and an edited file updates in place.
`apply_import` writes the whole plan in one transaction; `--dry-run` stops at
the plan. Nothing here imports icalendar.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from calendar_data.awareness import ObservanceError, observance_from_mapping
from calendar_data.checks.approval import ComplianceBlocked
from calendar_data.checks.workflow import transition_error
from calendar_data.errors import PostError
from calendar_data.ical.export import FOOTER_KEYS, KIND_CATEGORY, clean_category, uid_namespace
from calendar_data.ical.parse import IcsEvent, read_events
from calendar_data.ical.scan import IcsError
from calendar_data.ical.variant_text import split_variants
from calendar_data.models import CATEGORIES, Channel, ContentType, Post, Status, parse_hashtags
from calendar_data.observances import all_observances
from calendar_data.posts import (
    add_post,
    get_post,
    post_id_by_external_uid,
    set_external_uid,
    update_post,
)
from calendar_data.posts_bulk import add_posts
from calendar_data.settings import Settings
from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings

OWN_UID = re.compile(r"^post-(\d+)-([0-9a-f]+)@carecal$")
URL = re.compile(r"https?://[^\s<>\"]+")
_COMPARED = ("title", "day", "time", "body", "tags", "channels", "status", "content_type", "campaign",
             "owner", "sources", "observance_id", "variants")


@dataclass(frozen=True)
class Change:
    """One line of the plan: an item to add, update, or leave as it is."""

    action: str
    """"add", "update" or "same"."""
    uid: str
    label: str
    detail: str = ""
    post: Post | None = None
    observance: dict | None = None
    line: int = 0


@dataclass
class ImportPlan:
    """Everything an import would do, and what it noticed."""

    kind: str
    where: str = "file"
    """The file name messages use."""
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        """How many changes of one kind the plan holds."""
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> str:
        """One line: what was (or would be) added, updated and left alone."""
        verb = "imported" if self.applied else "would import"
        return (f"{verb} {self.kind}: {self.count('add')} added, {self.count('update')} updated, "
                f"{self.count('same')} unchanged")


def default_window(today: date) -> tuple[date, date]:
    """Repeating events expand from a year back to two years ahead."""
    return today - timedelta(days=366), today + timedelta(days=731)


def plan_import(db, data: bytes, *, as_: str = "posts", where: str = "file", today: date,
                settings: Settings | None = None, window: tuple[date, date] | None = None) -> ImportPlan:
    """Read an .ics file and work out what importing it would change (nothing is written)."""
    if as_ not in ("posts", "observances"):
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
        if event.status == "CANCELLED":
            skipped["cancelled"] += 1
        elif as_ == "posts" and event.carecal_kind in ("observance", "holiday"):
            skipped[f"carecal {event.carecal_kind}"] += 1
        else:
            events.append(event)
    for reason, count in sorted(skipped.items()):
        plan.warnings.append(f"{where}: {count} {reason} event{'s' if count > 1 else ''} skipped")
    if as_ == "posts":
        _plan_posts(db, events, plan, where)
    else:
        _plan_observances(db, events, plan, where)
    return plan


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
        self.campaigns = {r[0].casefold(): r[0] for r in db.execute("SELECT name FROM campaigns").fetchall()}
        self.observance_ids = {o.id for o in all_observances(db)}

    def warn(self, event: IcsEvent, text: str) -> None:
        self.plan.warnings.append(f"{self.where}:{event.line}: VEVENT {event.summary[:40]!r}: {text}")

    def fields(self, event: IcsEvent) -> tuple[dict, bool]:
        own = bool(OWN_UID.match(event.base_uid)) or event.carecal_kind == "post"
        body, footer = _footer(event.description) if own else (event.description, {})
        title = event.summary or "(no title)"
        if not event.summary:
            self.warn(event, "no SUMMARY; titled '(no title)'")
        if len(title) > 300:
            self.warn(event, "title longer than 300 characters; shortened")
            title = title[:299] + "…"
        if event.last_day > event.first_day:
            self.warn(event, f"runs {event.first_day} to {event.last_day}; imported as a post on its first day")
        values: dict = {"title": title, "day": event.first_day, "body": body.strip(),
                        "time": None if event.all_day else event.start.time().replace(second=0, tzinfo=None)}
        labels = set(KIND_CATEGORY.values())
        tags = tuple(dict.fromkeys(t for c in event.categories if c not in labels
                                   for t in [" ".join(c.replace(",", " ").lstrip("#").split())[:60]] if t))
        if tags or own:
            values["tags"] = tags
        sources = [u for u in footer.get("Sources", "").split() if u.startswith(("http://", "https://"))]
        if event.url.startswith(("http://", "https://")) and event.url not in sources:
            sources.append(event.url)
        if sources or own:
            values["sources"] = tuple(sources)
        if not own:
            return values, False
        values["channels"] = tuple(Channel(c) for c in re.split(r",\s*", footer.get("Channels", ""))
                                   if c in Channel.__members__.values())
        copy, variants = split_variants(values["body"])  # "[Copy for X]" blocks: the per-channel copy
        values["body"] = copy.strip()
        values["variants"] = tuple(v for v in variants if v[0] in values["channels"])
        if footer.get("Status") in Status.__members__.values():
            values["status"] = Status(footer["Status"])
        if footer.get("Type") in ContentType.__members__.values():
            values["content_type"] = ContentType(footer["Type"])
        values["owner"] = footer.get("Owner", "")
        campaign = footer.get("Campaign")
        if campaign and campaign.casefold() not in self.campaigns:
            self.warn(event, f"campaign {campaign!r} does not exist here; left out")
        values["campaign"] = self.campaigns.get((campaign or "").casefold())
        observance = footer.get("Observance")
        if observance and observance not in self.observance_ids:
            self.warn(event, f"observance {observance!r} is unknown here; left out")
        values["observance_id"] = observance if observance in self.observance_ids else None
        in_body = {h.casefold() for h in parse_hashtags(body)}
        values["hashtags"] = tuple(h for h in footer.get("Hashtags", "").split()
                                   if h.startswith("#") and h.casefold() not in in_body)
        return values, True

    def existing(self, event: IcsEvent) -> int | None:
        match = OWN_UID.match(event.uid)
        if match and match[2] == self.namespace:
            try:
                return get_post(self.db, int(match[1])).id
            except PostError:
                return None
        return post_id_by_external_uid(self.db, event.uid)


def _label(post: Post) -> str:
    when = f"{post.day.isoformat()} {post.time.strftime('%H:%M')}" if post.time else post.day.isoformat()
    return f"{when} {post.title}"


def _plan_posts(db, events: list[IcsEvent], plan: ImportPlan, where: str) -> None:
    mapper = _PostMapper(db, plan, where)
    for event in events:
        values, _own = mapper.fields(event)
        post_id = mapper.existing(event)
        if post_id is None:
            post = Post(**{k: v for k, v in values.items() if k != "status"},
                        status=values.get("status", Status.IDEA))
            plan.changes.append(Change("add", event.uid, _label(post), post=post, line=event.line))
            continue
        before = get_post(db, post_id)
        after = replace(before, **values)
        problem = transition_error(before.status, after.status)
        if problem:
            mapper.warn(event, f"status kept as {before.status} ({problem})")
            after = replace(after, status=before.status)
        if before.body.strip() == after.body:
            after = replace(after, body=before.body)
        if [h.casefold() for h in after.all_hashtags] == [h.casefold() for h in before.all_hashtags]:
            after = replace(after, hashtags=before.hashtags)
        if sorted(clean_category(t).casefold() for t in before.tags) == sorted(t.casefold() for t in after.tags):
            after = replace(after, tags=before.tags)  # "flu;season" went out as the category "flu season"
        changed = [k for k in _COMPARED if getattr(before, k) != getattr(after, k)]
        action = "update" if changed else "same"
        plan.changes.append(Change(action, event.uid, _label(after), ", ".join(changed), post=after, line=event.line))


# --- observances ---------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-") or "imported"


def _observance_data(events: list[IcsEvent], plan: ImportPlan, where: str) -> dict:
    first = events[0]
    dates: dict[str, object] = {}
    for event in events:
        year = str(event.first_day.year)
        if year in dates:
            plan.warnings.append(f"{where}:{event.line}: VEVENT {event.summary[:40]!r}: a second occurrence in "
                                 f"{year} ({event.first_day}) left out (one date per year)")
            continue
        if event.last_day == event.first_day:
            dates[year] = event.first_day.isoformat()
        else:
            dates[year] = {"start": event.first_day.isoformat(), "end": event.last_day.isoformat()}
    days = (first.last_day - first.first_day).days + 1
    kind = "day" if days == 1 else "week" if 5 <= days <= 9 else "period"
    category = next((c.casefold() for c in first.categories if c.casefold() in CATEGORIES), None)
    if category is None:
        plan.warnings.append(f"{where}:{first.line}: VEVENT {first.summary[:40]!r}: no known category; "
                             "filed under general-wellness")
    urls = [first.url] if first.url.startswith(("http://", "https://")) else URL.findall(first.description)
    if not urls:
        plan.warnings.append(f"{where}:{first.line}: VEVENT {first.summary[:40]!r}: no source URL; "
                             "recorded https://example.invalid/ (add the real one)")
    return {
        "name": (first.summary or "(no title)")[:120], "kind": kind, "rule": {"dates": dates},
        "category": category or "general-wellness", "regions": ["global"],
        "hashtags": list(parse_hashtags(first.summary, first.description)),
        "organisation": first.organizer or "imported", "source": (urls or ["https://example.invalid/"])[0],
    }


def _plan_observances(db, events: list[IcsEvent], plan: ImportPlan, where: str) -> None:
    groups: dict[str, list[IcsEvent]] = {}
    for event in events:
        groups.setdefault(event.base_uid, []).append(event)
    taken = {o.id for o in all_observances(db)}
    for uid, group in groups.items():
        first = group[0]
        own = re.match(r"^obs-(.+)-\d{4}(-\d+)?@carecal$", uid)
        if own and own[1] in taken:
            plan.warnings.append(f"{where}:{first.line}: {first.summary[:40]!r} is carecal's own {own[1]!r}; skipped")
            continue
        data = _observance_data(group, plan, where)
        row = db.execute("SELECT id, data FROM custom_observances WHERE external_uid = ?", [uid]).fetchone()
        if row:
            data["id"] = row[0]
        else:
            base = _slug(data["name"])
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            data["id"] = candidate
            taken.add(candidate)
        try:
            observance_from_mapping(data, custom=True)
        except ObservanceError as exc:
            if "field 'kind'" in str(exc) and data["kind"] != "period":
                data["kind"] = "period"
                observance_from_mapping(data, custom=True)
            else:
                raise IcsError(f"{where}:{first.line}: VEVENT {first.summary[:40]!r}: {exc}") from None
        label = f"{first.first_day.isoformat()} {data['name']} ({len(data['rule']['dates'])} year(s))"
        if row is None:
            plan.changes.append(Change("add", uid, label, observance=data, line=first.line))
        else:
            old = json.loads(row[1])
            changed = [k for k in data if old.get(k) != data[k]]
            plan.changes.append(Change("update" if changed else "same", uid, label, ", ".join(changed),
                                       observance=data, line=first.line))


# --- writing -------------------------------------------------------------------------------


def apply_import(db, plan: ImportPlan, *, who: str | None = None, now: datetime | None = None,
                 today: date | None = None) -> ImportPlan:
    """Write the plan in one transaction: all of it lands, or (on any error) none of it."""
    where = plan.where
    stamp = now or utcnow()
    namespace = uid_namespace(db)
    with db.atomic():
        new_posts = [c for c in plan.changes if c.action == "add" and c.observance is None]
        _add_posts(db, new_posts, plan, where, who=who, now=stamp, today=today)
        for change in plan.changes:
            if change.action == "same" or (change.action == "add" and change.observance is None):
                continue
            try:
                if change.observance is not None:
                    _write_observance(db, change, who=who, now=stamp)
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
        plan.warnings.append(f"{where}:{change.line}: {change.label[:60]!r}: kept as {Status.DRAFT} "
                             f"({'; '.join(exc.reasons)[:120]})")
        return replace(post, status=Status.DRAFT)

    try:
        add_posts(db, [c.post for c in changes], who=who, now=now, today=today, blocked=keep_as_draft,
                  external_uids=[c.uid for c in changes])
    except PostError as exc:
        change = changes[getattr(exc, "index", 0)]
        raise IcsError(f"{where}:{change.line}: {change.label[:60]!r}: {exc}") from None


def _write_post(db, change: Change, plan: ImportPlan, where: str, namespace: str, *, who, now, today) -> None:
    post = change.post
    save = add_post if change.action == "add" else update_post
    try:
        saved = save(db, post, who=who, now=now, today=today)
    except ComplianceBlocked as exc:
        fallback = Status.DRAFT if change.action == "add" else get_post(db, post.id).status
        plan.warnings.append(f"{where}:{change.line}: {change.label[:60]!r}: kept as {fallback} "
                             f"({'; '.join(exc.reasons)[:120]})")
        saved = save(db, replace(post, status=fallback), who=who, now=now, today=today)
    own = OWN_UID.match(change.uid)
    if change.action == "add" or not (own and own[2] == namespace):
        set_external_uid(db, saved.id, change.uid)


def _write_observance(db, change: Change, *, who, now) -> None:
    data = change.observance
    stamp = now.isoformat()
    if change.action == "add":
        db.execute("INSERT INTO custom_observances (id, data, created_at, updated_at, external_uid) "
                   "VALUES (?, ?, ?, ?, ?)", [data["id"], json.dumps(data), stamp, stamp, change.uid])
        log_change(db, "create", "observance", data["id"], data, who=who, at=now)
    else:
        db.execute("UPDATE custom_observances SET data = ?, updated_at = ? WHERE id = ?",
                   [json.dumps(data), stamp, data["id"]])
        log_change(db, "update", "observance", data["id"], data, who=who, at=now)


def import_ics(db, data: bytes, *, as_: str = "posts", where: str = "file", today: date,
               dry_run: bool = False, who: str | None = None, now: datetime | None = None,
               window: tuple[date, date] | None = None) -> ImportPlan:
    """Plan an import and, unless `dry_run`, apply it."""
    plan = plan_import(db, data, as_=as_, where=where, today=today, window=window)
    return plan if dry_run else apply_import(db, plan, who=who, now=now, today=today)
