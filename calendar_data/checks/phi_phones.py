"""Phone and fax numbers for the PHI scanner, in the formats of the team's country and regions.

A hospital that posts for UK, Irish, Australian, New Zealand and Canadian
audiences sees numbers written the local way (``020 7946 0018``,
``(02) 9374 4000``, ``087 123 4567``), not only North American ones. Google's
libphonenumber (the ``phonenumbers`` package, imported only here) knows every
country's numbering plan, so it finds domestic numbers for each region the team
serves and international ``+NN`` numbers from anywhere, and says which numbers
are toll-free or shared-cost business lines (never a patient's own).

Beside it this module keeps what libphonenumber does not cover: North American
numbers outside allocated ranges (the US patterns in
:mod:`calendar_data.checks.phi_patterns`), local 7-digit numbers (``555-0100``) and
extensions (``x12``, ``ext. 204``), which are part of the finding.

Digits run together without separators (``6085551234``) are counted only after
a call/text/phone/fax label: in social copy such runs are more often order or
reference numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from calendar_data.checks import phi_patterns as P

DEFAULT_REGIONS: tuple[str, ...] = ("US",)
"""Phone regions when nothing else is said: carecal's default country."""

#: carecal observance regions (models.REGIONS) to libphonenumber region codes.
REGION_CODES: dict[str, str] = {
    "US": "US",
    "UK": "GB",
    "CA": "CA",
    "AU": "AU",
    "NZ": "NZ",
    "IE": "IE",
}

#: Number types that are business lines by construction (0800, 1800, 13 xx xx, 0300 ...).
BUSINESS_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
    }
)

#: A local number without its area code: three digits, a hyphen or dot, four digits.
#: A space is accepted too, but only after a phone/fax label (see _local_numbers).
LOCAL_PHONE = re.compile(
    r"(?<![\w+$£€#/.,:-])(?<!\d[\s.-])(?<!\)\s)(?<!\))"
    r"[2-9]\d{2}(?P<sep>[-.\s])\d{4}(?![\w-]|[.,:/]\d)"
)
#: An extension written after a number: "x12", "ext. 204", "extension 45", "#4".
EXTENSION = re.compile(r"(?:\s*,?\s*(?:x|ext\.?|extn\.?|extension)\s*|#)\d{1,6}\b", re.I)
_LABEL_WINDOW = 25

Span = tuple[int, int]


def phone_regions(country: str | None, regions: Iterable[str] = ()) -> tuple[str, ...]:
    """The libphonenumber regions to read domestic numbers in: the team's country, then its regions.

    Args:
        country: The settings' ISO country code ("US", "GB"; "UK" is accepted).
        regions: The observance regions shown ("global" and unknown ones are skipped).

    Returns:
        Region codes libphonenumber supports, country first, without repeats.
    """
    wanted = [REGION_CODES.get((country or "").upper(), (country or "").upper())]
    wanted += [REGION_CODES[r] for r in regions if r in REGION_CODES]
    supported = phonenumbers.SUPPORTED_REGIONS
    found = tuple(dict.fromkeys(r for r in wanted if r in supported))
    return found or DEFAULT_REGIONS


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@lru_cache(maxsize=32)
def _allowed_keys(phones: tuple[str, ...], regions: tuple[str, ...]) -> tuple[frozenset, frozenset]:
    """(parsed numbers, last-10-digit strings) of the allowed numbers, read in every region."""
    parsed: set[tuple[int, int]] = set()
    for phone in phones:
        for region in regions:
            try:
                number = phonenumbers.parse(phone, region)
            except phonenumbers.NumberParseException:
                continue
            if (
                phonenumbers.is_valid_number(number)
                and number.country_code
                and number.national_number
            ):
                parsed.add((number.country_code, number.national_number))
    return frozenset(parsed), frozenset(_digits(p)[-10:] for p in phones if _digits(p))


def _is_allowed(number: phonenumbers.PhoneNumber | None, raw: str, keys: tuple) -> bool:
    parsed, tails = keys
    if number is not None and (number.country_code, number.national_number) in parsed:
        return True
    return _digits(raw)[-10:] in tails


def _labelled(text: str, start: int) -> bool:
    window = text[max(0, start - _LABEL_WINDOW) : start]
    return bool(P.VOICE_LABEL.search(window) or P.FAX_LABEL.search(window))


def _with_extension(text: str, end: int) -> int:
    """Where a number ends once a written extension after it is included."""
    match = EXTENSION.match(text, end)
    return match.end() if match else end


def _library_numbers(text: str, regions: tuple[str, ...], keys: tuple) -> Iterator[Span]:
    """Valid numbers libphonenumber finds when reading `text` in each region."""
    seen: set[Span] = set()
    for region in regions:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            span = (match.start, match.end)
            if span in seen:
                continue
            seen.add(span)
            raw = match.raw_string
            if phonenumbers.number_type(match.number) in BUSINESS_TYPES:
                continue
            if _is_allowed(match.number, raw, keys):
                continue
            if raw.isdigit() and not _labelled(text, match.start):
                continue
            yield (match.start, _with_extension(text, match.end))


def _pattern_numbers(text: str, keys: tuple) -> Iterator[Span]:
    """North American and +country numbers by pattern, valid or not (fictional 555 lines)."""
    for match in [*P.US_PHONE.finditer(text), *P.INTL_PHONE.finditer(text)]:
        area = match.groupdict().get("area1") or match.groupdict().get("area2")
        digits = len(_digits(match.group()))
        if area in P.TOLL_FREE or not 8 <= digits <= 15 or _is_allowed(None, match.group(), keys):
            continue
        yield (match.start(), _with_extension(text, match.end()))
    for match in P.BARE_PHONE.finditer(text):
        if _labelled(text, match.start()) and not _is_allowed(None, match.group(), keys):
            yield (match.start(), _with_extension(text, match.end()))


def _local_numbers(text: str, allowed: tuple[str, ...]) -> Iterator[Span]:
    """Seven-digit local numbers (555-0100); with a space only after a phone label."""
    tails = {_digits(p)[-7:] for p in allowed}
    for match in LOCAL_PHONE.finditer(text):
        if match.group("sep").isspace() and not _labelled(text, match.start()):
            continue
        if _digits(match.group()) in tails:
            continue
        yield (match.start(), _with_extension(text, match.end()))


def phone_spans(
    text: str, allowed: tuple[str, ...] = (), regions: tuple[str, ...] = DEFAULT_REGIONS
) -> list[Span]:
    """Where `text` holds a phone or fax number that is not one of the allowed public numbers.

    Args:
        text: The copy to scan.
        allowed: The organisation's public numbers, in any format (compared as
            parsed numbers, or on their last 10 digits; local 7-digit mentions
            on their last 7).
        regions: libphonenumber region codes whose domestic formats to read
            (see :func:`phone_regions`).

    Returns:
        (start, end) spans, possibly overlapping; the scanner keeps the longest.
    """
    if sum(c.isdigit() for c in text) < 7:
        return []
    keys = _allowed_keys(tuple(allowed), tuple(regions))
    spans = [*_library_numbers(text, tuple(regions), keys), *_pattern_numbers(text, keys)]
    spans += _local_numbers(text, tuple(allowed))
    return spans
