"""Builders of the benchmark data: a big calendar database, an .ics file and a calcurse copy.

Everything is generated from a seed, so two runs (and two machines) measure the same data. The
database goes through the real schema (`calendar_data.storage.database.open_db`) and is then filled with
`executemany` inside one transaction, which builds 50,000 posts in a few seconds.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

CHANNELS = (
    "facebook",
    "instagram",
    "x",
    "linkedin",
    "youtube",
    "tiktok",
    "pinterest",
    "threads",
    "bluesky",
)
STATUSES = (
    ("idea", 8),
    ("draft", 10),
    ("review", 6),
    ("approved", 8),
    ("scheduled", 10),
    ("published", 50),
    ("rejected", 3),
    ("archived", 5),
)
CONTENT_TYPES = (
    "educational",
    "patient-story",
    "infographic",
    "behind-the-scenes",
    "shout-out",
    "live-event",
    "crisis-update",
    "myth-busting",
    "recruitment",
    "announcement",
)
TOPICS = (
    "heart",
    "stroke",
    "cancer",
    "screening",
    "vaccines",
    "flu",
    "covid",
    "diabetes",
    "kidney",
    "mental-health",
    "nutrition",
    "fitness",
    "sleep",
    "maternity",
    "pediatrics",
    "nursing",
    "recruitment",
    "volunteers",
    "foundation",
    "research",
    "trauma",
    "ortho",
    "dementia",
    "asthma",
    "skin",
    "eyes",
    "dental",
    "mens-health",
    "womens-health",
    "equity",
)
TAG_SUFFIXES = ("", "-week", "-tips", "-story", "-event", "-myths", "-team", "-2")
OWNERS = ("Sam Lee", "Ana Ruiz", "Priya Shah", "Tom Okafor", "Jo Brown", "Mei Chen", "Luca Rossi")
WORDS = (
    "Join",
    "our",
    "team",
    "at",
    "the",
    "clinic",
    "this",
    "week",
    "for",
    "free",
    "checks",
    "Learn",
    "how",
    "small",
    "changes",
    "help",
    "your",
    "heart",
    "stay",
    "strong",
    "Our",
    "nurses",
    "share",
    "tips",
    "on",
    "healthy",
    "habits",
    "and",
    "screening",
    "saves",
    "lives",
    "Book",
    "today",
    "with",
    "a",
    "doctor",
    "you",
    "trust",
    "Thank",
    "you",
    "to",
    "every",
    "volunteer",
    "who",
    "made",
    "it",
)
TZID = "America/New_York"
BENCH_TODAY = (3, 15)
"""The month and day the app is told is today (`--today`), in the bench year."""


@dataclass(frozen=True)
class Sizes:
    """How much data to build (the defaults are issue 7's sizes)."""

    posts: int = 50_000
    first_year: int = 2022
    years: int = 10
    bench_year: int = 2027
    bench_year_posts: int = 10_000
    tag_links: int = 100_000
    tags: int = 240
    campaigns: int = 60
    ics_timed: int = 10_000
    ics_yearly: int = 200


FULL = Sizes()
TINY = Sizes(
    posts=400,
    first_year=2026,
    years=2,
    bench_year=2027,
    bench_year_posts=200,
    tag_links=800,
    tags=20,
    campaigns=6,
    ics_timed=50,
    ics_yearly=5,
)


@dataclass(frozen=True)
class DatabaseStats:
    """What `build_database` wrote."""

    path: Path
    posts: int
    bench_year_posts: int
    tag_links: int
    campaigns: int
    observances: int


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _hashtag(topic: str) -> str:
    return "#" + "".join(part.capitalize() for part in topic.split("-"))


def _days_of(rng: random.Random, sizes: Sizes) -> list[date]:
    """A date for every post: `bench_year_posts` in the bench year, the rest spread over the others."""
    others = [
        y for y in range(sizes.first_year, sizes.first_year + sizes.years) if y != sizes.bench_year
    ]
    days = []
    for i in range(sizes.posts):
        year = (
            sizes.bench_year
            if i < sizes.bench_year_posts or not others
            else others[i % len(others)]
        )
        first = date(year, 1, 1)
        days.append(first + timedelta(days=rng.randrange((date(year + 1, 1, 1) - first).days)))
    days.sort()
    return days


def _tag_counts(rng: random.Random, posts: int, links: int, vocabulary: int) -> list[int]:
    """Tags per post (1 to 3 around the mean) adding up to exactly `links`."""
    base, extra = divmod(links, posts)
    counts = [base + (i < extra) for i in range(posts)]
    for _ in range(posts // 2):  # move a tag between two posts to vary the counts
        a, b = rng.randrange(posts), rng.randrange(posts)
        if counts[a] > 1 and counts[b] < min(vocabulary, base + 2):
            counts[a] -= 1
            counts[b] += 1
    rng.shuffle(counts)
    return [min(c, vocabulary) for c in counts]


def build_database(path: Path, sizes: Sizes = FULL, *, seed: int = 7) -> DatabaseStats:
    """A calendar with `sizes.posts` posts through the real schema, filled in one transaction."""
    from calendar_data.awareness import load_observances
    from calendar_data.storage.database import open_db

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_db(path)  # creates the file (mode 0600) and runs every migration
    db.close()
    rng = random.Random(seed)
    observances = load_observances()
    stamp = "2026-01-05T09:00:00+00:00"
    tag_names = [
        f"{TOPICS[i % len(TOPICS)]}{TAG_SUFFIXES[i // len(TOPICS) % len(TAG_SUFFIXES)]}"
        + (
            f"-{i // (len(TOPICS) * len(TAG_SUFFIXES))}"
            if i >= len(TOPICS) * len(TAG_SUFFIXES)
            else ""
        )
        for i in range(sizes.tags)
    ]
    tag_weights = [1 / (rank + 1) for rank in range(sizes.tags)]  # a few tags carry most posts
    campaigns = []
    span_days = (date(sizes.first_year + sizes.years, 1, 1) - date(sizes.first_year, 1, 1)).days
    for i in range(sizes.campaigns):
        start = date(sizes.first_year, 1, 1) + timedelta(
            days=i * span_days // max(sizes.campaigns, 1)
        )
        end = start + timedelta(days=rng.randint(20, 90))
        topic = TOPICS[i % len(TOPICS)]
        campaigns.append(
            (
                i + 1,
                f"{topic.replace('-', ' ').title()} push {i + 1}",
                f"Raise awareness of {topic}",
                start.isoformat(),
                end.isoformat(),
                f"#{rng.randrange(0xFFFFFF):06x}",
                json.dumps([topic]),
                0,
                stamp,
                stamp,
            )
        )
    days = _days_of(rng, sizes)
    counts = _tag_counts(rng, sizes.posts, sizes.tag_links, sizes.tags)
    statuses, status_weights = zip(*STATUSES, strict=True)
    posts, channels, links, consents, changes = [], [], [], [], []
    campaign_index = 0
    for post_id, (day, n_tags) in enumerate(zip(days, counts, strict=True), start=1):
        topic = rng.choice(TOPICS)
        timed = rng.random() < 0.75
        post_time = f"{rng.randint(7, 19):02d}:{rng.choice((0, 15, 30, 45)):02d}" if timed else None
        while (
            campaign_index < len(campaigns) - 1 and campaigns[campaign_index][4] < day.isoformat()
        ):
            campaign_index += 1
        c = campaigns[campaign_index] if campaigns else None
        campaign_id = c[0] if c and c[3] <= day.isoformat() <= c[4] and rng.random() < 0.6 else None
        observance_id = rng.choice(observances).id if observances and rng.random() < 0.2 else None
        hashtags = [_hashtag(topic)] + (
            [_hashtag(rng.choice(TOPICS))] if rng.random() < 0.3 else []
        )
        body = f"{_words(rng, 12, 30)}. {_hashtag(topic)} {_words(rng, 4, 12)}."
        patient = rng.random() < 0.03
        posts.append(
            (
                post_id,
                f"{topic.replace('-', ' ').capitalize()}: {_words(rng, 3, 7)}",
                body,
                day.isoformat(),
                post_time,
                rng.choices(statuses, status_weights)[0],
                rng.choice(CONTENT_TYPES),
                campaign_id,
                rng.choice(OWNERS),
                observance_id,
                json.dumps(hashtags),
                "[]",
                json.dumps(["https://www.cdc.gov/heart-disease/"]) if rng.random() < 0.3 else "[]",
                int(patient),
                "call Jo before posting" if rng.random() < 0.05 else "",
                stamp,
                stamp,
                0,
            )
        )
        channels.extend((post_id, ch) for ch in rng.sample(CHANNELS, rng.randint(1, 3)))
        chosen: set[int] = set()
        while len(chosen) < n_tags:
            chosen.add(rng.choices(range(sizes.tags), tag_weights)[0])
        links.extend((post_id, t + 1) for t in chosen)
        if patient and rng.random() < 0.7:
            consents.append(
                (
                    post_id,
                    f"CF-{post_id:06d}",
                    (day - timedelta(days=30)).isoformat(),
                    None,
                    json.dumps(["facebook", "instagram"]),
                    json.dumps(["photo"]),
                    "Jo Brown",
                    stamp,
                )
            )
        changes.append((stamp, "bench", "create", "post", str(post_id), "{}"))
    conn = sqlite3.connect(path)
    try:
        with conn:  # one transaction for everything
            conn.executemany(
                "INSERT INTO campaigns (id, name, goal, start_date, end_date, colour, tags, archived,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                campaigns,
            )
            conn.executemany(
                "INSERT INTO tags (id, name) VALUES (?, ?)",
                [(i + 1, name) for i, name in enumerate(tag_names)],
            )
            conn.executemany(
                "INSERT INTO posts (id, title, body, post_date, post_time, status, content_type, campaign_id,"
                " owner, observance_id, hashtags, assets, sources, features_patient, private_notes, created_at,"
                " updated_at, sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                posts,
            )
            conn.executemany("INSERT INTO post_channels (post_id, channel) VALUES (?, ?)", channels)
            conn.executemany("INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)", links)
            conn.executemany(
                "INSERT INTO consents (post_id, form_ref, signed_on, expires_on, channels, media,"
                " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                consents,
            )
            conn.executemany(
                "INSERT INTO changes (at, who, action, entity, entity_id, changes)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                changes,
            )
            prefs = [
                (o.id, int(i % 2 == 0), int(i % 2 == 1)) for i, o in enumerate(observances[:12])
            ]
            conn.executemany(
                "INSERT INTO observance_prefs (observance_id, starred, muted) VALUES (?, ?, ?)",
                prefs,
            )
        conn.execute("ANALYZE")
    finally:
        conn.close()
    _prime_marks(path, sizes)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return DatabaseStats(
        path,
        len(posts),
        min(sizes.bench_year_posts, sizes.posts),
        len(links),
        len(campaigns),
        len(observances),
    )


def _prime_marks(path: Path, sizes: Sizes) -> None:
    """Store the needs-attention marks of the months the harness shows, as the app stores them.

    A calendar kept in carecal has them: the app stores each mark it computes (checks.marks),
    so every month viewed once, or every post saved since, reads them back. Rows inserted
    by hand have none; without this the harness would time the first look at each month.
    """
    from calendar_data.checks.marks import prime_marks
    from calendar_data.posts import list_posts
    from calendar_data.storage.database import open_db

    db = open_db(path)
    try:
        year = sizes.bench_year
        posts = list_posts(db, date(year - 1, 12, 1), date(year + 1, 1, 31))
        prime_marks(db, posts, today=date(year, BENCH_TODAY[0], BENCH_TODAY[1]))
    finally:
        db.close()


def empty_database(path: Path) -> Path:
    """A fresh calendar with the schema and nothing in it (the target of import runs)."""
    from calendar_data.storage.database import open_db

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_db(path).close()
    return path


# --- iCalendar ---------------------------------------------------------------------------------

VTIMEZONE_NEW_YORK = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE"""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 folding: lines of at most 75 octets, continued with a leading space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def write_ics(path: Path, sizes: Sizes = FULL, *, seed: int = 11) -> Path:
    """An Outlook-like feed: `ics_timed` timed events in the bench year plus `ics_yearly` yearly all-day ones."""
    rng = random.Random(seed)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Riverside Health//Comms plan//EN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Comms plan",
        *VTIMEZONE_NEW_YORK.splitlines(),
    ]
    first = date(sizes.bench_year, 1, 1)
    for i in range(sizes.ics_timed):
        day = first + timedelta(days=rng.randrange(365))
        start = datetime(
            day.year, day.month, day.day, rng.randint(7, 19), rng.choice((0, 15, 30, 45))
        )
        topic = rng.choice(TOPICS)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-timed-{i}@riverside.example",
            "DTSTAMP:20260105T090000Z",
            f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={TZID}:{start + timedelta(minutes=30):%Y%m%dT%H%M%S}",
            _fold(
                f"SUMMARY:{_escape(topic.replace('-', ' ').capitalize() + ': ' + _words(rng, 3, 7))}"
            ),
            _fold(f"DESCRIPTION:{_escape(_words(rng, 12, 30) + '. ' + _hashtag(topic))}"),
            f"CATEGORIES:{topic},{rng.choice(TOPICS)}",
            "STATUS:CONFIRMED",
            "SEQUENCE:0",
            "END:VEVENT",
        ]
    for i in range(sizes.ics_yearly):
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(366))
        topic = TOPICS[i % len(TOPICS)]
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-yearly-{i}@riverside.example",
            "DTSTAMP:20260105T090000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            "RRULE:FREQ=YEARLY",
            _fold(f"SUMMARY:{_escape(f'{topic.title()} day {i}')}"),
            _fold(f"DESCRIPTION:{_escape(_hashtag(topic) + ' ' + _words(rng, 6, 14))}"),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return Path(path)


# --- what the floors and peers read ------------------------------------------------------------


_DATE_PROPS = {"DTSTART", "DTEND", "DTSTAMP", "CREATED", "LAST-MODIFIED", "RECURRENCE-ID"}
_INT_PROPS = {"SEQUENCE", "PRIORITY"}


def events_from_ics(data: bytes) -> list[list[list]]:
    """Every VEVENT's properties as plain JSON values (name, kind, value[, tzid]), in file order.

    Read from carecal's own export before timing starts, so the export floor builds exactly the
    same events (same properties, same text) with the icalendar library, by hand.
    """
    from icalendar import Calendar

    events = []
    for component in Calendar.from_ical(data).walk("VEVENT"):
        props: list[list] = []
        for name, value in component.property_items(recursive=False, sorted=False):
            if name in ("BEGIN", "END"):
                continue
            if name in _DATE_PROPS:
                moment = value.dt
                if isinstance(moment, datetime):
                    zone = getattr(moment.tzinfo, "key", None) or (
                        "UTC" if moment.utcoffset() is not None else None
                    )
                    props.append([name, "datetime", moment.replace(tzinfo=None).isoformat(), zone])
                else:
                    props.append([name, "date", moment.isoformat()])
            elif name == "CATEGORIES":
                props.append([name, "list", [str(c) for c in value.cats]])
            elif name in _INT_PROPS:
                props.append([name, "int", int(value)])
            else:
                props.append([name, "text", str(value)])
        events.append(props)
    return events


def write_calcurse(datadir: Path, db_path: Path, year: int) -> int:
    """calcurse's `apts` file holding the same posts of `year` (timed as appointments, others as events)."""
    datadir = Path(datadir)
    datadir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT post_date, post_time, title FROM posts WHERE post_date BETWEEN ? AND ?"
            " ORDER BY post_date, post_time",
            [f"{year}-01-01", f"{year}-12-31"],
        ).fetchall()
    finally:
        conn.close()
    lines = []
    for day_text, time_text, title in rows:
        day = date.fromisoformat(day_text)
        if time_text:
            start = datetime.combine(day, datetime.strptime(time_text, "%H:%M").time())
            end = start + timedelta(minutes=30)
            lines.append(f"{start:%m/%d/%Y @ %H:%M} -> {end:%m/%d/%Y @ %H:%M} |{title}")
        else:
            lines.append(f"{day:%m/%d/%Y} [1] {title}")
    (datadir / "apts").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (datadir / "todo").write_text("", encoding="utf-8")
    return len(rows)
