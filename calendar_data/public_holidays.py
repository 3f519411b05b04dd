"""Public holidays for the team's country and subdivision, from the `holidays` package.

`holidays` is imported on first use: it costs ~60 ms at start-up, which the
CLI's listing commands never need. A year's holidays, once computed, are kept
in the user cache dir (one small JSON file per country, subdivision, year and
`holidays` version), so the month view and exports of a later run do not
import `holidays` at all (~120 ms of import and computation saved per start).
"""

from __future__ import annotations

import json
import os
from datetime import date
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from calendar_data.models import Holiday
from calendar_data.settings import cache_dir, make_private_dirs


class HolidayError(ValueError):
    """An unknown country or subdivision code."""


@lru_cache(maxsize=1)
def _holidays_version() -> str | None:
    """The installed `holidays` version, found without importing it (None when it cannot be told)."""
    spec = find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    found = sorted(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
    if found:
        return found[-1].name[len("holidays-") : -len(".dist-info")]
    return f"mtime{os.stat(spec.origin).st_mtime_ns}"


def _cache_file(country: str, subdivision: str | None, year: int) -> Path | None:
    version = _holidays_version()
    if version is None or not all(part.isalnum() for part in (country, subdivision or "x")):
        return None  # only plain codes name a file
    return cache_dir() / "holidays" / f"{country}-{subdivision or ''}-{year}-{version}.json"


def _read_cache(path: Path | None, country: str) -> tuple[Holiday, ...] | None:
    if path is None:
        return None
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return tuple(Holiday(date.fromisoformat(day), name, country) for day, name in rows)
    except (OSError, ValueError, TypeError):  # missing, half-written or foreign: recompute
        return None


def _write_cache(path: Path | None, found: tuple[Holiday, ...]) -> None:
    if path is None:
        return
    try:
        make_private_dirs(path.parent)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        handle = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)  # whatever the umask
            out.write(json.dumps([[h.day.isoformat(), h.name] for h in found]))
        os.replace(partial, path)
    except OSError:  # a read-only cache dir only costs speed
        pass


@lru_cache(maxsize=64)
def _year(country: str, subdivision: str | None, year: int) -> tuple[Holiday, ...]:
    cache = _cache_file(country, subdivision, year)
    cached = _read_cache(cache, country)
    if cached is not None:
        return cached
    found = _compute_year(country, subdivision, year)
    _write_cache(cache, found)
    return found


def _compute_year(country: str, subdivision: str | None, year: int) -> tuple[Holiday, ...]:
    import holidays

    supported = holidays.list_supported_countries()
    if country not in supported:
        raise HolidayError(
            f"country: {country!r} is not a country code that `holidays` knows "
            "(use ISO codes such as US, GB, CA, AU, NZ, IE)"
        )
    if subdivision and subdivision not in supported[country]:
        known = ", ".join(sorted(supported[country])[:8]) or "none"
        raise HolidayError(
            f"subdivision: {subdivision!r} is not a subdivision of {country} (e.g. {known}...)"
        )
    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except (NotImplementedError, KeyError, ValueError) as exc:
        raise HolidayError(f"country: {country}/{subdivision or '-'}: {exc}") from None
    return tuple(
        sorted(
            (Holiday(day, name, country) for day, name in calendar.items()),
            key=lambda h: (h.day, h.name),
        )
    )


def public_holidays(country: str, subdivision: str | None, start: date, end: date) -> list[Holiday]:
    """Holidays dated in `[start, end]`, in date order."""
    if not country:
        return []
    found: list[Holiday] = []
    for year in range(start.year, end.year + 1):
        found.extend(
            h for h in _year(country.upper(), subdivision or None, year) if start <= h.day <= end
        )
    return found


def check_region(country: str | None, subdivision: str | None) -> None:
    """Raise HolidayError when the country or subdivision is unknown."""
    if not country:
        raise HolidayError("country: give a country code such as US, GB, CA, AU, NZ or IE")
    _year(country.upper(), subdivision or None, 2026)
