"""The visual vocabulary every screen shares: category colours, status marks, channel initials.

Badge colours are fixed hues with white text, so they read on light and dark
themes alike; everything else takes its colours from the Textual theme.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.color import Color, ColorParseError

from calendar_data.models import AgendaItem, Channel, Post, Status

CATEGORY_COLOURS: dict[str, str] = {
    "cardiovascular": "#c62828", "cancer": "#ad1457", "mental-health": "#2e7d32",
    "substance-use": "#6d4c41", "maternal-child": "#c2185b", "immunization": "#00796b",
    "infectious-disease": "#558b2f", "diabetes": "#1565c0", "kidney": "#7b1fa2",
    "neurology": "#5e35b1", "respiratory": "#0277bd", "nutrition-fitness": "#e65100",
    "patient-safety": "#8d6e00", "donation": "#b71c1c", "workforce": "#455a64",
    "aging-dementia": "#6a1b9a", "rare-disease": "#283593", "disability": "#00695c",
    "sexual-health": "#ad1457", "injury-prevention": "#bf360c", "digestive": "#827717",
    "musculoskeletal": "#4e342e", "sensory": "#00838f", "skin": "#795548",
    "oral-health": "#00838f", "mens-health": "#1e64c8", "womens-health": "#c2185b",
    "general-wellness": "#388e3c", "health-equity": "#6a1b9a", "environment": "#2e7d32",
}
DEFAULT_COLOUR = "#546e7a"

STATUS_MARKS: dict[Status, str] = {
    Status.IDEA: "·", Status.DRAFT: "✎", Status.REVIEW: "?", Status.APPROVED: "✓",
    Status.SCHEDULED: "◷", Status.PUBLISHED: "●", Status.REJECTED: "✗", Status.ARCHIVED: "▫",
}
STATUS_STYLES: dict[Status, str] = {
    Status.IDEA: "dim", Status.DRAFT: "", Status.REVIEW: "bold #d08700", Status.APPROVED: "bold #2e9d4f",
    Status.SCHEDULED: "bold #2f80ed", Status.PUBLISHED: "#2e9d4f", Status.REJECTED: "bold #d32f2f",
    Status.ARCHIVED: "dim",
}
CHANNEL_SHORT: dict[Channel, str] = {
    Channel.FACEBOOK: "FB", Channel.INSTAGRAM: "IG", Channel.X: "X", Channel.LINKEDIN: "LI",
    Channel.YOUTUBE: "YT", Channel.TIKTOK: "TT", Channel.PINTEREST: "PI", Channel.THREADS: "TH",
    Channel.BLUESKY: "BS",
}
CHANNEL_LETTER: dict[Channel, str] = {
    Channel.FACEBOOK: "f", Channel.INSTAGRAM: "i", Channel.X: "x", Channel.LINKEDIN: "l",
    Channel.YOUTUBE: "y", Channel.TIKTOK: "t", Channel.PINTEREST: "p", Channel.THREADS: "@",
    Channel.BLUESKY: "b",
}
HOLIDAY_MARK = "⚑"
STAR = "★"
MUTED = "∅"
HOLIDAY_STYLE = "bold #b5179e"
ATTENTION_MARK = "⚠"
"""A post that needs attention: a blocking compliance finding or an open warning."""
ATTENTION_STYLE = "bold #d08700"


def plural(count: int, word: str) -> str:
    """'1 post', '3 posts'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def category_colour(category: str) -> str:
    """The badge colour of an observance category."""
    return CATEGORY_COLOURS.get(category, DEFAULT_COLOUR)


def badge_style(category: str) -> str:
    """Rich style for an observance badge or band."""
    return f"#ffffff on {category_colour(category)}"


def channel_initials(channels: tuple[Channel, ...], *, compact: bool = False) -> str:
    """'FB IG X', or 'fix' when space is short."""
    if compact:
        return "".join(CHANNEL_LETTER[Channel(c)] for c in channels)
    return " ".join(CHANNEL_SHORT[Channel(c)] for c in channels)


def status_mark(status: Status) -> Text:
    """The one-character status mark, coloured."""
    return Text(STATUS_MARKS[Status(status)], style=STATUS_STYLES[Status(status)])


_JOINED = re.compile("\u200d[^ ]*")
_PRESENTATION = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def clean(text: str) -> str:
    """`text` as the calendar draws it: one width every terminal agrees on for each emoji.

    Terminals disagree with Rich (and each other) on emoji sequences: tmux draws '❤️'
    (heart + variation selector 16) one cell wide where Rich counts two, and a ZWJ
    sequence such as '👩‍⚕️' as its parts. Drawn as measured, the rest of the row shifts
    and borders tear. So the grid shows the base emoji: VS15/VS16 and skin-tone
    modifiers are dropped and a ZWJ sequence keeps its first emoji. The stored text
    (and the editor) keep every character.
    """
    if text.isascii():
        return text
    return _PRESENTATION.sub("", _JOINED.sub("", text))


def fit(text: str, width: int) -> str:
    """`text` (cleaned) cut to `width` terminal cells with an ellipsis (never wider)."""
    if width <= 0:
        return ""
    text = clean(text)
    if cell_len(text) <= width:
        return text
    return _take(text, width - 1) + "…"


def _take(text: str, cells: int) -> str:
    """The longest start of `text` that fits in `cells` cells."""
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > cells:
            return text[:index]
    return text


