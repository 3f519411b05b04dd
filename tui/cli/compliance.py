"""`carecal check`, `carecal consent ...` and `carecal override`: the compliance workflow from a shell.

`check` exits 1 when any post in range has a blocking finding (so CI or a
cron job can gate on it) and 0 otherwise; bad input exits 2 like every command.
"""

from __future__ import annotations

import click

from calendar_data.checks.approval import add_override
from calendar_data.checks.findings import Finding
from calendar_data.checks.overrides import remove_override
from calendar_data.checks.review import review
from calendar_data.consent import MEDIA, get_consent, record_consent, remove_consent
from calendar_data.json_rows import consent_row
from calendar_data.models import Channel, Consent, Filters
from calendar_data.posts import get_post, list_posts
from tui.cli.context import calendar_db
from tui.cli.params import CHANNEL, DATE, acting_name, context_today, db_option, emit_json

MEDIUM = click.Choice(list(MEDIA), case_sensitive=False)


def _today():
    return context_today(click.get_current_context())


@click.command()
@db_option
@click.option("--from", "start", type=DATE, help="First day (inclusive; default: every post).")
@click.option("--to", "end", type=DATE, help="Last day (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of findings.")
def check(start, end, as_json: bool) -> None:
    """Check posts for PHI, consent, evidence and channel limits; exit 1 if any finding blocks.

    Rejected and archived posts are skipped. Overridden PHI findings are shown
    but do not block.
    """
    if start and end and end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="'--to'")
    db = calendar_db()
    posts = {p.id: p for p in list_posts(db, start, end, Filters())}
    found = {pid: fs for pid, fs in review(db, posts.values(), today=_today()).items() if fs}
    blockers = sum(f.blocking for fs in found.values() for f in fs)
    if as_json:
        emit_json(
            f.to_json() | {"date": posts[pid].day.isoformat(), "status": str(posts[pid].status)}
            for pid, fs in found.items()
            for f in fs
        )
    else:
        for pid, findings in found.items():
            post = posts[pid]
            click.echo(f"post {pid}  {post.day}  [{post.status}]  {post.title}")
            for finding in findings:
                click.echo(f"  {_label(finding):<8} {_where(finding):<16} {finding.message}")
                if finding.overridable and finding.blocking:
                    click.echo(
                        f"  {'':<8} {'':<16} override: carecal override {pid} '{finding.key}' --reason ..."
                    )
        warnings = sum(not f.blocking for fs in found.values() for f in fs)
        summary = (
            (
                f"{len(posts)} posts checked: {len(found)} need attention, "
                f"{blockers} blocking, {warnings} warnings"
            )
            if found
            else f"{len(posts)} posts checked: all clear"
        )
        click.echo(summary, err=True)
    if blockers:
        raise click.exceptions.Exit(1)


def _label(finding: Finding) -> str:
    if finding.override is not None:
        return "ok*"
    return "BLOCK" if finding.blocking else "warn"


def _where(finding: Finding) -> str:
    span = f" {finding.span[0]}-{finding.span[1]}" if finding.span else ""
    return f"{finding.field}{span}"


@click.group()
def consent() -> None:
    """Record, show and remove a patient's consent for a post (never exported)."""


@consent.command("add")
@db_option
@click.argument("post_id", type=int)
@click.option("--form", "form_ref", required=True, help="Reference of the signed consent form.")
@click.option("--signed", type=DATE, required=True, help="Date the form was signed.")
@click.option("--expires", type=DATE, required=True, help="Date the consent expires.")
@click.option(
    "--channel",
    "channels",
    type=CHANNEL,
    multiple=True,
    help="A channel the patient agreed to (repeat; default: the post's channels).",
)
@click.option(
    "--media",
    "media",
    type=MEDIUM,
    multiple=True,
    required=True,
    help=f"What the patient agreed to: {', '.join(MEDIA)} (repeat).",
)
@click.option("--recorded-by", help="Who holds the form (default: --as, then your login).")
@click.option("--as", "who", help="Name recorded in the change log (default: your login).")
def consent_add(post_id, form_ref, signed, expires, channels, media, recorded_by, who) -> None:
    """Record (or replace) the consent for a post that features a patient."""
    db = calendar_db(write=True)
    post = get_post(db, post_id)
    stored = record_consent(
        db,
        post_id,
        Consent(
            form_ref=form_ref,
            signed_on=signed,
            expires_on=expires,
            channels=tuple(Channel(c.lower()) for c in channels),
            media=tuple(m.lower() for m in media),
            recorded_by=recorded_by or "",
        ),
        who=acting_name(click.get_current_context(), who),
    )
    click.echo(
        f"consent {stored.form_ref} recorded for post {post_id}: expires {stored.expires_on}, "
        f"channels {', '.join(stored.channels)}, media {', '.join(stored.media)}"
    )
    if not post.features_patient:
        click.echo(
            f"warning: post {post_id} is not marked as featuring a patient "
            f"(carecal posts edit {post_id} --features-patient)",
            err=True,
        )


@consent.command("show")
@db_option
@click.argument("post_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object, or an empty array).")
def consent_show(post_id: int, as_json: bool) -> None:
    """Show the consent on file for a post."""
    db = calendar_db()
    get_post(db, post_id)
    record = get_consent(db, post_id)
    if as_json:
        emit_json([] if record is None else [consent_row(post_id, record)])
        return
    if record is None:
        click.echo(f"post {post_id} has no consent on file", err=True)
        return
    state = "EXPIRED" if record.expires_on and record.expires_on < _today() else "valid"
    for label, value in (
        ("form", record.form_ref),
        ("signed", record.signed_on),
        ("expires", f"{record.expires_on} ({state})"),
        ("channels", ", ".join(record.channels)),
        ("media", ", ".join(record.media)),
        ("recorded by", record.recorded_by),
    ):
        click.echo(f"{label:>12}: {value}")


@consent.command("rm")
@db_option
@click.argument("post_id", type=int)
@click.option("--as", "who", help="Name recorded in the change log.")
def consent_rm(post_id: int, who: str | None) -> None:
    """Remove a post's consent (refused while the post is approved or later)."""
    remove_consent(
        calendar_db(write=True), post_id, who=acting_name(click.get_current_context(), who)
    )
    click.echo(
        f"consent removed from post {post_id}; its form reference was erased from the history "
        "(backups made earlier still hold it: carecal backup --purge-old)"
    )


@click.command()
@db_option
@click.argument("post_id", type=int)
@click.argument("finding_key")
@click.option("--reason", help="Why this finding is safe to publish (required unless --withdraw).")
@click.option("--withdraw", is_flag=True, help="Remove the override: the finding blocks again.")
@click.option("--as", "who", help="Reviewer name recorded with the override (default: your login).")
def override(
    post_id: int, finding_key: str, reason: str | None, withdraw: bool, who: str | None
) -> None:
    """Accept one PHI finding on a post with a recorded reason (FINDING_KEY from `carecal check`).

    The override names the finding's kind and matched text (e.g. phone:555-201-3344),
    so it stops applying as soon as that text changes.
    """
    db = calendar_db(write=True)
    if withdraw:
        remove_override(db, post_id, finding_key, who=acting_name(click.get_current_context(), who))
        click.echo(f"override {finding_key} withdrawn from post {post_id}")
        return
    if not reason:
        raise click.UsageError("give a --reason (or --withdraw)")
    saved = add_override(
        db,
        get_post(db, post_id),
        finding_key,
        reason,
        today=_today(),
        who=acting_name(click.get_current_context(), who),
    )
    click.echo(f"override {saved.key} recorded for post {post_id} by {saved.who}")
