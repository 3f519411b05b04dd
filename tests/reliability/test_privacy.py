"""Nothing leaked: private files, no consent or private notes in any export, safe CSV and iCal, a closed server."""

from __future__ import annotations

import csv
import http.client
import io
import logging
import os
import stat
import threading
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from calendar_data.ical.feed_server import FeedApp, make_server, stop_server
from tests.reliability.figures import record
from tui.cli.entry import main
from tui.cli.params import FORMULA_STARTS, csv_cell

FORM_REF = "PX-PLANTED-7731"
HOLDER = "Consent Officer Zed"
NOTE = "PLANTED-NOTE-5521 family prefers no surname"


@pytest.fixture
def umask_022():
    old = os.umask(
        0o022
    )  # the usual default: files would be world-readable unless carecal says otherwise
    yield
    os.umask(old)


@pytest.fixture
def cli(tmp_path, monkeypatch, small_list):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tui.app.CarecalApp.run", lambda self: None)
    db = tmp_path / "cal" / "calendar.db"

    def invoke(*args: str, input: str | None = None):
        result = CliRunner().invoke(
            main, ["--today", "2027-01-20", "--db", str(db), *args], input=input
        )
        assert result.exit_code == 0, (args, result.output)
        return result

    invoke.db = db
    return invoke


@pytest.fixture
def planted(cli):
    """A patient story with consent on file and private notes, beside an ordinary post."""
    cli(
        "posts",
        "add",
        "--title",
        "Maria's recovery story",
        "--date",
        "2027-02-10",
        "--time",
        "10:00",
        "--channel",
        "facebook",
        "--features-patient",
        "--notes",
        NOTE,
        "--tag",
        "stories",
    )
    cli(
        "consent",
        "add",
        "1",
        "--form",
        FORM_REF,
        "--signed",
        "2027-01-02",
        "--expires",
        "2028-01-02",
        "--media",
        "photo",
        "--recorded-by",
        HOLDER,
    )
    cli("posts", "add", "--title", "Flu clinic", "--date", "2027-02-11", "--channel", "x")
    return cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_wal_shm_and_backups_are_private(planted, umask_022, tmp_path):
    from calendar_data.storage.database import open_db

    db_file = planted.db
    app = open_db(db_file)  # while a connection is open the -wal and -shm files exist
    app.execute("SELECT count(*) FROM posts").fetchone()
    for extra in ("-wal", "-shm"):
        assert _mode(Path(f"{db_file}{extra}")) == 0o600, extra
    app.close()
    planted("backup")
    planted("backup", "-o", str(tmp_path / "cal" / "more" / "copy.db"))
    planted()  # the app's start: today's backup
    planted(
        "restore", "--yes", str(tmp_path / "cal" / "more" / "copy.db")
    )  # keeps a before-restore copy
    written = [p for p in (tmp_path / "cal").rglob("*") if p.is_file()]
    assert len(written) >= 5
    assert {p.name: oct(_mode(p)) for p in written} == {p.name: oct(0o600) for p in written}
    assert all(_mode(p) == 0o700 for p in (tmp_path / "cal").rglob("*") if p.is_dir())


def test_default_data_folder_is_private(isolated_dirs, umask_022, small_list):
    assert (
        CliRunner().invoke(main, ["posts", "add", "--title", "x", "--date", "2027-01-01"]).exit_code
        == 0
    )
    folder = isolated_dirs / "data" / "carecal"
    assert _mode(folder) == 0o700 and _mode(folder / "carecal.db") == 0o600


def test_exported_files_are_private(planted, umask_022, tmp_path):
    planted("export", "--from", "2027-01-01", "--to", "2027-03-31", "-o", "plan.ics")
    planted("feeds", "add", "Team", "--quarter", "2027Q1")
    planted("feeds", "build")
    exports = [tmp_path / "plan.ics", *(tmp_path / "cal" / "feeds").glob("*.ics")]
    assert len(exports) == 2
    assert {p.name: oct(_mode(p)) for p in exports} == {p.name: oct(0o600) for p in exports}


