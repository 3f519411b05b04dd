"""`carecal comments`: a post's review thread from the command line (list, add)."""

from __future__ import annotations

import click

from calendar_data.comments import add_comment, list_comments
from calendar_data.posts import get_post
from tui.cli.context import open_context_db
from tui.cli.params import db_option, emit_json

POST_ID = click.IntRange(1, 2**63 - 1)


@click.group()
def comments() -> None:
    """Review comments on a post: the writer-approver thread (kept local, never exported)."""


@comments.command("list")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def comments_list(ctx: click.Context, post_id: int, as_json: bool) -> None:
    """A post's thread, oldest first: when, who, text."""
    db = open_context_db(ctx)
    get_post(db, post_id)
    found = list_comments(db, post_id)
    if as_json:
        emit_json({"id": c.id, "post_id": c.post_id, "at": c.at.isoformat(), "who": c.who, "text": c.body}
                  for c in found)
        return
    for comment in found:
        click.echo(f"{comment.at:%Y-%m-%d %H:%M} {comment.who}: {comment.body}")


@comments.command("add")
@db_option
@click.argument("post_id", type=POST_ID)
@click.argument("text")
@click.option("--as", "who", help="Name recorded with the comment (default: your login).")
@click.pass_context
def comments_add(ctx: click.Context, post_id: int, text: str, who: str | None) -> None:
    """Add a comment to a post's thread."""
    comment = add_comment(open_context_db(ctx), post_id, text, who=who)
    click.echo(f"comment {comment.id} on post {post_id}")
