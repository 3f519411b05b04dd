"""`carecal export`: one iCalendar file (or a publisher's bulk-upload CSV) from the agenda.

The file is the one the app's export dialog and the saved feeds write: the same
`ical.export` functions, the same scope options (`export_scope`).
"""

from __future__ import annotations

import sys

import click

from tui.cli.context import calendar_db
from tui.cli.export_scope import (
    date_range,
    parse_include,
    report_export,
    scope_filters,
    scope_options,
)
from tui.cli.params import DATE, QUARTER, context_today, db_option, warn


def _now():
    from calendar_data.storage.connection import utcnow

    return utcnow()


@click.command("export")
@db_option
@click.option("--quarter", type=QUARTER, help="A quarter such as 2027Q1.")
@click.option("--from", "start", type=DATE, help="First day (inclusive).")
@click.option("--to", "end", type=DATE, help="Last day (inclusive).")
@scope_options
@click.option(
    "--name", default="carecal", show_default=True, help="Calendar name shown by Outlook/Google."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ics", "sprout", "hootsuite", "buffer", "later"]),
    default="ics",
    show_default=True,
    help="iCalendar, or a publisher's bulk-upload CSV (docs/publishing.md).",
)
@click.option(
    "--date-order",
    type=click.Choice(["mdy", "dmy"]),
    default=None,
    help="Bulk CSV dates as mm/dd/yyyy or dd/mm/yyyy, as set in Sprout (default: from the country).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="The .ics file to write ('-' for standard output); for CSV formats, the base file name.",
)
@click.pass_context
def export(
    ctx,
    quarter,
    start,
    end,
    include,
    campaign,
    tags,
    channels,
    statuses,
    regions,
    categories,
    text,
    alarm_days,
    include_blocked,
    name,
    fmt,
    date_order,
    output,
) -> None:
    """Write an iCalendar (.ics) file that Outlook, Google and Apple calendars import, or a publisher CSV.

    A post with a blocking compliance finding keeps its slot (date, time, channels,
    status) but not its copy unless --include-blocked; posts under a crisis hold are
    written as cancelled.
    """
    from calendar_data.ical.export import ExportSpec

    start, end = date_range(quarter, start, end)
    if fmt != "ics":  # publisher bulk-upload CSVs: tui/cli/publish.py
        from tui.cli.publish import export_bulk

        return export_bulk(
            fmt,
            start,
            end,
            scope_filters(campaign, tags, channels, statuses, regions, categories, text),
            output,
            date_order,
        )
    spec = ExportSpec(
        start,
        end,
        include=parse_include(include),
        alarm_days=alarm_days,
        name=name,
        filters=scope_filters(campaign, tags, channels, statuses, regions, categories, text),
        include_blocked=include_blocked,
    )
    _write_ics(spec, output, today=context_today(ctx))


def _write_ics(spec, output: str, *, today) -> None:
    """Write `spec` to `output` (or standard output for '-'); notes and what was held back on stderr."""
    from calendar_data.ical.export import export_notes, render_export, write_export

    db = calendar_db()
    for note in export_notes(db, spec):
        warn(note)
    if output == "-":
        data, report, on_hold = render_export(db, spec, now=_now(), today=today)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        report_export(report, on_hold)
        return
    result = write_export(db, spec, output, now=_now(), today=today)
    click.echo(f"wrote {result.events} events ({spec.start} to {spec.end}) to {result.path}")
    report_export(result.held, result.on_hold)
    if not result.events:
        warn("the file holds no events (check the dates and filters)")
