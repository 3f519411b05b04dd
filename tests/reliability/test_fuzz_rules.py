"""The rule engine against random mappings: RuleError or a rule whose spans are sane, never anything else.

`rule_from_mapping` parses what a person types into awareness_days.yaml (or
the organisation's own observances); `spans_in_year` expands it. For 10,000
derandomized mappings, half near-valid and half anything at all, parsing must
raise RuleError (with the bad key named) or give a rule that: expands in
every sampled year 1990-2100 to ordered spans with start <= end, lasting at
most a year; describes itself in words; and survives rule_to_mapping and
back unchanged.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_data.recurrence import RuleError, spans_in_year
from calendar_data.rule_mappings import rule_from_mapping, rule_to_mapping
from calendar_data.rule_words import describe
from tests.reliability.figures import record

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("CARECAL_FUZZ_EXAMPLES", "10000"))
KEYS = [
    "date",
    "start",
    "end",
    "month",
    "weekday",
    "nth",
    "day",
    "anchor",
    "offset_days",
    "length_days",
    "first_full_week",
    "week_starts",
    "dates",
    "rrule",
]

SCALARS = st.one_of(
    st.integers(-400, 400),
    st.integers(),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.dates().map(str),
    st.dates(),
    st.sampled_from(
        [
            "02-29",
            "02-30",
            "13-01",
            "00-00",
            "1-1",
            "12-31",
            "last",
            "MO",
            "su",
            "XX",
            "FREQ=YEARLY",
        ]
    ),
)
ANYTHING = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)), inner, max_size=3),
    ),
    max_leaves=8,
)


def _mostly(valid: st.SearchStrategy, hostile: st.SearchStrategy) -> st.SearchStrategy:
    """Valid values seven times in eight, so most mappings reach the expansion."""
    return st.integers(0, 7).flatmap(lambda n: hostile if n == 7 else valid)


MMDD = _mostly(
    st.dates(date(2000, 1, 1), date(2000, 12, 31)).map(lambda d: d.strftime("%m-%d")),
    st.sampled_from(["02-30", "04-31", "13-01", "00-10", "1-05", "0229"]),
)
MONTH = _mostly(st.integers(1, 12), st.sampled_from([0, 13, -1, "3", 2.0, True]))
WEEKDAY = _mostly(
    st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "mo", "Fr"]),
    st.sampled_from(["XX", "", 3, None]),
)
NTH = _mostly(st.integers(-5, 5), st.sampled_from([6, -6, "1", 1.5, False]))
DAYS = _mostly(st.integers(-366, 366), st.sampled_from(["7", 7.5, None, 400, -400]))
SINGLE = st.one_of(
    st.fixed_dictionaries({"date": MMDD}),
    st.fixed_dictionaries({"month": MONTH, "weekday": WEEKDAY, "nth": NTH}),
    st.fixed_dictionaries({"month": MONTH, "day": st.sampled_from(["last", "first", 31])}),
)
YEAR = _mostly(st.integers(1988, 2102), st.sampled_from([1800, 2300, "2027", "year"]))
RRULE = st.builds(
    lambda freq, month, day, extra: f"FREQ={freq};BYMONTH={month}{day}{extra}",
    _mostly(
        st.sampled_from(["YEARLY", "MONTHLY"]), st.sampled_from(["WEEKLY", "yearly", "SECONDLY"])
    ),
    _mostly(st.integers(1, 12), st.sampled_from([0, 13])),
    st.sampled_from(
        [
            ";BYDAY=2SU",
            ";BYDAY=-1FR",
            ";BYMONTHDAY=31",
            ";BYMONTHDAY=-1",
            ";BYDAY=5MO",
            ";BYSETPOS=9",
            "",
        ]
    ),
    _mostly(
        st.just(""),
        st.sampled_from(
            [";COUNT=3", ";INTERVAL=2", ";BYWEEKNO=0", ";WKST=XX", ";BYDAY=", "\n", ";DTSTART=2020"]
        ),
    ),
)


def _explicit(entries: list) -> dict:
    return {"dates": dict(entries)}


NEAR_VALID = st.one_of(
    SINGLE,
    st.fixed_dictionaries({"start": MMDD, "end": MMDD}),
    st.fixed_dictionaries({"month": MONTH}),
    st.fixed_dictionaries(
        {"anchor": st.one_of(SINGLE, ANYTHING)}, optional={"offset_days": DAYS, "length_days": DAYS}
    ),
    st.fixed_dictionaries({"first_full_week": MONTH}, optional={"week_starts": WEEKDAY}),
    st.lists(
        st.tuples(
            YEAR,
            st.one_of(
                st.dates(date(1890, 1, 1), date(2210, 12, 31)).map(str),
                ANYTHING,
                st.fixed_dictionaries({"start": st.dates().map(str), "end": st.dates().map(str)}),
            ),
        ),
        min_size=1,
        max_size=3,
    ).map(_explicit),
    st.fixed_dictionaries({"rrule": RRULE}, optional={"length_days": DAYS}),
)
MAPPINGS = st.integers(0, 9).flatmap(
    lambda n: (
        NEAR_VALID
        if n < 7
        else st.dictionaries(st.sampled_from(KEYS), ANYTHING, max_size=4)
        if n < 9
        else ANYTHING
    )
)


def test_random_rule_mappings_parse_or_fail_cleanly_and_expand_sanely():
    seen = {"examples": 0, "rules": 0, "refused": 0, "spans": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(raw=MAPPINGS, years=st.lists(st.integers(1990, 2100), min_size=1, max_size=3))
    def check(raw, years) -> None:
        seen["examples"] += 1
        try:
            rule = rule_from_mapping(raw)
        except RuleError as exc:
            assert exc.field.startswith("rule") and str(exc) and "\n" not in str(exc), exc
            seen["refused"] += 1
            return
        seen["rules"] += 1
        assert describe(rule)
        assert rule_from_mapping(rule_to_mapping(rule)) == rule
        for year in years:
            spans = spans_in_year(rule, year)
            assert list(spans) == sorted(spans)
            for start, end in spans:
                assert start <= end <= start + timedelta(days=366), (raw, year, start, end)
                assert start.year == year, (
                    raw,
                    year,
                    start,
                )  # `observances --year` lists what starts in it
            seen["spans"] += len(spans)

    check()
    record("fuzz/rules", **seen)
    assert seen["rules"] > EXAMPLES // 4 and seen["refused"] > EXAMPLES // 4
