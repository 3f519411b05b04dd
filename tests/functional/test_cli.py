"""The command-line contract (DESIGN.md) through click's CliRunner: successes and error paths."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli.entry import main

pytestmark = pytest.mark.usefixtures("small_list")


def rows(db_path: Path, sql: str):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def post_count(db_path: Path) -> int:
    """Posts in the file; a usage error never even creates it."""
    if not db_path.exists():
        return 0
    return rows(db_path, "SELECT count(*) FROM posts")[0][0]


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.startswith("carecal, version ")
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in (
        "demo",
        "upcoming",
        "observances",
        "posts",
        "backup",
        "campaigns",
        "tags",
        "settings",
    ):
        assert command in result.output


def test_add_prints_id_and_list_json_has_iso_dates(run, db_path):
    result = run(
        "posts",
        "add",
        "--title",
        "Wear red",
        "--date",
        "2027-02-05",
        "--time",
        "09:30",
        "--channel",
        "x",
        "--channel",
        "Instagram",
        "--tag",
        "heart",
        "--body",
        "Go red! #WearRedDay",
        "--observance",
        "national-wear-red-day",
        "--source",
        "https://www.heart.org/",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1"
    listing = run("posts", "list", "--from", "2027-02-01", "--to", "2027-02-28", "--json")
    data = json.loads(listing.output)
    assert data == [data[0]] and data[0]["date"] == "2027-02-05" and data[0]["time"] == "09:30"
    assert data[0]["channels"] == ["instagram", "x"] and data[0]["hashtags"] == ["#WearRedDay"]
    assert data[0]["status"] == "idea" and "private_notes" not in data[0]


def test_add_json_prints_the_post(run):
    result = run("posts", "add", "--title", "T", "--date", "2027-01-02", "--json")
    assert json.loads(result.output)[0]["title"] == "T"


def test_edit_and_rm(run, db_path):
    run("posts", "add", "--title", "Draft me", "--date", "2027-01-10", "--tag", "a")
    result = run(
        "posts", "edit", "1", "--status", "draft", "--tag", "b", "--untag", "a", "--as", "Sam"
    )
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT status, sequence FROM posts") == [("draft", 1)]
    assert rows(db_path, "SELECT who FROM changes WHERE action = 'update'") == [("Sam",)]
    assert run("posts", "rm", "1").exit_code == 0
    assert rows(db_path, "SELECT count(*) FROM posts") == [(0,)]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("posts", "add", "--title", "x", "--date", "2027-02-30"), "2027-02-30"),
        (
            ("posts", "add", "--title", "x", "--date", "2027-02-03", "--channel", "myspace"),
            "myspace",
        ),
        (("posts", "add", "--title", "x", "--date", "2027-02-03", "--status", "live"), "live"),
        (("posts", "add", "--date", "2027-02-03"), "--title"),
        (("posts", "add", "--title", "  ", "--date", "2027-02-03"), "title"),
        (("posts", "add", "--title", "x", "--date", "2027-02-03", "--time", "25:00"), "25:00"),
        (("posts", "add", "--title", "x", "--date", "2027-02-03", "--campaign", "Nope"), "Nope"),
        (
            ("posts", "add", "--title", "x", "--date", "2027-02-03", "--observance", "no-such-day"),
            "no-such-day",
        ),
        (("posts", "edit", "99", "--title", "x"), "99"),
        (("posts", "rm", "99"), "99"),
        (("posts", "list", "--from", "2027-03-01", "--to", "2027-01-01"), "before"),
        (("observances",), "--year"),
        (("observances", "--year", "1800"), "1800"),
        (("upcoming", "--days", "-3"), "-3"),
        (("settings", "set", "timezone", "Mars/Base"), "Mars/Base"),
        (("settings", "set", "colour", "red"), "colour"),
    ],
)
def test_bad_input_is_one_clear_error_exit_2_nothing_written(run, db_path, args, needle):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1
    assert post_count(db_path) == 0


def test_workflow_refusal_leaves_post(run, db_path):
    run(
        "posts",
        "add",
        "--title",
        "Out",
        "--date",
        "2027-01-10",
        "--status",
        "published",
        "--reason",
        "went out by hand early",
    )
    result = run("posts", "edit", "1", "--status", "draft")
    assert result.exit_code == 2 and "only be archived" in result.output
    assert rows(db_path, "SELECT status FROM posts") == [("published",)]


def test_unreadable_database_is_refused_untouched(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list\n")
    result = CliRunner().invoke(main, ["posts", "list", "--db", str(bad)])
    assert result.exit_code == 2 and "not an SQLite database" in result.output
    assert bad.read_text() == "shopping list\n"


def test_env_var_chooses_database(tmp_path, monkeypatch):
    target = tmp_path / "env.db"
    monkeypatch.setenv("CARECAL_DB", str(target))
    result = CliRunner().invoke(main, ["posts", "add", "--title", "x", "--date", "2027-01-01"])
    assert result.exit_code == 0 and target.exists()


def test_upcoming_json_contract(run):
    result = run("upcoming", "--days", "100", "--json", today="2027-02-03")
    data = json.loads(result.output)
    assert [(d["id"], d["start"], d["end"], d["days_until"]) for d in data] == [
        ("american-heart-month", "2027-02-01", "2027-02-28", 0),
        ("national-wear-red-day", "2027-02-05", "2027-02-05", 2),
        ("world-kidney-day", "2027-03-11", "2027-03-11", 36),
        ("world-immunization-week", "2027-04-24", "2027-04-30", 80),
    ]
    assert set(data[0]) >= {"id", "name", "kind", "start", "end", "hashtags", "days_until"}


def test_observances_year_contract_and_csv(run):
    data = json.loads(run("observances", "--year", "2027", "--json").output)
    week = next(d for d in data if d["id"] == "world-immunization-week")
    assert (week["start"], week["end"]) == ("2027-04-24", "2027-04-30")  # end inclusive
    assert {"id", "name", "kind", "start", "end", "hashtags", "category", "regions"} <= set(week)
    assert all(d["start"].startswith("2027") for d in data)
    uk = json.loads(run("observances", "--year", "2027", "--region", "UK", "--json").output)
    assert [d["id"] for d in uk] == ["stoptober"]
    csv_out = run("observances", "--year", "2027", "--category", "kidney", "--csv").output
    assert csv_out.splitlines()[0].startswith("id,name,kind,start,end")


def test_custom_observance_star_mute(run):
    assert (
        run(
            "observances",
            "add",
            "--id",
            "founders-day",
            "--name",
            "Founders Day",
            "--date",
            "03-03",
            "--category",
            "general-wellness",
            "--hashtag",
            "Founders",
        ).exit_code
        == 0
    )
    data = json.loads(run("observances", "--year", "2027", "--json").output)
    assert any(
        d["id"] == "founders-day" and d["custom"] and d["hashtags"] == ["#Founders"] for d in data
    )
    assert run("observances", "mute", "founders-day").exit_code == 0
    upcoming = json.loads(run("upcoming", "--days", "120", "--json").output)
    assert "founders-day" not in [d["id"] for d in upcoming]
    assert run("observances", "star", "world-kidney-day").exit_code == 0
    upcoming = json.loads(run("upcoming", "--days", "120", "--json").output)
    assert next(d for d in upcoming if d["id"] == "world-kidney-day")["starred"] is True
    bad = run(
        "observances",
        "add",
        "--id",
        "Bad Id",
        "--name",
        "x",
        "--date",
        "03-03",
        "--category",
        "kidney",
    )
    assert bad.exit_code == 2 and "id" in bad.output


def test_demo_fills_a_fresh_calendar_once(run, db_path):
    result = run("demo")
    assert result.exit_code == 0, result.output
    count = rows(db_path, "SELECT count(*) FROM posts")[0][0]
    assert count >= 40
    statuses = {r[0] for r in rows(db_path, "SELECT DISTINCT status FROM posts")}
    assert {"published", "idea"} <= statuses and len(statuses) >= 4
    channels = rows(db_path, "SELECT count(DISTINCT channel) FROM post_channels")[0][0]
    assert channels >= 6
    again = run("demo")
    assert again.exit_code == 2 and "already has" in again.output
    assert rows(db_path, "SELECT count(*) FROM posts")[0][0] == count


def test_campaigns_tags_settings_backup(run, db_path, tmp_path):
    assert (
        run(
            "campaigns", "add", "Heart Month", "--start", "2027-02-01", "--end", "2027-02-28"
        ).exit_code
        == 0
    )
    run(
        "posts",
        "add",
        "--title",
        "x",
        "--date",
        "2027-02-02",
        "--campaign",
        "heart month",
        "--tag",
        "cardio",
    )
    assert json.loads(run("campaigns", "--json").output)[0]["posts"] == 1
    assert run("tags", "rename", "cardio", "heart").exit_code == 0
    assert json.loads(run("tags", "--json").output) == [{"name": "heart", "posts": 1, "colour": ""}]
    assert run("settings", "set", "regions", "global", "UK").exit_code == 0
    assert "regions = global, UK" in run("settings").output
    out = tmp_path / "copy.db"
    assert run("backup", "-o", str(out)).exit_code == 0
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 1


def test_demo_on_a_pretended_day_after_the_clock_publishes_its_past_posts(run, db_path):
    """`--today` ahead of the machine's clock: the demo's posts before that day go in as published.

    The demo used to save them against the real clock, which had not reached them yet ("not yet come").
    """
    result = run("--today", "2099-03-10", "demo")
    assert result.exit_code == 0, result.output
    published = rows(db_path, "SELECT count(*) FROM posts WHERE status = 'published'")[0][0]
    assert published > 0