def test_no_export_or_listing_contains_consent_details_or_private_notes(planted, tmp_path, caplog):
    planted("feeds", "add", "Team", "--quarter", "2027Q1", "-o", str(tmp_path / "feed.ics"))
    outputs = {
        "export ics": planted("export", "--quarter", "2027Q1", "-o", "-").output,
        "export file": (
            planted("export", "--quarter", "2027Q1", "-o", "plan.ics")
            and (tmp_path / "plan.ics").read_text(encoding="utf-8")
        ),
        "feed file": planted("feeds", "build")
        and (tmp_path / "feed.ics").read_text(encoding="utf-8"),
        "posts list": planted("posts", "list").output,
        "posts list json": planted("posts", "list", "--json").output,
        "posts list search": planted("posts", "list", "--search", "PLANTED", "--json").output,
        "check json": CliRunner()
        .invoke(main, ["--today", "2027-01-20", "--db", str(planted.db), "check", "--json"])
        .output,
    }
    caplog.set_level(logging.DEBUG)
    outputs["feed server"] = _serve_once(planted.db, "Team")
    outputs["server log"] = caplog.text
    for name, text in outputs.items():
        assert FORM_REF not in text and HOLDER not in text, f"consent details leak in {name}"
        assert "PLANTED-NOTE" not in text, f"private notes leak in {name}"
    assert "Maria's recovery story" in outputs["export ics"]  # the post itself is exported
    shown = planted(
        "posts", "show", "1"
    ).output  # one post, shown on request to its team, is not an export
    assert "PLANTED-NOTE" in shown
    record("privacy/exports", formats_scanned=len(outputs), consent_leaks=0, note_leaks=0)


def _serve_once(db_file: Path, feed_name: str) -> str:
    from datetime import date

    from calendar_data.ical.feeds import get_feed
    from calendar_data.storage.database import open_db

    db = open_db(db_file)
    feed = get_feed(db, feed_name)
    db.close()
    server = make_server(
        FeedApp(db_file, today=lambda: date(2027, 1, 20)), host="127.0.0.1", port=0, threads=1
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        connection.request("GET", feed.url_path)
        response = connection.getresponse()
        assert response.status == 200
        body = response.read().decode()
        connection.close()
        return body
    finally:
        stop_server(server)
        thread.join(timeout=5)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(start):
    assert csv_cell(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'
    assert (
        csv_cell(["a", "b"]) == "a b"
        and csv_cell(None) == ""
        and csv_cell("Heart #Month") == "Heart #Month"
    )


def test_csv_export_neutralises_formulas_in_names_and_hashtags(cli):
    cli(
        "observances",
        "add",
        "--id",
        "formula-day",
        "--name",
        '=HYPERLINK("http://evil.example","x")',
        "--date",
        "03-03",
        "--category",
        "general-wellness",
        "--organisation",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    )
    output = cli("observances", "--year", "2027", "--csv").output
    rows = list(csv.DictReader(io.StringIO(output)))
    row = next(r for r in rows if r["id"] == "formula-day")
    assert row["name"].startswith("'=") and row["organisation"].startswith("'@")
    for r in rows:
        assert not any(value.startswith(FORMULA_STARTS) for value in r.values()), r


def test_a_newline_in_a_title_cannot_add_an_ical_property(cli):
    cli(
        "posts",
        "add",
        "--title",
        "Flu clinic\r\nATTENDEE:mailto:evil@example.org",
        "--date",
        "2027-02-01",
        "--body",
        "Copy\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",
        "--tag",
        "a;b",
        "--channel",
        "x",
    )
    data = cli(
        "export", "--quarter", "2027Q1", "--include", "posts", "-o", "-"
    ).stdout  # stderr says what was held back
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1 and "ATTENDEE" not in events[0]
    assert not any(line.startswith(("ATTENDEE", "SUMMARY:injected")) for line in data.splitlines())
    assert [line for line in data.splitlines() if line.startswith("BEGIN:")] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
    ]


def test_feed_server_listens_on_loopback_by_default():
    import inspect

    from tui.cli.feeds import serve

    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"


@pytest.fixture
def server(planted, tmp_path):
    planted("feeds", "add", "Team", "--quarter", "2027Q1")
    running = make_server(
        FeedApp(planted.db, today=lambda: None), host="127.0.0.1", port=0, threads=1
    )
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield running.effective_port
    stop_server(running)
    thread.join(timeout=5)


@pytest.mark.parametrize(
    "path",
    [
        "/calendar.db",
        "/feeds/../calendar.db",
        "/feeds/..%2Fcalendar.db",
        "/feeds/%2e%2e/cal/calendar.db",
        "//etc/passwd",
        "/feeds/x.ics%00.db",
        "/cal/calendar.db",
        "/feeds/" + "A" * 5000 + ".ics",
    ],
)
def test_feed_server_serves_nothing_outside_its_feeds(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert (
        response.status in (400, 404, 414, 431)
        and b"SQLite format" not in body
        and b"root:" not in body
    )


def test_feed_server_refuses_a_large_request_body(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request("POST", "/feeds/x.ics", body=b"x" * (2 * 1024 * 1024))
    response = connection.getresponse()
    connection.close()
    assert response.status == 413
