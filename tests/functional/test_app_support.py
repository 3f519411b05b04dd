"""Shared pieces of the app's Pilot and snapshot tests: a seeded calendar and an app factory.

The `seeded` fixture (tests/conftest.py) wraps `seeded_calendar`; the test modules
import the helpers they use. Everything is fixed: today, the small
observance list, the posts and their stamps.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, date, datetime, time
from pathlib import Path

from calendar_data.campaigns import add_campaign
from calendar_data.models import Campaign, Channel, ContentType, Post, Status
from calendar_data.posts import add_post
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings

TODAY = date(2026, 11, 21)
STAMP = datetime(2026, 11, 1, 9, 0)
NOW = datetime(2026, 11, 21, 14, 30, tzinfo=UTC)
"""The app's clock in tests: every write it makes is stamped with this."""


def pilot(test):
    """Run an async Pilot test on a fresh event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


def seed(db) -> None:
    """A small, realistic November: a campaign, posts in several states, tags to filter by."""
    add_campaign(
        db,
        Campaign(
            name="Flu Season",
            start=date(2026, 11, 1),
            end=date(2026, 12, 31),
            goal="Walk-in flu shots",
            colour="teal",
            tags=("vaccines",),
        ),
        who="seed",
    )
    posts = [
        Post(
            title="Flu clinic this week",
            day=TODAY,
            time=time(9, 30),
            status=Status.DRAFT,
            body="Walk-in flu shots all week at Main Street. #FluSeason",
            channels=(Channel.FACEBOOK, Channel.X),
            tags=("vaccines",),
            campaign="Flu Season",
            content_type=ContentType.ANNOUNCEMENT,
            sources=("https://www.cdc.gov/flu/",),
        ),
        Post(
            title="Meet our new cardiologist",
            day=TODAY,
            time=time(15, 0),
            status=Status.IDEA,
            channels=(Channel.LINKEDIN,),
            tags=("cardiology",),
        ),
        Post(
            title="Smokeout: quit tips",
            day=date(2026, 11, 19),
            status=Status.IDEA,
            channels=(Channel.INSTAGRAM,),
            tags=("substance-use",),
            observance_id="great-american-smokeout",
        ),
        Post(
            title="Thank you, night nurses",
            day=date(2026, 11, 30),
            status=Status.IDEA,
            channels=(Channel.INSTAGRAM, Channel.FACEBOOK),
            tags=("staff",),
        ),
        Post(
            title="December flu reminder",
            day=date(2026, 12, 2),
            status=Status.IDEA,
            channels=(Channel.FACEBOOK,),
            tags=("vaccines",),
            campaign="Flu Season",
        ),
    ]
    for post in posts:
        add_post(db, post, who="seed", now=STAMP)


def seeded_calendar(db_path: Path) -> Path:
    """Seed the calendar at `db_path` (opened and closed, so apps open it fresh); returns the path.

    Each test module wraps this in its own `seeded` fixture (with `small_list` for the observances).
    """
    database = open_db(db_path)
    seed(database)
    database.close()
    return db_path


def make_app(db_path: Path, *, today: date = TODAY, now: datetime = NOW):
    """The app as `carecal` builds it (`tui.app.make_app`), on the given file, with a fixed clock."""
    from tui.app import make_app as build

    database = open_db(db_path)
    return build(database, load_settings(database), today, lambda: now, db_path)


async def settle(pilot) -> None:
    """Wait for loading workers and the messages they post."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type `text` key by key, as a person would."""
    keys = {
        " ": "space",
        "#": "number_sign",
        ":": "colon",
        ",": "comma",
        "/": "slash",
        "-": "minus",
        ".": "full_stop",
        "'": "apostrophe",
        '"': "quotation_mark",
        "?": "question_mark",
    }
    await pilot.press(*[keys.get(ch, ch) for ch in text])
