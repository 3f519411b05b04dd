"""The weekly awareness digest (calendar_data/digest.py) and `carecal upcoming --format`."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from click.testing import CliRunner

from calendar_data.digest import digest, digest_items
from calendar_data.models import Channel, Filters, Post, Status
from calendar_data.posts import add_post
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import save_settings
from tui.cli.entry import main

LIST = """\
- id: world-ibd-day
  name: World IBD Day
  kind: day
  rule: {date: "05-19"}
  category: digestive
  regions: [global]
  hashtags: ["#WorldIBDDay"]
  hashtags_yearly: ["#WorldIBDDay{year}"]
  organisation: EFCCA
  source: https://worldibdday.org/
  last_verified: 2026-12-06
- id: mhaw
  name: Mental Health Awareness Week
  kind: week
  rule: {anchor: {month: 5, weekday: MO, nth: 2}, length_days: 7}
  announced:
    2027: {start: "2027-05-17", end: "2027-05-23"}
  category: mental-health
  regions: [UK]
  hashtags: []
  organisation: Mental Health Foundation
  source: https://www.mentalhealth.org.uk/
  last_verified: 2026-12-06
- id: pa-week
  name: National PA Week
  kind: week
  rule: {start: "10-06", end: "10-12"}
  category: workforce
  staff_recognition: true
  regions: [US]
  hashtags: ["#PAweek"]
  organisation: AAPA
  source: https://www.aapa.org/paweek/
  last_verified: 2026-12-06
"""
EVERYONE = Settings(regions=("global", "UK", "US"))
TODAY = date(2027, 5, 10)


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "digest_list.yaml"
    path.write_text(LIST, encoding="utf-8")
    monkeypatch.setenv("CARECAL_AWARENESS_FILE", str(path))
    return path


@pytest.fixture
def planned(db, small):
    add_post(
        db,
        Post(
            title="Gut health myths *live*",
            day=date(2027, 5, 19),
            time=time(9, 30),
            channels=(Channel.INSTAGRAM, Channel.X),
            observance_id="world-ibd-day",
            status=Status.APPROVED,
            private_notes="never in a digest",
        ),
    )
    add_post(
        db,
        Post(
            title="Rejected idea",
            day=date(2027, 5, 19),
            observance_id="world-ibd-day",
            status=Status.REJECTED,
        ),
    )
    add_post(db, Post(title="Unlinked post", day=date(2027, 5, 19)))
    add_post(
        db, Post(title="Last year's IBD post", day=date(2026, 5, 19), observance_id="world-ibd-day")
    )
    return db


def test_items_carry_posts_yearly_tags_and_rule_dates(planned):
    items = digest_items(planned, TODAY, 30, settings=EVERYONE)
    by_id = {i.upcoming.occurrence.observance.id: i for i in items}
    assert set(by_id) == {"world-ibd-day", "mhaw"}
    ibd = by_id["world-ibd-day"]
    assert [p.title for p in ibd.posts] == ["Gut health myths *live*"]
    assert ibd.hashtags == ("#WorldIBDDay", "#WorldIBDDay2027")
    mhaw = by_id["mhaw"].upcoming.occurrence
    assert (mhaw.start, mhaw.end) == (date(2027, 5, 17), date(2027, 5, 23))
    assert mhaw.rule_dates == (date(2027, 5, 10), date(2027, 5, 16))


def test_markdown_digest(planned):
    text = digest(planned, TODAY, 30, fmt="markdown", settings=EVERYONE)
    assert text.startswith("# Awareness digest: Mon 10 May 2027 to Wed 9 Jun 2027\n")
    assert "## World IBD Day\n" in text
    assert "- **When:** Wed 19 May 2027 (in 9 days)" in text
    assert "- **Hashtags:** `#WorldIBDDay` `#WorldIBDDay2027`" in text
    assert "  - Wed 19 May 2027 09:30, instagram, x: Gut health myths \\*live\\* (approved)" in text
    assert "announced dates; the usual rule gives Mon 10 May 2027 to Sun 16 May 2027" in text
    assert "- **Planned posts:** none yet" in text
    for absent in ("never in a digest", "Rejected idea", "Unlinked post", "Last year's"):
        assert absent not in text
    assert text.index("## Mental Health Awareness Week") < text.index("## World IBD Day")


def test_text_digest(planned):
    text = digest(planned, TODAY, 30, fmt="text", settings=EVERYONE)
    lines = text.splitlines()
    assert lines[0] == "Awareness digest: Mon 10 May 2027 to Wed 9 Jun 2027"
    assert lines[1] == "=" * len(lines[0])
    assert "  Hashtags: #WorldIBDDay #WorldIBDDay2027" in lines
    assert "    - Wed 19 May 2027 09:30, instagram, x: Gut health myths *live* (approved)" in lines
    assert "`" not in text and "**" not in text


def test_empty_window_and_staff_filter(db, small):
    assert "No observances in this window." in digest(db, date(2027, 1, 1), 7, settings=EVERYONE)
    text = digest(
        db, date(2027, 10, 1), 14, fmt="text", filters=Filters(staff=True), settings=EVERYONE
    )
    assert "National PA Week" in text and "IBD" not in text


def test_bad_format_is_refused(db, small):
    with pytest.raises(ValueError, match="format"):
        digest(db, TODAY, 30, fmt="html")


def cli(db_path: Path, *args: str):
    return CliRunner().invoke(main, ["--today", "2027-05-10", *args, "--db", str(db_path)])


def test_cli_upcoming_formats(planned, db_path):
    save_settings(planned, EVERYONE)
    md = cli(db_path, "upcoming", "--days", "30", "--format", "markdown")
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# Awareness digest")
    text = cli(db_path, "upcoming", "--format", "text")
    assert text.exit_code == 0 and text.output.startswith("Awareness digest")
    as_json = json.loads(cli(db_path, "upcoming", "--format", "json").output)
    assert as_json == json.loads(cli(db_path, "upcoming", "--json").output)
    ibd = next(row for row in as_json if row["id"] == "world-ibd-day")
    assert ibd["hashtags"] == ["#WorldIBDDay", "#WorldIBDDay2027"]
    clash = cli(db_path, "upcoming", "--json", "--format", "text")
    assert clash.exit_code == 2 and "exclusive" in clash.output
    bad = cli(db_path, "upcoming", "--format", "html")
    assert bad.exit_code == 2


def test_cli_observances_staff(small, db_path):
    result = cli(db_path, "observances", "--year", "2027", "--staff", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["pa-week"] and rows[0]["staff_recognition"] is True
    mhaw = json.loads(cli(db_path, "observances", "--year", "2027", "--json").output)
    assert next(r for r in mhaw if r["id"] == "mhaw")["rule_dates"] == ["2027-05-10", "2027-05-16"]
