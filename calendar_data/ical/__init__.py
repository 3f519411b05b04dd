"""iCal: export to Outlook, Google and Apple calendars, saved feeds and their server, and import.

- `timezones`: zone rules as Outlook reads them; `export_scope`: what an export holds and how filters
  combine; `export`: VCALENDAR files from the agenda;
- `feeds`: saved feeds and their cheap content stamps; `feed_server`: those feeds over HTTP;
- `scan`: a file's bytes made safe to parse; `parse`: events read from it; `content`: their text made
  safe (HTML, links, reminders); `rules`: recurrences checked and walked with caps; `series`: a
  series expanded with its overrides;
- `changes`: an import plan; `plan`: what an import would change for posts, and applying it;
  `import_observances`: the same for the team's own observances.
"""
