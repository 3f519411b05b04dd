"""What strikes a chord: engagement rate by content type, tag, campaign, observance, channel, weekday, hour.

The unit is one post's latest numbers on one channel (the newest export of
each matched row; rejected rows never count). Engagements are reactions +
comments + shares + saves + clicks; a group's engagement rate is its
engagements divided by its impressions (so big posts weigh more than an
average of rates would let them). Weekday and hour are the team's local time
the post went live: the recorded link's time, else the export's, else the plan.
`performance` feeds `carecal report` and the TUI's results screen;
`observance_history` answers "how did our posts for this observance do last year".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from calendar_data.models import Channel, Post
from calendar_data.posts import list_posts
from calendar_data.storage.settings_table import load_settings

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DIMENSIONS = ("content_type", "tag", "campaign", "observance", "channel", "weekday", "hour")
"""The groupings every report compares, in the order they are shown."""
ENGAGEMENT_PARTS = ("reactions", "comments", "shares", "saves", "clicks")


@dataclass(frozen=True)
class Result:
    """One post's numbers on one channel (from the newest export), and when it went out (local)."""

    post: Post
    channel: Channel
    impressions: int
    reach: int
    engagements: int
    video_views: int | None
    went_out: datetime
    exported_on: date


@dataclass(frozen=True)
class Group:
    """One bar of a comparison: a value of a dimension and its totals."""

    key: str
    label: str
    posts: int
    impressions: int
    engagements: int

    @property
    def rate(self) -> float | None:
        """Engagements per impression (None when nothing was seen)."""
        return self.engagements / self.impressions if self.impressions else None


@dataclass(frozen=True)
class PostScore:
    """A post's totals across its channels, for the best and worst lists."""

    post: Post
    channels: tuple[Channel, ...]
    impressions: int
    engagements: int

    @property
    def rate(self) -> float | None:
        """Engagements per impression across the post's channels."""
        return self.engagements / self.impressions if self.impressions else None


@dataclass(frozen=True)
class Performance:
    """Everything the report and the results screen show for a period."""

    start: date
    end: date
    results: tuple[Result, ...]
    groups: dict[str, tuple[Group, ...]]
    best: tuple[PostScore, ...]
    worst: tuple[PostScore, ...]
    impressions: int
    engagements: int
    posts_without_metrics: int

    @property
    def rate(self) -> float | None:
        """The period's engagement rate."""
        return self.engagements / self.impressions if self.impressions else None


def latest_results(db, posts: Iterable[Post], zone: str) -> list[Result]:
    """Each post's newest matched numbers per channel (rejected and unmatched rows never count)."""
    by_id = {p.id: p for p in posts}
    if not by_id:
        return []
    tz = ZoneInfo(zone)
    links = {
        (r[0], r[1]): r[2]
        for r in db.execute("SELECT post_id, channel, published_at FROM published_links")
    }
    rows = db.execute(
        "SELECT post_id, channel, impressions, reach, reactions, comments, shares, saves, clicks, video_views, "
        "published_at, exported_on FROM (SELECT *, row_number() OVER (PARTITION BY post_id, channel "
        "ORDER BY exported_on DESC, id DESC) AS n FROM metric_rows WHERE status = 'matched' "
        "AND post_id IN (SELECT value FROM json_each(?))) WHERE n = 1 ORDER BY post_id, channel",
        [json.dumps(sorted(by_id))],
    ).fetchall()
    results = []
    for row in rows:
        post = by_id.get(row[0])
        if post is None:
            continue
        stamp = links.get((row[0], row[1])) or row[10]
        went = (
            datetime.fromisoformat(stamp).astimezone(tz)
            if stamp
            else datetime.combine(post.day, post.time or time(12, 0), tzinfo=tz)
        )
        results.append(
            Result(
                post,
                Channel(row[1]),
                row[2] or 0,
                row[3] or 0,
                sum(v or 0 for v in row[4:9]),
                row[9],
                went,
                date.fromisoformat(row[11]),
            )
        )
    return results


