"""Rule kinds beyond the calendar ones: equinox-relative days and announced overrides.

World Sleep Day is "the Friday before the March equinox". The equinox is an
astronomical instant, so it is computed, not tabulated: Jean Meeus,
*Astronomical Algorithms* (2nd ed., 1998), chapter 27 (mean equinox polynomial
plus the 24 periodic terms of table 27.C), accurate to about a minute for
1000-3000, converted from Dynamical Time to UT with the Espenak-Meeus
polynomials for Delta T. The day is the equinox's UTC date.

An organiser sometimes breaks its own rule (UK Mental Health Awareness Week
"starts on the second Monday in May" but ran 18-24 May 2020 and 15-21 May
2023). `Announced` keeps the rule and the announced dates side by side: the
announced date wins for its year, and `rule_span` still shows what the rule
says, so a listing can show both.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EQUINOX_MONTHS = {"march": 3, "september": 9}

# Meeus table 27.C: A, B (degrees), C (degrees per Julian century).
_PERIODIC = (
    (485, 324.96, 1934.136),
    (203, 337.23, 32964.467),
    (199, 342.08, 20.186),
    (182, 27.85, 445267.112),
    (156, 73.14, 45036.886),
    (136, 171.52, 22518.443),
    (77, 222.54, 65928.934),
    (74, 296.72, 3034.906),
    (70, 243.58, 9037.513),
    (58, 119.81, 33718.147),
    (52, 297.17, 150.678),
    (50, 21.02, 2281.226),
    (45, 247.54, 29929.562),
    (44, 325.15, 31555.956),
    (29, 60.93, 4443.417),
    (18, 155.12, 67555.328),
    (17, 288.79, 4562.452),
    (16, 198.04, 62894.029),
    (14, 199.76, 31436.921),
    (12, 95.39, 14577.848),
    (12, 287.11, 31931.756),
    (12, 320.81, 34777.259),
    (9, 227.73, 1222.114),
    (8, 15.45, 16859.074),
)
# Meeus table 27.B (years 1000-3000): mean equinox JDE polynomials in Y = (year - 2000) / 1000.
_MEAN = {
    3: (2451623.80984, 365242.37404, 0.05169, -0.00411, -0.00057),
    9: (2451810.21715, 365242.01767, -0.11575, 0.00337, 0.00078),
}
_J2000 = 2451545.0
_UNIX_EPOCH_JD = 2440587.5


def _delta_t_seconds(year: float) -> float:
    """TT - UT in seconds (Espenak and Meeus, NASA eclipse pages, 2006): a minute or so here."""
    if year < 2005:
        t = year - 2000
        return (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t**2
    if year < 2150:
        return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)
    return -20 + 32 * ((year - 1820) / 100) ** 2


def equinox(year: int, month: int = 3) -> datetime:
    """The instant (UTC, to about a minute) of the March (3) or September (9) equinox."""
    if month not in _MEAN:
        raise ValueError(f"month must be 3 (March) or 9 (September), got {month!r}")
    y = (year - 2000) / 1000
    c0, c1, c2, c3, c4 = _MEAN[month]
    jde0 = c0 + c1 * y + c2 * y**2 + c3 * y**3 + c4 * y**4
    t = (jde0 - _J2000) / 36525
    w = math.radians(35999.373 * t - 2.47)
    delta_lambda = 1 + 0.0334 * math.cos(w) + 0.0007 * math.cos(2 * w)
    s = sum(a * math.cos(math.radians(b + c * t)) for a, b, c in _PERIODIC)
    jde = jde0 + 0.00001 * s / delta_lambda
    jd_ut = jde - _delta_t_seconds(year + (month - 0.5) / 12) / 86400
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=jd_ut - _UNIX_EPOCH_JD)


@dataclass(frozen=True)
class EquinoxWeekday:
    """The nth weekday strictly before (nth < 0) or after (nth > 0) an equinox's UTC date."""

    month: int
    weekday: int
    nth: int = -1

    def day(self, year: int) -> date:
        """The day this rule gives in `year`."""
        base = equinox(year, self.month).date()
        if self.nth < 0:
            back = (base.weekday() - self.weekday - 1) % 7 + 1  # 1..7 days before
            return base - timedelta(days=back + 7 * (-self.nth - 1))
        ahead = (self.weekday - base.weekday() - 1) % 7 + 1
        return base + timedelta(days=ahead + 7 * (self.nth - 1))


@dataclass(frozen=True)
class Announced:
    """A standing rule plus the dates an organiser announced where it broke (or confirmed) it."""

    base: object
    dates: tuple[tuple[int, date, date], ...]

    def years(self) -> tuple[int, ...]:
        """The years with an announced date."""
        return tuple(year for year, _, _ in self.dates)


def extra_spans(rule: object, year: int, spans_in_year) -> tuple[tuple[date, date], ...] | None:
    """Spans of the rule kinds defined here; None when `rule` is not one of them."""
    if isinstance(rule, EquinoxWeekday):
        day = rule.day(year)
        return ((day, day),) if day.year == year else ()
    if isinstance(rule, Announced):
        announced = tuple((s, e) for y, s, e in rule.dates if y == year)
        return announced or spans_in_year(rule.base, year)
    return None


def rule_span(rule: object, year: int, spans_in_year) -> tuple[tuple[date, date], ...]:
    """What the standing rule alone gives in `year` (the announced dates ignored)."""
    return spans_in_year(rule.base if isinstance(rule, Announced) else rule, year)


def equinox_from_mapping(
    raw: Mapping, field: str, weekdays: Mapping[str, int], error
) -> EquinoxWeekday:
    """Parse `{equinox: march, weekday: FR, nth: -1}` strictly."""
    which = raw["equinox"]
    if not isinstance(which, str) or which.lower() not in EQUINOX_MONTHS:
        raise error(f"{field}.equinox", f"must be march or september, got {which!r}")
    weekday = raw.get("weekday")
    if not isinstance(weekday, str) or weekday.upper() not in weekdays:
        raise error(f"{field}.weekday", f"must be one of {', '.join(weekdays)}, got {weekday!r}")
    nth = raw.get("nth", -1)
    if not isinstance(nth, int) or isinstance(nth, bool) or nth == 0 or not -4 <= nth <= 4:
        raise error(
            f"{field}.nth", f"must be -1..-4 (before the equinox) or 1..4 (after), got {nth!r}"
        )
    return EquinoxWeekday(EQUINOX_MONTHS[which.lower()], weekdays[weekday.upper()], nth)


def describe_extra(rule: object, describe) -> str | None:
    """The rule in words; None when `rule` is not one of the kinds defined here."""
    if isinstance(rule, EquinoxWeekday):
        ordinal = {1: "", 2: "second ", 3: "third ", 4: "fourth "}[abs(rule.nth)]
        side = "before" if rule.nth < 0 else "after"
        return f"the {ordinal}{_WEEKDAY_NAMES[rule.weekday]} {side} the {calendar.month_name[rule.month]} equinox"
    if isinstance(rule, Announced):
        years = ", ".join(str(y) for y in rule.years())
        return f"{describe(rule.base)} (announced dates kept for {years})"
    return None


def extra_to_mapping(rule: object, to_mapping) -> dict | None:
    """The inverse of parsing, for storing custom observances as JSON; None for other kinds."""
    names = {3: "march", 9: "september"}
    if isinstance(rule, EquinoxWeekday):
        day_names = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
        return {"equinox": names[rule.month], "weekday": day_names[rule.weekday], "nth": rule.nth}
    if isinstance(rule, Announced):
        return to_mapping(rule.base)
    return None
