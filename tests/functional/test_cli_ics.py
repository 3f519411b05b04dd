"""`carecal export`, `import`, `feeds` and `serve --help` through click's CliRunner."""

from __future__ import annotations

import icalendar
import pytest

from calendar_data.storage.database import open_db
from tests.ics_support import ICS, fill_calendar, icalendar_occurrences, vobject_occurrences


@pytest.fixture
def planned(db_path, run, small_list):
    db = open_db(db_path)
    fill_calendar(db)
    db.close()
    return run


def _posts(db_path) -> int:
    db = open_db(db_path)
    try:
        return db.execute("SELECT count(*) FROM posts").fetchone()[0]
    finally:
        db.close()


def test_export_a_quarter_that_two_parsers_read_alike(planned, tmp_path):
    target = tmp_path / "q1.ics"
    result = planned("export", "--quarter", "2027Q1", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ") and str(target) in result.output
    data = target.read_bytes()
    assert icalendar_occurrences(data) == vobject_occurrences(data)
    assert len(vobject_occurrences(data)) == int(result.output.split()[1])


def test_export_scope_filters_and_alarms(planned, tmp_path):
    target = tmp_path / "cardio.ics"
    result = planned(
        "export",
        "--from",
        "2027-01-01",
        "--to",
        "2027-12-31",
        "--include",
        "posts,observances",
        "--tag",
        "cardiology",
        "--category",
        "cardiovascular",
        "--alarm-days",
        "14",
        "--name",
        "Cardiology team",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Wear red Friday photo wall" in summaries and "American Heart Month" in summaries
    assert "Summer safety tips" not in summaries and "World Kidney Day" not in summaries
    assert calendar["X-WR-CALNAME"] == "Cardiology team"
    assert all(
        len(e.walk("VALARM")) == 1
        for e in calendar.walk("VEVENT")
        if "Awareness" in e["CATEGORIES"].cats
    )


def test_export_to_standard_output(planned):
    result = planned("export", "--quarter", "2027Q1", "--include", "holidays", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2027-03-01", "--to", "2027-01-01"], "is before --from"),
        (["--quarter", "2027Q5"], "is not a quarter"),
        (["--from", "2027-01-01"], "give --quarter 2027Q1, or both --from and --to"),
        (["--quarter", "2027Q1", "--include", "meetings"], "use posts, observances, holidays"),
    ],
)
def test_export_usage_errors(planned, tmp_path, args, message):
    result = planned("export", *args, "-o", str(tmp_path / "x.ics"))
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x.ics").exists()


def test_export_into_a_missing_folder_is_a_one_line_error(planned, tmp_path):
    result = planned(
        "export", "--quarter", "2027Q1", "-o", str(tmp_path / "no" / "such" / "q1.ics")
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert (
        planned("export", "--quarter", "2027Q1", "-o", str(tmp_path)).exit_code == 2
    )  # a folder: click says so


def test_import_twice_adds_once(run, db_path):
    first = run("import", str(ICS / "outlook.ics"))
    assert first.exit_code == 0, first.output
    assert "+ 2027-01-12 10:00 Flu clinic reminder" in first.stdout
    assert first.stdout.strip().endswith("imported posts: 10 added, 0 updated, 0 unchanged")
    assert "Heart health week" not in first.stderr  # its five days are kept now (issue 14)
    second = run("import", str(ICS / "outlook.ics"))
    assert second.stdout.strip() == "imported posts: 0 added, 0 updated, 10 unchanged"
    assert _posts(db_path) == 10


def test_import_dry_run_writes_nothing(run, db_path):
    result = run("import", str(ICS / "google.ics"), "--dry-run")
    assert result.exit_code == 0
    assert (
        "would import posts: 30 added" in result.stdout
        and "dry run: nothing written" in result.stdout
    )
    assert not db_path.exists()  # a dry run against a missing calendar plans against an empty one


def test_import_as_observances(run):
    result = run("import", str(ICS / "google.ics"), "--as", "observances")
    assert result.exit_code == 0 and "imported observances: 6 added" in result.stdout
    listed = run("observances", "--year", "2027", "--json")
    assert "Colorectal cancer month kickoff" in listed.stdout


def test_warnings_go_to_stderr_with_the_prefix(run):
    result = run("import", str(ICS / "odd-cp1252.ics"))
    assert result.exit_code == 0
    assert (
        result.stderr
        == "warning: odd-cp1252.ics:7: not UTF-8 (first bad byte here); read the file as Windows-1252\n"
    )


@pytest.mark.parametrize("name", sorted(p.name for p in ICS.glob("bad-*.ics")))
def test_broken_files_are_one_line_errors_with_exit_2(run, db_path, name):
    result = run("import", str(ICS / name))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {name}") and result.stderr.count("\n") == 1
    assert _posts(db_path) == 0


def test_import_from_standard_input(run):
    result = run("import", "-", input=(ICS / "odd-bom.ics").read_bytes())
    assert result.exit_code == 0 and "1 added" in result.stdout


def test_missing_file_is_an_error(run, tmp_path):
    result = run("import", str(tmp_path / "nope.ics"))
    assert result.exit_code == 2


def test_feeds_add_list_build_rm(planned, tmp_path):
    target = tmp_path / "feeds" / "q1.ics"
    added = planned(
        "feeds",
        "add",
        "Q1 campaigns for Outlook",
        "--quarter",
        "2027Q1",
        "--campaign",
        "Heart Month 2027",
        "--include",
        "posts",
        "-o",
        str(target),
    )
    assert added.exit_code == 0, added.output
    assert "server path: /feeds/" in added.stdout
    rolling = planned(
        "feeds", "add", "Hashtag holidays", "--next-days", "90", "--include", "observances,holidays"
    )
    assert rolling.exit_code == 0
    listed = planned("feeds", "list", "--json")
    rows = {r["name"]: r for r in __import__("json").loads(listed.stdout)}
    assert rows["Hashtag holidays"]["scope"] == "next 90 days"
    assert rows["Hashtag holidays"]["path"].endswith("feeds/hashtag-holidays.ics")
    built = planned("feeds", "build", "Q1 campaigns for Outlook")
    assert built.stdout.strip() == f"Q1 campaigns for Outlook: 1 events -> {target}"
    assert target.exists()
    every = planned("feeds", "build")
    assert every.exit_code == 0 and every.stdout.count("->") == 2
    duplicate = planned("feeds", "add", "q1 campaigns for outlook", "--quarter", "2027Q1")
    assert duplicate.exit_code == 2 and "already exists" in duplicate.stderr
    both = planned("feeds", "add", "Odd", "--quarter", "2027Q1", "--next-days", "5")
    assert both.exit_code == 2
    assert planned("feeds", "rotate", "Hashtag holidays").exit_code == 0
    assert (
        planned("feeds", "rm", "Hashtag holidays").stdout.strip()
        == "removed feed 'Hashtag holidays'"
    )
    gone = planned("feeds", "build", "Hashtag holidays")
    assert gone.exit_code == 2 and "no feed named" in gone.stderr


def test_serve_help_documents_loopback_default(run):
    result = run("serve", "--help")
    assert result.exit_code == 0 and "127.0.0.1" in result.output


def test_unusual_input_imports_with_a_warning_line_and_conflicts_are_exit_2(run, db_path, tmp_path):
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:w1\r\nDTSTART;VALUE=DATE:20270110\r\n"
        "{again}\r\nSUMMARY:Twice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    same = tmp_path / "same.ics"
    same.write_text(event.format(again="DTSTART;VALUE=DATE:20270110"), encoding="utf-8", newline="")
    result = run("import", str(same))
    assert result.exit_code == 0 and "1 added" in result.stdout
    assert result.stderr == "warning: same.ics:7: DTSTART repeated (same as line 6); ignored\n"
    other = tmp_path / "other.ics"
    other.write_text(
        event.format(again="DTSTART;VALUE=DATE:20270111"), encoding="utf-8", newline=""
    )
    result = run("import", str(other))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: other.ics:7: the VEVENT at line 4 has a second DTSTART")
    assert _posts(db_path) == 1
