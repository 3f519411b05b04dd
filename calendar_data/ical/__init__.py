"""iCal: export to Outlook, Google and Apple calendars, saved feeds and their server, and import.

- `timezones`: zone rules as Outlook reads them; `export_scope`: what an export holds and how filters
  combine; `export`: VCALENDAR files from the agenda; `export_events`: the VEVENT of each item;
- `feeds`: saved feeds and their cheap content stamps; `feed_server`: those feeds over HTTP;
  `feed_connections`: how its connections end (slow requests bounded, a lingering close);
- `scan`: a file's bytes made safe to parse; `parse`: events read from it; `event_times`: their
  times read as the file means them; `content`: their text made safe (HTML, links, reminders);
  `rules`: recurrences checked and walked with caps; `series`: a series expanded with its overrides;
- `changes`: an import plan; `plan`: what an import would change, and applying it; `event_fields`:
  what a post keeps of an event; `import_posts`: events planned and written as posts;
  `import_observances`: the same for the team's own observances.
"""
