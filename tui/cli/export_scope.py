"""What an export covers and what it says it left out: shared by `carecal export` and `feeds`.

A saved feed is a named export, so both take the same scope options (`scope_options`), read them
into the same agenda `Filters` and date range, and report what was held back the same way.
"""

from __future__ import annotations

from datetime import date

import click

from calendar_data.agenda import KINDS
from calendar_data.models import Channel, Filters, Status
from tui.cli.params import CATEGORY, CHANNEL, REGION, STATUS, region_names, warn


def scope_options(func):
    """Scope filters shared by `export` and `feeds add`."""
    options = [
        click.option(
            "--include",
            default=",".join(KINDS),
            show_default=True,
            help="What to include, comma-separated: posts, observances, holidays.",
        ),
        click.option("--campaign", help="Only posts of this campaign."),
        click.option(
            "--tag", "tags", multiple=True, help="Only posts with this tag (repeat: all of them)."
        ),
        click.option(
            "--channel",
            "channels",
            type=CHANNEL,
            multiple=True,
            help="Only posts on this channel (repeat: any).",
        ),
        click.option(
            "--status",
            "statuses",
            type=STATUS,
            multiple=True,
            help="Only posts with this status (repeat: any).",
        ),
        click.option(
            "--region",
            "regions",
            type=REGION,
            multiple=True,
            help="Observance regions (default: settings).",
        ),
        click.option(
            "--category",
            "categories",
            type=CATEGORY,
            multiple=True,
            help="Only observances of this category.",
        ),
        click.option(
            "--search", "text", default="", help="Text in titles, copy, hashtags or tags."
        ),
        click.option(
            "--alarm-days",
            type=click.IntRange(0, 365),
            default=None,
            help="Remind N days before each observance (time to prepare content).",
        ),
        click.option(
            "--include-blocked",
            is_flag=True,
            help="Export posts with blocking compliance findings WITH their copy (default: slot only).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def parse_include(text: str) -> tuple[str, ...]:
    """`--include posts,holidays` as the agenda's kinds; an unknown or empty list is bad input."""
    parts = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    bad = [p for p in parts if p not in KINDS]
    if bad or not parts:
        raise click.BadParameter(
            f"{bad[0] if bad else text!r}: use {', '.join(KINDS)}", param_hint="'--include'"
        )
    return parts


def scope_filters(campaign, tags, channels, statuses, regions, categories, text) -> Filters:
    """The scope options as the agenda's `Filters`."""
    return Filters(
        text=text,
        tags=tuple(tags),
        channels=tuple(Channel(c.lower()) for c in channels),
        statuses=tuple(Status(s.lower()) for s in statuses),
        campaign=campaign,
        regions=region_names(regions),
        categories=tuple(c.lower() for c in categories),
    )


def date_range(quarter, start: date | None, end: date | None, *, required: bool = True):
    """`--quarter` or `--from/--to` as (first day, last day); (None, None) when neither is given nor required."""
    if quarter and (start or end):
        raise click.UsageError("give --quarter or --from/--to, not both")
    if quarter:
        return quarter
    if start and end:
        if end < start:
            raise click.BadParameter(f"{end} is before --from {start}", param_hint="'--to'")
        return start, end
    if start or end or required:
        raise click.UsageError("give --quarter 2027Q1, or both --from and --to")
    return None, None


def report_export(report, on_hold: int, prefix: str = "") -> None:
    """Say on stderr what an export held back (or exported whole on request) and what a hold cancelled."""
    line = report.describe()
    if line:
        warn(prefix + line)
    if on_hold:
        warn(
            f"{prefix}{on_hold} post{'s' if on_hold != 1 else ''} under a crisis hold written as cancelled "
            "(carecal hold list)"
        )
