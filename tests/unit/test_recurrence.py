"""The rule engine: each rule kind against hand-checked real dates, and properties for every year."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendar_data.recurrence import (
    Anchored,
    Explicit,
    FirstFullWeek,
    FixedDay,
    FixedRange,
    LastDay,
    NthWeekday,
    RRule,
    RuleError,
    WholeMonth,
    spans_between,
    spans_in_year,
)
from calendar_data.rule_mappings import rule_from_mapping, rule_to_mapping
from calendar_data.rule_words import describe

D = date

KNOWN = [
    # (rule mapping, year, expected (start, end)) - checked against a printed calendar
    ({"date": "04-07"}, 2027, (D(2027, 4, 7), D(2027, 4, 7))),  # World Health Day
    (
        {"start": "04-24", "end": "04-30"},
        2027,
        (D(2027, 4, 24), D(2027, 4, 30)),
    ),  # World Immunization Week
    (
        {"start": "12-28", "end": "01-03"},
        2026,
        (D(2026, 12, 28), D(2027, 1, 3)),
    ),  # crosses the year end
    (
        {"start": "01-30", "end": "02-05"},
        2027,
        (D(2027, 1, 30), D(2027, 2, 5)),
    ),  # crosses a month end
    ({"month": 2}, 2028, (D(2028, 2, 1), D(2028, 2, 29))),  # Heart Month, leap year
    ({"month": 2}, 2027, (D(2027, 2, 1), D(2027, 2, 28))),
    (
        {"month": 3, "weekday": "TH", "nth": 2},
        2026,
        (D(2026, 3, 12), D(2026, 3, 12)),
    ),  # World Kidney Day 2026
    (
        {"month": 2, "weekday": "FR", "nth": 1},
        2027,
        (D(2027, 2, 5), D(2027, 2, 5)),
    ),  # Wear Red Day 2027
    (
        {"month": 11, "weekday": "TH", "nth": 3},
        2026,
        (D(2026, 11, 19), D(2026, 11, 19)),
    ),  # Great American Smokeout
    (
        {"month": 5, "weekday": "MO", "nth": -1},
        2026,
        (D(2026, 5, 25), D(2026, 5, 25)),
    ),  # last Monday of May
    (
        {"month": 2, "day": "last"},
        2026,
        (D(2026, 2, 28), D(2026, 2, 28)),
    ),  # Rare Disease Day, common year
    (
        {"month": 2, "day": "last"},
        2028,
        (D(2028, 2, 29), D(2028, 2, 29)),
    ),  # Rare Disease Day, leap year
    # Men's Health Week: Monday to Father's Day (3rd Sunday of June): 2026-06-15..21
    (
        {"anchor": {"month": 6, "weekday": "SU", "nth": 3}, "offset_days": -6, "length_days": 7},
        2026,
        (D(2026, 6, 15), D(2026, 6, 21)),
    ),
    # the week starting on Mother's Day (2nd Sunday of May): 2027-05-09..15
    (
        {"anchor": {"month": 5, "weekday": "SU", "nth": 2}, "length_days": 7},
        2027,
        (D(2027, 5, 9), D(2027, 5, 15)),
    ),
    ({"first_full_week": 5, "week_starts": "MO"}, 2026, (D(2026, 5, 4), D(2026, 5, 10))),
    ({"first_full_week": 5}, 2027, (D(2027, 5, 2), D(2027, 5, 8))),  # Sunday-start week
    ({"first_full_week": 8, "week_starts": "SU"}, 2026, (D(2026, 8, 2), D(2026, 8, 8))),
    (
        {"dates": {2027: {"start": "2027-05-10", "end": "2027-05-16"}}},
        2027,
        (D(2027, 5, 10), D(2027, 5, 16)),
    ),
    (
        {"rrule": "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU", "length_days": 7},
        2026,
        (D(2026, 5, 10), D(2026, 5, 16)),
    ),
]


@pytest.mark.parametrize(("raw", "year", "expected"), KNOWN, ids=[str(k[0]) for k in KNOWN])
def test_known_dates(raw, year, expected):
    assert spans_in_year(rule_from_mapping(raw), year) == (expected,)


def test_feb_29_fixed_day_only_in_leap_years():
    rule = rule_from_mapping({"date": "02-29"})
    assert spans_in_year(rule, 2028) == ((D(2028, 2, 29), D(2028, 2, 29)),)
    assert spans_in_year(rule, 2027) == ()  # a common year has no Feb 29 and no occurrence
    assert spans_in_year(rule, 2100) == ()  # 2100 is not a leap year
    assert "leap years only" in describe(rule)


def test_fifth_weekday_missing_gives_no_occurrence():
    rule = rule_from_mapping({"month": 2, "weekday": "MO", "nth": 5})
    assert spans_in_year(rule, 2027) == ()  # February 2027 has four Mondays
    assert spans_in_year(rule, 2016) == ((D(2016, 2, 29), D(2016, 2, 29)),)


def test_explicit_year_not_listed_has_no_occurrence():
    rule = rule_from_mapping({"dates": {2026: "2026-05-11"}})
    assert spans_in_year(rule, 2027) == ()
    assert rule.years() == (2026,)


def test_range_overlapping_from_previous_year_counts():
    rule = rule_from_mapping({"start": "12-28", "end": "01-03"})
    found = list(spans_between(rule, D(2027, 1, 1), D(2027, 1, 31)))
    assert (D(2026, 12, 28), D(2027, 1, 3)) in found


def test_spans_between_keeps_only_overlaps():
    rule = rule_from_mapping({"month": 10})
    assert list(spans_between(rule, D(2026, 11, 1), D(2027, 9, 30))) == []
    assert list(spans_between(rule, D(2026, 10, 31), D(2026, 10, 31))) == [
        (D(2026, 10, 1), D(2026, 10, 31))
    ]


BAD_RULES = [
    ({"date": "02-30"}, "rule.date"),
    ({"date": "4-7"}, "rule.date"),
    ({"date": 407}, "rule.date"),
    ({"month": 13}, "rule.month"),
    ({"month": 2, "weekday": "XX", "nth": 1}, "rule.weekday"),
    ({"month": 2, "weekday": "FR", "nth": 0}, "rule.nth"),
    ({"month": 2, "weekday": "FR", "nth": 6}, "rule.nth"),
    ({"month": 2, "day": 3}, "rule.day"),
    ({"month": 2, "colour": "red"}, "rule.colour"),
    ({"start": "04-24"}, "rule"),
    ({"start": "02-29", "end": "03-05"}, "rule.start"),
    ({"anchor": {"month": 5}, "length_days": 7}, "rule.anchor"),
    ({"anchor": {"date": "05-12"}, "length_days": 0}, "rule.length_days"),
    ({"dates": {2027: "2026-05-01"}}, "rule.dates.2027"),
    ({"dates": {2027: {"start": "2027-05-10", "end": "2027-05-01"}}}, "rule.dates.2027.end"),
    ({"rrule": "FREQ=DAILY"}, "rule.rrule"),
    ({"rrule": "FREQ=YEARLY;COUNT=3"}, "rule.rrule"),
    ({"rrule": "FREQ=YEARLY;BYMONTH=13"}, "rule.rrule"),
    ("every tuesday", "rule"),
]


@pytest.mark.parametrize(("raw", "field"), BAD_RULES, ids=[str(b[0]) for b in BAD_RULES])
def test_bad_rules_name_the_field(raw, field):
    with pytest.raises(RuleError) as caught:
        rule_from_mapping(raw)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "raw", [k[0] for k in KNOWN] + [{"date": "02-29"}, {"month": 2, "day": "last"}]
)
def test_rules_round_trip_through_json_mapping(raw):
    rule = rule_from_mapping(raw)
    assert rule_from_mapping(rule_to_mapping(rule)) == rule


years = st.integers(min_value=1990, max_value=2100)
months = st.integers(min_value=1, max_value=12)
weekdays = st.integers(min_value=0, max_value=6)


@given(years, months, weekdays, st.sampled_from([1, 2, 3, 4, -1, -2]))
def test_nth_weekday_lands_on_that_weekday_in_that_month(year, month, weekday, nth):
    ((start, end),) = spans_in_year(NthWeekday(month, weekday, nth), year)
    assert (
        start == end and start.weekday() == weekday and start.month == month and start.year == year
    )
    index = (
        (start.day - 1) // 7 + 1
        if nth > 0
        else -((calendar.monthrange(year, month)[1] - start.day) // 7 + 1)
    )
    assert index == nth


@given(years, months)
def test_a_month_lasts_the_month(year, month):
    ((start, end),) = spans_in_year(WholeMonth(month), year)
    assert start.day == 1 and end.day == calendar.monthrange(year, month)[1]
    assert start.month == end.month == month


@given(years, months, weekdays)
def test_first_full_week_is_seven_days_inside_the_month(year, month, weekday):
    ((start, end),) = spans_in_year(FirstFullWeek(month, weekday), year)
    assert (
        start.month == end.month == month and (end - start).days == 6 and start.weekday() == weekday
    )
    assert start.day <= 7


@given(
    years,
    st.dates(min_value=D(2001, 1, 1), max_value=D(2001, 12, 31)),
    st.dates(min_value=D(2001, 1, 1), max_value=D(2001, 12, 31)),
)
def test_fixed_range_starts_in_its_year_and_never_runs_backwards(year, a, b):
    if a == b or (a.month, a.day) == (2, 29):
        return
    ((start, end),) = spans_in_year(FixedRange(a.month, a.day, b.month, b.day), year)
    assert start.year == year and end >= start and (end - start).days < 366


@given(
    years,
    st.integers(-30, 30),
    st.integers(1, 14),
    months,
    weekdays,
    st.sampled_from([1, 2, 3, -1]),
)
def test_anchored_span_has_its_length_and_offset(year, offset, length, month, weekday, nth):
    anchor = NthWeekday(month, weekday, nth)
    ((anchor_day, _),) = spans_in_year(anchor, year)
    start = anchor_day + timedelta(
        days=offset
    )  # listed in the year it starts in, which an offset may change
    assert (start, start + timedelta(days=length - 1)) in spans_in_year(
        Anchored(anchor, offset, length), start.year
    )


@given(years, months)
def test_last_day_is_the_last_day(year, month):
    ((day, _),) = spans_in_year(LastDay(month), year)
    assert (day.replace(day=1) if day.month == 12 else day).month == month
    assert day.day == calendar.monthrange(year, month)[1]


@given(years)
def test_fixed_day_is_every_year_except_missing_leap_day(year):
    assert spans_in_year(FixedDay(3, 24), year) == ((D(year, 3, 24), D(year, 3, 24)),)
    assert bool(spans_in_year(FixedDay(2, 29), year)) == calendar.isleap(year)


def test_rrule_monthly_gives_twelve():
    assert len(spans_in_year(RRule("FREQ=MONTHLY;BYMONTHDAY=1"), 2027)) == 12


def test_describe_reads_like_the_organiser():
    assert (
        describe(rule_from_mapping({"month": 3, "weekday": "TH", "nth": 2}))
        == "second Thursday of March"
    )
    assert (
        describe(
            rule_from_mapping(
                {
                    "anchor": {"month": 6, "weekday": "SU", "nth": 3},
                    "offset_days": -6,
                    "length_days": 7,
                }
            )
        )
        == "7 days ending on the third Sunday of June"
    )
    assert describe(Explicit(((2027, D(2027, 5, 10), D(2027, 5, 16)),))).startswith(
        "dates announced"
    )
