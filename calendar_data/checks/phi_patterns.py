"""Regular expressions and word lists used by :mod:`calendar_data.checks.phi`.

Kept apart from the scanner so the detection logic stays readable and the
patterns can be reviewed (and tuned) in one place. Everything here is data:
compiled patterns, frozensets and small lookup tables, no behaviour.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text, easier to review than a literal."""
    return frozenset(text.split())


# --- messages and overlap ranks -----------------------------------------------

WHY: dict[str, str] = {
    "phone": "Looks like a phone number that is not one of the organisation's public numbers; remove it or use the main line.",
    "fax": "Looks like a fax number that is not one of the organisation's public numbers; remove it.",
    "email": "Looks like an email address outside the organisation's domains; remove it or point people to a team inbox.",
    "ssn": "Looks like a Social Security number; never publish it, so delete it from the copy and any image.",
    "mrn": "Looks like a medical record number, which identifies a patient; remove it.",
    "account": "Looks like an account, member, policy or claim number, which identifies a person; remove it.",
    "dated-event": "A full date next to a birth, admission, discharge, surgery or death word can identify a patient; give the month or year only.",
    "street-address": "Looks like a street address that is not a public organisation address; remove it or name the town only.",
    "zip4": "A ZIP+4 code narrows a location to a handful of homes; use the town name instead.",
    "ip-address": "Looks like an IP address, which can identify a person's device or network; remove it.",
    "url-identifier": "This link carries a personal identifier (an ID, name or email) in its address; link to a page without it.",
    "device-serial": "Looks like a device serial number, VIN or licence plate, which can be traced to a person; remove or blur it.",
    "age-over-89": "Ages over 89 count as identifiers under HIPAA; say 'over 90' or leave the age out.",
    "patient-name": "Looks like a person's name in a patient post with no consent on file; get written consent or remove the name.",
}

#: When findings overlap, the higher rank wins (then the longer span).
RANK: dict[str, int] = {
    "url-identifier": 10,
    "email": 9,
    "street-address": 9,
    "ssn": 8,
    "fax": 8,
    "mrn": 8,
    "account": 8,
    "device-serial": 8,
    "dated-event": 7,
    "ip-address": 6,
    "zip4": 6,
    "phone": 5,
    "age-over-89": 5,
    "patient-name": 3,
}

# --- phone / fax -------------------------------------------------------------

#: North American numbers: (608) 555-0100, 608-555-0100, 608.555.0100,
#: +1 608 555 0100. Separators are required so bare digit runs (order numbers,
#: counts) are not mistaken for phones.
US_PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+?1[\s.-]?)?"
    r"(?:\((?P<area1>[2-9]\d{2})\)\s?|(?P<area2>[2-9]\d{2})[\s.-])"
    r"[2-9]\d{2}[\s.-]\d{4}(?![\w-]|\.\d)"
)
#: International numbers written with a leading +country code (not +1).
INTL_PHONE = re.compile(r"(?<![\w+])\+[2-9]\d{0,2}(?:[\s.-]?\d{1,4}){2,5}(?![\w-]|\.\d)")
#: Ten digits with no separators; only counted as a phone after a phone/fax label.
BARE_PHONE = re.compile(r"(?<![\w+/.-])(?:\+?1)?[2-9]\d{2}[2-9]\d{6}(?![\w-]|\.\d)")
#: Toll-free area codes: business lines, never a patient's own number.
TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})
#: The label closest before a number decides whether it is a fax or a voice line.
FAX_LABEL = re.compile(r"\b(?:fax(?:ed|es)?|facsimile)\b|\bF\s*:", re.I)
VOICE_LABEL = re.compile(
    r"\b(?:phone|ph|tel|telephone|call|text|cell|mobile|voice)\b|\b[PT]\s*:", re.I
)

# --- email / SSN / record numbers ----------------------------------------------

