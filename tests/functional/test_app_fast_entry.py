"""Pilot tests of fast entry: the quick-add line (A) and the copy in $EDITOR (ctrl+e)."""

from __future__ import annotations

import contextlib
from datetime import date, time

import click
import pytest
from textual.widgets import Input, TextArea

from calendar_data.models import Channel
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import (
    TODAY,
    make_app,
    pilot,
    seeded_calendar,
    settle,
    type_text,
)
from tui.screens.editor import PostEditor
from tui.screens.month import MonthScreen
from tui.screens.quick_add import QuickAddScreen


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar (its newest post is on Facebook only)."""
    return seeded_calendar(db_path)


def saved(db_path, title: str):
    database = open_db(db_path)
    try:
        return next(p for p in list_posts(database) if p.title == title)
    finally:
        database.close()


@pilot
async def test_quick_add_plans_a_post_in_a_line(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        await type_text(pilot, "Wear Red Day 2027-02-05 09:30 #heart @instagram @x")
        assert "Fri 05 Feb 2027 09:30" in str(app.screen.query_one("#quick-preview").render())
        await pilot.press("enter")
        await settle(pilot)
        post = saved(seeded, "Wear Red Day")
        assert (post.day, post.time, post.channels, post.tags) == (
            date(2027, 2, 5),
            time(9, 30),
            (Channel.INSTAGRAM, Channel.X),
            ("heart",),
        )
        assert isinstance(app.screen, MonthScreen) and app.cursor == date(2027, 2, 5)
        assert app.picked_post == post.id


@pilot
async def test_quick_add_defaults_and_names_a_bad_token(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await type_text(pilot, "Flu shots today @fbx")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)  # nothing saved half-understood
        assert "@fbx: not a channel" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "enter")
        await settle(pilot)
        post = saved(seeded, "Flu shots today")
        assert (post.day, post.channels) == (
            TODAY,
            (Channel.FACEBOOK,),
        )  # selected day, last used channels


@pilot
async def test_ctrl_e_edits_the_copy_in_the_external_editor(seeded, monkeypatch):
    seen = {}

    def fake_edit(text, **kwargs):
        seen["text"] = text
        return "Written in vim #FluSeason\n"

    monkeypatch.setattr(click, "edit", fake_edit)
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(
            app, "suspend", contextlib.nullcontext
        )  # the headless driver cannot suspend
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        app.screen.query_one("#body", TextArea).focus()
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert seen["text"].startswith("Walk-in flu shots")
        assert app.screen.query_one("#body", TextArea).text == "Written in vim #FluSeason"
        assert app.screen.query_one("#title", Input).value == "Flu clinic this week"
