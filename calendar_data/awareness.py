"""Load and strictly validate the curated observance list (awareness_days.yaml).

The list is reviewed like code, so the loader refuses anything it does not
understand and says exactly where: file, line, entry id and field. A typo that
silently moved a hospital's campaign by a week would be worse than a crash.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from calendar_data.models import CATEGORIES, REGIONS, Kind, Observance, Occurrence
from calendar_data.recurrence import (
    Explicit,
    FixedRange,
    RuleError,
    WholeMonth,
    _explicit,
    rule_from_mapping,
    spans_between,
    spans_in_year,
)
from calendar_data.rule_kinds import Announced
from calendar_data.yaml_cache import read_cached, write_cached

FILE_NAME = "awareness_days.yaml"
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


class DuplicateKeyError(ValueError):
    """A mapping in the YAML file with the same key twice (PyYAML would silently keep the last)."""

    def __init__(self, key: str, line: int) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line = key, line


@lru_cache(maxsize=1)
def _yaml():
    """PyYAML and its fastest safe loader made strict, imported on first use.

    The C loader is ~8x faster; the pure-Python one is the fallback where libyaml
    is missing. Either way the loader refuses a key repeated inside one mapping:
    an entry with two `rule:` keys must not load with whichever came last.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node, deep=False):
            seen: set[str] = set()
            for key_node, _value in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise DuplicateKeyError(key, key_node.start_mark.line + 1)
                if key is not None:
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)
    return yaml, StrictLoader


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


def curated_path() -> Path:
    """Where the shipped list lives: inside the installed package, else the source tree."""
    override = os.environ.get("CARECAL_AWARENESS_FILE")
    if override:
        return Path(override)
    packaged = resources.files("calendar_data").joinpath(FILE_NAME)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / FILE_NAME


def load_observances(path: Path | str | None = None) -> tuple[Observance, ...]:
    """The curated observances, validated; cached until the file changes."""
    target = Path(path) if path else curated_path()
    try:
        stat = target.stat()
    except OSError as exc:
        raise ObservanceError(
            f"cannot read the observance list ({exc.strerror})", source=str(target)
        ) from None
    return _load_cached(str(target), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: int, _size: int) -> tuple[Observance, ...]:
    raw = read_cached(
        path, _mtime, _size
    )  # the parsed list kept from an earlier run: no YAML parser
    if isinstance(raw, list):
        try:
            return parse_entries(raw, curated=True)
        except ObservanceError:
            pass  # a copy this version cannot take: parse the file itself, with its line numbers
    observances, raw = _parse_file(path)
    write_cached(path, _mtime, _size, raw)
    return observances


def _parse_file(path: str) -> tuple[tuple[Observance, ...], list]:
    """The observances in the YAML file at `path`, and the raw list they were read from."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ObservanceError(
            f"not UTF-8 text (byte {exc.start}); save the list as UTF-8", source=path
        ) from None
    yaml, loader = _yaml()
    try:
        raw = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader  # nosec B506
    except DuplicateKeyError as exc:
        index = _entry_at_line(text, exc.line)
        entry = _entry_id(text, index)
        raise ObservanceError(
            f"{exc}: each key may appear once in an entry",
            source=path,
            line=exc.line,
            entry=entry,
            field=exc.key,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ObservanceError(
            f"not valid YAML: {problem}", source=path, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(raw, list):
        raise ObservanceError("must be a YAML list of observances", source=path)
    try:
        return parse_entries(raw, curated=True), raw
    except ObservanceError as exc:
        line = _line_of_entry(text, exc.index)
        raise ObservanceError(
            exc.reason, source=path, line=line, entry=exc.entry, field=exc.field
        ) from None


def _entry_at_line(text: str, line: int) -> int | None:
    """The index of the top-level entry holding 1-based `line` (error path only)."""
    yaml, _loader = _yaml()
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.SequenceNode):
        return None
    found = None
    for index, item in enumerate(node.value):
        if item.start_mark.line + 1 <= line:
            found = index
    return found


def _entry_id(text: str, index: int | None) -> str:
    """The `id` of entry `index` as written, or '#N' (error path only)."""
    if index is None:
        return ""
    yaml, _loader = _yaml()
    item = yaml.compose(text, Loader=yaml.SafeLoader).value[index]
    for key_node, value_node in getattr(item, "value", []):
        if getattr(key_node, "value", None) == "id" and isinstance(value_node, yaml.ScalarNode):
            return value_node.value
    return f"#{index + 1}"


def _line_of_entry(text: str, index: int | None) -> int | None:
    """The 1-based line where entry `index` starts; only computed on the error path."""
    if index is None:
        return None
    yaml, loader = _yaml()
    node = yaml.compose(text, Loader=loader)
    return node.value[index].start_mark.line + 1


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
    try:
        kind = Kind(item["kind"])
    except ValueError:
        raise fail("kind", f"must be one of {', '.join(Kind)}, got {item['kind']!r}") from None
    try:
        rule = rule_from_mapping(item["rule"])
        if item.get("announced") is not None:
            rule = Announced(rule, _explicit(item["announced"], "announced").dates)
    except RuleError as exc:
        raise fail(exc.field, str(exc)) from None
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


def occurrences(observances: Iterable[Observance], start: date, end: date) -> list[Occurrence]:
    """Every occurrence overlapping `[start, end]`, sorted by start then name."""
    found = [
        Occurrence(obs, span_start, span_end)
        for obs in observances
        for span_start, span_end in spans_between(obs.rule, start, end)
        if obs.holds_in(span_start.year)
    ]
    found.sort(key=lambda o: (o.start, o.end, o.observance.name))
    return found


def occurrences_in_year(observances: Iterable[Observance], year: int) -> list[Occurrence]:
    """Occurrences that start in `year` (the `observances --year` contract)."""
    found = [
        Occurrence(obs, s, e)
        for obs in observances
        if obs.holds_in(year)
        for s, e in spans_in_year(obs.rule, year)
    ]
    found.sort(key=lambda o: (o.start, o.end, o.observance.name))
    return found


def unannounced(observances: Iterable[Observance], year: int) -> list[Observance]:
    """Observances dated by yearly announcement that have no date for `year` yet."""
    return [
        o
        for o in observances
        if isinstance(o.rule, Explicit) and o.holds_in(year) and year not in o.rule.years()
    ]


def staff_recognition(observances: Iterable[Observance]) -> list[Observance]:
    """Only the staff and service recognition observances (the `--staff` filter)."""
    return [o for o in observances if o.staff_recognition]
