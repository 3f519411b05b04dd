"""Sprout Social bulk-scheduling CSVs from the plan, with Sprout's rules checked before writing.

What Sprout's help centre says (docs/publishing.md cites the page): the
headers `date`, `time_24hr` and `message_text`, case-sensitive; `date` as
mm/dd/yyyy or dd/mm/yyyy as chosen in Sprout's import preferences; times in
24-hour form; messages at least 10 minutes apart and at least 10 minutes after
the upload; message text within the network's limit; up to 350 messages per
import. carecal writes one file per channel (the profile is picked in Sprout
when importing), splits a channel into numbered parts past the cap, and refuses
to write anything while any post breaks a rule: each break is reported instead.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from calendar_data.checks.channel_rules import CHANNEL_LIMITS, measure, outgoing_text
from calendar_data.models import Channel, Filters, Post
from calendar_data.posts import list_posts
from calendar_data.publish.gate import DEFAULT_STATUSES, Skipped, channel_copy, gate
from calendar_data.publish.vendors import vendor_format
from calendar_data.settings import Settings

SPROUT_HEADERS = ("date", "time_24hr", "message_text")
"""Sprout's required headers, exactly (its help centre: headers are case sensitive)."""
SPROUT_MAX_ROWS = 350
"""Messages per import on Professional and Advanced plans (trial accounts: 50)."""
SPROUT_MIN_GAP = timedelta(minutes=10)
"""Messages must be at least this far apart, and at least this far after the upload."""
DATE_ORDERS = {"mdy": "%m/%d/%Y", "dmy": "%d/%m/%Y"}
"""Sprout's two date formats, chosen in its import preferences."""
FORMULA_STARTS = ("=", "+", "-", "\t", "\r")
"""Copy starting with these runs as a formula when the file is opened in a spreadsheet."""


@dataclass(frozen=True)
class BulkSpec:
    """What a bulk export holds: a date range, filters, the vendor and its options."""

    start: date
    end: date
    vendor: str = "sprout"
    filters: Filters = Filters()
    date_order: str = "mdy"
    max_rows: int = SPROUT_MAX_ROWS


