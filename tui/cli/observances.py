"""`carecal upcoming` and `carecal observances ...`: the awareness days a team plans around.

Both list the curated observances (and the team's own) through the same filters the app's
awareness browser uses; `observances add/rm/star/mute` manage the team's own and its choices.
"""

from __future__ import annotations

import click

from calendar_data.json_rows import occurrence_row
from calendar_data.models import Filters
from calendar_data.rule_words import describe
from tui.cli.context import calendar_db, open_context_db
from tui.cli.params import (
    CATEGORY,
    KIND,
    REGION,
    WEEKDAY,
    context_today,
    db_option,
    emit_csv,
    emit_json,
    emit_table,
    region_names,
    warn,
)


def _filters(regions, categories, staff: bool = False) -> Filters:
    return Filters(
        regions=region_names(regions), categories=tuple(c.lower() for c in categories), staff=staff
    )


STAFF = click.option(
    "--staff", is_flag=True, help="Only staff and service recognition observances."
)


@click.command()
@db_option
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=30,
    show_default=True,
    help="How far ahead to look.",
)
@click.option(
    "--region",
    "regions",
    type=REGION,
    multiple=True,
    help="Only these regions (default: settings).",
)
@click.option(
    "--category", "categories", type=CATEGORY, multiple=True, help="Only these categories."
)
@STAFF
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (same as --format json).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("json", "text", "markdown")),
    help="json, or a text/markdown digest with each observance's planned posts.",
)
@click.pass_context
def upcoming(ctx, days, regions, categories, staff, as_json, fmt) -> None:
    """Awareness observances running now or starting in the next N days."""
    from calendar_data.agenda import upcoming as find_upcoming

    db = open_context_db(memory_if_missing=True)
    if fmt in ("text", "markdown"):
        from calendar_data.digest import digest

        if as_json:
            raise click.UsageError("--json and --format text/markdown are exclusive")
        filters = _filters(regions, categories, staff)
        click.echo(digest(db, context_today(ctx), days, fmt=fmt, filters=filters), nl=False)
        return
    found = find_upcoming(
        db, context_today(ctx), days, filters=_filters(regions, categories, staff)
    )
    if as_json or fmt == "json":
        emit_json(
            occurrence_row(u.occurrence) | {"days_until": u.days_until, "starred": u.starred}
            for u in found
        )
        return
    emit_table(
        [
            [
                ("today" if u.days_until == 0 else f"in {u.days_until}d"),
                u.occurrence.start.isoformat(),
                u.occurrence.end.isoformat(),
                str(u.occurrence.observance.kind),
                ("* " if u.starred else "") + u.occurrence.observance.name,
                " ".join(u.occurrence.hashtags),
            ]
            for u in found
        ],
        ["WHEN", "START", "END", "KIND", "NAME", "HASHTAGS"],
    )


