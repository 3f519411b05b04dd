"""Small English helpers shared by the app and the `carecal` command (no Textual here)."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """'1 post', '3 posts'."""
    return f"{count} {word}{'' if count == 1 else 's'}"
