"""Observances, campaigns, tags and settings from the command line."""

from __future__ import annotations

from dataclasses import replace

import click

from calendar_data.json_rows import campaign_row, occurrence_row, tag_row
from calendar_data.models import Campaign, Filters
from calendar_data.rule_words import describe
from tui.cli.context import open_context_db
from tui.cli.params import (
    CATEGORY,
    DATE,
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


def _db(*, write: bool = False):
    """This invocation's calendar; only a write command may create a missing file."""
    return open_context_db(create=write)


def _filters(regions, categories, staff: bool = False) -> Filters:
    return Filters(regions=region_names(regions), categories=tuple(c.lower() for c in categories), staff=staff)


STAFF = click.option("--staff", is_flag=True, help="Only staff and service recognition observances.")


@click.command()
@db_option
@click.option("--days", type=click.IntRange(0, 3660), default=30, show_default=True, help="How far ahead to look.")
@click.option("--region", "regions", type=REGION, multiple=True, help="Only these regions (default: settings).")
@click.option("--category", "categories", type=CATEGORY, multiple=True, help="Only these categories.")
@STAFF
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(("json", "text", "markdown")),
              help="json, or a text/markdown digest with each observance's planned posts.")
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
    found = find_upcoming(db, context_today(ctx), days, filters=_filters(regions, categories, staff))
    if as_json or fmt == "json":
        emit_json(occurrence_row(u.occurrence) | {"days_until": u.days_until, "starred": u.starred}
                  for u in found)
        return
    emit_table(
        [[("today" if u.days_until == 0 else f"in {u.days_until}d"), u.occurrence.start.isoformat(),
          u.occurrence.end.isoformat(), str(u.occurrence.observance.kind),
          ("* " if u.starred else "") + u.occurrence.observance.name, " ".join(u.occurrence.hashtags)]
         for u in found],
        ["WHEN", "START", "END", "KIND", "NAME", "HASHTAGS"],
    )


@click.group(invoke_without_command=True)
@db_option
@click.option("--year", type=click.IntRange(1990, 2100), help="List the occurrences that start in this year.")
@click.option("--region", "regions", type=REGION, multiple=True, help="Only these regions (default: all).")
@click.option("--category", "categories", type=CATEGORY, multiple=True, help="Only these categories.")
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
    chosen = visible_observances(all_observances(db), _filters(regions, categories, staff), Settings(regions=()))
    for missing in unannounced(chosen, year):
        warn(f"{missing.name} ({missing.id}): no announced date for {year} yet")
    rows = [occurrence_row(o) for o in occurrences_in_year(chosen, year)]
    if as_json:
        emit_json(rows)
    elif as_csv:
        emit_csv(rows)
    else:
        emit_table([[r["start"], r["end"], r["kind"], r["name"], " ".join(r["hashtags"])] for r in rows],
                   ["START", "END", "KIND", "NAME", "HASHTAGS"])


@observances.command("add")
@db_option
@click.option("--id", "obs_id", required=True, help="Stable kebab-case id, e.g. mercy-founders-day.")
@click.option("--name", required=True, help="The name as people write it.")
@click.option("--kind", type=KIND, default="day", show_default=True, help="How long it lasts.")
@click.option("--date", "on", help="Fixed day MM-DD.")
@click.option("--start", help="Fixed range start MM-DD (with --end).")
@click.option("--end", help="Fixed range end MM-DD.")
@click.option("--month", type=click.IntRange(1, 12), help="Whole month, or the month of --weekday/--nth.")
@click.option("--weekday", type=WEEKDAY, help="The weekday of an nth-weekday rule (with --month and --nth).")
@click.option("--nth", type=int, help="1..5, or -1 for the last.")
@click.option("--category", type=CATEGORY, required=True, help="The observance's category.")
@click.option("--region", "regions", type=REGION, multiple=True, help="Default: global.")
@click.option("--hashtag", "hashtags", multiple=True, help="A hashtag for its posts (repeat).")
@click.option("--organisation", default="our organisation", show_default=True, help="Who runs it.")
@click.option("--source", default="https://example.org/", help="Where the date comes from.")
def observance_add(obs_id, name, kind, on, start, end, month, weekday, nth, category, regions, hashtags,
                   organisation, source) -> None:
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
        raise click.UsageError("give a date rule: --date MM-DD, --start/--end, --month, or --month/--weekday/--nth")
    observance = add_custom_observance(_db(write=True), {
        "id": obs_id, "name": name, "kind": kind, "rule": rule, "category": category.lower(),
        "regions": list(region_names(regions)) or ["global"],
        "hashtags": [h if h.startswith("#") else f"#{h}" for h in hashtags],
        "organisation": organisation, "source": source})
    click.echo(f"added {observance.id}: {describe(observance.rule)}")


@observances.command("rm")
@db_option
@click.argument("observance_id")
def observance_rm(observance_id: str) -> None:
    """Remove one of your own observances."""
    from calendar_data.observances import remove_custom_observance

    remove_custom_observance(_db(write=True), observance_id)
    click.echo(f"removed {observance_id}")


def _preference_command(flag: str, help_text: str, on_word: str, off_word: str) -> click.Command:
    """`observances star|mute ID [--off]`: the two flags a team sets on any observance."""

    @observances.command(flag, help=help_text)
    @db_option
    @click.argument("observance_id")
    @click.option("--off", is_flag=True, help=f"Undo: {off_word}.")
    def command(observance_id: str, off: bool) -> None:
        from calendar_data.observances import set_preference

        set_preference(_db(write=True), observance_id, **{"starred" if flag == "star" else "muted": not off})
        click.echo(f"{off_word if off else on_word} {observance_id}")

    return command


