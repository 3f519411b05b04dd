"""Random command lines for `posts add/edit/list`, `observances` and `upcoming` through the real CLI.

Every example must end with exit code 0, 1 or 2, with no traceback and no
"unexpected error" in the output; a failed command must leave the posts and
the change log as they were; and the database must pass integrity_check
throughout. Examples are derandomized so CI runs the same 10,000 every time.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_data.storage.database import open_db
from tests.reliability.figures import record
from tui.cli.entry import main

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("CARECAL_FUZZ_EXAMPLES", "10000"))


def _mostly(valid: st.SearchStrategy, hostile: st.SearchStrategy) -> st.SearchStrategy:
    """Valid values nine times in ten, so most commands get past parsing and into the calendar."""
    return st.integers(0, 9).flatmap(lambda n: hostile if n == 9 else valid)


TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            '=HYPERLINK("http://x")',
            "+1",
            "-1",
            "@SUM(A1)",
            "\t",
            "\r\n",
            "#hash #tags",
            "a,b",
            "'; DROP TABLE posts; --",
            "%",
            "_",
            "\x00",
            "\u202e",
            "\udcff",
            "x" * 400,
            "   ",
        ]
    ),
)
DATES = _mostly(
    st.dates(date(1990, 1, 1), date(2100, 12, 31)).map(str),
    st.one_of(
        st.dates().map(str),
        st.text(max_size=12),
        st.sampled_from(
            [
                "today",
                "tomorrow",
                "yesterday",
                "TODAY",
                "2027-02-29",
                "2028-02-29",
                "2027-13-01",
                "2027-00-10",
                "0000-01-01",
                "9999-12-31",
                "1601-01-01",
                "4501-01-01",
                "27-1-1",
                "2027/01/05",
                "20270105",
                " 2027-01-05 ",
                "2027-01-05T10:00",
                "-2027-01-05",
            ]
        ),
    ),
)
HOSTILE_INTS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "1e3", "0x10", "\u0663", "NaN", "inf", "", " 7", "10**9", "-1"]),
)


def _choice(*values: str) -> st.SearchStrategy:
    return _mostly(st.sampled_from([*values, *(v.upper() for v in values)]), TEXT)


VALUES = {
    "date": DATES,
    "text": _mostly(st.text(st.characters(codec="utf-8"), min_size=1, max_size=30), TEXT),
    "year": _mostly(st.integers(1990, 2100).map(str), HOSTILE_INTS),
    "days": _mostly(st.integers(0, 400).map(str), HOSTILE_INTS),
    "id": _mostly(st.integers(1, 8).map(str), HOSTILE_INTS),
    "campaign": _choice("Heart Month", "heart month"),
    "time": _mostly(
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.one_of(st.sampled_from(["24:00", "9:5", "12:60", "noon", "-1:00"]), st.text(max_size=6)),
    ),
    "status": _choice(
        "idea", "draft", "review", "approved", "scheduled", "published", "rejected", "archived"
    ),
    "channel": _choice("facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "bluesky"),
    "type": _choice("educational", "patient-story", "infographic", "announcement", "myth-busting"),
    "region": _choice("global", "US", "UK", "CA", "AU"),
    "category": _choice("cancer", "kidney", "cardiovascular", "mental-health", "immunization"),
    "observance": _choice("american-heart-month", "world-kidney-day", "national-wear-red-day"),
    "source": _choice("https://www.cdc.gov/flu/", "http://example.org/a?b=c"),
}

POST_FIELDS = {
    "--time": "time",
    "--body": "text",
    "--channel": "channel",
    "--tag": "text",
    "--hashtag": "text",
    "--status": "status",
    "--campaign": "campaign",
    "--type": "type",
    "--observance": "observance",
    "--owner": "text",
    "--source": "source",
    "--asset": "text",
    "--features-patient": None,
    "--no-patient": None,
    "--notes": "text",
    "--as": "text",
    "--json": None,
}
COMMANDS = {
    ("posts", "add"): POST_FIELDS | {"--title": "text", "--date": "date"},
    ("posts", "edit"): POST_FIELDS
    | {
        "--title": "text",
        "--date": "date",
        "--no-time": None,
        "--untag": "text",
        "--clear-channels": None,
    },
    ("posts", "list"): {
        "--from": "date",
        "--to": "date",
        "--tag": "text",
        "--status": "status",
        "--channel": "channel",
        "--campaign": "campaign",
        "--search": "text",
        "--json": None,
    },
    ("observances",): {
        "--year": "year",
        "--region": "region",
        "--category": "category",
        "--json": None,
        "--csv": None,
    },
    ("upcoming",): {
        "--days": "days",
        "--region": "region",
        "--category": "category",
        "--json": None,
    },
}


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    options = COMMANDS[command]
    argv = list(command)
    if command == ("posts", "edit"):
        argv.append(draw(VALUES["id"]))
    if command == ("posts", "add") and draw(st.integers(0, 4)):
        argv += ["--title", draw(VALUES["text"]), "--date", draw(DATES)]
    if command == ("observances",) and draw(st.integers(0, 4)):
        argv += ["--year", draw(VALUES["year"])]
    for _ in range(draw(st.integers(0, 5))):
        junk = draw(st.integers(0, 29)) == 29
        name = draw(st.sampled_from(["--bogus", "-x", "--"] if junk else sorted(options)))
        argv.append(name)
        kind = options.get(name, "text")
        if kind and draw(st.integers(0, 29)) < 29:  # now and then the value is missing
            argv.append(draw(VALUES[kind]))
    return argv


def _counts(path) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as conn:
        return tuple(
            conn.execute(
                "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM changes)"
            ).fetchone()
        )


def _seed(runner: CliRunner, path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DELETE FROM posts")
        conn.commit()
    runner.invoke(main, ["--db", str(path), "campaigns", "add", "Heart Month"])
    for n in range(8):
        runner.invoke(
            main,
            [
                "--db",
                str(path),
                "posts",
                "add",
                "--title",
                f"Seed {n}",
                "--date",
                f"2026-12-{n + 1:02d}",
                "--tag",
                "seed",
                "--channel",
                "x",
            ],
        )


def test_random_command_lines_never_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a stray relative path lands in tmp_path
    path = tmp_path / "fuzz.db"
    runner = CliRunner()
    open_db(path).close()  # a read such as `tags` no longer creates a missing calendar
    _seed(runner, path)
    seen = {"examples": 0, "exit": {0: 0, 1: 0, 2: 0}}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(argv=command_lines())
    def check(argv: list[str]) -> None:
        before = _counts(path)
        if before[0] > 200:
            _seed(runner, path)
            before = _counts(path)
        result = runner.invoke(main, ["--today", "2026-11-21", "--db", str(path), *argv])
        output = result.output + (result.stderr if result.stderr_bytes is not None else "")
        assert result.exit_code in (0, 1, 2), (argv, result.exit_code, output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            argv,
            result.exc_info,
        )
        assert "Traceback" not in output and "please report" not in output, (argv, output)
        if result.exit_code:
            assert _counts(path) == before, (argv, output)
        seen["examples"] += 1
        seen["exit"][result.exit_code] += 1
        if seen["examples"] % 1000 == 0:
            assert _integrity(path) == "ok"

    check()
    assert _integrity(path) == "ok"
    record("fuzz/cli", examples=seen["examples"], exit_codes=seen["exit"], tracebacks=0)


def _integrity(path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
