"""Campaigns: list, create, edit, archive; each campaign's posts; assign posts to it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from calendar_data.campaigns import (
    add_campaign,
    campaign_post_counts,
    list_campaigns,
    update_campaign,
)
from calendar_data.models import AgendaItem, Campaign, Filters, Post
from calendar_data.planning import assign_posts, assignable_posts, set_campaign_archived
from calendar_data.posts import list_posts
from tui.messages import EditPost
from tui.screens.base import CarecalScreen
from tui.screens.campaign_dialogs import AssignPosts, CampaignEditor
from tui.widgets.marks import colour_style, item_summary
from tui.widgets.top_bar import TopBar


class CampaignsScreen(CarecalScreen):
    """Every campaign with its dates and post count; the highlighted one's posts below."""

    HELP_TITLE = "Campaigns"
    BINDINGS = [
        Binding("n", "new_campaign", "New campaign", id="campaigns.new_campaign"),
        Binding("e", "edit_campaign", "Edit", id="campaigns.edit"),
        Binding("p", "assign", "Assign posts", id="campaigns.assign_posts"),
        Binding("A", "archive", "Archive/restore", key_display="A", id="campaigns.archive_restore"),
        Binding("h", "toggle_archived", "Show archived", id="campaigns.show_archived"),
        Binding(
            "tab", "app.focus_next", "Posts ↔ campaigns", show=False, id="campaigns.posts_campaigns"
        ),
    ]

    DYNAMIC_ACTIONS = ("edit_campaign", "assign", "archive")

    def __init__(self) -> None:
        super().__init__()
        self.campaigns: list[Campaign] = []
        self.posts: list[Post] = []
        self.show_archived = False
        self._pending: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("campaigns")
        yield DataTable(id="campaign-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="campaign-detail")
        yield OptionList(id="campaign-posts")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (
            ("Campaign", "name", 28),
            ("Start", "start", 11),
            ("End", "end", 11),
            ("Posts", "posts", 5),
            ("Colour", "colour", 14),
            ("Goal", "goal", None),
        ):
            table.add_column(label, key=key, width=width)
        table.focus()

    def request(self) -> bool:
        return self.show_archived

    def fetch(self, db, include_archived: bool) -> tuple[list[Campaign], dict[str, int]]:
        return list_campaigns(db, include_archived=include_archived), campaign_post_counts(db)

    def paint(self, include_archived: bool, result: tuple[list[Campaign], dict[str, int]]) -> None:
        campaigns, counts = result
        table = self.query_one(DataTable)
        keep = self._pending or (self.current.name if self.current else None)
        self._pending = None
        self.campaigns = campaigns
        table.clear()
        for c in campaigns:
            colour = colour_style(c.colour)
            swatch = (
                Text.assemble(("      ", colour), f" {c.colour}")
                if colour
                else Text(c.colour or "—", style="dim")
            )
            name = Text(
                c.name + ("  (archived)" if c.archived else ""),
                style="dim" if c.archived else "bold",
                overflow="ellipsis",
                no_wrap=True,  # a long name ends in "…" at its column, not mid-word
            )
            table.add_row(
                name,
                str(c.start or "—"),
                str(c.end or "—"),
                str(counts.get(c.name, 0)),
                swatch,
                c.goal,
                key=c.name,
            )
        names = [c.name for c in campaigns]
        if keep in names:
            table.move_cursor(row=names.index(keep))
        self._show_posts()
        self.sync_bindings()

    @property
    def current(self) -> Campaign | None:
        """The highlighted campaign."""
        table = self.query_one(DataTable)
        if not self.campaigns or table.cursor_row >= len(self.campaigns):
            return None
        return self.campaigns[table.cursor_row]

    def _show_posts(self) -> None:
        campaign = self.current
        listing = self.query_one("#campaign-posts", OptionList)
        listing.clear_options()
        detail = self.query_one("#campaign-detail", Static)
        if campaign is None:
            self.posts = []
            detail.update(Text(" No campaigns yet. Press n to create one.", style="dim"))
            return
        self.posts = list_posts(self.app.db, filters=Filters(campaign=campaign.name))
        detail.update(
            Text.assemble(
                (f" {campaign.name}", "bold"),
                f" · {len(self.posts)} posts",
                (" · p assigns posts · tab moves to them · enter edits one", "dim"),
            )
        )
        listing.add_options(
            [
                Option(item_summary(AgendaItem("post", p.day, p.day, p.title, post=p)))
                for p in self.posts
            ]
            or [Option(Text("No posts yet.", style="dim"), disabled=True)]
        )

    def show_campaign(self, name: str) -> None:
        """Highlight a campaign (showing archived ones if it is archived)."""
        self.show_archived = True
        self._pending = name
        self.reload()

    def on_data_table_row_highlighted(self) -> None:
        self._show_posts()
        self.sync_bindings()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.posts):
            self.post_message(EditPost(self.posts[event.option_index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_campaign", "assign", "archive"):
            return True if self.current else None
        return True

    def action_new_campaign(self) -> None:
        self._edit(Campaign(name=""))

    def action_edit_campaign(self) -> None:
        if self.current:
            self._edit(self.current)

    def _edit(self, campaign: Campaign) -> None:
        """The campaign dialog closes once its campaign is saved; a failed save keeps it open."""

        def save(edited: Campaign) -> Campaign:
            write = add_campaign if edited.id is None else update_campaign
            return write(self.app.db, edited, now=self.app.now())

        self.app.open_form(CampaignEditor(campaign), save, failure="campaign", saved=self._saved)

    def _saved(self, saved: Campaign) -> None:
        self._pending = saved.name
        self.reload()
        self.notify(saved.name, title="Campaign saved")

    def action_archive(self) -> None:
        campaign = self.current
        if campaign is None:
            return
        saved = self.app.guard(
            lambda: set_campaign_archived(
                self.app.db, campaign.name, not campaign.archived, now=self.app.now()
            ),
            failure="campaign",
        )
        if saved is not None:
            self.notify(saved.name, title="Archived" if saved.archived else "Restored")

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.reload()

    def action_assign(self) -> None:
        campaign = self.current
        if campaign is None:
            return
        posts = assignable_posts(self.app.db, campaign)

        def assigned(changed: int) -> None:
            self.notify(f"{changed} post{'s' * (changed != 1)} changed", title=campaign.name)

        self.app.open_form(
            AssignPosts(campaign, posts),
            lambda ids: assign_posts(self.app.db, campaign.name, ids, now=self.app.now()),
            failure="campaign",
            saved=assigned,
        )
