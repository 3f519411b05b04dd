"""Quarter arithmetic, the one home every view, export and CLI option uses (calendar_data.quarters)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendar_data.quarters import (
    parse_quarter,
    quarter_bounds,
    quarter_label,
    quarter_of,
    quarter_span,
    shift_quarter,
)


def test_known_quarters():
    assert quarter_of(date(2026, 11, 21)) == (2026, 4)
    assert quarter_bounds(2027, 1) == (date(2027, 1, 1), date(2027, 3, 31))
    assert quarter_bounds(2028, 1) == (date(2028, 1, 1), date(2028, 3, 31))
    assert quarter_span(date(2026, 11, 21)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_span(date(2027, 2, 28)) == (date(2027, 1, 1), date(2027, 3, 31))
    assert shift_quarter(2026, 4, 1) == (2027, 1)
    assert shift_quarter(2027, 1, -2) == (2026, 3)
    assert quarter_label(2027, 1) == "2027Q1"


def test_bad_quarters_are_named():
    with pytest.raises(ValueError, match="quarter: 5 is not 1 to 4"):
        quarter_bounds(2026, 5)
    for text in ("2027Q5", "2027", "Q1", "2027Qx", "1200Q1", ""):
        with pytest.raises(ValueError, match="is not a quarter such as 2027Q1"):
            parse_quarter(text)
    assert parse_quarter(" 2027-q2 ") == (2027, 2)


@given(st.dates(min_value=date(1601, 1, 1), max_value=date(4500, 12, 31)))
def test_every_day_lies_in_its_quarter_and_quarters_tile_the_year(day):
    start, end = quarter_span(day)
    assert start <= day <= end
    assert start.day == 1 and start.month in (1, 4, 7, 10)
    assert (end + timedelta(days=1)).day == 1
    assert quarter_bounds(*shift_quarter(*quarter_of(day), 1))[0] == end + timedelta(days=1)
    assert parse_quarter(quarter_label(*quarter_of(day))) == quarter_of(day)
