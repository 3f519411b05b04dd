"""iCal import: Outlook and Google files, unusual files with warnings, broken files with one-line errors."""

from __future__ import annotations

from datetime import date, time
from time import monotonic

import pytest

from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.ical.parse import read_events
from calendar_data.ical.plan import apply_import, import_ics, plan_import
from calendar_data.ical.scan import IcsError
from calendar_data.models import Channel, Status
from calendar_data.observances import all_observances
from calendar_data.posts import list_posts
from tests.ics_support import ICS, NOW, TRICKY_BODY, TRICKY_TITLE, fill_calendar

TODAY = date(2026, 11, 21)


def _import(db, name: str, **kwargs):
    return import_ics(db, (ICS / name).read_bytes(), where=name, today=TODAY, **kwargs)


def _posts(db) -> dict[str, list]:
    found: dict[str, list] = {}
    for post in list_posts(db):
        found.setdefault(post.title, []).append(post)
    return found


def _count(db) -> int:
    return db.execute("SELECT count(*) FROM posts").fetchone()[0]


# --- Outlook and Google --------------------------------------------------------------------


def test_outlook_export_is_imported_once_and_a_second_import_changes_nothing(db, small_list):
    first = _import(db, "outlook.ics")
    assert first.summary() == "imported posts: 10 added, 0 updated, 0 unchanged"
    second = _import(db, "outlook.ics")
    assert second.summary() == "imported posts: 0 added, 0 updated, 10 unchanged"
    assert _count(db) == 10


def test_outlook_windows_zone_names_and_summer_time(db, small_list):
    _import(db, "outlook.ics")
    posts = _posts(db)
    assert (posts["Flu clinic reminder"][0].day, posts["Flu clinic reminder"][0].time) == (
        date(2027, 1, 12),
        time(10, 0),
    )
    assert posts["Summer safety live"][0].time == time(9, 30)  # July, Eastern Daylight Time
    assert posts["Berlin partner webinar"][0].time == time(9, 0)  # 15:00 W. Europe = 09:00 New York
    assert posts["Flu clinic reminder"][0].body.startswith(
        "Remind followers about the walk-in clinic, no appointment."
    )


def test_outlook_all_day_multi_day_categories_and_recurrence(db, small_list):
    plan = _import(db, "outlook.ics")
    posts = _posts(db)
    wear_red = posts["Wear Red Day photo wall"][0]
    assert wear_red.time is None and wear_red.tags == ("Heart month", "Photos")
    assert [p.day for p in posts["Tip Tuesday"]] == [date(2027, 3, d) for d in (2, 9, 23, 30)] + [
        date(2027, 4, 6)
    ]
    week = posts["Heart health week"][0]  # 22-26 February: the post keeps its five days (issue 14)
    assert (week.day, week.duration_minutes) == (date(2027, 2, 22), 5 * 1440)
    assert not any("Heart health week" in w for w in plan.warnings)


def test_google_utc_times_overrides_duration_rdate_and_cancelled(db, small_list):
    plan = _import(db, "google.ics")
    posts = _posts(db)
    assert posts["Kidney day teaser"][0].time == time(10, 0)  # 15:00Z
    assert [p.day for p in posts["Monthly newsletter teaser (moved)"]] == [date(2027, 2, 3)]
    assert date(2027, 2, 2) not in [p.day for p in posts["Monthly newsletter teaser"]]
    assert [p.day for p in posts["Autism acceptance series"]] == [
        date(2027, 4, d) for d in (1, 8, 15)
    ]
    assert posts["Photo shoot days"][0].day == date(2027, 3, 10)
    assert posts["Floating reminder"][0].time == time(
        9, 0
    )  # 08:00 in the file's X-WR-TIMEZONE (Chicago)
    assert "Cancelled live" not in posts
    warnings = "\n".join(plan.warnings)
    assert "repeats with no end; cut at 2028-11-21" in warnings
    assert "X-WR-TIMEZONE" in warnings and "1 cancelled event skipped" in warnings


