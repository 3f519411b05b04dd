"""`carecal sync ...`: two-way CalDAV sync from a shell.

`carecal sync [NAME] [--dry-run] [--json]` syncs one target (or every target)
and exits 1 when a conflict waits for a decision; `sync add/list/rm` manage
targets; `sync conflicts` lists what needs deciding and `sync resolve ID --keep
local|remote` decides it. Bad input exits 2 with one line, like every command.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click

from tui.cli.params import context_today, db_option, emit_json, emit_table, warn

KEEP = click.Choice(["local", "remote"])
"""calendar_data.sync.conflicts.SIDES, spelled here: importing it would load the CalDAV client
for every sync command (tests/unit/test_one_home.py checks the two agree)."""


def _db(*, write: bool = False):
    from tui.cli.context import open_context_db

    return open_context_db(create=write)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class SyncGroup(click.Group):
    """`sync` with subcommands, where anything that is not a subcommand is `sync run`'s NAME or options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=SyncGroup)
def sync() -> None:
    """Two-way sync with a CalDAV server (Radicale, Nextcloud, Fastmail...).

    \b
    carecal sync [NAME] [--dry-run] [--json]   sync NAME (default: every target);
                                               exit 1 when a conflict needs a decision
    """


@sync.command("run", hidden=True)
@db_option
@click.argument("name", required=False)
@click.option(
    "--dry-run", is_flag=True, help="Show what would change on both sides; change nothing."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON array of results, one per target."
)
def sync_run(name: str | None, dry_run: bool, as_json: bool) -> None:
    """Sync NAME (default: every target); exit 1 when a conflict needs a decision."""
    from calendar_data.sync import list_targets, sync_now

    db = _db()
    names = [name] if name else [t.name for t in list_targets(db)]
    if not names:
        raise click.UsageError("no sync targets yet: carecal sync add NAME URL")
    today, now = context_today(click.get_current_context()), _now()
    results = [sync_now(db, n, today=today, now=now, dry_run=dry_run) for n in names]
    if as_json:
        emit_json(r.to_json() for r in results)
    else:
        for result in results:
            _print_result(result)
    if any(r.needs_decision for r in results):
        raise click.exceptions.Exit(1)


def _print_result(result) -> None:
    verb = "would pull" if result.dry_run else "pulled"
    pulled, pushed = result.pulled, result.pushed
    click.echo(
        f"{result.target}: {verb} {pulled['new']} new, {pulled['updated']} changed, "
        f"{pulled['deleted']} deleted; {'would push' if result.dry_run else 'pushed'} "
        f"{pushed['new']} new, {pushed['updated']} changed, {pushed['deleted']} deleted"
    )
    for message in result.warnings:
        warn(message)
    held_ids = {h["post_id"] for h in result.held}
    for gated in result.gated:
        if gated["post_id"] not in held_ids:  # edited here: went up as a draft
            click.echo(
                f"  post {gated['post_id']}: back to draft by this machine's approval gate "
                f"(sent as a draft): {'; '.join(gated['reasons'])}"
            )
    _print_held(result.held)
    for conflict in result.conflicts:
        click.echo(f"  conflict {conflict['id'] or '(new)'}: {_describe(conflict)}")
    if result.conflicts:
        click.echo(
            "decide with: carecal sync resolve ID --keep local|remote (carecal sync conflicts shows both)",
            err=True,
        )


def _print_held(held: list[dict]) -> None:
    """Posts this machine's gate holds back: shown on every sync, never sent back."""
    if not held:
        return
    count = f"{len(held)} post{'s' if len(held) != 1 else ''}"
    click.echo(f"  {count} held back by this machine's approval gate (kept here, not sent back):")
    for h in held:
        click.echo(
            f"    post {h['post_id']} {h['title']!r}: {h['status']} here, {h['remote_status']} "
            f"on the server: {'; '.join(h['reasons'])}"
        )


def _describe(conflict: dict) -> str:
    title = (conflict.get("local") or conflict.get("remote") or {}).get("title") or conflict["uid"]
    post = f"post {conflict['post_id']} " if conflict.get("post_id") else ""
    what = {
        "both-edited": f"changed here and on the server ({', '.join(conflict.get('fields') or [])})",
        "deleted-here": "deleted here, changed on the server",
        "deleted-there": "deleted on the server, changed here",
        "team": "team list entry changed on both sides",
    }.get(conflict["kind"], conflict["kind"])
    return f"{post}{title!r}: {what}"


