"""`carecal feeds ...` and `carecal serve`: saved exports and the server calendars subscribe to.

A feed is a named export scope (`export_scope`) with a file and a secret server path; `serve`
publishes every saved feed read-only over HTTP (`ical.feed_server`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tui.cli.context import calendar_db
from tui.cli.export_scope import (
    date_range,
    parse_include,
    report_export,
    scope_filters,
    scope_options,
)
from tui.cli.params import DATE, QUARTER, context_today, db_option, emit_json, emit_table, warn


@click.group()
def feeds() -> None:
    """Saved exports: add, list, remove and build them (serve them with `carecal serve`)."""


@feeds.command("add")
@db_option
@click.argument("name")
@click.option("--quarter", type=QUARTER, help="A fixed quarter such as 2027Q1.")
@click.option("--from", "start", type=DATE, help="Fixed first day.")
@click.option("--to", "end", type=DATE, help="Fixed last day.")
@click.option(
    "--next-days", type=click.IntRange(0, 3700), help="A moving window: today to N days ahead."
)
@click.option(
    "--past-days", type=click.IntRange(0, 3700), default=0, help="...starting N days before today."
)
@scope_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file `feeds build` writes (default: feeds/NAME.ics beside the database).",
)
@click.pass_context
def feeds_add(
    ctx,
    name,
    quarter,
    start,
    end,
    next_days,
    past_days,
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
    output,
) -> None:
    """Save a named export, e.g. "Q1 campaigns for Outlook" or "Cardiology team"."""
    from calendar_data.ical.feeds import Feed, Scope, add_feed, default_feed_path

    if next_days is not None:
        if quarter or start or end:
            raise click.UsageError(
                "give fixed dates (--quarter, --from/--to) or --next-days, not both"
            )
        scope = Scope(next_days=next_days, past_days=past_days)
    else:
        scope = Scope(*date_range(quarter, start, end))
    db = calendar_db(write=True)
    folder = Path(ctx.find_root().meta["db_file"]).resolve().parent / "feeds"
    path = output or default_feed_path(db, folder, name)
    feed = add_feed(
        db,
        Feed(
            name=name,
            scope=scope,
            include=parse_include(include),
            alarm_days=alarm_days,
            include_blocked=include_blocked,
            filters=scope_filters(campaign, tags, channels, statuses, regions, categories, text),
            path=str(Path(path).expanduser().resolve()),
        ),
    )
    click.echo(f"added feed {feed.name!r}: {feed.scope.describe()} -> {feed.path}")
    click.echo(f"server path: {feed.url_path}")
    if include_blocked:
        warn(
            f"feed {feed.name!r} serves posts with blocking compliance findings WITH their copy "
            "(--include-blocked)"
        )


@feeds.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def feeds_list(as_json) -> None:
    """Saved feeds, their scope, file and server path."""
    from calendar_data.ical.feeds import list_feeds

    found = list_feeds(calendar_db())
    rows = [
        {
            "name": f.name,
            "scope": f.scope.describe(),
            "include": list(f.include),
            "path": f.path,
            "url_path": f.url_path,
            "alarm_days": f.alarm_days,
            "include_blocked": f.include_blocked,
        }
        for f in found
    ]
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("no feeds (add one: carecal feeds add NAME --quarter 2027Q1)", err=True)
    else:
        emit_table(
            [[r["name"], r["scope"], r["url_path"], r["path"] or ""] for r in rows],
            ["NAME", "SCOPE", "SERVER PATH", "FILE"],
        )


@feeds.command("rm")
@db_option
@click.argument("name")
def feeds_rm(name) -> None:
    """Delete a saved feed (its server URL stops working; its file stays)."""
    from calendar_data.ical.feeds import remove_feed

    feed = remove_feed(calendar_db(write=True), name)
    click.echo(f"removed feed {feed.name!r}")


@feeds.command("rotate")
@db_option
@click.argument("name")
def feeds_rotate(name) -> None:
    """Give a feed a new secret server URL (subscribers must subscribe again)."""
    from calendar_data.ical.feeds import rotate_token

    feed = rotate_token(calendar_db(write=True), name)
    click.echo(f"new server path for {feed.name!r}: {feed.url_path}")


@feeds.command("build")
@db_option
@click.argument("name", required=False)
@click.pass_context
def feeds_build(ctx, name) -> None:
    """Write one feed's file (or every feed's, with no NAME)."""
    from calendar_data.ical.feeds import build_feed, get_feed, list_feeds

    db = calendar_db(write=True)
    chosen = [get_feed(db, name)] if name else list_feeds(db)
    if not chosen:
        raise click.UsageError("no feeds yet (add one: carecal feeds add NAME --quarter 2027Q1)")
    today = context_today(ctx)
    for feed in chosen:
        result = build_feed(db, feed, today=today)
        click.echo(f"{feed.name}: {result.events} events -> {result.path}")
        report_export(result.held, result.on_hold, prefix=f"{feed.name}: ")


@click.command("serve")
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback by default).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port (0: any free one).",
)
@click.pass_context
def serve(ctx, host, port) -> None:
    """Serve every saved feed over HTTP so calendars can subscribe (read-only; Ctrl-C stops)."""
    import logging

    from calendar_data.awareness import curated_path
    from calendar_data.ical.feed_server import FeedApp, is_loopback, make_server
    from calendar_data.ical.feeds import list_feeds

    db = calendar_db()
    found = list_feeds(db)
    root = ctx.find_root()
    fixed_today = root.params.get("today")
    today = (lambda: fixed_today) if fixed_today else (lambda: context_today(None))

    def awareness_stamp():
        from datetime import UTC, datetime

        try:
            return datetime.fromtimestamp(int(curated_path().stat().st_mtime), UTC)
        except OSError:
            return None

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if not is_loopback(host):
        warn(
            f"listening on {host}: anyone who can reach this address and knows a feed URL can read it "
            "(plain HTTP, no password; the token in the URL is the only key)"
        )
    server = make_server(
        FeedApp(root.meta["db_file"], today=today, data_stamp=awareness_stamp), host=host, port=port
    )
    base = f"http://{'[' + host + ']' if ':' in host else host}:{server.effective_port}"
    click.echo(
        f"serving {len(found)} feed{'s' if len(found) != 1 else ''} on {base} (Ctrl-C stops)"
    )
    for feed in found:
        click.echo(f"  {feed.name}: {base}{feed.url_path}")
    if not found:
        warn("no saved feeds yet: add one with carecal feeds add NAME --next-days 90")
    try:
        server.run()
    finally:
        server.close()
