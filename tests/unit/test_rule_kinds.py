"""Equinox-relative rules and announced overrides (calendar_data/rule_kinds.py).

Known answers come from published equinox instants (US Naval Observatory
tables, to the minute) and from World Sleep Day's past dates; properties run
over every year the product supports (1990-2100).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.models import Occurrence
from calendar_data.observance_entries import ObservanceError, observance_from_mapping
from calendar_data.recurrence import RuleError, spans_in_year
from calendar_data.rule_kinds import Announced, EquinoxWeekday, equinox, rule_span
from calendar_data.rule_mappings import rule_from_mapping, rule_to_mapping
from calendar_data.rule_words import describe

YEARS = st.integers(min_value=1990, max_value=2100)
WEEKDAY = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
SLEEP_DAY = {"equinox": "march", "weekday": "FR", "nth": -1}

# Published instants (UTC), USNO "Earth's Seasons" tables.
EQUINOXES = [
    (2007, 3, datetime(2007, 3, 21, 0, 7, tzinfo=UTC)),
    (2019, 3, datetime(2019, 3, 20, 21, 58, tzinfo=UTC)),
    (2020, 3, datetime(2020, 3, 20, 3, 50, tzinfo=UTC)),
    (2024, 3, datetime(2024, 3, 20, 3, 6, tzinfo=UTC)),
    (2026, 3, datetime(2026, 3, 20, 14, 46, tzinfo=UTC)),
    (2027, 3, datetime(2027, 3, 20, 20, 25, tzinfo=UTC)),
    (2023, 9, datetime(2023, 9, 23, 6, 50, tzinfo=UTC)),
    (2024, 9, datetime(2024, 9, 22, 12, 44, tzinfo=UTC)),
]

# World Sleep Day as held (World Sleep Society; the day's history table).
SLEEP_DAYS = {
    2010: 19,
    2011: 18,
    2012: 16,
    2013: 15,
    2014: 14,
    2015: 13,
    2016: 18,
    2017: 17,
    2018: 16,
    2019: 15,
    2020: 13,
    2024: 15,
    2025: 14,
    2026: 13,
}


@pytest.mark.parametrize(
    ("year", "month", "published"), EQUINOXES, ids=[f"{y}-{m}" for y, m, _ in EQUINOXES]
)
def test_equinox_matches_published_instant(year, month, published):
    assert abs(equinox(year, month) - published) < timedelta(minutes=2)


@pytest.mark.parametrize(("year", "day"), sorted(SLEEP_DAYS.items()))
def test_world_sleep_day_known_answers(year, day):
    rule = rule_from_mapping(SLEEP_DAY)
    assert spans_in_year(rule, year) == ((date(year, 3, day), date(year, 3, day)),)


def test_equinox_day_itself_is_not_before_it():
    # 2026's equinox fell on Friday 20 March: "the Friday before" is the 13th, not the 20th.
    assert EquinoxWeekday(3, 4, -1).day(2026) == date(2026, 3, 13)
    assert EquinoxWeekday(3, 4, 1).day(2026) == date(2026, 3, 27)


@settings(max_examples=200, deadline=None)
@given(YEARS, st.sampled_from([3, 9]))
def test_equinox_stays_in_its_window(year, month):
    instant = equinox(year, month)
    low, high = (
        (date(year, 3, 19), date(year, 3, 21))
        if month == 3
        else (date(year, 9, 21), date(year, 9, 24))
    )
    assert low <= instant.date() <= high


@settings(max_examples=300, deadline=None)
@given(YEARS, WEEKDAY, st.sampled_from([-2, -1, 1, 2]), st.sampled_from(["march", "september"]))
def test_equinox_weekday_lands_on_its_weekday_and_side(year, weekday, nth, which):
    rule = rule_from_mapping({"equinox": which, "weekday": weekday, "nth": nth})
    ((start, end),) = spans_in_year(rule, year)
    base = equinox(year, rule.month).date()
    assert start == end and start.weekday() == rule.weekday
    gap = (start - base).days
    assert (gap < 0 if nth < 0 else gap > 0) and 7 * (abs(nth) - 1) < abs(gap) <= 7 * abs(nth)


def test_meeus_agrees_with_an_independent_ephemeris():
    ephem = pytest.importorskip("ephem")  # test-only oracle (PyEphem, the VSOP87 theory)
    worst = max(
        abs(
            (
                equinox(year, month).replace(tzinfo=None) - finder(f"{year}/1/1").datetime()
            ).total_seconds()
        )
        for year in range(1990, 2101)
        for month, finder in ((3, ephem.next_vernal_equinox), (9, ephem.next_autumnal_equinox))
    )
    assert worst < 120


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"equinox": "spring", "weekday": "FR"}, "rule.equinox"),
        ({"equinox": "march", "weekday": "FRI"}, "rule.weekday"),
        ({"equinox": "march", "weekday": "FR", "nth": 0}, "rule.nth"),
        ({"equinox": "march", "weekday": "FR", "nth": 5}, "rule.nth"),
        ({"equinox": "march", "weekday": "FR", "days": 2}, "rule.days"),
    ],
)
def test_bad_equinox_rules_name_the_field(raw, field):
    with pytest.raises(RuleError) as info:
        rule_from_mapping(raw)
    assert info.value.field == field


def test_equinox_rule_describes_and_round_trips():
    rule = rule_from_mapping(SLEEP_DAY)
    assert describe(rule) == "the Friday before the March equinox"
    assert rule_from_mapping(rule_to_mapping(rule)) == rule


# ---- announced overrides ------------------------------------------------------------------------


def entry(**extra) -> dict:
    base = {
        "id": "mhaw",
        "name": "MHAW",
        "kind": "week",
        "category": "mental-health",
        "regions": ["UK"],
        "hashtags": [],
        "organisation": "MHF",
        "source": "https://example.org/",
        "rule": {"anchor": {"month": 5, "weekday": "MO", "nth": 2}, "length_days": 7},
    }
    return base | extra


def test_announced_date_wins_and_the_rule_stays_visible():
    obs = observance_from_mapping(
        entry(announced={2020: {"start": "2020-05-18", "end": "2020-05-24"}})
    )
    assert isinstance(obs.rule, Announced)
    assert spans_in_year(obs.rule, 2020) == ((date(2020, 5, 18), date(2020, 5, 24)),)
    assert rule_span(obs.rule, 2020, spans_in_year) == ((date(2020, 5, 11), date(2020, 5, 17)),)
    assert spans_in_year(obs.rule, 2021) == ((date(2021, 5, 10), date(2021, 5, 16)),)
    announced = Occurrence(obs, date(2020, 5, 18), date(2020, 5, 24))
    assert announced.rule_dates == (date(2020, 5, 11), date(2020, 5, 17))
    assert Occurrence(obs, date(2021, 5, 10), date(2021, 5, 16)).rule_dates is None
    assert "announced dates kept for 2020" in describe(obs.rule)


def test_announced_year_must_match_its_date():
    with pytest.raises(ObservanceError) as info:
        observance_from_mapping(entry(announced={2021: "2020-05-18"}))
    assert info.value.field == "announced.2021"


@settings(max_examples=100, deadline=None)
@given(YEARS, st.integers(min_value=0, max_value=20))
def test_announced_only_changes_its_own_year(year, shift):
    start = date(year, 5, 1) + timedelta(days=shift)
    obs = observance_from_mapping(
        entry(
            announced={
                year: {"start": start.isoformat(), "end": (start + timedelta(days=6)).isoformat()}
            }
        )
    )
    base = obs.rule.base
    assert spans_in_year(obs.rule, year) == ((start, start + timedelta(days=6)),)
    for other in (year - 1, year + 1):
        assert spans_in_year(obs.rule, other) == spans_in_year(base, other)
