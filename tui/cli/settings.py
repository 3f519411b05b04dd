"""`carecal settings [set KEY VALUE]`: the team settings stored in the calendar file.

A change goes through `team_settings.change_settings`, as the app's settings do, so a new time
zone or region is checked and its effect on timed posts is said on stderr.
"""

from __future__ import annotations

from dataclasses import replace

import click

from tui.cli.context import calendar_db
from tui.cli.params import db_option, emit_json, warn


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of {key, value} objects.")
@click.pass_context
def settings(ctx, as_json) -> None:
    """Show the team settings (or change one: carecal settings set KEY VALUE)."""
    if ctx.invoked_subcommand is not None:
        return
    from calendar_data.storage.settings_table import load_settings

    values = load_settings(calendar_db()).to_json()
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

    db = calendar_db(write=True)
    current = load_settings(db)
    fields = Settings.__dataclass_fields__
    if key not in fields:
        raise click.BadParameter(
            f"unknown setting {key!r} (one of {', '.join(fields)})", param_hint="KEY"
        )
    default = getattr(Settings(), key)
    if isinstance(default, tuple):
        new = tuple(value)
    elif key == "first_weekday":
        try:
            new = int(value[0])
        except (IndexError, ValueError):
            raise click.BadParameter(
                "first_weekday takes 0 (Monday) to 6 (Sunday)", param_hint="VALUE"
            ) from None
    else:
        new = " ".join(value) or None
    updated = replace(current, **{key: new})
    if key in ("country", "subdivision"):
        check_region(updated.country, updated.subdivision)
    change = change_settings(db, updated)
    click.echo(f"{key} = {new}")
    if change.moved_posts:
        warn(
            f"{change.moved_posts} timed posts keep their wall-clock times in {change.settings.timezone}, so "
            "each now falls at another instant; exports and feeds carry the change"
        )
    for line in change.nonexistent:
        warn(line)
