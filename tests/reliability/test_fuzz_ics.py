"""The .ics import parser against mangled calendars: IcsError naming the file, or events, never a crash.

Seeds are the real-world samples in tests/data/ics (Outlook, Google, and the
odd and broken ones); each example mangles one (drops, repeats or swaps lines,
splices in hostile property lines, flips bytes, cuts it short) and reads it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_data.ical.parse import read_events
from calendar_data.ical.scan import IcsError
from tests.reliability.figures import record

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("CARECAL_FUZZ_EXAMPLES", "10000")) // 2
SEEDS = sorted((Path(__file__).parents[1] / "data" / "ics").glob("*.ics"))
HOSTILE_LINES = [
    b"DTSTART:99991231T235959Z",
    b"DTSTART;VALUE=DATE:00000101",
    b"DTEND;TZID=Nowhere/Land:20270101T090000",
    b"RRULE:FREQ=SECONDLY;INTERVAL=1",
    b"RRULE:FREQ=YEARLY;BYDAY=99MO",
    b"RRULE:FREQ=DAILY;UNTIL=20270101T",
    b"EXDATE:garbage",
    b"RDATE;VALUE=PERIOD:20270101T000000Z/P9999999D",
    b"DURATION:P-1D",
    b"DURATION:PT99999999H",
    b"RECURRENCE-ID:20270101T090000Z",
    b"UID:" + b"x" * 3000,
    b"SUMMARY:" + "\u202e\u0000".encode(),
    b"BEGIN:VEVENT",
    b"END:VEVENT",
    b"BEGIN:VTIMEZONE",
    b"END:VCALENDAR",
    b"BEGIN:VALARM",
    b"X-WR-TIMEZONE:Mars/Base",
    b"DESCRIPTION:\xff\xfe\x00",
    b" continued",
    b"\t",
    b":",
    b";;;:",
    b"CATEGORIES:" + b",".join([b"c"] * 500),
    b"SEQUENCE:-99999999999999999999",
]


@st.composite
def mangled(draw) -> bytes:
    lines = SEEDS and draw(st.sampled_from(SEEDS)).read_bytes().splitlines()
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["drop", "repeat", "swap", "splice", "flip", "cut"]))
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[at]
        elif action == "repeat":
            lines[at:at] = [lines[at]] * draw(st.integers(1, 3))
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "splice":
            lines.insert(
                at, draw(st.one_of(st.sampled_from(HOSTILE_LINES), st.binary(max_size=40)))
            )
        elif action == "flip":
            line = bytearray(lines[at] or b"x")
            line[draw(st.integers(0, len(line) - 1))] = draw(st.integers(0, 255))
            lines[at] = bytes(line)
        else:
            lines = lines[:at]
    return b"\r\n".join(lines) + b"\r\n"


KNOWN_CRASHES = {
    # Found by the fuzz below; each was a crash in calendar_data/ics_import.py or ics_scan.py. Through
    # `carecal import` they printed "unexpected ... (please report this)" or a message that did not name the
    # file. Fixed; kept as regression cases: each is now refused with one line naming the file and line.
    "duplicate-dtstart": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270101\r\n"
    b"DTSTART;VALUE=DATE:20270102\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "duplicate-sequence": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270110\r\n"
    b"SEQUENCE:1\r\nSEQUENCE:2\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "huge-duration": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270110\r\n"
    b"DURATION:PT99999999H\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "rrule-byday-99": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270110\r\n"
    b"SUMMARY:x\r\nRRULE:FREQ=YEARLY;BYDAY=99MO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "utf16-odd-length": b"\xfe\xff\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Odd//EN\r\nBEGIN:VEVENT\r\n",
}


@pytest.mark.parametrize("case", list(KNOWN_CRASHES))
def test_known_import_crash_is_one_line_naming_the_file(case, tmp_path):
    from click.testing import CliRunner

    from tui.cli.entry import main

    path = tmp_path / f"{case}.ics"
    path.write_bytes(KNOWN_CRASHES[case])
    result = CliRunner().invoke(
        main, ["--today", "2027-01-01", "--db", str(tmp_path / "c.db"), "import", str(path)]
    )
    assert result.exit_code == 2 and "please report" not in result.output
    assert path.name in result.output and "Traceback" not in result.output


def test_mangled_calendars_are_read_or_refused_cleanly():
    assert SEEDS, "tests/data/ics holds the seed calendars"
    seen = {"examples": 0, "read": 0, "refused": 0, "events": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=mangled())
    def check(data: bytes) -> None:
        seen["examples"] += 1
        try:
            result = read_events(
                data,
                where="mangled.ics",
                zone="America/New_York",
                window=(date(2026, 1, 1), date(2028, 12, 31)),
            )
        except IcsError as exc:
            assert str(exc).startswith("mangled.ics") and "\n" not in str(exc), exc
            seen["refused"] += 1
            return
        seen["read"] += 1
        seen["events"] += len(result.events)
        for event in result.events:
            assert event.summary is not None and event.first_day <= date(9999, 12, 31)
        assert all("\n" not in warning for warning in result.warnings)

    check()
    record("fuzz/ics", **seen)
