"""`posts add/edit --copy CHANNEL=TEXT`, `posts show`, and `carecal comments add/list/rm` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli.entry import main

pytestmark = pytest.mark.usefixtures("small_list")


@pytest.fixture
def run(db_path: Path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, ["--today", "2027-01-10", "--db", str(db_path), *args])

    return invoke


@pytest.fixture
def post_id(run) -> int:
    result = run(
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
        "linkedin",
        "--body",
        "The long story #WearRedDay",
        "--copy",
        "x=Short #WearRedDay",
    )
    assert result.exit_code == 0, result.output
    return int(result.stdout)


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_and_edit_set_each_channels_copy(run, post_id):
    assert _json(run("posts", "list", "--json"))[0]["variants"] == {"x": "Short #WearRedDay"}
    edited = run(
        "posts", "edit", str(post_id), "--copy", "LinkedIn=A longer LinkedIn version.", "--json"
    )
    assert _json(edited)[0]["variants"] == {
        "x": "Short #WearRedDay",
        "linkedin": "A longer LinkedIn version.",
    }
    assert _json(edited)[0]["sequence"] == 1
    cleared = run(
        "posts", "edit", str(post_id), "--copy", "x=", "--json"
    )  # an empty TEXT removes it
    assert _json(cleared)[0]["variants"] == {"linkedin": "A longer LinkedIn version."}
    shown = run("posts", "show", str(post_id)).output
    assert "copy[linkedin]: A longer LinkedIn version." in shown
    assert "changed per-channel copy" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--copy", "myspace=hi"], "'myspace' is not a channel"),
        (
            ["--copy", "instagram=hi"],
            "instagram: the post does not go out on instagram; add --channel instagram",
        ),
        (["--copy", "no equals sign"], "write CHANNEL=TEXT"),
    ],
)
def test_a_bad_copy_is_refused_by_name_and_nothing_is_written(run, db_path, args, message):
    result = run("posts", "add", "--title", "t", "--date", "2027-02-05", "--channel", "x", *args)
    assert result.exit_code == 2
    assert "'--copy'" in result.output and message in result.output
    assert not db_path.exists()  # refused before the calendar was even opened


def test_removing_a_channel_with_its_own_copy_says_how_to_drop_it(run, post_id):
    result = run("posts", "edit", str(post_id), "--clear-channels", "--channel", "linkedin")
    assert result.exit_code == 2
    assert "x: the post does not go out on x" in result.output and "--copy x=" in result.output
    assert _json(
        run(
            "posts",
            "edit",
            str(post_id),
            "--clear-channels",
            "--channel",
            "linkedin",
            "--copy",
            "x=",
            "--json",
        )
    )[0]["channels"] == ["linkedin"]


def test_comments_add_list_and_remove(run, post_id):
    first = run(
        "comments", "add", str(post_id), "Can we cite the AHA page?", "--as", "Ana Approver"
    )
    assert first.exit_code == 0 and first.stdout.strip().isdigit()
    run("comments", "add", str(post_id), "Added it.", "--as", "Sam Writer")
    thread = _json(run("comments", "list", str(post_id), "--json"))
    assert [(c["who"], c["text"]) for c in thread] == [
        ("Ana Approver", "Can we cite the AHA page?"),
        ("Sam Writer", "Added it."),
    ]
    assert {"id", "post_id", "who", "at", "text"} == set(thread[0])
    text = run("comments", "list", str(post_id)).output
    assert "Ana Approver" in text and "    Can we cite the AHA page?" in text
    shown = run("posts", "show", str(post_id))
    assert "Ana Approver: Can we cite the AHA page?" in shown.output  # the thread
    assert "Ana Approver: comment: Can we cite the AHA page?" in shown.output  # and the history
    assert [
        c["text"] for c in _json(run("posts", "show", str(post_id), "--json"))[0]["comments"]
    ] == ["Can we cite the AHA page?", "Added it."]
    refused = run("comments", "rm", str(thread[0]["id"]), "--as", "Sam Writer")
    assert refused.exit_code == 2 and "only its author can remove it" in refused.output
    assert run("comments", "rm", str(thread[0]["id"]), "--as", "Ana Approver").exit_code == 0
    assert [c["who"] for c in _json(run("comments", "list", str(post_id), "--json"))] == [
        "Sam Writer"
    ]


def test_comment_errors_are_one_line_with_exit_2(run, post_id):
    empty = run("comments", "add", str(post_id), "   ")
    assert (
        empty.exit_code == 2
        and empty.output.strip() == "error: text: write something (a comment cannot be empty)"
    )
    missing = run("comments", "add", "99", "hello")
    assert missing.exit_code == 2 and "no post with id 99" in missing.output
    assert run("comments", "list", "99").exit_code == 2
    assert _json(run("comments", "list", str(post_id), "--json")) == []
    assert "comments" in run("--help").output
