"""Unit tests for the PHI scanner: each identifier kind, its near misses, the
allow list, consent handling, span accuracy and overlap resolution."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.checks.phi import (
    IDENTIFIER_KINDS,
    WHY,
    PhiAllowList,
    PhiFinding,
    scan_fields,
    scan_text,
)

ALLOW = PhiAllowList(
    phones=("(608) 555-0100", "+1 608.555.0199"),
    addresses=("1200 Lakeshore Drive", "45 Elm St."),
    domains=("riversidehealth.org",),
)


def kinds(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text(text, **kwargs)]  # type: ignore[arg-type]


# --- positives: (text, kind, expected matched text) -----------------------------------

POSITIVES = [
    # phone
    ("Call Jenna at 608-555-4417 today.", "phone", "608-555-4417"),
    ("Owner can call (414) 555-2390.", "phone", "(414) 555-2390"),
    ("Family line 312.555.8841", "phone", "312.555.8841"),
    ("Text +1 608 555 0147 for a ride", "phone", "+1 608 555 0147"),
    ("London office: +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
    ("Reach me on my cell 6085551234", "phone", "6085551234"),
    ("Direct line (608) 555-2291 ext. 14", "phone", "(608) 555-2291 ext. 14"),
    # fax
    ("Fax referrals to 608-555-0160.", "fax", "608-555-0160"),
    ("P: (608) 555-0100  F: (608) 555-0161", "fax", "(608) 555-0161"),
    ("Send it by fax: (608) 555-3321", "fax", "(608) 555-3321"),
    # email
    ("Email maria.lopez82@gmail.com for details", "email", "maria.lopez82@gmail.com"),
    ("WRITE TO JOHN.DOE@HOTMAIL.COM", "email", "JOHN.DOE@HOTMAIL.COM"),
    (
        "Contact us at media@riversidehealth.org.evil.com",
        "email",
        "media@riversidehealth.org.evil.com",
    ),
    # ssn
    ("Form shows 123-45-6789 clearly", "ssn", "123-45-6789"),
    ("SSN: 219099999 on the card", "ssn", "219099999"),
    ("Social Security 078 05 1120", "ssn", "078 05 1120"),
    # mrn
    ("MRN 00482913 at the bedside", "mrn", "00482913"),
    ("MRN: 00731188", "mrn", "00731188"),
    ("Chart #A7781234 on screen", "mrn", "A7781234"),
    ("medical record number: RH2023-88812", "mrn", "RH2023-88812"),
    ("record # 4471209 went home", "mrn", "4471209"),
    ("Pt ID 4455667 on the whiteboard", "mrn", "4455667"),
    # account
    ("acct # 55820913 was paid", "account", "55820913"),
    ("Member ID: XJH449201833", "account", "XJH449201833"),
    ("policy #88372201 approved", "account", "88372201"),
    ("claim no. 2024-0045521 won", "account", "2024-0045521"),
    ("Medicare # 1EG4-TE5-MK73", "account", "1EG4-TE5-MK73"),
    # dated-event
    ("Born 03/14/1952 right here.", "dated-event", "03/14/1952"),
    ("Emma was born on January 5, 2025 at dawn", "dated-event", "January 5, 2025"),
    ("DOB: 7/4/1938", "dated-event", "7/4/1938"),
    ("She had surgery on 14 March 2025.", "dated-event", "14 March 2025"),
    ("He passed away on Feb. 2, 2025.", "dated-event", "Feb. 2, 2025"),
    ("Admitted 2024-11-02 with pneumonia", "dated-event", "2024-11-02"),
    ("Admission date: 2025/01/17", "dated-event", "2025/01/17"),
    ("DOB 3-14-52 on the band", "dated-event", "3-14-52"),
    ("born Jan 3rd, 2025 at 24 weeks", "dated-event", "Jan 3rd, 2025"),
    ("Discharged December 24, 2024 in time for the holidays", "dated-event", "December 24, 2024"),
    # street-address
    ("Donations to 2218 Maple Ave, Apt 3B please", "street-address", "2218 Maple Ave, Apt 3B"),
    ("Deliveries to 415 N. Oak Street", "street-address", "415 N. Oak Street"),
    ("Fire at 88 Cedar Lane this morning", "street-address", "88 Cedar Lane"),
    ("Fundraiser at 1509 Sunset Blvd.", "street-address", "1509 Sunset Blvd"),
    ("Start at 212 W Main St and walk", "street-address", "212 W Main St"),
    ("Clinic at 100 5th Ave opens", "street-address", "100 5th Ave"),
    (
        "Mail to 1600 Pennsylvania Avenue NW, Apartment 4C",
        "street-address",
        "1600 Pennsylvania Avenue NW, Apartment 4C",
    ),
    (
        "Cards to 73 Birch Court, Madison, WI 53703-1234 please",
        "street-address",
        "73 Birch Court, Madison, WI 53703-1234",
    ),
    # zip4
    ("PO Box 1180, Madison WI 53701-1180", "zip4", "53701-1180"),
    # ip-address
    ("Backup server at 10.42.8.17.", "ip-address", "10.42.8.17"),
    ("Router 192.168.4.22 visible", "ip-address", "192.168.4.22"),
    ("Tablet at 2001:db8:85a3::8a2e:370:7334 today", "ip-address", "2001:db8:85a3::8a2e:370:7334"),
    ("Loopback ::1 shows", "ip-address", "::1"),
    # url-identifier
    (
        "Results: https://portal.example.com/results?patient_id=884213.",
        "url-identifier",
        "https://portal.example.com/results?patient_id=884213",
    ),
    (
        "Link https://bit.ly/x?email=jane.doe@gmail.com",
        "url-identifier",
        "https://bit.ly/x?email=jane.doe@gmail.com",
    ),
    (
        "See https://records.example.net/patients/55102/summary",
        "url-identifier",
        "https://records.example.net/patients/55102/summary",
    ),
    (
        "www.example.com/story?name=Sam-Hartley",
        "url-identifier",
        "www.example.com/story?name=Sam-Hartley",
    ),
    (
        "https://x.example.org/view?id=12345",
        "url-identifier",
        "https://x.example.org/view?id=12345",
    ),
    # device-serial
    ("hearing aid, serial no. HA-449812, found", "device-serial", "HA-449812"),
    ("pacemaker (S/N PJN7730125)", "device-serial", "PJN7730125"),
    ("VIN 1HGCM82633A004352 in the bay", "device-serial", "1HGCM82633A004352"),
    ("car 1HGCM82633A004352 in the bay", "device-serial", "1HGCM82633A004352"),
    ("License plate WXR-4410 is blocking", "device-serial", "WXR-4410"),
    ("pump device ID: MMT-1780-A22991", "device-serial", "MMT-1780-A22991"),
    ("laptop (asset tag RH-22918)", "device-serial", "RH-22918"),
    # age-over-89
    ("Our 94-year-old patient", "age-over-89", "94-year-old"),
    ("At 97 years old, Harold", "age-over-89", "97 years old"),
    ("a woman aged 91 was", "age-over-89", "aged 91"),
    ("Our runner, age 93, trains", "age-over-89", "age 93"),
    ("our patient, age: 101, says", "age-over-89", "age: 101"),
    ("She turned 100 last week", "age-over-89", "turned 100"),
    ("Happy 102nd birthday, Edna!", "age-over-89", "102nd birthday"),
    ("celebrated her 100th with us", "age-over-89", "her 100th"),
    ("Edna, 95, knits hats", "age-over-89", "95"),
    ("pt is 92 y/o", "age-over-89", "92 y/o"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), POSITIVES)
def test_detects_identifier(text: str, kind: str, expected: str) -> None:
    assert (kind, expected) in kinds(text, allow=ALLOW)


# --- near misses: nothing of the named kind (or nothing at all) should be found --------

NEGATIVES = [
    ("Questions? Call (608) 555-0100, open 24/7.", None),  # allowed public number
    ("Fax: 608-555-0199", None),  # allowed number, digits-only comparison
    ("Call 911 or text 988, the Suicide & Crisis Lifeline.", None),
    ("Poison Help: 1-800-222-1222", None),  # toll-free business line
    ("Call 1-800-QUIT-NOW for help", None),
    ("Text HOME to 741741", None),
    ("Order 6085551234 shipped", "phone"),  # bare digits without a phone label
    ("Results in 24-48 hours, open 9:30-11:00", None),
    ("Gala tickets are $150, $1,200 for a table of 8", None),
    ("1 in 8 women will get breast cancer", None),
    ("Media: media@riversidehealth.org", None),
    ("Jobs: careers@jobs.riversidehealth.org", None),
    ("Part 000-12-3456 and 666-12-3456 and 912-34-5678", "ssn"),
    ("Part 123-00-4567 or 123-45-0000", "ssn"),
    ("Call 123-456-7890", "ssn"),
    ("Release medical records requests to Room 104", None),
    ("Our MRN system upgrade is done", None),
    ("Our visitor policy 2025 update", None),
    ("Ask for claim forms at the desk", None),
    ("Join us March 14, 2027 for our health fair", None),
    ("The 5K is Saturday, September 20, 2025.", None),
    ("Our birth center's open house is Saturday, May 10, 2025.", None),
    ("Our new discharge lounge opened 11/01/2025.", None),
    ("Founded on June 1, 1925 by the Sisters of Mercy", None),
    ("We remember the lives lost on September 11, 2001.", None),
    ("He died peacefully on March 2.", None),  # no year: not a full date
    ("Visit us at 1200 Lakeshore Drive, Suite 300.", None),  # allowed address + suite
    ("North entrance at 45 Elm Street is closed", None),  # St./Street normalised
    ("Take Highway 12 to exit 5", None),
    ("Room 214 of the Wellness Pavilion", None),
    ("Our 3 West team hit 365 days", None),
    ("App version 3.2.1 and iOS 17.5.1", None),
    ("Upgrade to Epic 2024.1 tonight", None),
    ("version 1.2.3.4 released", None),
    ("Meeting at 10:00:00 sharp", None),
    ("Read https://riversidehealth.org/patients/12345", None),  # allowed domain
    ("Facts: https://www.cdc.gov/flu/index.html", None),
    ("Register https://events.example.org/register?id=spring-fair", None),
    ("Serial blood tests track recovery", None),
    ("Tag us in your photos!", None),
    ("Celebrating 100 years of caring!", None),
    ("celebrating 90 years of Riverside Children's", None),
    ("100 years of service to the community", None),
    ("This 100-year-old building houses our school", None),
    ("Happy 100th birthday to our hospital!", None),
    ("For 95 years we have delivered babies", None),
    ("Ask about a 90-day supply", None),
    ("95% of patients recommend us", None),
    ("Adults over age 65 need a flu shot", None),
    ("Vaccines for ages 6 months and up", None),
    ("#NursesWeek2025 #Riverside100", None),
]


@pytest.mark.parametrize(("text", "kind"), NEGATIVES)
def test_near_miss_not_flagged(text: str, kind: str | None) -> None:
    found = kinds(text, allow=ALLOW, features_patient=True)
    if kind is None:
        assert found == []
    else:
        assert all(k != kind for k, _ in found), found


# --- patient names ----------------------------------------------------------------------

NAME_POSITIVES = [
    ("Meet Jordan Whitfield, who spent 63 days in our NICU!", "Jordan Whitfield"),
    ("caring for Marcus Bell after his accident", "Marcus Bell"),
    ("Little Sophie Nguyen rang the bell today", "Sophie Nguyen"),
    ("Our patient of the week: Robert James Kowalski, a veteran", "Robert James Kowalski"),
    ("Happy 105th birthday, Mrs. Alma Jensen!", "Alma Jensen"),
    ("Mary-Kate O'Brien is headed home", "Mary-Kate O'Brien"),
]
NAME_NEGATIVES = [
    "Thank you Dr. Anita Rao and the 6 North team",
    "Thank you Dr Anita Rao for everything",
    "Nurse Tom Walsh was so kind",
    "Kayla Simmons, RN, was named Nurse of the Year",
    "The Riverside Cancer Center opened Monday",
    "Happy Heart Month from the Sports Medicine team",
    "National Wear Red Day is Friday, February 7",
    "Stay strong! #JordanStrong #NICUWarrior",
    "Follow @RiversideHealth on Instagram",
    "Thank you, families, for coming",
]


@pytest.mark.parametrize(("text", "name"), NAME_POSITIVES)
def test_patient_name_flagged_without_consent(text: str, name: str) -> None:
    assert ("patient-name", name) in kinds(text, features_patient=True)


@pytest.mark.parametrize(("text", "name"), NAME_POSITIVES)
def test_patient_name_not_flagged_with_consent_or_non_patient_post(text: str, name: str) -> None:
    assert all(k != "patient-name" for k, _ in kinds(text, features_patient=True, has_consent=True))
    assert all(k != "patient-name" for k, _ in kinds(text, features_patient=False))


@pytest.mark.parametrize("text", NAME_NEGATIVES)
def test_clinicians_and_organisations_are_not_patient_names(text: str) -> None:
    assert all(k != "patient-name" for k, _ in kinds(text, features_patient=True))


# --- allow list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["(608) 555-0100", "608.555.0100", "+1 608 555 0100", "608-555-0199"]
)
def test_allowed_phone_compared_by_digits(number: str) -> None:
    assert kinds(f"Call {number} now", allow=ALLOW) == []
    assert kinds(f"Call {number} now") == [("phone", number)]


@pytest.mark.parametrize(
    "address", ["45 Elm Street", "45 ELM ST", "45 Elm St., Suite 2", "1200 Lakeshore Dr"]
)
def test_allowed_address_normalised(address: str) -> None:
    assert kinds(f"Visit {address} today", allow=ALLOW) == []


def test_similar_address_not_allowed() -> None:
    assert kinds("Visit 12000 Lakeshore Drive today", allow=ALLOW) == [
        ("street-address", "12000 Lakeshore Drive")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "media@riversidehealth.org",
        "jobs@careers.riversidehealth.org",
        "https://www.riversidehealth.org/x?patient=1",
    ],
)
def test_allowed_domain_and_subdomains(text: str) -> None:
    assert kinds(f"See {text} today", allow=ALLOW) == []


def test_lookalike_domain_not_allowed() -> None:
    assert kinds("Email a@notriversidehealth.org", allow=ALLOW) == [
        ("email", "a@notriversidehealth.org")
    ]


# --- spans, overlaps, fields --------------------------------------------------------------

MIXED = (
    "Grandma Rose Dalton (DOB 02/11/1931) is in room 318. Call 608-555-9012 or fax: 608-555-9013, "
    "email rose.d@gmail.com, SSN 123-45-6789, MRN 00482913, 2218 Maple Ave, Apt 3B, "
    "https://x.example.com/a?mrn=77 and she is 95 years old."
)


def test_spans_match_text_and_every_finding_explained() -> None:
    findings = scan_text(MIXED, features_patient=True)
    assert {f.kind for f in findings} == {
        "patient-name",
        "dated-event",
        "phone",
        "fax",
        "email",
        "ssn",
        "mrn",
        "street-address",
        "url-identifier",
        "age-over-89",
    }
    for f in findings:
        assert MIXED[f.start : f.end] == f.text
        assert f.kind in IDENTIFIER_KINDS and f.why == WHY[f.kind] and f.why.endswith(".")
        assert f.field == "body"
    assert [f.start for f in findings] == sorted(f.start for f in findings)


def test_every_kind_has_an_explanation() -> None:
    assert set(WHY) == set(IDENTIFIER_KINDS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fax: 608-555-0160", [("fax", "608-555-0160")]),  # fax over phone
        (
            "Cards to 73 Birch Court, Madison, WI 53703-1234",
            [("street-address", "73 Birch Court, Madison, WI 53703-1234")],
        ),
        (
            "https://bit.ly/x?email=jane@gmail.com",
            [("url-identifier", "https://bit.ly/x?email=jane@gmail.com")],
        ),
        (
            "https://bit.ly/x?patient=1&ip=10.0.0.1",
            [("url-identifier", "https://bit.ly/x?patient=1&ip=10.0.0.1")],
        ),
        ("SSN 123-45-6789", [("ssn", "123-45-6789")]),
    ],
)
def test_overlaps_keep_the_more_specific_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_findings_never_overlap() -> None:
    findings = scan_text(MIXED, features_patient=True)
    for a, b in zip(findings, findings[1:], strict=False):
        assert a.end <= b.start


def test_scan_fields_sorted_by_field_order_then_start() -> None:
    fields = {
        "title": "Meet Jordan Whitfield",
        "body": "Call 608-555-4417 or 608-555-4418",
        "asset": "MRN 00482913",
    }
    findings = scan_fields(fields, features_patient=True, allow=ALLOW)
    assert [(f.field, f.kind) for f in findings] == [
        ("title", "patient-name"),
        ("body", "phone"),
        ("body", "phone"),
        ("asset", "mrn"),
    ]
    assert findings[1].start < findings[2].start
    for f in findings:
        assert fields[f.field][f.start : f.end] == f.text


def test_scan_fields_respects_consent() -> None:
    assert (
        scan_fields({"title": "Meet Jordan Whitfield"}, features_patient=True, has_consent=True)
        == []
    )


def test_finding_is_frozen() -> None:
    finding = PhiFinding("phone", 0, 1, "x", "why")
    with pytest.raises(AttributeError):
        finding.kind = "email"  # type: ignore[misc]


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.booleans(), st.booleans())
def test_scanning_never_raises_and_spans_lie_in_text(
    text: str, features: bool, consent: bool
) -> None:
    for f in scan_text(text, allow=ALLOW, features_patient=features, has_consent=consent):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.kind in IDENTIFIER_KINDS


_PHI_ALPHABET = st.sampled_from(
    list("0123456789-./:()@+# ,abcMRNSVIaged") + ["MRN ", "DOB ", "born ", "St", "http://"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PHI_ALPHABET, max_size=60).map("".join))
def test_scanning_identifier_like_noise_never_raises(text: str) -> None:
    for f in scan_text(text, features_patient=True):
        assert text[f.start : f.end] == f.text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=12), min_size=1, max_size=6))
def test_unformatted_digit_runs_in_plain_prose_are_never_ssn(numbers: list[str]) -> None:
    text = "We served " + " meals and ".join(numbers) + " visitors this spring."
    found = scan_text(text)
    assert all(f.kind != "ssn" for f in found)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 899).filter(lambda n: n != 666), st.integers(1, 99), st.integers(1, 9999))
def test_formatted_ssn_always_found(area: int, group: int, serial: int) -> None:
    ssn = f"{area:03d}-{group:02d}-{serial:04d}"
    assert ("ssn", ssn) in kinds(f"The form shows {ssn} today.")


def test_docstring_states_limits() -> None:
    import calendar_data.checks.phi as phi

    doc = phi.__doc__ or ""
    assert re.search(r"cannot detect", doc) and "consent" in doc and "photo" in doc