@click.group(invoke_without_command=True)
@db_option
@click.option(
    "--year", type=click.IntRange(1990, 2100), help="List the occurrences that start in this year."
)
@click.option(
    "--region", "regions", type=REGION, multiple=True, help="Only these regions (default: all)."
)
@click.option(
    "--category", "categories", type=CATEGORY, multiple=True, help="Only these categories."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@STAFF
@click.pass_context
def observances(ctx, year, regions, categories, as_json, as_csv, staff) -> None:
    """Every observance of a year (or manage your own with a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        raise click.UsageError("give --year YYYY (or a subcommand: add, rm, star, mute)")
    from calendar_data.agenda import visible_observances
    from calendar_data.awareness import occurrences_in_year, unannounced
    from calendar_data.observances import all_observances
    from calendar_data.settings import Settings

    db = open_context_db(memory_if_missing=True)
    chosen = visible_observances(
        all_observances(db), _filters(regions, categories, staff), Settings(regions=())
    )
    for missing in unannounced(chosen, year):
        warn(f"{missing.name} ({missing.id}): no announced date for {year} yet")
    rows = [occurrence_row(o) for o in occurrences_in_year(chosen, year)]
    if as_json:
        emit_json(rows)
    elif as_csv:
        emit_csv(rows)
    else:
        emit_table(
            [[r["start"], r["end"], r["kind"], r["name"], " ".join(r["hashtags"])] for r in rows],
            ["START", "END", "KIND", "NAME", "HASHTAGS"],
        )


@observances.command("add")
@db_option
@click.option(
    "--id", "obs_id", required=True, help="Stable kebab-case id, e.g. mercy-founders-day."
)
@click.option("--name", required=True, help="The name as people write it.")
@click.option("--kind", type=KIND, default="day", show_default=True, help="How long it lasts.")
@click.option("--date", "on", help="Fixed day MM-DD.")
@click.option("--start", help="Fixed range start MM-DD (with --end).")
@click.option("--end", help="Fixed range end MM-DD.")
@click.option(
    "--month", type=click.IntRange(1, 12), help="Whole month, or the month of --weekday/--nth."
)
@click.option(
    "--weekday", type=WEEKDAY, help="The weekday of an nth-weekday rule (with --month and --nth)."
)
@click.option("--nth", type=int, help="1..5, or -1 for the last.")
@click.option("--category", type=CATEGORY, required=True, help="The observance's category.")
@click.option("--region", "regions", type=REGION, multiple=True, help="Default: global.")
@click.option("--hashtag", "hashtags", multiple=True, help="A hashtag for its posts (repeat).")
@click.option("--organisation", default="our organisation", show_default=True, help="Who runs it.")
@click.option("--source", default="https://example.org/", help="Where the date comes from.")
def observance_add(
    obs_id,
    name,
    kind,
    on,
    start,
    end,
    month,
    weekday,
    nth,
    category,
    regions,
    hashtags,
    organisation,
    source,
) -> None:
    """Add one of your organisation's own observances."""
    from calendar_data.observances import add_custom_observance

    if on:
        rule = {"date": on}
    elif start or end:
        rule = {"start": start, "end": end}
    elif weekday or nth:
        rule = {"month": month, "weekday": (weekday or "").upper(), "nth": nth}
    elif month:
        rule = {"month": month}
    else:
        raise click.UsageError(
            "give a date rule: --date MM-DD, --start/--end, --month, or --month/--weekday/--nth"
        )
    observance = add_custom_observance(
        calendar_db(write=True),
        {
            "id": obs_id,
            "name": name,
            "kind": kind,
            "rule": rule,
            "category": category.lower(),
            "regions": list(region_names(regions)) or ["global"],
            "hashtags": [h if h.startswith("#") else f"#{h}" for h in hashtags],
            "organisation": organisation,
            "source": source,
        },
    )
    click.echo(f"added {observance.id}: {describe(observance.rule)}")


@observances.command("rm")
@db_option
@click.argument("observance_id")
def observance_rm(observance_id: str) -> None:
    """Remove one of your own observances."""
    from calendar_data.observances import remove_custom_observance

    remove_custom_observance(calendar_db(write=True), observance_id)
    click.echo(f"removed {observance_id}")


def _preference_command(flag: str, help_text: str, on_word: str, off_word: str) -> click.Command:
    """`observances star|mute ID [--off]`: the two flags a team sets on any observance."""

    @observances.command(flag, help=help_text)
    @db_option
    @click.argument("observance_id")
    @click.option("--off", is_flag=True, help=f"Undo: {off_word}.")
    def command(observance_id: str, off: bool) -> None:
        from calendar_data.observances import set_preference

        set_preference(
            calendar_db(write=True),
            observance_id,
            **{"starred" if flag == "star" else "muted": not off},
        )
        click.echo(f"{off_word if off else on_word} {observance_id}")

    return command


_preference_command("star", "Star an observance your team plans around.", "starred", "unstarred")
_preference_command(
    "mute", "Hide an observance from calendars, lists and exports.", "muted", "unmuted"
)
