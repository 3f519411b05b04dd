"""Text from other calendars made safe to keep: plain descriptions, web links only, reminders checked.

Calendar files carry whatever their author's tool wrote: HTML descriptions
(Outlook's and Google's rich text), `javascript:` or `file:` links, reminders
with no trigger. A post holds plain copy and http(s) sources, so HTML is
reduced to its text (script and style dropped, a link's address kept after
its words) and any other URL scheme is dropped; `parse` warns each time.
Only the standard library's HTML parser is used.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_TAG = re.compile(
    r"<\s*/?\s*(?:a|b|i|u|p|br|hr|div|span|strong|em|font|ul|ol|li|h[1-6]|table|tr|td|th|img|"
    r"script|style|iframe|object|embed|html|head|body|meta|link)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCKS = frozenset(
    {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "table"}
)
_HIDDEN = frozenset({"script", "style", "head", "iframe", "object", "embed"})
WEB = ("http://", "https://")


def is_web_link(url: str) -> bool:
    """Whether `url` is an http(s) address (the only links a post keeps)."""
    return url.strip().lower().startswith(WEB)


def has_html(text: str) -> bool:
    """Whether a description contains HTML markup (not just a stray '<')."""
    return bool(_TAG.search(text))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href if is_web_link(href) else "")

    def handle_endtag(self, tag) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f" ({href})")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


def plain_text(text: str) -> str:
    """HTML reduced to plain text: paragraphs kept as line breaks, scripts dropped, links spelled out."""
    parser = _Text()
    parser.feed(text)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def alarm_problem(alarm) -> str | None:
    """What makes a VALARM unusable (RFC 5545 3.6.6: ACTION and TRIGGER are required), or None."""
    if "TRIGGER" not in alarm:
        return "has no TRIGGER"
    if "ACTION" not in alarm:
        return "has no ACTION"
    action = str(alarm.get("ACTION")).upper()
    if action not in ("AUDIO", "DISPLAY", "EMAIL") and not action.startswith("X-"):
        return f"has an unknown ACTION {action[:20]!r}"
    return None
