"""Every shipped observance loads and expands sensibly for every year from 1990 to 2100."""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.awareness import load_observances, occurrences
from calendar_data.models import Kind
from calendar_data.recurrence import Explicit, spans_in_year

SHIPPED = load_observances()
YEARS = range(1990, 2101)


def check_span(observance, year: int, start: date, end: date) -> None:
    where = f"{observance.id} {year}"
    assert start.year == year, where
    assert end >= start, where
    days = (end - start).days + 1
    if observance.kind is Kind.DAY:
        assert days == 1, where
    elif observance.kind is Kind.WEEK:
        assert 5 <= days <= 9, where
    elif observance.kind is Kind.MONTH:
        assert start.day == 1 and end == date(
            year, start.month, calendar.monthrange(year, start.month)[1]
        ), where


def test_every_entry_every_year():
    expanded = 0
    for observance in SHIPPED:
        years_with_dates = 0
        for year in YEARS:
            spans = spans_in_year(observance.rule, year)
            for start, end in spans:
                check_span(observance, year, start, end)
                expanded += 1
            years_with_dates += bool(spans)
        if (
            not isinstance(observance.rule, Explicit)
            and observance.since is None
            and observance.until is None
        ):
            # a standing rule dates every year, except a Feb 29 or 5th-weekday rule
            assert years_with_dates >= 26, observance.id
    assert expanded > 100 * len(SHIPPED) // 2


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SHIPPED), st.integers(min_value=1990, max_value=2100))
def test_range_query_finds_each_occurrence(observance, year):
    for start, end in spans_in_year(observance.rule, year):
        if not observance.holds_in(year):
            continue
        found = occurrences([observance], start, start)
        assert any(o.start == start and o.end == end for o in found)
        found = occurrences([observance], end, end)
        assert any(o.start == start and o.end == end for o in found)


def test_ids_unique_and_sources_present():
    ids = [o.id for o in SHIPPED]
    assert len(ids) == len(set(ids))
    assert all(o.source.startswith("https://") or o.source.startswith("http://") for o in SHIPPED)
    assert all(h.startswith("#") and " " not in h for o in SHIPPED for h in o.hashtags)
