"""Pilot tests of what a month cell prints for each post: one line, the title cut with an ellipsis,
the channel codes at the right, and the marks (⚠ needs attention, ⏸ on a crisis hold) in front.

A user saw "Behind    itb" and "ix@" at 160 columns: the title wrapped over spare rows while the
channel codes sat beside one of its pieces. These read the rendered cell text at the widths people
use, so any return of that shows up as a failing line, not only as a changed snapshot.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from rich.cells import cell_len

from calendar_data.holds import place_hold
from calendar_data.models import Channel, Post, Status
from calendar_data.posts import add_post
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import TODAY, make_app, pilot, settle
from tui.screens.month import MonthScreen
from tui.widgets.marks import MIN_TITLE
from tui.widgets.month_grid import MonthGrid

BUSY_DAY = date(2026, 11, 24)
LONG = "Behind the scenes: Brain Injury Awareness Month"
THREE = (Channel.INSTAGRAM, Channel.TIKTOK, Channel.BLUESKY)


@pytest.fixture
def calendar(seeded):
    """The seeded November plus a long-titled post on three channels and an approved post on hold."""
    database = open_db(seeded)
    add_post(database, Post(title=LONG, day=BUSY_DAY, status=Status.DRAFT, channels=THREE), who="t")
    add_post(
        database,
        Post(
            title="Developmental Disabilities Awareness Month",
            day=BUSY_DAY,
            time=time(9, 0),
            status=Status.IDEA,
            channels=(Channel.INSTAGRAM, Channel.X, Channel.THREADS),
        ),
        who="t",
    )
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
    place_hold(database, TODAY, TODAY, "Incident", who="t")
    database.close()
    return seeded


async def post_rows(pilot, day: date) -> tuple[int, dict[str, list[str]]]:
    """The cell's width and, per post title, the rendered rows that belong to that post.

    BUSY_DAY is never the selected day (the app opens on TODAY), so none of its posts is highlighted.
    """
    await settle(pilot)
    cell = pilot.app.screen.query_one(MonthGrid).cell_for(day)
    lines = cell.render().plain.split("\n")
    titles = {
        i.post.id: i.post.title
        for items in pilot.app.screen.layout_.items.values()
        for i in items
        if i.kind == "post"
    }
    rows: dict[str, list[str]] = {}
    for y, line in enumerate(lines):
        post_id = cell.post_at(y)
        if post_id is not None:
            rows.setdefault(titles[post_id], []).append(line)
    return cell.region.width, rows


def title_part(line: str, codes: str) -> str:
    """The title as the line shows it: after the lead and status columns, before the codes."""
    body = line[3:]
    return (body[: -len(codes)] if codes and body.endswith(codes) else body).rstrip()


@pytest.mark.parametrize("size", [(80, 40), (120, 40), (160, 50), (200, 50)])
@pilot
async def test_each_post_is_one_line_with_a_cut_title_and_its_codes(calendar, size):
    app = make_app(calendar)
    async with app.run_test(size=size) as pilot:
        assert isinstance(app.screen, MonthScreen)
        width, rows = await post_rows(pilot, BUSY_DAY)
        for title, codes in ((LONG, "itb"), ("Developmental Disabilities Awareness Month", "ix@")):
            [line] = rows[title]  # one row: the title never wraps onto rows of its own
            assert cell_len(line) == width
            shown = title_part(line, codes)
            assert shown.endswith("…") and title.startswith(shown[:-1]), line
            if width - 3 - len(codes) - 1 >= MIN_TITLE:  # room for the title beside the codes
                assert line.endswith(" " + codes) and line.count(codes) == 1, line
            else:
                assert not line.rstrip().endswith(codes), line  # left out whole, never cut


@pilot
async def test_at_160_columns_the_cell_reads_title_then_codes(calendar):
    app = make_app(calendar)
    async with app.run_test(size=(160, 50)) as pilot:
        width, rows = await post_rows(pilot, BUSY_DAY)
        assert width == 16
        assert rows[LONG] == [" ✎ Behind t… itb"]
        assert rows["Developmental Disabilities Awareness Month"] == [" · Developm… ix@"]


@pilot
async def test_at_80_columns_codes_show_beside_a_short_title_or_give_way(calendar):
    app = make_app(calendar)
    async with app.run_test(size=(80, 40)) as pilot:
        width, rows = await post_rows(pilot, BUSY_DAY)
        assert width == 10  # three codes would leave the title three cells: the title keeps them
        assert rows[LONG] == [" ✎ Behind…"]
        width, rows = await post_rows(pilot, date(2026, 11, 30))
        assert width == 11 and rows["Thank you, night nurses"] == [" · Than… fi"]


@pytest.mark.parametrize("size", [(120, 40), (160, 50)])
@pilot
async def test_a_post_on_hold_is_marked_in_its_cell_until_the_hold_is_released(calendar, size):
    app = make_app(calendar)
    async with app.run_test(size=size) as pilot:
        width, rows = await post_rows(pilot, TODAY)
        [held] = rows["Gala tickets"]  # the 9:30 post above it is the highlighted one, not this
        assert held.startswith("⏸✓ Gala") and cell_len(held) == width
        others = [
            line for title, lines in rows.items() if title != "Gala tickets" for line in lines
        ]
        assert others and not any(line.startswith("⏸") for line in others)  # draft/idea: not held
        app.release_crisis_hold(app.active_holds()[0].id)
        await settle(pilot)
        await pilot.press("y")
        _, rows = await post_rows(pilot, TODAY)
        assert rows["Gala tickets"][0].startswith(" ✓ Gala")  # released: an ordinary line again


def test_the_legend_explains_the_hold_mark():
    from rich.console import Console

    from tui.screens.legend import legend_table

    console = Console(width=100, record=True)
    console.print(legend_table())
    legend = console.export_text()
    assert "⏸" in legend and "crisis hold" in legend and "⚠" in legend


@pilot
async def test_the_week_view_marks_the_held_post_the_same_way(calendar):
    from tui.widgets.week_column import WeekColumn

    app = make_app(calendar)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.run_action("view('week')")
        await settle(pilot)
        today = next(c for c in app.screen.query(WeekColumn) if c.day == TODAY)
        lines = today.render().plain.split("\n")
        held = [
            line for y, line in enumerate(lines) if today.post_at(y) is not None and "12:00" in line
        ]
        assert held and held[0].startswith("⏸12:00 ✓"), lines
        assert not any(line.startswith("⏸") and "12:00" not in line for line in lines)
