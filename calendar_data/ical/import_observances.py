"""Events brought in as the team's own observances (`carecal import --as observances`).

Each series (one UID) becomes one custom observance with explicit dates per year; a re-import matches it by
the UID recorded at the first import and updates it in place.
"""

from __future__ import annotations

import re

from calendar_data.ical.changes import Change, ImportPlan
from calendar_data.ical.parse import IcsEvent
from calendar_data.ical.scan import IcsError
from calendar_data.models import CATEGORIES, parse_hashtags
from calendar_data.observance_entries import ObservanceError, observance_from_mapping
from calendar_data.observances import all_observances, imported_observance, save_imported_observance

URL = re.compile(r"https?://[^\s<>\"]+")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-") or "imported"


def _observance_data(events: list[IcsEvent], plan: ImportPlan, where: str) -> dict:
    first = events[0]
    dates: dict[str, object] = {}
    for event in events:
        year = str(event.first_day.year)
        if year in dates:
            plan.warnings.append(
                f"{where}:{event.line}: VEVENT {event.summary[:40]!r}: a second occurrence in "
                f"{year} ({event.first_day}) left out (one date per year)"
            )
            continue
        if event.last_day == event.first_day:
            dates[year] = event.first_day.isoformat()
        else:
            dates[year] = {"start": event.first_day.isoformat(), "end": event.last_day.isoformat()}
    days = (first.last_day - first.first_day).days + 1
    kind = "day" if days == 1 else "week" if 5 <= days <= 9 else "period"
    category = next((c.casefold() for c in first.categories if c.casefold() in CATEGORIES), None)
    if category is None:
        plan.warnings.append(
            f"{where}:{first.line}: VEVENT {first.summary[:40]!r}: no known category; "
            "filed under general-wellness"
        )
    urls = (
        [first.url]
        if first.url.startswith(("http://", "https://"))
        else URL.findall(first.description)
    )
    if not urls:
        plan.warnings.append(
            f"{where}:{first.line}: VEVENT {first.summary[:40]!r}: no source URL; "
            "recorded https://example.invalid/ (add the real one)"
        )
    return {
        "name": (first.summary or "(no title)")[:120],
        "kind": kind,
        "rule": {"dates": dates},
        "category": category or "general-wellness",
        "regions": ["global"],
        "hashtags": list(parse_hashtags(first.summary, first.description)),
        "organisation": first.organizer or "imported",
        "source": (urls or ["https://example.invalid/"])[0],
    }


def plan_observances(db, events: list[IcsEvent], plan: ImportPlan, where: str) -> None:
    groups: dict[str, list[IcsEvent]] = {}
    for event in events:
        groups.setdefault(event.base_uid, []).append(event)
    taken = {o.id for o in all_observances(db)}
    for uid, group in groups.items():
        first = group[0]
        own = re.match(r"^obs-(.+)-\d{4}(-\d+)?@carecal$", uid)
        if own and own[1] in taken:
            plan.warnings.append(
                f"{where}:{first.line}: {first.summary[:40]!r} is carecal's own {own[1]!r}; skipped"
            )
            continue
        data = _observance_data(group, plan, where)
        stored = imported_observance(db, uid)
        if stored:
            data["id"] = stored[0]
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
                raise IcsError(
                    f"{where}:{first.line}: VEVENT {first.summary[:40]!r}: {exc}"
                ) from None
        label = (
            f"{first.first_day.isoformat()} {data['name']} ({len(data['rule']['dates'])} year(s))"
        )
        if stored is None:
            plan.changes.append(Change("add", uid, label, observance=data, line=first.line))
        else:
            old = stored[1]
            changed = [k for k in data if old.get(k) != data[k]]
            plan.changes.append(
                Change(
                    "update" if changed else "same",
                    uid,
                    label,
                    ", ".join(changed),
                    observance=data,
                    line=first.line,
                )
            )


def write_observance(db, change: Change, *, who, now) -> None:
    data = change.observance
    if data is None:
        raise ValueError(
            f"line {change.line}: planned {change.action} of {change.uid!r} carries no observance"
        )
    save_imported_observance(db, data, change.uid, new=change.action == "add", who=who, now=now)
