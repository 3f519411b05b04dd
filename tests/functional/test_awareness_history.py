"""The awareness browser's "last time" line with Pilot: how the team's posts for an observance did a year earlier.

Numbers from results_support: the Winter Wellness Fortnight post of 28 Dec 2025,
facebook 800 impressions / 40 engagements = 5.0%.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from textual.widgets import Static

from calendar_data.models import Channel, Post, Status
from calendar_data.posts import add_post
from calendar_data.storage.database import open_db
from tests.functional.results_support import seed_results
from tests.functional.test_app_support import TODAY, make_app, pilot, settle
from tui.screens.awareness import AwarenessScreen


@pytest.fixture
def measured(db_path, small_list):
    database = open_db(db_path)
    seed_results(database)
    add_post(
        database,
        Post(
            title="Stoptober starts",
            day=date(2026, 10, 1),
            status=Status.IDEA,
            channels=(Channel.FACEBOOK,),
            observance_id="stoptober",
        ),
        who="seed",
        today=TODAY,
    )
    database.close()
    return db_path


async def _show(app, pilot, observance_id: str) -> str:
    app.screen.show_observance(observance_id)
    await settle(pilot)
    await settle(pilot)  # the history read answers after the table's
    return str(app.screen.query_one("#observance-detail", Static).render())


@pilot
async def test_last_time_for_each_upcoming_observance(measured, monkeypatch):
    import tui.screens.awareness_history as history

    threads = []
    real = history.observance_history

    def spy(db, observance_id, year, **kwargs):
        threads.append((threading.get_ident(), observance_id, year))
        return real(db, observance_id, year, **kwargs)

    monkeypatch.setattr(history, "observance_history", spy)
    app = make_app(measured)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AwarenessScreen)
        detail = await _show(app, pilot, "winter-wellness-fortnight")
        assert "Last time (2025): 1 post · 800 impressions · 5.0% engagement" in detail
        detail = await _show(
            app, pilot, "stoptober"
        )  # next in October 2027: last time is this October
        assert (
            "Last time (2026): 1 post, no metrics imported yet (carecal metrics import FILE)"
            in detail
        )
        detail = await _show(app, pilot, "world-kidney-day")
        assert "Last time (2026): no posts were linked to it" in detail
        assert threads and all(ident != threading.get_ident() for ident, _, _ in threads)
        assert ("winter-wellness-fortnight", 2025) in {(o, y) for _, o, y in threads}