def test_an_edited_file_updates_in_place(db, small_list):
    data = (ICS / "outlook.ics").read_bytes()
    import_ics(db, data, where="outlook.ics", today=TODAY)
    edited = data.replace(
        b"SUMMARY;LANGUAGE=en-us:Flu clinic reminder",
        b"SUMMARY;LANGUAGE=en-us:Flu clinic: last call",
    )
    plan = import_ics(db, edited, where="outlook.ics", today=TODAY)
    assert plan.count("update") == 1 and plan.count("add") == 0
    [post] = _posts(db)["Flu clinic: last call"]
    assert post.sequence == 1


def test_dry_run_prints_the_plan_and_writes_nothing(db, small_list):
    plan = _import(db, "google.ics", dry_run=True)
    assert plan.summary().startswith("would import posts: 30 added")
    assert _count(db) == 0


def test_window_bounds_repeating_events(db, small_list):
    plan = import_ics(
        db,
        (ICS / "google.ics").read_bytes(),
        where="google.ics",
        today=TODAY,
        window=(date(2027, 1, 1), date(2027, 6, 30)),
    )
    assert len(_posts(db)["Monthly newsletter teaser"]) == 5  # Jan, Mar, Apr, May, Jun (Feb moved)
    assert any("cut at 2027-06-30" in w for w in plan.warnings)


# --- carecal's own files -------------------------------------------------------------------


def test_own_export_round_trips_onto_the_same_posts(db, small_list):
    saved = fill_calendar(db)
    data = export_bytes(db, ExportSpec(date(2027, 1, 1), date(2027, 12, 31)), now=NOW)
    plan = import_ics(db, data, where="own.ics", today=TODAY)
    assert plan.count("add") == 0 and plan.count("update") == 0
    assert any("carecal observance" in w for w in plan.warnings)
    assert _count(db) == len(saved)


def test_own_export_into_another_calendar_keeps_every_public_field(db, small_list, tmp_path):
    fill_calendar(db)
    data = export_bytes(db, ExportSpec(date(2027, 1, 1), date(2027, 12, 31)), now=NOW)
    from calendar_data.campaigns import add_campaign
    from calendar_data.models import Campaign
    from calendar_data.storage.database import open_db

    other = open_db(tmp_path / "other.db")
    add_campaign(other, Campaign(name="Heart Month 2027"))
    import_ics(other, data, where="own.ics", today=TODAY)
    flu = _posts(other)[TRICKY_TITLE][0]
    assert flu.body == TRICKY_BODY
    assert (flu.day, flu.time, flu.status) == (date(2027, 1, 15), time(9, 30), Status.DRAFT)
    assert flu.channels == (Channel.FACEBOOK, Channel.INSTAGRAM)
    assert flu.sources == ("https://www.cdc.gov/flu/",) and flu.owner == "Sam"
    assert set(flu.tags) == {"vaccines", "flu season"}
    assert "#GetVaccinated" in flu.all_hashtags and flu.private_notes == ""
    heart = _posts(other)["Wear red Friday photo wall"][0]
    assert heart.campaign == "Heart Month 2027" and heart.observance_id == "national-wear-red-day"
    again = import_ics(other, data, where="own.ics", today=TODAY)
    assert again.count("add") == 0 and again.count("update") == 0
    other.close()


def test_import_as_observances(db, small_list):
    plan = _import(db, "google.ics", as_="observances")
    assert (
        plan.count("add") == 6
    )  # the moved newsletter instance joins its series; the cancelled one is skipped
    ours = {o.name: o for o in all_observances(db) if o.custom}
    assert ours["Colorectal cancer month kickoff"].category == "cancer"
    assert "Monthly newsletter teaser" in ours
    again = _import(db, "google.ics", as_="observances")
    assert again.count("add") == 0 and again.count("update") == 0


# --- unusual files: imported, with a warning per oddity -------------------------------------


@pytest.mark.parametrize(
    ("name", "warning", "title"),
    [
        ("odd-cp1252.ics", "read the file as Windows-1252", "Café “wellness” talk – RSVP"),
        ("odd-cr-only.ics", "CR-only line endings", "Old Mac export"),
        ("odd-bom.ics", "byte-order mark removed", "Starts with a BOM"),
        ("odd-missing-uid.ics", "has no UID; made one from its title and start", "No UID here"),
        (
            "odd-duplicate-uid.ics",
            "UID 'dup1' also used at line 4; kept the one at line 10",
            "Second copy",
        ),
        ("odd-control-chars.ics", "control characters removed", "Bell in the title"),
        (
            "odd-floating.ics",
            "floating times (no time zone) read as America/New_York",
            "Floating time",
        ),
        ("odd-absurd-rrule.ics", "stopped after 500 repetitions", "Every day forever"),
    ],
)
def test_unusual_files_import_with_a_warning(db, small_list, name, warning, title):
    plan = _import(db, name)
    assert any(warning in w for w in plan.warnings), plan.warnings
    assert all(w.startswith(name) for w in plan.warnings)
    assert title in _posts(db)
    assert _import(db, name).count("add") == 0


