"""The period a results view compares: last quarter by default, any quarter or date range on request.

"Monitor and adapt" is a quarterly habit (last quarter's results shape next
quarter's plan), so the results screen opens on the quarter before today's and
steps a quarter at a time; a typed period may be a quarter (2026Q3) or two dates.
"""

from __future__ import annotations

import re
from datetime import date

from calendar_data.quarters import quarter_bounds

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
_DATES = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|to|–|—|,|\s)\s*(\d{4}-\d{2}-\d{2})\s*$")


def _quarter_index(day: date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def _bounds(index: int) -> tuple[date, date]:
    return quarter_bounds(index // 4, index % 4 + 1)


def last_quarter(today: date) -> tuple[date, date]:
    """The first and last day of the quarter before `today`'s (21 Nov 2026 -> 1 Jul to 30 Sep 2026)."""
    return _bounds(_quarter_index(today) - 1)


def shift_period(start: date, end: date, delta: int) -> tuple[date, date]:
    """The quarter `delta` quarters from the one `start` lies in (a typed range steps by its start's quarter)."""
    return _bounds(_quarter_index(start) + delta)


def period_label(start: date, end: date) -> str:
    """'2026Q3' for a whole quarter, else '2026-07-01 to 2026-08-15' (also the report file's stem)."""
    index = _quarter_index(start)
    if _bounds(index) == (start, end):
        return f"{index // 4}Q{index % 4 + 1}"
    return f"{start.isoformat()} to {end.isoformat()}"


def parse_period(text: str) -> tuple[date, date]:
    """A quarter ('2026Q3') or two ISO dates ('2026-07-01 2026-09-30', '..' or 'to' between).

    Raises ValueError naming what was wrong, for the prompt to show under the field.
    """
    quarter = _QUARTER.match(text or "")
    if quarter:
        return quarter_bounds(int(quarter.group(1)), int(quarter.group(2)))
    dates = _DATES.match(text or "")
    if not dates:
        raise ValueError(
            f"{(text or '').strip()!r}: give a quarter such as 2026Q3, or two dates "
            "such as 2026-07-01 2026-09-30"
        )
    try:
        start, end = (date.fromisoformat(d) for d in dates.groups())
    except ValueError as exc:
        raise ValueError(f"{text.strip()!r}: {exc}") from None
    if end < start:
        raise ValueError(f"{end} is before {start}: give the first day first")
    return start, end
