"""Issue 13's doors from a shell: import, export, check, holds, approvers and the privacy of output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import vobject
from click.testing import CliRunner

from tests.unit.test_doors_import_export import APPROVED_STORY
from tui.cli.entry import main

pytestmark = pytest.mark.usefixtures("small_list")


@pytest.fixture
def run(db_path: Path):
    runner = CliRunner()

    def invoke(*args: str, today: str = "2026-11-21", db: Path = db_path):
        return runner.invoke(
            main, ["--today", today, *args, "--db", str(db)], catch_exceptions=False
        )

    return invoke


def add(run, *args: str) -> int:
    result = run("posts", "add", *args)
    assert result.exit_code == 0, result.output
    return int(result.stdout)


def test_import_then_check_an_approved_patient_story_without_consent(run, tmp_path):
    source = tmp_path / "q1.ics"
    source.write_bytes(APPROVED_STORY)
    dry = run("import", str(source), "--dry-run")
    assert dry.exit_code == 0 and "comes in as draft, not approved" in dry.stderr
    assert "[draft: not approved]" in dry.stdout and "1 not approved" in dry.stdout
    result = run("import", str(source))
    assert result.exit_code == 0 and "[draft: not approved]" in result.stdout
    posts = {p["title"]: p for p in json.loads(run("posts", "list", "--json").stdout)}
    assert (
        posts["Maria's heart story"]["status"],
        posts["Maria's heart story"]["features_patient"],
    ) == ("draft", True)
    assert run("check").exit_code == 1  # a patient story with no consent blocks


def test_check_exits_1_for_an_approved_patient_story_whose_mark_was_lost(run, db_path):
    from datetime import date

    from calendar_data.storage.database import open_db

    db = open_db(db_path)  # as an old import left it: approved, unmarked, no consent
    db.execute(
        "INSERT INTO posts (title, post_date, status, content_type, created_at, updated_at) "
        "VALUES ('Maria', ?, 'approved', 'patient-story', '2026-11-01', '2026-11-01')",
        [date(2027, 1, 20).isoformat()],
    )
    db.conn.commit()
    db.close()
    result = run("check")
    assert result.exit_code == 1 and "no consent is on file" in result.stdout


def test_export_holds_back_flagged_copy_and_says_so(run, tmp_path):
    flagged = add(
        run,
        "--title",
        "Thank-you note",
        "--date",
        "2027-02-10",
        "--body",
        "Reach John Carter at 555-201-3344.",
        "--channel",
        "facebook",
        "--status",
        "draft",
    )
    target = tmp_path / "q1.ics"
    result = run("export", "--quarter", "2027Q1", "--include", "posts", "-o", str(target))
    assert result.exit_code == 0
    assert (
        "held back 1 post for compliance review" in result.stderr
        and f"#{flagged} (possible phone" in result.stderr
    )
    data = target.read_bytes()
    assert b"John Carter" not in data and b"555-201-3344" not in data and b"Thank-you" not in data
    [event] = vobject.readOne(data.decode()).vevent_list
    assert event.summary.value == f"Post #{flagged} held for compliance review"
    whole = run(
        "export",
        "--quarter",
        "2027Q1",
        "--include",
        "posts",
        "--include-blocked",
        "-o",
        str(target),
    )
    assert (
        "--include-blocked: 1 post with blocking compliance findings exported WITH their copy"
        in whole.stderr
    )
    assert b"555-201-3344" in target.read_bytes()
    piped = run("export", "--quarter", "2027Q1", "--include", "posts", "-o", "-")
    assert b"555-201-3344" not in piped.stdout_bytes and "held back 1 post" in piped.stderr


def test_feeds_add_and_build_hold_back_too(run, tmp_path):
    add(
        run,
        "--title",
        "Note",
        "--date",
        "2027-02-10",
        "--body",
        "Call John Carter at 555-201-3344.",
    )
    out = tmp_path / "team.ics"
    assert (
        run(
            "feeds", "add", "Team", "--quarter", "2027Q1", "--include", "posts", "-o", str(out)
        ).exit_code
        == 0
    )
    built = run("feeds", "build", "Team")
    assert "Team: held back 1 post" in built.stderr and b"555-201-3344" not in out.read_bytes()


def test_check_never_prints_a_consent_form_reference(run):
    story = add(
        run,
        "--title",
        "Back on the trail",
        "--date",
        "2026-12-03",
        "--features-patient",
        "--channel",
        "facebook",
        "--status",
        "review",
    )
    run(
        "consent",
        "add",
        str(story),
        "--form",
        "MARK-FORM-9b2c",
        "--signed",
        "2025-01-01",
        "--expires",
        "2026-01-01",
        "--media",
        "story",
    )
    text, as_json = run("check"), run("check", "--json")
    assert "consent on file expired on 2026-01-01" in text.stdout
    assert "MARK-FORM" not in text.output + as_json.output
    removed = run("consent", "rm", str(story))
    assert removed.exit_code == 0 and "MARK-FORM" not in run("posts", "show", str(story)).output


def test_hold_list_release_round_trip_and_an_export_read_back(run, tmp_path):
    promo = add(
        run,
        "--title",
        "Gala tickets",
        "--date",
        "2027-01-12",
        "--status",
        "approved",
        "--channel",
        "facebook",
        "--body",
        "Tickets on sale.",
    )
    crisis = add(
        run,
        "--title",
        "Visitor guidance",
        "--date",
        "2027-01-13",
        "--status",
        "approved",
        "--type",
        "crisis-update",
        "--source",
        "https://www.cdc.gov/x",
        "--body",
        "Masks required.",
    )
    held = run(
        "--as",
        "mark",
        "hold",
        "--from",
        "2027-01-10",
        "--to",
        "2027-01-24",
        "--reason",
        "Incident",
        "--except-type",
        "crisis-update",
    )
    assert held.exit_code == 0 and held.stdout.startswith("hold 1: 1 post held")
    [listed] = json.loads(run("hold", "list", "--json").stdout)
    assert (listed["active"], listed["held_by"], listed["posts"], listed["except_types"]) == (
        True,
        "mark",
        [promo],
        ["crisis-update"],
    )
    target = tmp_path / "q1.ics"
    result = run("export", "--quarter", "2027Q1", "--include", "posts", "-o", str(target))
    assert "1 post under a crisis hold written as cancelled" in result.stderr
    events = {e.summary.value: e for e in vobject.readOne(target.read_text()).vevent_list}
    assert (
        events["Gala tickets"].status.value == "CANCELLED"
        and events["Visitor guidance"].status.value == "CONFIRMED"
    )
    assert run("release", "1", "--as", "priya").stdout.startswith("hold 1 released by priya")
    run("export", "--quarter", "2027Q1", "--include", "posts", "-o", str(target))
    events = {e.summary.value: e for e in vobject.readOne(target.read_text()).vevent_list}
    assert (
        events["Gala tickets"].status.value == "CONFIRMED"
        and int(events["Gala tickets"].sequence.value) == 2
    )
    history = run("posts", "show", str(promo)).stdout
    assert "mark" in history and "priya" in history
    assert crisis


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hold", "--from", "2027-01-10", "--to", "2027-01-24"), "give --reason"),
        (("hold", "--from", "2027-01-10", "--to", "2027-01-01", "--reason", "x"), "before from"),
        (("release", "9"), "no hold with id 9"),
        (
            (
                "hold",
                "--from",
                "2027-01-10",
                "--to",
                "2027-01-11",
                "--reason",
                "x",
                "--except-type",
                "bogus",
            ),
            "bogus",
        ),
    ],
)
def test_bad_hold_input_is_one_line_and_exit_2(run, args, message):
    """One error line naming what was wrong (after click's usage lines for a wrong option); nothing held."""
    add(run, "--title", "Gala", "--date", "2027-01-12", "--status", "approved")
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr.strip().splitlines()[-1]
    assert json.loads(run("hold", "list", "--json").stdout) == []


def test_approvers_publish_timing_and_the_acting_name(run):
    assert run("settings", "set", "approvers", "mark", "priya").exit_code == 0
    post = add(
        run,
        "--title",
        "Flu clinic",
        "--date",
        "2027-02-01",
        "--body",
        "Walk-in flu shots Saturday.",
    )
    refused = run("posts", "edit", str(post), "--status", "approved", "--as", "sam")
    assert refused.exit_code == 1 and "sam may not approve" in refused.stderr
    assert run("--as", "mark", "posts", "edit", str(post), "--status", "approved").exit_code == 0
    early = run("--as", "mark", "posts", "edit", str(post), "--status", "published")
    assert early.exit_code == 1 and "not yet come" in early.stderr
    assert (
        run(
            "--as",
            "mark",
            "posts",
            "edit",
            str(post),
            "--status",
            "published",
            "--reason",
            "posted by hand at the event",
        ).exit_code
        == 0
    )
    assert run("posts", "edit", str(post), "--status", "archived").exit_code == 0
    reopened = run("posts", "edit", str(post), "--status", "idea")
    assert reopened.exit_code == 2 and "only be restored to published" in reopened.stderr
    history = run("posts", "show", str(post)).stdout
    assert "mark" in history


def test_backup_purge_old_removes_the_backups_that_still_hold_a_withdrawn_reference(run, db_path):
    story = add(
        run,
        "--title",
        "Story",
        "--date",
        "2026-12-03",
        "--features-patient",
        "--channel",
        "facebook",
    )
    run(
        "consent",
        "add",
        str(story),
        "--form",
        "MARK-FORM-9b2c",
        "--signed",
        "2026-11-01",
        "--expires",
        "2027-11-01",
        "--media",
        "story",
    )
    old = run("backup").stdout.strip()
    assert b"MARK-FORM-9b2c" in Path(old).read_bytes()
    run("consent", "rm", str(story))
    purged = run("backup", "--purge-old")
    assert purged.exit_code == 0 and "deleted 1 old backup" in purged.stderr
    fresh = Path(purged.stdout.strip())
    from calendar_data.storage.backup_files import all_backups

    assert all_backups(db_path) == [fresh]  # the old one is gone (the new one may reuse its name)
    assert (
        b"MARK-FORM-9b2c" not in fresh.read_bytes()
        and b"MARK-FORM-9b2c" not in db_path.read_bytes()
    )
