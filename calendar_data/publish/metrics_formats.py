"""Reading post-level analytics files: which formats carecal knows, and strict parsing of them.

A format is recognised by its header row. Only formats with a published
column description are read: no help-centre description of the post-level
CSV exports of Meta Business Suite, LinkedIn Page analytics or X analytics
could be found (docs/publishing.md lists what was searched), so carecal does
not guess their columns. It reads its own documented template instead
(`TEMPLATE_HEADERS`), which a team fills from any network's numbers.

Privacy: only the named columns are read; any other column (commenters'
names, comment text, anything else an export carries) is never looked at, and
the post's own copy is kept only as a short excerpt for matching and review.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from calendar_data.models import Channel

TEMPLATE = "carecal"
TEMPLATE_HEADERS = (
    "channel",
    "url",
    "published_at",
    "text",
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
    "exported_on",
)
"""The carecal metrics template, in order; `carecal metrics template` writes this header."""
REQUIRED = frozenset({"channel", "impressions"})
"""Headers a file must have to be read as the template (every other one may be absent)."""
COUNTS = (
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
)
EXCERPT = 120
"""Characters of the post's own copy kept per row (for matching and review)."""
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
_CHANNEL_ALIASES = {
    "twitter": Channel.X,
    "x (twitter)": Channel.X,
    "fb": Channel.FACEBOOK,
    "ig": Channel.INSTAGRAM,
}


class MetricsFileError(ValueError):
    """A metrics file carecal cannot read; names the file, line and column."""

    def __init__(self, where: str, line: int, message: str, column: str | None = None) -> None:
        place = f"{where}, line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{place}: {message}")
        self.where, self.line, self.column = where, line, column


@dataclass(frozen=True)
class MetricRow:
    """One post's numbers on one channel, as a file states them (None: not given)."""

    line: int
    channel: Channel
    url: str | None
    published_at: datetime | None
    excerpt: str
    counts: dict
    exported_on: date | None
    text: str = ""
    """The full copy from the file, used for matching only and never stored."""


def decode(data: bytes, where: str) -> str:
    """The file's text (UTF-8, with or without a byte-order mark); a clear error otherwise."""
    if len(data) > MAX_BYTES:
        raise MetricsFileError(
            where, 1, f"file is over {MAX_BYTES // (1024 * 1024)} MB; export a shorter period"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MetricsFileError(where, line, "not UTF-8 text; save the file as CSV UTF-8") from None


def parse(data: bytes, where: str, *, zone: str) -> tuple[str, list[MetricRow]]:
    """(format name, rows) of a metrics file, or MetricsFileError naming file, line and column."""
    text = decode(data, where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise MetricsFileError(where, 1, f"not a CSV file ({exc})") from None
    if not header or not any(h.strip() for h in header):
        raise MetricsFileError(where, 1, "the file is empty (no header row)")
    names = [h.strip().lower() for h in header]
    fmt = detect(names, where)
    rows: list[MetricRow] = []
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise MetricsFileError(where, reader.line_num, f"broken CSV ({exc})") from None
        if any(cell.strip() for cell in record):
            if len(rows) >= MAX_ROWS:
                raise MetricsFileError(
                    where, start, f"more than {MAX_ROWS} rows; export a shorter period"
                )
            rows.append(_row(record, names, start, where, ZoneInfo(zone)))
        start = reader.line_num + 1
    return fmt, rows


def detect(names: list[str], where: str) -> str:
    """Which documented format a header row is; MetricsFileError (line 1) when none is."""
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise MetricsFileError(where, 1, f"header {dupes[0]!r} appears twice")
    if REQUIRED.issubset(names):
        return TEMPLATE
    shown = ", ".join(repr(n) for n in names[:6]) + (" ..." if len(names) > 6 else "")
    raise MetricsFileError(
        where,
        1,
        f"unrecognised headers ({shown}): carecal reads its documented template "
        f"({', '.join(TEMPLATE_HEADERS)}); Meta, LinkedIn and X post exports have no "
        "published column description, see docs/publishing.md",
    )


def _row(record: list[str], names: list[str], line: int, where: str, zone: ZoneInfo) -> MetricRow:
    if len(record) > len(names):
        raise MetricsFileError(
            where,
            line,
            f"{len(record)} cells but only {len(names)} headers",
            column=str(len(names) + 1),
        )
    cells = {
        name: (record[i].strip() if i < len(record) else "")
        for i, name in enumerate(names)
        if name in TEMPLATE_HEADERS
    }

    def column(name: str) -> str:
        return f"{names.index(name) + 1} ({name})"

    channel = _channel(cells.get("channel", ""), where, line, column("channel"))
    url = cells.get("url") or None
    if url and not url.lower().startswith(("http://", "https://")):
        raise MetricsFileError(where, line, f"{url[:60]!r} is not an http(s) URL", column("url"))
    counts = {
        name: _count(cells.get(name, ""), where, line, column(name) if name in names else name)
        for name in COUNTS
    }
    if counts["impressions"] is None:
        raise MetricsFileError(
            where, line, "impressions is empty; every row needs it", column("impressions")
        )
    published = _moment(
        cells.get("published_at", ""),
        zone,
        where,
        line,
        column("published_at") if "published_at" in names else "",
    )
    exported = cells.get("exported_on", "")
    try:
        exported_on = date.fromisoformat(exported) if exported else None
    except ValueError:
        raise MetricsFileError(
            where, line, f"{exported!r} is not a date (YYYY-MM-DD)", column("exported_on")
        ) from None
    text = " ".join(cells.get("text", "").split())
    return MetricRow(line, channel, url, published, text[:EXCERPT], counts, exported_on, text)


def _channel(value: str, where: str, line: int, column: str) -> Channel:
    key = value.strip().lower()
    if key in _CHANNEL_ALIASES:
        return _CHANNEL_ALIASES[key]
    try:
        return Channel(key)
    except ValueError:
        raise MetricsFileError(
            where,
            line,
            f"{value!r} is not a channel (use {', '.join(c.value for c in Channel)})",
            column,
        ) from None


def _count(value: str, where: str, line: int, column: str) -> int | None:
    if not value:
        return None
    digits = value.replace(",", "").replace("\u202f", "").replace(" ", "")
    if not digits.isdigit():
        raise MetricsFileError(where, line, f"{value!r} is not a whole number", column)
    number = int(digits)
    if number > 10**12:
        raise MetricsFileError(where, line, f"{value!r} is implausibly large", column)
    return number


def _moment(value: str, zone: ZoneInfo, where: str, line: int, column: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if " " in value else value)
    except ValueError:
        raise MetricsFileError(
            where, line, f"{value!r} is not a date and time (YYYY-MM-DD HH:MM)", column
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def template_bytes() -> bytes:
    """The template's header row, for `carecal metrics template`."""
    return (",".join(TEMPLATE_HEADERS) + "\r\n").encode("utf-8")
