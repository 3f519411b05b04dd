"""Loader additions: duplicate keys, staff recognition flag and filter, yearly hashtag patterns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from calendar_data.agenda import visible_observances
from calendar_data.awareness import load_observances, staff_recognition
from calendar_data.models import Filters, Occurrence
from calendar_data.observance_entries import ObservanceError, observance_from_mapping
from calendar_data.settings import Settings

ENTRY = """\
- id: {id}
  name: {name}
  kind: day
  rule: {{date: "05-19"}}
  category: digestive
  regions: [global]
  hashtags: ["#WorldIBDDay"]
  hashtags_yearly: ["#WorldIBDDay{{year}}"]
  organisation: EFCCA
  source: https://worldibdday.org/
  last_verified: 2026-12-06
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "list.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_key_in_an_entry_is_rejected_with_id_and_line(tmp_path):
    text = ENTRY.format(id="first-day", name="First") + ENTRY.format(
        id="ibd-day", name="IBD"
    ).replace("  organisation: EFCCA\n", '  organisation: EFCCA\n  rule: {date: "05-20"}\n')
    with pytest.raises(ObservanceError) as info:
        load_observances(write(tmp_path, text))
    err = info.value
    assert (err.entry, err.field, err.line) == ("ibd-day", "rule", 21)
    assert str(err).startswith(
        f"{tmp_path / 'list.yaml'}:21, entry 'ibd-day', field 'rule': duplicate key"
    )


def test_duplicate_key_inside_a_rule_is_rejected(tmp_path):
    text = ENTRY.format(id="ibd-day", name="IBD").replace(
        '{date: "05-19"}', '{date: "05-19", date: "05-20"}'
    )
    with pytest.raises(ObservanceError) as info:
        load_observances(write(tmp_path, text))
    assert (info.value.entry, info.value.field, info.value.line) == ("ibd-day", "date", 4)


def test_the_shipped_list_has_no_duplicate_keys():
    assert len(load_observances()) >= 300  # loads through the strict loader


def base(**extra) -> dict:
    return {
        "id": "pa-week",
        "name": "PA Week",
        "kind": "week",
        "rule": {"start": "10-06", "end": "10-12"},
        "category": "workforce",
        "regions": ["US"],
        "hashtags": ["#PAweek"],
        "organisation": "AAPA",
        "source": "https://www.aapa.org/paweek/",
    } | extra


def test_staff_flag_is_validated_and_filters():
    staff = observance_from_mapping(base(staff_recognition=True))
    other = observance_from_mapping(base(id="other", name="Other"))
    assert staff.staff_recognition and not other.staff_recognition
    with pytest.raises(ObservanceError) as info:
        observance_from_mapping(base(staff_recognition="yes"))
    assert info.value.field == "staff_recognition"
    assert staff_recognition([staff, other]) == [staff]
    everyone = Settings(regions=())
    assert visible_observances([staff, other], Filters(staff=True), everyone) == [staff]
    assert visible_observances([staff, other], Filters(), everyone) == [staff, other]
    assert Filters(staff=True).active


def test_shipped_staff_weeks_use_the_flag():
    shipped = {o.id: o for o in load_observances()}
    for obs_id in (
        "national-pa-week",
        "healthcare-foodservice-workers-week",
        "national-nurses-week",
        "volunteers-week-uk",
        "ahps-day",
    ):
        assert shipped[obs_id].staff_recognition, obs_id
    assert not shipped["world-kidney-day"].staff_recognition
    assert len(staff_recognition(shipped.values())) >= 50


@pytest.mark.parametrize(
    "pattern", ["#WorldIBDDay", "#World IBD{year}", "WorldIBDDay{year}", "#IBD{month}", 7]
)
def test_bad_yearly_patterns_are_rejected(pattern):
    with pytest.raises(ObservanceError) as info:
        observance_from_mapping(base(hashtags_yearly=[pattern]))
    assert info.value.field == "hashtags_yearly"


def test_yearly_hashtags_expand_for_the_occurrence_year(tmp_path):
    (obs,) = load_observances(write(tmp_path, ENTRY.format(id="ibd-day", name="IBD")))
    assert Occurrence(obs, date(2027, 5, 19), date(2027, 5, 19)).hashtags == (
        "#WorldIBDDay",
        "#WorldIBDDay2027",
    )
    short = observance_from_mapping(base(hashtags_yearly=["#CRWeek{yy}"]))
    assert Occurrence(short, date(2021, 10, 6), date(2021, 10, 12)).hashtags == (
        "#PAweek",
        "#CRWeek21",
    )
    assert Occurrence(short, date(2105, 10, 6), date(2105, 10, 12)).hashtags[-1] == "#CRWeek05"
