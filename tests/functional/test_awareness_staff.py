"""Staff recognition weeks in the awareness browser: a tick box, and `is:staff` in the filter bar."""

from __future__ import annotations

from textual.widgets import Checkbox

from calendar_data.filter_query import describe_filter, format_filter, parse_filter
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import make_app, pilot, settle


def test_is_staff_round_trips_through_the_filter_bar():
    filters = parse_filter("nurses is:staff")
    assert filters.staff and filters.text == "nurses"
    assert parse_filter(format_filter(filters)) == filters
    assert "staff recognition" in describe_filter(filters)


@pilot
async def test_the_staff_box_keeps_only_staff_and_service_weeks(db_path):
    open_db(db_path).close()  # the shipped list: it holds the staff weeks
    app = make_app(db_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        everything = len(app.screen.rows)
        app.screen.query_one("#aw-staff", Checkbox).value = True
        await settle(pilot)
        staff = app.screen.rows
        assert 20 < len(staff) < everything
        assert all(r.observance.staff_recognition for r in staff)
        assert any(r.observance.id == "national-nurses-week" for r in staff) or any(
            "Nurses" in r.observance.name for r in staff
        )


@pilot
async def test_a_name_longer_than_its_column_ends_in_an_ellipsis(db_path):
    """At 100 columns the name column is narrow: a long name is cut at the column with "…", not mid-word."""
    from textual.widgets import DataTable

    open_db(db_path).close()
    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        width = app.screen._name_width
        long = next(i for i, r in enumerate(app.screen.rows) if len(r.observance.name) > width)
        table.move_cursor(row=long)
        await settle(pilot)
        name = app.screen.rows[long].observance.name
        shown = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        cut = next(line for line in shown.splitlines() if name[: width // 2] in line)
        assert "…" in cut and name not in cut
