"""Errors shared by every writer of posts: the one a caller shows next to a field."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calendar_data.models import Status


class PostError(ValueError):
    """A post that cannot be saved as given; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.index: int | None = None
        """In a bulk write, which of the posts (the caller names it, e.g. by its line in a file)."""


class ComplianceBlocked(PostError):
    """A move to approved or later refused by blocking compliance findings; `reasons` lists them.

    Raised by the approval gate (`checks.approval`); it lives here, beside `PostError`, so a
    caller that only reports it (the CLI's error policy) need not import the checks.
    """

    def __init__(self, post_id: int | None, status: Status, reasons: list[str]) -> None:
        super().__init__("status", f"cannot move to {status}: {'; '.join(reasons)}")
        self.post_id = post_id
        self.status = status
        self.reasons = reasons
