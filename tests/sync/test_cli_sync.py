"""`carecal sync ...` through CliRunner against a real Radicale: targets, syncing, conflicts, bad input."""

from __future__ import annotations

import json

import keyring
import pytest
from click.testing import CliRunner
from keyring.backend import KeyringBackend

from tests.sync.conftest import PASSWORD, USER
from tui.cli.entry import main


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", PASSWORD)
    runner = CliRunner()

    def invoke(db: str, *args: str, input: str | None = None):
        return runner.invoke(
            main,
            ["--today", "2027-03-01", *args, "--db", str(tmp_path / db)],
            catch_exceptions=False,
            input=input,
        )

    return invoke


def _add(cli, db: str, url: str, *extra: str):
    result = cli(
        db,
        "sync",
        "add",
        "team",
        url,
        "--user",
        USER,
        "--password-env",
        "CARECAL_TEST_PASSWORD",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result


def _post(cli, db: str, title: str) -> int:
    result = cli(db, "posts", "add", "--title", title, "--date", "2027-03-15")
    assert result.exit_code == 0, result.output
    return int(result.stdout)


def test_targets_are_added_listed_and_removed_without_a_password_stored(cli, radicale, tmp_path):
    url = radicale.new_calendar()
    added = _add(cli, "a.db", url)
    assert "password: from $CARECAL_TEST_PASSWORD" in added.stdout
    [row] = json.loads(cli("a.db", "sync", "list", "--json").stdout)
    assert (row["name"], row["url"], row["user"], row["password_source"], row["password_ref"]) == (
        "team",
        url,
        USER,
        "env",
        "CARECAL_TEST_PASSWORD",
    )
    assert row["last_sync_at"] is None and row["pending"] == 0 and row["conflicts"] == 0
    assert PASSWORD.encode() not in (tmp_path / "a.db").read_bytes()
    assert cli("a.db", "sync", "add", "team", url).exit_code == 2  # the name is taken
    removed = cli("a.db", "sync", "rm", "team")
    assert removed.exit_code == 0 and json.loads(cli("a.db", "sync", "list", "--json").stdout) == []
    gone = cli("a.db", "sync", "rm", "team")
    assert (
        gone.exit_code == 2
        and gone.stderr.count("\n") == 1
        and "no sync target named 'team'" in gone.stderr
    )


def test_sync_then_a_conflict_exits_1_until_resolved(cli, radicale):
    url = radicale.new_calendar()
    _add(cli, "a.db", url)
    _add(cli, "b.db", url)
    post = _post(cli, "a.db", "Flu clinic")
    first = cli("a.db", "sync")
    assert first.exit_code == 0 and "pushed 1 new" in first.stdout
    assert cli("b.db", "sync", "team").exit_code == 0
    [bobs] = json.loads(cli("b.db", "posts", "list", "--json").stdout)
    assert cli("a.db", "posts", "edit", str(post), "--title", "Flu clinic (Alice)").exit_code == 0
    assert (
        cli("b.db", "posts", "edit", str(bobs["id"]), "--title", "Flu clinic (Bob)").exit_code == 0
    )
    assert cli("a.db", "sync").exit_code == 0
    clash = cli("b.db", "sync")
    assert clash.exit_code == 1 and "changed here and on the server (title)" in clash.stdout
    listed = cli("b.db", "sync", "conflicts", "--json")
    assert listed.exit_code == 1
    [conflict] = json.loads(listed.stdout)
    assert (conflict["local"]["title"], conflict["remote"]["title"]) == (
        "Flu clinic (Bob)",
        "Flu clinic (Alice)",
    )
    text = cli("b.db", "sync", "conflicts")
    assert "local:  Flu clinic (Bob)" in text.stdout and "remote: Flu clinic (Alice)" in text.stdout
    assert cli("b.db", "sync", "resolve", str(conflict["id"]), "--keep", "remote").exit_code == 0
    assert cli("b.db", "sync").exit_code == 0
    assert (
        json.loads(cli("b.db", "posts", "list", "--json").stdout)[0]["title"]
        == "Flu clinic (Alice)"
    )
    assert cli("b.db", "sync", "conflicts").exit_code == 0


def test_dry_run_json_reports_without_changing(cli, radicale):
    url = radicale.new_calendar()
    _add(cli, "a.db", url)
    _post(cli, "a.db", "Sleep week")
    [preview] = json.loads(cli("a.db", "sync", "--dry-run", "--json").stdout)
    assert preview["dry_run"] and preview["pushed"]["new"] == 1
    [row] = json.loads(cli("a.db", "sync", "list", "--json").stdout)
    assert row["pending"] == 1 and row["last_sync_at"] is None
    [done] = json.loads(cli("a.db", "sync", "--json").stdout)
    assert done["pushed"]["new"] == 1 and not done["dry_run"]


@pytest.mark.parametrize(
    "url", ["http://calendar.example.org/team/", "http://192.168.1.20:5232/team/"]
)
def test_plain_http_to_another_machine_is_refused_and_nothing_is_written(cli, url, tmp_path):
    refused = cli("a.db", "sync", "add", "team", url)
    assert (
        refused.exit_code == 2
        and refused.stderr.count("\n") == 1
        and "plain http" in refused.stderr
    )
    assert not (tmp_path / "a.db").exists()
    allowed = cli("a.db", "sync", "add", "team", url, "--allow-http")
    assert (
        allowed.exit_code == 0 and "warning:" in allowed.stderr and "unencrypted" in allowed.stderr
    )


def test_a_wrong_password_is_one_line_and_exit_2(cli, radicale, monkeypatch):
    url = radicale.new_calendar()
    _add(cli, "a.db", url)
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", "not-the-password")
    result = cli("a.db", "sync")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "refused" in result.stderr


def test_password_command_is_run_and_only_its_name_kept(cli, radicale, tmp_path):
    url = radicale.new_calendar()
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text(PASSWORD + "\n")
    result = cli(
        "a.db",
        "sync",
        "add",
        "team",
        url,
        "--user",
        USER,
        "--password-command",
        f"cat {secret_file}",
    )
    assert result.exit_code == 0, result.output
    assert cli("a.db", "sync").exit_code == 0
    [row] = json.loads(cli("a.db", "sync", "list", "--json").stdout)
    assert row["password_ref"] == f"cat {secret_file}"
    assert PASSWORD.encode() not in (tmp_path / "a.db").read_bytes()
    missing = cli(
        "b.db", "sync", "add", "team", url, "--user", USER, "--password-env", "CARECAL_NO_SUCH_VAR"
    )
    assert missing.exit_code == 0
    unset = cli("b.db", "sync")
    assert unset.exit_code == 2 and "$CARECAL_NO_SUCH_VAR is not set" in unset.stderr


class MemoryKeyring(KeyringBackend):
    """A keyring for the test: encrypted storage is the platform's job; here we only count on the API."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


def test_keyring_keeps_the_password_when_there_is_one(cli, radicale, tmp_path):
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        url = radicale.new_calendar()
        added = cli("a.db", "sync", "add", "team", url, "--user", USER, input=PASSWORD + "\n")
        assert added.exit_code == 0 and "password: in the keyring" in added.stdout
        assert list(backend.store.values()) == [PASSWORD]
        assert PASSWORD.encode() not in (tmp_path / "a.db").read_bytes()
        assert cli("a.db", "sync").exit_code == 0
        cli("a.db", "sync", "rm", "team")
        assert backend.store == {}
    finally:
        keyring.set_keyring(previous)


def test_without_a_usable_keyring_a_user_is_told_what_to_do(cli, monkeypatch, tmp_path):
    from calendar_data.sync import credentials

    monkeypatch.setattr(credentials, "usable", lambda: False)
    result = cli("a.db", "sync", "add", "team", "https://dav.example.org/team/", "--user", "bob")
    assert result.exit_code == 2 and "--password-command" in result.stderr
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("sync", "resolve", "99", "--keep", "local"),
        ("sync", "resolve", "1"),
        ("sync", "resolve", "1", "--field", "title"),
        (
            "sync",
            "add",
            "t",
            "https://x.example/",
            "--password-env",
            "A",
            "--password-command",
            "b",
        ),
        ("sync", "add", "t", "not a url"),
        ("sync", "add", "t", "https://user:pw@x.example/cal/"),
        ("sync", "nosuchtarget"),
        ("sync", "add", "list", "https://x.example/cal/"),
        ("sync", "add", "a/b", "https://x.example/cal/"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args):
    result = cli("a.db", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "error" in result.stderr.lower()


def test_sync_without_targets_says_how_to_add_one(cli):
    _post(cli, "a.db", "A calendar with no target yet")
    result = cli("a.db", "sync")
    assert result.exit_code == 2 and "carecal sync add NAME URL" in result.stderr


def test_every_sync_command_has_help():
    runner = CliRunner()
    for command in ("add", "list", "rm", "conflicts", "resolve"):
        result = runner.invoke(main, ["sync", command, "--help"])
        assert result.exit_code == 0 and "--db" in result.output
    assert (
        "carecal sync [NAME] [--dry-run] [--json]" in runner.invoke(main, ["sync", "--help"]).output
    )


def test_a_server_that_is_down_is_one_line_and_nothing_changes(cli):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert cli("a.db", "sync", "add", "team", f"http://127.0.0.1:{port}/team/plan/").exit_code == 0
    _post(cli, "a.db", "Offline edit")
    result = cli("a.db", "sync")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"127.0.0.1:{port}" in result.stderr
    [row] = json.loads(cli("a.db", "sync", "list", "--json").stdout)
    assert row["pending"] == 1 and row["last_sync_at"] is None
