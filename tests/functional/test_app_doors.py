"""Pilot tests for issue 13 in the app: compliance keys from every editor field, consent with a new post,
the crisis-hold banner, held marks, hold and release from the palette, and the export dialog's hold-back line."""

from __future__ import annotations

from datetime import time

import pytest
import vobject
from textual.widgets import Checkbox, Input, Select

from calendar_data.consent import get_consent
from calendar_data.holds import list_holds, place_hold
from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post, list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import TODAY, make_app, pilot, seeded_calendar, settle
from tests.functional.test_compliance_tui import fill_consent
from tui.screens.consent import ConsentScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor
from tui.screens.help import help_sections
from tui.screens.history import HistoryScreen
from tui.screens.hold_dialog import HoldScreen
from tui.screens.override import OverrideScreen
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.hold_banner import HoldBanner

FIELDS = (
    "#title",
    "#body",
    "#channels",
    "#date",
    "#time",
    "#tags",
    "#status",
    "#content-type",
    "#features-patient",
    "#campaign",
    "#hashtags",
    "#observance",
    "#sources",
    "#notes",
)


@pytest.fixture
def seeded(db_path, small_list):
    return seeded_calendar(db_path)


def _db(path):
    return open_db(path)


async def _open_editor(pilot, app, post_title: str | None = None) -> PostEditor:
    await settle(pilot)
    if post_title is None:
        await pilot.press("n")
    else:
        post = next(p for p in list_posts(app.db) if p.title == post_title)
        from tui.messages import EditPost

        app.post_message(EditPost(post))
    await settle(pilot)
    assert isinstance(app.screen, PostEditor)
    return app.screen


def _focus(editor: PostEditor, selector: str) -> None:
    widget = editor.query_one(selector)
    target = widget if widget.can_focus else next(w for w in widget.query("*") if w.can_focus)
    target.focus()


@pilot
@pytest.mark.parametrize("field", FIELDS)
async def test_consent_and_history_keys_work_from_every_field_and_type_nothing(seeded, field):
    app = make_app(seeded)
    async with app.run_test(size=(150, 45)) as pilot:
        editor = await _open_editor(
            pilot, app, "Thank you, night nurses"
        )  # no findings: panel can't focus
        _focus(editor, field)
        await pilot.pause()
        before = editor._state()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor and editor._state() == before  # nothing typed into the field


@pilot
@pytest.mark.parametrize("field", ("#title", "#body", "#notes", "#sources"))
async def test_the_override_key_works_from_text_fields(seeded, field):
    database = _db(seeded)
    add_post(
        database,
        Post(
            title="Grateful family",
            day=TODAY,
            body="Call John Carter at 555-201-3344.",
            channels=(Channel.FACEBOOK,),
        ),
    )
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(150, 45)) as pilot:
        editor = await _open_editor(pilot, app, "Grateful family")
        _focus(editor, field)
        await pilot.pause(0.4)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, OverrideScreen)


@pilot
async def test_consent_is_recorded_while_creating_a_post_and_saved_with_it(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(150, 45)) as pilot:
        editor = await _open_editor(pilot, app)
        editor.query_one("#title", Input).value = "Back on the trail"
        editor.query_one("#content-type", Select).value = ContentType.PATIENT_STORY
        await pilot.pause()
        assert editor.query_one("#features-patient", Checkbox).value  # ticked from the content type
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsentScreen)
        screen.query_one("#consent-channels").select("facebook")
        await fill_consent(pilot, form="PX-NEW-1", media=("story",))
        await pilot.pause()
        assert app.screen is editor and editor.pending_consent.form_ref == "PX-NEW-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = next(p for p in list_posts(app.db) if p.title == "Back on the trail")
        assert saved.features_patient and get_consent(app.db, saved.id).form_ref == "PX-NEW-1"


def test_the_help_screen_lists_the_editor_keys():
    from tui.app import CarecalApp

    editor = dict(dict(help_sections(CarecalApp))["Post editor"])
    assert {"f2", "f3", "f4"} <= set(editor) and "consent" in editor["f2"].lower()


@pilot
async def test_a_hold_shows_a_banner_on_every_view_marks_held_posts_and_releases_from_the_palette(
    seeded,
):
    database = _db(seeded)
    add_post(
        database,
        Post(
            title="Gala tickets",
            day=TODAY,
            time=time(12, 0),
            status=Status.APPROVED,
            channels=(Channel.FACEBOOK,),
            body="Tickets on sale.",
        ),
        today=TODAY,
    )
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        assert not app.query(HoldBanner) or not app.screen.query_one(HoldBanner).display
        await app.run_action("crisis_hold")
        await pilot.pause()
        assert isinstance(app.screen, HoldScreen)
        app.screen.query_one("#hold-reason", Input).value = "Mass casualty incident"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [hold] = list_holds(app.db)
        assert hold.active and len(hold.post_ids) == 1
        for view in ("month", "quarter", "agenda", "awareness", "campaigns", "tags"):
            await app.run_action(f"view('{view}')")
            await settle(pilot)
            banner = app.screen.query_one(HoldBanner)
            assert banner.display and "CRISIS HOLD #1" in str(banner.render())
        await app.run_action("view('month')")
        await settle(pilot)
        rows = [
            str(app.screen.query_one(DayAgenda).get_option_at_index(i).prompt)
            for i in range(app.screen.query_one(DayAgenda).option_count)
        ]
        assert any("Gala tickets" in r and "on hold" in r for r in rows)
        data = export_bytes(
            app.db, ExportSpec(TODAY, TODAY, include=("posts",)), now=_now(), today=TODAY
        )
        event = next(
            e
            for e in vobject.readOne(data.decode()).vevent_list
            if e.summary.value == "Gala tickets"
        )
        assert event.status.value == "CANCELLED"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"release hold")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not list_holds(app.db, active_only=True)
        assert not app.screen.query_one(HoldBanner).display


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pilot
async def test_the_export_dialog_says_what_it_holds_back(seeded, tmp_path):
    database = _db(seeded)
    add_post(
        database,
        Post(
            title="Grateful family",
            day=TODAY,
            body="Call John Carter at 555-201-3344.",
            channels=(Channel.FACEBOOK,),
        ),
    )
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#export-path", Input).value = str(tmp_path / "out.ics")
        await settle(pilot)
        assert "held back 1 post for compliance review" in str(
            screen.query_one("#export-count").render()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert b"555-201-3344" not in (tmp_path / "out.ics").read_bytes()
        assert any("held back 1 post" in n.message for n in app._notifications)


@pilot
async def test_a_crisis_update_during_a_hold_takes_the_short_path_and_is_still_checked(seeded):
    database = _db(seeded)
    place_hold(database, TODAY, TODAY, "Incident", who="mark")
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new crisis update")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert (
            editor.query_one("#content-type", Select).value,
            editor.query_one("#status", Select).value,
        ) == (ContentType.CRISIS_UPDATE, Status.APPROVED)
        editor.query_one("#title", Input).value = "Visitor guidance"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor  # checks ran: a crisis update needs a trusted source
        editor.query_one("#sources", Input).value = "https://www.cdc.gov/respiratory-viruses/"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = next(p for p in list_posts(app.db) if p.title == "Visitor guidance")
        assert (
            saved.status is Status.APPROVED and app.held_post_ids() == frozenset()
        )  # crisis updates go out
