"""check_post: PHI, consent, evidence, health claims and channel limits, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from calendar_data.checks.findings import (
    blocking,
    check_post,
    claim_spans,
    is_trusted,
    needs_attention,
    post_media,
    reasons,
)
from calendar_data.checks.overrides import Override
from calendar_data.models import Channel, Consent, ContentType, Post
from calendar_data.settings import Settings

TODAY = date(2026, 11, 21)
SETTINGS = Settings(
    allowed_phones=("(608) 555-0100",),
    allowed_addresses=("1 Riverside Way",),
    allowed_domains=("riverside.org",),
)
CONSENT = Consent(
    form_ref="PX-1",
    signed_on=date(2026, 11, 1),
    expires_on=date(2027, 11, 1),
    channels=(Channel.FACEBOOK, Channel.INSTAGRAM),
    media=("photo", "story"),
    recorded_by="Jo",
)


def post(**fields) -> Post:
    return Post(**({"title": "Winter wellness", "day": date(2026, 12, 1), "id": 7} | fields))


def check(p: Post, **kwargs):
    return check_post(p, SETTINGS, today=kwargs.pop("today", TODAY), **kwargs)


def kinds(findings, type_=None):
    return [(f.type, f.kind) for f in findings if type_ is None or f.type == type_]


def test_a_clean_post_has_no_findings():
    assert check(post(body="Wrap up warm and check on older neighbours. #WinterWellness")) == []


# --- PHI: each identifier type, a positive and a near miss ---------------------------------

PHI_CASES = [
    (
        "phone",
        "Call Maria's daughter at (608) 555-0143 for updates.",
        "Call our nurse line at 1-800-555-0100 anytime.",
    ),
    ("fax", "Fax the referral to 608-555-0199 today.", "Fax forms are on our website."),
    ("email", "Questions? Email jane.doe84@gmail.com", "Questions? Email news@riverside.org"),
    ("ssn", "Her SSN 123-45-6789 was on the form.", "Room 123-45 is closed for cleaning."),
    ("mrn", "Patient MRN: 00482913 is recovering.", "Our MRN system upgrade is done."),
    (
        "account",
        "Member ID: W123456789 called about billing.",
        "Create a patient portal account today.",
    ),
    (
        "dated-event",
        "Theo was born on March 3, 2025 in our NICU.",
        "Our birth center opens March 3, 2025.",
    ),
    (
        "street-address",
        "Send cards to 42 Maple Avenue, Springfield.",
        "Visit us at 1 Riverside Way.",
    ),
    ("zip4", "He lives in 53703-1234 now.", "Serving ZIP 53703 and nearby."),
    (
        "ip-address",
        "Logged in from 192.168.14.22 last night.",
        "Download version 2.10.4.1 of the app.",
    ),
    (
        "url-identifier",
        "See https://portal.example.org/chart?patient_id=448812",
        "Read more at https://www.cdc.gov/flu/index.html",
    ),
    (
        "device-serial",
        "Pacemaker S/N: PM4471829X was implanted.",
        "Serial killers of sleep: caffeine and screens.",
    ),
    (
        "age-over-89",
        "Our 94-year-old patient walked out today.",
        "Our 89-year-old volunteer knits hats.",
    ),
]


@pytest.mark.parametrize(
    ("kind", "positive", "near_miss"), PHI_CASES, ids=[c[0] for c in PHI_CASES]
)
def test_each_identifier_type_blocks_and_its_near_miss_does_not(kind, positive, near_miss):
    [finding] = check(post(body=positive))
    assert (finding.type, finding.kind, finding.field, finding.blocking) == (
        "phi",
        kind,
        "body",
        True,
    )
    assert positive[finding.span[0] : finding.span[1]] == finding.text
    assert finding.key == f"{kind}:{finding.text}"
    assert check(post(body=near_miss)) == []


def test_the_organisations_public_phone_is_allowed():
    assert check(post(body="Book a flu shot: (608) 555-0100.")) == []


def test_names_are_checked_only_in_patient_posts_without_consent():
    body = "Meet Jordan Ellis, who beat the odds."
    assert check(post(body=body)) == []
    names = kinds(check(post(body=body, features_patient=True)), "phi")
    assert names == [("phi", "patient-name")]
    consented = post(
        body=body, features_patient=True, consent=CONSENT, channels=(Channel.FACEBOOK,)
    )
    assert check(consented) == []


def test_title_and_asset_descriptions_are_scanned_too():
    found = check(
        post(title="Call 608-555-0143", assets=("photo.jpg", "Caption: MRN 00482913 at discharge"))
    )
    assert [(f.field, f.kind) for f in found] == [("title", "phone"), ("assets[1]", "mrn")]


def test_private_notes_are_not_scanned():
    assert check(post(private_notes="Family: 608-555-0143")) == []


def test_an_override_keeps_the_finding_but_stops_it_blocking():
    p = post(body="Call the family on 608-555-0143.")
    [finding] = check(p)
    accepted = Override(
        7, finding.key, "family's public fundraising line", "rev", datetime(2026, 11, 20)
    )
    [after] = check(p, overrides=[accepted])
    assert not after.blocking and after.override == accepted
    assert "overridden by rev" in after.message
    assert blocking([after]) == [] and not needs_attention([after])


def test_an_override_stops_matching_when_the_text_changes():
    accepted = Override(7, "phone:608-555-0143", "ok", "rev", datetime(2026, 11, 20))
    [finding] = check(post(body="Call the family on 608-555-0144."), overrides=[accepted])
    assert finding.blocking and finding.override is None


# --- consent -----------------------------------------------------------------------------


def patient_post(**fields) -> Post:
    return post(
        **({"features_patient": True, "channels": (Channel.FACEBOOK,), "consent": CONSENT} | fields)
    )


def test_valid_consent_passes():
    assert check(patient_post()) == []


def test_a_patient_post_without_consent_blocks():
    [finding] = check(patient_post(consent=None))
    assert (finding.type, finding.kind, finding.field, finding.blocking) == (
        "consent",
        "missing",
        "consent",
        True,
    )
    assert "consent add 7" in finding.message


@pytest.mark.parametrize(
    ("expires", "today", "day", "kind"),
    [
        (date(2026, 11, 20), TODAY, date(2026, 11, 25), "expired"),
        (date(2026, 11, 21), TODAY, date(2026, 11, 21), None),  # valid through its last day
        (date(2026, 11, 30), TODAY, date(2026, 12, 1), "expires-before-post"),
        (date(2026, 12, 1), TODAY, date(2026, 12, 1), None),
        (
            date(2026, 11, 30),
            date(2026, 12, 5),
            date(2026, 11, 29),
            "expired",
        ),  # approving a past post late
    ],
)
def test_expiry_is_checked_against_today_and_the_post_date(expires, today, day, kind):
    consent = Consent("PX-1", date(2026, 1, 1), expires, (Channel.FACEBOOK,), ("photo",))
    found = kinds(check(patient_post(consent=consent, day=day), today=today))
    assert found == ([] if kind is None else [("consent", kind)])


def test_consent_signed_in_the_future_or_without_expiry_blocks():
    future = Consent("PX-1", date(2026, 12, 1), date(2027, 12, 1), (Channel.FACEBOOK,), ("photo",))
    assert kinds(check(patient_post(consent=future))) == [("consent", "not-signed")]
    open_ended = Consent("PX-1", date(2026, 1, 1), None, (Channel.FACEBOOK,), ("photo",))
    assert kinds(check(patient_post(consent=open_ended))) == [("consent", "no-expiry")]


def test_a_channel_outside_the_consent_scope_blocks():
    [finding] = check(patient_post(channels=(Channel.FACEBOOK, Channel.LINKEDIN, Channel.X)))
    assert finding.kind == "channel-scope"
    assert "LinkedIn, X" in finding.message and "Facebook, Instagram" in finding.message


def test_media_outside_the_consent_scope_blocks():
    assert check(patient_post(assets=("https://cdn.example/maria.JPG",))) == []
    [finding] = check(patient_post(assets=("https://cdn.example/maria.mp4?x=1",)))
    assert finding.kind == "media-scope" and "video" in finding.message


def test_media_is_read_from_assets_and_video_channels():
    assert post_media(post(assets=("a.png", "b.mov", "c.mp3", "notes.pdf"))) == [
        "photo",
        "video",
        "audio",
    ]
    assert post_media(post(channels=(Channel.YOUTUBE,))) == ["video"]


def test_consent_is_ignored_for_posts_not_featuring_a_patient():
    expired = Consent("PX-1", date(2020, 1, 1), date(2020, 2, 1), (), ())
    assert check(post(consent=expired, channels=(Channel.X,))) == []


def test_a_patient_story_not_marked_as_one_still_needs_consent():
    """The mark is lost on the way in from an .ics file; the content type still says patient story."""
    found = check(post(content_type=ContentType.PATIENT_STORY))
    assert [(f.kind, f.blocking) for f in found if f.type == "consent"] == [("missing", True)]
    assert needs_attention(found)


def test_consent_messages_never_name_the_form():
    expired = Consent(
        "MARK-FORM-9b2c", date(2025, 1, 1), date(2026, 1, 1), (Channel.X,), ("story",)
    )
    found = check(
        post(features_patient=True, consent=expired, channels=(Channel.X, Channel.FACEBOOK))
    )
    assert found and all("MARK-FORM" not in f.message for f in found)
    assert any("consent on file expired on 2026-01-01" in f.message for f in found)


# --- evidence and claims ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", [ContentType.EDUCATIONAL, ContentType.MYTH_BUSTING, ContentType.CRISIS_UPDATE]
)
def test_evidence_types_need_a_trusted_source(content_type):
    assert kinds(check(post(content_type=content_type))) == [("evidence", "no-source")]
    untrusted = post(content_type=content_type, sources=("https://wellness-blog.example.com/flu",))
    assert kinds(check(untrusted)) == [("evidence", "untrusted")]
    mixed = post(
        content_type=content_type, sources=("https://blog.example.com", "https://www.cdc.gov/flu/")
    )
    assert check(mixed) == []


@pytest.mark.parametrize(
    "content_type",
    [ContentType.ANNOUNCEMENT, ContentType.RECRUITMENT, ContentType.INFOGRAPHIC, None],
)
def test_other_types_need_no_source(content_type):
    assert check(post(content_type=content_type)) == []


@pytest.mark.parametrize(
    ("url", "trusted"),
    [
        ("https://www.cdc.gov/flu/", True),
        ("https://www.myplate.gov/", True),  # ".gov" covers every .gov host
        ("https://www.nhs.uk/conditions/flu/", True),
        ("https://pubmed.ncbi.nlm.nih.gov/123/", True),
        ("https://www.nejm.org/doi/full/10.1056/x", True),
        ("https://cdc.gov.example.com/", False),
        ("https://notcdc.gov.evil.io/", False),
        ("https://fakewho.int.example/", False),
        ("https://mynhs.uk.example/", False),
        ("https://governance.example.com/", False),
    ],
)
def test_trusted_domains_match_whole_labels(url, trusted):
    assert is_trusted(url, SETTINGS.trusted_domains) is trusted


def test_the_trusted_list_comes_from_settings():
    settings = Settings(trusted_domains=("heart.org",))
    p = post(content_type=ContentType.EDUCATIONAL, sources=("https://www.cdc.gov/",))
    assert kinds(check_post(p, settings, today=TODAY)) == [("evidence", "untrusted")]


@pytest.mark.parametrize(
    "text",
    [
        "Walking 30 minutes a day reduces your risk of heart disease.",
        "A flu shot lowers the risk of hospitalisation.",
        "Sunscreen prevents skin cancer.",
        "This tea cures colds.",
        "Studies show that sleep matters.",
        "Research finds laughter helps.",
        "Clinically proven to work.",
        "Vaccination cuts deaths by 40%.",
        "1 in 3 adults has high blood pressure.",
    ],
)
def test_health_claims_without_a_source_are_warned(text):
    found = check(post(body=text))
    assert found and all((f.type, f.blocking) == ("claim", False) for f in found)
    assert needs_attention(found)


@pytest.mark.parametrize(
    "text",
    [
        "It's Suicide Prevention Month: here is where to find help.",
        "Our fall prevention team turns 10.",
        "We raised 40% more for the toy drive this year.",
        "Join 3 in 4 staff who volunteer.",
        "Study hall for nursing students opens Monday.",
        "Risky business? Our new café opens Monday.",
    ],
)
def test_near_miss_claims_are_not_warned(text):
    assert check(post(body=text)) == []


def test_a_claim_with_a_source_is_not_warned():
    assert (
        check(post(body="A flu shot reduces your risk.", sources=("https://www.cdc.gov/flu/",)))
        == []
    )


def test_claim_spans_merge_overlaps():
    text = "Studies show it prevents 50% of heart attacks."
    spans = claim_spans(text)
    assert [text[s:e] for s, e in spans] == ["Studies show", "prevents", "50%"]


# --- channel limits ----------------------------------------------------------------------


def test_over_the_limit_blocks_for_that_channel():
    found = check(post(body="x" * 281, channels=(Channel.X, Channel.FACEBOOK)))
    assert kinds(found) == [("channel", "x")]
    assert found[0].blocking and found[0].field == "body"


def test_findings_serialise_for_json():
    [finding] = check(post(body="Call 608-555-0143"))
    data = finding.to_json()
    assert data == {
        "post_id": 7,
        "field": "body",
        "type": "phi",
        "kind": "phone",
        "span": [5, 17],
        "text": "608-555-0143",
        "message": finding.message,
        "blocking": True,
        "key": "phone:608-555-0143",
        "overridden": None,
    }


def test_reasons_name_the_field():
    found = check(patient_post(consent=None, body="Call 608-555-0143"))
    assert [r.split(":")[0] for r in reasons(found)] == ["body", "consent"]


# --- evidence: an observance's own source (issue 13) -------------------------------------


def test_an_observances_own_source_is_trusted_for_posts_linked_to_it():
    wkd = post(
        content_type=ContentType.EDUCATIONAL,
        observance_id="world-kidney-day",
        sources=("https://www.worldkidneyday.org/",),
    )
    assert check(wkd) == []  # the curated list's source, looked up by id
    campaign_page = replace(wkd, sources=("https://worldkidneyday.org/2027-campaign/",))
    assert check(campaign_page) == []
    unlinked = replace(wkd, observance_id=None)
    assert kinds(check(unlinked)) == [("evidence", "untrusted")]
    other = replace(wkd, observance_id="world-hand-hygiene-day")
    assert kinds(check(other)) == [("evidence", "untrusted")]


def test_an_untrusted_source_names_the_observances_site():
    p = post(
        content_type=ContentType.EDUCATIONAL,
        observance_id="world-kidney-day",
        sources=("https://kidney-blog.example.com/",),
    )
    [finding] = check(p)
    assert finding.kind == "untrusted" and "worldkidneyday.org" in finding.message


def test_a_custom_observances_source_is_passed_in():
    p = post(
        content_type=ContentType.MYTH_BUSTING,
        observance_id="riverside-founders-day",
        sources=("https://history.riverside-foundation.example/",),
    )
    assert kinds(check(p)) == [("evidence", "untrusted")]
    ok = check(p, observance_source="https://www.riverside-foundation.example/founders")
    assert ok == []
