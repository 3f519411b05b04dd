"""Planning an import of .ics events as the organisation's own observances (`carecal import --as observances`).

Events are grouped by UID (one observance, its dates per year), matched to what an
earlier import created, and checked by the same loader that reads awareness_days.yaml.
"""

from __future__ import annotations

import json
import re

from calendar_data.awareness import ObservanceError, observance_from_mapping
from calendar_data.ical.import_plan import Change, ImportPlan
from calendar_data.ical.parse import IcsEvent
from calendar_data.ical.scan import IcsError
from calendar_data.models import CATEGORIES, parse_hashtags
from calendar_data.observances import all_observances

URL = re.compile(r"https?://[^\s<>\"]+")


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


def plan_observances(db, events: list[IcsEvent], plan: ImportPlan, where: str) -> None:
    """Add to `plan` one change per observance (UID) in `events`: add, update, or leave as it is."""
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
