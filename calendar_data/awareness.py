"""Load the curated observance list (awareness_days.yaml), and the occurrences of observances.

The list is reviewed like code, so the loader refuses anything it does not
understand and says exactly where: file, line, entry id and field (each entry
is checked by `observance_entries`; this module finds the line). The parsed
list is cached, in memory and as JSON in the user cache dir (`yaml_cache`), until it changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from calendar_data.models import Observance, Occurrence
from calendar_data.observance_entries import ObservanceError, parse_entries
from calendar_data.recurrence import Explicit, spans_between, spans_in_year
from calendar_data.yaml_cache import read_cached, write_cached

FILE_NAME = "awareness_days.yaml"


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
