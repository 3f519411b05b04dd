"""One home per rule: tag names, the CLI's choice lists and the JSON row shapes each live in one function.

Each rule is tested for what it does, and a scan of the source checks that no second
copy has crept back in (the copies these replaced drifted apart once already).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import click
import pytest

from calendar_data.awareness import occurrences_in_year
from calendar_data.json_rows import campaign_row, consent_row, occurrence_row, post_row, tag_row
from calendar_data.models import Campaign, Channel, Consent, Post, Status
from calendar_data.observances import all_observances
from calendar_data.tags import TagInfo, split_tags, tag_name
from tui.cli import params

ROOT = Path(__file__).resolve().parents[2]


def source(*packages: str) -> dict[Path, str]:
    return {
        p: p.read_text(encoding="utf-8") for pkg in packages for p in (ROOT / pkg).rglob("*.py")
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("vaccines", "vaccines"),
        ("#vaccines", "vaccines"),
        ("  #Flu Season ", "Flu Season"),
        ("## two", "two"),
        ("#", ""),
        ("   ", ""),
    ],
)
def test_tag_name(typed, stored):
    assert tag_name(typed) == stored


def test_split_tags_drops_blanks_and_repeats_and_keeps_order():
    assert split_tags("#vaccines, two words,, vaccines ,#") == ("vaccines", "two words")
    assert split_tags("") == ()


def test_tag_normalisation_has_one_copy():
    copies = [
        p for p, text in source("calendar_data", "tui").items() if 'strip().lstrip("#")' in text
    ]
    assert copies == [ROOT / "calendar_data" / "tags.py"]


def test_choice_lists_are_built_once():
    """No choice list is spelled twice, and none spells a vocabulary the data layer owns."""
    import ast

    from calendar_data.models import CATEGORIES, REGIONS, Channel, ContentType, Kind, Status
    from calendar_data.recurrence import WEEKDAYS

    owned = [
        {c.value for c in Channel},
        {s.value for s in Status},
        {t.value for t in ContentType},
        set(REGIONS),
        set(CATEGORIES),
        {k.value for k in Kind},
        set(WEEKDAYS),
    ]
    seen: dict[tuple[str, ...], Path] = {}
    for path, text in source("tui/cli").items():
        for node in ast.walk(ast.parse(text)):
            if not (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) == "click.Choice"
                and node.args
            ):
                continue
            literal = node.args[0]
            if isinstance(literal, ast.List | ast.Tuple) and all(
                isinstance(e, ast.Constant) for e in literal.elts
            ):
                words = tuple(e.value for e in literal.elts)
                assert words not in seen, (
                    f"{path} repeats the choices of {seen.get(words)}: {words}"
                )
                assert set(words) not in owned, (
                    f"{path}: {words} is a data-layer vocabulary; use tui.cli.params"
                )
                seen[words] = path
    assert list(params.WEEKDAY.choices) == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert list(params.KIND.choices) == ["day", "week", "month", "period"]
    assert params.region_names(("us", "Uk", "global")) == ("US", "UK", "global")


def test_the_sync_keep_choice_is_the_conflict_sides():
    from calendar_data.sync.conflicts import SIDES
    from tui.cli.sync import KEEP

    assert tuple(KEEP.choices) == SIDES


def test_quarter_parameter_uses_the_quarter_rule():
    assert params.QUARTER.convert("2027q4", None, None) == (date(2027, 10, 1), date(2027, 12, 31))
    with pytest.raises(click.BadParameter, match="is not a quarter such as 2027Q1"):
        params.QUARTER.convert("2027Q5", None, None)


def test_rows_are_json_ready_and_private_notes_only_on_request():
    post = Post(
        id=3,
        title="Flu clinic",
        day=date(2026, 11, 21),
        time=time(9, 30),
        status=Status.DRAFT,
        channels=(Channel.FACEBOOK,),
        tags=("vaccines",),
        private_notes="call Dana",
        created_at=datetime(2026, 11, 1, 9, 0),
    )
    row = post_row(post)
    assert row["date"] == "2026-11-21" and row["time"] == "09:30" and row["status"] == "draft"
    assert (
        "private_notes" not in row
        and post_row(post, include_private=True)["private_notes"] == "call Dana"
    )
    campaign = Campaign(name="Flu Season", start=date(2026, 11, 1), end=None, tags=("vaccines",))
    assert campaign_row(campaign, posts=2) == {
        "name": "Flu Season",
        "start": "2026-11-01",
        "end": None,
        "goal": "",
        "colour": "",
        "tags": ["vaccines"],
        "archived": False,
        "posts": 2,
    }
    assert tag_row(TagInfo("staff", 4, "teal")) == {"name": "staff", "posts": 4, "colour": "teal"}
    consent = Consent(
        form_ref="PX-7",
        signed_on=date(2026, 11, 2),
        expires_on=None,
        channels=(Channel.INSTAGRAM,),
        media=("photo",),
        recorded_by="Dana",
    )
    assert consent_row(9, consent)["expires"] is None and consent_row(9, consent)["channels"] == [
        "instagram"
    ]
    for value in (row, campaign_row(campaign, posts=0), consent_row(9, consent)):
        json.dumps(value)


def test_upcoming_and_observances_print_the_same_row(run, db, small_list):
    """Both commands build their rows with occurrence_row: same keys, same values for one occurrence."""
    first = occurrences_in_year(all_observances(db), 2027)[0]
    listed = json.loads(run("observances", "--year", "2027", "--json").output)
    upcoming = json.loads(run("upcoming", "--days", "400", "--json", today="2026-12-31").output)
    expected = occurrence_row(first)
    assert expected in listed
    match = next(
        u for u in upcoming if u["id"] == expected["id"] and u["start"] == expected["start"]
    )
    assert {k: match[k] for k in expected} == expected
    assert set(match) - set(expected) == {"days_until", "starred"}
