"""Requests that screens and dialogs send up to the app (attributes down, messages up).

A screen never saves, switches views or opens another screen's dialog itself:
it posts one of these and the app, which owns the database, does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.message import Message

from calendar_data.models import Filters, Post


@dataclass
class NewPost(Message):
    """Open the post editor for a new post on `day` (prefilled from `template`)."""

    day: date
    template: Post | None = None


@dataclass
class EditPost(Message):
    """Open the post editor on an existing post."""

    post: Post


@dataclass
class DeletePost(Message):
    """Delete a post, after asking."""

    post: Post


@dataclass
class ReviewPost(Message):
    """A reviewer's verdict on a post: move it to approved (through the gate) or rejected."""

    post: Post
    status: str


@dataclass
class OpenDay(Message):
    """Show one day's full agenda in a dialog (`hint` says what to do there)."""

    day: date
    hint: str = ""


@dataclass
class GoToDay(Message):
    """Move the shared cursor to `day` and show it in `view` (month, quarter or agenda)."""

    day: date
    view: str = "month"


@dataclass
class ShowObservance(Message):
    """Open the awareness browser on one observance."""

    observance_id: str


@dataclass
class ShowCampaign(Message):
    """Open the campaigns screen on one campaign."""

    name: str


@dataclass
class SetFilter(Message):
    """Make `text` the filter of the month, quarter and agenda views ('' clears it)."""

    text: str
    filters: Filters | None = None
    """Already parsed from `text`, when the sender parsed it."""
    view: str | None = None
    """Switch to this view (month, quarter or agenda) to show the result."""


@dataclass
class MovePost(Message):
    """Give a saved post another date (move mode's drop, or a mouse drag)."""

    post: Post
    day: date


@dataclass
class QuickAdd(Message):
    """Open the quick-add line for a post on `day`."""

    day: date
