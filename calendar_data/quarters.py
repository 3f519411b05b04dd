"""Calendar quarters: the one home of their arithmetic (views, exports and the CLI all use it).

A quarter is named by (year, quarter number 1-4) and spans its first to its last day.
"""

from __future__ import annotations

import calendar
from datetime import date


def quarter_of(day: date) -> tuple[int, int]:
    """The (year, quarter) holding `day`: 21 Nov 2026 -> (2026, 4)."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter; ValueError names a quarter outside 1-4."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter: {quarter} is not 1 to 4")
    end_month = 3 * quarter
    return date(year, end_month - 2, 1), date(
        year, end_month, calendar.monthrange(year, end_month)[1]
    )


def quarter_span(day: date) -> tuple[date, date]:
    """The first and last day of the quarter holding `day`."""
    return quarter_bounds(*quarter_of(day))


def shift_quarter(year: int, quarter: int, delta: int) -> tuple[int, int]:
    """The quarter `delta` quarters away (negative goes back)."""
    index = year * 4 + quarter - 1 + delta
    return index // 4, index % 4 + 1


def quarter_label(year: int, quarter: int) -> str:
    """The quarter as people and file names write it: 2027Q1."""
    return f"{year}Q{quarter}"


def parse_quarter(text: str) -> tuple[int, int]:
    """'2027Q1' (or '2027-q1') as (2027, 1); ValueError for anything else or a year out of range."""
    cleaned = str(text).strip().upper().replace("-", "")
    year_text, sep, quarter_text = cleaned.partition("Q")
    if not (sep and year_text.isdigit() and quarter_text.isdigit()):
        raise ValueError(f"{text!r} is not a quarter such as 2027Q1")
    year, quarter = int(year_text), int(quarter_text)
    if not 1 <= quarter <= 4 or not 1601 <= year <= 4500:
        raise ValueError(f"{text!r} is not a quarter such as 2027Q1")
    return year, quarter
