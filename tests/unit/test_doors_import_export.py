"""Compliance at the doors: what an .ics import lets in, and what an export or a feed lets out.

Each test starts from a "What was seen" item of issue 13: an approved patient
story without consent arriving approved by import; flagged copy written into the
file the team's Outlook reads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import icalendar
import vobject

from calendar_data.checks.holdback import held_title, hold_back
from calendar_data.checks.review import review
from calendar_data.ical.descriptions import owner_display
from calendar_data.ical.export import ExportSpec, export_bytes, render_export
from calendar_data.ical.feeds import Feed, Scope, add_feed, build_feed, feed_bytes
from calendar_data.ical.plan import import_ics
from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post, get_post, list_posts
from calendar_data.settings import Settings
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings, save_settings

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
Q1 = ExportSpec(date(2027, 1, 1), date(2027, 3, 31), include=("posts",))
PHONE_COPY = "Reach the family's organiser, John Carter, at 555-201-3344 to add your message."

APPROVED_STORY = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//elsewhere//EN\r
BEGIN:VEVENT\r
UID:post-7-ffffffffffff@carecal\r
DTSTAMP:20261121T120000Z\r
DTSTART;VALUE=DATE:20270120\r
DTEND;VALUE=DATE:20270121\r
SUMMARY:Maria's heart story\r
DESCRIPTION:After her bypass surgery\\, Maria is hiking again.\\n\\nChannels: facebook\\nStatus: approved\\nType: patient-story\r
X-CARECAL-KIND:post\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:post-8-ffffffffffff@carecal\r
DTSTAMP:20261121T120000Z\r
DTSTART;VALUE=DATE:20270121\r
DTEND;VALUE=DATE:20270122\r
SUMMARY:Flu clinic hours\r
DESCRIPTION:Walk-in flu shots on Saturday.\\n\\nChannels: facebook\\nStatus: approved\\nType: announcement\r
X-CARECAL-KIND:post\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _by_title(db, title: str) -> Post:
    return next(p for p in list_posts(db) if p.title == title)


def test_an_approved_patient_story_without_consent_comes_in_as_draft_with_the_reason(db):
    plan = import_ics(db, APPROVED_STORY, where="q1.ics", today=TODAY)
    story, clinic = _by_title(db, "Maria's heart story"), _by_title(db, "Flu clinic hours")
    assert (story.status, story.features_patient) == (
        Status.DRAFT,
        True,
    )  # detected as the editor does
    assert clinic.status is Status.APPROVED  # the gate passes for it: it keeps its status
    [warning] = [w for w in plan.warnings if "Maria" in w]
    assert "comes in as draft, not approved" in warning and "no consent is on file" in warning
    assert "1 not approved" in plan.summary()
    assert any(f.blocking for f in review(db, [story], today=TODAY)[story.id])


def test_a_dry_run_shows_the_same_verdicts_and_writes_nothing(db):
    plan = import_ics(db, APPROVED_STORY, where="q1.ics", today=TODAY, dry_run=True)
    assert list_posts(db) == []
    statuses = {c.post.title: (c.post.status, bool(c.verdict)) for c in plan.changes}
    assert statuses == {
        "Maria's heart story": (Status.DRAFT, True),
        "Flu clinic hours": (Status.APPROVED, False),
    }
    assert "would import posts: 2 added" in plan.summary() and "1 not approved" in plan.summary()


def test_import_by_someone_who_may_not_approve_brings_approved_posts_in_as_draft(db):
    save_settings(db, Settings(approvers=("mark",)))
    import_ics(db, APPROVED_STORY, where="q1.ics", today=TODAY, who="sam")
    assert _by_title(db, "Flu clinic hours").status is Status.DRAFT
    import_ics(
        db,
        APPROVED_STORY.replace(b"Flu clinic hours", b"Flu clinic hours 2").replace(
            b"post-8-", b"post-9-"
        ),
        where="q1.ics",
        today=TODAY,
        who="Mark",
    )
    assert _by_title(db, "Flu clinic hours 2").status is Status.APPROVED


def _flagged(db) -> Post:
    return add_post(
        db,
        Post(
            title="Thank-you note from a grateful family",
            day=date(2027, 2, 10),
            time=time(10, 0),
            body=PHONE_COPY,
            status=Status.DRAFT,
            channels=(Channel.FACEBOOK, Channel.INSTAGRAM),
            tags=("patient-stories",),
            owner="owner.mark@riverside.example",
            private_notes="family contact",
        ),
        today=TODAY,
    )


def _clean(db) -> Post:
    return add_post(
        db,
        Post(
            title="Flu clinic hours",
            day=date(2027, 2, 11),
            body="Walk-in flu shots Saturday.",
            channels=(Channel.FACEBOOK,),
            status=Status.DRAFT,
            owner="Mark Owner <owner.mark@riverside.example>",
        ),
        today=TODAY,
    )


def test_export_holds_back_the_copy_of_a_post_with_a_blocking_finding(db):
    flagged, clean = _flagged(db), _clean(db)
    data, report, _ = render_export(db, Q1, now=NOW, today=TODAY)
    for secret in (
        b"John Carter",
        b"555-201-3344",
        b"grateful family",
        b"patient-stories",
        b"organiser",
        b"555",
        b"owner.mark",
        b"riverside.example",
    ):
        assert secret not in data
    assert report.ids == {flagged.id} and "possible phone" in report.describe()
    assert "held back 1 post" in report.describe()
    # the slot stays, read back by a second parser: date, time, channels, status
    calendar = vobject.readOne(data.decode())
    events = {e.uid.value: e for e in calendar.vevent_list}
    held = next(e for e in events.values() if e.summary.value == held_title(flagged))
    assert held.summary.value == f"Post #{flagged.id} held for compliance review"
    assert held.dtstart.value.replace(tzinfo=None) == datetime(2027, 2, 10, 10, 0)
    assert held.description.value == (
        f"Post #{flagged.id} held for compliance review\n\n"
        "Channels: facebook, instagram\nStatus: draft"
    )
    assert any(e.summary.value == "Flu clinic hours" for e in events.values())
    assert (
        "Owner: Mark Owner"
        in next(e for e in events.values() if e.summary.value == clean.title).description.value
    )


def test_include_blocked_exports_the_copy_and_says_so(db):
    _flagged(db)
    data, report, _ = render_export(
        db,
        ExportSpec(Q1.start, Q1.end, include=("posts",), include_blocked=True),
        now=NOW,
        today=TODAY,
    )
    assert (
        "John Carter, at 555-201-3344"
        in icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["DESCRIPTION"]
    )
    assert report.include_blocked and not report.ids and "--include-blocked" in report.describe()
    assert b"owner.mark" not in data  # e-mail addresses never leave, even then


def test_a_held_post_re_imported_from_its_export_keeps_its_copy(db):
    flagged = _flagged(db)
    data = export_bytes(db, Q1, now=NOW, today=TODAY)
    plan = import_ics(db, data, today=TODAY)
    assert get_post(db, flagged.id).body == PHONE_COPY and plan.count("update") == 0


def test_saved_feeds_hold_back_the_same_way(db, tmp_path):
    _flagged(db)
    feed = add_feed(
        db,
        Feed(
            name="Outlook",
            scope=Scope(Q1.start, Q1.end),
            include=("posts",),
            path=str(tmp_path / "outlook.ics"),
        ),
    )
    served = feed_bytes(db, feed, today=TODAY, now=NOW)
    result = build_feed(db, feed, today=TODAY, now=NOW)
    assert b"555-201-3344" not in served and b"John Carter" not in served
    assert (tmp_path / "outlook.ics").read_bytes() == served and len(result.held) == 1
    whole = add_feed(
        db,
        Feed(
            name="Reviewers",
            scope=Scope(Q1.start, Q1.end),
            include=("posts",),
            include_blocked=True,
        ),
    )
    assert whole.include_blocked and b"555-201-3344" in feed_bytes(db, whole, today=TODAY, now=NOW)


def test_hold_back_is_one_function_any_exporter_can_call(db):
    flagged, clean = _flagged(db), _clean(db)
    report = hold_back(db, [flagged, clean], today=TODAY)
    assert [p.post_id for p in report.posts] == [flagged.id] and flagged.id in report.ids


def test_hold_back_trusts_a_clear_stored_mark_and_re_judges_a_changed_post(db, monkeypatch):
    """An export checks only what its stored marks cannot vouch for; an edit makes the mark stale."""
    from calendar_data.checks import holdback
    from calendar_data.checks.marks import stored_marks
    from calendar_data.posts import update_post

    flagged, clean = _flagged(db), _clean(db)
    first = hold_back(db, [flagged, clean], today=TODAY)
    assert first.ids == {flagged.id}
    assert set(stored_marks(db, [flagged.id, clean.id])) == {
        flagged.id,
        clean.id,
    }  # kept for next time
    stored = stored_marks(db, [flagged.id, clean.id])
    assert stored[flagged.id].blocking and not stored[clean.id].blocking
    checked: list[int] = []
    real = holdback.check_post
    monkeypatch.setattr(
        holdback, "check_post", lambda post, *a, **k: checked.append(post.id) or real(post, *a, **k)
    )
    assert hold_back(db, [flagged, clean], today=TODAY).ids == {flagged.id}
    assert checked == [flagged.id]  # the clear post's mark vouched for it
    leaked = update_post(db, replace(get_post(db, clean.id), body=PHONE_COPY), today=TODAY)
    checked.clear()
    assert hold_back(db, [flagged, leaked], today=TODAY).ids == {flagged.id, clean.id}
    assert sorted(checked) == sorted([flagged.id, clean.id])


def test_owner_display_setting_writes_a_name_or_nothing(db):
    assert owner_display("owner.mark@riverside.example") == ""
    assert owner_display("Mark Owner <owner.mark@riverside.example>") == "Mark Owner"
    assert owner_display("Sam (sam@x.org)") == "Sam"
    assert owner_display("Sam", "none") == ""
    _clean(db)
    save_settings(db, Settings(export_owner="none"))
    assert b"Owner:" not in export_bytes(db, Q1, now=NOW, today=TODAY)
    assert load_settings(db).export_owner == "none"


def test_an_imported_patient_story_needs_consent_so_check_blocks(tmp_path):
    db = open_db(tmp_path / "x.db")
    add_post(
        db,
        Post(
            title="Back on the trail",
            day=date(2027, 1, 20),
            status=Status.APPROVED,
            content_type=ContentType.EDUCATIONAL,
            sources=("https://www.cdc.gov/x",),
        ),
        today=TODAY,
    )
    story = add_post(
        db,
        Post(title="Story", day=date(2027, 1, 20), content_type=ContentType.PATIENT_STORY),
        today=TODAY,
    )
    assert [f.kind for f in review(db, [story], today=TODAY)[story.id] if f.blocking] == ["missing"]
    db.close()
