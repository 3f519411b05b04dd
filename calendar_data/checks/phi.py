"""PHI scanner: flags HIPAA identifiers in social-post copy before it is published.

Health-system social teams must never publish a patient's identifiers. This
module scans post text (title, body, asset captions) with deterministic
patterns and explains each hit in plain language, so a comms person can fix
the copy without a privacy officer in the room.

What it detects:
    phone and fax numbers (domestic formats of the team's country and regions
    via libphonenumber, North American formats, +country international
    numbers, local 7-digit numbers, with any extension),
    email addresses, Social Security numbers, medical record numbers, account /
    member / policy / claim numbers, full dates next to birth, admission,
    discharge, surgery or death words, street addresses, ZIP+4 codes, IPv4 and
    IPv6 addresses, links whose path or query carries a patient identifier,
    device serials / VINs / licence plates, ages over 89, and - only for posts
    that feature a patient without consent on file - capitalised personal names.

What it cannot detect:
    identifiers written in free text (a rare diagnosis plus a small town, "the
    only triplets born here this year"), faces or wristbands in photos and
    video, names when consent is on file (by design), nicknames, first names on
    their own, lower-case or unusual names, numbers spelled out in words, phone
    numbers without separators unless a call/text/phone/fax label is just
    before them, dates without a year, links without http(s):// or www., and
    text in languages other than English. Toll-free and shared-cost numbers
    (800, 0800, 1800, 13 xx xx, 0300 ...) are treated as business lines and
    never flagged; domestic numbers of countries outside the team's regions
    are missed unless written with +country. Heuristics misfire when an
    organisation is the subject ("Riverside turns 100", a hospital's founding
    date next to "admitted"). A clean scan is a safety net, not a privacy
    review.

Usage:
    ``scan_text(text, allow=PhiAllowList(...), features_patient=True)`` returns
    a list of :class:`PhiFinding`; ``python tools/phi_eval.py
    tests/data/phi_samples.json`` prints precision and recall on a labelled set
    (see :mod:`calendar_data.checks.phi_eval`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from calendar_data.checks import phi_patterns as P
from calendar_data.checks.phi_phones import DEFAULT_REGIONS, phone_spans

IDENTIFIER_KINDS: tuple[str, ...] = (
    "phone",
    "fax",
    "email",
    "ssn",
    "mrn",
    "account",
    "dated-event",
    "street-address",
    "zip4",
    "ip-address",
    "url-identifier",
    "device-serial",
    "age-over-89",
    "patient-name",
)

#: One plain-language sentence per kind: what was found and what to do.
WHY: dict[str, str] = P.WHY


@dataclass(frozen=True)
class PhiFinding:
    """One suspected identifier in a scanned field.

    Attributes:
        kind: One of :data:`IDENTIFIER_KINDS`.
        start: Start offset in the scanned text.
        end: End offset (exclusive), so ``text[start:end] == finding.text``.
        text: The matched text.
        why: One plain-language sentence explaining the risk and the fix.
        field: Which field was scanned (``title``, ``body``, ``asset``...).
    """

    kind: str
    start: int
    end: int
    text: str
    why: str
    field: str = ""


@dataclass(frozen=True)
class PhiAllowList:
    """The organisation's own public contact details, which are safe to publish.

    Attributes:
        phones: Public numbers in any format; compared as parsed numbers in
            the team's phone regions, or on their last 10 digits (a local
            7-digit mention on its last 7).
        addresses: Public street addresses; compared ignoring case, spacing,
            punctuation and "Street"/"St"-style abbreviations.
        domains: Public domains; emails and links on these domains or their
            subdomains are allowed.
    """

    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


# --- allow-list helpers ---------------------------------------------------------


def _normalise_address(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(P.ADDRESS_CANON.get(w, w) for w in words)


def _address_allowed(address: str, allow: PhiAllowList) -> bool:
    """Allowed when it equals a public address, optionally plus suite/city/ZIP."""
    found = _normalise_address(address)
    for public in allow.addresses:
        base = _normalise_address(public)
        if found == base or found.startswith(base + " "):
            return True
    return False


def _domain_allowed(host: str, allow: PhiAllowList) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in allow.domains)


# --- detectors: each yields (kind, start, end) ------------------------------------

Span = tuple[str, int, int]


def _phones(text: str, allow: PhiAllowList, regions: tuple[str, ...]) -> Iterator[Span]:
    for start, end in phone_spans(text, allow.phones, regions):
        yield (_phone_kind(text, start), start, end)


def _phone_kind(text: str, start: int) -> str:
    """A number is a fax when the nearest label before it says fax."""
    window = text[max(0, start - 30) : start]
    labels = [(m.end(), "fax") for m in P.FAX_LABEL.finditer(window)]
    labels += [(m.end(), "phone") for m in P.VOICE_LABEL.finditer(window)]
    return max(labels)[1] if labels else "phone"


def _emails(text: str, allow: PhiAllowList) -> Iterator[Span]:
    for match in P.EMAIL.finditer(text):
        if not _domain_allowed(match.group().rsplit("@", 1)[1], allow):
            yield ("email", match.start(), match.end())


def _labelled(text: str, kind: str, pattern: re.Pattern[str]) -> Iterator[Span]:
    """Identifier values introduced by a label ("MRN:", "acct #", "S/N")."""
    for match in pattern.finditer(text):
        yield (kind, match.start("val"), match.end("val"))


def _ssns(text: str) -> Iterator[Span]:
    for match in P.SSN.finditer(text):
        yield ("ssn", match.start(), match.end())
    yield from _labelled(text, "ssn", P.SSN_LABELLED)


def _dated_events(text: str) -> Iterator[Span]:
    events = [m.span() for m in P.EVENT_WORD.finditer(text)]
    for match in P.FULL_DATE.finditer(text):
        start, end = match.span()
        if any(s - end <= P.EVENT_WINDOW and start - e <= P.EVENT_WINDOW for s, e in events):
            yield ("dated-event", start, end)


def _addresses(text: str, allow: PhiAllowList) -> Iterator[Span]:
    for match in P.STREET_ADDRESS.finditer(text):
        if not _address_allowed(match.group(), allow):
            yield ("street-address", match.start(), match.end())
    for match in P.ZIP4.finditer(text):
        yield ("zip4", match.start(), match.end())


def _ip_addresses(text: str) -> Iterator[Span]:
    for pattern in (P.IPV4, P.IPV6):
        for match in pattern.finditer(text):
            if P.VERSION_PREFIX.search(text[max(0, match.start() - 12) : match.start()]):
                continue
            try:
                ipaddress.ip_address(match.group())
            except ValueError:
                continue
            yield ("ip-address", match.start(), match.end())


def _urls(text: str, allow: PhiAllowList) -> Iterator[Span]:
    for match in P.URL.finditer(text):
        url = match.group().rstrip(P.URL_TRAILING)
        parts = urlsplit(url if "://" in url else "http://" + url)
        if parts.hostname and _domain_allowed(parts.hostname, allow):
            continue
        if _url_carries_identifier(parts.path, parts.query):
            yield ("url-identifier", match.start(), match.start() + len(url))


def _url_carries_identifier(path: str, query: str) -> bool:
    """True when a query value or a path segment points at one person."""
    for key, value in parse_qsl(query, keep_blank_values=False):
        key = key.lower()
        if key in P.URL_ID_KEYS or P.EMAIL.search(value):
            return True
        if (key == "id" or key.endswith("_id")) and len(re.sub(r"\D", "", value)) >= 3:
            return True
    segments = [s.lower() for s in path.split("/") if s]
    return any(
        seg in P.URL_ID_SEGMENTS and len(re.sub(r"\D", "", nxt)) >= 3
        for seg, nxt in zip(segments, segments[1:], strict=False)
    ) or any("@" in s for s in segments)


def _device_serials(text: str) -> Iterator[Span]:
    yield from _labelled(text, "device-serial", P.DEVICE_SERIAL)
    for match in P.VIN.finditer(text):
        yield ("device-serial", match.start(), match.end())


def _ages(text: str) -> Iterator[Span]:
    for pattern in P.AGE_PATTERNS:
        for match in pattern.finditer(text):
            if not P.AGE_MIN <= int(match.group("n")) <= P.AGE_MAX:
                continue
            context = (
                text[max(0, match.start() - 20) : match.start()]
                + " "
                + text[match.end() : match.end() + 20]
            )
            if not P.NON_PERSON_AGE.search(context):
                yield ("age-over-89", match.start(), match.end())


def _names(text: str) -> Iterator[Span]:
    """Runs of 2-3 capitalised words that are not titles, organisations or starters."""
    for run in _capitalised_runs(text):
        words = [text[s:e] for s, e in run]
        if words[0] in P.TITLES or any(w in P.ORG_WORDS for w in words):
            continue
        for group in _split_on(run, words, P.NON_NAME_WORDS):
            start, end = group[0][0], group[-1][1]
            if not 2 <= len(group) <= 3:
                continue
            if P.TITLE_BEFORE.search(text[max(0, start - 12) : start]) or P.CREDENTIAL_AFTER.search(
                text[end : end + 12]
            ):
                continue
            yield ("patient-name", start, end)


def _split_on(
    run: list[tuple[int, int]], words: list[str], stop: frozenset[str]
) -> list[list[tuple[int, int]]]:
    """Split a run of words at stop words ("Meet Jordan Lee" -> ["Jordan Lee"])."""
    groups: list[list[tuple[int, int]]] = [[]]
    for span, word in zip(run, words, strict=True):
        if word in stop:
            groups.append([])
        else:
            groups[-1].append(span)
    return [g for g in groups if g]


def _capitalised_runs(text: str) -> Iterator[list[tuple[int, int]]]:
    run: list[tuple[int, int]] = []
    for match in P.NAME_TOKEN.finditer(text):
        if run and text[run[-1][1] : match.start()] != " ":
            yield run
            run = []
        run.append(match.span())
    if run:
        yield run


# --- public API -------------------------------------------------------------------------


def _candidates(
    text: str, allow: PhiAllowList, check_names: bool, regions: tuple[str, ...]
) -> Iterable[Span]:
    yield from _phones(text, allow, regions)
    yield from _emails(text, allow)
    yield from _ssns(text)
    yield from _labelled(text, "mrn", P.MRN)
    yield from _labelled(text, "account", P.ACCOUNT)
    yield from _dated_events(text)
    yield from _addresses(text, allow)
    yield from _ip_addresses(text)
    yield from _urls(text, allow)
    yield from _device_serials(text)
    yield from _ages(text)
    if check_names:
        yield from _names(text)


def _resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the most specific kind (then the longest span) where findings overlap."""
    kept: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (-P.RANK[s[0]], s[1] - s[2], s[1])):
        if all(span[2] <= k[1] or span[1] >= k[2] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s[1], s[2]))


