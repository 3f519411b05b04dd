"""RFC 5545's limits on an RRULE, checked before dateutil expands it.

dateutil trusts its input: `BYDAY=99MO` in a yearly rule ends in IndexError
deep inside it, `INTERVAL=0` loops forever without yielding, and a part that
can never match (`BYMONTH=13`) walks day by day to the year 9999. So a rule is
checked here first (`rule_problem` names the part and its allowed range), and
`bounded` ends every rule at the last day the import looks at. Text only: no
icalendar, no dateutil.
"""

from __future__ import annotations

import re
from datetime import datetime

_RANGES = {
    # part: (lowest, highest, may be negative)
    "BYSECOND": (0, 60, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}
_FREQS = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_DAY = re.compile(r"^([+-]?)(\d{1,3})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6}Z?)?", re.IGNORECASE)


def parts(text: str) -> dict[str, str]:
    """The rule's NAME=VALUE parts, names upper-cased."""
    found = {}
    for part in text.split(";"):
        key, _, value = part.partition("=")
        found[key.strip().upper()] = value.strip().upper()
    return found


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else None


def rule_problem(text: str) -> str | None:
    """What is wrong with an RRULE's value (e.g. "BYDAY 99MO: ..."), or None when dateutil can expand it."""
    found = parts(text)
    freq = found.get("FREQ", "")
    if freq not in _FREQS:
        return f"FREQ {freq!r} is not one of {', '.join(_FREQS)}" if freq else "no FREQ"
    if "INTERVAL" in found and not (_number(found["INTERVAL"]) or 0) >= 1:
        return f"INTERVAL {found['INTERVAL']!r} must be a whole number of 1 or more"
    if "COUNT" in found and not (_number(found["COUNT"]) or 0) >= 1:
        return f"COUNT {found['COUNT']!r} must be a whole number of 1 or more"
    for name, (low, high, signed) in _RANGES.items():
        for item in found[name].split(",") if name in found else ():
            value = _number(item)
            if value is None or not low <= (abs(value) if signed else value) <= high or (value < 0 and not signed):
                allowed = f"{low} to {high}" + (f" or -{low} to -{high}" if signed else "")
                return f"{name} {item!r} must be {allowed}"
    most = 5 if freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in found) else 53
    for item in found["BYDAY"].split(",") if "BYDAY" in found else ():
        match = _DAY.match(item)
        if not match:
            return f"BYDAY {item!r} is not a weekday such as MO, 2TU or -1FR"
        if match[2] is not None and not 1 <= int(match[2]) <= most:
            within = "month" if most == 5 else "year"
            return f"BYDAY {item!r}: the number must be 1 to {most} or -1 to -{most} (the nth weekday of the {within})"
    return None


def bounded(text: str, last: datetime) -> str:
    """The rule ending no later than `last` (naive wall time), so dateutil never walks past it."""
    stamp = last.strftime("%Y%m%dT%H%M%S")
    match = _UNTIL.search(text)
    if match is None:
        return f"{text};UNTIL={stamp}"
    if match[1] + (match[2] or "T000000")[:7] > stamp:
        return text[:match.start()] + f"UNTIL={stamp}" + text[match.end():]
    return text
