"""Floor for import: the icalendar library parsing the same file.

Usage: python ics_parse.py FEED.ics
Parses the file and reads what any importer must (UID, SUMMARY, decoded DTSTART) from every event.
"""

import sys
from pathlib import Path

from icalendar import Calendar


def main(path: str) -> int:
    calendar = Calendar.from_ical(Path(path).read_bytes())
    count = 0
    for event in calendar.walk("VEVENT"):
        event.decoded("dtstart")
        str(event.get("uid"))
        str(event.get("summary"))
        count += 1
    return count


if __name__ == "__main__":
    print(main(sys.argv[1]))
