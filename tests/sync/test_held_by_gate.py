"""A post this machine's gate holds back stays here as review/draft and is not sent back (no bouncing).

Two calendars ("alice" and "bob") through one real Radicale. The gates differ the way real
machines' gates differ: an override recorded on alice's machine (overrides never travel), or a
consent from older data without an expiry date. Every sync after the first is counted at the
server: no PUT, no DELETE and no fetch.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date

from click.testing import CliRunner

from calendar_data.checks.approval import add_override
from calendar_data.checks.review import findings_for
from calendar_data.consent import _write_consent, get_consent, record_consent
from calendar_data.models import Channel, Consent, Post, Status
from calendar_data.posts import add_post, get_post, list_posts, update_post
from calendar_data.sync import resolve_conflict, sync_status
from calendar_data.sync.server import Server
from tests.sync.conftest import NOW, PASSWORD, TODAY, USER, make_teammate
from tui.cli.entry import main


class CountingServer(Server):
    """The real client, counting what it asks of the server."""

    def __init__(self, url: str) -> None:
        super().__init__(url, username=USER, password=PASSWORD)
        self.calls: Counter = Counter()

    def fetch(self, hrefs):
        hrefs = list(hrefs)
        self.calls["fetched"] += len(hrefs)
        return super().fetch(hrefs)

    def put(self, href, data, *, etag, create):
        self.calls["put"] += 1
        return super().put(href, data, etag=etag, create=create)

    def delete(self, href, *, etag):
        self.calls["delete"] += 1
        return super().delete(href, etag=etag)


def _quiet_rounds(alice, bob, url: str, rounds: int = 2) -> None:
    """`rounds` more syncs on each side move nothing: no request that writes or downloads."""
    for _ in range(rounds):
        for mate in (alice, bob):
            server = CountingServer(url)
            try:
                result = mate.sync(server=server)
            finally:
                server.close()
            assert server.calls == Counter(), server.calls
            assert result.pushed == {"new": 0, "updated": 0, "deleted": 0}
            assert result.pulled == {"new": 0, "updated": 0, "deleted": 0}
            assert not result.gated and result.pending == 0


def overridden_phone_post(db, status: Status) -> Post:
    """A post whose PHI finding alice's reviewer accepted here (the override stays on this machine)."""
    post = add_post(
        db,
        Post(
            title="Book your screening",
            day=date(2027, 2, 20),
            body="Call the screening desk at 555-201-3344 to book.",
        ),
    )
    [finding] = findings_for(db, post, today=TODAY)
    add_override(db, post, finding.key, "the screening desk's public line", today=TODAY)
    post = update_post(db, replace(post, status=Status.APPROVED), today=TODAY)
    if status is Status.PUBLISHED:
        post = update_post(db, replace(post, status=Status.PUBLISHED), today=TODAY)
    return post


def test_published_post_held_by_the_receivers_gate_does_not_bounce(team):
    alice, bob, url = team
    mine = overridden_phone_post(alice.db, Status.PUBLISHED)
    alice.sync()
    first = bob.sync()

    [theirs] = list_posts(bob.db)
    assert theirs.status is Status.REVIEW  # held here: no override on this machine
    assert [g["post_id"] for g in first.gated] == [theirs.id]
    assert any("555-201-3344" in r for r in first.gated[0]["reasons"])
    assert [h["post_id"] for h in first.held] == [theirs.id]
    assert first.pushed == {"new": 0, "updated": 0, "deleted": 0}  # the hold is not a local edit
    [status] = sync_status(bob.db)
    assert (status.pending, status.held) == (0, 1)

    _quiet_rounds(alice, bob, url)
    assert get_post(alice.db, mine.id).status is Status.PUBLISHED
    assert get_post(bob.db, theirs.id).status is Status.REVIEW
    [status] = sync_status(bob.db)
    assert status.held == 1


def test_approved_post_held_elsewhere_keeps_its_approval_here(team):
    alice, bob, url = team
    mine = overridden_phone_post(alice.db, Status.APPROVED)
    alice.sync()
    bob.sync()
    _quiet_rounds(alice, bob, url)
    assert get_post(alice.db, mine.id).status is Status.APPROVED  # never undone by bob's gate
    [theirs] = list_posts(bob.db)
    assert theirs.status is Status.REVIEW

    # bob's reviewer accepts the same finding here and approves: both sides agree, nothing to send
    [finding] = findings_for(bob.db, theirs, today=TODAY)
    add_override(bob.db, theirs, finding.key, "the screening desk's public line", today=TODAY)
    update_post(bob.db, replace(theirs, status=Status.APPROVED), today=TODAY)
    agreed = bob.sync()
    assert agreed.pushed == {"new": 0, "updated": 0, "deleted": 0} and not agreed.held
    _quiet_rounds(alice, bob, url)


def test_a_held_post_changed_again_by_its_sender_is_checked_again_and_still_not_sent_back(team):
    alice, bob, url = team
    mine = overridden_phone_post(alice.db, Status.PUBLISHED)
    alice.sync()
    bob.sync()
    update_post(alice.db, replace(get_post(alice.db, mine.id), title="Book your screening today"))
    assert alice.sync().pushed["updated"] == 1
    again = bob.sync()
    [theirs] = list_posts(bob.db)
    assert again.pulled["updated"] == 1 and again.pushed["updated"] == 0
    assert (theirs.title, theirs.status) == ("Book your screening today", Status.DRAFT)
    assert [h["post_id"] for h in again.held] == [theirs.id]
    _quiet_rounds(alice, bob, url)


