"""Pilot tests: the compliance panel, consent and override dialogs, history, and approval with/without consent.

Until the post editor hosts the panel, a small harness app plays the editor:
it shows the panel for one post, approves with `a`, and uses tui.compliance_flow
for the dialogs exactly as the editor does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, SelectionList, Static

from calendar_data.checks.approval import ComplianceBlocked
from calendar_data.checks.overrides import list_overrides
from calendar_data.consent import get_consent, record_consent
from calendar_data.models import ChangeEntry, Channel, Consent, Post, Status
from calendar_data.posts import add_post, get_post, update_post
from calendar_data.storage.changelog import change_log
from calendar_data.storage.settings_table import load_settings
from tests.functional.test_app_support import NOW, TODAY, pilot
from tui.compliance_flow import ComplianceRequests, draft_checker
from tui.screens.consent import ConsentScreen
from tui.screens.history import HistoryScreen, describe
from tui.screens.override import OverrideScreen
from tui.widgets.compliance_panel import CompliancePanel, attention_mark, summary_text
from tui.write_path import WritePath


class Harness(WritePath, ComplianceRequests, App):
    """Stands in for the post editor: one post, its compliance panel, and an approve key."""

    BINDINGS = [Binding("a", "approve", "Approve")]

    def __init__(self, db, post_id: int) -> None:
        super().__init__()
        self.db, self.post_id, self.today, self.now, self.user = (
            db,
            post_id,
            TODAY,
            lambda: NOW,
            "Dana Reviewer",
        )
        self.refused: list[str] = []

    def compose(self) -> ComposeResult:
        yield CompliancePanel(checker=draft_checker(self.db, load_settings(self.db), TODAY))

    @property
    def post(self) -> Post:
        return get_post(self.db, self.post_id)

    def on_mount(self) -> None:
        self.recheck()
        self.query_one("#compliance-findings").focus()

    def recheck(self) -> None:
        panel = self.query_one(CompliancePanel)
        panel.draft = self.post
        panel.recheck()

    def action_approve(self) -> None:
        try:
            update_post(
                self.db, replace(self.post, status=Status.APPROVED), who=self.user, today=TODAY
            )
        except ComplianceBlocked as exc:
            self.refused = exc.reasons
            self.notify("\n".join(exc.reasons), title="Not approved", severity="error")
        self.recheck()


def patient_story(db, **fields) -> int:
    base = {
        "title": "Back on the trail",
        "day": date(2026, 12, 3),
        "features_patient": True,
        "channels": (Channel.FACEBOOK, Channel.INSTAGRAM),
        "status": Status.REVIEW,
        "body": "Maria is hiking again after her bypass.",
    }
    return add_post(db, Post(**(base | fields)), who="planner", today=TODAY).id


def summary(app: App) -> str:
    return str(app.query_one("#compliance-summary", Static).render())


async def fill_consent(
    pilot, *, form: str = "PX-7", expires: str = "2027-11-01", media=("photo",)
) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ConsentScreen)
    screen.query_one("#consent-form", Input).value = form
    screen.query_one("#consent-expires", Input).value = expires
    media_list = screen.query_one("#consent-media", SelectionList)
    for medium in media:
        media_list.select(medium)
    await pilot.press("ctrl+s")
    await pilot.pause()


@pilot
async def test_approving_without_consent_is_refused(db):
    post_id = patient_story(db)
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        assert "1 blocking" in summary(app)
        await pilot.press("a")
        await pilot.pause()
        assert get_post(db, post_id).status is Status.REVIEW
        assert app.refused == [
            f"consent: features a patient but no consent is on file "
            f"(record it: carecal consent add {post_id} --form REF ...)"
        ]


@pilot
async def test_recording_consent_in_the_dialog_then_approving(db):
    post_id = patient_story(db)
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("k")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsentScreen)
        assert screen.query_one("#consent-signed", Input).value == "2026-11-21"  # today by default
        assert screen.query_one("#consent-channels", SelectionList).selected == [
            "facebook",
            "instagram",
        ]
        await fill_consent(pilot)
        assert not isinstance(app.screen, ConsentScreen)
        consent = get_consent(db, post_id)
        assert (consent.form_ref, consent.expires_on, consent.recorded_by) == (
            "PX-7",
            date(2027, 11, 1),
            "Dana Reviewer",
        )
        assert "ready for approval" in summary(app)
        await pilot.press("a")
        await pilot.pause()
        assert get_post(db, post_id).status is Status.APPROVED
        assert change_log(db, entity="post", entity_id=post_id)[0].who == "Dana Reviewer"


@pilot
async def test_the_consent_dialog_refuses_bad_input_and_stays_open(db):
    post_id = patient_story(db)
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("k")
        await pilot.pause()
        await fill_consent(pilot, expires="next year")
        assert isinstance(app.screen, ConsentScreen)
        assert "expires: next year is not a date" in str(
            app.screen.query_one("#consent-error").render()
        )
        await fill_consent(pilot, expires="2026-01-01")
        assert "before the signed date" in str(app.screen.query_one("#consent-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert get_consent(db, post_id) is None


@pilot
async def test_expired_consent_shows_and_blocks(db):
    post_id = patient_story(db)
    record_consent(
        db,
        post_id,
        Consent(
            "PX-1",
            date(2025, 1, 1),
            date(2025, 12, 31),
            (Channel.FACEBOOK, Channel.INSTAGRAM),
            ("photo",),
        ),
    )
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        panel = app.query_one(CompliancePanel)
        assert [f.kind for f in panel.blocking] == ["expired"]
        await pilot.press("a")
        await pilot.pause()
        assert (
            get_post(db, post_id).status is Status.REVIEW
            and "expired on 2025-12-31" in app.refused[0]
        )


@pilot
async def test_removing_consent_from_the_dialog(db):
    post_id = patient_story(db)
    record_consent(
        db,
        post_id,
        Consent(
            "PX-1",
            date(2026, 1, 1),
            date(2027, 12, 31),
            (Channel.FACEBOOK, Channel.INSTAGRAM),
            ("photo",),
        ),
    )
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("k")
        await pilot.pause()
        await pilot.click("#consent-remove")
        await pilot.pause()
        assert get_consent(db, post_id) is None
        assert "1 blocking" in summary(app)


@pilot
async def test_override_dialog_needs_a_reason_and_unblocks(db):
    post_id = patient_story(db, features_patient=False, body="Donate by phone: 608-555-0143")
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OverrideScreen)
        assert "Give a reason" in str(app.screen.query_one("#override-error").render())
        app.screen.query_one("#override-reason", Input).value = "foundation's public line"
        await pilot.press("enter")
        await pilot.pause()
        [override] = list_overrides(db, post_id)
        assert (override.key, override.who) == ("phone:608-555-0143", "Dana Reviewer")
        assert "ready for approval (1 overridden)" in summary(app)
        await pilot.press("a")
        await pilot.pause()
        assert get_post(db, post_id).status is Status.APPROVED


@pilot
async def test_only_phi_findings_can_be_overridden(db):
    post_id = patient_story(db)
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert not isinstance(app.screen, OverrideScreen)
        assert list_overrides(db, post_id) == []


@pilot
async def test_selecting_a_consent_finding_opens_the_consent_dialog(db):
    post_id = patient_story(db)
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)


@pilot
async def test_history_lists_each_change_with_who(db):
    post_id = patient_story(db)
    record_consent(
        db,
        post_id,
        Consent(
            "PX-1",
            date(2026, 1, 1),
            date(2027, 12, 31),
            (Channel.FACEBOOK, Channel.INSTAGRAM),
            ("photo",),
        ),
        who="jo",
    )
    update_post(db, replace(get_post(db, post_id), status=Status.APPROVED), who="Dana", today=TODAY)
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#history-table")
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [(r[1], r[2]) for r in rows] == [
            ("planner", "created"),
            ("jo", "recorded consent PX-1"),
            ("Dana", "status review -> approved"),
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


@pilot
async def test_panel_updates_live_and_lists_findings(db):
    post_id = patient_story(db, features_patient=False, body="")
    app = Harness(db, post_id)
    async with app.run_test() as pilot:
        panel = app.query_one(CompliancePanel)
        assert "ready for approval" in summary(app)
        assert not app.query_one(OptionList).display
        draft = replace(
            get_post(db, post_id), body="Call 608-555-0143. Studies show walking helps."
        )
        panel.refresh_draft(draft, delay=0.01)
        await pilot.pause(0.1)
        assert [f.kind for f in panel.findings] == ["phone", "unsourced-claim"]
        assert "1 blocking · ! 1 warning" in summary(app)
        assert app.query_one(OptionList).option_count == 2


@pytest.mark.parametrize(("needs", "text"), [(True, "⚠"), (False, "")])
def test_attention_mark(needs, text):
    assert attention_mark(needs).plain == text


def test_summary_and_history_wording():
    assert summary_text(()).plain == "✓ ready for approval"
    entry = ChangeEntry(
        datetime(2026, 11, 21),
        "rev",
        "override",
        "post",
        "1",
        {"finding": "phone:608-555-0143", "reason": "public line"},
    )
    assert describe(entry) == "overrode phone:608-555-0143 (public line)"


# --- through the real post editor -------------------------------------------------------------


class EditorHarness(WritePath, ComplianceRequests, App):
    """Opens tui.screens.editor.PostEditor on one post and saves what it returns, as CarecalApp does."""

    def __init__(self, db, post_id: int) -> None:
        super().__init__()
        self.db, self.today, self.now, self.user = db, TODAY, lambda: NOW, "Dana Reviewer"
        self.settings = load_settings(db)
        self.post_id = post_id
        self.saved: Post | None = None

    def on_mount(self) -> None:
        from tui.screens.editor import PostEditor, editor_context

        editor = PostEditor(
            get_post(self.db, self.post_id), editor_context(self.db, self.settings, self.today)
        )
        self.push_screen(editor, self.save)

    def save(self, post: Post | None) -> None:
        if post is not None:
            self.saved = update_post(self.db, post, who=self.user, today=self.today)


async def approve_in_editor(pilot) -> None:
    from textual.widgets import Select

    pilot.app.screen.query_one("#status", Select).value = Status.APPROVED
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


@pilot
async def test_editor_refuses_approval_without_consent_and_stays_open(db):
    from tui.screens.editor import PostEditor

    post_id = patient_story(db)
    app = EditorHarness(db, post_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        panel = editor.query_one("#editor-side CompliancePanel", CompliancePanel)
        for _ in range(
            30
        ):  # the panel re-checks on a short timer; a loaded machine may need longer
            if panel.blocking:
                break
            await pilot.pause(0.1)
        assert [f.kind for f in panel.blocking] == ["missing"]
        await approve_in_editor(pilot)
        assert app.screen is editor and app.saved is None
        assert "no consent is on file" in str(editor.query_one("#status-error").render())
        assert get_post(db, post_id).status is Status.REVIEW


@pilot
async def test_editor_records_consent_from_its_panel_then_approves(db):
    from tui.screens.editor import PostEditor

    post_id = patient_story(db)
    app = EditorHarness(db, post_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        editor = app.screen
        editor.query_one("#compliance-findings").focus()
        await pilot.press("k")
        await pilot.pause()
        await fill_consent(pilot)
        assert app.screen is editor and isinstance(editor, PostEditor)
        assert get_consent(db, post_id).form_ref == "PX-7"
        assert "ready for approval" in str(editor.query_one("#compliance-summary").render())
        await approve_in_editor(pilot)
        assert app.saved is not None and app.saved.status is Status.APPROVED
        assert change_log(db, entity="post", entity_id=post_id)[0].who == "Dana Reviewer"


@pilot
async def test_editor_panel_follows_typing(db):
    from textual.widgets import Checkbox, TextArea

    post_id = patient_story(db, features_patient=False, body="")
    app = EditorHarness(db, post_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        editor = app.screen
        panel = editor.query_one(CompliancePanel)
        assert panel.findings == ()
        editor.query_one("#body", TextArea).text = "Call the family on 608-555-0143."
        await pilot.pause(0.4)
        assert [f.kind for f in panel.findings] == ["phone"]
        editor.query_one("#features-patient", Checkbox).value = True
        await pilot.pause(0.4)
        assert [f.kind for f in panel.findings] == ["phone", "missing"]


# --- the calendar's needs-attention mark ----------------------------------------------------------


@pilot
async def test_month_cells_mark_posts_that_need_attention(db, small_list):
    from datetime import timedelta

    from calendar_data.agenda import agenda
    from calendar_data.checks.review import attention_ids
    from calendar_data.planning import grid_start, month_layout
    from tui.widgets.month_grid import MonthGrid

    day = date(2026, 12, 3)
    add_post(db, Post(title="Clean flu clinic", day=day, body="Walk-in flu shots."), today=TODAY)
    flagged = add_post(db, Post(title="Phone leak", day=day, body="Call 608-555-0143"), today=TODAY)
    start = grid_start(day, 6)
    items = agenda(db, start, start + timedelta(days=41))
    attention = attention_ids(db, [i.post for i in items if i.kind == "post"], today=TODAY)
    assert attention == {flagged.id}

    class GridApp(App):
        def compose(self) -> ComposeResult:
            yield MonthGrid(id="main")

    app = GridApp()
    async with app.run_test(size=(160, 60)) as pilot:
        grid = app.query_one(MonthGrid)
        grid.show(
            month_layout(items, day, 6),
            selected=day,
            today=TODAY,
            first_weekday=6,
            attention=attention,
        )
        await pilot.pause()
        lines = grid.cell_for(day).render().plain.splitlines()
        assert any(line.startswith("⚠") and "Phone leak" in line for line in lines)
        assert any(line.startswith(" ") and "Clean flu" in line for line in lines)


# --- the whole app ----------------------------------------------------------------------------------


@pilot
async def test_app_approval_with_and_without_consent(db, db_path, small_list):
    from tui.app import make_app
    from tui.messages import EditPost
    from tui.screens.editor import PostEditor
    from tui.widgets.month_grid import MonthGrid

    post_id = patient_story(db, day=date(2026, 11, 25))
    app = make_app(db, load_settings(db), TODAY, lambda: NOW, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        cell = app.screen.query_one(MonthGrid).cell_for(date(2026, 11, 25))
        assert any(line.startswith("⚠") for line in cell.render().plain.splitlines())
        app.post_message(EditPost(get_post(db, post_id)))
        await pilot.pause(0.3)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        await approve_in_editor(pilot)
        assert app.screen is editor and get_post(db, post_id).status is Status.REVIEW
        editor.query_one("#compliance-findings").focus()
        await pilot.press("k")
        await pilot.pause()
        await fill_consent(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, PostEditor)
        assert get_post(db, post_id).status is Status.APPROVED
        cell = app.screen.query_one(MonthGrid).cell_for(date(2026, 11, 25))
        assert not any(line.startswith("⚠") for line in cell.render().plain.splitlines())
