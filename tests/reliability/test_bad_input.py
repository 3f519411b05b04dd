"""Hostile input everywhere: one line that names where the problem is, exit 2, no traceback, nothing written.

Covers the observance YAML list, config.toml, CLI arguments and .ics imports,
each through the real `carecal` command (CliRunner) so the error handler is
part of what is tested.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from calendar_data.awareness import ObservanceError, load_observances
from calendar_data.storage.database import open_db
from tests.reliability.figures import record
from tui.cli.entry import main

GOOD_ENTRY = """- id: american-heart-month
  name: American Heart Month
  kind: month
  rule: {month: 2}
  category: cardiovascular
  regions: [US]
  hashtags: ["#AmericanHeartMonth"]
  organisation: American Heart Association
  source: https://www.heart.org/
  last_verified: 2026-11-21"""

YAML_CASES = {
    "malformed": "- id: x\n  name: [unclosed\n",
    "tab-indent": "- id: x\n\tname: y\n",
    "not-a-list": "id: american-heart-month\n",
    "scalar-entries": "- just a string\n- 42\n",
    "unknown-key": GOOD_ENTRY + "\n  colour: red\n",
    "impossible-date": GOOD_ENTRY.replace("rule: {month: 2}", "rule: {date: '02-30'}"),
    "nth-zero": GOOD_ENTRY.replace("rule: {month: 2}", "rule: {month: 2, weekday: FR, nth: 0}"),
    "unknown-rule-key": GOOD_ENTRY.replace(
        "rule: {month: 2}", "rule: {month: 2, every: fortnight}"
    ),
    "rrule-never": GOOD_ENTRY.replace(
        "rule: {month: 2}", "rule: {rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'}"
    ),
    "anchor-loop": GOOD_ENTRY.replace("rule: {month: 2}", "rule: {anchor: {anchor: {month: 2}}}"),
    "duplicate-id": GOOD_ENTRY + "\n" + GOOD_ENTRY,
    "wrong-types": GOOD_ENTRY.replace("regions: [US]", "regions: 7"),
    "yaml-bomb": "- &a [x, x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n- &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "python-tag": "- !!python/object/apply:os.system ['echo pwned']\n",
    "empty": "",
    "binary": "\x00\x01\x02\ufffe",
}


def _one_line_naming(text: str, *needles: str) -> None:
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, text
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_bad_observance_list_names_the_file(case, tmp_path, monkeypatch, db_path):
    path = tmp_path / f"{case}.yaml"
    path.write_text(YAML_CASES[case], encoding="utf-8")
    with pytest.raises(ObservanceError) as caught:
        load_observances(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    monkeypatch.setenv("CARECAL_AWARENESS_FILE", str(path))
    result = CliRunner().invoke(main, ["--db", str(db_path), "observances", "--year", "2027"])
    assert result.exit_code == 2
    _one_line_naming(result.output, str(path))


def test_observance_list_that_is_not_utf8_names_the_file(tmp_path, monkeypatch, db_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD_ENTRY.replace("American", "Am\xe9rican").encode("latin-1"))
    monkeypatch.setenv("CARECAL_AWARENESS_FILE", str(path))
    result = CliRunner().invoke(main, ["--db", str(db_path), "observances", "--year", "2027"])
    assert result.exit_code == 2
    _one_line_naming(result.output, str(path))


TOML_CASES = {
    "malformed": (b"db = \n", "line 1"),
    "unknown-key": (b'db = "x.db"\ncolour = "red"\n', "'colour'"),
    "wrong-type": (b"db = 42\n", "'db'"),
    "table": (b"[db]\npath = 'x'\n", "'db'"),
    "empty-user": (b'user = ""\n', "'user'"),
    "sync-every-text": (b'sync_every = "15"\n', "'sync_every'"),
    "sync-every-negative": (b"sync_every = -5\n", "'sync_every'"),
    "not-utf8": (b'user = "Jos\xe9"\n', "config.toml"),
    "folder": (None, "config.toml"),
}


@pytest.mark.parametrize("case", list(TOML_CASES))
def test_bad_config_toml_names_the_file_and_key(case, isolated_dirs, tmp_path):
    content, needle = TOML_CASES[case]
    config = isolated_dirs / "config" / "carecal" / "config.toml"
    config.parent.mkdir(parents=True)
    if content is None:
        config.mkdir()
    else:
        config.write_bytes(content)
    target = tmp_path / "cal.db"
    result = CliRunner().invoke(
        main, ["posts", "add", "--title", "x", "--date", "2027-01-01", "--db", str(target)]
    )
    assert result.exit_code == 2
    _one_line_naming(result.output, str(config), needle)
    assert not target.exists() or _posts(target) == 0


def _posts(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return (
            conn.execute("SELECT count(*) FROM posts").fetchone()[0]
            + conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        )


CLI_CASES = [
    (["posts", "add", "--title", "x", "--date", "2027-02-30"], "2027-02-30"),
    (["posts", "add", "--title", "x", "--date", "99999-01-01"], "99999-01-01"),
    (["posts", "add", "--title", "x", "--date", "0001-01-01"], "date"),
    (["posts", "add", "--title", "x", "--date", ""], "date"),
    (["posts", "add", "--title", "   ", "--date", "2027-01-01"], "title"),
    (["posts", "add", "--title", "x" * 400, "--date", "2027-01-01"], "title"),
    (["posts", "add", "--title", "x", "--date", "2027-01-01", "--time", "25:00"], "25:00"),
    (["posts", "add", "--title", "x", "--date", "2027-01-01", "--channel", "myspace"], "myspace"),
    (["posts", "add", "--title", "x", "--date", "2027-01-01", "--status", "viral"], "viral"),
    (["posts", "add", "--title", "x", "--date", "2027-01-01", "--campaign", "Nope"], "Nope"),
    (
        ["posts", "add", "--title", "x", "--date", "2027-01-01", "--source", "javascript:alert(1)"],
        "source",
    ),
    (["posts", "add", "--title", "x", "--date", "2027-01-01", "--tag", "a,b"], "tag"),
    (
        ["posts", "add", "--title", "x", "--date", "2027-01-01", "--observance", "no-such-day"],
        "no-such-day",
    ),
    (
        [
            "posts",
            "add",
            "--title",
            "x",
            "--date",
            "2027-01-01",
            "--status",
            "published",
            "--features-patient",
        ],
        "",
    ),
    (["posts", "edit", "-1", "--title", "y"], ""),
    (["posts", "edit", "999999", "--title", "y"], "999999"),
    (["posts", "edit", "99999999999999999999999", "--title", "y"], ""),
    (["posts", "edit", "abc"], "abc"),
    (["posts", "edit", "1", "--date", "tomorrow-ish"], "tomorrow-ish"),
    (["posts", "rm", "0"], "0"),
    (["posts", "list", "--from", "2027-03-01", "--to", "2027-01-01"], "--to"),
    (["posts", "list", "--from", "2027-13-01"], "2027-13-01"),
    (["observances", "--year", "1800"], "1800"),
    (["observances", "--year", "abc"], "abc"),
    (["observances"], "--year"),
    (["upcoming", "--days", "-5"], "-5"),
    (["upcoming", "--days", "10**9"], "10**9"),
    (["upcoming", "--region", "Atlantis"], "Atlantis"),
    (["settings", "set", "timezone", "Mars/Olympus"], "timezone"),
    (["settings", "set", "nonsense", "1"], "nonsense"),
    (["tags", "rename", "missing", "new"], "missing"),
    (["export", "--quarter", "2027Q5", "-o", "out.ics"], "2027Q5"),
    (["import", "no-such-file.ics"], "no-such-file.ics"),
    (["restore", "no-such-backup.db", "--yes"], "no-such-backup.db"),
]


@pytest.mark.usefixtures("small_list")
@pytest.mark.parametrize(
    ("args", "needle"), CLI_CASES, ids=[" ".join(a)[:40] for a, _ in CLI_CASES]
)
def test_bad_cli_arguments_are_one_line_exit_2_nothing_written(
    args, needle, db_path, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["--db", str(db_path), "posts", "add", "--title", "seed", "--date", "2027-01-05"]
        ).exit_code
        == 0
    )
    before = _posts(db_path)
    result = runner.invoke(main, ["--today", "2026-11-21", "--db", str(db_path), *args])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "please report" not in result.output
    assert needle in result.output
    assert _posts(db_path) == before
    assert not (tmp_path / "out.ics").exists()


ICS_CASES = {
    "empty": b"",
    "binary": bytes(range(256)) * 8,
    "no-calendar": b"BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
    "unterminated": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20270101\r\n",
    "bad-date": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART:20271345\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "year-0": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART:00000101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "latin1": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Caf\xe9\r\nDTSTART;VALUE=DATE:20270101\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n".encode("latin-1"),
    "nested": b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 5000 + b"END:VCALENDAR\r\n",
    "huge-line": b"BEGIN:VCALENDAR\r\nX-JUNK:" + b"a" * 3_000_000 + b"\r\nEND:VCALENDAR\r\n",
    "secondly": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART:16010101T000000Z\r\n"
    b"RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "bad-tz": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART;TZID=Mars/Base:20270101T090000\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n",
}


@pytest.mark.parametrize("case", list(ICS_CASES))
def test_hostile_ics_import_is_refused_or_warned_never_a_traceback(case, tmp_path, db_path):
    path = tmp_path / f"{case}.ics"
    path.write_bytes(ICS_CASES[case])
    runner = CliRunner()
    open_db(db_path).close()
    before = _posts(db_path)
    result = runner.invoke(
        main, ["--today", "2026-11-21", "--db", str(db_path), "import", str(path)]
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "please report" not in result.output
    if result.exit_code:
        _one_line_naming(result.output, path.name)
        assert _posts(db_path) == before


def test_hostile_tables_are_distinct_and_reach_real_commands():
    """Guards the tables above: a repeated case adds nothing, and a misspelt command would be
    refused as a usage error, passing its test for the wrong reason."""
    assert len({tuple(args) for args, _ in CLI_CASES}) == len(CLI_CASES)
    for table in (YAML_CASES, ICS_CASES, {k: v[0] for k, v in TOML_CASES.items()}):
        assert len(set(table.values())) == len(table)
    context = click.Context(main)
    for args, _ in CLI_CASES:
        command, words = main, [w for w in args if w != "--db"]
        while isinstance(command, click.Group) and words and not words[0].startswith("-"):
            command = command.get_command(context, words.pop(0))
            assert command is not None, f"{args}: no such command"
    record(
        "bad-input/tables",
        yaml=len(YAML_CASES) + 1,
        toml=len(TOML_CASES),
        cli=len(CLI_CASES),
        ics=len(ICS_CASES),
    )