def performance(
    db,
    start: date,
    end: date,
    *,
    settings=None,
    top: int = 5,
    observance_names: dict[str, str] | None = None,
) -> Performance:
    """The period's comparison by every dimension, and its best and worst posts.

    Posts are those dated in [start, end]; `observance_names` maps ids to names
    (read from the observance list when not given).
    """
    settings = settings or load_settings(db)
    posts = list_posts(db, start, end)
    results = latest_results(db, posts, settings.timezone)
    names = observance_names if observance_names is not None else _observance_names(db, results)
    groups = {
        name: tuple(_group(results, key, chronological=name in ("weekday", "hour")))
        for name, key in _keys(names).items()
    }
    scores = _scores(results)
    ranked = sorted(
        (s for s in scores if s.impressions),
        key=lambda s: (-(s.rate or 0), -s.impressions, s.post.id),
    )
    best = tuple(ranked[:top])
    worst = tuple(s for s in reversed(ranked) if s not in best)[:top]
    measured = {r.post.id for r in results}
    return Performance(
        start,
        end,
        tuple(results),
        groups,
        best,
        worst,
        sum(r.impressions for r in results),
        sum(r.engagements for r in results),
        sum(1 for p in posts if p.id not in measured),
    )


def _observance_names(db, results: list[Result]) -> dict[str, str]:
    ids = {r.post.observance_id for r in results if r.post.observance_id}
    if not ids:
        return {}
    from calendar_data.observances import all_observances

    return {o.id: o.name for o in all_observances(db) if o.id in ids}


Key = Callable[[Result], list[tuple[str, str]]]


def _keys(names: dict[str, str]) -> dict[str, Key]:
    def content(r: Result):
        value = r.post.content_type.value if r.post.content_type else "none"
        return [(value, value.replace("-", " ") if r.post.content_type else "(no type)")]

    return {
        "content_type": content,
        "tag": lambda r: [(t.casefold(), t) for t in r.post.tags] or [("", "(untagged)")],
        "campaign": lambda r: [
            ((r.post.campaign or "").casefold(), r.post.campaign or "(no campaign)")
        ],
        "observance": lambda r: [
            (
                r.post.observance_id or "",
                names.get(r.post.observance_id or "", r.post.observance_id or "(no observance)"),
            )
        ],
        "channel": lambda r: [(r.channel.value, r.channel.value)],
        "weekday": lambda r: [(str(r.went_out.weekday()), WEEKDAYS[r.went_out.weekday()])],
        "hour": lambda r: [(f"{r.went_out.hour:02d}", f"{r.went_out.hour:02d}:00")],
    }


def _group(results: list[Result], key: Key, *, chronological: bool = False) -> list[Group]:
    totals: dict[str, list] = {}
    for result in results:
        for value, label in key(result):
            entry = totals.setdefault(value, [label, set(), 0, 0])
            entry[1].add(result.post.id)
            entry[2] += result.impressions
            entry[3] += result.engagements
    groups = [Group(k, v[0], len(v[1]), v[2], v[3]) for k, v in totals.items()]
    if chronological:  # Monday to Sunday, 00:00 to 23:00
        return sorted(groups, key=lambda g: int(g.key))
    return sorted(groups, key=lambda g: (g.rate is None, -(g.rate or 0), g.label.casefold()))


def _scores(results: list[Result]) -> list[PostScore]:
    by_post: dict[int, list[Result]] = {}
    for result in results:
        if result.post.id is not None:
            by_post.setdefault(result.post.id, []).append(result)
    return [
        PostScore(
            rs[0].post,
            tuple(r.channel for r in rs),
            sum(r.impressions for r in rs),
            sum(r.engagements for r in rs),
        )
        for rs in by_post.values()
    ]


@dataclass(frozen=True)
class ObservanceHistory:
    """How the team's posts linked to one observance did in one year."""

    observance_id: str
    year: int
    posts: tuple[PostScore, ...]
    unmeasured: tuple[Post, ...]
    impressions: int
    engagements: int

    @property
    def rate(self) -> float | None:
        """Engagements per impression over those posts."""
        return self.engagements / self.impressions if self.impressions else None


def observance_history(db, observance_id: str, year: int, *, settings=None) -> ObservanceHistory:
    """The posts linked to `observance_id` dated in `year`, with their numbers (for the awareness browser)."""
    settings = settings or load_settings(db)
    posts = [
        p
        for p in list_posts(db, date(year, 1, 1), date(year, 12, 31))
        if p.observance_id == observance_id
    ]
    scores = sorted(
        _scores(latest_results(db, posts, settings.timezone)), key=lambda s: (s.post.day, s.post.id)
    )
    measured = {s.post.id for s in scores}
    return ObservanceHistory(
        observance_id,
        year,
        tuple(scores),
        tuple(p for p in posts if p.id not in measured),
        sum(s.impressions for s in scores),
        sum(s.engagements for s in scores),
    )


def last_year(db, observance_id: str, *, today: date, settings=None) -> ObservanceHistory:
    """`observance_history` for the year before `today`'s."""
    return observance_history(db, observance_id, today.year - 1, settings=settings)