@sync.command("add")
@db_option
@click.argument("name")
@click.argument("url")
@click.option("--user", "username", default="", help="User name on the server.")
@click.option(
    "--password-command", help="Command that prints the password (e.g. 'pass show carecal')."
)
@click.option("--password-env", help="Environment variable that holds the password.")
@click.option(
    "--share-consent", is_flag=True, help="Also send consent form references and who recorded them."
)
@click.option(
    "--allow-http", is_flag=True, help="Allow plain http to another machine (warns on every sync)."
)
def sync_add(
    name, url, username, password_command, password_env, share_consent, allow_http
) -> None:
    """Add a sync target: NAME and the calendar collection's URL (passwords are never stored in plain text)."""
    from calendar_data.sync import Target, add_target, check_url
    from calendar_data.sync.targets import store_keyring_password

    if password_command and password_env:
        raise click.UsageError("give --password-command or --password-env, not both")
    source, ref = (
        ("command", password_command)
        if password_command
        else (
            ("env", password_env)
            if password_env
            else (("keyring", "") if username else ("none", ""))
        )
    )
    target = Target(
        name=name,
        url=url,
        username=username,
        password_source=source,
        password_ref=ref,
        share_consent=share_consent,
        allow_http=allow_http,
    )
    warning = check_url(url, allow_http=allow_http)
    secret = None
    if source == "keyring":
        from calendar_data.sync import credentials

        if not credentials.usable():
            raise click.UsageError(credentials.NO_KEYRING)
        secret = click.prompt(f"password for {username} at {url}", hide_input=True, err=True)
    db = _db(write=True)
    saved = add_target(db, target)
    if secret is not None:
        try:
            store_keyring_password(saved, secret)
        except RuntimeError:
            from calendar_data.sync import remove_target

            remove_target(db, saved.name)
            raise
    if warning:
        warn(warning)
    click.echo(
        f"sync target {saved.name} added: {saved.url} (password: {_source(saved)}); run: carecal sync {saved.name}"
    )


def _source(target) -> str:
    return {
        "none": "none",
        "keyring": "in the keyring",
        "command": f"from `{target.password_ref}`",
        "env": f"from ${target.password_ref}",
    }[target.password_source]


@sync.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of targets.")
def sync_list(as_json: bool) -> None:
    """List sync targets with their last sync, pending changes, held posts and open conflicts."""
    from calendar_data.sync import held_posts, list_conflicts, list_targets, pending_changes

    db = _db()
    rows = []
    for target in list_targets(db):
        rows.append(
            target.to_json()
            | {
                "pending": pending_changes(db, target.name),
                "held": len(held_posts(db, target.name)),
                "conflicts": len(list_conflicts(db, target.name)),
            }
        )
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no sync targets (carecal sync add NAME URL)", err=True)
        return
    emit_table(
        [
            [
                r["name"],
                r["last_sync_at"] or "never",
                str(r["pending"]),
                str(r["held"]),
                str(r["conflicts"]),
                ("share-consent " if r["share_consent"] else "") + r["url"],
            ]
            for r in rows
        ],
        ["name", "last sync", "pending", "held", "conflicts", "url"],
    )


@sync.command("rm")
@db_option
@click.argument("name")
def sync_rm(name: str) -> None:
    """Forget a target and its sync state (posts and the server's copy stay)."""
    from calendar_data.sync import remove_target

    removed = remove_target(_db(), name)
    click.echo(f"sync target {removed.name} removed")


@sync.command("conflicts")
@db_option
@click.argument("name", required=False)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON array of conflicts with both versions."
)
def sync_conflicts(name: str | None, as_json: bool) -> None:
    """List conflicts waiting for a decision; exit 1 when there are any."""
    from calendar_data.sync import list_conflicts

    found = [c.to_json() for c in list_conflicts(_db(), name)]
    if as_json:
        emit_json(found)
    elif not found:
        click.echo("no conflicts", err=True)
    for conflict in [] if as_json else found:
        click.echo(f"conflict {conflict['id']} ({conflict['target']}): {_describe(conflict)}")
        for field in conflict["fields"]:
            mine, theirs = (
                (conflict.get("local") or {}).get(field),
                (conflict.get("remote") or {}).get(field),
            )
            click.echo(f"  {field}:\n    local:  {_short(mine)}\n    remote: {_short(theirs)}")
    if found:
        raise click.exceptions.Exit(1)


def _short(value) -> str:
    text = " ".join(str(value).split()) if value is not None else "(none)"
    return text if len(text) <= 100 else text[:97] + "..."


@sync.command("resolve")
@db_option
@click.argument("conflict_id", type=int)
@click.option("--keep", type=KEEP, help="Which whole version to keep.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="FIELD=local|remote",
    help="For a post changed on both sides: pick a side per field (others stay local).",
)
@click.option("--as", "who", help="Name recorded in the change log.")
def sync_resolve(
    conflict_id: int, keep: str | None, fields: tuple[str, ...], who: str | None
) -> None:
    """Decide a conflict; the next `carecal sync` sends the decision to the server."""
    from calendar_data.sync import resolve_conflict

    if bool(keep) == bool(fields):
        raise click.UsageError(
            "give --keep local|remote, or one or more --field FIELD=local|remote"
        )
    picked = None
    if fields:
        picked = {}
        for entry in fields:
            field, _, side = entry.partition("=")
            if not side:
                raise click.BadParameter(
                    f"{entry!r} is not FIELD=local|remote", param_hint="'--field'"
                )
            picked[field.strip()] = side.strip()
    conflict = resolve_conflict(
        _db(),
        conflict_id,
        keep=keep,
        fields=picked,
        today=context_today(click.get_current_context()),
        now=_now(),
        who=who,
    )
    click.echo(
        f"conflict {conflict.id} resolved ({keep or 'by field'}); run carecal sync {conflict.target} "
        "to send it"
    )
