"""Errors shared by every writer of posts: the one a caller shows next to a field."""

from __future__ import annotations


class PostError(ValueError):
    """A post that cannot be saved as given; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.index: int | None = None
        """In a bulk write, which of the posts (the caller names it, e.g. by its line in a file)."""
