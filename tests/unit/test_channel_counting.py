"""Copy counted as each network counts it, against the networks' published examples.

X: twitter-text's conformance suite for configuration v3 ("WeightedTweetsWithDiscounted
EmojiCounterTest" in conformance/validate.yml of github.com/twitter/twitter-text) and the
issue's examples (the family emoji is 2, 健康 is 4). Bluesky and Threads: grapheme clusters
(🇺🇸 is 1, नमस्ते is 3).
"""

from __future__ import annotations

import pytest

from calendar_data.checks.channel_counting import (
    COUNTINGS,
    count,
    graphemes,
    links,
    utf16_units,
    x_weighted_length,
)
from calendar_data.checks.channel_rules import (
    CHANNEL_LIMITS,
    character_count,
    limit_problems,
    measure,
)
from calendar_data.models import Channel

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
PUNCTUATION = (
    "This is a tweet with general punctuation characters: "
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b "
    "‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷"
)
POEM = "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。" * 5  # 160 CJK characters


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        (FAMILY, 2),
        ("健康", 4),
        ("Hi http://test.co", 26),
        ("http://test.co", 23),
        ("H\U0001f431\u263a" + FAMILY, 7),
        ("😷👾😡🔥💩", 10),
        ("🙋🏽👨\u200d🎤", 4),  # skin tone modifier; ZWJ singer
        ("A\u0301B", 2),  # Á after NFC
        ("A\ufb2c", 4),  # שּׁ stays three code points after NFC
        (PUNCTUATION, 110),
        ("https://www.twitter.com/aloha " * 10, 240),
        (POEM, 320),
        ("😷" * 160, 320),
        ("randomurl" * 7 + "s.com", 68),  # a 64-character label is not a domain
    ],
)
def test_x_weighted_length_matches_twitter_text_v3(text, weighted):
    assert x_weighted_length(text) == weighted


def test_x_counts_flags_keycaps_and_plain_symbols():
    assert x_weighted_length("🇺🇸") == 2
    assert x_weighted_length("1\ufe0f\u20e3") == 2  # keycap one
    assert x_weighted_length("©") == 1  # text presentation, Latin-1 range
    assert x_weighted_length("\u2764\ufe0f") == 2


@pytest.mark.parametrize(
    ("text", "clusters"),
    [("🇺🇸", 1), ("नमस्ते", 3), (FAMILY, 1), ("e\u0301", 1), ("Hello", 5), ("👍🏽!", 2)],
)
def test_graphemes(text, clusters):
    assert graphemes(text) == clusters


def test_bluesky_and_threads_count_graphemes_x_weighs():
    assert measure("🇺🇸", Channel.BLUESKY) == 1
    assert measure("नमस्ते", Channel.BLUESKY) == 3
    assert measure("नमस्ते", Channel.THREADS) == 3
    assert measure(FAMILY, Channel.X) == 2
    assert measure("健康", Channel.X) == 4
    assert measure(FAMILY, Channel.TIKTOK) == utf16_units(FAMILY) == 11
    assert measure(FAMILY, Channel.LINKEDIN) == 7


def test_links_with_and_without_scheme():
    text = "See worldkidneyday.org, https://www.cdc.gov/flu. Mail news@riverside.org"
    assert [text[s:e] for s, e in links(text)] == [
        "worldkidneyday.org",
        "https://www.cdc.gov/flu",
    ]
    assert x_weighted_length("See worldkidneyday.org today") == 4 + 23 + 6


def test_every_channel_names_its_counting_and_its_source():
    for channel, limit in CHANNEL_LIMITS.items():
        assert limit.counts in COUNTINGS, channel
        assert limit.counts_source.startswith("https://"), channel
    assert CHANNEL_LIMITS[Channel.X].counts == "x-weighted"
    assert (
        CHANNEL_LIMITS[Channel.BLUESKY].counts
        == CHANNEL_LIMITS[Channel.THREADS].counts
        == "graphemes"
    )


def test_editor_count_and_limits_use_the_networks_count():
    body = "健" * 140
    assert character_count(body, (), Channel.X) == (280, 280)
    assert limit_problems("t", body, (), (Channel.X,)) == []
    [problem] = limit_problems("t", body + "a", (), (Channel.X,))
    assert (problem.used, problem.allowed) == (281, 280)
    flags = "🇺🇸" * 300
    assert limit_problems("t", flags, (), (Channel.BLUESKY,)) == []
    assert character_count(flags, (), Channel.BLUESKY) == (300, 300)


def test_unknown_counting_is_named():
    with pytest.raises(ValueError, match="'bytes'"):
        count("x", "bytes")
