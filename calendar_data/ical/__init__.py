"""iCal: export to Outlook, Google and Apple calendars, saved feeds and their server, and import.

- `timezones`: zone rules as Outlook reads them; `export`: VCALENDAR files from the agenda;
- `feeds`: saved feeds rebuilt from the calendar; `feed_server`: those feeds over HTTP
  (`lingering_close`: its connections' closing);
- `scan`: a file's bytes made safe to parse; `parse`: events read from it;
- `rules`: recurrences expanded with time and step caps; `plan`: what an import would change, and applying it.
"""
