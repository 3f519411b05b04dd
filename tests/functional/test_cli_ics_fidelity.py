"""Issue 14 through the CLI: plain errors for missing files, warnings for empty results."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tui.cli.entry import main


@pytest.fixture
def cli(db_path, small_list, monkeypatch):
    monkeypatch.setenv("CARECAL_DB", str(db_path))
    monkeypatch.setenv("CARECAL_TODAY", "2026-11-21")
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


def test_importing_a_missing_file_is_one_plain_sentence_and_exit_2(cli, tmp_path):
    result = cli("import", str(tmp_path / "nofile.ics"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {tmp_path / 'nofile.ics'}: no such file (check the name and folder)\n"
    )
    assert "Errno" not in result.stderr


def test_importing_a_folder_says_so(cli, tmp_path):
    result = cli("import", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr  # click's own check of the argument


def test_an_empty_calendar_warns_that_nothing_was_found(cli, tmp_path):
    path = tmp_path / "empty.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nEND:VCALENDAR\r\n")
    result = cli("import", str(path))
    assert result.exit_code == 0
    assert "warning: empty.ics: 0 events found" in result.stderr


def test_the_documented_cardiology_filters_keep_posts_and_observances_on_the_demo(cli, tmp_path):
    import icalendar

    assert cli("demo").exit_code == 0
    out = tmp_path / "cardio.ics"
    result = cli(
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2027-02-28",
        "--tag",
        "cardiology",
        "--category",
        "cardiovascular",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    kinds = [
        str(e["X-CARECAL-KIND"])
        for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    ]
    assert kinds.count("post") > 0 and kinds.count("observance") > 0


def test_a_campaign_filter_naming_no_campaign_warns(cli, tmp_path):
    assert cli("posts", "add", "--title", "Any", "--date", "2027-02-01").exit_code == 0
    result = cli(
        "export",
        "--quarter",
        "2027Q1",
        "--campaign",
        "No such",
        "--include",
        "posts",
        "-o",
        str(tmp_path / "x.ics"),
    )
    assert result.exit_code == 0
    assert (
        "warning: campaign: no campaign named 'No such'; the file holds no posts" in result.stderr
    )


def test_a_post_duration_from_the_cli_goes_out_as_its_end(cli, tmp_path):
    import json

    result = cli(
        "posts",
        "add",
        "--title",
        "Live Q&A",
        "--date",
        "2027-02-03",
        "--time",
        "12:00",
        "--minutes",
        "90",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["duration_minutes"] == 90
    assert cli("posts", "edit", "1", "--minutes", "45").exit_code == 0
    out = tmp_path / "q.ics"
    assert cli("export", "--quarter", "2027Q1", "--include", "posts", "-o", str(out)).exit_code == 0
    assert b"DTEND;TZID=America/New_York:20270203T124500" in out.read_bytes()