EMAIL = re.compile(r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b")

#: Formatted SSN; area 000, 666 and 9xx are never issued, group 00 and serial
#: 0000 neither, so those are skipped.
SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
#: Unformatted or space-separated SSN, only when labelled as such.
SSN_LABELLED = re.compile(
    r"\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*"
    r"(?P<val>(?!000|666|9\d\d)\d{3}[\s-]?\d{2}[\s-]?\d{4})(?![\w-])",
    re.I,
)

_ID_VALUE = r"[A-Z0-9][A-Z0-9-]{3,30}[A-Z0-9]"
_NUM_WORD = r"(?:\s*(?:number|no\.?|num\.?|#|id))?"

MRN = re.compile(
    r"\b(?:MRN|M\.R\.N\.|medical\s+record"
    + _NUM_WORD
    + r"|(?:record|chart)\s*(?:number|no\.?|num\.?|#)|(?:patient|pt\.?)\s*(?:id|number|no\.?|#))"
    r"\s*[:#]?\s*(?P<val>(?=(?:[A-Z-]*\d){3})" + _ID_VALUE + r")\b",
    re.I,
)
ACCOUNT = re.compile(
    r"\b(?:account|acct|member\s*id|subscriber\s*id|policy|claim|billing\s*id|medicare|medicaid"
    r"|beneficiary|insurance\s*id|health\s*plan\s*id)\b\.?"
    + _NUM_WORD
    + r"\s*[:#]?\s*(?P<val>(?=(?:[A-Z-]*\d){5})"
    + _ID_VALUE
    + r")\b",
    re.I,
)

# --- dates next to health-event words ---------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
FULL_DATE = re.compile(
    r"(?<![\d/-])(?:\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|\d{4}[/-]\d{1,2}[/-]\d{1,2})(?![\d/-])"
    r"|\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4}\b",
    re.I,
)
#: Words that turn a date into a patient event (HIPAA "dates related to an
#: individual"). "birth center", "discharge lounge" etc. are facilities, not events.
EVENT_WORD = re.compile(
    r"\b(?:born|birth(?:day|date)?|date\s+of\s+birth|DOB|D\.O\.B\.?|admit(?:ted)?|admission"
    r"|discharged?|passed\s+away|died|death|deceased|surgery|operated\s+on)\b"
    r"(?!'s)(?!\s+(?:center|centre|unit|lounge|office|suite|class(?:es)?|planning|department|team|tours?)\b)",
    re.I,
)
EVENT_WINDOW = 40

# --- places ------------------------------------------------------------------------

_DIRECTION = r"(?:[NSEW]|N[EW]|S[EW]|North|South|East|West)\.?"
_STREET_WORD = r"(?:[A-Z][a-zA-Z'-]*|\d+(?:st|nd|rd|th))"
_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Trl)"
)
STREET_ADDRESS = re.compile(
    r"(?<![\w$.,/-])\d{1,6}[A-Z]?\s+(?:"
    + _DIRECTION
    + r"\s+)?(?:"
    + _STREET_WORD
    + r"\s+){1,3}"
    + _SUFFIX
    + r"\b(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
    r"(?:\.?,?\s*(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*#?[A-Za-z0-9-]+)?"
    r"(?:\.?,\s*[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)?(?:,?\s+[A-Z]{2}\b\.?(?:\s+\d{5}(?:-\d{4})?)?|(?=[.!?]|$)))?"
)
#: Canonical forms so "45 Elm St." equals "45 elm street" in the allow list.
ADDRESS_CANON = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "lane": "ln",
    "drive": "dr",
    "court": "ct",
    "place": "pl",
    "terrace": "ter",
    "circle": "cir",
    "highway": "hwy",
    "parkway": "pkwy",
    "trail": "trl",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "suite": "ste",
    "apartment": "apt",
}
ZIP4 = re.compile(r"(?<![\w-])\d{5}-\d{4}(?![\w-])")

# --- network / links -------------------------------------------------------------

IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![\w:])")
VERSION_PREFIX = re.compile(
    r"\b(?:v|ver|version|build|release|ios|android|firmware|update)\.?\s*$", re.I
)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\]]+", re.I)
URL_TRAILING = ".,;:!?)'\""
#: Query keys whose value is itself an identifier, whatever it looks like.
URL_ID_KEYS = frozenset(
    {
        "patient",
        "patient_id",
        "patientid",
        "pid",
        "mrn",
        "dob",
        "birthdate",
        "ssn",
        "email",
        "name",
        "fullname",
        "full_name",
        "first_name",
        "firstname",
        "last_name",
        "lastname",
        "fname",
        "lname",
        "phone",
        "member_id",
        "memberid",
        "account",
        "acct",
        "chart",
        "user",
        "username",
        "userid",
        "uid",
        "patientname",
        "patient_name",
    }
)
#: Path segments that, followed by a segment with digits, point at one person.
URL_ID_SEGMENTS = frozenset(
    {
        "patient",
        "patients",
        "mrn",
        "record",
        "records",
        "chart",
        "charts",
        "member",
        "members",
        "person",
        "people",
        "user",
        "users",
        "account",
        "accounts",
    }
)

# --- devices / vehicles --------------------------------------------------------------

DEVICE_SERIAL = re.compile(
    r"\b(?:serial" + _NUM_WORD + r"|s/n|sn|device\s*id|vin"
    r"|licen[cs]e\s*plate"
    + _NUM_WORD
    + r"|plate\s*(?:number|no\.?|#)|asset\s*tag|tag\s*(?:number|no\.?|#))"
    r"\s*[:#]?\s*(?P<val>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9])\b",
    re.I,
)
#: Bare 17-character VIN (letters I, O and Q are never used in VINs).
VIN = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b")

# --- ages ----------------------------------------------------------------------------

