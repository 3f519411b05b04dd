"""The first, text-level pass over an .ics file before any parser sees it.

It decides what is broken (an error naming the line, nothing imported) and
what is only unusual (a `warning:` line saying what was assumed or changed):

- broken: not iCalendar at all, binary data, truncated components, an END
  that closes the wrong BEGIN, absurd nesting, a property line that is not
  one, a property bigger than `MAX_PROPERTY_BYTES`, a file bigger than
  `MAX_FILE_BYTES`, too many events, a VEVENT that gives two different values
  for a property that decides what is imported (`DECISIVE`: DTSTART, UID...);
- unusual: a byte-order mark, Windows-1252 (or Latin-1) bytes, UTF-16 (even
  cut short), CR-only line endings, control characters, blank lines, text after
  END:VCALENDAR, a once-only property repeated (the first is kept).

The result is clean, unfolded text plus the physical line where each VEVENT
begins, so later errors can name a line. No icalendar import here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_FILE_BYTES = 20 * 1024 * 1024
"""The largest file imported (docs/outlook.md "Size"). Parsing holds about 8-10 bytes of memory per byte
of file (a folded 36 MB file peaked at 290-360 MB), so 20 MB keeps an import near 200 MB; a team's
calendar export is a few MB, and 20 MB is some 25,000 events with long copy."""
MAX_PROPERTY_BYTES = 1024 * 1024
MAX_DEPTH = 5
MAX_COMPONENTS = 50_000
_PROPERTY = re.compile(
    r'^[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*:'
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME = re.compile(r"[A-Za-z0-9-]+")
_TIMES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "DUE"})
_UTC_WITH_TZID = re.compile(
    r'^([A-Za-z-]+(?:;[^:]*?)?);TZID=("[^"]*"|[^;:]*)((?:;[^:]*)?:\d{8}T\d{6}Z)\s*$', re.IGNORECASE
)
_QUOTED_PRINTABLE = re.compile(r"^[A-Za-z0-9-]+;[^:]*ENCODING=QUOTED-PRINTABLE", re.IGNORECASE)
DECISIVE = frozenset({"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "UID", "SEQUENCE"})
"""Once-only VEVENT properties whose value decides when, which or which revision of an event is imported:
given twice with different values, the file is refused (carecal will not guess)."""
ONCE = DECISIVE | {
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "STATUS",
    "ORGANIZER",
    "CLASS",
    "TRANSP",
    "PRIORITY",
    "DTSTAMP",
    "CREATED",
    "LAST-MODIFIED",
    "GEO",
    "X-CARECAL-KIND",
}
"""VEVENT properties RFC 5545 allows once; a repeat is dropped here, so the parser never sees two."""


class IcsError(ValueError):
    """A file that cannot be imported; the message names the file and line or component."""


@dataclass
class Scanned:
    """Clean text for the parser, warnings for the user, and where each VEVENT starts."""

    text: str
    warnings: list[str] = field(default_factory=list)
    event_lines: list[int] = field(default_factory=list)
    """The physical line of each BEGIN:VEVENT, in file order."""
    other_components: dict[str, int] = field(default_factory=dict)
    alarm_lines: dict[int, list[int]] = field(default_factory=dict)
    """The physical lines of each VEVENT's VALARMs, by the line of its BEGIN:VEVENT."""


def _short(text: str) -> str:
    text = text.strip()
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CALENDAR_START = re.compile(rb"^\s*BEGIN:VCALENDAR", re.IGNORECASE)


