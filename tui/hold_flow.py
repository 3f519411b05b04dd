"""Crisis holds in the app: the banner's data, held-post marks, and placing or releasing a hold.

`CrisisHolds` is mixed into the app (which has `db`, `today`, `data_version` and
`guard`); the command palette offers "Crisis hold…" and "Release hold #N", which
call `action_crisis_hold` and `release_crisis_hold` here.
"""

from __future__ import annotations

from calendar_data.holds import Hold, held_ids, list_holds, place_hold, release_hold
from calendar_data.posts import list_posts
from tui.screens.dialogs import ConfirmScreen
from tui.screens.hold_dialog import HoldRequest, HoldScreen


class CrisisHolds:
    """The app's side of crisis holds (read once per data version, written through `guard`)."""

    _holds_cache: tuple[int, list[Hold], frozenset[int]] | None = None

    def _hold_state(self) -> tuple[list[Hold], frozenset[int]]:
        if self._holds_cache is None or self._holds_cache[0] != self.data_version:
            holds = list_holds(self.db, active_only=True)
            posts = [p for h in holds for p in list_posts(self.db, h.start, h.end)]
            self._holds_cache = (
                self.data_version,
                holds,
                held_ids(self.db, posts) if holds else frozenset(),
            )
        return self._holds_cache[1], self._holds_cache[2]

    def active_holds(self) -> list[Hold]:
        """The holds in force, newest first (the banner on every view)."""
        return self._hold_state()[0]

    def held_post_ids(self) -> frozenset[int]:
        """Posts an active hold keeps off the calendars (marked in the day panels)."""
        return self._hold_state()[1]

    def action_crisis_hold(self) -> None:
        """Ask for a window and a reason, then hold every approved or scheduled post in it."""

        def place(request: HoldRequest | None) -> None:
            if request is None:
                return
            hold = self.guard(
                lambda: place_hold(
                    self.db,
                    request.start,
                    request.end,
                    request.reason,
                    except_types=request.except_types,
                )
            )
            if hold is not None:
                self.notify(
                    f"Hold #{hold.id}: {len(hold.post_ids)} posts held from {hold.start} to {hold.end}.",
                    title="Crisis hold",
                    severity="warning",
                )

        self.push_screen(HoldScreen(self.today), place)

    def release_crisis_hold(self, hold_id: int) -> None:
        """Confirm, then release a hold: its posts go back on the calendars."""

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            hold = self.guard(lambda: release_hold(self.db, hold_id))
            if hold is not None:
                self.notify(
                    f"Hold #{hold.id} released: {len(hold.post_ids)} posts back on the calendars.",
                    title="Crisis hold",
                )

        self.push_screen(
            ConfirmScreen(
                f"Release crisis hold #{hold_id}? Its posts go back on the calendars.",
                yes="Release",
            ),
            confirmed,
        )
