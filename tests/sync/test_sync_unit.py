"""The pure parts of sync, no server: what leaves the machine, VEVENT round trips, the team-list merge."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from calendar_data.models import Channel, Consent, ContentType, Post, Status
from calendar_data.sync.targets import check_url, is_loopback
from calendar_data.sync.team import merge
from calendar_data.sync.vevent import TEAM_UID, parse_resource, post_ics, strip_footer, team_ics
from calendar_data.sync.wire import OPTIONAL_FIELDS, POST_FIELDS, post_wire, tidy_wire, wire_hash

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
CONSENT = Consent(
    form_ref="F-77",
    signed_on=date(2027, 1, 2),
    expires_on=date(2028, 1, 2),
    channels=(Channel.INSTAGRAM,),
    media=("photo",),
    recorded_by="dana",
)


def _post(**kw) -> Post:
    base = dict(
        id=4,
        title="Ana's recovery",
        day=date(2027, 3, 9),
        time=time(16, 45),
        body="Ana, 34, is home.\n#Recovery",
        status=Status.REVIEW,
        content_type=ContentType.PATIENT_STORY,
        channels=(Channel.INSTAGRAM, Channel.FACEBOOK),
        tags=("stories", "Ortho"),
        hashtags=("#OurHospital",),
        owner="dana",
        sources=("https://cdc.gov/x",),
        features_patient=True,
        consent=CONSENT,
        private_notes="mother called, do not name",
    )
    return Post(**(base | kw))


def test_wire_has_every_public_field_and_never_the_notes():
    wire = post_wire(_post(), share_consent=False)
    assert list(wire) == [
        f for f in POST_FIELDS if f not in OPTIONAL_FIELDS
    ]  # no variants: left out
    with_copy = replace(_post(), variants=((Channel.INSTAGRAM, "Short copy"),))
    assert list(post_wire(with_copy, share_consent=False)) == list(POST_FIELDS)
    assert "private_notes" not in wire and "do not name" not in str(wire)
    assert wire["consent"] == {
        "on_file": True,
        "channels": ["instagram"],
        "media": ["photo"],
        "expires_on": "2028-01-02",
    }
    shared = post_wire(_post(), share_consent=True)["consent"]
    assert (shared["form_ref"], shared["signed_on"], shared["recorded_by"]) == (
        "F-77",
        "2027-01-02",
        "dana",
    )


def test_a_post_survives_the_round_trip_through_a_vevent():
    for zone in ("America/New_York", "UTC", "Asia/Kolkata"):
        copy = ((Channel.INSTAGRAM, "Ana is home! #Recovery"),)
        for post in (
            _post(),
            _post(time=None, consent=None, features_patient=False, body=""),
            _post(variants=copy),
        ):
            wire = post_wire(post, share_consent=True)
            data = post_ics(
                "post-4-abc@carecal", wire, zone=zone, now=NOW, sequence=3, editor="dana"
            )
            res = parse_resource(data, zone=zone)
            assert (res.uid, res.kind, res.editor) == ("post-4-abc@carecal", "post", "dana")
            assert res.data == wire, zone
            assert wire_hash(res.data) == wire_hash(wire)


def test_variants_a_client_dropped_keep_their_last_synced_value_and_empty_ones_are_removed():
    wire = post_wire(_post(variants=((Channel.INSTAGRAM, "Short"),)), share_consent=False)
    data = post_ics("post-4-abc@carecal", wire, zone="UTC", now=NOW)
    dropped = b"\r\n".join(
        line for line in data.split(b"\r\n") if not line.startswith(b"X-CARECAL-VARIANTS")
    )
    assert parse_resource(dropped, zone="UTC", base=wire).data["variants"] == {"instagram": "Short"}
    none = post_ics(
        "post-4-abc@carecal", post_wire(_post(), share_consent=False), zone="UTC", now=NOW
    )
    assert b"X-CARECAL-VARIANTS:{}" in none  # written empty, so a removal reaches the other side
    assert "variants" not in parse_resource(none, zone="UTC", base=wire).data


def test_the_vevent_is_one_any_calendar_shows():
    data = post_ics(
        "post-4-abc@carecal",
        post_wire(_post(), share_consent=False),
        zone="America/New_York",
        now=NOW,
    )
    text = data.replace(b"\r\n ", b"").decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:America/New_York" in text
    assert "DTSTART;TZID=America/New_York:20270309T164500" in text
    assert (
        "SUMMARY:Ana's recovery" in text and "DESCRIPTION:Ana\\, 34\\, is home.\\n#Recovery" in text
    )
    assert "Channels: facebook\\, instagram" in text and "STATUS:TENTATIVE" in text
    assert "do not name" not in text and "F-77" not in text


def test_times_are_read_in_the_teams_zone():
    wire = post_wire(_post(consent=None, features_patient=False), share_consent=False)
    data = post_ics("u@x", wire, zone="Europe/London", now=NOW)
    ny = parse_resource(
        data, zone="America/New_York"
    ).data  # 9 March: London on GMT, New York on EST
    assert (ny["date"], ny["time"]) == ("2027-03-09", "11:45")
    late = post_ics("u@x", wire | {"time": "23:30"}, zone="Europe/London", now=NOW)
    assert parse_resource(late, zone="Asia/Tokyo").data["date"] == "2027-03-10"


def test_description_footer_is_stripped_from_a_client_edit():
    assert (
        strip_footer("New copy here\n\nHashtags: #a\nChannels: x\nStatus: draft") == "New copy here"
    )
    assert strip_footer("Hashtags: #a\nOwner: dana") == ""
    assert strip_footer("Keep this\n\nStatus: quo is fine, says the nurse\nand more") == (
        "Keep this\n\nStatus: quo is fine, says the nurse\nand more"
    )


def test_tidy_fills_what_a_client_dropped_from_the_base_and_checks_values():
    base = post_wire(_post(consent=None, features_patient=False), share_consent=False)
    tidy = tidy_wire({"title": "New title", "date": "2027-03-10", "time": None}, base)
    assert (
        tidy["title"] == "New title"
        and tidy["channels"] == base["channels"]
        and tidy["owner"] == "dana"
    )
    with pytest.raises(ValueError):
        tidy_wire({"title": "", "date": "2027-03-10"}, base)
    with pytest.raises(ValueError):
        tidy_wire({"title": "x", "date": "2027-13-10"}, base)
    with pytest.raises(ValueError):
        tidy_wire({"title": "x", "date": "2027-03-10", "status": "maybe"}, base)


def test_broken_resources_are_refused_with_a_reason():
    for data, why in (
        (b"not ical", "not an iCalendar"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "no VEVENT"),
    ):
        with pytest.raises(ValueError, match=why):
            parse_resource(data, zone="UTC")


def test_team_lists_round_trip_and_merge_entry_by_entry():
    lists = {
        "campaign:heart": {
            "name": "Heart",
            "start": "2027-02-01",
            "end": None,
            "goal": "",
            "colour": "",
            "tags": [],
            "archived": False,
        },
        "observance:world-kidney-day": {"starred": True, "muted": False},
    }
    res = parse_resource(team_ics(lists, now=NOW, first_day=date(2027, 3, 1)), zone="UTC")
    assert (res.uid, res.kind, res.data) == (TEAM_UID, "team", lists)
    base = {"tag:a": {"name": "a", "colour": "red"}, "tag:b": {"name": "b", "colour": "blue"}}
    local = {"tag:a": {"name": "a", "colour": "green"}, "tag:b": {"name": "b", "colour": "blue"}}
    remote = {
        "tag:a": {"name": "a", "colour": "red"},
        "tag:b": {"name": "b", "colour": "gold"},
        "tag:c": {"name": "c", "colour": "pink"},
    }
    to_apply, upload, clashes = merge(base, local, remote, set())
    assert to_apply == {"tag:b": remote["tag:b"], "tag:c": remote["tag:c"]}
    assert upload["tag:a"] == local["tag:a"] and not clashes
    _, _, clashes = merge(base, local, {**remote, "tag:a": {"name": "a", "colour": "black"}}, set())
    assert clashes == {"tag:a"}


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("localhost", True),
        ("10.0.0.1", False),
        ("example.org", False),
    ],
)
def test_loopback(host, expected):
    assert is_loopback(host) is expected


def test_http_warning_only_with_the_flag():
    assert check_url("https://dav.example.org/cal/", allow_http=False) is None
    assert check_url("http://127.0.0.1:5232/cal/", allow_http=False) is None
    assert "unencrypted" in check_url("http://dav.example.org/cal/", allow_http=True)


def test_sync_package_loads_without_textual_and_keeps_each_library_in_one_module():
    code = (
        "import importlib, pkgutil, sys, calendar_data.sync as s\n"
        "for m in pkgutil.iter_modules(s.__path__): importlib.import_module('calendar_data.sync.' + m.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
    sources = {p.name: p.read_text() for p in (ROOT / "calendar_data").rglob("*.py")}
    assert [n for n, t in sources.items() if "import caldav" in t or "from caldav" in t] == [
        "server.py"
    ]
    assert [n for n, t in sources.items() if "import keyring" in t] == ["credentials.py"]
