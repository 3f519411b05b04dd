"""The one-line filter language shared by the month, quarter and agenda views.

A filter is written the way people search: free words plus `key:value` terms,
for example ``flu tag:vaccines channel:instagram status:draft``; ``is:attention``
keeps the posts that need attention, ``is:staff`` the staff and service recognition observances. Values with
spaces are quoted (``campaign:"Heart Month"``). The same text parses to the
same `Filters` everywhere, and `format_filter` writes it back, so the header,
the filter bar and any saved view agree.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

from calendar_data.models import CATEGORIES, REGIONS, Channel, Filters, Status
from calendar_data.tags import tag_name

KEYS: tuple[str, ...] = ("tag", "channel", "status", "campaign", "category", "region", "is")
"""The `key:` terms the filter bar understands, in the order they are written back."""

_ALIASES = {
    "tags": "tag",
    "channels": "channel",
    "statuses": "status",
    "cat": "category",
    "regions": "region",
}


class FilterError(ValueError):
    """A filter term that names an unknown key or value; the message names the term."""


def parse_filter(text: str) -> Filters:
    """The `Filters` a filter-bar line asks for; FilterError names the first bad term."""
    try:
        tokens = shlex.split(text or "")
    except ValueError:
        raise FilterError("filter: a quote is not closed") from None
    words: list[str] = []
    values: dict[str, list[str]] = {key: [] for key in KEYS}
    for token in tokens:
        key, sep, value = token.partition(":")
        key = _ALIASES.get(key.casefold(), key.casefold())
        if not sep or key not in KEYS:
            if sep and key.isalpha() and not value.startswith("/"):
                raise FilterError(f"{token!r}: unknown filter key {key!r} (use {', '.join(KEYS)})")
            words.append(token)
            continue
        value = value.strip()
        if not value:
            raise FilterError(f"{token!r}: {key}: needs a value")
        values[key].append(_canonical(key, value, token))
    if len(values["campaign"]) > 1:
        raise FilterError("campaign: filter by one campaign at a time")
    return Filters(
        text=" ".join(words),
        tags=tuple(dict.fromkeys(values["tag"])),
        channels=tuple(Channel(v) for v in dict.fromkeys(values["channel"])),
        statuses=tuple(Status(v) for v in dict.fromkeys(values["status"])),
        campaign=values["campaign"][0] if values["campaign"] else None,
        categories=tuple(dict.fromkeys(values["category"])),
        regions=tuple(dict.fromkeys(values["region"])),
        attention="attention" in values["is"],
        staff="staff" in values["is"],
    )


def _canonical(key: str, value: str, token: str) -> str:
    choices = _CHOICES.get(key)
    if choices is None:
        return tag_name(value) if key == "tag" else value
    for choice in choices:
        if choice.casefold() == value.casefold():
            return choice
    raise FilterError(f"{token!r}: {key} must be one of {', '.join(choices)}")


_CHOICES: dict[str, tuple[str, ...]] = {
    "channel": tuple(str(c) for c in Channel),
    "status": tuple(str(s) for s in Status),
    "category": CATEGORIES,
    "region": REGIONS,
    "is": ("attention", "staff"),
}


def _quote(value: str) -> str:
    if not any(c.isspace() or c in "'\"" for c in value):
        return value
    return f'"{value}"' if '"' not in value else shlex.quote(value)


def format_filter(filters: Filters) -> str:
    """The filter-bar text for `filters` (the inverse of `parse_filter`)."""
    terms = [filters.text] if filters.text else []
    terms += [f"tag:{_quote(t)}" for t in filters.tags]
    terms += [f"channel:{c}" for c in filters.channels]
    terms += [f"status:{s}" for s in filters.statuses]
    if filters.campaign:
        terms.append(f"campaign:{_quote(filters.campaign)}")
    terms += [f"category:{c}" for c in filters.categories]
    terms += [f"region:{r}" for r in filters.regions]
    if filters.attention:
        terms.append("is:attention")
    if filters.staff:
        terms.append("is:staff")
    return " ".join(terms)


def filter_vocabulary(
    tags: Sequence[str] = (), campaigns: Sequence[str] = ()
) -> dict[str, tuple[str, ...]]:
    """What each `key:` can complete to: fixed vocabularies plus the calendar's tags and campaigns."""
    return {"tag": tuple(tags), "campaign": tuple(campaigns), **_CHOICES}


def complete_filter(text: str, vocabulary: Mapping[str, Sequence[str]]) -> str | None:
    """The whole line with its last term completed, or None when nothing fits.

    ``"ch"`` completes to ``"channel:"``; ``"flu channel:in"`` to ``"flu channel:instagram"``.
    """
    if not text or text[-1].isspace():
        return None
    head, _, last = text.rpartition(" ")
    prefix = f"{head} " if head else ""
    key, sep, value = last.partition(":")
    if not sep:
        keys = [k for k in KEYS if k.startswith(key.casefold()) and k != key.casefold()]
        return f"{prefix}{keys[0]}:" if keys and len(key) >= 2 else None
    key = _ALIASES.get(key.casefold(), key.casefold())
    folded = value.strip("\"'").casefold()
    for choice in vocabulary.get(key, ()):
        if choice.casefold().startswith(folded) and choice.casefold() != folded:
            return f"{prefix}{last.partition(':')[0]}:{_quote(choice)}"
    return None


def describe_filter(filters: Filters) -> str:
    """A short human summary for headers, e.g. 'flu · tag vaccines · instagram'."""
    parts = [f"“{filters.text}”"] if filters.text else []
    parts += [f"tag {t}" for t in filters.tags]
    parts += [str(c) for c in filters.channels]
    parts += [str(s) for s in filters.statuses]
    if filters.campaign:
        parts.append(f"campaign {filters.campaign}")
    parts += list(filters.categories) + list(filters.regions)
    if filters.attention:
        parts.append("needs attention")
    if filters.staff:
        parts.append("staff recognition")
    return " · ".join(parts)
