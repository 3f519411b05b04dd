"""Sprout bulk-scheduling CSVs: documented headers and formats, byte for byte, and every rule break reported.

The rules come from Sprout's help centre (docs/publishing.md): headers `date`,
`time_24hr`, `message_text` (case-sensitive); dd/mm/yyyy or mm/dd/yyyy; 24-hour
times; messages 10 minutes apart and 10 minutes after the upload; the
network's character limit; 350 messages per import.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from calendar_data.models import Channel, ContentType, Filters, Post, Status
from calendar_data.posts import add_post
from calendar_data.publish.bulk import (
    SPROUT_HEADERS,
    SPROUT_MAX_ROWS,
    BulkSpec,
    plan_bulk,
    write_bulk,
)
from calendar_data.publish.gate import channel_copy
from calendar_data.publish.vendors import VENDORS, FormatRefused, vendor_format

GOLDEN = Path(__file__).parent.parent / "data" / "publish"
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
TODAY = date(2027, 1, 10)
Q1 = BulkSpec(date(2027, 1, 1), date(2027, 3, 31))


def post(
    db, title, day, at, *, channels=(Channel.FACEBOOK,), body=None, status=Status.APPROVED, **extra
):
    return add_post(
        db,
        Post(
            title=title,
            day=day,
            time=at,
            body=body if body is not None else f"{title}.",
            channels=channels,
            status=status,
            **extra,
        ),
        who="tester",
        today=TODAY,
    )


@pytest.fixture
def planned(db):
    post(
        db,
        "Heart month kickoff",
        date(2027, 2, 1),
        time(9, 0),
        channels=(Channel.FACEBOOK, Channel.X),
        body='Wear red, "go red" & join us, 1 Feb.\nDetails: https://example.org/heart',
        hashtags=("GoRed",),
    )
    post(
        db,
        "Flu clinic hours",
        date(2027, 1, 20),
        time(15, 30),
        status=Status.SCHEDULED,
        body="Walk-in flu shots, 8am-6pm, café entrance. 💉",
    )
    post(db, "Draft idea", date(2027, 1, 22), time(10, 0), status=Status.DRAFT)
    return db


def test_golden_files_follow_the_documented_headers_and_formats(planned, tmp_path):
    plan = plan_bulk(planned, Q1, now=NOW, today=TODAY)
    assert plan.ok and plan.posts == 2  # the draft stays home
    paths = write_bulk(plan, tmp_path / "q1.csv")
    assert [p.name for p in paths] == ["q1-facebook.csv", "q1-x.csv"]
    for path in paths:
        assert path.read_bytes() == (GOLDEN / f"sprout_{path.name}").read_bytes()
        header = next(csv.reader(io.StringIO(path.read_text("utf-8"))))
        assert tuple(header) == SPROUT_HEADERS == ("date", "time_24hr", "message_text")
        assert path.stat().st_mode & 0o077 == 0


def test_day_first_dates_and_the_explicit_hashtags_appended(planned):
    plan = plan_bulk(planned, BulkSpec(Q1.start, Q1.end, date_order="dmy"), now=NOW, today=TODAY)
    rows = list(csv.reader(io.StringIO(plan.files[0].data.decode())))
    assert rows[1][:2] == ["20/01/2027", "15:30"]
    assert rows[2][0] == "01/02/2027" and rows[2][2].endswith("https://example.org/heart #GoRed")


def test_times_are_the_team_time_zone_whatever_the_export_clock(planned):
    from calendar_data.storage.settings_table import load_settings, save_settings

    save_settings(planned, load_settings(planned).__class__(timezone="Europe/London"))
    plan = plan_bulk(planned, Q1, now=NOW, today=TODAY)
    assert [r.when.strftime("%H:%M") for r in plan.files[0].rows] == ["15:30", "09:00"]


def rule_breaks(db, **spec):
    plan = plan_bulk(db, BulkSpec(Q1.start, Q1.end, **spec), now=NOW, today=TODAY)
    assert not plan.ok and plan.files == ()
    return {(b.post_id, b.channel, b.rule): b.message for b in plan.breaks}


def test_each_rule_break_is_reported_and_nothing_is_planned(db, tmp_path):
    a = post(db, "A", date(2027, 2, 1), time(9, 0))
    b = post(db, "B", date(2027, 2, 1), time(9, 5))  # 5 minutes after A on Facebook
    past = post(db, "Past", date(2027, 1, 10), time(7, 5))  # 12:05 UTC: under 10 minutes after now
    untimed = post(db, "No time", date(2027, 2, 2), None)
    lonely = post(db, "No channel", date(2027, 2, 3), time(9, 0), channels=())
    long = post(db, "Long", date(2027, 2, 4), time(9, 0), channels=(Channel.X,), body="short")
    from dataclasses import replace

    from calendar_data.posts import update_post

    update_post(
        db, replace(long, body="x" * 270, hashtags=("HeartMonth",))
    )  # edited after approval
    formula = post(db, "Formula", date(2027, 2, 5), time(9, 0), body='=HYPERLINK("http://evil")')
    found = rule_breaks(db)
    assert "Sprout needs 10 minutes between messages" in found[(b.id, Channel.FACEBOOK, "spacing")]
    assert f"5 minutes after post {a.id}" in found[(b.id, Channel.FACEBOOK, "spacing")]
    assert "at least 10 minutes after the upload" in found[(past.id, Channel.FACEBOOK, "future")]
    assert (untimed.id, None, "time") in found and (lonely.id, None, "channel") in found
    plan = plan_bulk(db, Q1, now=NOW, today=TODAY)
    assert (
        "X allows 280" in {s.post.id: s.reason for s in plan.skipped}[long.id]
    )  # the approval gate's check
    assert (formula.id, Channel.FACEBOOK, "formula") in found
    assert (a.id, Channel.FACEBOOK, "spacing") not in found
    with pytest.raises(ValueError, match="nothing written"):
        write_bulk(plan, tmp_path / "q1.csv")
    assert not list(tmp_path.glob("q1*"))


def test_ten_minutes_apart_on_one_channel_is_fine_and_other_channels_do_not_clash(db):
    post(db, "A", date(2027, 2, 1), time(9, 0))
    post(db, "B", date(2027, 2, 1), time(9, 10))
    post(db, "C", date(2027, 2, 1), time(9, 1), channels=(Channel.LINKEDIN,))
    plan = plan_bulk(db, Q1, now=NOW, today=TODAY)
    assert plan.ok and [len(f.rows) for f in plan.files] == [2, 1]


def test_over_the_cap_a_channel_is_split_into_numbered_parts(db, tmp_path):
    for i in range(SPROUT_MAX_ROWS + 1):
        day = date(2027, 2, 1 + i // 50)
        post(db, f"Tip {i}", day, time(8 + (i % 50) // 6, (i % 6) * 10))
    plan = plan_bulk(db, Q1, now=NOW, today=TODAY)
    assert [(f.part, f.parts, len(f.rows)) for f in plan.files] == [(1, 2, 350), (2, 2, 1)]
    paths = write_bulk(plan, tmp_path / "feb.csv")
    assert [p.name for p in paths] == ["feb-facebook-part1of2.csv", "feb-facebook-part2of2.csv"]
    assert paths[1].read_bytes() == b"date,time_24hr,message_text\r\n02/08/2027,08:20,Tip 350.\r\n"
    small = plan_bulk(
        db, BulkSpec(Q1.start, Q1.end, max_rows=50), now=NOW, today=TODAY
    )  # a trial account
    assert len(small.files) == 8 and small.files[-1].parts == 8


def test_blocked_and_rejected_posts_are_kept_back_with_the_reason(db):
    ok = post(db, "Fine", date(2027, 2, 1), time(9, 0))
    blocked = post(
        db,
        "Shot clinic",
        date(2027, 2, 2),
        time(9, 0),
        status=Status.DRAFT,
        content_type=ContentType.EDUCATIONAL,
        body="Get your flu shot.",
    )  # needs a source
    rejected = post(db, "Gone", date(2027, 2, 3), time(9, 0), status=Status.DRAFT)
    from dataclasses import replace

    from calendar_data.posts import update_post

    update_post(db, replace(rejected, status=Status.REVIEW))
    update_post(db, replace(rejected, status=Status.REJECTED, sequence=1))
    spec = BulkSpec(
        Q1.start, Q1.end, filters=Filters(statuses=(Status.APPROVED, Status.DRAFT, Status.REJECTED))
    )
    plan = plan_bulk(db, spec, now=NOW, today=TODAY)
    kept_back = {s.post.id: s.reason for s in plan.skipped}
    assert "blocked by compliance: sources:" in kept_back[blocked.id]
    assert kept_back[rejected.id] == "rejected posts never go to a publisher"
    assert [r.post.id for f in plan.files for r in f.rows] == [ok.id]


def test_the_channel_copy_falls_back_to_the_body(db):
    saved = post(db, "A", date(2027, 2, 1), time(9, 0), body="The copy")
    assert channel_copy(db, saved, Channel.FACEBOOK) == "The copy"


@pytest.mark.parametrize("name", ["hootsuite", "buffer", "later"])
def test_undocumented_vendors_are_refused_with_the_reason(db, name):
    with pytest.raises(FormatRefused, match="no help-centre description"):
        plan_bulk(db, BulkSpec(Q1.start, Q1.end, vendor=name), now=NOW, today=TODAY)
    assert not VENDORS[name].supported and not VENDORS[name].source


def test_sprout_cites_its_help_centre_page():
    assert vendor_format("Sprout").source.startswith("https://support.sproutsocial.com/")
    with pytest.raises(FormatRefused, match="unknown"):
        vendor_format("tweetdeck")


def test_posts_under_a_crisis_hold_are_kept_back(db):
    from calendar_data.publish.gate import gate

    kept = post(db, "Fine", date(2027, 2, 1), time(9, 0))
    held = post(db, "Promo", date(2027, 2, 2), time(9, 0))
    passed, skipped = gate(
        db, [kept, held], today=TODAY, held=lambda _db, _posts: frozenset({held.id})
    )
    assert passed == [kept] and [(s.post.id, s.reason) for s in skipped] == [
        (held.id, "under a crisis hold")
    ]


def test_private_notes_never_reach_a_vendor_file(db):
    post(
        db, "Fine", date(2027, 2, 1), time(9, 0), private_notes="SECRET-NOTE call the family first"
    )
    plan = plan_bulk(db, Q1, now=NOW, today=TODAY)
    assert plan.ok and all(b"SECRET-NOTE" not in f.data for f in plan.files)