def test_missing_uids_still_deduplicate(db, small_list):
    _import(db, "odd-missing-uid.ics")
    assert _import(db, "odd-missing-uid.ics").count("same") == 2


# --- broken files: one-line error naming the line, nothing written ---------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-truncated.ics", r"bad-truncated.ics:4: truncated file: BEGIN:VEVENT is never closed"),
        ("bad-not-ical.ics", r"bad-not-ical.ics:1: not an iCalendar file"),
        ("bad-impossible-date.ics", r"bad-impossible-date.ics:4: VEVENT 'February 30th' DTSTART"),
        (
            "bad-end-before-start.ics",
            r"bad-end-before-start.ics:4: .*DTEND 2027-01-05 is before DTSTART 2027-01-10",
        ),
        (
            "bad-unknown-tzid.ics",
            r"bad-unknown-tzid.ics:4: .*unknown time zone 'Mars/Olympus_Mons'",
        ),
        ("bad-nesting.ics", r"bad-nesting.ics:8: components nested more than 5 deep"),
        (
            "bad-mismatched-end.ics",
            r"bad-mismatched-end.ics:8: END:VTODO but BEGIN:VEVENT \(line 4\)",
        ),
        ("bad-binary.ics", r"bad-binary.ics: not an iCalendar file \(binary data\)"),
        ("bad-garbage-line.ics", r"bad-garbage-line.ics:8: not an iCalendar property line"),
        ("bad-no-dtstart.ics", r"bad-no-dtstart.ics:4: VEVENT 'No start' has no DTSTART"),
        ("bad-year.ics", r"bad-year.ics:4: .*outside 1601-4500"),
        (
            "bad-too-frequent.ics",
            r"bad-too-frequent.ics:4: VEVENT 'Every second' RRULE 'FREQ=SECONDLY': recurrence too "
            r"frequent for a content calendar",
        ),
    ],
)
def test_broken_files_fail_with_one_line_and_write_nothing(db, small_list, name, message):
    _import(db, "outlook.ics")
    before = _count(db)
    with pytest.raises(IcsError, match=message) as caught:
        _import(db, name)
    assert "\n" not in str(caught.value)
    assert _count(db) == before


def test_a_ten_megabyte_property_is_refused(db, small_list):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:big\r\nDTSTART;VALUE=DATE:20270101\r\n"
        b"DESCRIPTION:" + b"x" * 10_000_000 + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(IcsError, match=r"big.ics:7: property DESCRIPTION is larger than 1 MB"):
        import_ics(db, data, where="big.ics", today=TODAY)
    folded = data.replace(b"x" * 10_000_000, b"\r\n ".join([b"x" * 74] * 140_000))
    with pytest.raises(IcsError, match=r"big.ics:7: property DESCRIPTION is larger than 1 MB"):
        import_ics(db, folded, where="big.ics", today=TODAY)
    assert _count(db) == 0


def test_the_whole_file_is_one_transaction(db, small_list, monkeypatch):
    import calendar_data.posts_bulk as bulk

    def failing(db_, ids, posts):  # every new post's row is in; the write fails before its links
        assert len(ids) > 1 and db_.execute("SELECT count(*) FROM posts").fetchone()[0] == len(ids)
        raise ValueError("disk full")

    monkeypatch.setattr(bulk, "_write_all_links", failing)
    plan = plan_import(db, (ICS / "outlook.ics").read_bytes(), where="outlook.ics", today=TODAY)
    with pytest.raises(ValueError, match="disk full"):
        apply_import(db, plan)
    assert _count(db) == 0
    assert db.execute("SELECT count(*) FROM changes WHERE entity = 'post'").fetchone()[0] == 0


