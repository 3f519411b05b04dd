"""Change-log entries in words, shared by the history screen and `carecal posts show` (no Textual here)."""

from __future__ import annotations

from calendar_data.models import ChangeEntry

COMPLIANCE_ACTIONS = frozenset(
    {"consent", "consent-replaced", "consent-removed", "override", "override-removed"}
)
"""Change-log actions written by the compliance workflow."""

_ACTIONS = {
    "create": "created",
    "delete": "deleted",
    "consent": "recorded consent",
    "consent-replaced": "replaced consent",
    "consent-removed": "removed consent",
    "override": "overrode",
    "override-removed": "withdrew override",
}
_MOVES = ("status", "day", "time", "campaign")
COMMENT_ACTIONS = frozenset({"comment", "comment-removed"})
"""Change-log actions of the review thread (calendar_data.comments)."""
COMMENT_EXCERPT = 120


def comment_words(entry: ChangeEntry) -> str:
    """A review comment in a history line: its text (shortened), or that it was taken back."""
    changes = entry.changes or {}
    if entry.action == "comment-removed":
        return f"removed comment #{changes.get('comment_id', '?')}"
    if changes.get("removed"):
        return f"comment #{changes.get('comment_id', '?')} (since removed)"
    text = " ".join(str(changes.get("text", "")).split())
    if len(text) > COMMENT_EXCERPT:
        text = text[: COMMENT_EXCERPT - 1] + "…"
    return f"comment: {text}" if text else "commented"


def describe(entry: ChangeEntry) -> str:
    """One change in words: 'status review -> approved', 'recorded consent PX-1'."""
    changes = entry.changes or {}
    if entry.action in ("consent", "consent-replaced", "consent-removed"):
        return f"{_ACTIONS[entry.action]} {changes.get('form_ref', '')}".strip()
    if entry.action == "hold":
        return f"held by crisis hold #{changes.get('hold', '?')} ({changes.get('reason', '')})"
    if entry.action == "release":
        return f"released from crisis hold #{changes.get('hold', '?')}"
    if entry.action in ("override", "override-removed"):
        reason = f" ({changes['reason']})" if changes.get("reason") else ""
        return f"{_ACTIONS[entry.action]} {changes.get('finding', '')}{reason}"
    if entry.action in COMMENT_ACTIONS:
        return comment_words(entry)
    if entry.action in _ACTIONS:
        return _ACTIONS[entry.action]
    parts = []
    if entry.action == "status" and isinstance(changes.get("status"), list):
        reason = f" (reason: {changes['reason']})" if changes.get("reason") else ""
        return "status {} -> {}".format(*changes["status"]) + reason
    for field, change in changes.items():
        if field == "reason":
            parts.append(f"reason: {change}")
        elif field in _MOVES and isinstance(change, list) and len(change) == 2:
            parts.append(f"{field} {change[0] or '-'} -> {change[1] or '-'}")
        else:
            parts.append("per-channel copy" if field == "variants" else field.replace("_", " "))
    return ("changed " + ", ".join(parts)) if parts else entry.action
