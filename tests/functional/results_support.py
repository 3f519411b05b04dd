"""A measured third quarter for the results screen, the export dialog and the awareness browser tests.

Hand-counted (today is 21 Nov 2026, so "last quarter" is Q3 2026; America/New_York):

| post | day | type | tags | channel: impressions / engagements | rate |
|---|---|---|---|---|---|
| Flu shot myths | Tue 14 Jul 09:00 | educational | vaccines | facebook 1000 / 80 | 8.0% |
| Meet the NICU team | Wed 5 Aug 15:00 | behind-the-scenes | staff | instagram 2000 / 300 | 15.0% |
| Back-to-school shots | Thu 20 Aug 10:00 | educational, Back to School | vaccines | facebook 500 / 25, x 1500 / 15 | 2.0% |
| We're hiring nurses | Wed 2 Sep 12:00 | recruitment | staff, jobs | linkedin 4000 / 40 | 1.0% |
| Labor Day hours | Thu 3 Sep 08:00 | announcement | | no metrics | |

Q3 totals: 9000 impressions, 460 engagements, 5.1%. Educational 3000 / 120 = 4.0%.
Last year's Winter Wellness Fortnight (28 Dec 2025): one post, facebook 800 / 40 = 5.0%.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from calendar_data.campaigns import add_campaign
from calendar_data.models import Campaign, Channel, ContentType, Post, Status
from calendar_data.posts import add_post
from calendar_data.publish.links import record_published
from calendar_data.publish.metrics import import_metrics
from calendar_data.publish.metrics_formats import TEMPLATE_HEADERS

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CDC = ("https://www.cdc.gov/flu/",)


def _add(db, title, day, at, body, channels, **extra) -> Post:
    return add_post(
        db,
        Post(
            title=title,
            day=day,
            time=at,
            body=body,
            channels=channels,
            status=Status.PUBLISHED,
            **extra,
        ),
        who="seed",
        today=day,
    )


def seed_results(db) -> dict[str, Post]:
    """The measured quarter above, published links and one metrics import; returns the posts by key."""
    add_campaign(
        db,
        Campaign(name="Back to School", start=date(2026, 8, 1), end=date(2026, 9, 15)),
        who="seed",
    )
    posts = {
        "myths": _add(
            db,
            "Flu shot myths",
            date(2026, 7, 14),
            time(9, 0),
            "Three flu shot myths, busted.",
            (Channel.FACEBOOK,),
            content_type=ContentType.EDUCATIONAL,
            tags=("vaccines",),
            sources=CDC,
        ),
        "nicu": _add(
            db,
            "Meet the NICU team",
            date(2026, 8, 5),
            time(15, 0),
            "Say hello to our NICU nurses.",
            (Channel.INSTAGRAM,),
            content_type=ContentType.BEHIND_THE_SCENES,
            tags=("staff",),
        ),
        "school": _add(
            db,
            "Back-to-school shots",
            date(2026, 8, 20),
            time(10, 0),
            "Shots before school starts.",
            (Channel.FACEBOOK, Channel.X),
            content_type=ContentType.EDUCATIONAL,
            tags=("vaccines",),
            campaign="Back to School",
            sources=CDC,
        ),
        "hiring": _add(
            db,
            "We're hiring nurses",
            date(2026, 9, 2),
            time(12, 0),
            "Join our nursing team.",
            (Channel.LINKEDIN,),
            content_type=ContentType.RECRUITMENT,
            tags=("staff", "jobs"),
        ),
        "labor": _add(
            db,
            "Labor Day hours",
            date(2026, 9, 3),
            time(8, 0),
            "Clinic hours for Labor Day.",
            (Channel.FACEBOOK,),
            content_type=ContentType.ANNOUNCEMENT,
        ),
        "winter": _add(
            db,
            "Winter wellness tips",
            date(2025, 12, 28),
            time(9, 0),
            "Stay well this winter.",
            (Channel.FACEBOOK,),
            observance_id="winter-wellness-fortnight",
        ),
    }
    links = [
        (
            "myths",
            "facebook",
            "https://facebook.com/riverside/posts/1",
            datetime(2026, 7, 14, 13, 0),
        ),
        ("nicu", "instagram", "https://instagram.com/p/nicu2", datetime(2026, 8, 5, 19, 0)),
        (
            "school",
            "facebook",
            "https://facebook.com/riverside/posts/3",
            datetime(2026, 8, 20, 14, 0),
        ),
        ("school", "x", "https://x.com/riverside/status/3", datetime(2026, 8, 20, 14, 0)),
        ("hiring", "linkedin", "https://linkedin.com/feed/update/4", datetime(2026, 9, 2, 16, 0)),
        (
            "winter",
            "facebook",
            "https://facebook.com/riverside/posts/6",
            datetime(2025, 12, 28, 14, 0),
        ),
    ]
    for key, channel, url, at in links:
        record_published(
            db, posts[key].id, channel, url, at=at.replace(tzinfo=UTC), now=NOW, who="seed"
        )
    rows = [
        "facebook,https://facebook.com/riverside/posts/1,,,1000,900,50,10,10,0,10,,2026-10-02",
        "instagram,https://instagram.com/p/nicu2,,,2000,1500,200,50,20,30,0,,2026-10-02",
        "facebook,https://facebook.com/riverside/posts/3,,,500,400,20,5,0,0,0,,2026-10-02",
        "x,https://x.com/riverside/status/3,,,1500,,10,0,5,,0,,2026-10-02",
        "linkedin,https://linkedin.com/feed/update/4,,,4000,3000,30,5,5,,0,,2026-10-02",
        "facebook,https://facebook.com/riverside/posts/6,,,800,700,30,5,5,0,0,,2026-01-10",
    ]
    data = ("\r\n".join([",".join(TEMPLATE_HEADERS), *rows]) + "\r\n").encode()
    import_metrics(db, "q3.csv", data=data, today=date(2026, 10, 2), now=NOW, who="seed")
    return posts
