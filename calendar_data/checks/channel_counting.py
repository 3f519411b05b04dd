"""Copy length as each network counts it: X's weighted length, graphemes, UTF-16 units.

A post that carecal passes must not be refused by the network, and the editor's
counter must agree with the composer the team is used to. Networks count
differently, so `channel_limits.toml` names a counting per channel and this
module implements each one (the `regex` library, imported only here, supplies
grapheme clusters ``\\X`` and emoji properties the stdlib lacks):

- ``x-weighted``: X's published rules, twitter-text configuration v3
  (https://github.com/twitter/twitter-text/blob/master/config/v3.json and
  https://docs.x.com/fundamentals/counting-characters). The text is NFC
  normalised; each code point in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and
  U+2032-U+2037 weighs 1, any other weighs 2; an emoji, however many code
  points make it (flags, skin tones, ZWJ families), weighs 2; every link weighs
  23. So the family emoji is 2 and 健康 is 4.
- ``graphemes``: user-perceived characters (Unicode UAX #29, as Bluesky's
  lexicon `maxGraphemes` counts): 🇺🇸 is 1, नमस्ते is 3.
- ``utf16``: JavaScript string length (TikTok's API).
- ``characters``: Unicode code points.

Known gaps: links are recognised by scheme, ``www.`` or a common top-level
domain (twitter-text knows every TLD); an emoji sequence outside Unicode's
recommended set (an unusual ZWJ pair) counts 2 here where X may count each part.
"""

from __future__ import annotations

import unicodedata

import regex

COUNTINGS: tuple[str, ...] = ("characters", "graphemes", "utf16", "x-weighted")
"""Every counting `channel_limits.toml` may name."""

#: twitter-text v3 ranges whose code points weigh 1 (scale 100: weight 100); others weigh 2.
X_LIGHT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
)
X_DEFAULT_URL_LENGTH = 23

_TLDS = (
    "com|org|net|edu|gov|int|mil|info|biz|io|co|app|dev|health|care|clinic|hospital|news|online"
    "|site|uk|au|nz|ie|ca|us|eu|de|fr|es|it|nl|be|ch|se|no|dk|fi|jp|cn|in|za|ly|me|tv|ai|gl"
)
#: Links X shortens to t.co: with a scheme, or a bare domain with a known top-level domain.
LINK = regex.compile(
    r"https?://[^\s<>\"]+"
    r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")(?![\w-])"
    r"(?::\d{1,5})?(?:/[^\s<>\"]*)?",
    regex.I,
)
_TRAILING = regex.compile(r"[.,;:!?'\")\]]+$")
_EMOJI_START = regex.compile(
    r"\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3"
)
_GRAPHEME = regex.compile(r"\X")


def links(text: str) -> list[tuple[int, int]]:
    """(start, end) of each link in `text`, trailing punctuation left out."""
    spans = []
    for match in LINK.finditer(text):
        trail = _TRAILING.search(match.group())
        spans.append((match.start(), match.end() - (len(trail.group()) if trail else 0)))
    return spans


def graphemes(text: str) -> int:
    """How many user-perceived characters (extended grapheme clusters) `text` holds."""
    return len(_GRAPHEME.findall(text))


def utf16_units(text: str) -> int:
    """JavaScript's string length: code points outside the BMP count two."""
    return len(text.encode("utf-16-le")) // 2


def _x_weight(code_point: int) -> int:
    return 1 if any(lo <= code_point <= hi for lo, hi in X_LIGHT_RANGES) else 2


def _is_emoji(cluster: str) -> bool:
    """An emoji presentation: a pictograph (not plain-text © or ®), a flag or a keycap."""
    if not _EMOJI_START.match(cluster):
        return False
    plain_text_symbol = _x_weight(ord(cluster[0])) == 1 and "\ufe0f" not in cluster
    return not plain_text_symbol or bool(regex.match(r"[#*0-9]\uFE0F?\u20E3", cluster))


def x_weighted_length(text: str, url_length: int = X_DEFAULT_URL_LENGTH) -> int:
    """X's weighted length of `text` (twitter-text v3): what X's composer counts to 280.

    Args:
        text: The copy as it will be posted.
        url_length: What each link weighs (X shortens every link to t.co).

    Returns:
        The weighted length, rounded down as twitter-text does.
    """
    text = unicodedata.normalize("NFC", text)
    weight = 0  # twitter-text's weights over its scale of 100: 1, 2, or url_length
    position = 0
    for start, end in [*links(text), (len(text), len(text))]:
        for cluster in _GRAPHEME.findall(text[position:start]):
            weight += 2 if _is_emoji(cluster) else sum(_x_weight(ord(c)) for c in cluster)
        if end > start:
            weight += url_length
        position = end
    return weight


def count(text: str, counting: str, url_length: int | None = None) -> int:
    """Length of `text` under one of :data:`COUNTINGS`.

    Args:
        text: The copy.
        counting: Which counting the channel uses.
        url_length: What a link weighs where the network shortens links; None
            counts links as written.

    Raises:
        ValueError: naming the counting when it is not one of :data:`COUNTINGS`.
    """
    if counting == "x-weighted":
        return x_weighted_length(text, url_length or X_DEFAULT_URL_LENGTH)
    if counting not in COUNTINGS:
        raise ValueError(f"unknown counting {counting!r} (use {', '.join(COUNTINGS)})")
    measure = {"characters": len, "graphemes": graphemes, "utf16": utf16_units}[counting]
    used = measure(text)
    if url_length:
        used += sum(url_length - measure(text[s:e]) for s, e in links(text))
    return used
