"""The export dialog opens on the quarter on screen and names the file after the chosen dates (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from tests.functional.test_app_support import pilot, settle
from tests.functional.test_export_screen import Host
from tests.ics_support import fill_calendar


class OnFebruary(Host):
    """The month view showing February 2027 while today is in November 2026."""

    def __init__(self, db, db_path) -> None:
        super().__init__(db, db_path)
        self.cursor = date(2027, 2, 14)


@pytest.fixture
def host(db, db_path, small_list):
    fill_calendar(db)
    return OnFebruary(db, db_path)


def _value(app, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


@pilot
async def test_the_dialog_defaults_to_the_quarter_on_screen(host):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        assert (_value(host, "#export-from"), _value(host, "#export-to")) == (
            "2027-01-01",
            "2027-03-31",
        )
        assert _value(host, "#export-path") == "carecal-2027Q1.ics"


@pilot
async def test_the_file_name_follows_the_dates_until_the_user_names_it(host):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#export-from", Input).value = "2027-04-01"
        host.screen.query_one("#export-to", Input).value = "2027-06-30"
        await settle(pilot)
        assert _value(host, "#export-path") == "carecal-2027Q2.ics"
        host.screen.query_one("#export-to", Input).value = "2027-05-15"
        await settle(pilot)
        assert _value(host, "#export-path") == "carecal-2027-04-01-2027-05-15.ics"
        host.screen.query_one("#export-path", Input).value = "my-plan.ics"
        host.screen.query_one("#export-to", Input).value = "2027-06-30"
        await settle(pilot)
        assert _value(host, "#export-path") == "my-plan.ics"


@pilot
async def test_an_import_preview_of_a_missing_file_is_one_sentence(host, tmp_path):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#import-path", Input).value = str(tmp_path / "nofile.ics")
        await pilot.click("#import-preview")
        await settle(pilot)
        text = str(host.screen.query_one("#import-result", Static).render())
        assert text == f"error: {tmp_path / 'nofile.ics'}: no such file"


@pilot
async def test_the_import_preview_and_result_say_what_is_not_kept(host):
    from tests.ics_support import ICS

    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#import-path", Input).value = str(ICS / "outlook.ics")
        host.screen.query_one("#import-preview").press()
        await settle(pilot)
        preview = str(host.screen.query_one("#import-result", Static).render())
        assert "not kept: LOCATION (1 event)" in preview
        host.screen.query_one("#import-apply").press()
        await settle(pilot)
        result = str(host.screen.query_one("#import-result", Static).render())
        assert result.startswith("not kept: LOCATION") and "imported posts: 10 added" in result