def test_reader_reports_events_in_the_teams_zone():
    result = read_events(
        (ICS / "outlook.ics").read_bytes(),
        where="o.ics",
        zone="Europe/London",
        window=(date(2027, 1, 1), date(2027, 12, 31)),
    )
    flu = next(e for e in result.events if e.summary == "Flu clinic reminder")
    assert flu.start.isoformat() == "2027-01-12T15:00:00+00:00"


def _one_event(start_line: str, head: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n"
        + head
        + "BEGIN:VEVENT\r\nUID:z1\r\n"
        + start_line
        + "\r\nSUMMARY:Zoned\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_windows_zone_names_work_without_a_vtimezone(db, small_list):
    data = _one_event("DTSTART;TZID=Pacific Standard Time:20270715T093000")
    plan = import_ics(db, data, where="w.ics", today=TODAY)
    assert plan.warnings == [
        "w.ics:4: time zone 'Pacific Standard Time' has no VTIMEZONE in the file; inferred "
        "America/Los_Angeles from the Windows name"
    ]
    assert _posts(db)["Zoned"][0].time == time(12, 30)  # 09:30 Pacific = 12:30 Eastern, in July too


def test_an_unknown_zone_name_defined_in_the_file_is_used_with_a_warning(db, small_list):
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Hospital Local Time\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    plan = import_ics(
        db,
        _one_event("DTSTART;TZID=Hospital Local Time:20270115T150000", zone),
        where="h.ics",
        today=TODAY,
    )
    assert plan.warnings == [
        "h.ics:12: time zone 'Hospital Local Time' is not a known name; used the file's "
        "VTIMEZONE definition"
    ]
    assert _posts(db)["Zoned"][0].time == time(9, 0)


# --- found by the import fuzzer: repeated properties, odd encodings, rules dateutil cannot walk -----


def _event_lines(*lines: str, head: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n"
        + head
        + "BEGIN:VEVENT\r\nUID:f1\r\n"
        + "".join(f"{line}\r\n" for line in lines)
        + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("lines", "warning"),
    [
        (
            ["DTSTART;VALUE=DATE:20270110", "DTSTART;VALUE=DATE:20270110", "SUMMARY:Twice"],
            "r.ics:7: DTSTART repeated (same as line 6); ignored",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "SEQUENCE:2", "SUMMARY:Twice", "SEQUENCE:2 "],
            "r.ics:9: SEQUENCE repeated (same as line 7); ignored",
        ),
        (
            [
                "DTSTART;VALUE=DATE:20270110",
                "SUMMARY:Twice",
                "SUMMARY:Other title",
                "ORGANIZER:mailto:a@example.org",
                "ORGANIZER;CN=B:mailto:b@example.org",
            ],
            "r.ics:8: a second SUMMARY in the VEVENT at line 4; kept the one at line 7 (and 1 more repeated property)",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "SEQUENCE:abc", "SUMMARY:Twice"],
            "r.ics:4: VEVENT 'Twice' SEQUENCE is malformed",
        ),
    ],
)
def test_a_repeated_or_malformed_once_only_property_imports_with_a_warning(
    db, small_list, lines, warning
):
    plan = import_ics(db, _event_lines(*lines), where="r.ics", today=TODAY)
    assert any(w.startswith(warning) for w in plan.warnings), plan.warnings
    assert [p.day for p in _posts(db)["Twice"]] == [date(2027, 1, 10)]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["DTSTART;VALUE=DATE:20270110", "DTSTART;VALUE=DATE:20270111"],
            r"^d.ics:7: the VEVENT at line 4 has a second DTSTART that differs from the one at line 6 ",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "SEQUENCE:1", "SEQUENCE:2"],
            r"^d.ics:8: .* second SEQUENCE that differs from the one at line 7",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "UID:f2"],
            r"^d.ics:7: .* second UID that differs from the one at line 5",
        ),
        (
            [
                "DTSTART;VALUE=DATE:20270110",
                "DTEND;VALUE=DATE:20270111",
                "DURATION:P1D",
                "DTEND;VALUE=DATE:20270112",
            ],
            r"^d.ics:9: .* second DTEND that differs from the one at line 7",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "DURATION:PT99999999H"],
            r"^d.ics:4: VEVENT 'x' DURATION of 4166666 days ends "
            r"after the year 4500$",
        ),
        (
            ["DTSTART:44991231T090000Z", "DURATION:P800D"],
            r"^d.ics:4: VEVENT 'x' DURATION of 800 days ends after",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=YEARLY;BYDAY=99MO"],
            r"^d.ics:4: VEVENT 'x' RRULE 'FREQ=YEARLY;BYDAY=99MO': BYDAY '99MO': the number must be 1 to 53",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=MONTHLY;BYDAY=9MO"],
            r"BYDAY '9MO': the number must be 1 to 5",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=DAILY;INTERVAL=0"],
            r"INTERVAL '0' must be a whole number",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=YEARLY;BYMONTH=13"],
            r"BYMONTH '13' must be 1 to 12",
        ),
        (
            ["DTSTART:20270110T090000Z", "RRULE:FREQ=SECONDLY;BYSETPOS=2"],
            r"RRULE 'FREQ=SECONDLY;BYSETPOS=2': recurrence too frequent",
        ),
        (
            ["DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=WEEKLY;WKST=XX"],
            r"^d.ics:4: VEVENT 'x' RRULE: Expected weekday",
        ),
        (
            ["DTSTART;TZID=Asia/Tokyo:20270110T090000", "RRULE:FREQ=DAILY;UNTIL=99991231T235959Z"],
            r"^d.ics:4: VEVENT 'x' RRULE",
        ),
    ],
)
def test_conflicting_or_impossible_times_and_rules_are_one_line_errors(
    db, small_list, lines, message
):
    with pytest.raises(IcsError, match=message) as caught:
        import_ics(db, _event_lines(*lines, "SUMMARY:x"), where="d.ics", today=TODAY)
    assert "\n" not in str(caught.value)
    assert _count(db) == 0


