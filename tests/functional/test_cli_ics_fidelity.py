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
    assert result.stderr == f"error: {tmp_path / 'nofile.ics'}: no such file (check the name and folder)\n"
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
