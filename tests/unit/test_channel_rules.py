"""Channel limits: the shipped TOML, how copy is measured per network, and what breaks a limit."""

from __future__ import annotations

import pytest

from calendar_data.checks.channel_rules import (
    CHANNEL_LIMITS,
    LIMITS_FILE,
    ChannelRulesError,
    character_count,
    limit_problems,
    load_limits,
    measure,
    outgoing_text,
)
from calendar_data.models import Channel


def test_every_channel_has_a_sourced_limit():
    assert list(CHANNEL_LIMITS) == list(Channel)
    for channel, limit in CHANNEL_LIMITS.items():
        assert limit.channel is channel
        assert limit.source.startswith("https://"), channel
        assert limit.text > 0 and limit.name and limit.checked


@pytest.mark.parametrize(
    ("channel", "text", "hashtags", "title"),
    [
        (Channel.X, 280, None, None),
        (Channel.INSTAGRAM, 2200, 30, None),
        (Channel.LINKEDIN, 3000, None, None),
        (Channel.FACEBOOK, 63206, None, None),
        (Channel.TIKTOK, 2200, None, None),
        (Channel.YOUTUBE, 5000, None, 100),
        (Channel.PINTEREST, 500, None, 100),
        (Channel.THREADS, 500, None, None),
        (Channel.BLUESKY, 300, None, None),
    ],
)
def test_known_limits(channel, text, hashtags, title):
    limit = CHANNEL_LIMITS[channel]
    assert (limit.text, limit.hashtags, limit.title) == (text, hashtags, title)


def test_limits_file_ships_inside_the_package():
    assert LIMITS_FILE.parent.name == "checks" and LIMITS_FILE.parent.parent.name == "calendar_data"
    assert LIMITS_FILE.is_file()


def test_outgoing_text_adds_explicit_hashtags_not_already_in_the_body():
    assert (
        outgoing_text("Wear red #WearRedDay", ("#wearredday", "HeartMonth"))
        == "Wear red #WearRedDay #HeartMonth"
    )
    assert outgoing_text("", ("#A",)) == "#A"
    assert outgoing_text("Body  ", ()) == "Body"


def test_x_counts_every_link_as_23():
    long_link = "https://www.cdc.gov/" + "a" * 100
    assert measure(f"See {long_link}", Channel.X) == 4 + 23
    assert measure(f"See {long_link}", Channel.LINKEDIN) == 4 + len(long_link)


def test_tiktok_counts_utf16_units_and_bluesky_graphemes():
    assert measure("❤️", Channel.TIKTOK) == 2  # heart + variation selector
    assert measure("😀", Channel.TIKTOK) == 2  # outside the BMP: a surrogate pair
    assert measure("😀", Channel.BLUESKY) == 1
    assert measure("e\u0301", Channel.BLUESKY) == 1  # e + combining acute
    assert measure("👩‍⚕️", Channel.BLUESKY) == 1  # health worker: ZWJ sequence
    assert measure("👍🏽", Channel.BLUESKY) == 1  # skin tone modifier


def test_character_count_for_the_editor():
    assert character_count("x" * 10, ("#Tag",), Channel.X) == (15, 280)


def test_exactly_at_the_limit_passes_one_over_fails():
    assert limit_problems("t", "x" * 280, (), (Channel.X,)) == []
    [problem] = limit_problems("t", "x" * 281, (), (Channel.X,))
    assert (problem.channel, problem.field, problem.used, problem.allowed) == (
        Channel.X,
        "body",
        281,
        280,
    )
    assert "X allows 280" in problem.message and "1 over" in problem.message


def test_hashtags_count_towards_the_limit():
    body = "x" * 270
    assert limit_problems("t", body, ("#Ten456789",), (Channel.X,)) != []
    assert limit_problems("t", body, ("#Ten45678",), (Channel.X,)) == []


def test_instagram_caps_hashtags_at_30():
    tags = tuple(f"#tag{i}" for i in range(31))
    [problem] = limit_problems("t", "Hello", tags, (Channel.INSTAGRAM,))
    assert (problem.field, problem.used, problem.allowed) == ("hashtags", 31, 30)
    assert limit_problems("t", "Hello", tags[:30], (Channel.INSTAGRAM,)) == []
    assert limit_problems("t", "Hello", tags, (Channel.FACEBOOK,)) == []  # no cap there


def test_titles_checked_only_where_shown():
    title = "T" * 101
    fields = {
        (p.channel, p.field)
        for p in limit_problems(title, "ok", (), (Channel.YOUTUBE, Channel.PINTEREST, Channel.X))
    }
    assert fields == {(Channel.YOUTUBE, "title"), (Channel.PINTEREST, "title")}


def test_each_channel_checked_against_its_own_limit():
    body = "x" * 400
    over = {p.channel for p in limit_problems("t", body, (), tuple(Channel))}
    assert over == {Channel.X, Channel.BLUESKY}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[mastodon]\nname='M'\ntext=1\nsource='https://x'\n", "not a channel"),
        ("[x]\nname='X'\ntext=0\nsource='https://x'\n", "positive"),
        ("[x]\nname='X'\ntext=280\n", "source"),
        ("[x]\nname='X'\ntext=280\nsource='https://x'\ncolour='red'\n", "unknown key"),
        ("[x]\nname='X'\ntext=280\nsource='https://x'\n", "counts_source"),
        (
            "[x]\nname='X'\ntext=280\nsource='https://x'\ncounts='bytes'\ncounts_source='https://x'\n",
            "counts must be",
        ),
        (
            "[x]\nname='X'\ntext=280\nsource='https://x'\ncounts_source='https://x'\n",
            "no limits for",
        ),
    ],
)
def test_malformed_limits_files_are_refused(tmp_path, text, message):
    path = tmp_path / "limits.toml"
    path.write_text(text)
    with pytest.raises(ChannelRulesError, match=message):
        load_limits(path)
