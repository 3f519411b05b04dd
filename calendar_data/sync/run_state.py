"""What the parts of one sync run share, declared once so the type checker can check each part.

`engine.Run` is one object assembled from mixins (`pushing.Pushing`, `teamsync.TeamLists`): each
part reads the state `Run.__init__` sets and calls methods another part defines (the push re-reads
with `Run.remote_changed`, the team list is sent with `Pushing._send`). `RunState` names that
shared surface, and `SyncResult` what a run reports. The mixins derive from `RunBase`, which is
`RunState` for the checker and plain `object` at run time, so the classes' MRO and behaviour are
exactly what they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from calendar_data.sync import state
    from calendar_data.sync.apply import Context
    from calendar_data.sync.server import Server
    from calendar_data.sync.targets import Target
    from calendar_data.sync.vevent import Resource


@dataclass
class SyncResult:
    """What one sync did (or, with dry_run, would do); the TUI shows it and the CLI prints it."""

    target: str
    dry_run: bool = False
    pulled: dict = field(default_factory=lambda: {"new": 0, "updated": 0, "deleted": 0})
    pushed: dict = field(default_factory=lambda: {"new": 0, "updated": 0, "deleted": 0})
    conflicts: list = field(default_factory=list)
    """Open conflicts of this target after the run (would-be ones on a dry run), as `Conflict.to_json()`."""
    gated: list = field(default_factory=list)
    """Posts the approval gate held back here in this run: {"post_id", "reasons"}."""
    held: list = field(default_factory=list)
    """Every post of this target stored here unlike the server says, after the run (see `held_posts`)."""
    warnings: list = field(default_factory=list)
    pending: int = 0
    """Local changes still not on the server (those waiting on a conflict)."""

    @property
    def needs_decision(self) -> bool:
        """Whether a conflict waits for someone to choose (CLI exit 1)."""
        return bool(self.conflicts)

    def to_json(self) -> dict:
        """The result as `carecal sync --json` prints it."""
        return {
            "target": self.target,
            "dry_run": self.dry_run,
            "pulled": self.pulled,
            "pushed": self.pushed,
            "conflicts": self.conflicts,
            "gated": self.gated,
            "held": self.held,
            "warnings": self.warnings,
            "pending": self.pending,
        }


class RunState(Protocol):
    """The state and cross-part methods of `engine.Run` (see the module docstring)."""

    db: Any
    """The open calendar database (sqlite-utils ships no types)."""
    target: Target
    server: Server
    dry_run: bool
    ctx: Context
    zone: str
    namespace: str
    editor: str
    items: dict[str, state.Item]
    blocked: set[str]
    deferred: dict
    pushed_ids: dict[str, list[int]]
    result: SyncResult
    """What the run did so far."""

    def conflict(
        self,
        uid: str,
        kind: str,
        post_id: int | None,
        remote: dict | None,
        href: str | None,
        etag: str | None,
        local_data: dict | None = None,
    ) -> None:
        """Record a conflict for someone to decide (`engine.Run`)."""
        ...

    def remote_changed(self, href: str, etag: str | None, res: Resource) -> None:
        """Decide a resource read from the server (`engine.Run`)."""
        ...

    def remote_deleted(self, item: state.Item) -> None:
        """Decide a resource gone from the server (`engine.Run`)."""
        ...

    def _post(self, post_id: int | None) -> Any:
        """The local post with this id, or None (`engine.Run`)."""
        ...

    def _write(self, fn) -> None:
        """Run `fn` in one transaction, unless this is a dry run (`engine.Run`)."""
        ...

    def push_team(self) -> None:
        """Send the team lists when they changed here (`teamsync.TeamLists`)."""
        ...

    def _send(
        self,
        uid: str,
        post_id: int | None,
        href: str,
        data: bytes,
        wire: dict,
        item: state.Item | None,
        kind: str = "post",
    ) -> None:
        """PUT one resource and record its ETag (`pushing.Pushing`)."""
        ...


if TYPE_CHECKING:
    RunBase = RunState
else:
    RunBase = object
