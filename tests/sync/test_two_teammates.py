"""Two teammates' calendars stay in step through a real Radicale: add, edit, delete, conflicts, team lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from calendar_data.campaigns import add_campaign, get_campaign, update_campaign
from calendar_data.models import Campaign, Channel, Post, Status
from calendar_data.observances import preferences, set_preference
from calendar_data.posts import add_post, delete_post, get_post, list_posts, update_post
from calendar_data.storage.changelog import change_log
from calendar_data.sync import list_conflicts, pending_changes, resolve_conflict
from calendar_data.tags import list_tags, set_tag_colour
from tests.sync.conftest import NOW, TODAY


def _only(db) -> Post:
    posts = list_posts(db)
    assert len(posts) == 1, posts
    return posts[0]


def test_add_edit_delete_travel_both_ways(team):
    alice, bob, _ = team
    add_post(
        alice.db,
        Post(
            title="Flu clinic hours",
            day=date(2027, 3, 10),
            time=time(9, 30),
            body="Walk-in #flu shots all week",
            channels=(Channel.FACEBOOK, Channel.X),
            tags=("flu", "clinics"),
            owner="alice",
        ),
    )
    first = alice.sync()
    assert first.pushed == {"new": 1, "updated": 0, "deleted": 0}
    assert pending_changes(alice.db, "team") == 0
    assert bob.sync().pulled == {"new": 1, "updated": 0, "deleted": 0}
    got = _only(bob.db)
    assert (got.title, got.day, got.time, got.channels, got.tags, got.owner) == (
        "Flu clinic hours",
        date(2027, 3, 10),
        time(9, 30),
        (Channel.FACEBOOK, Channel.X),
        ("clinics", "flu"),
        "alice",
    )

    update_post(bob.db, replace(got, title="Flu clinic: longer hours", day=date(2027, 3, 11)))
    assert pending_changes(bob.db, "team") == 1
    assert bob.sync().pushed["updated"] == 1
    assert alice.sync().pulled["updated"] == 1
    mine = _only(alice.db)
    assert (mine.title, mine.day) == ("Flu clinic: longer hours", date(2027, 3, 11))
    assert any(
        "via sync team" in e.who for e in change_log(alice.db, entity="post", entity_id=mine.id)
    )

    again = alice.sync()  # nothing moved: nothing to do
    assert again.pulled == {"new": 0, "updated": 0, "deleted": 0} and again.pushed == again.pulled

    delete_post(alice.db, mine.id)
    assert alice.sync().pushed["deleted"] == 1
    assert bob.sync().pulled["deleted"] == 1
    assert list_posts(bob.db) == []


def test_both_edit_is_a_conflict_and_keeps_both_versions(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Heart month", day=date(2027, 2, 1), body="original"))
    alice.sync()
    bob.sync()
    update_post(alice.db, replace(_only(alice.db), body="alice's copy"))
    update_post(bob.db, replace(_only(bob.db), body="bob's copy"))
    alice.sync()
    result = bob.sync()
    assert result.needs_decision
    [conflict] = result.conflicts
    assert conflict["kind"] == "both-edited" and conflict["fields"] == ["body"]
    assert (conflict["local"]["body"], conflict["remote"]["body"]) == ("bob's copy", "alice's copy")
    assert _only(bob.db).body == "bob's copy"  # nothing overwritten while undecided
    assert bob.sync().needs_decision  # and it stays listed until decided
    alice.sync()
    assert _only(alice.db).body == "alice's copy"  # bob's version did not reach the server

    resolve_conflict(bob.db, conflict["id"], keep="local", today=TODAY, now=NOW)
    assert not bob.sync().needs_decision
    alice.sync()
    assert _only(alice.db).body == "bob's copy"


def test_conflict_resolved_field_by_field(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Stroke signs", day=date(2027, 5, 3), body="BE FAST"))
    alice.sync()
    bob.sync()
    update_post(alice.db, replace(_only(alice.db), title="Stroke: act FAST", body="alice body"))
    update_post(bob.db, replace(_only(bob.db), title="Know stroke signs", body="bob body"))
    alice.sync()
    [conflict] = bob.sync().conflicts
    assert set(conflict["fields"]) == {"title", "body"}
    resolve_conflict(bob.db, conflict["id"], fields={"title": "remote"}, today=TODAY, now=NOW)
    merged = _only(bob.db)
    assert (merged.title, merged.body) == ("Stroke: act FAST", "bob body")
    bob.sync()
    alice.sync()
    assert (_only(alice.db).title, _only(alice.db).body) == ("Stroke: act FAST", "bob body")


def test_delete_against_edit_is_a_conflict_both_ways(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Kidney day", day=date(2027, 3, 11)))
    add_post(alice.db, Post(title="Sleep week", day=date(2027, 3, 14)))
    alice.sync()
    bob.sync()
    kidney_a, sleep_a = list_posts(alice.db)
    kidney_b, sleep_b = list_posts(bob.db)
    delete_post(alice.db, kidney_a.id)  # deleted there, edited here
    update_post(bob.db, replace(kidney_b, body="bob's new copy"))
    update_post(alice.db, replace(sleep_a, body="alice edits sleep"))  # edited there, deleted here
    delete_post(bob.db, sleep_b.id)
    alice.sync()
    result = bob.sync()
    kinds = sorted(c["kind"] for c in result.conflicts)
    assert kinds == ["deleted-here", "deleted-there"]
    assert [p.title for p in list_posts(bob.db)] == [
        "Kidney day"
    ]  # nothing deleted while undecided

    by_kind = {c["kind"]: c for c in result.conflicts}
    resolve_conflict(bob.db, by_kind["deleted-there"]["id"], keep="local", today=TODAY, now=NOW)
    resolve_conflict(bob.db, by_kind["deleted-here"]["id"], keep="remote", today=TODAY, now=NOW)
    assert not bob.sync().needs_decision
    alice.sync()
    for db in (alice.db, bob.db):
        assert sorted((p.title, p.body) for p in list_posts(db)) == [
            ("Kidney day", "bob's new copy"),
            ("Sleep week", "alice edits sleep"),
        ]


def test_conflicts_are_listed_with_their_target(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Donor day", day=date(2027, 4, 1)))
    alice.sync()
    bob.sync()
    update_post(alice.db, replace(_only(alice.db), title="Donor day A"))
    update_post(bob.db, replace(_only(bob.db), title="Donor day B"))
    alice.sync()
    bob.sync()
    [listed] = list_conflicts(bob.db)
    assert (
        listed.target == "team"
        and listed.local["title"] == "Donor day B"
        and listed.remote["title"] == "Donor day A"
    )
    assert any(e.action == "sync-conflict" for e in change_log(bob.db, entity="post"))


def test_dry_run_changes_nothing_on_either_side(team, radicale):
    alice, bob, url = team
    add_post(alice.db, Post(title="Hand hygiene", day=date(2027, 5, 5)))
    preview = alice.sync(dry_run=True)
    assert preview.pushed["new"] == 1
    status, _, body = radicale.request("PROPFIND", url, headers={"Depth": "1"})
    assert b"post-" not in body
    assert pending_changes(alice.db, "team") == 1
    alice.sync()
    assert bob.sync(dry_run=True).pulled["new"] == 1
    assert list_posts(bob.db) == []


def test_campaigns_tag_colours_and_stars_travel(team):
    alice, bob, _ = team
    add_campaign(
        alice.db,
        Campaign(
            name="Heart Month",
            start=date(2027, 2, 1),
            end=date(2027, 2, 28),
            goal="BP screenings",
            colour="red",
        ),
    )
    add_post(
        alice.db,
        Post(
            title="Know your numbers", day=date(2027, 2, 3), campaign="Heart Month", tags=("heart",)
        ),
    )
    set_tag_colour(alice.db, "heart", "crimson")
    set_preference(alice.db, "american-heart-month", starred=True)
    alice.sync()
    bob.sync()
    campaign = get_campaign(bob.db, "Heart Month")
    assert (campaign.start, campaign.end, campaign.goal, campaign.colour) == (
        date(2027, 2, 1),
        date(2027, 2, 28),
        "BP screenings",
        "red",
    )
    assert _only(bob.db).campaign == "Heart Month"
    assert {t.name: t.colour for t in list_tags(bob.db)}["heart"] == "crimson"
    assert preferences(bob.db)["american-heart-month"].starred

    set_preference(bob.db, "american-heart-month", starred=False, muted=True)
    bob.sync()
    alice.sync()
    assert preferences(alice.db)["american-heart-month"].muted
    assert not preferences(alice.db)["american-heart-month"].starred


def test_status_change_travels_and_stays_valid(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Staff spotlight", day=date(2027, 6, 1), status=Status.DRAFT))
    alice.sync()
    bob.sync()
    update_post(bob.db, replace(_only(bob.db), status=Status.REVIEW))
    bob.sync()
    alice.sync()
    assert get_post(alice.db, _only(alice.db).id).status is Status.REVIEW


def test_a_reused_post_id_is_a_new_post_not_an_edit(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Keep me", day=date(2027, 7, 1)))
    last = add_post(alice.db, Post(title="Delete me", day=date(2027, 7, 2)))
    alice.sync()
    bob.sync()
    delete_post(alice.db, last.id)
    reused = add_post(alice.db, Post(title="Brand new", day=date(2027, 7, 3)))
    assert reused.id == last.id  # SQLite hands the highest id out again
    assert pending_changes(alice.db, "team") == 2
    result = alice.sync()
    assert result.pushed == {"new": 1, "updated": 0, "deleted": 1}
    bob.sync()
    assert sorted(p.title for p in list_posts(bob.db)) == ["Brand new", "Keep me"]


def test_the_change_log_records_each_sync_and_what_it_sent(team):
    alice, _, _ = team
    post = add_post(alice.db, Post(title="Logged", day=date(2027, 7, 9)))
    alice.sync()
    [entry] = [e for e in change_log(alice.db, entity="sync") if e.action == "sync"]
    assert entry.entity_id == "team" and entry.changes["pushed_posts"]["new"] == [post.id]
    assert entry.changes["pushed"]["new"] == 1


def test_a_campaign_changed_on_both_sides_is_a_team_conflict(team):
    alice, bob, _ = team
    add_campaign(alice.db, Campaign(name="Flu Season", goal="10k shots"))
    alice.sync()
    bob.sync()
    update_campaign(alice.db, replace(get_campaign(alice.db, "Flu Season"), goal="12k shots"))
    update_campaign(bob.db, replace(get_campaign(bob.db, "Flu Season"), goal="15k shots"))
    set_preference(bob.db, "world-kidney-day", starred=True)  # an unrelated change merges quietly
    alice.sync()
    result = bob.sync()
    [conflict] = result.conflicts
    assert conflict["kind"] == "team" and conflict["uid"].endswith("#campaign:flu season")
    assert get_campaign(bob.db, "Flu Season").goal == "15k shots"
    alice.sync()
    assert (
        get_campaign(alice.db, "Flu Season").goal == "12k shots"
    )  # bob's goal did not overwrite it
    assert preferences(alice.db)["world-kidney-day"].starred

    resolve_conflict(bob.db, conflict["id"], keep="local", today=TODAY, now=NOW)
    assert not bob.sync().needs_decision
    alice.sync()
    assert get_campaign(alice.db, "Flu Season").goal == "15k shots"