@dataclass(frozen=True)
class RuleBreak:
    """One post that the vendor would refuse, and the rule it breaks."""

    post_id: int | None
    channel: Channel | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"post {self.post_id}" + (f" on {self.channel}" if self.channel else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class BulkRow:
    """One message in one channel's file."""

    post: Post
    channel: Channel
    when: datetime
    text: str


@dataclass(frozen=True)
class BulkFile:
    """One file to write: a channel (and part, past the row cap) and its bytes."""

    channel: Channel
    part: int
    parts: int
    rows: tuple[BulkRow, ...]
    data: bytes

    def name(self, output: Path) -> Path:
        """`plan.csv` becomes `plan-facebook.csv`, or `plan-facebook-part2of3.csv` past the cap."""
        suffix = output.suffix or ".csv"
        tail = f"-part{self.part}of{self.parts}" if self.parts > 1 else ""
        return output.with_name(
            f"{output.stem if output.suffix else output.name}-{self.channel}{tail}{suffix}"
        )


@dataclass(frozen=True)
class BulkPlan:
    """Everything an export would write, what it keeps back, and every rule broken."""

    files: tuple[BulkFile, ...]
    skipped: tuple[Skipped, ...]
    breaks: tuple[RuleBreak, ...]
    posts: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether the files can be written (no post breaks a vendor rule)."""
        return not self.breaks


def plan_bulk(
    db, spec: BulkSpec, *, now: datetime, today: date, settings: Settings | None = None
) -> BulkPlan:
    """The files `spec` would produce, the posts kept back and the rule breaks (nothing written).

    `now` (aware) is the export time: Sprout takes only times at least 10 minutes
    after the upload, so a post earlier than that is a break. Times are the
    team's local times (settings.timezone), written as they are planned.
    """
    from calendar_data.storage.settings_table import load_settings

    vendor_format(spec.vendor)  # refuses undocumented formats, naming why
    if spec.date_order not in DATE_ORDERS:
        raise ValueError(f"date order {spec.date_order!r}: use {' or '.join(DATE_ORDERS)}")
    if not 1 <= spec.max_rows <= SPROUT_MAX_ROWS:
        raise ValueError(f"rows per file: must be 1 to {SPROUT_MAX_ROWS}, got {spec.max_rows}")
    settings = settings or load_settings(db)
    filters = spec.filters if spec.filters.statuses else _with_statuses(spec.filters)
    posts = list_posts(db, spec.start, spec.end, filters)
    kept, skipped = gate(db, posts, today=today, settings=settings)
    zone = ZoneInfo(settings.timezone)
    rows, breaks = _rows(db, kept, zone)
    breaks += _timing_breaks(rows, now.astimezone(zone))
    files = _files(rows, spec) if not breaks else ()
    return BulkPlan(tuple(files), tuple(skipped), tuple(breaks), len(kept))


def _with_statuses(filters: Filters) -> Filters:
    from dataclasses import replace

    return replace(filters, statuses=DEFAULT_STATUSES)


def _rows(db, posts: list[Post], zone: ZoneInfo) -> tuple[list[BulkRow], list[RuleBreak]]:
    rows: list[BulkRow] = []
    breaks: list[RuleBreak] = []
    for post in posts:
        if not post.channels:
            breaks.append(
                RuleBreak(post.id, None, "channel", "has no channel; add one so it has a profile")
            )
            continue
        if post.time is None:
            breaks.append(
                RuleBreak(
                    post.id, None, "time", "has no time; Sprout needs a time_24hr for every message"
                )
            )
            continue
        when = datetime.combine(post.day, post.time, tzinfo=zone)
        for channel in post.channels:
            text = outgoing_text(channel_copy(db, post, channel), post.hashtags)
            problem = _copy_problem(text, channel)
            if problem:
                breaks.append(RuleBreak(post.id, channel, problem[0], problem[1]))
                continue
            rows.append(BulkRow(post, channel, when, text))
    return rows, breaks


def _copy_problem(text: str, channel: Channel) -> tuple[str, str] | None:
    limit = CHANNEL_LIMITS[channel]
    if not text.strip():
        return "copy", "has no copy for this channel"
    used = measure(text, channel)
    if used > limit.text:
        return "length", f"copy is {used} characters; {limit.name} allows {limit.text}"
    if text.startswith(FORMULA_STARTS):
        return "formula", (
            f"copy starts with {text[0]!r}, which a spreadsheet runs as a formula; reword the start"
        )
    return None


def _timing_breaks(rows: list[BulkRow], now: datetime) -> list[RuleBreak]:
    breaks: list[RuleBreak] = []
    earliest = now + SPROUT_MIN_GAP
    by_channel: dict[Channel, list[BulkRow]] = {}
    for row in rows:
        if row.when < earliest:
            breaks.append(
                RuleBreak(
                    row.post.id,
                    row.channel,
                    "future",
                    f"is at {row.when:%Y-%m-%d %H:%M}; Sprout takes only times at least "
                    f"10 minutes after the upload (now {now:%Y-%m-%d %H:%M})",
                )
            )
        by_channel.setdefault(row.channel, []).append(row)
    for channel, found in by_channel.items():
        found.sort(key=lambda r: (r.when, r.post.id))
        for before, after in zip(found, found[1:], strict=False):
            gap = after.when - before.when
            if gap < SPROUT_MIN_GAP:
                minutes = int(gap.total_seconds() // 60)
                breaks.append(
                    RuleBreak(
                        after.post.id,
                        channel,
                        "spacing",
                        f"is {minutes} minutes after post {before.post.id} "
                        f"({after.when:%Y-%m-%d %H:%M}); Sprout needs 10 minutes between messages",
                    )
                )
    return breaks


def _files(rows: list[BulkRow], spec: BulkSpec) -> list[BulkFile]:
    files: list[BulkFile] = []
    by_channel: dict[Channel, list[BulkRow]] = {}
    for row in sorted(rows, key=lambda r: (r.when, r.post.id)):
        by_channel.setdefault(row.channel, []).append(row)
    for channel in Channel:
        found = by_channel.get(channel)
        if not found:
            continue
        chunks = [found[i : i + spec.max_rows] for i in range(0, len(found), spec.max_rows)]
        for number, chunk in enumerate(chunks, 1):
            files.append(
                BulkFile(channel, number, len(chunks), tuple(chunk), _csv(chunk, spec.date_order))
            )
    return files


def _csv(rows: list[BulkRow], date_order: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SPROUT_HEADERS)
    for row in rows:
        writer.writerow(
            [row.when.strftime(DATE_ORDERS[date_order]), row.when.strftime("%H:%M"), row.text]
        )
    return out.getvalue().encode("utf-8")


def write_bulk(plan: BulkPlan, output: str | os.PathLike) -> list[Path]:
    """Write every file of `plan` beside `output`, all of them or none; returns the paths.

    Raises ValueError when the plan has rule breaks (nothing is written then).
    """
    if not plan.ok:
        raise ValueError(f"{len(plan.breaks)} posts break the vendor's rules; nothing written")
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise IsADirectoryError(f"{target}: is a folder; give a file name such as q1.csv")
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder (create it first)")
    staged: list[tuple[str, Path]] = []
    try:
        for item in plan.files:
            handle, tmp = tempfile.mkstemp(prefix=".carecal-", suffix=".partial", dir=folder)
            staged.append((tmp, item.name(target)))
            with os.fdopen(handle, "wb") as out:
                out.write(item.data)
                out.flush()
                os.fsync(out.fileno())
        for tmp, final in staged:
            os.replace(tmp, final)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [final for _, final in staged]
