"""What the parts of one sync run share, declared once so the type checker can check each part.

`engine.Run` is one object assembled from mixins (`pushing.Pushing`, `teamsync.TeamLists`): each
part reads the state `Run.__init__` sets and calls methods another part defines (the push re-reads
with `Run.remote_changed`, the team list is sent with `Pushing._send`). `RunState` names that
shared surface. The mixins derive from `RunBase`, which is `RunState` for the checker and plain
`object` at run time, so the classes' MRO and behaviour are exactly what they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from calendar_data.sync import state
    from calendar_data.sync.apply import Context
    from calendar_data.sync.server import Server
    from calendar_data.sync.targets import Target
    from calendar_data.sync.vevent import Resource


class RunTally(Protocol):
    """The counts of `engine.SyncResult` the parts add to (named here so nothing imports engine)."""

    pushed: dict
    pending: int
    warnings: list


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
    result: RunTally
    """What the run did so far; `engine.Run` declares it as the full `SyncResult`."""

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