def scan_text(
    text: str,
    *,
    allow: PhiAllowList = PhiAllowList(),
    features_patient: bool = False,
    has_consent: bool = False,
    field: str = "body",
    phone_regions: tuple[str, ...] = DEFAULT_REGIONS,
) -> list[PhiFinding]:
    """Find suspected patient identifiers in one piece of post copy.

    Args:
        text: The copy to scan.
        allow: The organisation's public phones, addresses and domains.
        features_patient: The post tells a patient's story; enables name checks.
        has_consent: Written consent is on file, so names are not flagged.
        field: Name of the scanned field, copied onto each finding.
        phone_regions: libphonenumber regions whose domestic phone formats are
            read (the team's country and regions: see
            :func:`calendar_data.checks.phi_phones.phone_regions`).

    Returns:
        Non-overlapping findings ordered by position.
    """
    check_names = features_patient and not has_consent
    spans = _resolve_overlaps(_candidates(text, allow, check_names, tuple(phone_regions)))
    return [PhiFinding(kind, s, e, text[s:e], WHY[kind], field) for kind, s, e in spans]


def scan_fields(fields: dict[str, str], **kwargs: object) -> list[PhiFinding]:
    """Scan several fields (title, body, asset...) in the order given.

    Args:
        fields: Field name to text, in display order.
        **kwargs: Passed to :func:`scan_text` (``allow``, ``features_patient``,
            ``has_consent``, ``phone_regions``); ``field`` is set per field.

    Returns:
        Findings sorted by field order, then start offset.
    """
    kwargs.pop("field", None)
    findings: list[PhiFinding] = []
    for name, text in fields.items():
        findings.extend(replace(f, field=name) for f in scan_text(text or "", **kwargs))  # type: ignore[arg-type]
    return findings
