"""One observance entry checked strictly: the schema the curated list and the team's own are held to.

The curated list (`awareness`) is reviewed like code, and the team's own observances
(`observances`, and `carecal import --as observances`) are typed by people, so an entry with a key
it does not know, a missing key or a bad value is refused with an `ObservanceError` naming the
entry and the field; the loader adds the file and line. A typo that silently moved a hospital's
campaign by a week would be worse than a crash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from calendar_data.models import CATEGORIES, REGIONS, Kind, Observance
from calendar_data.recurrence import FixedRange, Rule, RuleError, WholeMonth, spans_in_year
from calendar_data.rule_kinds import Announced
from calendar_data.rule_mappings import explicit_from_mapping, rule_from_mapping

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HASHTAG_RE = re.compile(r"^#\w+$")
URL_RE = re.compile(r"^https?://\S+$")
REQUIRED = (
    "id",
    "name",
    "kind",
    "rule",
    "category",
    "regions",
    "hashtags",
    "organisation",
    "source",
)
OPTIONAL = (
    "hashtags_verified",
    "toolkit",
    "note",
    "last_verified",
    "since",
    "until",
    "staff_recognition",
    "hashtags_yearly",
    "announced",
)
YEARLY_TAG_RE = re.compile(r"^#\w*(\{year\}|\{yy\})\w*$")
CURATED_REQUIRED = ("last_verified",)


class ObservanceError(ValueError):
    """An observance entry that cannot be used, located as precisely as possible."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        line: int | None = None,
        entry: str = "",
        field: str = "",
        index: int | None = None,
    ) -> None:
        self.source, self.line, self.entry, self.field, self.index = (
            source,
            line,
            entry,
            field,
            index,
        )
        self.reason = message
        where = source + (f":{line}" if line else "")
        parts = [
            p
            for p in (
                where,
                f"entry {entry!r}" if entry else "",
                f"field {field!r}" if field else "",
            )
            if p
        ]
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)


def parse_entries(raw: Iterable[object], *, curated: bool = False) -> tuple[Observance, ...]:
    """Validate a list of entry mappings; ids unique, names unique within a region."""
    seen_ids: set[str] = set()
    seen_names: dict[tuple[str, str], str] = {}
    result = []
    for index, item in enumerate(raw):
        try:
            observance = observance_from_mapping(item, index=index, curated=curated)
        except ObservanceError as exc:
            exc.index = index
            raise
        if observance.id in seen_ids:
            raise ObservanceError("duplicate id", entry=observance.id, field="id", index=index)
        seen_ids.add(observance.id)
        for region in observance.regions:
            key = (region, observance.name.casefold())
            if key in seen_names:
                raise ObservanceError(
                    f"same name as {seen_names[key]!r} in region {region}",
                    entry=observance.id,
                    field="name",
                    index=index,
                )
            seen_names[key] = observance.id
        result.append(observance)
    return tuple(result)


def _provenance(item: Mapping, fail) -> tuple[bool, date | None, int | None, int | None]:
    """An entry's checking and lifetime: hashtags_verified, last_verified, since, until."""
    verified = item.get("hashtags_verified", True)
    if not isinstance(verified, bool):
        raise fail("hashtags_verified", "must be true or false")
    last_verified = item.get("last_verified")
    if last_verified is not None and not isinstance(last_verified, date):
        try:
            last_verified = date.fromisoformat(str(last_verified))
        except ValueError:
            raise fail("last_verified", "must be an ISO date YYYY-MM-DD") from None
    since, until = (_year(item.get(k), k, fail) for k in ("since", "until"))
    if since and until and since > until:
        raise fail("until", f"{until} is before since {since}")
    return verified, last_verified, since, until


def _staff_and_yearly_tags(item: Mapping, fail) -> tuple[bool, list[str]]:
    """Whether it recognises staff, and its hashtags that carry the year ('#CRWeek{yy}')."""
    staff = item.get("staff_recognition", False)
    if not isinstance(staff, bool):
        raise fail("staff_recognition", "must be true or false")
    yearly = item.get("hashtags_yearly") or []
    if not isinstance(yearly, list) or any(
        not isinstance(h, str) or not YEARLY_TAG_RE.match(h) for h in yearly
    ):
        raise fail(
            "hashtags_yearly",
            "must be a list of patterns like '#WorldIBDDay{year}' or '#CRWeek{yy}'",
        )
    return staff, yearly


