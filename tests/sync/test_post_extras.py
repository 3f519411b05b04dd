"""What travels with a post besides its fields: each channel's own copy, through a real Radicale."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from calendar_data.models import Channel, Post
from calendar_data.posts import add_post, get_post, list_posts, update_post
from calendar_data.sync.state import items


def _only(db) -> Post:
    [post] = list_posts(db)
    return post


def test_per_channel_copy_travels_is_edited_and_removed(team, radicale):
    alice, bob, _ = team
    mine = add_post(
        alice.db,
        Post(
            title="Flu shots this week",
            day=date(2027, 3, 12),
            body="Walk-in flu shots all week at the main clinic.",
            channels=(Channel.FACEBOOK, Channel.X),
            variants=((Channel.X, "Walk-in #flu shots all week!"),),
        ),
    )
    alice.sync()
    bob.sync()
    assert _only(bob.db).variants == ((Channel.X, "Walk-in #flu shots all week!"),)

    update_post(bob.db, replace(_only(bob.db), variants=((Channel.X, "Flu shots: walk in!"),)))
    assert bob.sync().pushed["updated"] == 1
    assert alice.sync().pulled["updated"] == 1
    assert get_post(alice.db, mine.id).variants == ((Channel.X, "Flu shots: walk in!"),)

    update_post(alice.db, replace(get_post(alice.db, mine.id), variants=()))
    alice.sync()
    bob.sync()
    assert _only(bob.db).variants == ()
    assert alice.sync().pushed == bob.sync().pushed == {"new": 0, "updated": 0, "deleted": 0}


def test_a_post_without_variants_keeps_the_wire_it_had_before_they_travelled(team):
    alice, _, _ = team
    add_post(alice.db, Post(title="Heart month", day=date(2027, 2, 1)))
    alice.sync()
    [item] = [i for i in items(alice.db, 1).values() if i.kind == "post"]
    assert "variants" not in item.synced_data  # so calendars synced before sent nothing again
