"""What a post's DESCRIPTION says in an export: its copy and public fields, or only its slot when held back.

Kept apart from the event building so the one rule for owners (a name, never an
e-mail address, or nothing) and for held-back copy is easy to find and test.
"""

from __future__ import annotations

import re

from calendar_data.checks.holdback import held_title
from calendar_data.ical.variant_text import with_variants
from calendar_data.models import Post

FOOTER_KEYS = (
    "Hashtags",
    "Channels",
    "Status",
    "Type",
    "Campaign",
    "Owner",
    "Observance",
    "Sources",
)
"""Lines appended to a post's DESCRIPTION (and read back by `ical.plan`)."""


_EMAIL = re.compile(r"<?\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)+\b>?")


def owner_display(owner: str, mode: str = "name") -> str:
    """What an export says about the owner: their name with any e-mail address removed, or nothing.

    `mode` is the team's `export_owner` setting ("name" or "none"); a bare address gives "".
    """
    if mode == "none":
        return ""
    text = re.sub(r"[(\[]\s*[)\]]", " ", _EMAIL.sub(" ", owner or ""))  # "Sam (sam@x.org)" -> "Sam"
    return " ".join(text.split()).strip(" ,;:-")


def post_description(post: Post, *, owner: str = "name") -> str:
    """The copy, then one line per public field (never private notes, consent or an e-mail address)."""
    lines = [
        ("Hashtags", " ".join(post.all_hashtags)),
        ("Channels", ", ".join(str(c) for c in post.channels)),
        ("Status", str(post.status)),
        ("Type", str(post.content_type or "")),
        ("Campaign", post.campaign or ""),
        ("Owner", owner_display(post.owner, owner)),
        ("Observance", post.observance_id or ""),
        ("Sources", " ".join(post.sources)),
    ]
    footer = "\n".join(f"{key}: {value}" for key, value in lines if value)
    copy = with_variants(
        post.body.strip(), post
    )  # each channel's own version, under "[Copy for X]"
    return f"{copy}\n\n{footer}" if copy else footer


def held_description(post: Post) -> str:
    """A held-back post's description: the neutral text and its slot, nothing of its copy."""
    lines = [("Channels", ", ".join(str(c) for c in post.channels)), ("Status", str(post.status))]
    footer = "\n".join(f"{key}: {value}" for key, value in lines if value)
    return f"{held_title(post)}\n\n{footer}"
