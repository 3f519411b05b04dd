"""The team's shared lists on the server: campaigns, tag colours, observance stars and mutes.

They travel as one resource (`vevent.TEAM_UID`) holding a map of entries,
`campaign:<name>`, `tag:<name>` and `observance:<id>`, merged entry by entry
against the last synced map: an entry changed on one side only takes that
side's value; one changed differently on both sides is a conflict (kind
"team") and keeps each side's value until someone decides. Campaigns are never
deleted by a sync (carecal archives campaigns; the archived flag travels).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TypedDict

from calendar_data.campaigns import (
    CampaignError,
    add_campaign,
    get_campaign,
    list_campaigns,
    update_campaign,
)
from calendar_data.models import Campaign
from calendar_data.observances import Preference, find_observance, preferences, set_preference
from calendar_data.tags import TagError, has_tag, list_tags, set_tag_colour


def local_lists(db) -> dict:
    """This calendar's shared lists as a map of entries."""
    lists: dict = {}
    for c in list_campaigns(db, include_archived=True):
        lists[f"campaign:{c.name.casefold()}"] = {
            "name": c.name,
            "goal": c.goal,
            "start": c.start.isoformat() if c.start else None,
            "end": c.end.isoformat() if c.end else None,
            "colour": c.colour,
            "tags": list(c.tags),
            "archived": c.archived,
        }
    for tag in list_tags(db):
        if tag.colour:
            lists[f"tag:{tag.name.casefold()}"] = {"name": tag.name, "colour": tag.colour}
    for observance_id, pref in preferences(db).items():
        if pref.starred or pref.muted:
            lists[f"observance:{observance_id}"] = {"starred": pref.starred, "muted": pref.muted}
    return lists


def representable(db, key: str) -> bool:
    """Whether this calendar can hold an entry (a tag colour needs the tag; a star needs the observance)."""
    kind, _, name = key.partition(":")
    if kind == "tag":
        return has_tag(db, name)
    if kind == "observance":
        try:
            find_observance(db, name)
        except ValueError:
            return False
        return True
    return kind == "campaign"


def merge(
    base: dict, local: dict, remote: dict, conflicted: set[str]
) -> tuple[dict, dict, set[str]]:
    """Three-way merge: (entries to apply here, the map to put on the server, keys newly in conflict)."""
    to_apply, upload, clashes = {}, dict(remote), set()
    for key in sorted(set(base) | set(local) | set(remote)):
        b, mine, theirs = base.get(key), local.get(key), remote.get(key)
        if key in conflicted or mine == theirs:
            continue
        if mine == b:
            to_apply[key] = theirs
        elif theirs == b:
            _put(upload, key, mine)
        else:
            clashes.add(key)
    return to_apply, upload, clashes


def upload_map(db, base: dict, local: dict, conflicted: set[str]) -> dict:
    """What goes to the server: local entries, but the base's for conflicts and entries this calendar cannot hold."""
    upload = dict(local)
    for key, value in base.items():
        if key in conflicted or (key not in local and not representable(db, key)):
            _put(upload, key, value)
    for key in conflicted:
        if key not in base:
            upload.pop(key, None)
    return upload


def _put(target: dict, key: str, value) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def apply_entry(db, key: str, value, *, who: str) -> str | None:
    """Write one entry here through the data layer; returns a warning when it cannot be applied."""
    kind, _, name = key.partition(":")
    try:
        if kind == "campaign" and value:
            _apply_campaign(db, value, who)
        elif kind == "tag":
            if representable(db, key):
                set_tag_colour(
                    db, (value or {}).get("name", name), (value or {}).get("colour", ""), who=who
                )
        elif kind == "observance" and representable(db, key):
            pref = Preference(**(value or {}))
            set_preference(db, name, starred=pref.starred, muted=pref.muted, who=who)
    except (CampaignError, TagError, ValueError, TypeError) as exc:
        return f"team list entry {key!r}: {exc}"
    return None


class _CampaignFields(TypedDict):
    """The `Campaign` fields a team-list entry carries (never the id: that is this calendar's own)."""

    name: str
    goal: str
    start: date | None
    end: date | None
    colour: str
    tags: tuple[str, ...]
    archived: bool


def _apply_campaign(db, value: dict, who: str) -> None:
    fields: _CampaignFields = {
        "name": str(value["name"]),
        "goal": str(value.get("goal") or ""),
        "start": date.fromisoformat(value["start"]) if value.get("start") else None,
        "end": date.fromisoformat(value["end"]) if value.get("end") else None,
        "colour": str(value.get("colour") or ""),
        "tags": tuple(value.get("tags") or ()),
        "archived": bool(value.get("archived")),
    }
    try:
        existing = get_campaign(db, fields["name"])
    except CampaignError:
        add_campaign(db, Campaign(**fields), who=who)
        return
    update_campaign(db, replace(existing, **fields), who=who)
