"""Review comments never leave the machine: a planted comment is in no export, feed, CSV, report or listing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reliability.test_privacy import _serve_once
from tui.cli.entry import main

MARKER = "PLANTED-COMMENT-8842"


@pytest.fixture
def cli(tmp_path, monkeypatch, small_list):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CARECAL_NOW", "2027-01-20T12:00:00+00:00")
    db = tmp_path / "cal" / "calendar.db"

    def invoke(*args: str):
        result = CliRunner().invoke(main, ["--today", "2027-01-20", "--db", str(db), *args])
        assert result.exit_code in (0, 1), (args, result.output)
        return result

    invoke.db = db
    return invoke


def test_a_planted_comment_is_in_no_output_that_leaves_the_machine(cli, tmp_path, caplog):
    cli(
        "posts",
        "add",
        "--title",
        "Wear Red Day",
        "--date",
        "2027-02-05",
        "--time",
        "09:30",
        "--channel",
        "x",
        "--channel",
        "facebook",
        "--body",
        "Wear red on Friday #WearRedDay",
        "--copy",
        "x=Go red #WearRedDay",
        "--status",
        "approved",
    )
    cli("comments", "add", "1", f"{MARKER} the approver's private doubt", "--as", "Ana Approver")
    cli("feeds", "add", "Team", "--quarter", "2027Q1", "-o", str(tmp_path / "feed.ics"))
    cli("export", "--quarter", "2027Q1", "--format", "sprout", "-o", "q1.csv")
    csv_files = sorted(tmp_path.glob("q1-*.csv"))
    assert [p.name for p in csv_files] == ["q1-facebook.csv", "q1-x.csv"]
    outputs = {
        "export ics": cli("export", "--quarter", "2027Q1", "-o", "-").output,
        "export file": cli("export", "--quarter", "2027Q1", "-o", "plan.ics")
        and (tmp_path / "plan.ics").read_text(encoding="utf-8"),
        "feed file": cli("feeds", "build") and (tmp_path / "feed.ics").read_text(encoding="utf-8"),
        **{f"sprout {p.name}": p.read_text(encoding="utf-8") for p in csv_files},
        "posts list": cli("posts", "list").output,
        "posts list json": cli("posts", "list", "--json").output,
        "posts list search": cli("posts", "list", "--search", MARKER, "--json").output,
        "check json": cli("check", "--json").output,
        **{
            f"report {fmt}": cli(
                "report", "--from", "2027-01-01", "--to", "2027-03-31", "--format", fmt
            ).output
            for fmt in ("md", "html", "json")
        },
        "upcoming json": cli("upcoming", "--json").output,
    }
    caplog.set_level(logging.DEBUG)
    outputs["feed server"] = _serve_once(Path(cli.db), "Team")
    outputs["server log"] = caplog.text
    leaks = [name for name, text in outputs.items() if MARKER in text]
    assert leaks == []
    assert "Go red #WearRedDay" in outputs["sprout q1-x.csv"]  # the post itself did go out
    assert "Wear Red Day" in outputs["export ics"]
    assert MARKER in cli("comments", "list", "1").output  # kept, and shown to the team on request