AGE_PATTERNS = (
    re.compile(r"\b(?P<n>\d{2,3})[- ](?:year|yr)s?[- ]old\b", re.I),
    re.compile(r"\b(?P<n>\d{2,3})\s*(?:yo|y/o|y\.o\.)(?!\w)", re.I),
    re.compile(
        r"\baged?\s*[:=]?\s+(?P<n>\d{2,3})\b(?!\s*(?:%|percent|years?\s+of|days?|months?|weeks?))",
        re.I,
    ),
    re.compile(r"\bturn(?:ed|s|ing)?\s+(?P<n>\d{2,3})\b(?!\s*(?:%|percent|years?\s+of))", re.I),
    re.compile(r"\b(?P<n>\d{2,3})(?:st|nd|rd|th)\s+birthday\b", re.I),
    re.compile(r"\b(?:his|her|their)\s+(?P<n>\d{2,3})(?:st|nd|rd|th)\b", re.I),
    re.compile(r"(?<=[A-Za-z], )(?P<n>\d{2,3})(?=, )"),
)
AGE_MIN, AGE_MAX = 90, 125
#: Nouns showing the "age" belongs to a thing, not a person ("100-year-old building").
NON_PERSON_AGE = re.compile(
    r"\b(?:building|hospital|tradition|institution|organi[sz]ation|foundation|church|company"
    r"|campus|school|college|tree|program|practice|clinic|center|centre|tower|to\s+us|history)\b",
    re.I,
)

# --- names ---------------------------------------------------------------------------

NAME_TOKEN = re.compile(r"(?<![\w#@'’-])[A-Z](?:['’][A-Z])?[a-z]+(?:['’-]?[A-Z][a-z]+)*(?![\w@’'])")
#: Clinician / staff titles: a name right after one is staff, not a patient.
TITLES = frozenset(
    {
        "Dr",
        "Doctor",
        "Nurse",
        "Prof",
        "Professor",
        "Chaplain",
        "Pastor",
        "Rev",
        "Coach",
        "Dietitian",
        "Therapist",
        "Surgeon",
        "Officer",
        "Chief",
        "President",
        "Director",
        "Manager",
        "Supervisor",
        "Pharmacist",
        "Midwife",
        "Volunteer",
        "Paramedic",
        "Sister",
    }
)
TITLE_BEFORE = re.compile(r"\b(?:Dr|Doctor|Nurse|Prof|Rev|RN|MD|NP|PA|CEO|CNO|CMO)\.?\s*$")
CREDENTIAL_AFTER = re.compile(r"^,?\s*(?:RN|MD|DO|NP|PA-C|PhD|BSN|MSN|DNP|CNM|CRNA|LPN|PT|OT)\b")
#: Words that mark a capitalised run as an organisation, event or campaign.
ORG_WORDS = _words("""
Hospital Hospitals Medical Medicine Center Centre Health Healthcare Clinic Clinics Awareness Month
Day Week Foundation Association Heart Cancer University Institute Team Unit Department Services
Care Regional Memorial Community College School Society Council Program Network System Pavilion
Tower Wing Lab Laboratory Pharmacy Emergency Trauma Surgery Rehab Rehabilitation Burn Sports
Advisory National American Award Gala Run Walk Fair Live Children's Children Women's Cardiology
Orthopedics Oncology Pediatrics Neurology Radiology Obstetrics Maternity Hospice Wellness Vascular
Board Fund Lifeline Crisis Line Club Church Avenue Road Drive
County City State Street Elementary High Middle Campus Garage Office Suite Room Building
Safety Quality Nursing Nurses Doctors Physicians Volunteers Week's Heights Valley Gardens Marathon
Highway Route Exit Lot Interstate Bridge Airport Station Mall Library Help Hotline Helpline Poison Social Security
""")
#: Capitalised words that are not names: sentence starters, greetings, days,
#: months, directions, family words. Stripped from a run rather than voiding it.
NON_NAME_WORDS = _words("""
Meet Thank Thanks Welcome Congratulations Congrats Happy Please Join Our The This That These Those
We You Your Little Baby Grandma Grandpa Granny Mom Dad Mr Mrs Ms Miss Mx Come After Before Today
Tomorrow Yesterday Update Patient Story Staff Reminder Note Share Sharing Hear Read Watch Say Says
Cheer Cheers Go Get Send Shout Kudos Love Big Huge Special Sweet Brave Mighty Wishing
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March July
September October November December North South East West Northeast Northwest Southeast
Southwest Navy Army Marine Air Force Veteran Mother Father Sister Brother Son Daughter Aunt Uncle
Hello Hi Hey And But Or So If When While Now Here There What Who Why How Did Do Does Is Are Was
Were It Its His Her Their They She He Yes No New Good Great Best Merry Every All Also Just Ask
Take Call Visit Bring Stop Check Learn Find Book Register Sign Try Use Keep Wear Know Stay Protect
Remember Don't Let Make Give Donate Celebrate Support Follow Download Reach Text Email Contact
""")
