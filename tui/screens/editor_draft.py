"""The post editor's draft: the form read back into a `Post`, its problems per field, the live counts.

Mixed into `PostEditor` (which has `post`, `context` and `pending_consent`). The side panels
follow the draft: `_refresh_side` asks for one re-read however many fields changed in the same
turn (opening the editor fires a change per field; the draft runs the save's checks).
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.widgets import Checkbox, Select, Static, TextArea

from calendar_data.errors import PostError
from calendar_data.form_values import channel_counts, parse_day, parse_time, split_list
from calendar_data.models import ContentType, Post, Status
from calendar_data.posts import PostChangedElsewhere
from calendar_data.tags import split_tags
from tui.widgets.channel_copy import ChannelCopySummary
from tui.widgets.channel_picker import ChannelPicker
from tui.widgets.marks import CHANNEL_SHORT

FIELD_FOR_ERROR = {
    "title": "title",
    "date": "date",
    "time": "time",
    "tag": "tags",
    "campaign": "campaign",
    "source": "sources",
    "status": "status",
    "hashtags": "hashtags",
}
"""A `PostError`'s field -> the form field whose error line shows it."""
TEXTS = ("#title", "#body", "#date", "#time", "#tags", "#hashtags", "#sources", "#notes")
SELECTS = ("status", "content-type", "campaign", "observance")


class DraftForm:
    """Reading the form: its state, the draft post and its errors, the per-channel counts."""

    changed_elsewhere = False
    """The last draft's check found the post saved elsewhere since the editor opened."""
    _side_pending = False

    def _value(self, selector: str) -> str:
        widget = self.query_one(selector)
        return widget.text if isinstance(widget, TextArea) else widget.value

    def _selects(self) -> dict[str, object]:
        return {name: self.query_one(f"#{name}", Select).value for name in SELECTS}

    def _state(self) -> tuple:
        texts = tuple(self._value(n) for n in TEXTS)
        selects = tuple(self._selects().values())
        patient = self.query_one("#features-patient", Checkbox).value
        return (
            *texts,
            *selects,
            self.query_one(ChannelPicker).selected,
            patient,
            self.query_one(ChannelCopySummary).variants,
        )

    @property
    def dirty(self) -> bool:
        """Whether anything was typed or changed since the editor opened."""
        return self._state() != self._initial

    def _field_errors(self) -> tuple[dict[str, str], object, object, tuple[str, ...]]:
        """The problems the form itself shows (before the save's checks), with the parsed values."""
        errors: dict[str, str] = {}
        if not self._value("#title").strip():
            errors["title"] = "a post needs a title"
        day, when = self.post.day, None
        try:
            day = parse_day(self._value("#date"))
        except ValueError as exc:
            errors["date"] = str(exc)
        try:
            when = parse_time(self._value("#time"))
        except ValueError as exc:
            errors["time"] = str(exc)
        hashtags = split_list(self._value("#hashtags"))
        bad = [h for h in hashtags if not h.lstrip("#").replace("_", "").isalnum()]
        if bad:
            errors["hashtags"] = f"{bad[0]!r} is not a hashtag (letters, digits and _ only)"
        return errors, day, when, hashtags

    def draft(self) -> tuple[Post, dict[str, str]]:
        """The post as the form stands, with the problems found per field."""
        errors, day, when, hashtags = self._field_errors()
        selects = {k: None if v is Select.NULL else v for k, v in self._selects().items()}
        kind = selects["content-type"]
        post = replace(
            self.post,
            title=self._value("#title").strip(),
            body=self._value("#body"),
            day=day,
            time=when,
            channels=self.query_one(ChannelPicker).selected,
            status=Status(selects["status"]),
            content_type=None if kind is None else ContentType(kind),
            campaign=selects["campaign"],
            observance_id=selects["observance"],
            tags=split_tags(self._value("#tags")),
            hashtags=hashtags,
            sources=split_list(self._value("#sources")),
            private_notes=self._value("#notes"),
            features_patient=self.query_one("#features-patient", Checkbox).value,
            consent=self.pending_consent if self.post.id is None else self.post.consent,
            variants=self.query_one(ChannelCopySummary).variants,
        )
        self.changed_elsewhere = False
        if not errors:
            try:
                self.context.check(post)
            except PostChangedElsewhere:
                self.changed_elsewhere = True
            except PostError as exc:
                name = (
                    "variants"
                    if exc.field.startswith("body[")
                    else FIELD_FOR_ERROR.get(exc.field, "title")
                )
                errors[name] = str(exc).partition(": ")[2] or str(exc)
        return post, errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        for label in self.query(".field-error"):
            name = label.id.removesuffix("-error")
            label.update(f"↳ {errors[name]}" if name in errors else "")
            label.display = name in errors

    def _update_counts(self) -> None:
        body = self._value("#body")
        channels = self.query_one(ChannelPicker).selected
        variants = self.query_one(ChannelCopySummary).variants
        counts = channel_counts(body, split_list(self._value("#hashtags")), channels, variants)
        own = {c for c, _ in variants}
        text = Text()
        if not counts:
            used = len(body.strip())
            text.append(f"{used} characters · choose channels to check their limits", style="dim")
        for index, count in enumerate(counts):
            if index:
                text.append(" · ", style="dim")
            mark = "✎" if count.channel in own else ""  # measured on the channel's own copy
            label = f"{CHANNEL_SHORT[count.channel]}{mark} {count.used}/{count.limit}"
            if count.over:
                text.append(f"{label} ✗ {count.used - count.limit} over", style="bold red")
            else:
                text.append(label, style="green" if count.used else "dim")
        self.query_one("#char-count", Static).update(text)
        self._refresh_side()

    def _refresh_side(self) -> None:
        """Hand the side panels the draft once the changes of this turn are in (one check, not one per field)."""
        if not self._side_pending:
            self._side_pending = True
            self.call_later(self._push_draft)

    def _push_draft(self) -> None:
        self._side_pending = False
        if not self.is_attached:
            return
        panels = [w for w in self.query_one("#editor-side").children if hasattr(w, "refresh_draft")]
        if panels:
            post, _ = self.draft()
            for panel in panels:
                panel.refresh_draft(post)