def test_utf16_files_import_even_with_an_odd_last_byte(db, small_list):
    text = _event_lines("DTSTART;VALUE=DATE:20270110", "SUMMARY:Unicode save").decode()
    plan = import_ics(
        db, b"\xff\xfe" + text.encode("utf-16-le") + b"\x00", where="u.ics", today=TODAY
    )
    assert plan.warnings == [
        "u.ics: UTF-16 text; converted to UTF-8",
        "u.ics: the UTF-16 file has an odd number of bytes (cut short?); its last byte ignored",
    ]
    assert "Unicode save" in _posts(db)


def test_a_utf16_mark_before_8_bit_text_is_dropped_with_a_warning(db, small_list):
    data = b"\xfe\xff" + _event_lines("DTSTART;VALUE=DATE:20270110", "SUMMARY:Marked")
    plan = import_ics(db, data, where="m.ics", today=TODAY)
    assert plan.warnings == ["m.ics:1: a UTF-16 byte-order mark before 8-bit text; mark ignored"]
    assert "Marked" in _posts(db)
    with pytest.raises(IcsError, match=r"^m.ics:5: truncated file: BEGIN:VEVENT is never closed"):
        import_ics(
            db,
            b"\xfe\xff\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n",
            where="m.ics",
            today=TODAY,
        )


def test_repeating_events_that_take_too_long_to_expand_are_refused(db, small_list, monkeypatch):
    monkeypatch.setattr("calendar_data.ical.parse.MAX_EXPAND_SECONDS", 0.0)
    data = _event_lines("DTSTART;VALUE=DATE:20270110", "RRULE:FREQ=WEEKLY", "SUMMARY:Weekly")
    with pytest.raises(
        IcsError, match=r"^s.ics:4: VEVENT 'Weekly' repeating events took over 0 s to expand"
    ):
        import_ics(db, data, where="s.ics", today=TODAY)


def test_a_rule_that_never_matches_stops_walking_after_the_window(db, small_list):
    # dateutil checks UNTIL only on matching dates: alone, it walks every day of this rule to the year 9999
    # (minutes); carecal stops it a month past the window.
    data = _event_lines(
        "DTSTART:20270110T090000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "SUMMARY:Never"
    )
    began = monotonic()
    plan = import_ics(db, data, where="n.ics", today=TODAY)
    assert monotonic() - began < 5
    assert [p.day for p in _posts(db)["Never"]] == [
        date(2027, 1, 10)
    ]  # DTSTART is always the first instance
    assert plan.warnings == []
