"""The weekly awareness digest a coordinator pastes into the team's email.

`carecal upcoming --days 30 --format markdown` (or `text`): for each observance
running now or starting in the window, its dates, its hashtags (the yearly
ones expanded) and the posts the team has planned for it, so the email says
what is coming and what is already covered. The data comes from the same
`agenda.upcoming` the awareness browser uses; this module only shapes it.

Private notes and consent details never appear: a digest leaves the building.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from calendar_data.agenda import Upcoming, upcoming
from calendar_data.models import Filters, Post, Status
from calendar_data.posts import list_posts
from calendar_data.settings import Settings

FORMATS = ("markdown", "text")
_NOT_PLANNED = (Status.REJECTED, Status.ARCHIVED)
_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


@dataclass(frozen=True)
class DigestItem:
    """One observance occurrence in the digest and the team's posts linked to it."""

    upcoming: Upcoming
    posts: tuple[Post, ...] = ()

    @property
    def hashtags(self) -> tuple[str, ...]:
        """The observance's tags for this occurrence's year."""
        return self.upcoming.occurrence.hashtags


def digest_items(
    db, today: date, days: int, *, filters: Filters = Filters(), settings: Settings | None = None
) -> list[DigestItem]:
    """Observances running or starting within `days` of `today`, each with its planned posts.

    A post counts for an occurrence when it is linked to the observance and dated
    from the start of the window (or of the occurrence, if earlier) to the end of
    the window (or of the occurrence, if later); rejected and archived posts are
    not plans, so they are left out.
    """
    found = upcoming(db, today, days, filters=filters, settings=settings)
    if not found:
        return []
    window_end = today + timedelta(days=days)
    first = min([today] + [u.occurrence.start for u in found])
    last = max([window_end] + [u.occurrence.end for u in found])
    by_observance: dict[str, list[Post]] = {}
    for post in list_posts(db, first, last):
        if post.observance_id and post.status not in _NOT_PLANNED:
            by_observance.setdefault(post.observance_id, []).append(post)
    items = []
    for u in found:
        occ = u.occurrence
        low, high = min(today, occ.start), max(window_end, occ.end)
        posts = tuple(p for p in by_observance.get(occ.observance.id, ()) if low <= p.day <= high)
        items.append(DigestItem(u, posts))
    return items


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _span(start: date, end: date) -> str:
    return _day(start) if start == end else f"{_day(start)} to {_day(end)}"


def _post_line(post: Post) -> str:
    when = _day(post.day) + (f" {post.time:%H:%M}" if post.time else "")
    channels = ", ".join(str(c) for c in post.channels) or "no channel yet"
    return f"{when}, {channels}: {post.title} ({post.status})"


def _when(u: Upcoming) -> str:
    if u.days_until == 0:
        return "running now" if u.occurrence.start < u.occurrence.end else "today"
    return f"in {u.days_until} day{'s' if u.days_until != 1 else ''}"


def render_markdown(items: list[DigestItem], today: date, days: int) -> str:
    """The digest as Markdown: a heading per observance, tags in code spans, posts as a list."""
    lines = [f"# Awareness digest: {_span(today, today + timedelta(days=days))}", ""]
    if not items:
        lines.append("No observances in this window.")
    for item in items:
        occ = item.upcoming.occurrence
        star = " (starred)" if item.upcoming.starred else ""
        lines += [
            f"## {occ.observance.name.translate(_MD_SPECIAL)}{star}",
            "",
            f"- **When:** {_span(occ.start, occ.end)} ({_when(item.upcoming)})",
        ]
        if occ.rule_dates:
            lines.append(
                f"- **Note:** announced dates; the usual rule gives {_span(*occ.rule_dates)}"
            )
        tags = " ".join(f"`{t}`" for t in item.hashtags) or "none listed"
        lines.append(f"- **Hashtags:** {tags}")
        if item.posts:
            lines.append("- **Planned posts:**")
            lines += [f"  - {_post_line(p).translate(_MD_SPECIAL)}" for p in item.posts]
        else:
            lines.append("- **Planned posts:** none yet")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_text(items: list[DigestItem], today: date, days: int) -> str:
    """The digest as plain text for mail clients that show Markdown as typed."""
    title = f"Awareness digest: {_span(today, today + timedelta(days=days))}"
    lines = [title, "=" * len(title), ""]
    if not items:
        lines.append("No observances in this window.")
    for item in items:
        occ = item.upcoming.occurrence
        star = " *" if item.upcoming.starred else ""
        lines += [
            f"{occ.observance.name}{star}",
            f"  When:     {_span(occ.start, occ.end)} ({_when(item.upcoming)})",
        ]
        if occ.rule_dates:
            lines.append(
                f"  Note:     announced dates; the usual rule gives {_span(*occ.rule_dates)}"
            )
        lines.append(f"  Hashtags: {' '.join(item.hashtags) or 'none listed'}")
        if item.posts:
            lines.append("  Planned posts:")
            lines += [f"    - {_post_line(p)}" for p in item.posts]
        else:
            lines.append("  Planned posts: none yet")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def digest(
    db,
    today: date,
    days: int,
    *,
    fmt: str = "markdown",
    filters: Filters = Filters(),
    settings: Settings | None = None,
) -> str:
    """The digest for `days` days from `today` in `fmt` ('markdown' or 'text').

    Raises:
        ValueError: for an unknown format or a negative number of days.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format: must be one of {', '.join(FORMATS)}, got {fmt!r}")
    items = digest_items(db, today, days, filters=filters, settings=settings)
    render = render_markdown if fmt == "markdown" else render_text
    return render(items, today, days)
