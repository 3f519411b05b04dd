"""Shared pieces of the command line: parameter types, the --db option, output helpers."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import wraps

import click

from calendar_data.models import CATEGORIES, REGIONS, Channel, ContentType, Kind, Status
from calendar_data.quarters import parse_quarter, quarter_bounds
from calendar_data.recurrence import WEEKDAYS


class DateParam(click.ParamType):
    """An ISO date (YYYY-MM-DD), or `today`/`tomorrow`/`yesterday`."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        text = str(value).strip().lower()
        today = context_today(ctx)
        relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
        if text in relative:
            return today + timedelta(days=relative[text])
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            self.fail(f"{value!r} is not a valid date (YYYY-MM-DD): {exc}", param, ctx)


class TimeParam(click.ParamType):
    """A 24-hour time, HH:MM."""

    name = "time"

    def convert(self, value, param, ctx):
        if isinstance(value, time):
            return value
        try:
            parsed = datetime.strptime(str(value).strip(), "%H:%M")
        except ValueError:
            self.fail(f"{value!r} is not a time (HH:MM, 24-hour)", param, ctx)
        return parsed.time()


class QuarterParam(click.ParamType):
    """A quarter such as 2027Q1; converts to (first day, last day)."""

    name = "quarter"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return quarter_bounds(*parse_quarter(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()
TIME = TimeParam()
QUARTER = QuarterParam()
# The CLI's choice lists, each built once from the data layer's own vocabulary. Two live beside
# their only command so a listing need not import their module: consent media (tui.cli.compliance
# MEDIUM) and what an import becomes (tui.cli.ics_import IMPORT_AS_CHOICE).
CHANNEL = click.Choice([c.value for c in Channel], case_sensitive=False)
STATUS = click.Choice([s.value for s in Status], case_sensitive=False)
CONTENT_TYPE = click.Choice([t.value for t in ContentType], case_sensitive=False)
REGION = click.Choice(REGIONS, case_sensitive=False)
CATEGORY = click.Choice(CATEGORIES, case_sensitive=False)
KIND = click.Choice([k.value for k in Kind])
WEEKDAY = click.Choice(list(WEEKDAYS), case_sensitive=False)
POST_ID = click.IntRange(1, 2**63 - 1)  # SQLite's INTEGER range: a bigger id is refused by name
_REGION_CASE = {r.casefold(): r for r in REGIONS}


def region_names(regions: Iterable[str]) -> tuple[str, ...]:
    """Regions as typed (`us`, `Uk`) spelled as the data layer spells them (`US`, `UK`)."""
    return tuple(_REGION_CASE[r.casefold()] for r in regions)


def context_today(ctx: click.Context | None) -> date:
    """'Today' for this invocation: the hidden --today option or $CARECAL_TODAY (tests), else the clock."""
    root = ctx.find_root() if ctx else None
    chosen = (root.params.get("today") if root else None) or os.environ.get("CARECAL_TODAY")
    if chosen:
        return chosen if isinstance(chosen, date) else date.fromisoformat(chosen)
    return date.today()


def context_now(ctx: click.Context | None) -> datetime | None:
    """Now for this invocation, or None when 'today' is pretended (then checks go by that day's end)."""
    root = ctx.find_root() if ctx else None
    if (root.params.get("today") if root else None) or os.environ.get("CARECAL_TODAY"):
        return None
    from calendar_data.storage.connection import utcnow

    return utcnow()


def acting_name(ctx: click.Context | None, given: str | None = None) -> str | None:
    """Who is acting: the command's --as, else the root `carecal --as NAME`, else None (config.toml
    `user`, then the OS login, as `settings.current_user` decides when the change is logged)."""
    if given and given.strip():
        return " ".join(given.split())
    root = ctx.find_root() if ctx else None
    chosen = root.params.get("acting") if root else None
    return " ".join(chosen.split()) if chosen and chosen.strip() else None


def db_option(func: Callable) -> Callable:
    """`--db PATH` on a subcommand, overriding the group's --db and $CARECAL_DB."""

    @click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=True, path_type=str),
        default=None,
        help="Calendar database file (default: $CARECAL_DB or the user data dir).",
        expose_value=True,
    )
    @wraps(func)
    def wrapper(*args, db_path=None, **kwargs):
        if db_path:
            click.get_current_context().find_root().meta["db_path"] = db_path
        return func(*args, **kwargs)

    return wrapper


def emit_json(rows: Iterable[dict]) -> None:
    """Print a JSON array (the --json contract), UTF-8, one object per line.

    One compact object per line stays readable and greppable, and avoids
    `indent=`, which makes the json module fall back to its slow pure-Python
    encoder (a 10,000-post year lists ~1.4x faster).
    """
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    lines = [encode(row) for row in rows]
    if not lines:
        click.echo("[]")
        return
    click.echo("[\n" + ",\n".join(lines) + "\n]")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may run as a formula when a cell begins with it (CSV injection)."""


def csv_cell(value: object) -> str:
    """A value as a CSV cell that a spreadsheet shows as text, never runs: a formula start gets a `'`."""
    text = (
        ""
        if value is None
        else " ".join(map(str, value))
        if isinstance(value, list | tuple)
        else str(value)
    )
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def emit_csv(rows: list[dict]) -> None:
    """Print rows as CSV with a header (lists joined with spaces; formula-like cells neutralised)."""
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})


def emit_table(rows: list[list[str]], headers: list[str]) -> None:
    """Print aligned columns; the last column is never padded."""
    if not rows:
        return
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]
    for row in [headers, *rows]:
        cells = [str(c).ljust(w) for c, w in zip(row, widths, strict=False)] + [str(row[-1])]
        click.echo("  ".join(cells).rstrip())


def warn(message: str) -> None:
    """A `warning:` line on stderr (never mixed into --json output)."""
    click.echo(f"warning: {message}", err=True)