PICKED_MARK = "▶"
"""Marks the highlighted post of the selected day: the one `e`, `d`, `M` and `D` act on."""
PICKED_STYLE = "reverse bold"


def wrap(text: str, width: int, rows: int) -> list[str]:
    """`text` over at most `rows` lines of `width` cells, broken at spaces; the last line ellipsised."""
    if width <= 0 or rows <= 0:
        return []
    lines: list[str] = []
    rest = clean(text)
    while rest and len(lines) < rows - 1 and cell_len(rest) > width:
        head = _take(rest, width)
        cut = head.rfind(" ") if len(head) < len(rest) and rest[len(head)] != " " else len(head)
        cut = cut if cut > 0 else max(1, len(head))
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not lines:
        lines.append(fit(rest, width))
    return lines


def post_line(post: Post, width: int, *, attention: bool = False, picked: bool = False,
              rows: int = 1) -> list[Text]:
    """' ✎ Title…   fil' for a grid cell, over up to `rows` lines when the title needs them.

    The first column holds '▶' on the picked post (then the whole line is reversed), '⚠' if it
    needs attention; channel initials go at the right of the last line when they fit there,
    else of the first.
    """
    compact = width < 24
    initials = channel_initials(post.channels, compact=compact)
    room = width - 3 - (len(initials) + 1 if initials else 0)
    if room < 6:  # too narrow for both: the title matters more
        initials, room = "", width - 3
    if picked:
        lead = Text(PICKED_MARK)
    else:
        lead = Text.assemble((ATTENTION_MARK, ATTENTION_STYLE)) if attention else Text(" ")
    title = f"{ATTENTION_MARK}{post.title}" if picked and attention else post.title
    parts, tail = _title_rows(title, width, room, initials, rows)
    line = lead
    line.append_text(status_mark(post.status))
    line.append(" " + parts[0])
    out = [line] + [Text("   " + part) for part in parts[1:]]
    if initials:
        beside = out[-1] if tail else out[0]
        beside.pad_right(max(1, width - len(initials) - beside.cell_len))
        beside.append(initials, style="dim")
    for row in out:
        row.pad_right(max(0, width - row.cell_len))
    if picked:
        for row in out:
            row.stylize(PICKED_STYLE)
    return out


def _title_rows(title: str, width: int, room: int, initials: str, rows: int) -> tuple[list[str], bool]:
    """The title's lines; True when the initials go at the end of the last line instead of the first."""
    if rows <= 1 or cell_len(clean(title)) <= room:
        return wrap(title, room, 1), False
    full = wrap(title, width - 3, rows)
    if not initials or cell_len(full[-1]) + 1 + len(initials) <= width - 3:
        return full, True
    return _wrap_first(title, room, width - 3, rows), False


def _wrap_first(text: str, first: int, rest: int, rows: int) -> list[str]:
    """Wrap with a narrower first line (the initials sit beside it)."""
    text = clean(text)
    if cell_len(text) <= first:
        return [text]
    head = _take(text, first)
    cut = head.rfind(" ") if text[len(head)] != " " else len(head)
    cut = cut if cut > 0 else max(1, len(head))
    return [text[:cut].rstrip(), *wrap(text[cut:].lstrip(), rest, rows - 1)]


def post_rows(post: Post, width: int) -> int:
    """Lines a post needs in a grid cell to show its whole title."""
    if width <= 3:
        return 1
    initials = channel_initials(post.channels, compact=width < 24)
    room = width - 3 - (len(initials) + 1 if initials else 0)
    if room < 6:
        initials, room = "", width - 3
    return len(_title_rows(post.title, width, room, initials, 99)[0])


def item_summary(item: AgendaItem, *, brief: bool = False) -> Text:
    """Mark, title and the useful details for lists and the day agenda (`brief`: one line)."""
    if item.kind == "holiday":
        return Text.assemble((f"{HOLIDAY_MARK} {clean(item.title)}", HOLIDAY_STYLE), ("  public holiday", "dim"))
    if item.kind == "observance":
        obs = item.occurrence.observance
        span = (f"{item.start:%b %d}" if item.start == item.end
                else f"{item.start:%b %d} – {item.end:%b %d}")
        details = f" {obs.kind}" if brief else f"  {obs.kind} · {span}"
        text = Text.assemble((f" {STAR if item.starred else '◆'} {obs.name} ", badge_style(obs.category)),
                             (details, "dim"))
        if obs.hashtags and not brief:
            text.append("\n   " + " ".join(obs.hashtags), style="italic")
        return text
    post = item.post
    when = post.time.strftime("%H:%M") if post.time else "all day"
    text = Text.assemble((f"{when:>7} ", "dim"), status_mark(post.status), " ", (clean(post.title), "bold"))
    details = [str(post.status)]
    if post.channels:
        details.append(channel_initials(post.channels))
    if post.campaign:
        details.append(post.campaign)
    if post.tags:
        details.append("tags " + ", ".join(post.tags))
    text.append("\n        " + " · ".join(details), style="dim")
    return text


def colour_style(name: str) -> Style | None:
    """A user-chosen colour (CSS name or #hex) as a background style; None when unknown."""
    if not name:
        return None
    try:
        return Style(bgcolor=Color.parse(name).rich_color)
    except ColorParseError:
        return None
