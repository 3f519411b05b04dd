"""The results screen with Pilot: last quarter by default, charts, best and worst posts, periods, HTML report.

The numbers are those hand-counted in results_support (Q3 2026: 9000 impressions,
460 engagements, 5.1%).
"""

from __future__ import annotations

import threading
from datetime import date
from html.parser import HTMLParser

import pytest
from textual.widgets import DataTable, Static

from calendar_data.publish.periods import last_quarter, parse_period, period_label, shift_period
from calendar_data.storage.database import open_db
from tests.functional.results_support import seed_results
from tests.functional.test_app_support import make_app, pilot, settle, type_text
from tui.screens.editor import PostEditor
from tui.screens.results import ResultsScreen, report_file
from tui.widgets.rate_chart import RateChart, bar


@pytest.fixture
def measured(db_path, small_list):
    database = open_db(db_path)
    posts = seed_results(database)
    database.close()
    return posts


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _chart(app, name: str) -> str:
    return str(app.screen.query_one(f"#chart-{name}", RateChart).render())


def _titles(app, which: str) -> list[str]:
    table = app.screen.query_one(f"#results-{which}", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def test_periods():
    assert last_quarter(date(2026, 11, 21)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_quarter(date(2027, 2, 1)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert shift_period(date(2026, 10, 1), date(2026, 12, 31), 1) == (
        date(2027, 1, 1),
        date(2027, 3, 31),
    )
    assert (
        parse_period("2026q3") == parse_period(" 2026-Q3 ") == (date(2026, 7, 1), date(2026, 9, 30))
    )
    assert parse_period("2026-08-01..2026-08-31") == (date(2026, 8, 1), date(2026, 8, 31))
    assert period_label(date(2026, 7, 1), date(2026, 9, 30)) == "2026Q3"
    assert (
        report_file(date(2026, 8, 1), date(2026, 8, 31))
        == "carecal-report-2026-08-01-2026-08-31.html"
    )
    for bad, words in (
        ("2026Q5", "give a quarter"),
        ("2026-02-30 2026-03-01", "day is out of range"),
        ("2026-09-01 2026-08-01", "before"),
    ):
        with pytest.raises(ValueError, match=words):
            parse_period(bad)


def test_bar_uses_eighths():
    assert bar(1.0, 4) == "████" and bar(0.5, 4) == "██  " and bar(0.0, 3) == "   "
    assert bar(0.001, 4) == "▏   "  # a sliver, never nothing, for a rate above zero


@pilot
async def test_R_opens_last_quarter_with_every_comparison(measured, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen) and app.current_mode == "results"
        title = _text(app, "#results-title")
        assert "2026Q3" in title and "01 Jul – 30 Sep 2026" in title
        assert (
            "4 posts measured · 9,000 impressions · 460 engagements · 5.1% engagement rate" in title
        )
        assert "1 post without metrics" in title
        content = _chart(app, "content_type").splitlines()
        assert [line.split()[0] for line in content] == ["behind", "educational", "recruitment"]
        assert "15.0%" in content[0] and "4.0%  2 posts · 3,000 impr." in content[1]
        assert content[0].count("█") > content[1].count("█") > content[2].count("█")
        channel = _chart(app, "channel")
        assert channel.index("instagram") < channel.index("facebook") < channel.index("linkedin")
        assert "Wednesday" in _chart(app, "weekday") and "15:00" in _chart(app, "hour")
        assert "Back to School" in _chart(app, "campaign") and "(no observance)" in _chart(
            app, "observance"
        )
        assert [t.split(" ", 1)[1] for t in _titles(app, "best")] == [
            "Meet the NICU team",
            "Flu shot myths",
        ]
        assert [t.split(" ", 1)[1] for t in _titles(app, "worst")] == [
            "We're hiring nurses",
            "Back-to-school shots",
        ]


@pilot
async def test_the_read_runs_in_a_worker(measured, db_path, monkeypatch):
    import tui.screens.results as results

    threads = []
    real = results.performance

    def spy(db, start, end, **kwargs):
        threads.append(threading.get_ident())
        return real(db, start, end, **kwargs)

    monkeypatch.setattr(results, "performance", spy)
    app = make_app(db_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert threads and threading.get_ident() not in threads


@pilot
async def test_quarters_periods_and_the_empty_state(measured, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "2026Q2" in _text(app, "#results-title")
        empty = app.screen.query_one("#results-empty", Static)
        assert empty.display and "carecal metrics import FILE" in _text(app, "#results-empty")
        assert not app.screen.query_one("#chart-tag", RateChart).display
        assert not app.screen.query_one("#results-side").display
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = ""
        await type_text(pilot, "2026-08-01 2026-08-31")
        await pilot.press("enter")
        await settle(pilot)
        title = _text(app, "#results-title")
        assert "01 Aug – 31 Aug 2026" in title and "2 posts measured · 4,000 impressions" in title
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "2026Q9"
        await pilot.press("enter")
        await pilot.pause()
        assert "give a quarter" in str(
            app.screen.query_one("#prompt-error").render()
        )  # the prompt stays open
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "2026Q4" in _text(app, "#results-title")


@pilot
async def test_enter_opens_the_post_in_the_editor(measured, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.query_one("#results-best", DataTable).has_focus
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor) and app.screen.post.id == measured["myths"].id
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor) and app.screen.post.id == measured["hiring"].id


class _Charts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.charts: list[str] = []
        self.bars = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.charts.append(attrs.get("data-dimension", ""))
        elif tag == "rect":
            self.bars += 1


@pilot
async def test_o_writes_the_html_report(measured, db_path, tmp_path):
    app = make_app(db_path)
    target = tmp_path / "q3.html"
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt-input")
        assert prompt.value == "carecal-report-2026Q3.html"
        prompt.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        page = target.read_text(encoding="utf-8")
        assert "What strikes a chord: 2026-07-01 to 2026-09-30" in page and "5.1%" in page
        parser = _Charts()
        parser.feed(page)
        assert len(parser.charts) == 7 and parser.bars >= 15
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(tmp_path / "missing" / "r.html")
        await pilot.press("enter")
        await settle(pilot)
        assert any("no such folder" in n.message for n in app._notifications)


@pilot
async def test_palette_opens_results_and_an_empty_calendar_says_how_to_import(db_path, small_list):
    open_db(db_path).close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "results")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert "No metrics for posts dated 01 Jul 2026 to 30 Sep 2026 yet" in _text(
            app, "#results-empty"
        )
        assert "carecal metrics import FILE" in _text(app, "#results-empty")
