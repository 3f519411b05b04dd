"""`carecal campaigns ...` and `carecal tags ...`: the two ways a team groups its posts.

A campaign is a planned push with dates and a goal; a tag is a free label. Both are listed with
how many posts carry them, and renamed or retired here without touching each post by hand.
"""

from __future__ import annotations

from dataclasses import replace

import click

from calendar_data.json_rows import campaign_row, tag_row
from calendar_data.models import Campaign
from tui.cli.context import calendar_db
from tui.cli.params import DATE, db_option, emit_json, emit_table


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--all", "include_archived", is_flag=True, help="Include archived campaigns.")
@click.pass_context
def campaigns(ctx, as_json, include_archived) -> None:
    """List campaigns (or list/add/archive with a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    _list_campaigns(as_json, include_archived)


@campaigns.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--all", "include_archived", is_flag=True, help="Include archived campaigns.")
def campaign_list(as_json, include_archived) -> None:
    """List campaigns: name, dates, goal, colour, tags, post count."""
    _list_campaigns(as_json, include_archived)


def _list_campaigns(as_json: bool, include_archived: bool) -> None:
    from calendar_data.campaigns import campaign_post_counts, list_campaigns

    db = calendar_db()
    counts = campaign_post_counts(db)
    found = list_campaigns(db, include_archived=include_archived)
    rows = [campaign_row(c, posts=counts.get(c.name, 0)) for c in found]
    if as_json:
        emit_json(rows)
    else:
        emit_table(
            [[r["start"] or "", r["end"] or "", str(r["posts"]), r["name"]] for r in rows],
            ["START", "END", "POSTS", "NAME"],
        )


@campaigns.command("add")
@db_option
@click.argument("name")
@click.option("--start", type=DATE, help="First day of the campaign.")
@click.option("--end", type=DATE, help="Last day of the campaign.")
@click.option("--goal", default="", help="What the campaign is for, in a line.")
@click.option("--colour", default="", help="Colour of its band in the app (a colour name or #hex).")
@click.option("--tag", "tags", multiple=True, help="A tag its posts usually carry (repeat).")
def campaign_add(name, start, end, goal, colour, tags) -> None:
    """Create a campaign."""
    from calendar_data.campaigns import add_campaign

    campaign = add_campaign(
        calendar_db(write=True),
        Campaign(name=name, start=start, end=end, goal=goal, colour=colour, tags=tags),
    )
    click.echo(f"added campaign {campaign.name}")


@campaigns.command("archive")
@db_option
@click.argument("name")
def campaign_archive(name) -> None:
    """Archive a campaign (its posts keep it)."""
    from calendar_data.campaigns import get_campaign, update_campaign

    db = calendar_db(write=True)
    update_campaign(db, replace(get_campaign(db, name), archived=True))
    click.echo(f"archived campaign {name}")


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def tags(ctx, as_json) -> None:
    """List tags with counts (or rename, merge, remove with a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    from calendar_data.tags import list_tags

    found = list_tags(calendar_db())
    if as_json:
        emit_json(tag_row(t) for t in found)
    else:
        emit_table([[str(t.count), t.name] for t in found], ["POSTS", "TAG"])


@tags.command("rename")
@db_option
@click.argument("old")
@click.argument("new")
def tag_rename(old, new) -> None:
    """Rename a tag on every post (onto an existing tag: merge)."""
    from calendar_data.tags import rename_tag

    rename_tag(calendar_db(write=True), old, new)
    click.echo(f"renamed {old} -> {new}")


@tags.command("rm")
@db_option
@click.argument("name")
def tag_rm(name) -> None:
    """Remove a tag from every post."""
    from calendar_data.tags import delete_tag

    click.echo(f"removed {name} from {delete_tag(calendar_db(write=True), name)} posts")
