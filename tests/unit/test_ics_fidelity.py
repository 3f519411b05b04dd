"""iCal import fidelity (issue 14): what is read is what was written, and every guess is said."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.ical.parse import read_events
from calendar_data.ical.plan import import_ics
from calendar_data.ical.scan import IcsError, scan
from calendar_data.posts import list_posts

TODAY = date(2026, 11, 21)
WINDOW = (date(2026, 1, 1), date(2028, 12, 31))


def _calendar(*lines: str, head: str = "", version: str = "2.0") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:"
        + version
        + "\r\nPRODID:t\r\n"
        + head
        + "BEGIN:VEVENT\r\nUID:f1\r\n"
        + "".join(f"{line}\r\n" for line in lines)
        + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def _read(data: bytes, zone: str = "America/New_York"):
    return read_events(data, where="t.ics", zone=zone, window=WINDOW)


def _fold_bytes(line: bytes, at: int) -> bytes:
    return line[:at] + b"\r\n " + line[at:]


# --- unfolding octets before decoding ------------------------------------------------------


def test_a_fold_inside_a_multibyte_character_is_joined_before_decoding():
    summary = "SUMMARY:Flu clinic 💉 walk-in".encode()
    split = summary.index("💉".encode()) + 2  # inside the four bytes of the emoji
    data = _calendar("DTSTART;VALUE=DATE:20270110").replace(
        b"UID:f1\r\n", b"UID:f1\r\n" + _fold_bytes(summary, split) + b"\r\n"
    )
    result = _read(data)
    assert result.events[0].summary == "Flu clinic 💉 walk-in"
    assert result.warnings == []


def test_a_windows_1252_file_is_still_read_with_a_warning():
    data = _calendar(
        "DTSTART;VALUE=DATE:20270110", "SUMMARY:Caf\xe9 talk".encode("cp1252").decode("latin-1")
    )
    data = data.replace("Caf\xe9".encode(), "Caf\xe9".encode("cp1252"))
    result = _read(data)
    assert result.events[0].summary == "Café talk"
    assert result.warnings == [
        "t.ics:7: not UTF-8 (first bad byte here); read the file as Windows-1252"
    ]


# --- recurrences ---------------------------------------------------------------------------


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_sub_daily_recurrences_are_refused_naming_the_event(freq):
    data = _calendar("DTSTART:20270110T090000Z", f"RRULE:FREQ={freq}", "SUMMARY:Ticker")
    with pytest.raises(
        IcsError,
        match=rf"^t.ics:4: VEVENT 'Ticker' RRULE 'FREQ={freq}': recurrence too frequent "
        r"for a content calendar \(repeats every",
    ):
        _read(data)


def test_a_huge_count_is_bounded_and_said_to_be_effectively_endless():
    data = _calendar(
        "DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=DAILY;COUNT=1000000000", "SUMMARY:Daily tip"
    )
    result = _read(data)
    assert 0 < len(result.events) <= 500
    assert any("COUNT=1000000000 is effectively endless" in w for w in result.warnings), (
        result.warnings
    )


# --- old formats, control characters, unsafe content ---------------------------------------


def test_vcalendar_1_is_refused_with_a_message_that_says_so():
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:1.0\r\nBEGIN:VEVENT\r\nDTSTART:20270407T090000\r\n"
        b"SUMMARY;ENCODING=QUOTED-PRINTABLE:World=20Health=20Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(
        IcsError, match=r"^t.ics:2: a vCalendar 1.0 file .* carecal reads iCalendar 2.0"
    ):
        _read(data)


def test_quoted_printable_alone_is_recognised_as_vcalendar_1():
    data = _calendar(
        "DTSTART;VALUE=DATE:20270110", "SUMMARY;ENCODING=QUOTED-PRINTABLE:World=20Health=20Day"
    )
    with pytest.raises(IcsError, match=r"^t.ics:7: a vCalendar 1.0 file"):
        _read(data)


def test_nul_esc_and_bel_in_a_summary_are_stripped_with_a_warning_not_called_binary():
    data = _calendar("DTSTART;VALUE=DATE:20270110", "SUMMARY:Bell\x07 and\x00 escape\x1b here")
    result = _read(data)
    assert result.events[0].summary == "Bell and escape here"
    assert result.warnings == ["t.ics:7: control characters removed"]


def test_a_javascript_url_is_dropped_and_html_is_made_plain_with_warnings(db, small_list):
    data = _calendar(
        "DTSTART;VALUE=DATE:20270110",
        "SUMMARY:Links",
        "URL:javascript:alert(1)",
        "DESCRIPTION:<p>Get your <b>flu shot</b></p><script>alert(1)</script>"
        '<a href="https://example.org/flu">here</a>',
    )
    plan = import_ics(db, data, where="t.ics", today=TODAY)
    warnings = "\n".join(plan.warnings)
    assert "URL 'javascript:alert(1)' is not an http(s) link; dropped" in warnings
    assert "HTML in DESCRIPTION made plain text" in warnings
    post = list_posts(db)[0]
    assert "<" not in post.body and "alert" not in post.body
    assert "flu shot" in post.body and "https://example.org/flu" in post.body
    assert post.sources == ()


# --- silent successes become warnings ------------------------------------------------------


def test_an_empty_calendar_warns_that_no_events_were_found():
    result = _read(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nEND:VCALENDAR\r\n")
    assert result.events == []
    assert result.warnings == ["t.ics: 0 events found"]


def test_a_windows_zone_name_without_a_vtimezone_is_mapped_and_said_to_be_inferred():
    result = _read(
        _calendar("DTSTART;TZID=Eastern Standard Time:20270110T090000", "SUMMARY:Clinic")
    )
    assert result.events[0].start.time() == time(9, 0)
    assert result.warnings == [
        "t.ics:4: time zone 'Eastern Standard Time' has no VTIMEZONE in the file; "
        "inferred America/New_York from the Windows name"
    ]


def test_tzid_on_a_utc_value_is_ignored_with_a_warning():
    result = _read(_calendar("DTSTART;TZID=Europe/Berlin:20270110T140000Z", "SUMMARY:Webinar"))
    assert result.events[0].start.time() == time(9, 0)  # 14:00 UTC is 09:00 in New York
    assert result.warnings == [
        "t.ics:6: TZID 'Europe/Berlin' on a UTC time (ending in Z); read as UTC"
    ]


def test_an_invalid_valarm_is_skipped_with_a_warning():
    data = _calendar(
        "DTSTART;VALUE=DATE:20270110",
        "SUMMARY:Reminder",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "END:VALARM",
    )
    result = _read(data)
    assert len(result.events) == 1
    assert any("VALARM at line 8 has no TRIGGER; reminder skipped" in w for w in result.warnings), (
        result.warnings
    )


def test_an_orphan_recurrence_id_is_imported_with_a_warning():
    data = _calendar(
        "RECURRENCE-ID;VALUE=DATE:20270117", "DTSTART;VALUE=DATE:20270118", "SUMMARY:Moved one"
    )
    result = _read(data)
    assert [e.first_day for e in result.events] == [date(2027, 1, 18)]
    assert any(
        "RECURRENCE-ID for a series that is not in the file; imported as a single event" in w
        for w in result.warnings
    ), result.warnings


# --- Google's UTC recurrences and RANGE=THISANDFUTURE --------------------------------------


def test_google_utc_recurrences_with_x_wr_timezone_keep_their_wall_time_across_dst():
    data = _calendar(
        "DTSTART:20270301T140000Z",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "SUMMARY:Weekly tip",
        head="X-WR-TIMEZONE:America/New_York\r\n",
    )
    result = _read(data)
    # 14:00Z is 09:00 EST; the series stays at 09:00 local after 14 March 2027 (Google's meaning)
    assert [e.start.time() for e in result.events] == [time(9, 0)] * 4
    assert [e.first_day for e in result.events] == [date(2027, 3, d) for d in (1, 8, 15, 22)]


def test_recurrence_id_this_and_future_moves_the_rest_of_the_series():
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n"
        b"BEGIN:VEVENT\r\nUID:s1\r\nDTSTART;TZID=America/New_York:20270104T090000\r\n"
        b"RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Tip\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:s1\r\nRECURRENCE-ID;RANGE=THISANDFUTURE;TZID=America/New_York:20270118T090000\r\n"
        b"DTSTART;TZID=America/New_York:20270118T110000\r\nSUMMARY:Tip (later)\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    result = _read(data)
    assert sorted((e.first_day, e.start.time()) for e in result.events) == [
        (date(2027, 1, 4), time(9, 0)),
        (date(2027, 1, 11), time(9, 0)),
        (date(2027, 1, 18), time(11, 0)),
        (date(2027, 1, 25), time(11, 0)),
    ]
    assert any("RANGE=THISANDFUTURE" in w for w in result.warnings), result.warnings


# --- the scanner on its own ----------------------------------------------------------------


def test_scan_keeps_valid_utf8_untouched_at_any_fold():
    text = "SUMMARY:naïve 日本語 😷 ok".encode()
    for at in range(9, len(text)):
        data = _calendar("DTSTART;VALUE=DATE:20270110").replace(
            b"UID:f1\r\n", b"UID:f1\r\n" + _fold_bytes(text, at) + b"\r\n"
        )
        scanned = scan(data, "t.ics")
        assert "SUMMARY:naïve 日本語 😷 ok" in scanned.text
        assert scanned.warnings == []


_ANY = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60)


@settings(max_examples=80, deadline=None)
@given(text=_ANY, cuts=st.lists(st.integers(1, 400), max_size=6))
def test_any_unicode_text_folded_at_any_byte_reads_back_exactly(text, cuts):
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    line = f"SUMMARY:{escaped}".encode()
    folded, last = [], 0
    for cut in sorted({c for c in cuts if c < len(line)}):
        folded.append(line[last:cut])
        last = cut
    folded.append(line[last:])
    data = _calendar("DTSTART;VALUE=DATE:20270110").replace(
        b"UID:f1\r\n", b"UID:f1\r\n" + b"\r\n ".join(folded) + b"\r\n"
    )
    result = _read(data)
    assert result.events[0].title == text.strip()
    assert result.warnings == []


def test_a_file_over_the_size_limit_is_refused_at_once_with_a_clear_message():
    from time import monotonic

    from calendar_data.ical.scan import MAX_FILE_BYTES

    event = (
        b"BEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20270110\r\nDESCRIPTION:"
        + b"a" * 70
        + (b"\r\n " + b"b" * 74) * 40
        + b"\r\nEND:VEVENT\r\n"
    )
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + event * (MAX_FILE_BYTES // len(event) + 1)
        + b"END:VCALENDAR\r\n"
    )
    began = monotonic()
    with pytest.raises(
        IcsError,
        match=r"^big.ics: the file is over 20 MB, the most carecal imports at once "
        r"\(about 25,000 events\); export it in parts",
    ):
        scan(data, "big.ics")
    assert monotonic() - began < 1
