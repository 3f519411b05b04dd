"""Campaigns: named pushes with a goal, dates and a colour that posts belong to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from calendar_data.models import Campaign
from calendar_data.post_stamps import bump_campaign_posts
from calendar_data.storage.changelog import log_change
from calendar_data.storage.columns import dumps, loads_tuple
from calendar_data.storage.connection import utcnow


class CampaignError(ValueError):
    """A campaign that cannot be saved; names the field."""


CAMPAIGN_COLOURS: tuple[str, ...] = (
    "red",
    "orange",
    "gold",
    "green",
    "teal",
    "blue",
    "purple",
    "pink",
    "grey",
)
"""The palette a campaign's colour comes from: each reads on light and dark themes and in exports."""


def _row(row: tuple) -> Campaign:
    return Campaign(
        id=row[0],
        name=row[1],
        goal=row[2],
        start=date.fromisoformat(row[3]) if row[3] else None,
        end=date.fromisoformat(row[4]) if row[4] else None,
        colour=row[5],
        tags=loads_tuple(row[6]),
        archived=bool(row[7]),
    )


_SELECT = "SELECT id, name, goal, start_date, end_date, colour, tags, archived FROM campaigns"


def list_campaigns(db, *, include_archived: bool = False) -> list[Campaign]:
    """Campaigns by start date (undated last), then name."""
    sql = _SELECT + ("" if include_archived else " WHERE archived = 0")
    sql += " ORDER BY start_date IS NULL, start_date, name"
    return [_row(r) for r in db.execute(sql).fetchall()]


def get_campaign(db, name: str) -> Campaign:
    """A campaign by name (any case); CampaignError when there is none."""
    row = db.execute(_SELECT + " WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if row is None:
        raise CampaignError(f"campaign: no campaign named {name!r}")
    return _row(row)


def campaign_id(db, name: str) -> int | None:
    """The id of the campaign named `name` (any case), or None when there is none.

    A post stores its campaign by id; `posts` asks here rather than reading this table itself.
    """
    row = db.execute("SELECT id FROM campaigns WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    return row[0] if row else None


def _check(campaign: Campaign) -> Campaign:
    name = campaign.name.strip()
    if not name:
        raise CampaignError("name: a campaign needs a name")
    if campaign.start and campaign.end and campaign.end < campaign.start:
        raise CampaignError(f"end: {campaign.end} is before start {campaign.start}")
    colour = (campaign.colour or "").strip().casefold()
    if colour and colour not in CAMPAIGN_COLOURS:
        raise CampaignError(
            f"colour: {campaign.colour!r} is not in the palette (choose from "
            f"{', '.join(CAMPAIGN_COLOURS)}, or leave it empty)"
        )
    return replace(campaign, name=name, colour=colour)


def _columns(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "goal": campaign.goal,
        "start_date": campaign.start.isoformat() if campaign.start else None,
        "end_date": campaign.end.isoformat() if campaign.end else None,
        "colour": campaign.colour,
        "tags": dumps(campaign.tags),
        "archived": int(campaign.archived),
    }


def add_campaign(
    db, campaign: Campaign, *, who: str | None = None, now: datetime | None = None
) -> Campaign:
    """Create a campaign; names are unique regardless of case."""
    campaign = _check(campaign)
    if db.execute(
        "SELECT 1 FROM campaigns WHERE name = ? COLLATE NOCASE", [campaign.name]
    ).fetchone():
        raise CampaignError(f"name: a campaign named {campaign.name!r} already exists")
    stamp = (now or utcnow()).isoformat()
    columns = _columns(campaign) | {"created_at": stamp, "updated_at": stamp}
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO campaigns ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # column names from code, values bound  # nosec B608
            list(columns.values()),
        )
        log_change(db, "create", "campaign", cursor.lastrowid, _columns(campaign), who=who, at=now)
    return get_campaign(db, campaign.name)


def update_campaign(
    db, campaign: Campaign, *, who: str | None = None, now: datetime | None = None
) -> Campaign:
    """Save an edited campaign (matched by id)."""
    if campaign.id is None:
        raise CampaignError("id: cannot update a campaign that was never saved")
    campaign = _check(campaign)
    clash = db.execute(
        "SELECT id FROM campaigns WHERE name = ? COLLATE NOCASE AND id != ?",
        [campaign.name, campaign.id],
    ).fetchone()
    if clash:
        raise CampaignError(f"name: a campaign named {campaign.name!r} already exists")
    columns = _columns(campaign) | {"updated_at": (now or utcnow()).isoformat()}
    with db.atomic():
        db.execute(
            f"UPDATE campaigns SET {', '.join(f'{k} = ?' for k in columns)} WHERE id = ?",  # column names from code, values bound  # nosec B608
            [*columns.values(), campaign.id],
        )
        log_change(db, "update", "campaign", campaign.id, _columns(campaign), who=who, at=now)
    return get_campaign(db, campaign.name)


def delete_campaign(db, name: str, *, who: str | None = None) -> Campaign:
    """Remove a campaign (its posts stay, without a campaign); returns what was removed."""
    campaign = get_campaign(db, name)
    with db.atomic():
        bump_campaign_posts(db, campaign.id)
        db.execute("DELETE FROM campaigns WHERE id = ?", [campaign.id])
        log_change(db, "delete", "campaign", campaign.id, _columns(campaign), who=who)
    return campaign


def campaign_post_counts(db) -> dict[str, int]:
    """How many posts each campaign has, by campaign name."""
    rows = db.execute(
        "SELECT c.name, count(p.id) FROM campaigns c LEFT JOIN posts p "
        "ON p.campaign_id = c.id GROUP BY c.id"
    ).fetchall()
    return dict(rows)
