"""SVG snapshots of the main screens, each named for what a reviewer should see.

Deterministic: today is fixed, observances come from the small hand-checked
list, and the calendar is the seeded November from test_app_support. Update
with `pytest tests/functional/test_snapshots.py --snapshot-update` and look at
the SVGs in __snapshots__ before committing them.
"""

from __future__ import annotations

import pytest

from calendar_data.storage.database import open_db
from tests.functional.test_app_support import make_app, settle

pytestmark = pytest.mark.usefixtures("small_list")


def keys(*presses: str, linger: float = 0.0):
    """A run_before that waits for loading, presses keys, and waits again.

    `linger` outwaits debounce timers (the editor's compliance panel re-checks 0.2 s after a change).
    """

    async def run(pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        if linger:
            await pilot.pause(linger)
            await settle(pilot)
        await steady(pilot)

    return run


async def steady(pilot) -> None:
    """Stop text cursors blinking, so a snapshot never catches one mid-blink."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def test_month_view(seeded, snap_compare):
    """November 2026 at 140x40: the grid starts on Sunday, 21 Nov is today and selected (lit date
    strip); the Great American Smokeout badge and a post on the 19th; Veterans Day and Thanksgiving
    as holidays; the right-hand panel lists today's two posts with status, channels and campaign; the
    top bar lights 'Month'; the filter bar and footer are at the bottom."""
    assert snap_compare(make_app(seeded), terminal_size=(140, 40), run_before=keys())


def test_month_view_80x24(seeded, snap_compare):
    """The same month at 80x24: no side panel, a one-line summary of the selected day instead, titles
    cut with an ellipsis, every view still named in the top bar and Help first in the footer."""
    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=keys())


def test_month_view_band_and_filter(seeded, snap_compare):
    """December with the filter tag:vaccines: the Winter Wellness Fortnight runs as one coloured band
    from 25 Dec across the week rows (labelled at each row start), Christmas under it; only the
    vaccines post is left; the month title and the top bar both say what the filter is."""

    async def run(pilot) -> None:
        await settle(pilot)
        pilot.app.set_filter("tag:vaccines")
        await pilot.press("pagedown")
        await settle(pilot)
        await steady(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(140, 40), run_before=run)


def test_quarter_view(seeded, snap_compare):
    """Q4 2026: week columns by weekday rows with a post count per day (heat-shaded), the cursor on
    21 Nov, posts per week beneath with the empty October weeks in red, the Flu Season campaign as a
    bar from 1 Nov, holiday flags, and the quarter's observances as marks and bars."""
    assert snap_compare(make_app(seeded), terminal_size=(140, 40), run_before=keys("q"))


def test_agenda(seeded, snap_compare):
    """The next 30 days from 21 Nov grouped by day: today's two posts with their details, Thanksgiving,
    the posts on 30 Nov and 2 Dec, and the filter bar below."""
    assert snap_compare(make_app(seeded), terminal_size=(120, 36), run_before=keys("g"))


def test_awareness_browser(seeded, snap_compare):
    """Upcoming observances soonest first, the Winter Wellness Fortnight highlighted (34 days away);
    columns for next date, days until, kind, a coloured category, regions and hashtags; the search
    and category/region/month pickers above; organiser and source of the highlighted row below, with
    how the team's posts for it did last time (2025: none linked)."""

    async def run(pilot) -> None:
        await keys("a", "s")(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(seeded), terminal_size=(140, 30), run_before=run)


def test_post_editor(seeded, snap_compare):
    """Editing 'Flu clinic this week': title, copy, a live count per chosen channel (Facebook and X),
    date and time, status draft, content type, the Flu Season campaign, tags, hashtags, sources; the
    right-hand #editor-side column holds the compliance panel and, below it, the published panel
    (not recorded yet, with its "Record where it went live (p)" button); ctrl+s and esc in the footer."""
    assert snap_compare(make_app(seeded), terminal_size=(140, 44), run_before=keys("e", linger=0.5))


def test_post_editor_errors(seeded, snap_compare):
    """A new post saved with no title and a bad date: each reason in red under its field, the
    cursor in the first bad field, and nothing saved."""

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one("#date").value = "2026-02-30"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)  # outwait the compliance panel's debounce
        await settle(pilot)
        pilot.app.clear_notifications()
        await steady(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(120, 40), run_before=run)


def test_help(seeded, snap_compare):
    """The help dialog over the month: every binding grouped under Everywhere, then each screen."""
    assert snap_compare(make_app(seeded), terminal_size=(120, 40), run_before=keys("question_mark"))


def test_campaigns(seeded, snap_compare):
    """The campaigns table with Flu Season (dates, post count, a teal swatch, goal) and its two posts
    listed below."""
    assert snap_compare(make_app(seeded), terminal_size=(120, 30), run_before=keys("c"))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_week_view(seeded, snap_compare, size):
    """Week view (w): seven columns with each post's time and whole title, the week's observances in
    the band at the top, the day's one-day observances at the top of its column, ▶ on the highlighted post."""
    assert snap_compare(make_app(seeded), terminal_size=size, run_before=keys("w"))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_legend(seeded, snap_compare, size):
    """Legend (L): every status mark, ▶ ⚠ ◆ ★ ⚑ and the channel codes; the footer shows the legend's keys only."""
    assert snap_compare(make_app(seeded), terminal_size=size, run_before=keys("L"))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_empty_calendar(db_path, snap_compare, size):
    """A calendar with no posts: the onboarding hint over the month (n, A, carecal demo)."""
    open_db(db_path).close()
    assert snap_compare(make_app(db_path), terminal_size=size, run_before=keys())


@pytest.fixture
def measured(db_path, small_list):
    """A measured third quarter of 2026 (see results_support) for the results screen."""
    from calendar_data.storage.database import open_db
    from tests.functional.results_support import seed_results

    database = open_db(db_path)
    seed_results(database)
    database.close()
    return db_path


def test_results_screen(measured, snap_compare):
    """R on 21 Nov 2026 opens last quarter (2026Q3): the title line with 4 posts measured, 9,000
    impressions and a 5.1% engagement rate; one bar chart per comparison (content type, tag,
    campaign, observance, channel, weekday, hour), the best bar of each in green; the best posts
    (NICU team 15.0%, flu myths 8.0%) and worst (hiring 1.0%, back-to-school 2.0%) on the right."""
    assert snap_compare(make_app(measured), terminal_size=(140, 44), run_before=keys("R"))