_preference_command("star", "Star an observance your team plans around.", "starred", "unstarred")
_preference_command("mute", "Hide an observance from calendars, lists and exports.", "muted", "unmuted")


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--all", "include_archived", is_flag=True, help="Include archived campaigns.")
@click.pass_context
def campaigns(ctx, as_json, include_archived) -> None:
    """List campaigns (or list/add/archive with a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    _list_campaigns(as_json, include_archived)


@campaigns.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--all", "include_archived", is_flag=True, help="Include archived campaigns.")
def campaign_list(as_json, include_archived) -> None:
    """List campaigns: name, dates, goal, colour, tags, post count."""
    _list_campaigns(as_json, include_archived)


def _list_campaigns(as_json: bool, include_archived: bool) -> None:
    from calendar_data.campaigns import campaign_post_counts, list_campaigns

    db = _db()
    counts = campaign_post_counts(db)
    found = list_campaigns(db, include_archived=include_archived)
    rows = [campaign_row(c, posts=counts.get(c.name, 0)) for c in found]
    if as_json:
        emit_json(rows)
    else:
        emit_table([[r["start"] or "", r["end"] or "", str(r["posts"]), r["name"]] for r in rows],
                   ["START", "END", "POSTS", "NAME"])


@campaigns.command("add")
@db_option
@click.argument("name")
@click.option("--start", type=DATE, help="First day of the campaign.")
@click.option("--end", type=DATE, help="Last day of the campaign.")
@click.option("--goal", default="", help="What the campaign is for, in a line.")
@click.option("--colour", default="", help="Colour of its band in the app (a colour name or #hex).")
@click.option("--tag", "tags", multiple=True, help="A tag its posts usually carry (repeat).")
def campaign_add(name, start, end, goal, colour, tags) -> None:
    """Create a campaign."""
    from calendar_data.campaigns import add_campaign

    campaign = add_campaign(_db(write=True), Campaign(name=name, start=start, end=end, goal=goal, colour=colour, tags=tags))
    click.echo(f"added campaign {campaign.name}")


@campaigns.command("archive")
@db_option
@click.argument("name")
def campaign_archive(name) -> None:
    """Archive a campaign (its posts keep it)."""
    from calendar_data.campaigns import get_campaign, update_campaign

    db = _db(write=True)
    update_campaign(db, replace(get_campaign(db, name), archived=True))
    click.echo(f"archived campaign {name}")


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def tags(ctx, as_json) -> None:
    """List tags with counts (or rename, merge, remove with a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    from calendar_data.tags import list_tags

    found = list_tags(_db())
    if as_json:
        emit_json(tag_row(t) for t in found)
    else:
        emit_table([[str(t.count), t.name] for t in found], ["POSTS", "TAG"])


@tags.command("rename")
@db_option
@click.argument("old")
@click.argument("new")
def tag_rename(old, new) -> None:
    """Rename a tag on every post (onto an existing tag: merge)."""
    from calendar_data.tags import rename_tag

    rename_tag(_db(write=True), old, new)
    click.echo(f"renamed {old} -> {new}")


@tags.command("rm")
@db_option
@click.argument("name")
def tag_rm(name) -> None:
    """Remove a tag from every post."""
    from calendar_data.tags import delete_tag

    click.echo(f"removed {name} from {delete_tag(_db(write=True), name)} posts")


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of {key, value} objects.")
@click.pass_context
def settings(ctx, as_json) -> None:
    """Show the team settings (or change one: carecal settings set KEY VALUE)."""
    if ctx.invoked_subcommand is not None:
        return
    from calendar_data.storage.settings_table import load_settings

    values = load_settings(_db()).to_json()
    if as_json:
        emit_json({"key": key, "value": value} for key, value in values.items())
        return
    for key, value in values.items():
        click.echo(f"{key} = {', '.join(map(str, value)) if isinstance(value, list) else value}")


@settings.command("set")
@db_option
@click.argument("key")
@click.argument("value", nargs=-1)
def settings_set(key: str, value: tuple[str, ...]) -> None:
    """Set KEY to VALUE (list settings take several values; none clears them)."""
    from calendar_data.public_holidays import check_region
    from calendar_data.settings import Settings
    from calendar_data.storage.settings_table import load_settings
    from calendar_data.team_settings import change_settings

    db = _db(write=True)
    current = load_settings(db)
    fields = Settings.__dataclass_fields__
    if key not in fields:
        raise click.BadParameter(f"unknown setting {key!r} (one of {', '.join(fields)})", param_hint="KEY")
    default = getattr(Settings(), key)
    if isinstance(default, tuple):
        new = tuple(value)
    elif key == "first_weekday":
        try:
            new = int(value[0])
        except (IndexError, ValueError):
            raise click.BadParameter("first_weekday takes 0 (Monday) to 6 (Sunday)", param_hint="VALUE") from None
    else:
        new = " ".join(value) or None
    updated = replace(current, **{key: new})
    if key in ("country", "subdivision"):
        check_region(updated.country, updated.subdivision)
    change = change_settings(db, updated)
    click.echo(f"{key} = {new}")
    if change.moved_posts:
        warn(f"{change.moved_posts} timed posts keep their wall-clock times in {change.settings.timezone}, so "
             "each now falls at another instant; exports and feeds carry the change")
    for line in change.nonexistent:
        warn(line)


COMMANDS = (upcoming, observances, campaigns, tags, settings)
