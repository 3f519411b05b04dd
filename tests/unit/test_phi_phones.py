"""Phone numbers beyond North America (issue 13): the team's country and regions, local
7-digit numbers, extensions, business lines and the organisation's allowed numbers.

The examples are the issue's own (``020 7946 0018``, ``(02) 9374 4000``, ``+353 1 234
5678``, ``555-0100``, ``608 555 0100x12``) and invented ones; none is copied from the
held-out set tests/data/phi_holdout_intl.json.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.checks.findings import check_post
from calendar_data.checks.phi import PhiAllowList, scan_text
from calendar_data.checks.phi_phones import DEFAULT_REGIONS, phone_regions, phone_spans
from calendar_data.models import Post
from calendar_data.settings import Settings

TEAM = phone_regions("US", ("global", "US", "UK", "CA", "AU", "NZ", "IE"))


def phones(text: str, regions: tuple[str, ...] = TEAM, **allow: tuple[str, ...]) -> list[str]:
    found = scan_text(text, allow=PhiAllowList(**allow), phone_regions=regions)
    return [f.text for f in found if f.kind in ("phone", "fax")]


def test_regions_map_carecal_names_to_numbering_plans():
    assert TEAM == ("US", "GB", "CA", "AU", "NZ", "IE")
    assert phone_regions("GB", ("global", "UK")) == ("GB",)
    assert phone_regions("UK") == ("GB",)
    assert phone_regions("", ()) == DEFAULT_REGIONS
    assert phone_regions("XX", ("AU",)) == ("AU",)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Ring his wife on 020 7946 0018 tonight.", "020 7946 0018"),  # UK London
        ("Her son says call (02) 9374 4000 any time.", "(02) 9374 4000"),  # AU Sydney
        ("Family contact: +353 1 234 5678.", "+353 1 234 5678"),  # IE, international
        ("Text her mobile 0412 555 781 for the raffle.", "0412 555 781"),  # AU mobile
        ("Reach the family on 021 426 9983 please.", "021 426 9983"),  # NZ mobile
        ("Message Dan at +44 7911 123456 after 5.", "+44 7911 123456"),  # UK mobile, international
        ("His daughter is on (416) 555-0175.", "(416) 555-0175"),  # CA
    ],
)
def test_domestic_and_international_numbers_of_the_teams_regions(text, number):
    assert phones(text) == [number]


def test_domestic_numbers_are_read_only_in_the_teams_regions():
    text = "Ring his wife on 020 7946 0018 tonight."
    assert phones(text, regions=("US",)) == []  # a US-only team does not read UK formats
    assert phones("Call +44 20 7946 0018 tonight.", regions=("US",)) == ["+44 20 7946 0018"]


def test_local_seven_digit_numbers():
    assert phones("Call the family at 555-0100 tonight.") == ["555-0100"]
    assert phones("His number is 555.0177.") == ["555.0177"]
    # a space between the groups reads as a phone number only after a phone label
    assert phones("Text 555 0144 to help.") == ["555 0144"]
    assert phones("We served 555 0144 meals") == []


@pytest.mark.parametrize(
    "text",
    [
        "Results take 24-48 hours; the clinic is open 9:30-11:00.",
        "Tickets are $150 or $1,200 for a table of 8.",
        "Our 2026-2027 season starts 2026-09-01, room 214-B.",
        "The ratio was 120-8000 on the chart",  # not 3+4 digits
        "Job ref 322-7781-CS for Band 5 nurses",  # part of a longer code
    ],
)
def test_seven_digit_rule_leaves_other_numbers_alone(text):
    assert phones(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Her work line is 608 555 0100x12 - not the ward.", "608 555 0100x12"),
        ("Reach Ed at (608) 555-0177 ext. 204.", "(608) 555-0177 ext. 204"),
        ("Leave word on 020 7946 0871 extension 3.", "020 7946 0871 extension 3"),
        ("Call 555-0143 x9 after 6.", "555-0143 x9"),
    ],
)
def test_extensions_are_part_of_the_finding(text, number):
    assert phones(text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "NHS Blood: 0300 123 23 23",  # UK non-geographic (UAN)
        "Freephone 0800 123 4567",  # UK toll-free
        "Healthline NZ 0800 611 116",
        "Call 1800 123 456 (free from landlines)",  # AU toll-free
        "Call 13 22 11 for the state line",  # AU shared cost
        "Poison Help: 1-800-222-1222",
    ],
)
def test_business_lines_are_never_flagged(text):
    assert phones(text) == []


def test_allowed_numbers_match_in_any_format():
    allow = {"phones": ("+44 20 7946 0000", "+61 2 9515 6111", "(608) 555-0100")}
    for text in (
        "Switchboard: 020 7946 0000",
        "Call +44 (0)20 7946 0000",
        "Main line (02) 9515 6111",
        "Ring +61 2 9515 6111",
        "Nurse line 608.555.0100",
        "Nurse line 555-0100",  # the allowed number without its area code
    ):
        assert phones(text, **allow) == [], text
    # an allowed number inside a longer one does not hide the rest
    assert phones("Call 608-555-0101 today", **allow) == ["608-555-0101"]


def test_bare_digit_runs_need_a_phone_label():
    assert phones("Order 02079460018 shipped") == []
    assert phones("Call 02079460018 tonight") == ["02079460018"]


def test_phone_spans_skips_text_with_few_digits():
    assert phone_spans("No numbers here, just 12 and 34.") == []


def test_compliance_reads_numbers_in_the_settings_country_and_regions():
    post = Post(
        title="Thanks", day=date(2027, 3, 1), id=1, body="Ring Dot's family on 020 7946 0018."
    )
    us_only = Settings(country="US", regions=("global", "US"))
    uk_team = Settings(country="GB", regions=("global", "UK"))
    us_with_uk = Settings(country="US", regions=("global", "US", "UK"))
    today = date(2027, 2, 1)
    assert [f.kind for f in check_post(post, us_only, today=today)] == []
    assert [f.text for f in check_post(post, uk_team, today=today)] == ["020 7946 0018"]
    assert [f.text for f in check_post(post, us_with_uk, today=today)] == ["020 7946 0018"]


_PIECES = st.sampled_from(
    list("0123456789 ()+-.x#/,:") + ["ext. ", "call ", "fax ", "020 ", "555-"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_phone_spans_never_raise_and_lie_in_the_text(text):
    for start, end in phone_spans(text, ("+44 20 7946 0000", "555-0100"), TEAM):
        assert 0 <= start < end <= len(text)
