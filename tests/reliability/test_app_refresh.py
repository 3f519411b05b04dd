"""The open app picks up what another process wrote (the CLI, a second app) without a restart."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from tests.functional.test_app_support import TODAY, make_app, pilot, settle
from tui.app import OTHER_WRITERS_CHECK_S
from tui.cli.entry import main
from tui.widgets.month_grid import MonthGrid


def _titles(app, day: date) -> list[str]:
    return [line.item.title for line in app.screen.query_one(MonthGrid).cell_for(day).lines]


@pilot
async def test_a_post_added_from_the_cli_appears_in_the_open_month(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        painted = app.data_version
        app.check_other_writers()  # nothing changed: no repaint
        assert app.data_version == painted
        result = CliRunner().invoke(
            main,
            [
                "--db",
                str(seeded),
                "posts",
                "add",
                "--title",
                "Added from a script",
                "--date",
                str(TODAY),
            ],
        )
        assert result.exit_code == 0, result.output
        app.check_other_writers()  # what the timer calls every OTHER_WRITERS_CHECK_S seconds
        await settle(pilot)
        assert app.data_version == painted + 1
        assert "Added from a script" in _titles(app, TODAY)
        app.check_other_writers()  # its own repaint is not mistaken for another change
        assert app.data_version == painted + 1
    assert 0 < OTHER_WRITERS_CHECK_S <= 5
