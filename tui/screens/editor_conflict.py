"""The editor's answer when its post was saved elsewhere meanwhile: reload theirs, save a copy, or keep editing."""

from __future__ import annotations

from dataclasses import replace

from calendar_data.checks.workflow import APPROVED_OR_LATER
from calendar_data.models import Post, Status
from tui.messages import EditPost
from tui.screens.dialogs import ChoiceScreen


class ResolvesConflicts:
    """Mixed into the post editor (which has `context.load` and `dismiss`)."""

    def _resolve_conflict(self, post: Post) -> None:
        """Someone saved this post since it was opened: reload theirs, save ours as a copy, or keep editing."""

        def answered(choice: str | None) -> None:
            if choice == "reload" and self.context.load is not None:
                self.dismiss(None)
                self.app.post_message(EditPost(self.context.load(post.id)))
            elif choice == "copy":
                status = Status.DRAFT if post.status in APPROVED_OR_LATER else post.status
                self.submit(
                    replace(
                        post,
                        id=None,
                        sequence=0,
                        created_at=None,
                        updated_at=None,
                        title=f"{post.title} (copy)",
                        status=status,
                        consent=None,
                    )
                )

        self.app.push_screen(
            ChoiceScreen(
                f"Post #{post.id} was changed elsewhere (the CLI, a teammate or sync) since you opened it.",
                [
                    ("Reload it: see their version (your edits here are dropped)", "reload"),
                    (
                        "Save your version as a new post (a copy, as draft if it was approved)",
                        "copy",
                    ),
                    ("Keep editing", "keep"),
                ],
            ),
            answered,
        )
