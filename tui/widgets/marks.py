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
    "cardiovascular": "#c62828",
    "cancer": "#ad1457",
    "mental-health": "#2e7d32",
    "substance-use": "#6d4c41",
    "maternal-child": "#c2185b",
    "immunization": "#00796b",
    "infectious-disease": "#558b2f",
    "diabetes": "#1565c0",
    "kidney": "#7b1fa2",
    "neurology": "#5e35b1",
    "respiratory": "#0277bd",
    "nutrition-fitness": "#e65100",
    "patient-safety": "#8d6e00",
    "donation": "#b71c1c",
    "workforce": "#455a64",
    "aging-dementia": "#6a1b9a",
    "rare-disease": "#283593",
    "disability": "#00695c",
    "sexual-health": "#ad1457",
    "injury-prevention": "#bf360c",
    "digestive": "#827717",
    "musculoskeletal": "#4e342e",
    "sensory": "#00838f",
    "skin": "#795548",
    "oral-health": "#00838f",
    "mens-health": "#1e64c8",
    "womens-health": "#c2185b",
    "general-wellness": "#388e3c",
    "health-equity": "#6a1b9a",
    "environment": "#2e7d32",
}
DEFAULT_COLOUR = "#546e7a"

STATUS_MARKS: dict[Status, str] = {
    Status.IDEA: "·",
    Status.DRAFT: "✎",
    Status.REVIEW: "?",
    Status.APPROVED: "✓",
    Status.SCHEDULED: "◷",
    Status.PUBLISHED: "●",
    Status.REJECTED: "✗",
    Status.ARCHIVED: "▫",
}
STATUS_STYLES: dict[Status, str] = {
    Status.IDEA: "dim",
    Status.DRAFT: "",
    Status.REVIEW: "bold #d08700",
    Status.APPROVED: "bold #2e9d4f",
    Status.SCHEDULED: "bold #2f80ed",
    Status.PUBLISHED: "#2e9d4f",
    Status.REJECTED: "bold #d32f2f",
    Status.ARCHIVED: "dim",
}
CHANNEL_SHORT: dict[Channel, str] = {
    Channel.FACEBOOK: "FB",
    Channel.INSTAGRAM: "IG",
    Channel.X: "X",
    Channel.LINKEDIN: "LI",
    Channel.YOUTUBE: "YT",
    Channel.TIKTOK: "TT",
    Channel.PINTEREST: "PI",
    Channel.THREADS: "TH",
    Channel.BLUESKY: "BS",
}
CHANNEL_LETTER: dict[Channel, str] = {
    Channel.FACEBOOK: "f",
    Channel.INSTAGRAM: "i",
    Channel.X: "x",
    Channel.LINKEDIN: "l",
    Channel.YOUTUBE: "y",
    Channel.TIKTOK: "t",
    Channel.PINTEREST: "p",
    Channel.THREADS: "@",
    Channel.BLUESKY: "b",
}
HOLIDAY_MARK = "⚑"
STAR = "★"
MUTED = "∅"
HOLIDAY_STYLE = "bold #b5179e"
ATTENTION_MARK = "⚠"
"""A post that needs attention: a blocking compliance finding or an open warning."""
ATTENTION_STYLE = "bold #d08700"
HELD_MARK = "⏸"
"""A post a crisis hold keeps off the calendars until the hold is released."""
HELD_STYLE = "bold #d32f2f"


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


def post_marks(*, held: bool, attention: bool) -> list[tuple[str, str]]:
    """A post's (mark, style) pairs, the first one for the lead column: on hold, then needs attention."""
    return [
        mark
        for mark, on in (
            ((HELD_MARK, HELD_STYLE), held),
            ((ATTENTION_MARK, ATTENTION_STYLE), attention),
        )
        if on
    ]


MIN_TITLE = 4
"""Cells a grid line keeps for the title (three letters and the ellipsis) before it leaves out the channel codes."""


def post_line(
    post: Post, width: int, *, attention: bool = False, held: bool = False, picked: bool = False
) -> Text:
    """' ✎ Flu clinic th… fx' for a grid cell: one line, the title cut with an ellipsis, codes at the right.

    The first column holds '▶' on the picked post (then the whole line is reversed), else the
    post's first mark: '⏸' kept off the calendars by a crisis hold, '⚠' needs attention; a second
    mark (or any mark on the picked post) leads the title. Channel codes are one letter each below
    24 cells, and left out when the title would keep fewer than MIN_TITLE cells.
    """
    marks = post_marks(held=held, attention=attention)
    lead = Text(PICKED_MARK) if picked else Text(*marks.pop(0)) if marks else Text(" ")
    codes = channel_initials(post.channels, compact=width < 24)
    beside = sum(cell_len(mark) for mark, _ in marks)  # marks in front of the title
    room = width - 3 - beside - (len(codes) + 1 if codes else 0)
    if room < MIN_TITLE:
        codes, room = "", width - 3 - beside
    line = lead
    line.append_text(status_mark(post.status))
    line.append(" ")
    for mark, style in marks:
        line.append(mark, style=style)
    line.append(fit(post.title, room))
    if codes:
        line.pad_right(width - len(codes) - line.cell_len)
        line.append(codes, style="dim")
    line.pad_right(max(0, width - line.cell_len))
    line.truncate(width)
    if picked:
        line.stylize(PICKED_STYLE)
    return line


def item_summary(item: AgendaItem, *, brief: bool = False) -> Text:
    """Mark, title and the useful details for lists and the day agenda (`brief`: one line)."""
    if item.kind == "holiday":
        return Text.assemble(
            (f"{HOLIDAY_MARK} {clean(item.title)}", HOLIDAY_STYLE), ("  public holiday", "dim")
        )
    if item.kind == "observance":
        obs = item.occurrence.observance
        span = (
            f"{item.start:%b %d}"
            if item.start == item.end
            else f"{item.start:%b %d} – {item.end:%b %d}"
        )
        details = f" {obs.kind}" if brief else f"  {obs.kind} · {span}"
        text = Text.assemble(
            (f" {STAR if item.starred else '◆'} {obs.name} ", badge_style(obs.category)),
            (details, "dim"),
        )
        if obs.hashtags and not brief:
            text.append("\n   " + " ".join(obs.hashtags), style="italic")
        return text
    post = item.post
    when = post.time.strftime("%H:%M") if post.time else "all day"
    text = Text.assemble(
        (f"{when:>7} ", "dim"), status_mark(post.status), " ", (clean(post.title), "bold")
    )
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
