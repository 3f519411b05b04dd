"""`carecal export`, `import`, `feeds` and `serve`: iCal files, saved feeds and subscriptions."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from calendar_data.agenda import KINDS
from calendar_data.ical.plan import IMPORT_AS
from calendar_data.models import Channel, Filters, Status
from tui.cli.context import open_context_db
from tui.cli.params import (
    CATEGORY,
    CHANNEL,
    DATE,
    QUARTER,
    REGION,
    STATUS,
    acting_name,
    context_now,
    context_today,
    db_option,
    emit_json,
    emit_table,
    region_names,
    warn,
)

IMPORT_AS_CHOICE = click.Choice(list(IMPORT_AS))


def _db(*, write: bool = False):
    """This invocation's calendar; only a write command may create a missing file."""
    return open_context_db(create=write)


def _filter_options(func):
    """Scope filters shared by `export` and `feeds add`."""
    options = [
        click.option("--include", default=",".join(KINDS), show_default=True,
                     help="What to include, comma-separated: posts, observances, holidays."),
        click.option("--campaign", help="Only posts of this campaign."),
        click.option("--tag", "tags", multiple=True, help="Only posts with this tag (repeat: all of them)."),
        click.option("--channel", "channels", type=CHANNEL, multiple=True, help="Only posts on this channel (repeat: any)."),
        click.option("--status", "statuses", type=STATUS, multiple=True, help="Only posts with this status (repeat: any)."),
        click.option("--region", "regions", type=REGION, multiple=True, help="Observance regions (default: settings)."),
        click.option("--category", "categories", type=CATEGORY, multiple=True, help="Only observances of this category."),
        click.option("--search", "text", default="", help="Text in titles, copy, hashtags or tags."),
        click.option("--alarm-days", type=click.IntRange(0, 365), default=None,
                     help="Remind N days before each observance (time to prepare content)."),
        click.option("--include-blocked", is_flag=True,
                     help="Export posts with blocking compliance findings WITH their copy (default: slot only)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _include(text: str) -> tuple[str, ...]:
    parts = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    bad = [p for p in parts if p not in KINDS]
    if bad or not parts:
        raise click.BadParameter(f"{bad[0] if bad else text!r}: use {', '.join(KINDS)}", param_hint="'--include'")
    return parts


def _filters(campaign, tags, channels, statuses, regions, categories, text) -> Filters:
    return Filters(text=text, tags=tuple(tags), channels=tuple(Channel(c.lower()) for c in channels),
                   statuses=tuple(Status(s.lower()) for s in statuses), campaign=campaign,
                   regions=region_names(regions),
                   categories=tuple(c.lower() for c in categories))


def _range(quarter, start: date | None, end: date | None, *, required: bool = True):
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


def _now():
    from calendar_data.storage.connection import utcnow

    return utcnow()


@click.command("export")
@db_option
@click.option("--quarter", type=QUARTER, help="A quarter such as 2027Q1.")
@click.option("--from", "start", type=DATE, help="First day (inclusive).")
@click.option("--to", "end", type=DATE, help="Last day (inclusive).")
@_filter_options
@click.option("--name", default="carecal", show_default=True, help="Calendar name shown by Outlook/Google.")
@click.option("--format", "fmt", type=click.Choice(["ics", "sprout", "hootsuite", "buffer", "later"]), default="ics",
              show_default=True, help="iCalendar, or a publisher's bulk-upload CSV (docs/publishing.md).")
@click.option("--date-order", type=click.Choice(["mdy", "dmy"]), default=None,
              help="Bulk CSV dates as mm/dd/yyyy or dd/mm/yyyy, as set in Sprout (default: from the country).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
              help="The .ics file to write ('-' for standard output); for CSV formats, the base file name.")
@click.pass_context
def export(ctx, quarter, start, end, include, campaign, tags, channels, statuses, regions, categories, text,
           alarm_days, include_blocked, name, fmt, date_order, output) -> None:
    """Write an iCalendar (.ics) file that Outlook, Google and Apple calendars import, or a publisher CSV.

    A post with a blocking compliance finding keeps its slot (date, time, channels,
    status) but not its copy unless --include-blocked; posts under a crisis hold are
    written as cancelled.
    """
    from calendar_data.ical.export import ExportSpec, export_notes, render_export, write_export

    start, end = _range(quarter, start, end)
    if fmt != "ics":  # publisher bulk-upload CSVs: tui/cli_publish.py
        from tui.cli.publish import export_bulk

        return export_bulk(fmt, start, end, _filters(campaign, tags, channels, statuses, regions, categories, text),
                           output, date_order)
    spec = ExportSpec(start, end, include=_include(include), alarm_days=alarm_days, name=name,
                      filters=_filters(campaign, tags, channels, statuses, regions, categories, text),
                      include_blocked=include_blocked)
    db = _db()
    today = context_today(ctx)
    for note in export_notes(db, spec):
        warn(note)
    if output == "-":
        data, report, on_hold = render_export(db, spec, now=_now(), today=today)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        report_export(report, on_hold)
        return
    result = write_export(db, spec, output, now=_now(), today=today)
    click.echo(f"wrote {result.events} events ({start} to {end}) to {result.path}")
    report_export(result.held, result.on_hold)
    if not result.events:
        warn("the file holds no events (check the dates and filters)")


def report_export(report, on_hold: int, prefix: str = "") -> None:
    """Say on stderr what an export held back (or exported whole on request) and what a hold cancelled."""
    line = report.describe()
    if line:
        warn(prefix + line)
    if on_hold:
        warn(f"{prefix}{on_hold} post{'s' if on_hold != 1 else ''} under a crisis hold written as cancelled "
             "(carecal hold list)")


@click.command("import")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option("--as", "as_", type=IMPORT_AS_CHOICE, default="posts", show_default=True,
              help="Bring the events in as planned posts or as your own observances.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--from", "start", type=DATE, help="Expand repeating events from this day (default: a year ago).")
@click.option("--to", "end", type=DATE, help="...up to this day (default: two years ahead).")
@click.option("--by", "who", metavar="NAME", help="Your name for the approval gate and the history "
                                                 "(default: carecal --as, config.toml `user`, your login).")
@click.pass_context
def import_(ctx, file, as_, dry_run, start, end, who) -> None:
    """Bring an .ics file (exported from Outlook, Google or carecal) into the calendar.

    A post the file has at approved or later comes in so only if the approval gate
    passes for it now (consent, PHI, evidence, approvers); otherwise as draft, and
    the summary says which and why. --dry-run shows the same verdicts.
    """
    from calendar_data.ical.plan import default_window, import_ics

    today = context_today(ctx)
    window = default_window(today)
    window = (start or window[0], end or window[1])
    data, where = _read_input(file)
    plan = import_ics(open_context_db(create=not dry_run, memory_if_missing=dry_run), data, as_=as_, where=where,
                      today=today, dry_run=dry_run, window=window, who=acting_name(ctx, who), now=context_now(ctx))
    for line in plan.warnings:
        warn(line)
    marks = {"add": "+", "update": "~"}
    for change in plan.changes:
        if change.action in marks:
            detail = f"  ({change.detail})" if change.detail else ""
            gated = f"  [{change.post.status}: not approved]" if change.verdict and change.post else ""
            click.echo(f"{marks[change.action]} {change.label}{detail}{gated}")
    for name in plan.new_campaigns:
        click.echo(f"+ campaign {name}")
    if plan.dropped_line():
        click.echo(plan.dropped_line())
    click.echo(plan.summary() + (" (dry run: nothing written)" if dry_run else ""))


def _read_input(file: str) -> tuple[bytes, str]:
    """The file's bytes (at most one past the size limit: scan() reports it) and the name messages use."""
    from calendar_data.ical.scan import MAX_FILE_BYTES

    if file == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "stdin"
    try:
        with open(file, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1), Path(file).name
    except FileNotFoundError:
        raise FileNotFoundError(f"{file}: no such file (check the name and folder)") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"{file}: is a folder, not an .ics file") from None
    except PermissionError:
        raise PermissionError(f"{file}: not allowed to read this file") from None


@click.group()
def feeds() -> None:
    """Saved exports: add, list, remove and build them (serve them with `carecal serve`)."""


@feeds.command("add")
@db_option
@click.argument("name")
@click.option("--quarter", type=QUARTER, help="A fixed quarter such as 2027Q1.")
@click.option("--from", "start", type=DATE, help="Fixed first day.")
@click.option("--to", "end", type=DATE, help="Fixed last day.")
@click.option("--next-days", type=click.IntRange(0, 3700), help="A moving window: today to N days ahead.")
@click.option("--past-days", type=click.IntRange(0, 3700), default=0, help="...starting N days before today.")
@_filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file `feeds build` writes (default: feeds/NAME.ics beside the database).")
@click.pass_context
def feeds_add(ctx, name, quarter, start, end, next_days, past_days, include, campaign, tags, channels, statuses,
              regions, categories, text, alarm_days, include_blocked, output) -> None:
    """Save a named export, e.g. "Q1 campaigns for Outlook" or "Cardiology team"."""
    from calendar_data.ical.feeds import Feed, Scope, add_feed, default_feed_path

    if next_days is not None:
        if quarter or start or end:
            raise click.UsageError("give fixed dates (--quarter, --from/--to) or --next-days, not both")
        scope = Scope(next_days=next_days, past_days=past_days)
    else:
        scope = Scope(*_range(quarter, start, end))
    db = _db(write=True)
    folder = Path(ctx.find_root().meta["db_file"]).resolve().parent / "feeds"
    path = output or default_feed_path(db, folder, name)
    feed = add_feed(db, Feed(name=name, scope=scope, include=_include(include), alarm_days=alarm_days,
                             include_blocked=include_blocked,
                             filters=_filters(campaign, tags, channels, statuses, regions, categories, text),
                             path=str(Path(path).expanduser().resolve())))
    click.echo(f"added feed {feed.name!r}: {feed.scope.describe()} -> {feed.path}")
    click.echo(f"server path: {feed.url_path}")
    if include_blocked:
        warn(f"feed {feed.name!r} serves posts with blocking compliance findings WITH their copy "
             "(--include-blocked)")


@feeds.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def feeds_list(as_json) -> None:
    """Saved feeds, their scope, file and server path."""
    from calendar_data.ical.feeds import list_feeds

    found = list_feeds(_db())
    rows = [{"name": f.name, "scope": f.scope.describe(), "include": list(f.include), "path": f.path,
             "url_path": f.url_path, "alarm_days": f.alarm_days, "include_blocked": f.include_blocked}
            for f in found]
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("no feeds (add one: carecal feeds add NAME --quarter 2027Q1)", err=True)
    else:
        emit_table([[r["name"], r["scope"], r["url_path"], r["path"] or ""] for r in rows],
                   ["NAME", "SCOPE", "SERVER PATH", "FILE"])


@feeds.command("rm")
@db_option
@click.argument("name")
def feeds_rm(name) -> None:
    """Delete a saved feed (its server URL stops working; its file stays)."""
    from calendar_data.ical.feeds import remove_feed

    feed = remove_feed(_db(write=True), name)
    click.echo(f"removed feed {feed.name!r}")


@feeds.command("rotate")
@db_option
@click.argument("name")
def feeds_rotate(name) -> None:
    """Give a feed a new secret server URL (subscribers must subscribe again)."""
    from calendar_data.ical.feeds import rotate_token

    feed = rotate_token(_db(write=True), name)
    click.echo(f"new server path for {feed.name!r}: {feed.url_path}")


@feeds.command("build")
@db_option
@click.argument("name", required=False)
@click.pass_context
def feeds_build(ctx, name) -> None:
    """Write one feed's file (or every feed's, with no NAME)."""
    from calendar_data.ical.feeds import build_feed, get_feed, list_feeds

    db = _db(write=True)
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
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free one).")
@click.pass_context
def serve(ctx, host, port) -> None:
    """Serve every saved feed over HTTP so calendars can subscribe (read-only; Ctrl-C stops)."""
    import logging

    from calendar_data.awareness import curated_path
    from calendar_data.ical.feed_server import FeedApp, is_loopback, make_server
    from calendar_data.ical.feeds import list_feeds

    db = _db()
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
        warn(f"listening on {host}: anyone who can reach this address and knows a feed URL can read it "
             "(plain HTTP, no password; the token in the URL is the only key)")
    server = make_server(FeedApp(root.meta["db_file"], today=today, data_stamp=awareness_stamp), host=host, port=port)
    base = f"http://{'[' + host + ']' if ':' in host else host}:{server.effective_port}"
    click.echo(f"serving {len(found)} feed{'s' if len(found) != 1 else ''} on {base} (Ctrl-C stops)")
    for feed in found:
        click.echo(f"  {feed.name}: {base}{feed.url_path}")
    if not found:
        warn("no saved feeds yet: add one with carecal feeds add NAME --next-days 90")
    try:
        server.run()
    finally:
        server.close()


COMMANDS = (export, import_, feeds, serve)
