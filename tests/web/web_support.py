"""A calendar for the reviewer tests: one post on "today" that passes the approval gate."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post
from calendar_data.storage.database import open_db

TODAY = date(2026, 11, 21)
TITLE = "Flu clinic this week"


def review_calendar(path: Path) -> Path:
    """A calendar at `path` with one post in review on TODAY (closed again, so apps open it fresh)."""
    db = open_db(path)
    add_post(
        db,
        Post(
            title=TITLE,
            day=TODAY,
            time=time(9, 30),
            status=Status.REVIEW,
            body="Walk-in flu shots all week at Main Street. #FluSeason",
            channels=(Channel.FACEBOOK,),
            content_type=ContentType.ANNOUNCEMENT,
            sources=("https://www.cdc.gov/flu/",),
        ),
        who="seed",
    )
    db.close()
    return path
