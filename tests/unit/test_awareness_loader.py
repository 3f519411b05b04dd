"""The YAML loader is strict and says where a problem is: file, line, entry and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from calendar_data.awareness import (
    ObservanceError,
    load_observances,
    occurrences,
    occurrences_in_year,
    unannounced,
)

GOOD = """\
- id: world-kidney-day
  name: World Kidney Day
  kind: day
  rule: {month: 3, weekday: TH, nth: 2}
  category: kidney
  regions: [global]
  hashtags: ["#WorldKidneyDay"]
  organisation: ISN and IFKF
  source: https://www.worldkidneyday.org/
  last_verified: 2026-11-21
- id: mental-health-awareness-week-uk
  name: Mental Health Awareness Week
  kind: week
  rule: {dates: {2026: {start: "2026-05-11", end: "2026-05-17"}}}
  category: mental-health
  regions: [UK]
  hashtags: ["#MentalHealthAwarenessWeek"]
  organisation: Mental Health Foundation
  source: https://www.mentalhealth.org.uk/
  last_verified: 2026-11-21
- id: new-old-day
  name: Renamed Day
  kind: day
  rule: {date: "06-01"}
  category: general-wellness
  regions: [US]
  hashtags: []
  organisation: Example
  source: https://example.org/
  last_verified: 2026-11-21
  since: 2020
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "awareness_days.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads(tmp_path):
    observances = load_observances(write(tmp_path, GOOD))
    assert [o.id for o in observances] == [
        "world-kidney-day",
        "mental-health-awareness-week-uk",
        "new-old-day",
    ]
    assert observances[0].hashtags == ("#WorldKidneyDay",)
    assert observances[0].last_verified == date(2026, 11, 21)


def test_since_limits_years(tmp_path):
    observances = load_observances(write(tmp_path, GOOD))
    ids_2019 = {o.observance.id for o in occurrences_in_year(observances, 2019)}
    ids_2021 = {o.observance.id for o in occurrences_in_year(observances, 2021)}
    assert "new-old-day" not in ids_2019 and "new-old-day" in ids_2021


def test_unannounced_years_are_reported(tmp_path):
    observances = load_observances(write(tmp_path, GOOD))
    assert [o.id for o in unannounced(observances, 2027)] == ["mental-health-awareness-week-uk"]
    assert unannounced(observances, 2026) == []


def test_occurrences_overlap_range(tmp_path):
    observances = load_observances(write(tmp_path, GOOD))
    found = occurrences(observances, date(2026, 5, 15), date(2026, 5, 20))
    assert [(o.observance.id, o.start, o.end) for o in found] == [
        ("mental-health-awareness-week-uk", date(2026, 5, 11), date(2026, 5, 17))
    ]


@pytest.mark.parametrize(
    ("change", "line", "entry", "field"),
    [
        (("  kind: week\n", "  kind: weak\n"), 11, "mental-health-awareness-week-uk", "kind"),
        (("  category: kidney\n", "  category: kidneys\n"), 1, "world-kidney-day", "category"),
        (
            ("  regions: [UK]\n", "  regions: [UK]\n  colour: red\n"),
            11,
            "mental-health-awareness-week-uk",
            "colour",
        ),
        (("nth: 2}", "nth: 9}"), 1, "world-kidney-day", "rule.nth"),
        (
            ('hashtags: ["#WorldKidneyDay"]', 'hashtags: ["World Kidney Day"]'),
            1,
            "world-kidney-day",
            "hashtags",
        ),
        (("  source: https://example.org/\n", ""), 21, "new-old-day", "source"),
        (("id: new-old-day", "id: world-kidney-day"), 21, "world-kidney-day", "id"),
        (("  since: 2020\n", "  since: 2020\n  until: 2010\n"), 21, "new-old-day", "until"),
        (
            ('rule: {date: "06-01"}', "rule: {start: '06-01', end: '06-09'}"),
            21,
            "new-old-day",
            "kind",
        ),
    ],
)
def test_errors_name_file_line_entry_and_field(tmp_path, change, line, entry, field):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ObservanceError) as caught:
        load_observances(path)
    error = caught.value
    assert (error.entry, error.field) == (entry, field)
    assert str(path) in str(error) and "\n" not in str(error)
    if line and field != "name":  # a name clash needs the region too; see the next test
        assert error.line == line


def test_duplicate_name_in_region_is_an_error_but_other_region_is_fine(tmp_path):
    text = GOOD.replace("name: Renamed Day", "name: World Kidney Day").replace(
        "regions: [US]", "regions: [global]"
    )
    with pytest.raises(ObservanceError, match="same name") as caught:
        load_observances(write(tmp_path, text))
    assert caught.value.line == 21
    # the same name in different regions is expected (US and UK dates differ)
    text = GOOD.replace("name: Renamed Day", "name: Mental Health Awareness Week")
    assert len(load_observances(write(tmp_path, text))) == 3


def test_malformed_yaml_names_the_line(tmp_path):
    with pytest.raises(ObservanceError) as caught:
        load_observances(write(tmp_path, GOOD.replace("kind: day\n", "kind: [day\n", 1)))
    assert caught.value.line is not None and "not valid YAML" in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ObservanceError, match="cannot read"):
        load_observances(tmp_path / "nope.yaml")


def test_top_level_must_be_a_list(tmp_path):
    with pytest.raises(ObservanceError, match="list"):
        load_observances(write(tmp_path, "id: x\n"))