def test_a_real_edit_of_a_held_post_is_sent(team):
    alice, bob, url = team
    mine = overridden_phone_post(alice.db, Status.APPROVED)
    alice.sync()
    bob.sync()
    [theirs] = list_posts(bob.db)
    fixed = update_post(
        bob.db, replace(theirs, body="Call our main line to book.", status=Status.APPROVED)
    )
    assert fixed.status is Status.APPROVED  # passes bob's gate without the phone number
    [status] = sync_status(bob.db)
    assert (status.pending, status.held) == (1, 0)  # an edit: waiting to go, no longer a hold
    sent = bob.sync()
    assert sent.pushed["updated"] == 1 and not sent.held
    assert sync_status(bob.db)[0].held == 0
    alice.sync()
    after = get_post(alice.db, mine.id)
    assert (after.body, after.status) == ("Call our main line to book.", Status.APPROVED)
    _quiet_rounds(alice, bob, url)


def test_consent_without_expiry_is_recorded_and_the_post_held_with_that_reason(team):
    alice, bob, url = team
    post = add_post(
        alice.db,
        Post(
            title="Maria's recovery story",
            day=date(2027, 3, 10),
            channels=(Channel.FACEBOOK,),
            features_patient=True,
            owner="alice",
        ),
    )
    record_consent(
        alice.db,
        post.id,
        Consent(
            form_ref="FORM-2019-017",
            signed_on=date(2019, 5, 2),
            expires_on=date(2028, 1, 1),
            channels=(Channel.FACEBOOK,),
            media=("photo", "story"),
            recorded_by="alice",
        ),
    )
    update_post(alice.db, replace(get_post(alice.db, post.id), status=Status.APPROVED), today=TODAY)
    with (
        alice.db.atomic()
    ):  # older data: the same consent recorded before expiry dates were required
        _write_consent(
            alice.db,
            post.id,
            replace(get_consent(alice.db, post.id), expires_on=None),
            who="alice",
            now=None,
        )
    alice.sync()
    first = bob.sync()

    [theirs] = list_posts(bob.db)
    on_file = get_consent(bob.db, theirs.id)
    assert on_file is not None, first.warnings  # recorded as the wire says, expiry absent
    assert (on_file.expires_on, on_file.channels, on_file.media) == (
        None,
        (Channel.FACEBOOK,),
        ("photo", "story"),
    )
    assert "FORM-2019-017" not in on_file.form_ref
    assert theirs.status is Status.REVIEW
    [held] = first.held
    assert held["post_id"] == theirs.id and any("no expiry" in r for r in held["reasons"])
    assert not [w for w in first.warnings if "consent" in w]

    _quiet_rounds(alice, bob, url)
    kept = get_consent(alice.db, post.id)
    assert (kept.form_ref, kept.expires_on) == ("FORM-2019-017", None)
    assert get_post(alice.db, post.id).status is Status.APPROVED


def test_the_cli_says_what_this_machine_holds_back_on_every_sync(radicale, tmp_path, monkeypatch):
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", PASSWORD)
    url = radicale.new_calendar()
    alice = make_teammate(tmp_path / "alice.db", url)
    overridden_phone_post(alice.db, Status.PUBLISHED)
    alice.sync()
    runner = CliRunner()

    def bob(*args: str):
        return runner.invoke(
            main,
            ["--today", "2027-03-01", *args, "--db", str(tmp_path / "bob.db")],
            catch_exceptions=False,
        )

    added = bob(
        "sync", "add", "team", url, "--user", USER, "--password-env", "CARECAL_TEST_PASSWORD"
    )
    assert added.exit_code == 0, added.output
    first = bob("sync")
    assert first.exit_code == 0, first.output
    assert "pulled 1 new" in first.stdout and "pushed 0 new, 0 changed" in first.stdout
    assert "1 post held back by this machine's approval gate" in first.stdout
    assert "review here, published on the server" in first.stdout and "555-201-3344" in first.stdout
    again = bob("sync", "--json")
    [report] = json.loads(again.stdout)
    assert (report["pulled"], report["pushed"]) == ({"new": 0, "updated": 0, "deleted": 0},) * 2
    [held] = report["held"]
    assert (held["status"], held["remote_status"]) == ("review", "published")
    [row] = json.loads(bob("sync", "list", "--json").stdout)
    assert (row["pending"], row["held"]) == (0, 1)
    alice.db.close()


def test_keeping_the_servers_version_of_a_conflict_holds_it_here_without_sending_it(team):
    alice, bob, url = team
    mine = overridden_phone_post(alice.db, Status.APPROVED)
    alice.sync()
    bob.sync()
    [theirs] = list_posts(bob.db)
    update_post(bob.db, replace(theirs, title="Book a screening (bob)"))
    update_post(alice.db, replace(get_post(alice.db, mine.id), title="Book a screening (alice)"))
    alice.sync()
    [conflict] = bob.sync().conflicts
    resolve_conflict(bob.db, conflict["id"], keep="remote", today=TODAY, now=NOW)
    after = get_post(bob.db, theirs.id)
    assert (after.title, after.status) == ("Book a screening (alice)", Status.DRAFT)
    done = bob.sync()
    assert done.pushed == {"new": 0, "updated": 0, "deleted": 0} and not done.conflicts
    assert [h["post_id"] for h in done.held] == [theirs.id]
    _quiet_rounds(alice, bob, url)
    assert get_post(alice.db, mine.id).status is Status.APPROVED
