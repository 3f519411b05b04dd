"""A third-party calendar client's edits (raw HTTP PUTs of VEVENTs) come down to both teammates."""

from __future__ import annotations

import re
from datetime import date, time

from calendar_data.models import Post, Status
from calendar_data.posts import add_post, list_posts
from calendar_data.storage.changelog import change_log


def _resource(radicale, url: str) -> tuple[str, str, bytes]:
    """The one post resource in the calendar: (href, etag, data), found the way a client would (PROPFIND)."""
    status, _, body = radicale.request("PROPFIND", url, headers={"Depth": "1"})
    hrefs = [h for h in re.findall(rb"<[^>]*href>([^<]+\.ics)</", body) if b"post-" in h]
    assert status == 207 and len(hrefs) == 1, body
    href = hrefs[0].decode()
    status, headers, data = radicale.request("GET", radicale.base + href)
    return href, headers["ETag"], data


def test_a_calendar_clients_edit_comes_down(team, radicale):
    alice, bob, url = team
    add_post(
        alice.db,
        Post(
            title="Blood drive",
            day=date(2027, 4, 8),
            time=time(10, 0),
            body="Give blood this Thursday.",
            tags=("donation",),
            status=Status.DRAFT,
        ),
    )
    alice.sync()
    bob.sync()
    href, etag, data = _resource(radicale, url)
    text = data.decode()
    # what Thunderbird does when someone retitles the event, moves it and rewrites the notes;
    # it also drops an X- property it does not know
    text = text.replace("SUMMARY:Blood drive", "SUMMARY:Blood drive (moved)")
    text = re.sub(
        r"DTSTART;TZID=America/New_York:\d{8}T\d{6}",
        "DTSTART;TZID=America/New_York:20270409T140000",
        text,
    )
    text = re.sub(
        r"DTEND;TZID=America/New_York:\d{8}T\d{6}",
        "DTEND;TZID=America/New_York:20270409T141500",
        text,
    )
    text = re.sub(
        r"DESCRIPTION:.*?\r\n(?=[A-Z])",
        "DESCRIPTION:Give blood on Friday instead.\r\n",
        text,
        flags=re.S,
    )
    text = re.sub(r"X-CARECAL-BODY:.*?\r\n(?=[A-Z])", "", text, flags=re.S)
    status, _, body = radicale.request(
        "PUT",
        radicale.base + href,
        text.encode(),
        {"If-Match": etag, "Content-Type": "text/calendar; charset=utf-8"},
    )
    assert status in (201, 204), body

    for teammate in (alice, bob):
        result = teammate.sync()
        assert result.pulled["updated"] == 1 and not result.conflicts
        [post] = list_posts(teammate.db)
        assert (post.title, post.day, post.time, post.body) == (
            "Blood drive (moved)",
            date(2027, 4, 9),
            time(14, 0),
            "Give blood on Friday instead.",
        )
        assert post.tags == ("donation",) and post.status is Status.DRAFT  # carecal's fields kept
        [edit] = [
            e
            for e in change_log(teammate.db, entity="post", entity_id=post.id)
            if e.action == "update"
        ]
        assert edit.who.startswith("a calendar app") and edit.who.endswith("via sync team")


def test_an_event_a_client_creates_becomes_an_idea(team, radicale):
    alice, _, url = team
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
        "BEGIN:VEVENT\r\nUID:3f8e2a10-thunderbird-event\r\nDTSTAMP:20270301T120000Z\r\n"
        "DTSTART;VALUE=DATE:20270415\r\nDTEND;VALUE=DATE:20270416\r\nSUMMARY:Post about hand washing\r\n"
        "DESCRIPTION:Idea from the infection control team\r\nCATEGORIES:hygiene\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    status, _, _ = radicale.request(
        "PUT",
        url + "3f8e2a10-thunderbird-event.ics",
        ics.encode(),
        {"If-None-Match": "*", "Content-Type": "text/calendar"},
    )
    assert status == 201
    assert alice.sync().pulled["new"] == 1
    [post] = list_posts(alice.db)
    assert (post.title, post.day, post.time, post.status, post.body, post.tags) == (
        "Post about hand washing",
        date(2027, 4, 15),
        None,
        Status.IDEA,
        "Idea from the infection control team",
        ("hygiene",),
    )
    again = alice.sync()  # it settles: nothing bounces back and forth
    assert again.pulled == {"new": 0, "updated": 0, "deleted": 0} and not again.conflicts
    assert alice.sync().pushed == {"new": 0, "updated": 0, "deleted": 0}


def test_odd_resource_names_are_neither_refetched_nor_lost(team, radicale):
    """Listings and multiget disagree on quoting '@' and spaces; a full listing must still find the event."""
    alice, _, url = team
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        "BEGIN:VEVENT\r\nUID:7kukuqrfedlm2f9t0vue9l@google.com\r\nDTSTAMP:20270301T120000Z\r\n"
        "DTSTART:20270420T150000Z\r\nDTEND:20270420T160000Z\r\nSUMMARY:Town hall\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    status, _, _ = radicale.request(
        "PUT",
        url + "7kukuqrfedlm2f9t0vue9l%40google.com%20copy.ics",
        ics.encode(),
        {"Content-Type": "text/calendar"},
    )
    assert status == 201
    assert alice.sync().pulled["new"] == 1
    alice.db.execute("UPDATE sync_targets SET sync_token = NULL")  # force a full listing next time
    alice.db.conn.commit()
    for _ in range(2):
        again = alice.sync()
        assert again.pulled == {"new": 0, "updated": 0, "deleted": 0}, again.to_json()
    [post] = list_posts(alice.db)
    assert (post.title, post.time) == (
        "Town hall",
        time(11, 0),
    )  # 15:00 UTC is 11:00 in New York (EDT)