def _bytes_of(data: bytes, where: str, warnings: list[str]) -> bytes:
    """The file as 8-bit bytes (UTF-16 converted to UTF-8, byte-order marks removed); IcsError on binary."""
    if len(data) > MAX_FILE_BYTES:
        raise IcsError(
            f"{where}: the file is over {MAX_FILE_BYTES // 2**20} MB, the most carecal imports at once "
            "(about 25,000 events); export it in parts (a year or one calendar at a time)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if b"\x00" in data[2:4096]:  # UTF-16 of iCalendar's ASCII names is half NUL bytes
            return _utf16(data, where, warnings).encode("utf-8")
        warnings.append(f"{where}:1: a UTF-16 byte-order mark before 8-bit text; mark ignored")
        data = data[2:]
    if data.startswith(b"\xef\xbb\xbf"):
        warnings.append(f"{where}:1: byte-order mark removed")
        data = data[3:]
    if b"\x00" in data[:4096] and not _CALENDAR_START.match(data[:200]):
        raise IcsError(f"{where}: not an iCalendar file (binary data)")
    return data


def _logical(data: bytes, where: str, warnings: list[str]) -> list[tuple[int, bytes]]:
    """Unfolded content lines as bytes, each with its first physical line (RFC 5545 3.1: unfold octets
    first, decode after, so a fold inside a multi-byte character joins it back whole)."""
    if b"\r" in data and b"\n" not in data:
        warnings.append(f"{where}: CR-only line endings (old Mac style); read as ordinary lines")
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    raw_lines = data.split(b"\n")
    del data
    parts: list[tuple[int, list[bytes]]] = []
    size = 0
    controls: list[int] = []
    blanks = 0
    last = len(raw_lines)
    for number, line in enumerate(raw_lines, start=1):
        if _CONTROL_BYTES.search(line):
            controls.append(number)
            line = _CONTROL_BYTES.sub(b"", line)
        if line[:1] in (b" ", b"\t") and parts:
            parts[-1][1].append(line[1:])
            size += len(line)
            if size > MAX_PROPERTY_BYTES:
                _too_big(where, parts[-1][0], parts[-1][1][0].decode("latin-1"))
        elif line.strip():
            parts.append((number, [line]))
            size = len(line)
        elif number < last:
            blanks += 1
    if controls:
        more = f" (and {len(controls) - 1} more lines)" if len(controls) > 1 else ""
        warnings.append(f"{where}:{controls[0]}: control characters removed{more}")
    if blanks:
        warnings.append(f"{where}: {blanks} blank line{'s' if blanks > 1 else ''} ignored")
    return [(number, b"".join(pieces)) for number, pieces in parts]


def _decode(
    logical: list[tuple[int, bytes]], where: str, warnings: list[str]
) -> list[tuple[int, str]]:
    """Unfolded lines as text: UTF-8 when every line is valid UTF-8, else the whole file as Windows-1252
    (or Latin-1), with a warning naming the first line that is not UTF-8. Valid UTF-8 is never re-decoded."""
    try:
        return [(number, line.decode("utf-8")) for number, line in logical]
    except UnicodeDecodeError:
        pass
    bad = next(number for number, line in logical if not _is_utf8(line))
    try:
        text = [(number, line.decode("cp1252")) for number, line in logical]
        encoding = "Windows-1252"
    except UnicodeDecodeError:
        text = [(number, line.decode("latin-1")) for number, line in logical]
        encoding = "Latin-1"
    warnings.append(f"{where}:{bad}: not UTF-8 (first bad byte here); read the file as {encoding}")
    return text


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16(data: bytes, where: str, warnings: list[str]) -> str:
    """UTF-16 text (Outlook's "Unicode" save); a dangling last byte or broken pairs become warnings."""
    warnings.append(f"{where}: UTF-16 text; converted to UTF-8")
    if len(data) % 2:
        data = data[:-1]
        warnings.append(
            f"{where}: the UTF-16 file has an odd number of bytes (cut short?); its last byte ignored"
        )
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        line = data[: exc.start - exc.start % 2].decode("utf-16", errors="replace").count("\n") + 1
        warnings.append(
            f"{where}:{line}: not valid UTF-16 (first bad character here); unreadable characters "
            "replaced with \N{REPLACEMENT CHARACTER}"
        )
        return data.decode("utf-16", errors="replace")


def scan(data: bytes, where: str = "file") -> Scanned:
    """Check the structure of an .ics file and return clean, unfolded text.

    Raises:
        IcsError: the file is broken; the message names the line.
    """
    warnings: list[str] = []
    logical = _decode(_logical(_bytes_of(data, where, warnings), where, warnings), where, warnings)
    if not logical:
        raise IcsError(f"{where}: empty file, not iCalendar")
    first_number, first = logical[0]
    if first.strip().upper() != "BEGIN:VCALENDAR":
        raise IcsError(
            f"{where}:{first_number}: not an iCalendar file (starts with {_short(first)}, "
            "expected BEGIN:VCALENDAR)"
        )
    return _structure(logical, where, warnings)


def _checked(
    line: str, name: str, value: str, depth: int, where: str, number: int, warnings: list[str]
) -> str:
    """A date-time line with a TZID on a UTC value loses the TZID (with a warning); VERSION must be 2.0."""
    if name == "VERSION":
        if depth == 1 and value != "2.0":
            _old_version(where, number, value)
        return line
    match = _UTC_WITH_TZID.match(line)
    if match:
        warnings.append(
            f"{where}:{number}: TZID {match[2].strip(chr(34))!r} on a UTC time (ending in Z); "
            "read as UTC"
        )
        return match[1] + match[3]
    return line


def _old_version(where: str, number: int, version: str) -> None:
    if version == "1.0":
        raise IcsError(
            f"{where}:{number}: a vCalendar 1.0 file (the 1990s format, with quoted-printable text); "
            "carecal reads iCalendar 2.0: export or save the calendar again as .ics (iCalendar)"
        )
    raise IcsError(f"{where}:{number}: VERSION {version[:20]!r}: carecal reads iCalendar 2.0 only")


def _too_big(where: str, number: int, line: str) -> None:
    name = line.split(":", 1)[0].split(";", 1)[0].upper()[:40]
    raise IcsError(
        f"{where}:{number}: property {name} is larger than {MAX_PROPERTY_BYTES // 2**20} MB"
    )


def _structure(logical: list[tuple[int, str]], where: str, warnings: list[str]) -> Scanned:
    """Walk the lines once: check nesting and property lines, drop repeats, keep the rest."""
    stack: list[tuple[str, int]] = []
    kept: list[str] = []
    result = Scanned("", warnings)
    calendars = 0
    components = 0
    once = _Once(where)
    for number, line in logical:
        if len(line) > MAX_PROPERTY_BYTES:
            _too_big(where, number, line)
        if not stack and kept:
            if line.strip().upper() == "BEGIN:VCALENDAR":
                warnings.append(
                    f"{where}:{number}: a second VCALENDAR in one file; its events are imported too"
                )
            else:
                warnings.append(f"{where}:{number}: text after END:VCALENDAR ignored")
                break
        if _QUOTED_PRINTABLE.match(line):
            _old_version(where, number, "1.0")
        if not _PROPERTY.match(line):
            raise IcsError(f"{where}:{number}: not an iCalendar property line: {_short(line)}")
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        value = value.strip().upper()
        if name in _TIMES or name == "VERSION":
            line = _checked(line, name, value, len(stack), where, number, warnings)
        if name == "BEGIN":
            calendars += _begin(value, stack, result, once, where, number)
            components += 1
            if components > MAX_COMPONENTS:
                raise IcsError(
                    f"{where}:{number}: more than {MAX_COMPONENTS} components; split the file"
                )
            stack.append((value, number))
        elif name == "END":
            _end(value, stack, where, number)
        elif (
            len(stack) == 2
            and stack[-1][0] == "VEVENT"
            and name in ONCE
            and once.repeated(number, line, name)
        ):
            continue
        kept.append(line)
    _complete(stack, calendars, logical[-1][0], where)
    if once.notes:
        more = len(once.notes) - 1
        warnings.append(
            once.notes[0]
            + (f" (and {more} more repeated propert{'ies' if more > 1 else 'y'})" if more else "")
        )
    result.text = "\r\n".join(kept) + "\r\n"
    return result


def _end(value: str, stack: list[tuple[str, int]], where: str, number: int) -> None:
    """Close the innermost open component; IcsError when END names another one or none is open."""
    if not stack:
        raise IcsError(f"{where}:{number}: END:{value} without a matching BEGIN")
    if stack[-1][0] != value:
        raise IcsError(
            f"{where}:{number}: END:{value} but BEGIN:{stack[-1][0]} "
            f"(line {stack[-1][1]}) is still open"
        )
    stack.pop()


def _complete(stack: list[tuple[str, int]], calendars: int, last_line: int, where: str) -> None:
    """At the end of the file: IcsError if a component is still open or there was no calendar."""
    if stack:
        name, number = stack[-1]
        raise IcsError(
            f"{where}:{number}: truncated file: BEGIN:{name} is never closed "
            f"(the file ends at line {last_line})"
        )
    if calendars == 0:
        raise IcsError(f"{where}: no VCALENDAR found")


def _begin(
    value: str, stack: list[tuple[str, int]], result: Scanned, once: _Once, where: str, number: int
) -> int:
    """Check a BEGIN line against the open components and note where events and reminders start;
    1 when it opens a VCALENDAR."""
    if not value:
        raise IcsError(f"{where}:{number}: BEGIN without a component name")
    if len(stack) >= MAX_DEPTH:
        raise IcsError(
            f"{where}:{number}: components nested more than {MAX_DEPTH} deep (BEGIN:{value})"
        )
    if value == "VCALENDAR":
        if stack:
            raise IcsError(
                f"{where}:{number}: BEGIN:VCALENDAR inside {stack[-1][0]} (line {stack[-1][1]})"
            )
        return 1
    if not stack:
        raise IcsError(f"{where}:{number}: BEGIN:{value} outside VCALENDAR")
    if value == "VEVENT":
        if stack[-1][0] != "VCALENDAR":
            raise IcsError(f"{where}:{number}: VEVENT inside {stack[-1][0]} (line {stack[-1][1]})")
        result.event_lines.append(number)
        once.begin(number)
    elif stack[-1][0] == "VEVENT" and value == "VALARM":
        result.alarm_lines.setdefault(stack[-1][1], []).append(number)
    elif len(stack) == 1 and value != "VTIMEZONE":
        result.other_components[value] = result.other_components.get(value, 0) + 1
    return 0


class _Once:
    """Tracks the once-only properties of the VEVENT being read (RFC 5545 section 3.6.1)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.event = 0
        self.seen: dict[str, tuple[int, str]] = {}
        self.notes: list[str] = []

    def begin(self, number: int) -> None:
        self.event, self.seen = number, {}

    def repeated(self, number: int, line: str, name: str) -> bool:
        """Whether `line` repeats a property already given (it is then dropped); IcsError on a conflict."""
        match = _NAME.match(line)
        rest = (line[match.end() :] if match else line).rstrip()
        if name not in self.seen:
            self.seen[name] = (number, rest)
            return False
        first, first_rest = self.seen[name]
        if rest == first_rest:
            self.notes.append(
                f"{self.where}:{number}: {name} repeated (same as line {first}); ignored"
            )
        elif name in DECISIVE:
            raise IcsError(
                f"{self.where}:{number}: the VEVENT at line {self.event} has a second {name} "
                f"that differs from the one at line {first} (an event has one {name})"
            )
        else:
            self.notes.append(
                f"{self.where}:{number}: a second {name} in the VEVENT at line {self.event}; "
                f"kept the one at line {first}"
            )
        return True