def observance_from_mapping(
    item: object, *, index: int = 0, curated: bool = False, custom: bool = False
) -> Observance:
    """One entry, strictly: unknown keys, missing keys and bad values are errors."""
    if not isinstance(item, Mapping):
        raise ObservanceError("each entry must be a mapping", entry=f"#{index + 1}")
    entry = str(item.get("id") or f"#{index + 1}")

    def fail(field: str, message: str) -> ObservanceError:
        return ObservanceError(message, entry=entry, field=field)

    unknown = sorted(str(k) for k in set(item) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise fail(unknown[0], "unknown key")
    for key in REQUIRED + (CURATED_REQUIRED if curated else ()):
        if key not in item or item[key] is None or item[key] == "" and key != "hashtags":
            raise fail(key, "is required")
    obs_id = item["id"]
    if not isinstance(obs_id, str) or not ID_RE.match(obs_id):
        raise fail("id", "must be kebab-case (a-z, 0-9, hyphens)")
    name = _text(item["name"], "name", fail, 120)
    kind, rule = _kind_and_rule(item, fail)
    category, regions, hashtags = _category_regions_hashtags(item, fail)
    organisation = _text(item["organisation"], "organisation", fail, 200)
    source = _url(item["source"], "source", fail)
    toolkit = _url(item["toolkit"], "toolkit", fail) if item.get("toolkit") else ""
    note = _text(item.get("note") or "", "note", fail, 300, required=False)
    verified, last_verified, since, until = _provenance(item, fail)
    staff, yearly = _staff_and_yearly_tags(item, fail)
    observance = Observance(
        id=obs_id,
        name=name,
        kind=kind,
        rule=rule,
        category=category,
        regions=tuple(regions),
        hashtags=tuple(hashtags),
        organisation=organisation,
        source=source,
        hashtags_verified=verified,
        toolkit=toolkit,
        note=note,
        last_verified=last_verified,
        since=since,
        until=until,
        custom=custom,
        staff_recognition=staff,
        hashtags_yearly=tuple(yearly),
    )
    _check_kind(observance, fail)
    return observance


def _kind_and_rule(item: Mapping, fail) -> tuple[Kind, Rule]:
    """The entry's kind, and its date rule (with the announced dates that override it, if any)."""
    try:
        kind = Kind(item["kind"])
    except ValueError:
        raise fail("kind", f"must be one of {', '.join(Kind)}, got {item['kind']!r}") from None
    try:
        rule = rule_from_mapping(item["rule"])
        if item.get("announced") is not None:
            rule = Announced(rule, explicit_from_mapping(item["announced"], "announced").dates)
    except RuleError as exc:
        raise fail(exc.field, str(exc)) from None
    return kind, rule


def _category_regions_hashtags(item: Mapping, fail) -> tuple[str, list, list]:
    """The entry's category and regions, from carecal's vocabularies, and its hashtags."""
    category = item["category"]
    if category not in CATEGORIES:
        raise fail("category", f"{category!r} is not in the category vocabulary")
    regions = item["regions"]
    if not isinstance(regions, list) or not regions or any(r not in REGIONS for r in regions):
        raise fail("regions", f"must be a non-empty list drawn from {', '.join(REGIONS)}")
    hashtags = item["hashtags"]
    if not isinstance(hashtags, list) or any(
        not isinstance(h, str) or not HASHTAG_RE.match(h) for h in hashtags
    ):
        raise fail("hashtags", "must be a list of hashtags like '#WorldHealthDay' (no spaces)")
    return category, regions, hashtags


def _text(value: object, field: str, fail, limit: int, *, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value.strip()) or "\n" in value.strip():
        raise fail(field, "must be one line of text")
    if len(value) > limit:
        raise fail(field, f"is longer than {limit} characters")
    return value.strip()


def _url(value: object, field: str, fail) -> str:
    if not isinstance(value, str) or not URL_RE.match(value):
        raise fail(field, f"must be an http(s) URL, got {value!r}")
    return value


def _year(value: object, field: str, fail) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
        raise fail(field, "must be a year from 1900 to 2200")
    return value


def _check_kind(observance: Observance, fail) -> None:
    """A `day` lasts one day, a `week` 5-9 days, a `month` a calendar month."""
    kind, rule = observance.kind, observance.rule
    if kind is Kind.MONTH:
        if not isinstance(rule, WholeMonth | FixedRange):
            raise fail("kind", "a month observance needs a {month: M} rule")
        if isinstance(rule, FixedRange):
            start, end = spans_in_year(rule, 2027)[0]
            if not 28 <= (end - start).days + 1 <= 31:
                raise fail("kind", "a month observance spans 28 to 31 days")
        return
    sample = next((s for y in range(2024, 2031) for s in spans_in_year(rule, y)), None)
    if sample is None:
        return  # explicit dates outside the sample years; checked when expanded
    days = (sample[1] - sample[0]).days + 1
    if kind is Kind.DAY and days != 1:
        raise fail("kind", f"a day observance lasts one day, this rule gives {days}")
    if kind is Kind.WEEK and not 5 <= days <= 9:
        raise fail("kind", f"a week observance lasts 5 to 9 days, this rule gives {days}")
