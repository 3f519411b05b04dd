"""`carecal metrics ...` and `carecal report`: analytics back into the plan, and what struck a chord.

Thin faces over calendar_data.publish.metrics and .report (the TUI's results
screen calls the same `performance`). A malformed file is one line naming the
file, line and column, exit 2, nothing imported; unmatched rows are listed,
never dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tui.cli.context import calendar_db
from tui.cli.params import DATE, POST_ID, context_today, db_option, emit_json, emit_table, warn
from tui.cli.publish import command_now

ROW_ID = click.IntRange(1, 2**63 - 1)
SHOWN = 20
"""Unmatched rows named one by one on import; the rest are counted (all are kept for review)."""


@click.group()
def metrics() -> None:
    """Import post-level analytics, review how rows matched posts, fix a match."""


@metrics.command("import")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--exported-on",
    type=DATE,
    default=None,
    help="The export's date when the file has none (default: today).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the rows and how each matched, as JSON."
)
@click.option("--as", "who", help="Name recorded in the change log.")
@click.pass_context
def import_(ctx, file, exported_on, as_json, who) -> None:
    """Read a metrics file and match each row to its post (by URL, else time and copy)."""
    from calendar_data.publish.metrics import import_metrics

    result = import_metrics(
        calendar_db(write=True),
        file,
        today=exported_on or context_today(ctx),
        now=command_now(ctx),
        who=who,
    )
    if as_json:
        emit_json(
            [
                *(
                    {
                        "line": r.line,
                        "channel": r.channel.value,
                        "post_id": m.post_id,
                        "method": m.method,
                        "score": round(m.score, 3) if m.score is not None else None,
                    }
                    for r, m in result.matches
                ),
                *(
                    {
                        "line": r.line,
                        "channel": r.channel.value,
                        "post_id": None,
                        "method": None,
                        "score": None,
                    }
                    for r in result.unmatched
                ),
            ]
        )
        return
    for row, match in result.matches:
        if match.method == "similarity":
            click.echo(
                f"~ line {row.line}: {row.channel} -> post {match.post_id} by copy similarity "
                f"{match.score:.2f} ({row.excerpt[:50]!r})"
            )
    for row in result.unmatched[:SHOWN]:
        when = f" {row.published_at:%Y-%m-%d %H:%M}Z" if row.published_at else ""
        warn(
            f"line {row.line}: {row.channel}{when} {row.excerpt[:50]!r} matched no post "
            "(kept as unmatched: carecal metrics matches --status unmatched)"
        )
    if len(result.unmatched) > SHOWN:
        warn(
            f"... and {len(result.unmatched) - SHOWN} more unmatched rows (carecal metrics matches --status unmatched)"
        )
    click.echo(
        f"imported {result.rows} rows ({result.format} format) from {result.where}: {result.by_url} matched "
        f"by URL, {result.by_similarity} by copy similarity, {len(result.unmatched)} unmatched"
    )


@metrics.command("matches")
@db_option
@click.option(
    "--status",
    type=click.Choice(["matched", "unmatched", "rejected"]),
    help="Only rows in this state.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def matches(status, as_json) -> None:
    """Every imported row: the post it matched, how, and the score (weakest matches first)."""
    from calendar_data.publish.metrics import review_rows

    found = review_rows(calendar_db(), status=status)
    if as_json:
        emit_json(r.to_json() for r in found)
        return
    if not found:
        click.echo("no imported metrics (carecal metrics import FILE)", err=True)
    emit_table(
        [
            [
                str(r.id),
                r.status,
                r.channel.value,
                str(r.post_id or "-"),
                r.method or "-",
                "-" if r.score is None else f"{r.score:.2f}",
                str(r.impressions or 0),
                str(r.engagements),
                (r.post_title or r.excerpt)[:50],
            ]
            for r in found
        ],
        ["ROW", "STATUS", "CHANNEL", "POST", "BY", "SCORE", "IMPR", "ENG", "POST / COPY"],
    )


@metrics.command("reject")
@db_option
@click.argument("row_id", type=ROW_ID)
@click.option("--as", "who", help="Name recorded in the change log.")
def reject(row_id, who) -> None:
    """Mark a match wrong: the row stays on record but counts for no post."""
    from calendar_data.publish.metrics import reject_row

    row = reject_row(calendar_db(write=True), row_id, who=who)
    click.echo(f"row {row.id} rejected (was matched to post {row.post_id or '-'})")


@metrics.command("assign")
@db_option
@click.argument("row_id", type=ROW_ID)
@click.argument("post_id", type=POST_ID)
@click.option("--as", "who", help="Name recorded in the change log.")
def assign(row_id, post_id, who) -> None:
    """Match a row to a post by hand (an unmatched row, or one matched wrongly)."""
    from calendar_data.publish.metrics import assign_row

    row = assign_row(calendar_db(write=True), row_id, post_id, who=who)
    click.echo(f"row {row.id} matched to post {row.post_id} ({row.post_title})")


@metrics.command("template")
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    default="-",
    help="Where to write the template's header row ('-': standard output).",
)
def template(output) -> None:
    """The carecal metrics template's header row (fill it from any network's post analytics)."""
    from calendar_data.publish.metrics_formats import template_bytes

    _write(output, template_bytes())


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from calendar_data.ical.export import write_atomic
    from calendar_data.storage.outputs import check_output

    root = click.get_current_context().find_root()
    target = check_output(root.meta["db"], output) if "db" in root.meta else Path(output)
    write_atomic(target, data)
    click.echo(f"wrote {output}", err=True)


@click.command("report")
@db_option
@click.option(
    "--from",
    "start",
    type=DATE,
    required=True,
    help="First day of the period (posts dated from it).",
)
@click.option("--to", "end", type=DATE, required=True, help="Last day (inclusive).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Markdown, a self-contained HTML page with charts, or JSON.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    default="-",
    help="File to write ('-': standard output).",
)
def report(start, end, fmt, output) -> None:
    """Engagement rate by content type, tag, campaign, observance, channel, weekday and hour; best and worst posts."""
    import json

    from calendar_data.publish.report import performance
    from calendar_data.publish.report_render import to_html, to_json, to_markdown

    if end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="'--to'")
    perf = performance(calendar_db(), start, end)
    if not perf.results:
        warn(f"no matched metrics for posts dated {start} to {end} (carecal metrics import FILE)")
    if fmt == "json":
        text = json.dumps(to_json(perf), ensure_ascii=False, indent=1) + "\n"
    else:
        text = to_html(perf) if fmt == "html" else to_markdown(perf) + "\n"
    _write(output, text.encode("utf-8"))
