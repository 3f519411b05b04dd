"""An import plan: what an .ics file would add, update or leave, and what it could not keep.

Shared by `import_posts` and `import_observances`; nothing here reads a file or the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from calendar_data.models import Post


@dataclass(frozen=True)
class Change:
    """One line of the plan: an item to add, update, or leave as it is."""

    action: str
    """"add", "update" or "same"."""
    uid: str
    label: str
    detail: str = ""
    post: Post | None = None
    observance: dict | None = None
    line: int = 0
    verdict: str = ""
    """Why the approval gate refused the file's status (the post comes in as draft, or keeps its own)."""


@dataclass
class ImportPlan:
    """Everything an import would do, and what it noticed."""

    kind: str
    where: str = "file"
    """The file name messages use."""
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    new_campaigns: list[str] = field(default_factory=list)
    """Campaigns named by carecal's own posts that this calendar lacks: created when the plan is applied."""
    dropped: Counter[str] = field(default_factory=Counter)
    """What the file held that a post cannot: "LOCATION" -> how many events had one."""

    def count(self, action: str) -> int:
        """How many changes of one kind the plan holds."""
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> str:
        """One line: what was (or would be) added, updated and left alone."""
        verb = "imported" if self.applied else "would import"
        gated = sum(1 for c in self.changes if c.verdict)
        refused = (
            f", {gated} not approved (the approval gate refused them; see above)" if gated else ""
        )
        return (
            f"{verb} {self.kind}: {self.count('add')} added, {self.count('update')} updated, "
            f"{self.count('same')} unchanged{refused}"
        )

    def dropped_line(self) -> str:
        """One line saying what the file held that the calendar does not keep, or "" when nothing was lost."""
        if not self.dropped:
            return ""
        parts = [
            f"{what} ({count} event{'s' if count > 1 else ''})"
            for what, count in sorted(self.dropped.items())
        ]
        return "not kept: " + "; ".join(parts)
