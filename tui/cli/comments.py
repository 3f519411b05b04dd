"""`carecal comments ...`: the review thread of a post (add, list, remove one's own).

Comments are the team's internal back-and-forth; they are printed here on request and never
written to an export, feed, vendor CSV or report.
"""

from __future__ import annotations

import click

from calendar_data.comments import add_comment, comment_to_json, delete_comment, list_comments
from calendar_data.posts import get_post
from tui.cli.context import open_context_db
from tui.cli.params import db_option, emit_json
from tui.cli.publish import command_now

ID = click.IntRange(1, 2**63 - 1)  # SQLite's INTEGER range: a bigger id is refused by name


@click.group()
def comments() -> None:
    """Review comments on a post: the thread between writer and approver."""


@comments.command("add")
@db_option
@click.argument("post_id", type=ID)
@click.argument("text")
@click.option(
    "--as", "who", help="Who the comment is from (default: config.toml user, else your login)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the comment as JSON.")
def add(post_id: int, text: str, who: str | None, as_json: bool) -> None:
    """Add TEXT to the thread of post POST_ID; prints the comment's id."""
    comment = add_comment(open_context_db(create=False), post_id, text, who=who, now=command_now())
    if as_json:
        emit_json([comment_to_json(comment)])
    else:
        click.echo(comment.id)


@comments.command("list")
@db_option
@click.argument("post_id", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(post_id: int, as_json: bool) -> None:
    """The thread of post POST_ID, oldest first."""
    db = open_context_db()
    get_post(db, post_id)  # a missing post is an error, not an empty thread
    thread = list_comments(db, post_id)
    if as_json:
        emit_json(comment_to_json(c) for c in thread)
        return
    if not thread:
        click.echo(f"no comments on post {post_id}", err=True)
    for comment in thread:
        click.echo(f"#{comment.id}  {comment.at:%Y-%m-%d %H:%M}  {comment.who}")
        for line in comment.text.splitlines():
            click.echo(f"    {line}")


@comments.command("rm")
@db_option
@click.argument("comment_id", type=ID)
@click.option(
    "--as", "who", help="Your name as the comment records it (only its author may remove it)."
)
def remove(comment_id: int, who: str | None) -> None:
    """Remove your own comment COMMENT_ID (the history keeps that one was removed, not its words)."""
    comment = delete_comment(open_context_db(), comment_id, who=who, now=command_now())
    click.echo(f"removed comment {comment.id} on post {comment.post_id}")
