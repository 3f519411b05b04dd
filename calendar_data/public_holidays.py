"""Public holidays for the team's country and subdivision, from the `holidays` package.

`holidays` is imported on first use: it costs ~60 ms at start-up, which the
CLI's listing commands never need.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from calendar_data.models import Holiday


class HolidayError(ValueError):
    """An unknown country or subdivision code."""


@lru_cache(maxsize=64)
def _year(country: str, subdivision: str | None, year: int) -> tuple[Holiday, ...]:
    import holidays

    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:
        raise HolidayError(f"country: {country!r} is not a country code that `holidays` knows") from None
    except (KeyError, ValueError) as exc:
        raise HolidayError(f"subdivision: {subdivision!r} is not a subdivision of {country} ({exc})") from None
    return tuple(sorted((Holiday(day, name, country) for day, name in calendar.items()),
                        key=lambda h: (h.day, h.name)))


def public_holidays(country: str, subdivision: str | None, start: date, end: date) -> list[Holiday]:
    """Holidays dated in `[start, end]`, in date order."""
    if not country:
        return []
    found: list[Holiday] = []
    for year in range(start.year, end.year + 1):
        found.extend(h for h in _year(country.upper(), subdivision or None, year) if start <= h.day <= end)
    return found


def check_region(country: str, subdivision: str | None) -> None:
    """Raise HolidayError when the country or subdivision is unknown."""
    _year(country.upper(), subdivision or None, 2026)
